//! [`ArchiveWriter`]: appends captures to `.warc.gz` files in a directory.
//!
//! - Every `open` starts a new file: a file an earlier process may have left
//!   half-written is never appended to.
//! - File names cannot collide between processes, writers or crawlers
//!   sharing one directory (the archive may be shared storage):
//!   `redline-<UTC yyyymmddhhmmss>-<writer>-<8 random hex>-<5-digit seq>.warc.gz`,
//!   created with `create_new` (an existing name is never reused). The
//!   writer part is the crawler's id when the writer is opened for one
//!   ([`ArchiveWriter::open_for_crawler`]; its `warcinfo` also names it),
//!   else the process id. So the file a capture's location names says
//!   which crawler wrote it.
//! - Each file starts with a `warcinfo` record; each record is its own gzip
//!   member (the `.warc.gz` layout CDX indexers and warcio read).
//! - A capture's two members are written with one `write` call on an
//!   unbuffered file, so when `append` returns the bytes are in the OS: a
//!   process killed right after loses nothing. [`ArchiveWriter::sync`]
//!   fsyncs for durability against power loss.
//! - A capture whose response payload is byte for byte that of one of the
//!   last [`RECENT_RESPONSES`] full responses written to the current file
//!   for the same URI (a confirmation fetch, a page fetched again a moment
//!   later) is written as a `revisit` record of that response: its own
//!   status line and headers, the payload not again (see the `record`
//!   module). Bytes are compared, not digests; payloads under
//!   [`MIN_REVISIT_PAYLOAD`] bytes, and captures with a conversion, are
//!   always written in full. A file never refers to another, so each
//!   stands alone.
//! - When the current file has reached `max_file_bytes`, the next capture
//!   goes to a new file (so a file exceeds the limit by at most one capture).
//! - After a failed write the partial bytes are cut off and the next capture
//!   follows in the same file; only if they cannot be cut off does the next
//!   capture go to a new file (and the broken file is removed if it holds no
//!   capture). A new file whose `warcinfo` record cannot be written is
//!   removed at once and its sequence number reused. So a full disk, on which
//!   the crawler retries every waiting capture, leaves no trail of empty or
//!   partial files, and what was written before is untouched.
//!
//! Writes are blocking file I/O: from async code call `append` through
//! `tokio::task::spawn_blocking` or from a dedicated thread.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use std::collections::VecDeque;

use bytes::Bytes;
use chrono::Utc;
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::capture::{Capture, CaptureLocation, Conversion};
use crate::error::ArchiveError;
use crate::record::{self, MAX_RECORD_BYTES};

/// Default size at which a new file is started: 1 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// How many of the latest full responses of the current file a capture is
/// compared with for a revisit: more than the crawler's checks in flight
/// between a fetch and its confirmation.
pub const RECENT_RESPONSES: usize = 256;

/// Most payload bytes held for those comparisons; the oldest are let go
/// first.
const RECENT_BYTES: usize = 32 * 1024 * 1024;

/// Smallest payload written as a revisit: below this, the revisit's extra
/// fields would save nothing.
pub const MIN_REVISIT_PAYLOAD: usize = 1024;

/// Appends captures to WARC files in one directory. See the module docs.
pub struct ArchiveWriter {
    dir: PathBuf,
    max_file_bytes: u64,
    warcinfo_fields: Vec<(String, String)>,
    /// Who writes: the crawler's id, made safe for a file name, or the
    /// process id.
    writer: String,
    /// Random part of this writer's file names.
    tag: String,
    seq: u32,
    current: Current,
    /// Whether the directory entry of the current file has been fsynced.
    dir_synced: bool,
}

struct Current {
    file: File,
    name: String,
    len: u64,
    captures: u64,
    warcinfo_id: String,
    /// A write failed: start a new file before the next capture.
    broken: bool,
    /// Full responses written to this file, for revisits.
    recent: Recent,
}

/// The latest full responses written to a file, oldest first.
#[derive(Default)]
struct Recent {
    responses: VecDeque<Written>,
    /// Payload bytes held.
    bytes: usize,
}

/// A full response written to the current file.
struct Written {
    target_uri: String,
    record_id: String,
    date: String,
    payload_digest: String,
    offset: u64,
    payload: Bytes,
}

