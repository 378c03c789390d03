//! Reading the archive back: one capture by its location, or every record of
//! a file in order.
//!
//! A capture archived as a `revisit` record (a payload already in the file)
//! reads back as the response it stands for: its own status, headers and
//! WARC fields, the payload of the response it refers to, found at the
//! offset it names and checked to be the record it names, with the payload
//! digest it names. [`records`] yields the records as they are.
//!
//! Each gzip member is decompressed on its own, with a cap
//! ([`MAX_RECORD_BYTES`]), so a damaged or hostile file costs bounded memory.
//! A file cut short by a crash yields its intact records, then one
//! [`ArchiveError::Truncated`], then ends.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use flate2::bufread::GzDecoder;

use crate::capture::{CaptureLocation, StoredCapture};
use crate::error::ArchiveError;
use crate::record::{
    self, MAX_RECORD_BYTES, REFERS_TO_OFFSET, REVISIT_PROFILE, WarcRecord, sha1_digest,
};

/// Reads the response record at `location` in `dir`, checks its block
/// digest, and returns the HTTP response it holds.
pub fn read_capture(dir: &Path, location: &CaptureLocation) -> Result<StoredCapture, ArchiveError> {
    check_file_name(&location.file)?;
    let path = dir.join(&location.file);
    let read_err = |source: io::Error| ArchiveError::Read {
        path: path.clone(),
        source,
    };
    if location.length > MAX_RECORD_BYTES {
        return Err(ArchiveError::Corrupt {
            path: path.clone(),
            offset: location.offset,
            detail: format!(
                "the location claims a {}-byte record, more than any this archive writes",
                location.length
            ),
        });
    }
    let mut file = File::open(&path).map_err(read_err)?;
    file.seek(SeekFrom::Start(location.offset))
        .map_err(read_err)?;
    let mut compressed = Vec::new();
    file.take(location.length)
        .read_to_end(&mut compressed)
        .map_err(read_err)?;
    if (compressed.len() as u64) < location.length {
        return Err(ArchiveError::Truncated {
            path,
            offset: location.offset,
        });
    }
    let mut input = &compressed[..];
    let data = match inflate_member(&mut input) {
        Ok(data) => data,
        Err(MemberError::Eof) => {
            return Err(ArchiveError::Truncated {
                path,
                offset: location.offset,
            });
        }
        Err(MemberError::Bad(detail)) => {
            return Err(ArchiveError::Corrupt {
                path,
                offset: location.offset,
                detail,
            });
        }
    };
    let record = to_record(&path, location.offset, location.length, &data)?;
    stored_capture(&path, &record)
}

/// Turns a `response` record, or a `revisit` record of this archive, into a
/// [`StoredCapture`], checking its digest (a revisit's payload is read from
/// the record it refers to in `path`, see the module docs).
pub fn stored_capture(path: &Path, record: &WarcRecord) -> Result<StoredCapture, ArchiveError> {
    match record.warc_type().unwrap_or_default() {
        "response" => from_record(path, record),
        "revisit" => from_revisit(path, record),
        warc_type => Err(ArchiveError::NotAResponse {
            path: path.to_path_buf(),
            offset: record.offset,
            warc_type: warc_type.to_string(),
        }),
    }
}

