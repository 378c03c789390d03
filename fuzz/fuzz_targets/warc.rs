//! The archive reader over an arbitrary file (the input, written to a
//! scratch directory): `records` iterates to an end, yielding records and
//! at most one error; each response record is turned into a capture and
//! its payload decoded with a cap; `read_capture` reads every record's
//! location, the same locations shifted and stretched, a location taken
//! from the input's first 16 bytes, and file names it must refuse.
//! Errors are expected; panics, hangs and allocations beyond the caps are
//! bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_archive::{CaptureLocation, MAX_RECORD_BYTES, read_capture, records, stored_capture};
use redline_fuzz::scratch_dir;

/// Cap on decoded payloads in this target (the crawler's default body cap
/// is 10 MB; smaller keeps the fuzzer fast).
const DECODE_LIMIT: u64 = 1 << 20;

const FILE: &str = "fuzz.warc.gz";

fn location(file: &str, offset: u64, length: u64) -> CaptureLocation {
    CaptureLocation {
        file: file.to_string(),
        offset,
        length,
    }
}

fuzz_target!(|data: &[u8]| {
    let dir = scratch_dir();
    let path = dir.join(FILE);
    std::fs::write(&path, data).expect("write the fuzzed file");
    let len = data.len() as u64;

    let mut locations = Vec::new();
    let mut errors = 0;
    let mut end = 0;
    for item in records(&path).expect("the file exists") {
        match item {
            Ok(record) => {
                assert_eq!(record.offset, end, "records are contiguous");
                end = record.offset + record.length;
                assert!(end <= len, "a record past the end of the file");
                if let Ok(capture) = stored_capture(&path, &record)
                    && let Ok(payload) = capture.decoded_payload(DECODE_LIMIT)
                {
                    assert!(payload.len() as u64 <= DECODE_LIMIT);
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
            Err(_) => errors += 1,
        }
        assert!(errors <= 1, "the iteration goes on after an error");
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
        if let Ok(capture) = read_capture(dir, location)
            && let Ok(payload) = capture.decoded_payload(DECODE_LIMIT)
        {
            assert!(payload.len() as u64 <= DECODE_LIMIT);
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
