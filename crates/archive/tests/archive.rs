//! Writing and reading WARC files, checked against an independent reading of
//! the bytes (flate2 member by member, our own header parsing, sha1 recomputed).

use std::collections::HashSet;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use redline_archive::{
    ArchiveError, ArchiveWriter, Bytes, Capture, CaptureLocation, CapturedRequest,
    CapturedResponse, read_capture, records,
};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "redline-archive-test-{name}-{}-{}",
        std::process::id(),
        uuid_like()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn capture(i: usize) -> Capture {
    let html = format!(
        "<html><p>article {i}</p>{}</html>",
        "lorem ipsum ".repeat(i * 20)
    );
    let gzipped = i % 2 == 1;
    let mut headers = vec![
        (
            "content-type".to_string(),
            b"text/html; charset=utf-8".to_vec(),
        ),
        ("set-cookie".to_string(), format!("a={i}").into_bytes()),
        ("set-cookie".to_string(), b"b=2".to_vec()),
    ];
    if gzipped {
        headers.push(("content-encoding".to_string(), b"gzip".to_vec()));
        headers.push(("transfer-encoding".to_string(), b"chunked".to_vec()));
    }
    Capture {
        target_uri: format!("https://news.example/articles/{i}?ref=feed"),
        fetched_at: chrono::Utc::now(),
        ip_address: if i.is_multiple_of(3) {
            None
        } else {
            Some("192.0.2.1".parse().unwrap())
        },
        request: CapturedRequest {
            method: "GET".into(),
            target: format!("/articles/{i}?ref=feed"),
            version: "HTTP/1.1".into(),
            headers: vec![
                ("Host".into(), b"news.example".to_vec()),
                ("User-Agent".into(), b"redline/0.1".to_vec()),
                ("Accept-Encoding".into(), b"gzip, deflate, br".to_vec()),
            ],
        },
        response: CapturedResponse {
            version: "HTTP/1.1".into(),
            status: if i == 4 { 404 } else { 200 },
            reason: if i == 4 {
                "Not Found".into()
            } else {
                "OK".into()
            },
            headers,
            body: Bytes::from(if gzipped {
                gzip(html.as_bytes())
            } else {
                html.into_bytes()
            }),
        },
    }
}

fn html_of(i: usize) -> Vec<u8> {
    format!(
        "<html><p>article {i}</p>{}</html>",
        "lorem ipsum ".repeat(i * 20)
    )
    .into_bytes()
}

#[test]
fn writer_can_move_to_a_writer_thread() {
    fn sendable<T: Send + 'static>() {}
    sendable::<ArchiveWriter>();
    sendable::<Capture>();
}