/// The payload of a revisit is that of the response it refers to: the
/// record at its [`REFERS_TO_OFFSET`], which must be the response its
/// `WARC-Refers-To` names, with its `WARC-Payload-Digest`.
fn from_revisit(path: &Path, record: &WarcRecord) -> Result<StoredCapture, ArchiveError> {
    let unresolved = |detail: String| ArchiveError::Revisit {
        path: path.to_path_buf(),
        offset: record.offset,
        detail,
    };
    let profile = record.header("WARC-Profile").unwrap_or_default();
    if profile != REVISIT_PROFILE {
        return Err(unresolved(format!(
            "its profile is {profile:?}; only {REVISIT_PROFILE} is read"
        )));
    }
    let field = |name: &str| {
        record
            .header(name)
            .ok_or_else(|| unresolved(format!("it has no {name}")))
    };
    let (refers_to, digest) = (field("WARC-Refers-To")?, field("WARC-Payload-Digest")?);
    let offset = field(REFERS_TO_OFFSET)?;
    let offset = offset
        .parse::<u64>()
        .ok()
        .filter(|&o| o < record.offset)
        .ok_or_else(|| {
            unresolved(format!(
                "{REFERS_TO_OFFSET} {offset:?} is not an earlier offset"
            ))
        })?;
    let mut capture = from_record(path, record)?;
    let original = match record_at(path, offset)?.next() {
        Some(Ok(original)) => original,
        Some(Err(e)) => return Err(unresolved(format!("the record at offset {offset}: {e}"))),
        None => return Err(unresolved(format!("there is no record at offset {offset}"))),
    };
    let id = original.header("WARC-Record-ID").unwrap_or_default();
    if original.warc_type() != Some("response") || id != refers_to {
        return Err(unresolved(format!(
            "the record at offset {offset} is not the response {refers_to}"
        )));
    }
    if original.header("WARC-Payload-Digest") != Some(digest) {
        return Err(unresolved(format!(
            "the response {refers_to} has another payload digest than {digest}"
        )));
    }
    capture.payload = from_record(path, &original)?.payload;
    Ok(capture)
}

/// A record's HTTP response and WARC fields, its block digest checked.
fn from_record(path: &Path, record: &WarcRecord) -> Result<StoredCapture, ArchiveError> {
    let corrupt = |detail: String| ArchiveError::Corrupt {
        path: path.to_path_buf(),
        offset: record.offset,
        detail,
    };
    if let Some(expected) = record.header("WARC-Block-Digest")
        && expected.starts_with("sha1:")
    {
        let actual = sha1_digest(&record.block);
        if !expected.eq_ignore_ascii_case(&actual) {
            return Err(ArchiveError::DigestMismatch {
                path: path.to_path_buf(),
                offset: record.offset,
                expected: expected.to_string(),
                actual,
            });
        }
    }
    let http = record::parse_http_response(&record.block).map_err(corrupt)?;
    let fetched_at = record
        .header("WARC-Date")
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| corrupt("missing or malformed WARC-Date".into()))?;
    Ok(StoredCapture {
        warc_headers: record.headers.clone(),
        target_uri: record
            .header("WARC-Target-URI")
            .unwrap_or_default()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string(),
        fetched_at,
        record_id: record
            .header("WARC-Record-ID")
            .unwrap_or_default()
            .to_string(),
        ip_address: record
            .header("WARC-IP-Address")
            .and_then(|ip| ip.parse().ok()),
        http_version: http.version,
        status: http.status,
        reason: http.reason,
        headers: http.headers,
        payload: http.payload,
    })
}

/// The `conversion` record written with the capture at `location` (by
/// [`crate::ArchiveWriter::append_converted`]: a page's rendered DOM), if
/// there is one: the record right after the capture's `request` whose
/// `WARC-Refers-To` names the capture's response record.
pub fn read_conversion(
    dir: &Path,
    location: &CaptureLocation,
) -> Result<Option<WarcRecord>, ArchiveError> {
    let response = read_capture(dir, location)?;
    let mut following = record_at(&dir.join(&location.file), location.offset + location.length)?;
    // The capture's request record, then perhaps its conversion (written
    // with it in one write: a file that ends, or breaks, before the end of
    // the request has none).
    match following.next() {
        Some(Ok(request)) if request.warc_type() == Some("request") => {}
        _ => return Ok(None),
    }
    Ok(following.next().transpose()?.filter(|record| {
        record.warc_type() == Some("conversion")
            && record.header("WARC-Refers-To") == Some(response.record_id.as_str())
    }))
}

/// Every record of a `.warc.gz` file, in order. Opening fails if the file
/// cannot be opened; after that, problems are items of the iteration, and
/// a truncated or corrupt member ends it.
pub fn records(path: &Path) -> Result<Records, ArchiveError> {
    record_at(path, 0)
}

