//! The archive reader over an arbitrary file (the input, written to a
//! scratch directory): `records` iterates to an end, yielding records and
//! errors; each response record is turned into a capture; `read_capture` reads every record's
//! location, the same locations shifted and stretched, a location taken
//! from the input's first 16 bytes, and file names it must refuse.
//! Errors are expected; panics, hangs and allocations beyond the caps are
//! bugs.
//!
//! Input: a file as it is, when it starts like gzip (`1f 8b`); otherwise
//! uncompressed records separated by `SEPARATOR`, each compressed into a
//! gzip member here, so that the fuzzer can reach the WARC and HTTP
//! parsing behind the gzip checksums.
#![no_main]

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use libfuzzer_sys::fuzz_target;
use redline_archive::{CaptureLocation, MAX_RECORD_BYTES, read_capture, records, stored_capture};
use redline_fuzz::scratch_dir;

const FILE: &str = "fuzz.warc.gz";

const SEPARATOR: &[u8] = b"\n=====\n";

/// The file to read: the input, or its pieces gzipped one by one.
fn file_bytes(data: &[u8]) -> Vec<u8> {
    if data.starts_with(&[0x1f, 0x8b]) {
        return data.to_vec();
    }
    let mut out = Vec::new();
    let mut rest = data;
    loop {
        let (piece, next) = match rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
            Some(i) => (&rest[..i], Some(&rest[i + SEPARATOR.len()..])),
            None => (rest, None),
        };
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(piece).expect("write to a Vec");
        out.extend(gz.finish().expect("finish a Vec"));
        match next {
            Some(next) => rest = next,
            None => return out,
        }
    }
}

fn location(file: &str, offset: u64, length: u64) -> CaptureLocation {
    CaptureLocation {
        file: file.to_string(),
        offset,
        length,
    }
}

fuzz_target!(|input: &[u8]| {
    let bytes = file_bytes(input);
    let data = &bytes[..];
    let dir = scratch_dir();
    let path = dir.join(FILE);
    std::fs::write(&path, data).expect("write the fuzzed file");
    let len = data.len() as u64;

    let mut locations = Vec::new();
    // Records follow each other; a member that decompresses but holds no
    // valid record is an error item and the iteration goes on after it,
    // while a member that does not decompress (cut short, corrupt) ends it.
    let mut end = 0;
    let mut items = 0;
    let mut clean = true;
    for item in records(&path).expect("the file exists") {
        items += 1;
        // A gzip member is at least 18 bytes: the iteration always advances.
        assert!(items <= data.len() / 18 + 1, "more items than members fit");
        match item {
            Ok(record) => {
                if clean {
                    assert_eq!(record.offset, end, "records are contiguous");
                } else {
                    assert!(record.offset >= end, "a record went backwards");
                }
                end = record.offset + record.length;
                assert!(end <= len, "a record past the end of the file");
                if let Ok(capture) = stored_capture(&path, &record) {
                    assert!(capture.payload.len() <= record.block.len());
                }
                let (o, l) = (record.offset, record.length);
                locations.extend([
                    location(FILE, o, l),
                    location(FILE, o, l.saturating_sub(1)),
                    location(FILE, o + 1, l),
                    location(FILE, o, l + 1),
                    location(FILE, o, len - o),
                ]);
            }
            Err(_) => clean = false,
        }
    }
    if let Some(head) = data.get(..16) {
        let offset = u64::from_le_bytes(head[..8].try_into().unwrap());
        let length = u64::from_le_bytes(head[8..].try_into().unwrap());
        locations.push(location(FILE, offset % (len + 2), length % (len + 2)));
        locations.push(location(FILE, offset, length));
    }
    locations.extend([
        location(FILE, 0, 0),
        location(FILE, 0, len),
        location(FILE, len, 1),
        location(FILE, u64::MAX, 1),
        location(FILE, 0, MAX_RECORD_BYTES + 1),
        location(FILE, 0, u64::MAX),
    ]);
    for location in locations.iter().take(100) {
        if let Ok(capture) = read_capture(dir, location) {
            // A record is at most MAX_RECORD_BYTES decompressed.
            assert!(capture.payload.len() as u64 <= MAX_RECORD_BYTES);
        }
    }
    for bad in [
        "",
        ".",
        "..",
        "../fuzz.warc.gz",
        "/etc/passwd",
        "a\0b",
        "a\\b",
    ] {
        assert!(
            read_capture(dir, &location(bad, 0, len)).is_err(),
            "{bad:?} accepted"
        );
    }
});
