//! [`ArchiveError`]: what went wrong writing or reading WARC files, said so
//! that an operator reading a log knows what to check.

use std::io;
use std::path::PathBuf;

/// Errors of the archive.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    #[error(
        "could not create the archive directory {}: {source}; check that the parent exists, \
         its permissions and free space",
        .dir.display()
    )]
    CreateDir { dir: PathBuf, source: io::Error },

    #[error(
        "could not create the WARC file {}: {source}; check the archive directory's \
         permissions and free space",
        .path.display()
    )]
    CreateFile { path: PathBuf, source: io::Error },

    #[error(
        "could not write to the WARC file {}: {source}; this capture was not archived — \
         check free space",
        .path.display()
    )]
    Write { path: PathBuf, source: io::Error },

    #[error("could not flush the WARC file {} to disk: {source}", .path.display())]
    Sync { path: PathBuf, source: io::Error },

    #[error(
        "the capture of {uri} makes a {size}-byte WARC record, more than the {limit}-byte \
         limit of redline's archive; it was not archived"
    )]
    RecordTooLarge { uri: String, size: u64, limit: u64 },

    #[error("{file:?} is not a WARC file name of this archive: {reason}")]
    BadLocation { file: String, reason: String },

    #[error("could not read the WARC file {}: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },

    #[error(
        "the WARC file {} ends in the middle of the record at offset {offset} (probably a \
         crash while it was written); the records before it are intact",
        .path.display()
    )]
    Truncated { path: PathBuf, offset: u64 },

    #[error(
        "the WARC file {} is corrupt at offset {offset}: {detail}",
        .path.display()
    )]
    Corrupt {
        path: PathBuf,
        offset: u64,
        detail: String,
    },

    #[error(
        "the record at offset {offset} of {} is a {warc_type:?} record, not a response; \
         the capture location is wrong",
        .path.display()
    )]
    NotAResponse {
        path: PathBuf,
        offset: u64,
        warc_type: String,
    },

    #[error(
        "the revisit record at offset {offset} of {} cannot be resolved to the response \
         holding its payload: {detail}",
        .path.display()
    )]
    Revisit {
        path: PathBuf,
        offset: u64,
        detail: String,
    },

    #[error(
        "the record at offset {offset} of {} does not match its digest (stored {expected}, \
         computed {actual}); the file was damaged after it was written",
        .path.display()
    )]
    DigestMismatch {
        path: PathBuf,
        offset: u64,
        expected: String,
        actual: String,
    },
}

impl ArchiveError {
    /// True when writing failed because the disk is full, over quota or
    /// read-only: conditions an operator fixes, after which the same write
    /// succeeds. The crawler pauses on these instead of dropping captures.
    pub fn is_storage_full(&self) -> bool {
        let source = match self {
            ArchiveError::CreateDir { source, .. }
            | ArchiveError::CreateFile { source, .. }
            | ArchiveError::Write { source, .. }
            | ArchiveError::Sync { source, .. } => source,
            _ => return false,
        };
        matches!(
            source.kind(),
            io::ErrorKind::StorageFull
                | io::ErrorKind::QuotaExceeded
                | io::ErrorKind::ReadOnlyFilesystem
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_or_read_only_disk_is_recognised() {
        let write = |kind: io::ErrorKind| ArchiveError::Write {
            path: "x.warc.gz".into(),
            source: io::Error::from(kind),
        };
        assert!(write(io::ErrorKind::StorageFull).is_storage_full());
        assert!(write(io::ErrorKind::ReadOnlyFilesystem).is_storage_full());
        assert!(!write(io::ErrorKind::BrokenPipe).is_storage_full());
        let enospc = ArchiveError::Write {
            path: "x".into(),
            source: io::Error::from_raw_os_error(28),
        };
        assert!(enospc.is_storage_full(), "ENOSPC maps to StorageFull");
    }
}
