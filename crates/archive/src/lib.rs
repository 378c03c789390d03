//! Raw captures: gzip-compressed WARC/1.1 files of every fetched request and
//! response.
//!
//! This crate owns the archive directory: writing captures as `response` +
//! `request` records ([`ArchiveWriter`]), with a `conversion` record after
//! them for a page rendered by a browser ([`ArchiveWriter::append_converted`]),
//! a response whose payload was just written for the same URI (a
//! confirmation fetch) as a `revisit` record of it instead, each record its
//! own gzip member, rotating files by size, and reading them back — one
//! capture by the [`CaptureLocation`] returned when it was written
//! ([`read_capture`], which reads a revisit's payload from the response it
//! refers to), or every record of a file ([`records`]), tolerating a file
//! cut short by a crash.
//!
//! It knows nothing of how captures were fetched: callers convert their
//! HTTP exchange into a [`Capture`]. What exactly is stored (headers as
//! received minus `Transfer-Encoding`, the body still content-encoded...) is
//! described in the `record` module and on [`Capture`].
//!
//! ```no_run
//! # fn demo(capture: redline_archive::Capture) -> Result<(), redline_archive::ArchiveError> {
//! use redline_archive::{ArchiveWriter, DEFAULT_MAX_FILE_BYTES, read_capture};
//! let dir = std::path::Path::new("/var/lib/redline/warc");
//! let mut writer = ArchiveWriter::open(dir, DEFAULT_MAX_FILE_BYTES)?;
//! let location = writer.append(&capture)?; // store `location` in the database
//! let stored = read_capture(dir, &location)?;
//! let body = stored.payload; // as received; redline_fetch::decode_body undoes its encoding
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]

mod capture;
mod error;
mod reader;
mod record;
mod writer;

pub use capture::{
    Capture, CaptureLocation, CapturedRequest, CapturedResponse, Conversion, StoredCapture,
};
pub use error::ArchiveError;
pub use reader::{Records, read_capture, read_conversion, records, stored_capture};
pub use record::{MAX_RECORD_BYTES, REFERS_TO_OFFSET, REVISIT_PROFILE, WarcRecord, sha1_digest};
pub use writer::{ArchiveWriter, DEFAULT_MAX_FILE_BYTES, MIN_REVISIT_PAYLOAD, RECENT_RESPONSES};

/// Re-exported: the type of [`CapturedResponse::body`].
pub use bytes::Bytes;