impl Recent {
    /// The latest response of `capture`'s URI with its very payload.
    fn find(&self, capture: &Capture) -> Option<&Written> {
        let payload = &capture.response.body;
        if payload.len() < MIN_REVISIT_PAYLOAD {
            return None;
        }
        self.responses
            .iter()
            .rev()
            .find(|w| w.target_uri == capture.target_uri && w.payload == *payload)
    }

    fn remember(&mut self, written: Written) {
        let size = written.payload.len();
        if !(MIN_REVISIT_PAYLOAD..=RECENT_BYTES).contains(&size) {
            return;
        }
        self.responses.push_back(written);
        self.bytes += size;
        while self.responses.len() > RECENT_RESPONSES || self.bytes > RECENT_BYTES {
            match self.responses.pop_front() {
                Some(old) => self.bytes -= old.payload.len(),
                None => break,
            }
        }
    }
}

impl ArchiveWriter {
    /// Opens a writer on `dir` (created if missing) and starts a new file.
    pub fn open(dir: &Path, max_file_bytes: u64) -> Result<Self, ArchiveError> {
        Self::open_with_info(dir, max_file_bytes, Vec::new())
    }

    /// Like [`open`](Self::open), with extra `name: value` fields for each
    /// file's `warcinfo` record (e.g. `operator`, `robots: obey`).
    pub fn open_with_info(
        dir: &Path,
        max_file_bytes: u64,
        warcinfo_fields: Vec<(String, String)>,
    ) -> Result<Self, ArchiveError> {
        let writer = std::process::id().to_string();
        Self::open_as(dir, max_file_bytes, writer, warcinfo_fields)
    }

    /// Like [`open`](Self::open), for the crawler `crawler_id`: its files
    /// are named after it (letters, digits, `.` and `_` kept, anything else
    /// a `-`, at most 48 characters) and their `warcinfo` records say
    /// `redline-crawler: ID`.
    pub fn open_for_crawler(
        dir: &Path,
        max_file_bytes: u64,
        crawler_id: &str,
    ) -> Result<Self, ArchiveError> {
        let fields = vec![("redline-crawler".to_string(), crawler_id.to_string())];
        Self::open_as(dir, max_file_bytes, file_name_part(crawler_id), fields)
    }