#[test]
fn captures_round_trip_across_rotated_files() {
    let dir = temp_dir("roundtrip");
    let mut writer = ArchiveWriter::open(&dir, 2048).unwrap();
    let mut locations = Vec::new();
    for i in 0..10 {
        let location = writer.append(&capture(i)).unwrap();
        // Readable at once, while the writer is still open: nothing is
        // left in a user-space buffer.
        let stored = read_capture(&dir, &location).unwrap();
        assert_eq!(stored.target_uri, capture(i).target_uri);
        locations.push(location);
    }
    let files: HashSet<&str> = locations.iter().map(|l| l.file.as_str()).collect();
    assert!(files.len() >= 3, "tiny max size must rotate: {files:?}");

    for (i, location) in locations.iter().enumerate() {
        let original = capture(i);
        let stored = read_capture(&dir, location).unwrap();
        assert_eq!(stored.status, original.response.status);
        assert_eq!(stored.reason, original.response.reason);
        assert_eq!(stored.http_version, "HTTP/1.1");
        assert_eq!(
            stored.payload,
            original.response.body.as_ref(),
            "raw payload as stored"
        );
        assert_eq!(decoded(&stored, 1 << 20).unwrap(), html_of(i));
        assert_eq!(stored.ip_address, original.ip_address);
        let expected_headers: Vec<(String, Vec<u8>)> = original
            .response
            .headers
            .iter()
            .filter(|(n, _)| n != "transfer-encoding")
            .cloned()
            .collect();
        assert_eq!(
            stored.headers, expected_headers,
            "order and duplicates kept, TE dropped"
        );
        assert!(stored.record_id.starts_with("<urn:uuid:"));
        // The location survives a trip through the database as JSON.
        let json = serde_json::to_string(location).unwrap();
        assert_eq!(
            &serde_json::from_str::<CaptureLocation>(&json).unwrap(),
            location
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// One gzip member of a file, decoded independently of the crate.
struct Member {
    offset: u64,
    length: u64,
    data: Vec<u8>,
}

fn members(path: &Path) -> Vec<Member> {
    let bytes = std::fs::read(path).unwrap();
    let mut input = &bytes[..];
    let mut out = Vec::new();
    while !input.is_empty() {
        let before = input.len();
        let mut data = Vec::new();
        flate2::bufread::GzDecoder::new(&mut input)
            .read_to_end(&mut data)
            .unwrap();
        let offset = (bytes.len() - before) as u64;
        out.push(Member {
            offset,
            length: (before - input.len()) as u64,
            data,
        });
    }
    // The whole file is also one valid multi-member gzip stream (zcat works).
    let mut all = Vec::new();
    flate2::read::MultiGzDecoder::new(&bytes[..])
        .read_to_end(&mut all)
        .unwrap();
    assert_eq!(all.len(), out.iter().map(|m| m.data.len()).sum::<usize>());
    out
}

/// Parses one record by hand: (headers, block), checking the framing.
fn parse(data: &[u8]) -> (Vec<(String, String)>, Vec<u8>) {
    let end = data.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&data[..end]).unwrap();
    let mut lines = head.split("\r\n");
    assert_eq!(lines.next(), Some("WARC/1.1"));
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(": ").unwrap();
            (n.to_string(), v.to_string())
        })
        .collect();
    let len: usize = get(&headers, "Content-Length").parse().unwrap();
    let block = data[end + 4..end + 4 + len].to_vec();
    assert_eq!(
        &data[end + 4 + len..],
        b"\r\n\r\n",
        "record ends with two CRLFs"
    );
    (headers, block)
}

fn get<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {headers:?}"))
}

fn sha1_b32(data: &[u8]) -> String {
    use sha1::Digest;
    format!(
        "sha1:{}",
        data_encoding::BASE32.encode(&sha1::Sha1::digest(data))
    )
}

