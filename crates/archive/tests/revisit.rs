//! A capture whose payload was just written for the same URI (a
//! confirmation fetch) is a WARC/1.1 `revisit` record of that response,
//! profile identical-payload-digest: the records asserted whole, read back
//! through the revisit to the payload it refers to, and every way of not
//! being such a capture (another byte, another URI, another file, a small
//! payload, a conversion) written in full. A revisit that does not resolve
//! to the very record it names is an error, never another payload.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use redline_archive::{
    ArchiveError, ArchiveWriter, Bytes, Capture, CaptureLocation, CapturedRequest,
    CapturedResponse, Conversion, DEFAULT_MAX_FILE_BYTES, MIN_REVISIT_PAYLOAD, REVISIT_PROFILE,
    StoredCapture, WarcRecord, read_capture, records, sha1_digest, stored_capture,
};

/// A fresh directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "redline-archive-revisit-{name}-{}",
            std::process::id()
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

fn at(time: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(time)
        .unwrap()
        .with_timezone(&Utc)
}

/// A page of `size` bytes.
fn page(size: usize) -> Vec<u8> {
    let mut page = b"<html><body><p>The tram line opens on Monday.</p>".to_vec();
    page.resize(size, b'x');
    page
}

/// A fetch of `uri` at `time` answered with `body`; `cookie` tells the
/// fetches' headers apart.
fn fetch(uri: &str, time: &str, cookie: &str, body: Vec<u8>) -> Capture {
    let target = uri.trim_start_matches("https://news.example");
    Capture {
        target_uri: uri.to_string(),
        fetched_at: at(time),
        ip_address: Some("192.0.2.1".parse().unwrap()),
        request: CapturedRequest {
            method: "GET".into(),
            target: target.to_string(),
            version: "HTTP/1.1".into(),
            headers: vec![("Host".into(), b"news.example".to_vec())],
        },
        response: CapturedResponse {
            version: "HTTP/1.1".into(),
            status: 200,
            reason: "OK".into(),
            headers: vec![
                ("content-type".into(), b"text/html; charset=utf-8".to_vec()),
                ("set-cookie".into(), cookie.as_bytes().to_vec()),
                ("transfer-encoding".into(), b"chunked".to_vec()),
            ],
            body: Bytes::from(body),
        },
    }
}

const URI: &str = "https://news.example/tram";

fn all_records(path: &Path) -> Vec<WarcRecord> {
    records(path).unwrap().map(Result::unwrap).collect()
}

fn types(records: &[WarcRecord]) -> Vec<&str> {
    records.iter().map(|r| r.warc_type().unwrap()).collect()
}