    fn open_as(
        dir: &Path,
        max_file_bytes: u64,
        writer: String,
        warcinfo_fields: Vec<(String, String)>,
    ) -> Result<Self, ArchiveError> {
        std::fs::create_dir_all(dir).map_err(|source| ArchiveError::CreateDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let tag = random_tag();
        let current = new_file(dir, &writer, &tag, 0, &warcinfo_fields)?;
        Ok(ArchiveWriter {
            dir: dir.to_path_buf(),
            max_file_bytes,
            warcinfo_fields,
            writer,
            tag,
            seq: 0,
            current,
            dir_synced: false,
        })
    }

    /// The directory written to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Name of the file the next capture goes to (unless it rotates first).
    pub fn current_file(&self) -> &str {
        &self.current.name
    }

    /// Writes the `response` and `request` records of `capture`; returns
    /// where the response record is. The bytes are in the OS on return.
    pub fn append(&mut self, capture: &Capture) -> Result<CaptureLocation, ArchiveError> {
        self.append_records(capture, None)
    }

    /// Like [`append`](Self::append), followed by a `conversion` record of
    /// `conversion` (a rendered DOM) whose `WARC-Refers-To` names the
    /// response record and whose `WARC-Target-URI` is the capture's; the
    /// three are written at once. The location is the response record's.
    pub fn append_converted(
        &mut self,
        capture: &Capture,
        conversion: &Conversion,
    ) -> Result<CaptureLocation, ArchiveError> {
        self.append_records(capture, Some(conversion))
    }

    fn append_records(
        &mut self,
        capture: &Capture,
        conversion: Option<&Conversion>,
    ) -> Result<CaptureLocation, ArchiveError> {
        if self.current.broken
            || (self.current.captures > 0 && self.current.len >= self.max_file_bytes)
        {
            self.rotate()?;
        }
        let warcinfo_id = &self.current.warcinfo_id;
        let response_id = record::new_record_id();
        let original = match conversion {
            None => self.current.recent.find(capture),
            Some(_) => None,
        };
        let revisit = original.is_some();
        let original = original.map(|w| record::Original {
            record_id: &w.record_id,
            target_uri: &w.target_uri,
            date: &w.date,
            payload_digest: &w.payload_digest,
            offset: w.offset,
        });
        let record::CaptureRecords {
            response,
            request,
            payload_digest,
        } = record::capture_records_with_id(capture, warcinfo_id, &response_id, original.as_ref());
        let converted = conversion
            .map(|c| record::conversion_record(c, &capture.target_uri, &response_id, warcinfo_id));
        let size =
            (response.len() + request.len() + converted.as_ref().map_or(0, |c| c.len())) as u64;
        if size > MAX_RECORD_BYTES {
            return Err(ArchiveError::RecordTooLarge {
                uri: capture.target_uri.clone(),
                size,
                limit: MAX_RECORD_BYTES,
            });
        }
        // The members one after the other in one buffer, written at once.
        let mut both = Vec::with_capacity(size as usize / 3 + 256);
        gzip_member(&mut both, &response);
        let response_len = both.len() as u64;
        gzip_member(&mut both, &request);
        if let Some(converted) = &converted {
            gzip_member(&mut both, converted);
        }

        let offset = self.current.len;
        if let Err(source) = write_all(&mut self.current.file, &both) {
            // Cut off whatever part was written, so the file stays readable
            // and the next capture can follow on.
            if cut_off(&mut self.current.file, offset).is_err() {
                self.current.broken = true;
            }
            return Err(ArchiveError::Write {
                path: self.dir.join(&self.current.name),
                source,
            });
        }
        self.current.len += both.len() as u64;
        self.current.captures += 1;
        if !revisit {
            self.current.recent.remember(Written {
                target_uri: capture.target_uri.clone(),
                record_id: response_id,
                date: record::warc_date(capture.fetched_at),
                payload_digest,
                offset,
                payload: capture.response.body.clone(),
            });
        }
        Ok(CaptureLocation {
            file: self.current.name.clone(),
            offset,
            length: response_len,
        })
    }

    /// Flushes the current file (and its directory entry) to disk.
    pub fn sync(&mut self) -> Result<(), ArchiveError> {
        let path = self.dir.join(&self.current.name);
        self.current
            .file
            .sync_data()
            .map_err(|source| ArchiveError::Sync {
                path: path.clone(),
                source,
            })?;
        if !self.dir_synced {
            File::open(&self.dir)
                .and_then(|d| d.sync_all())
                .map_err(|source| ArchiveError::Sync {
                    path: self.dir.clone(),
                    source,
                })?;
            self.dir_synced = true;
        }
        Ok(())
    }

    fn rotate(&mut self) -> Result<(), ArchiveError> {
        // Make the finished file durable before moving on; a failure here is
        // not worth losing the next capture over.
        let _ = self.current.file.sync_data();
        // The number only advances once a file is made: retries on a full
        // disk reuse it (new_file removes what it could not finish).
        let seq = self.seq.wrapping_add(1);
        let next = new_file(
            &self.dir,
            &self.writer,
            &self.tag,
            seq,
            &self.warcinfo_fields,
        )?;
        let previous = std::mem::replace(&mut self.current, next);
        self.seq = seq;
        self.dir_synced = false;
        if previous.captures == 0 {
            // Only a broken file is left with no capture: its warcinfo and
            // perhaps a partial record, nothing any location points to.
            let path = self.dir.join(&previous.name);
            drop(previous);
            let _ = std::fs::remove_file(path);
        }
        Ok(())
    }
}

fn random_tag() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// `text` as a part of a file name: ASCII letters, digits, `.` and `_`
/// kept, runs of anything else one `-`, at most 48 characters, never empty.
fn file_name_part(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 48 {
            break;
        }
    }
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    if out.is_empty() {
        "crawler".into()
    } else {
        out
    }
}