#[test]
fn files_are_standard_warc_gz_member_by_member() {
    let dir = temp_dir("members");
    let mut writer = ArchiveWriter::open(&dir, 4096).unwrap();
    let locations: Vec<CaptureLocation> = (0..6)
        .map(|i| writer.append(&capture(i)).unwrap())
        .collect();
    drop(writer);

    let mut ids = HashSet::new();
    let mut seen_locations = 0;
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in &names {
        assert!(
            name.starts_with("redline-") && name.ends_with(".warc.gz"),
            "{name}"
        );
        let members = members(&dir.join(name));
        // warcinfo first, then response/request pairs.
        let (info, info_block) = parse(&members[0].data);
        assert_eq!(get(&info, "WARC-Type"), "warcinfo");
        assert_eq!(get(&info, "WARC-Filename"), name);
        assert_eq!(get(&info, "Content-Type"), "application/warc-fields");
        assert!(
            String::from_utf8(info_block)
                .unwrap()
                .contains("format: WARC File Format 1.1")
        );
        let info_id = get(&info, "WARC-Record-ID").to_string();
        assert_eq!((members.len() - 1) % 2, 0);

        for pair in members[1..].chunks(2) {
            let (resp, resp_block) = parse(&pair[0].data);
            let (req, req_block) = parse(&pair[1].data);
            assert_eq!(get(&resp, "WARC-Type"), "response");
            assert_eq!(get(&req, "WARC-Type"), "request");
            assert_eq!(
                get(&resp, "Content-Type"),
                "application/http;msgtype=response"
            );
            assert_eq!(
                get(&req, "Content-Type"),
                "application/http;msgtype=request"
            );
            assert_eq!(
                get(&req, "WARC-Concurrent-To"),
                get(&resp, "WARC-Record-ID")
            );
            assert_eq!(get(&resp, "WARC-Warcinfo-ID"), info_id);
            assert_eq!(get(&resp, "WARC-Target-URI"), get(&req, "WARC-Target-URI"));
            assert_eq!(get(&resp, "WARC-Date"), get(&req, "WARC-Date"));
            for h in [&resp, &req] {
                let id = get(h, "WARC-Record-ID");
                assert!(id.starts_with("<urn:uuid:") && id.ends_with('>'), "{id}");
                assert!(ids.insert(id.to_string()), "record ids are unique");
                assert!(get(h, "WARC-Date").ends_with('Z'));
            }
            // Digests recomputed here, independently.
            assert_eq!(get(&resp, "WARC-Block-Digest"), sha1_b32(&resp_block));
            let body_start = resp_block
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .unwrap()
                + 4;
            assert_eq!(
                get(&resp, "WARC-Payload-Digest"),
                sha1_b32(&resp_block[body_start..])
            );
            assert_eq!(get(&req, "WARC-Block-Digest"), sha1_b32(&req_block));
            assert!(String::from_utf8_lossy(&req_block).starts_with("GET /articles/"));

            // The location returned for this capture points at this member.
            let location = locations
                .iter()
                .find(|l| l.file == *name && l.offset == pair[0].offset)
                .expect("a location for every response record");
            assert_eq!(location.length, pair[0].length);
            seen_locations += 1;
        }
    }
    assert_eq!(seen_locations, locations.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn records_iterates_a_whole_file() {
    let dir = temp_dir("iterate");
    let mut writer = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let locations: Vec<_> = (0..3)
        .map(|i| writer.append(&capture(i)).unwrap())
        .collect();
    let path = dir.join(writer.current_file());
    let all: Vec<_> = records(&path).unwrap().collect::<Result<_, _>>().unwrap();
    let types: Vec<_> = all.iter().map(|r| r.warc_type().unwrap()).collect();
    assert_eq!(
        types,
        [
            "warcinfo", "response", "request", "response", "request", "response", "request"
        ]
    );
    for (location, record) in locations
        .iter()
        .zip(all.iter().filter(|r| r.warc_type() == Some("response")))
    {
        assert_eq!(
            (record.offset, record.length),
            (location.offset, location.length)
        );
        let stored = redline_archive::stored_capture(&path, record).unwrap();
        assert_eq!(stored, read_capture(&dir, location).unwrap());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn truncated_file_is_read_up_to_the_truncation() {
    let dir = temp_dir("truncated");
    let mut writer = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let locations: Vec<_> = (0..3)
        .map(|i| writer.append(&capture(i + 5)).unwrap())
        .collect();
    let path = dir.join(writer.current_file());
    drop(writer);
    // Cut the file in the middle of the last capture's response record, as a
    // crash mid-write would.
    let last = &locations[2];
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(last.offset + last.length / 2).unwrap();
    drop(file);

    let items: Vec<_> = records(&path).unwrap().collect();
    assert_eq!(
        items.len(),
        1 + 2 * 2 + 1,
        "warcinfo, two captures, then the error"
    );
    for item in &items[..5] {
        assert!(item.is_ok());
    }
    let err = items.last().unwrap().as_ref().unwrap_err();
    assert!(
        matches!(err, ArchiveError::Truncated { offset, .. } if *offset == last.offset),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("ends in the middle of the record at offset"),
        "{msg}"
    );
    assert!(msg.contains("records before it are intact"), "{msg}");

    // The earlier captures still read; the cut one says it is truncated.
    read_capture(&dir, &locations[1]).unwrap();
    let err = read_capture(&dir, last).unwrap_err();
    assert!(matches!(err, ArchiveError::Truncated { .. }), "{err:?}");

    // Cut a few bytes into the member's trailer too.
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(locations[1].offset + locations[1].length - 3)
        .unwrap();
    drop(file);
    let last_item = records(&path).unwrap().last().unwrap();
    assert!(
        matches!(last_item, Err(ArchiveError::Truncated { .. })),
        "{last_item:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn garbage_in_a_file_is_reported_not_panicked_on() {
    let dir = temp_dir("garbage");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("junk.warc.gz");
    std::fs::write(&path, b"this is not gzip at all, just text").unwrap();
    let items: Vec<_> = records(&path).unwrap().collect();
    assert_eq!(items.len(), 1);
    assert!(
        matches!(items[0], Err(ArchiveError::Corrupt { offset: 0, .. })),
        "{:?}",
        items[0]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_writers_in_one_directory_never_collide() {
    let dir = temp_dir("collide");
    // Same process, same second: only the random part tells them apart.
    let mut writers: Vec<ArchiveWriter> = (0..20)
        .map(|_| ArchiveWriter::open(&dir, u64::MAX).unwrap())
        .collect();
    let names: HashSet<String> = writers
        .iter()
        .map(|w| w.current_file().to_string())
        .collect();
    assert_eq!(names.len(), 20);

    let a = writers[0].append(&capture(1)).unwrap();
    let b = writers[1].append(&capture(2)).unwrap();
    let a2 = writers[0].append(&capture(3)).unwrap();
    assert_ne!(a.file, b.file);
    assert_eq!(
        read_capture(&dir, &a).unwrap().target_uri,
        capture(1).target_uri
    );
    assert_eq!(
        read_capture(&dir, &b).unwrap().target_uri,
        capture(2).target_uri
    );
    assert_eq!(
        read_capture(&dir, &a2).unwrap().target_uri,
        capture(3).target_uri
    );
    for w in writers.iter_mut() {
        w.sync().unwrap();
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn reopening_never_appends_to_an_earlier_file() {
    let dir = temp_dir("reopen");
    let mut first = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let location = first.append(&capture(1)).unwrap();
    drop(first);
    let size = std::fs::metadata(dir.join(&location.file)).unwrap().len();
    let mut second = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let next = second.append(&capture(2)).unwrap();
    assert_ne!(next.file, location.file);
    assert_eq!(
        std::fs::metadata(dir.join(&location.file)).unwrap().len(),
        size
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_locations_are_refused_clearly() {
    let dir = temp_dir("badloc");
    let mut writer = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let location = writer.append(&capture(1)).unwrap();

    let escape = CaptureLocation {
        file: "../../etc/passwd".into(),
        ..location.clone()
    };
    assert!(matches!(
        read_capture(&dir, &escape),
        Err(ArchiveError::BadLocation { .. })
    ));

    // The request record right after the response is not a capture.
    let file_len = std::fs::metadata(dir.join(&location.file)).unwrap().len();
    let request = CaptureLocation {
        offset: location.offset + location.length,
        length: file_len - (location.offset + location.length),
        ..location.clone()
    };
    let err = read_capture(&dir, &request).unwrap_err();
    assert!(matches!(err, ArchiveError::NotAResponse { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("\"request\" record, not a response"),
        "{err}"
    );

    let off = CaptureLocation {
        offset: location.offset + 1,
        ..location.clone()
    };
    assert!(matches!(
        read_capture(&dir, &off),
        Err(ArchiveError::Corrupt { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_record_changed_after_writing_fails_its_digest() {
    let dir = temp_dir("digest");
    let mut writer = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let location = writer.append(&capture(2)).unwrap();
    drop(writer);
    let path = dir.join(&location.file);
    let bytes = std::fs::read(&path).unwrap();
    let start = location.offset as usize;
    let end = start + location.length as usize;
    let mut record = Vec::new();
    flate2::read::GzDecoder::new(&bytes[start..end])
        .read_to_end(&mut record)
        .unwrap();
    // Change one letter of the article and re-compress the member.
    let at = record.windows(10).position(|w| w == b"<p>article").unwrap();
    record[at + 3] = b'A';
    let mut patched = bytes[..start].to_vec();
    let member = gzip(&record);
    patched.extend_from_slice(&member);
    patched.extend_from_slice(&bytes[end..]);
    std::fs::write(&path, patched).unwrap();

    let moved = CaptureLocation {
        length: member.len() as u64,
        ..location
    };
    let err = read_capture(&dir, &moved).unwrap_err();
    assert!(
        matches!(err, ArchiveError::DigestMismatch { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("damaged after it was written"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn decoding_a_payload_is_capped() {
    let dir = temp_dir("bomb");
    let mut writer = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let mut c = capture(0);
    c.response
        .headers
        .push(("content-encoding".into(), b"gzip".to_vec()));
    c.response.body = Bytes::from(gzip(&vec![0u8; 4 << 20]));
    let location = writer.append(&c).unwrap();
    let stored = read_capture(&dir, &location).unwrap();
    let err = decoded(&stored, 1 << 20).unwrap_err();
    assert!(
        matches!(err, redline_fetch::DecodeError::TooLarge { .. }),
        "{err:?}"
    );
    assert_eq!(decoded(&stored, 4 << 20).unwrap().len(), 4 << 20);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Validates a produced file with Python's warcio: the binary of
/// REDLINE_WARCIO (the virtual environment .ci/run makes), else `warcio` on
/// the PATH. Required when REDLINE_REQUIRE_WARCIO is set (in CI); a loud
/// skip otherwise.
#[test]
fn warcio_accepts_the_files_when_available() {
    let warcio = std::env::var("REDLINE_WARCIO").unwrap_or_else(|_| "warcio".into());
    let has_warcio = std::process::Command::new(&warcio)
        .arg("--help")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_warcio {
        assert!(
            std::env::var_os("REDLINE_REQUIRE_WARCIO").is_none(),
            "{warcio} cannot be run, and REDLINE_REQUIRE_WARCIO is set"
        );
        eprintln!("SKIPPED: {warcio} is not installed (pip install warcio to run this check)");
        return;
    }
    let dir = temp_dir("warcio");
    let mut writer = ArchiveWriter::open(&dir, u64::MAX).unwrap();
    let locations: Vec<_> = (0..4)
        .map(|i| writer.append(&capture(i)).unwrap())
        .collect();
    let path = dir.join(writer.current_file());
    drop(writer);

    let check = std::process::Command::new(&warcio)
        .args(["check", "-v"])
        .arg(&path)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "warcio check failed:\n{out}\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!out.contains("digest failed"), "{out}");

    let index = std::process::Command::new(&warcio)
        .args(["index", "-f", "warc-type,warc-target-uri,offset,length"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(index.status.success());
    let lines: Vec<_> = index.stdout.lines().map(|l| l.unwrap()).collect();
    assert_eq!(lines.len(), 1 + 4 * 2, "{lines:?}");
    // warcio's offsets and lengths of the response records are our locations.
    let responses: Vec<(u64, u64)> = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["warc-type"] == "response")
        .map(|v| {
            let n = |k: &str| v[k].as_str().unwrap().parse::<u64>().unwrap();
            (n("offset"), n("length"))
        })
        .collect();
    let ours: Vec<(u64, u64)> = locations.iter().map(|l| (l.offset, l.length)).collect();
    assert_eq!(responses, ours);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn records_of_a_missing_file_is_an_error_naming_it() {
    let err = records(Path::new("/nonexistent/redline.warc.gz"))
        .err()
        .unwrap();
    assert!(
        err.to_string().contains("/nonexistent/redline.warc.gz"),
        "{err}"
    );
}

/// The stored payload with its content encoding undone.
fn decoded(
    stored: &redline_archive::StoredCapture,
    limit: u64,
) -> Result<Vec<u8>, redline_fetch::DecodeError> {
    redline_fetch::decode_body(
        stored.header_values("content-encoding"),
        &stored.payload,
        limit,
    )
}
