//! [`ArchiveWriter`]: appends captures to `.warc.gz` files in a directory.
//!
//! - Every `open` starts a new file: a file an earlier process may have left
//!   half-written is never appended to.
//! - File names cannot collide between processes or writers:
//!   `redline-<UTC yyyymmddhhmmss>-<pid>-<8 random hex>-<5-digit seq>.warc.gz`,
//!   created with `create_new` (an existing name is never reused).
//! - Each file starts with a `warcinfo` record; each record is its own gzip
//!   member (the `.warc.gz` layout CDX indexers and warcio read).
//! - A capture's two members are written with one `write` call on an
//!   unbuffered file, so when `append` returns the bytes are in the OS: a
//!   process killed right after loses nothing. [`ArchiveWriter::sync`]
//!   fsyncs for durability against power loss.
//! - When the current file has reached `max_file_bytes`, the next capture
//!   goes to a new file (so a file exceeds the limit by at most one capture).
//! - After a failed write the partial bytes are cut off if possible, and the
//!   next capture goes to a new file.
//!
//! Writes are blocking file I/O: from async code call `append` through
//! `tokio::task::spawn_blocking` or from a dedicated thread.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::Utc;
use flate2::Compression;
use flate2::write::GzEncoder;

use crate::capture::{Capture, CaptureLocation};
use crate::error::ArchiveError;
use crate::record::{self, MAX_RECORD_BYTES};

/// Default size at which a new file is started: 1 GiB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// Appends captures to WARC files in one directory. See the module docs.
pub struct ArchiveWriter {
    dir: PathBuf,
    max_file_bytes: u64,
    warcinfo_fields: Vec<(String, String)>,
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
        std::fs::create_dir_all(dir).map_err(|source| ArchiveError::CreateDir {
            dir: dir.to_path_buf(),
            source,
        })?;
        let tag = random_tag();
        let current = new_file(dir, &tag, 0, &warcinfo_fields)?;
        Ok(ArchiveWriter {
            dir: dir.to_path_buf(),
            max_file_bytes,
            warcinfo_fields,
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
        if self.current.broken
            || (self.current.captures > 0 && self.current.len >= self.max_file_bytes)
        {
            self.rotate()?;
        }
        let (response, request) = record::capture_records(capture, &self.current.warcinfo_id);
        let size = (response.len() + request.len()) as u64;
        if size > MAX_RECORD_BYTES {
            return Err(ArchiveError::RecordTooLarge {
                uri: capture.target_uri.clone(),
                size,
                limit: MAX_RECORD_BYTES,
            });
        }
        let response = gzip_member(&response);
        let request = gzip_member(&request);
        let mut both = response;
        let response_len = both.len() as u64;
        both.extend_from_slice(&request);

        let offset = self.current.len;
        if let Err(source) = self.current.file.write_all(&both) {
            // Cut off whatever part was written, so the file stays readable.
            let _ = self.current.file.set_len(offset);
            self.current.broken = true;
            return Err(ArchiveError::Write {
                path: self.dir.join(&self.current.name),
                source,
            });
        }
        self.current.len += both.len() as u64;
        self.current.captures += 1;
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
        self.seq += 1;
        self.current = new_file(&self.dir, &self.tag, self.seq, &self.warcinfo_fields)?;
        self.dir_synced = false;
        Ok(())
    }
}

fn random_tag() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

fn new_file(
    dir: &Path,
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
            std::process::id(),
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
        let info = gzip_member(&record::warcinfo_record(
            &warcinfo_id,
            &name,
            now,
            warcinfo_fields,
        ));
        file.write_all(&info)
            .map_err(|source| ArchiveError::Write {
                path: path.clone(),
                source,
            })?;
        return Ok(Current {
            file,
            name,
            len: info.len() as u64,
            captures: 0,
            warcinfo_id,
            broken: false,
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

fn gzip_member(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(
        Vec::with_capacity(data.len() / 3 + 64),
        Compression::default(),
    );
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}