fn new_file(
    dir: &Path,
    writer: &str,
    tag: &str,
    seq: u32,
    warcinfo_fields: &[(String, String)],
) -> Result<Current, ArchiveError> {
    let now = Utc::now();
    let mut tag = tag.to_string();
    // create_new never reuses a name; on the (unlikely) clash, draw again.
    for _ in 0..8 {
        let name = format!(
            "redline-{}-{}-{}-{:05}.warc.gz",
            now.format("%Y%m%d%H%M%S"),
            writer,
            tag,
            seq
        );
        let path = dir.join(&name);
        let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                tag = random_tag();
                continue;
            }
            Err(source) => return Err(ArchiveError::CreateFile { path, source }),
        };
        let warcinfo_id = record::new_record_id();
        let mut info = Vec::new();
        gzip_member(
            &mut info,
            &record::warcinfo_record(&warcinfo_id, &name, now, warcinfo_fields),
        );
        if let Err(source) = write_all(&mut file, &info) {
            // Nothing refers to this file yet: remove it rather than leave an
            // empty or partial file for every retry on a full disk.
            drop(file);
            let _ = std::fs::remove_file(&path);
            return Err(ArchiveError::Write { path, source });
        }
        return Ok(Current {
            file,
            name,
            len: info.len() as u64,
            captures: 0,
            warcinfo_id,
            broken: false,
            recent: Recent::default(),
        });
    }
    Err(ArchiveError::CreateFile {
        path: dir.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "every file name tried already exists",
        ),
    })
}

/// `file.write_all`, through the unit tests' fault injection.
fn write_all(file: &mut File, bytes: &[u8]) -> io::Result<()> {
    #[cfg(test)]
    if let Some(room) = fault::ROOM.get()
        && bytes.len() > room
    {
        // As on a full disk: what fits is written, then ENOSPC.
        file.write_all(&bytes[..room])?;
        return Err(io::ErrorKind::StorageFull.into());
    }
    file.write_all(bytes)
}

/// Cuts `file` back to `len` bytes and moves the write position there, so
/// that the next write follows on without a hole.
fn cut_off(file: &mut File, len: u64) -> io::Result<()> {
    #[cfg(test)]
    if fault::CUT_OFF_FAILS.get() {
        return Err(io::ErrorKind::Other.into());
    }
    file.set_len(len)?;
    file.seek(SeekFrom::Start(len))?;
    Ok(())
}

/// The gzip level of every member: 3 of zlib's 9. Compressing is most of
/// the CPU time of a check (every fetch is archived); on 711 real article
/// pages (188 KB on average) level 3 costs 0.7 of level 6's time for
/// members 6 % larger (20.4 % of the page instead of 19.2 %), level 1 0.4
/// of it for members 43 % larger. See README, "Crawl cost on real pages".
const GZIP_LEVEL: u32 = 3;

/// Appends `record` to `out` as one gzip member.
fn gzip_member(out: &mut Vec<u8>, record: &record::Record) {
    let mut encoder = GzEncoder::new(std::mem::take(out), Compression::new(GZIP_LEVEL));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(&record.head);
    let _ = encoder.write_all(record.body);
    let _ = encoder.write_all(record::Record::END);
    *out = encoder.finish().unwrap_or_default();
}

/// Fault injection for the unit tests (per thread, so tests do not interfere).
#[cfg(test)]
mod fault {
    use std::cell::Cell;

