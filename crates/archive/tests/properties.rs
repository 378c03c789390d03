//! Property tests for the archive: arbitrary captures written with
//! `ArchiveWriter` read back equal (by location and by iterating the file);
//! hostile strings (CR, LF, colons) cannot forge headers or records; a file
//! cut short or damaged anywhere yields its intact records and at most one
//! error, never a panic. The fuzz target `warc` (see TESTING.md) reads
//! arbitrary files for longer.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use redline_archive::{
    ArchiveWriter, Bytes, Capture, CaptureLocation, CapturedRequest, CapturedResponse,
    read_capture, records, stored_capture,
};

/// `cases` cases, or `PROPTEST_CASES` when it is set (for longer runs).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "redline-archive-props-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

// ---- captures as the fetcher makes them ----------------------------------------

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    // 1970 to 9999: WARC-Date is a four-digit-year RFC 3339 time with
    // microseconds.
    (0i64..253_402_300_799_999_999)
        .prop_map(|us| DateTime::from_timestamp_micros(us).expect("in range"))
}

fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}",
        1 => prop::sample::select(&[
            "Content-Type", "content-encoding", "Set-Cookie", "Transfer-Encoding",
            "transfer-encoding", "Location", "ETag",
        ][..]).prop_map(str::to_string),
    ]
}

/// A header value as an HTTP client hands it over: no CR, LF or other
/// control bytes but tab, any other byte (obs-text included).
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop_oneof![Just(b'\t'), 0x20u8..0x7f, 0x80u8..=0xff], 0..40)
}

fn headers() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    prop::collection::vec((header_name(), header_value()), 0..8)
}

fn capture() -> impl Strategy<Value = Capture> {
    (
        "https?://[a-z0-9.-]{1,20}(:[0-9]{1,5})?/[!-;=?-~]{0,40}",
        time(),
        prop::option::of(any::<IpAddr>()),
        (
            "GET|HEAD|[A-Z]{1,7}",
            "/[!-~]{0,30}",
            "HTTP/1\\.[01]|HTTP/2",
            headers(),
        ),
        (
            "HTTP/1\\.[01]|HTTP/2(\\.0)?",
            any::<u16>(),
            "\\PC{0,20}",
            headers(),
            prop::collection::vec(any::<u8>(), 0..3000),
        ),
    )
        .prop_map(
            |(target_uri, fetched_at, ip_address, request, response)| Capture {
                target_uri,
                fetched_at,
                ip_address,
                request: CapturedRequest {
                    method: request.0,
                    target: request.1,
                    version: request.2,
                    headers: request.3,
                },
                response: CapturedResponse {
                    version: response.0,
                    status: response.1,
                    reason: response.2,
                    headers: response.3,
                    body: Bytes::from(response.4),
                },
            },
        )
}

/// The response headers as stored: `Transfer-Encoding` dropped (the body
/// is stored de-chunked), surrounding whitespace gone as an HTTP parser
/// would have removed it.
fn stored_headers(headers: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    headers
        .iter()
        .filter(|(n, _)| !n.eq_ignore_ascii_case("transfer-encoding"))
        .map(|(n, v)| (n.clone(), v.trim_ascii().to_vec()))
        .collect()
}