fn fields(record: &WarcRecord) -> Vec<(&str, &str)> {
    record
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

#[test]
fn a_page_fetched_again_alike_is_a_revisit_of_the_first_response() {
    let dir = TempDir::new("whole");
    let mut writer = ArchiveWriter::open(&dir.0, DEFAULT_MAX_FILE_BYTES).unwrap();
    let first = fetch(URI, "2026-12-02T05:00:00.000001Z", "a=1", page(4000));
    let second = fetch(URI, "2026-12-02T05:00:00.250002Z", "a=2", page(4000));
    let first_at = writer.append(&first).unwrap();
    let second_at = writer.append(&second).unwrap();
    let path = dir.0.join(writer.current_file());
    let all = all_records(&path);
    assert_eq!(
        types(&all),
        ["warcinfo", "response", "request", "revisit", "request"]
    );
    let (info, response, revisit, request) = (&all[0], &all[1], &all[3], &all[4]);
    assert_eq!(
        (response.offset, response.length),
        (first_at.offset, first_at.length)
    );
    assert_eq!(
        (revisit.offset, revisit.length),
        (second_at.offset, second_at.length)
    );

    // The revisit record, every field: the second fetch's own date, the
    // first response named by id, URI, date and offset, the payload digest
    // of the payload it does not repeat.
    let block =
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\nset-cookie: a=2\r\n\r\n";
    let id = revisit.header("WARC-Record-ID").unwrap();
    assert!(id.starts_with("<urn:uuid:"), "{id}");
    assert_ne!(Some(id), response.header("WARC-Record-ID"));
    let offset = first_at.offset.to_string();
    let block_digest = sha1_digest(block.as_bytes());
    let payload_digest = sha1_digest(&page(4000));
    let length = block.len().to_string();
    assert_eq!(
        fields(revisit),
        [
            ("WARC-Type", "revisit"),
            ("WARC-Record-ID", id),
            ("WARC-Date", "2026-12-02T05:00:00.250002Z"),
            ("WARC-Target-URI", URI),
            ("WARC-IP-Address", "192.0.2.1"),
            ("WARC-Warcinfo-ID", info.header("WARC-Record-ID").unwrap()),
            ("WARC-Profile", REVISIT_PROFILE),
            ("WARC-Refers-To", response.header("WARC-Record-ID").unwrap()),
            ("WARC-Refers-To-Target-URI", URI),
            ("WARC-Refers-To-Date", "2026-12-02T05:00:00.000001Z"),
            ("Redline-Refers-To-Offset", offset.as_str()),
            ("WARC-Block-Digest", block_digest.as_str()),
            ("WARC-Payload-Digest", payload_digest.as_str()),
            ("Content-Type", "application/http;msgtype=response"),
            ("Content-Length", length.as_str()),
        ]
    );
    assert_eq!(String::from_utf8_lossy(&revisit.block), block);
    assert_eq!(
        response.header("WARC-Payload-Digest"),
        Some(&*payload_digest)
    );
    // Its request record follows, concurrent to it.
    assert_eq!(
        fields(request)
            .into_iter()
            .filter(|(n, _)| *n != "WARC-Record-ID")
            .collect::<Vec<_>>(),
        [
            ("WARC-Type", "request"),
            ("WARC-Date", "2026-12-02T05:00:00.250002Z"),
            ("WARC-Target-URI", URI),
            ("WARC-IP-Address", "192.0.2.1"),
            ("WARC-Concurrent-To", id),
            ("WARC-Warcinfo-ID", info.header("WARC-Record-ID").unwrap()),
            (
                "WARC-Block-Digest",
                sha1_digest(b"GET /tram HTTP/1.1\r\nHost: news.example\r\n\r\n").as_str()
            ),
            ("WARC-Payload-Digest", sha1_digest(b"").as_str()),
            ("Content-Type", "application/http;msgtype=request"),
            ("Content-Length", "42"),
        ]
    );
    // The payload was not written twice: the revisit is a small member.
    assert!(second_at.length < 600, "{second_at:?}");

    // Read back, the revisit is the second fetch with the first's payload.
    let expected = StoredCapture {
        warc_headers: revisit.headers.clone(),
        target_uri: URI.into(),
        fetched_at: at("2026-12-02T05:00:00.250002Z"),
        record_id: id.to_string(),
        ip_address: Some("192.0.2.1".parse().unwrap()),
        http_version: "HTTP/1.1".into(),
        status: 200,
        reason: "OK".into(),
        headers: vec![
            ("content-type".into(), b"text/html; charset=utf-8".to_vec()),
            ("set-cookie".into(), b"a=2".to_vec()),
        ],
        payload: page(4000),
    };
    assert_eq!(read_capture(&dir.0, &second_at).unwrap(), expected);
    assert_eq!(stored_capture(&path, revisit).unwrap(), expected);
    assert_eq!(read_capture(&dir.0, &first_at).unwrap().payload, page(4000));
}

#[test]
fn a_revisit_refers_to_the_latest_response_with_that_payload() {
    let dir = TempDir::new("latest");
    let mut writer = ArchiveWriter::open(&dir.0, DEFAULT_MAX_FILE_BYTES).unwrap();
    let mut other = page(3000);
    other[20] = b'X';
    let times = [
        "2026-12-02T05:00:01Z",
        "2026-12-02T05:00:02Z",
        "2026-12-02T05:00:03Z",
        "2026-12-02T05:00:04Z",
    ];
    let bodies = [page(3000), other.clone(), page(3000), other];
    let locations: Vec<CaptureLocation> = times
        .iter()
        .zip(bodies.clone())
        .map(|(time, body)| writer.append(&fetch(URI, time, "a=1", body)).unwrap())
        .collect();
    let all = all_records(&dir.0.join(writer.current_file()));
    assert_eq!(
        types(&all),
        [
            "warcinfo", "response", "request", "response", "request", "revisit", "request",
            "revisit", "request"
        ]
    );
    // The third fetch came back to the first page, the fourth to the second.
    let refers = |record: &WarcRecord| {
        (
            record.header("WARC-Refers-To").unwrap().to_string(),
            record.header("WARC-Refers-To-Date").unwrap().to_string(),
        )
    };
    let id = |record: &WarcRecord| record.header("WARC-Record-ID").unwrap().to_string();
    assert_eq!(
        refers(&all[5]),
        (id(&all[1]), "2026-12-02T05:00:01.000000Z".into())
    );
    assert_eq!(
        refers(&all[7]),
        (id(&all[3]), "2026-12-02T05:00:02.000000Z".into())
    );
    for (location, body) in locations.iter().zip(&bodies) {
        assert_eq!(&read_capture(&dir.0, location).unwrap().payload, body);
    }
}

#[test]
fn what_is_not_the_same_payload_of_the_same_uri_in_the_same_file_is_written_in_full() {
    let dir = TempDir::new("full");
    let mut writer = ArchiveWriter::open(&dir.0, DEFAULT_MAX_FILE_BYTES).unwrap();
    let time = "2026-12-02T05:00:00Z";
    let mut one_byte_off = page(4000);
    one_byte_off[3999] = b'y';
    let small = page(MIN_REVISIT_PAYLOAD - 1);
    let conversion = Conversion {
        converted_at: at(time),
        content_type: "text/html; charset=utf-8".into(),
        body: Bytes::from_static(b"<html><body><p>rendered</p></body></html>"),
    };
    let other_uri = "https://news.example/bus";
    writer.append(&fetch(URI, time, "a=1", page(4000))).unwrap();
    // Another byte; another URI; a small payload, twice; a conversion.
    writer
        .append(&fetch(URI, time, "a=1", one_byte_off))
        .unwrap();
    writer
        .append(&fetch(other_uri, time, "a=1", page(4000)))
        .unwrap();
    writer
        .append(&fetch(URI, time, "a=1", small.clone()))
        .unwrap();
    writer.append(&fetch(URI, time, "a=1", small)).unwrap();
    writer
        .append_converted(&fetch(other_uri, time, "a=1", page(4000)), &conversion)
        .unwrap();
    let all = all_records(&dir.0.join(writer.current_file()));
    let mut expected = vec!["warcinfo"];
    for _ in 0..5 {
        expected.extend(["response", "request"]);
    }
    expected.extend(["response", "request", "conversion"]);
    assert_eq!(types(&all), expected);

    // A file never refers to another: after a rotation the same page is
    // written in full again.
    let dir = TempDir::new("rotated");
    let mut writer = ArchiveWriter::open(&dir.0, 1).unwrap();
    let a = writer.append(&fetch(URI, time, "a=1", page(4000))).unwrap();
    let b = writer.append(&fetch(URI, time, "a=1", page(4000))).unwrap();
    assert_ne!(a.file, b.file);
    for location in [&a, &b] {
        assert_eq!(
            types(&all_records(&dir.0.join(&location.file))),
            ["warcinfo", "response", "request"]
        );
    }
}

/// A gzip member of one record.
fn member(headers: &[(&str, String)], block: &[u8]) -> Vec<u8> {
    let mut record = b"WARC/1.1\r\n".to_vec();
    for (name, value) in headers {
        record.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    record.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    record.extend_from_slice(block);
    record.extend_from_slice(b"\r\n\r\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&record).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_revisit_that_does_not_resolve_to_the_record_it_names_is_an_error() {
    let dir = TempDir::new("unresolved");
    std::fs::create_dir_all(&dir.0).unwrap();
    let payload = page(2000);
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n".to_vec();
    let mut block = head.clone();
    block.extend_from_slice(&payload);
    let response = member(
        &[
            ("WARC-Type", "response".into()),
            ("WARC-Record-ID", "<urn:uuid:first>".into()),
            ("WARC-Date", "2026-12-02T05:00:00Z".into()),
            ("WARC-Target-URI", URI.into()),
            ("WARC-Block-Digest", sha1_digest(&block)),
            ("WARC-Payload-Digest", sha1_digest(&payload)),
        ],
        &block,
    );
    let revisit = |changes: &[(&str, &str)]| {
        let mut headers: Vec<(&str, String)> = vec![
            ("WARC-Type", "revisit".into()),
            ("WARC-Record-ID", "<urn:uuid:second>".into()),
            ("WARC-Date", "2026-12-02T05:00:01Z".into()),
            ("WARC-Target-URI", URI.into()),
            ("WARC-Profile", REVISIT_PROFILE.into()),
            ("WARC-Refers-To", "<urn:uuid:first>".into()),
            ("Redline-Refers-To-Offset", "0".into()),
            ("WARC-Block-Digest", sha1_digest(&head)),
            ("WARC-Payload-Digest", sha1_digest(&payload)),
        ];
        for (name, value) in changes {
            headers.retain(|(n, _)| n != name);
            if !value.is_empty() {
                headers.push((name, value.to_string()));
            }
        }
        member(&headers, &head)
    };
    // The file: the response, then the revisit; the revisit's location.
    let read = |revisit: Vec<u8>, damage_response: bool| {
        let mut response = response.clone();
        if damage_response {
            let middle = response.len() / 2;
            response[middle] ^= 0x55;
        }
        let location = CaptureLocation {
            file: "crafted.warc.gz".into(),
            offset: response.len() as u64,
            length: revisit.len() as u64,
        };
        let mut file = response;
        file.extend_from_slice(&revisit);
        std::fs::write(dir.0.join(&location.file), file).unwrap();
        read_capture(&dir.0, &location)
    };

    // Resolved: the crafted file is right.
    assert_eq!(read(revisit(&[]), false).unwrap().payload, payload);

    let detail = |result: Result<StoredCapture, ArchiveError>| match result {
        Err(ArchiveError::Revisit { offset, detail, .. }) => {
            assert_eq!(offset, response.len() as u64);
            detail
        }
        other => panic!("not a revisit error: {other:?}"),
    };
    let not_modified = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";
    assert_eq!(
        detail(read(revisit(&[("WARC-Profile", not_modified)]), false)),
        format!("its profile is {not_modified:?}; only {REVISIT_PROFILE} is read")
    );
    assert_eq!(
        detail(read(
            revisit(&[("WARC-Refers-To", "<urn:uuid:other>")]),
            false
        )),
        "the record at offset 0 is not the response <urn:uuid:other>"
    );
    assert_eq!(
        detail(read(
            revisit(&[("WARC-Payload-Digest", "sha1:AAAA")]),
            false
        )),
        "the response <urn:uuid:first> has another payload digest than sha1:AAAA"
    );
    assert_eq!(
        detail(read(revisit(&[("Redline-Refers-To-Offset", "")]), false)),
        "it has no Redline-Refers-To-Offset"
    );
    let beyond = response.len().to_string();
    assert_eq!(
        detail(read(
            revisit(&[("Redline-Refers-To-Offset", &beyond)]),
            false
        )),
        format!("Redline-Refers-To-Offset \"{beyond}\" is not an earlier offset")
    );
    assert!(
        detail(read(revisit(&[("Redline-Refers-To-Offset", "7")]), false))
            .starts_with("the record at offset 7: the WARC file "),
    );
    // The response it refers to damaged: an error, whatever the damage.
    let err = read(revisit(&[]), true).unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::Revisit { .. }
                | ArchiveError::Corrupt { .. }
                | ArchiveError::DigestMismatch { .. }
        ),
        "{err:?}"
    );
    let message = read(revisit(&[("WARC-Refers-To", "<urn:uuid:other>")]), false)
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        format!(
            "the revisit record at offset {} of {} cannot be resolved to the response holding \
             its payload: the record at offset 0 is not the response <urn:uuid:other>",
            response.len(),
            dir.0.join("crafted.warc.gz").display()
        )
    );
}