    thread_local! {
        /// Room left on the simulated disk for each write: a longer write
        /// writes this many bytes, then fails with `StorageFull`.
        pub static ROOM: Cell<Option<usize>> = const { Cell::new(None) };
        /// Cutting off a failed write fails too.
        pub static CUT_OFF_FAILS: Cell<bool> = const { Cell::new(false) };
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use bytes::Bytes;

    use super::*;
    use crate::capture::{CapturedRequest, CapturedResponse};
    use crate::reader::{read_capture, read_conversion, records};
    use crate::record::{WarcRecord, sha1_digest};
    use chrono::DateTime;

    fn temp_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!(
            "redline-archive-unit-{name}-{}-{}",
            std::process::id(),
            random_tag()
        ))
    }

    /// A capture whose records are kilobytes even compressed, far more than
    /// a `warcinfo` record.
    fn capture(i: u64) -> Capture {
        let mut x = i + 1;
        let body: Vec<u8> = (0..8192)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        Capture {
            target_uri: format!("https://news.example/{i}"),
            fetched_at: Utc::now(),
            ip_address: None,
            request: CapturedRequest {
                method: "GET".into(),
                target: format!("/{i}"),
                version: "HTTP/1.1".into(),
                headers: vec![("Host".into(), b"news.example".to_vec())],
            },
            response: CapturedResponse {
                version: "HTTP/1.1".into(),
                status: 200,
                reason: "OK".into(),
                headers: Vec::new(),
                body: Bytes::from(body),
            },
        }
    }

    /// Every file of the directory and its bytes.
    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                let name = e.file_name().into_string().unwrap();
                (name, std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// The WARC types of a file's records; fails on any damaged record.
    fn record_types(path: &Path) -> Vec<String> {
        records(path)
            .unwrap()
            .map(|r| r.unwrap().warc_type().unwrap_or_default().to_string())
            .collect()
    }

    #[test]
    fn a_crawlers_files_are_named_after_it_and_say_so() {
        let dir = temp_dir("crawler");
        let writer =
            ArchiveWriter::open_for_crawler(&dir, DEFAULT_MAX_FILE_BYTES, "box-2:4711").unwrap();
        let name = writer.current_file().to_string();
        let parts: Vec<&str> = name.split('-').collect();
        assert_eq!(parts.len(), 7, "{name}");
        assert_eq!(parts[0], "redline");
        assert_eq!(parts[1].len(), 14, "{name}");
        assert_eq!(&parts[2..5], ["box", "2", "4711"], "{name}");
        assert_eq!(parts[5].len(), 8, "{name}");
        assert_eq!(parts[6], "00000.warc.gz");
        let info = records(&dir.join(&name)).unwrap().next().unwrap().unwrap();
        let text = String::from_utf8(info.block).unwrap();
        assert!(
            text.ends_with("redline-crawler: box-2:4711\r\n"),
            "{text:?}"
        );
        assert_eq!(file_name_part("box-2:4711"), "box-2-4711");
        assert_eq!(file_name_part("crawler.eu_1"), "crawler.eu_1");
        assert_eq!(file_name_part("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_name_part("Zürich / 1"), "Z-rich-1");
        assert_eq!(file_name_part("::"), "crawler");
        assert_eq!(file_name_part(&"x".repeat(100)).len(), 48);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_rendered_page_is_a_conversion_record_after_its_capture() {
        let dir = temp_dir("conversion");
        let mut writer = ArchiveWriter::open(&dir, DEFAULT_MAX_FILE_BYTES).unwrap();
        let plain = writer.append(&capture(1)).unwrap();
        let conversion = Conversion {
            converted_at: DateTime::parse_from_rfc3339("2026-12-02T01:02:03.000004Z")
                .unwrap()
                .with_timezone(&Utc),
            content_type: "text/html; charset=utf-8".into(),
            body: Bytes::from_static(b"<html><body><p>written by a script</p></body></html>"),
        };
        let converted = writer.append_converted(&capture(2), &conversion).unwrap();
        let after = writer.append(&capture(3)).unwrap();
        let path = dir.join(writer.current_file());
        assert_eq!(
            record_types(&path),
            [
                "warcinfo",
                "response",
                "request",
                "response",
                "request",
                "conversion",
                "response",
                "request"
            ]
        );
        let all: Vec<WarcRecord> = records(&path).unwrap().map(Result::unwrap).collect();
        let response = &all[3];
        let record = &all[5];
        let info_id = all[0].header("WARC-Record-ID").unwrap();
        let fields: Vec<(&str, &str)> = record
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .filter(|(n, _)| *n != "WARC-Record-ID")
            .collect();
        let digest = sha1_digest(&conversion.body);
        assert_eq!(
            fields,
            [
                ("WARC-Type", "conversion"),
                ("WARC-Date", "2026-12-02T01:02:03.000004Z"),
                ("WARC-Target-URI", "https://news.example/2"),
                ("WARC-Refers-To", response.header("WARC-Record-ID").unwrap()),
                ("WARC-Warcinfo-ID", info_id),
                ("WARC-Block-Digest", digest.as_str()),
                ("WARC-Payload-Digest", digest.as_str()),
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", "52"),
            ]
        );
        assert_eq!(record.block, conversion.body.to_vec());
        // The location is the response's; the conversion is found from it,
        // and a capture without one has none.
        assert_eq!(converted.offset, response.offset);
        assert_eq!(
            read_conversion(&dir, &converted).unwrap().as_ref(),
            Some(record)
        );
        assert_eq!(read_conversion(&dir, &plain).unwrap(), None);
        assert_eq!(read_conversion(&dir, &after).unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Sets the simulated disk's room; cleared on drop, even on a panic.
    struct Fault;

    impl Fault {
        fn room(room: usize) -> Fault {
            fault::ROOM.set(Some(room));
            Fault
        }
    }

    impl Drop for Fault {
        fn drop(&mut self) {
            fault::ROOM.set(None);
            fault::CUT_OFF_FAILS.set(false);
        }
    }

    #[test]
    fn a_full_disk_leaves_no_files_behind_and_the_writer_recovers() {
        let dir = temp_dir("full");
        // A 1-byte limit: every capture after a file's first one rotates, so
        // each failed append below tries to start a new file.
        let mut writer = ArchiveWriter::open(&dir, 1).unwrap();
        let first = writer.append(&capture(0)).unwrap();
        writer.sync().unwrap();
        let before = files(&dir);
        assert_eq!(before.len(), 1);

        let fault = Fault::room(0);
        for _ in 0..50 {
            let err = writer.append(&capture(1)).unwrap_err();
            assert!(err.is_storage_full(), "{err}");
        }
        assert_eq!(files(&dir), before, "no new file, the old one untouched");
        drop(fault);

        let second = writer.append(&capture(1)).unwrap();
        assert!(
            second.file.ends_with("-00001.warc.gz"),
            "no sequence number burnt: {}",
            second.file
        );
        assert_eq!(files(&dir).len(), 2);
        for (i, location) in [first, second].iter().enumerate() {
            let stored = read_capture(&dir, location).unwrap();
            assert_eq!(stored.target_uri, capture(i as u64).target_uri);
            assert_eq!(
                record_types(&dir.join(&location.file)),
                ["warcinfo", "response", "request"]
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_disk_with_room_for_a_warcinfo_only_leaves_no_files_behind() {
        let dir = temp_dir("almost-full");
        let mut writer = ArchiveWriter::open(&dir, 1).unwrap();
        let first = writer.append(&capture(0)).unwrap();
        writer.sync().unwrap();
        let before = files(&dir);
        // Room for a warcinfo record (`first.offset` bytes) and part of a
        // capture, not all of it:
        // each failed write leaves partial bytes to cut off.
        let fault = Fault::room(first.offset as usize + 1000);
        for _ in 0..50 {
            let err = writer.append(&capture(1)).unwrap_err();
            assert!(err.is_storage_full(), "{err}");
        }
        let during = files(&dir);
        assert_eq!(during.len(), 2, "one new file, not one per retry");
        for (name, bytes) in &before {
            assert_eq!(&during[name], bytes, "earlier file untouched");
        }
        let new_file = during.keys().find(|n| !before.contains_key(*n)).unwrap();
        assert_eq!(
            record_types(&dir.join(new_file)),
            ["warcinfo"],
            "partial records cut off"
        );
        drop(fault);

        let second = writer.append(&capture(1)).unwrap();
        assert_eq!(&second.file, new_file, "the capture follows on in it");
        assert!(second.file.ends_with("-00001.warc.gz"));
        assert_eq!(
            record_types(&dir.join(new_file)),
            ["warcinfo", "response", "request"]
        );
        assert_eq!(
            read_capture(&dir, &first).unwrap().target_uri,
            capture(0).target_uri
        );
        assert_eq!(
            read_capture(&dir, &second).unwrap().target_uri,
            capture(1).target_uri
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_write_that_cannot_be_cut_off_moves_on_and_removes_files_left_empty() {
        let dir = temp_dir("no-cut-off");
        let mut writer = ArchiveWriter::open(&dir, DEFAULT_MAX_FILE_BYTES).unwrap();
        let first = writer.append(&capture(0)).unwrap();
        let fault = Fault::room(first.offset as usize + 1000);
        fault::CUT_OFF_FAILS.set(true);
        for _ in 0..50 {
            assert!(writer.append(&capture(1)).unwrap_err().is_storage_full());
            // The first file, plus at most the latest broken one.
            assert!(files(&dir).len() <= 2);
        }
        drop(fault);

        let second = writer.append(&capture(1)).unwrap();
        let names: Vec<String> = files(&dir).into_keys().collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&first.file) && names.contains(&second.file));
        assert_eq!(
            read_capture(&dir, &first).unwrap().target_uri,
            capture(0).target_uri
        );
        assert_eq!(
            read_capture(&dir, &second).unwrap().target_uri,
            capture(1).target_uri
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn opening_on_a_full_disk_leaves_no_file() {
        let dir = temp_dir("open-full");
        std::fs::create_dir_all(&dir).unwrap();
        let fault = Fault::room(10);
        let err = ArchiveWriter::open(&dir, 1).err().unwrap();
        assert!(err.is_storage_full(), "{err}");
        assert!(files(&dir).is_empty());
        drop(fault);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