/// The request block as the writer stores it.
fn request_block(req: &CapturedRequest) -> Vec<u8> {
    let mut out = format!("{} {} {}\r\n", req.method, req.target, req.version).into_bytes();
    for (name, value) in &req.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

fn write_all(dir: &Path, captures: &[Capture], max_file_bytes: u64) -> Vec<CaptureLocation> {
    let mut writer = ArchiveWriter::open(dir, max_file_bytes).expect("open the archive");
    captures
        .iter()
        .map(|c| writer.append(c).expect("append"))
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("archive directory")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn captures_read_back_equal(
        captures in prop::collection::vec(capture(), 1..5),
        max_file_bytes in prop_oneof![Just(1u64), Just(4096), Just(1 << 30)],
    ) {
        let dir = TempDir::new();
        let locations = write_all(&dir.0, &captures, max_file_bytes);

        // By location.
        for (capture, location) in captures.iter().zip(&locations) {
            let stored = read_capture(&dir.0, location).expect("read back");
            prop_assert_eq!(&stored.target_uri, &capture.target_uri);
            prop_assert_eq!(stored.fetched_at, capture.fetched_at);
            prop_assert_eq!(stored.ip_address, capture.ip_address);
            prop_assert_eq!(&stored.http_version, &capture.response.version);
            prop_assert_eq!(stored.status, capture.response.status);
            prop_assert_eq!(&stored.reason, &capture.response.reason);
            prop_assert_eq!(stored.headers, stored_headers(&capture.response.headers));
            prop_assert_eq!(&stored.payload[..], &capture.response.body[..]);
        }

        // By iterating every file: a warcinfo record, then a response and
        // a request record per capture, in order.
        let mut expected = captures.iter().zip(&locations);
        let mut seen = 0;
        for path in files(&dir.0) {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let all: Vec<_> = records(&path).expect("open").collect::<Result<_, _>>()
                .expect("every record reads");
            prop_assert_eq!(all[0].warc_type(), Some("warcinfo"));
            prop_assert_eq!(all.len() % 2, 1);
            for pair in all[1..].chunks(2) {
                let (capture, location) = expected.next().expect("no extra records");
                let (response, request) = (&pair[0], &pair[1]);
                prop_assert_eq!(&name, &location.file);
                prop_assert_eq!((response.offset, response.length), (location.offset, location.length));
                let stored = stored_capture(&path, response).expect("a response");
                prop_assert_eq!(&stored.payload[..], &capture.response.body[..]);
                prop_assert_eq!(request.warc_type(), Some("request"));
                prop_assert_eq!(request.header("WARC-Concurrent-To"), response.header("WARC-Record-ID"));
                prop_assert_eq!(&request.block, &request_block(&capture.request));
                seen += 1;
            }
        }
        prop_assert_eq!(seen, captures.len());
    }

    /// CR and LF in a URI, a reason phrase or a header cannot add a header
    /// or a record, nor move the body.
    #[test]
    fn hostile_strings_cannot_forge_headers_or_records(
        target_uri in "(\\PC|[\r\n:<>]){0,40}",
        reason in "(\\PC|[\r\n:]){0,20}",
        headers in prop::collection::vec(
            ("(\\PC|[\r\n:]){0,12}", prop::collection::vec(any::<u8>(), 0..30)),
            0..6,
        ),
        body in prop::collection::vec(any::<u8>(), 0..500),
    ) {
        let injected = "\r\n\r\nWARC/1.1\r\nWARC-Type: response\r\nContent-Length: 0\r\n\r\n";
        let capture = Capture {
            target_uri: format!("{target_uri}{injected}"),
            fetched_at: Utc::now(),
            ip_address: None,
            request: CapturedRequest {
                method: format!("GET{injected}"),
                target: format!("/a b{injected}"),
                version: "HTTP/1.1".into(),
                headers: headers.clone(),
            },
            response: CapturedResponse {
                version: "HTTP/1.1".into(),
                status: 200,
                reason: format!("{reason}{injected}"),
                headers: headers.clone(),
                body: Bytes::from(body.clone()),
            },
        };
        let dir = TempDir::new();
        let location = &write_all(&dir.0, std::slice::from_ref(&capture), 1 << 30)[0];
        let stored = read_capture(&dir.0, location).expect("read back");
        prop_assert_eq!(&stored.payload, &body);
        prop_assert_eq!(stored.status, 200);
        prop_assert!(!stored.target_uri.contains(['\r', '\n']));
        prop_assert!(!stored.reason.contains(['\r', '\n']));
        let kept = headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("transfer-encoding")).count();
        prop_assert_eq!(stored.headers.len(), kept, "a header was forged or lost");
        prop_assert_eq!(stored.warc_headers.iter().filter(|(n, _)| n == "WARC-Type").count(), 1);
        let all: Vec<_> = records(&dir.0.join(&location.file)).unwrap().collect();
        prop_assert_eq!(all.len(), 3, "a record was forged");
        prop_assert!(all.iter().all(Result::is_ok));
    }

    /// A file cut anywhere (a crash mid-write) or with a damaged byte
    /// yields records, then at most one error, then ends; the records
    /// wholly before the damage read back as they were written.
    #[test]
    fn a_cut_or_damaged_file_keeps_its_intact_records(
        captures in prop::collection::vec(capture(), 1..4),
        cut in any::<prop::sample::Index>(),
        damage in prop::option::of((any::<prop::sample::Index>(), any::<u8>())),
    ) {
        let dir = TempDir::new();
        let locations = write_all(&dir.0, &captures, 1 << 30);
        let path = dir.0.join(&locations[0].file);
        let mut bytes = std::fs::read(&path).unwrap();
        let cut = cut.index(bytes.len() + 1);
        bytes.truncate(cut);
        let damaged_at = match damage {
            Some((at, byte)) if !bytes.is_empty() => {
                let at = at.index(bytes.len());
                bytes[at] ^= byte.max(1);
                at
            }
            _ => bytes.len(),
        };
        std::fs::write(&path, &bytes).unwrap();

        let mut errors = 0;
        let mut end = 0;
        for item in records(&path).unwrap() {
            match item {
                Ok(record) => {
                    prop_assert_eq!(record.offset, end);
                    end = record.offset + record.length;
                    prop_assert!(end as usize <= bytes.len());
                }
                Err(_) => errors += 1,
            }
            prop_assert!(errors <= 1);
        }
        for (capture, location) in captures.iter().zip(&locations) {
            let result = read_capture(&dir.0, location);
            if ((location.offset + location.length) as usize) <= damaged_at {
                let stored = result.expect("an intact record reads");
                prop_assert_eq!(&stored.payload[..], &capture.response.body[..]);
            }
        }
    }
}