/// The records of a file from the gzip member at `offset` on.
fn record_at(path: &Path, offset: u64) -> Result<Records, ArchiveError> {
    let read_err = |source| ArchiveError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(read_err)?;
    if offset > 0 {
        file.seek(SeekFrom::Start(offset)).map_err(read_err)?;
    }
    Ok(Records {
        path: path.to_path_buf(),
        reader: CountingReader {
            inner: BufReader::with_capacity(64 * 1024, file),
            pos: offset,
        },
        done: false,
    })
}

/// Iterator over the records of one file; see [`records`].
pub struct Records {
    path: PathBuf,
    reader: CountingReader<BufReader<File>>,
    done: bool,
}

impl Iterator for Records {
    type Item = Result<WarcRecord, ArchiveError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let offset = self.reader.pos;
        match self.reader.fill_buf() {
            Ok([]) => {
                self.done = true;
                return None;
            }
            Ok(_) => {}
            Err(source) => {
                self.done = true;
                return Some(Err(ArchiveError::Read {
                    path: self.path.clone(),
                    source,
                }));
            }
        }
        match inflate_member(&mut self.reader) {
            Ok(data) => {
                let length = self.reader.pos - offset;
                Some(to_record(&self.path, offset, length, &data))
            }
            Err(e) => {
                // Member boundaries are lost: nothing after this can be trusted.
                self.done = true;
                Some(Err(match e {
                    MemberError::Eof => ArchiveError::Truncated {
                        path: self.path.clone(),
                        offset,
                    },
                    MemberError::Bad(detail) => ArchiveError::Corrupt {
                        path: self.path.clone(),
                        offset,
                        detail,
                    },
                }))
            }
        }
    }
}

enum MemberError {
    /// The input ended inside the member.
    Eof,
    Bad(String),
}

/// Decompresses one gzip member from `input`, consuming exactly its bytes.
fn inflate_member<R: BufRead>(input: &mut R) -> Result<Vec<u8>, MemberError> {
    let mut out = Vec::new();
    let mut decoder = GzDecoder::new(input).take(MAX_RECORD_BYTES + 1);
    match decoder.read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > MAX_RECORD_BYTES => Err(MemberError::Bad(format!(
            "a record decompresses to more than {MAX_RECORD_BYTES} bytes"
        ))),
        Ok(_) => {
            // A gzip decoder on an empty or cut input may report a clean end:
            // make sure a complete member (header, data, trailer) was read.
            let decoder = decoder.into_inner();
            if decoder.header().is_none() {
                return Err(MemberError::Eof);
            }
            Ok(out)
        }
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(MemberError::Eof),
        Err(e) => Err(MemberError::Bad(e.to_string())),
    }
}

fn to_record(
    path: &Path,
    offset: u64,
    length: u64,
    data: &[u8],
) -> Result<WarcRecord, ArchiveError> {
    let parsed = record::parse_record(data).map_err(|detail| ArchiveError::Corrupt {
        path: path.to_path_buf(),
        offset,
        detail,
    })?;
    Ok(WarcRecord {
        offset,
        length,
        version: parsed.version,
        headers: parsed.headers,
        block: parsed.block,
    })
}

/// A location's file must be a plain name inside the archive directory.
fn check_file_name(name: &str) -> Result<(), ArchiveError> {
    let bad = |reason: &str| ArchiveError::BadLocation {
        file: name.to_string(),
        reason: reason.to_string(),
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    if name.contains(['/', '\\', '\0']) || name == "." || name == ".." {
        return Err(bad(
            "it must be a plain file name inside the archive directory",
        ));
    }
    Ok(())
}

/// Counts the bytes consumed through `BufRead`, i.e. the file position of
/// the next unread byte.
struct CountingReader<R> {
    inner: R,
    pos: u64,
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.pos += amt as u64;
        self.inner.consume(amt);
    }
}
