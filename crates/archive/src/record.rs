//! WARC/1.1 records: building them from a [`Capture`] and parsing them back.
//! Pure byte work; files and gzip members are `writer`'s and `reader`'s job.
//!
//! Choices, so that a reader of the archive knows what it holds:
//! - a capture is a `response` record followed by a `request` record whose
//!   `WARC-Concurrent-To` names the response (the order Heritrix and warcio
//!   use); both carry `WARC-Warcinfo-ID` pointing at the file's `warcinfo`;
//! - a page rendered by a browser adds a `conversion` record after those
//!   two: the rendered DOM, with the response's `WARC-Target-URI` and
//!   `WARC-Refers-To` naming the response record;
//! - a response whose payload is byte for byte that of a response recently
//!   written to the same file for the same URI (a confirmation fetch) is a
//!   `revisit` record instead (profile [`REVISIT_PROFILE`]): its own HTTP
//!   status line and headers, no payload, `WARC-Refers-To`,
//!   `WARC-Refers-To-Target-URI` and `WARC-Refers-To-Date` naming the
//!   response holding the payload, the same `WARC-Payload-Digest`, and
//!   [`REFERS_TO_OFFSET`] giving that response's offset in the file (the
//!   WARC standard allows other fields; readers that do not know it find
//!   the record by its id as usual);
//! - HTTP headers are written as received, in the order given, except
//!   `Transfer-Encoding`, which is dropped because the body is stored
//!   de-chunked; no `Content-Length` is added when the server sent none;
//! - the payload is the body as received, still content-encoded (gzip, br…),
//!   so `WARC-Payload-Digest` is the digest of those bytes;
//! - CR and LF inside header names, values, reason phrases, URIs and request
//!   targets are replaced by spaces (they could not have come from a parsed
//!   HTTP message, and would break the record's framing);
//! - digests are `sha1:` + base32 (RFC 4648), as CDX tools expect;
//! - `WARC-Date` has microseconds (WARC/1.1 allows fractional seconds).

use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};
use data_encoding::BASE32;
use sha1::{Digest, Sha1};

use crate::capture::{Capture, CapturedRequest, CapturedResponse, Conversion};

/// Largest record (uncompressed) written or read: bodies are capped by the
/// fetcher far below this; anything bigger is refused rather than buffered.
pub const MAX_RECORD_BYTES: u64 = 256 * 1024 * 1024;

/// The `WARC-Profile` of the `revisit` records written: the payload is that
/// of the record named by `WARC-Refers-To`.
pub const REVISIT_PROFILE: &str =
    "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";

/// The field of a `revisit` record giving the offset, in the same file, of
/// the gzip member of the record it refers to: redline's own (not of the
/// WARC standard), so that a reader holding a location needs no index.
pub const REFERS_TO_OFFSET: &str = "Redline-Refers-To-Offset";

/// A parsed WARC record, as yielded by [`crate::records`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// Offset of the record's gzip member in its file.
    pub offset: u64,
    /// Compressed length of that member.
    pub length: u64,
    /// `WARC/1.1` or `WARC/1.0`.
    pub version: String,
    /// WARC headers in order.
    pub headers: Vec<(String, String)>,
    /// The record block (`Content-Length` bytes).
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// The first value of a WARC header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`: `warcinfo`, `response`, `request`...
    pub fn warc_type(&self) -> Option<&str> {
        self.header("WARC-Type")
    }
}

pub(crate) fn new_record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

pub(crate) fn warc_date(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// `sha1:` + base32 of the SHA-1 of `data`.
pub fn sha1_digest(data: &[u8]) -> String {
    format!("sha1:{}", BASE32.encode(&Sha1::digest(data)))
}

fn clean(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn clean_bytes(v: &[u8]) -> Vec<u8> {
    v.iter()
        .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b })
        .collect()
}

fn push_headers(out: &mut Vec<u8>, headers: &[(String, Vec<u8>)], skip_transfer_encoding: bool) {
    for (name, value) in headers {
        if skip_transfer_encoding && name.eq_ignore_ascii_case("transfer-encoding") {
            continue;
        }
        out.extend_from_slice(clean(name).as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(&clean_bytes(value));
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// The status line and headers of an HTTP response as stored, with the
/// blank line that ends them.
pub(crate) fn response_head(resp: &CapturedResponse) -> Vec<u8> {
    let mut head = Vec::with_capacity(1024);
    head.extend_from_slice(
        format!(
            "{} {} {}\r\n",
            clean(&resp.version),
            resp.status,
            clean(&resp.reason)
        )
        .as_bytes(),
    );
    push_headers(&mut head, &resp.headers, true);
    head
}

/// The HTTP response message as stored, and where its payload starts.
#[cfg(test)]
pub(crate) fn response_block(resp: &CapturedResponse) -> (Vec<u8>, usize) {
    let mut block = response_head(resp);
    let payload_start = block.len();
    block.extend_from_slice(&resp.body);
    (block, payload_start)
}

/// The HTTP request message as stored (no body: redline only sends GET).
pub(crate) fn request_block(req: &CapturedRequest) -> Vec<u8> {
    let mut block = Vec::with_capacity(1024);
    block.extend_from_slice(
        format!(
            "{} {} {}\r\n",
            clean(&req.method),
            clean(&req.target).replace(' ', "%20"),
            clean(&req.version)
        )
        .as_bytes(),
    );
    push_headers(&mut block, &req.headers, false);
    block
}

/// A record not yet compressed, in two parts so that a body is never copied
/// into it: `head` (version line, WARC fields, the blank line after them and
/// the start of the block, e.g. an HTTP head), then `body` (the rest of the
/// block), then the two CRLFs that end every record.
pub(crate) struct Record<'a> {
    pub head: Vec<u8>,
    pub body: &'a [u8],
}

impl Record<'_> {
    /// The two CRLFs after the block.
    pub const END: &'static [u8] = b"\r\n\r\n";

    /// Its size, uncompressed.
    pub fn len(&self) -> usize {
        self.head.len() + self.body.len() + Self::END.len()
    }

    /// The record's bytes in one piece.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        [&self.head[..], self.body, Self::END].concat()
    }
}

/// A complete record whose block is `block_start` then `body`: version
/// line, headers, Content-Length, block, and the two CRLFs that end it.
pub(crate) fn serialise<'a>(
    headers: &[(&str, String)],
    block_start: &[u8],
    body: &'a [u8],
) -> Record<'a> {
    let mut head = Vec::with_capacity(block_start.len() + 1024);
    head.extend_from_slice(b"WARC/1.1\r\n");
    for (name, value) in headers {
        head.extend_from_slice(name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(clean(value).as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    let length = block_start.len() + body.len();
    head.extend_from_slice(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    head.extend_from_slice(block_start);
    Record { head, body }
}

/// `sha1:` + base32 of the SHA-1 of `start` then `rest`.
fn sha1_digest_of(start: &[u8], rest: &[u8]) -> String {
    let mut hasher = Sha1::new();
    hasher.update(start);
    hasher.update(rest);
    format!("sha1:{}", BASE32.encode(&hasher.finalize()))
}

/// The `response` (or `revisit`) and `request` records of a capture, not
/// yet compressed, and the payload digest the first carries.
pub(crate) struct CaptureRecords<'a> {
    pub response: Record<'a>,
    pub request: Record<'static>,
    pub payload_digest: String,
}

/// The response a `revisit` record refers to, as written earlier in the
/// same file.
pub(crate) struct Original<'a> {
    pub record_id: &'a str,
    pub target_uri: &'a str,
    /// Its `WARC-Date`, as written.
    pub date: &'a str,
    pub payload_digest: &'a str,
    /// Offset of its gzip member in the file.
    pub offset: u64,
}

/// The records of a capture with a new response record id.
#[cfg(test)]
pub(crate) fn capture_records(capture: &Capture, warcinfo_id: &str) -> (Vec<u8>, Vec<u8>) {
    let records = capture_records_with_id(capture, warcinfo_id, &new_record_id(), None);
    (records.response.to_vec(), records.request.to_vec())
}

/// The records of a capture whose response record has the id
/// `response_id`: a `revisit` of `original` when given (whose payload the
/// caller has found to be the capture's, byte for byte), else a full
/// `response`.
pub(crate) fn capture_records_with_id<'a>(
    capture: &'a Capture,
    warcinfo_id: &str,
    response_id: &str,
    original: Option<&Original>,
) -> CaptureRecords<'a> {
    let date = warc_date(capture.fetched_at);
    let uri = clean(&capture.target_uri);
    let response_id = response_id.to_string();

    let body = &capture.response.body[..];
    let (response, payload_digest) = match original {
        None => {
            let head = response_head(&capture.response);
            let payload_digest = sha1_digest(body);
            let mut headers: Vec<(&str, String)> = vec![
                ("WARC-Type", "response".into()),
                ("WARC-Record-ID", response_id.clone()),
                ("WARC-Date", date.clone()),
                ("WARC-Target-URI", uri.clone()),
            ];
            push_ip(&mut headers, capture.ip_address);
            headers.extend([
                ("WARC-Warcinfo-ID", warcinfo_id.to_string()),
                ("WARC-Block-Digest", sha1_digest_of(&head, body)),
                ("WARC-Payload-Digest", payload_digest.clone()),
                ("Content-Type", "application/http;msgtype=response".into()),
            ]);
            (serialise(&headers, &head, body), payload_digest)
        }
        Some(original) => {
            let block = response_head(&capture.response);
            let mut headers: Vec<(&str, String)> = vec![
                ("WARC-Type", "revisit".into()),
                ("WARC-Record-ID", response_id.clone()),
                ("WARC-Date", date.clone()),
                ("WARC-Target-URI", uri.clone()),
            ];
            push_ip(&mut headers, capture.ip_address);
            headers.extend([
                ("WARC-Warcinfo-ID", warcinfo_id.to_string()),
                ("WARC-Profile", REVISIT_PROFILE.into()),
                ("WARC-Refers-To", original.record_id.to_string()),
                ("WARC-Refers-To-Target-URI", clean(original.target_uri)),
                ("WARC-Refers-To-Date", original.date.to_string()),
                (REFERS_TO_OFFSET, original.offset.to_string()),
                ("WARC-Block-Digest", sha1_digest(&block)),
                ("WARC-Payload-Digest", original.payload_digest.to_string()),
                ("Content-Type", "application/http;msgtype=response".into()),
            ]);
            let digest = original.payload_digest.to_string();
            (serialise(&headers, &block, &[]), digest)
        }
    };

    let block = request_block(&capture.request);
    let mut headers: Vec<(&str, String)> = vec![
        ("WARC-Type", "request".into()),
        ("WARC-Record-ID", new_record_id()),
        ("WARC-Date", date),
        ("WARC-Target-URI", uri),
    ];
    push_ip(&mut headers, capture.ip_address);
    headers.extend([
        ("WARC-Concurrent-To", response_id),
        ("WARC-Warcinfo-ID", warcinfo_id.to_string()),
        ("WARC-Block-Digest", sha1_digest(&block)),
        ("WARC-Payload-Digest", sha1_digest(b"")),
        ("Content-Type", "application/http;msgtype=request".into()),
    ]);
    let request = serialise(&headers, &block, &[]);
    CaptureRecords {
        response,
        request,
        payload_digest,
    }
}

/// The `conversion` record of a page's rendered form: the same target URI
/// as the capture's response, `WARC-Refers-To` naming that response record.
pub(crate) fn conversion_record<'a>(
    conversion: &'a Conversion,
    target_uri: &str,
    response_id: &str,
    warcinfo_id: &str,
) -> Record<'a> {
    let block = &conversion.body[..];
    let headers: Vec<(&str, String)> = vec![
        ("WARC-Type", "conversion".into()),
        ("WARC-Record-ID", new_record_id()),
        ("WARC-Date", warc_date(conversion.converted_at)),
        ("WARC-Target-URI", clean(target_uri)),
        ("WARC-Refers-To", response_id.to_string()),
        ("WARC-Warcinfo-ID", warcinfo_id.to_string()),
        ("WARC-Block-Digest", sha1_digest(block)),
        ("WARC-Payload-Digest", sha1_digest(block)),
        ("Content-Type", clean(&conversion.content_type)),
    ];
    serialise(&headers, &[], block)
}

fn push_ip(headers: &mut Vec<(&str, String)>, ip: Option<IpAddr>) {
    if let Some(ip) = ip {
        headers.push(("WARC-IP-Address", ip.to_string()));
    }
}

/// The `warcinfo` record that opens each file.
pub(crate) fn warcinfo_record(
    id: &str,
    file_name: &str,
    at: DateTime<Utc>,
    extra: &[(String, String)],
) -> Record<'static> {
    let mut fields = format!(
        "software: redline-archive/{}\r\nformat: WARC File Format 1.1\r\n\
         conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
        env!("CARGO_PKG_VERSION")
    );
    for (name, value) in extra {
        fields.push_str(&format!("{}: {}\r\n", clean(name), clean(value)));
    }
    let headers: Vec<(&str, String)> = vec![
        ("WARC-Type", "warcinfo".into()),
        ("WARC-Record-ID", id.to_string()),
        ("WARC-Date", warc_date(at)),
        ("WARC-Filename", file_name.to_string()),
        ("Content-Type", "application/warc-fields".into()),
    ];
    serialise(&headers, fields.as_bytes(), &[])
}

/// A decompressed record split into its parts.
pub(crate) struct ParsedRecord {
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

/// Splits a decompressed record into version, headers and block.
pub(crate) fn parse_record(data: &[u8]) -> Result<ParsedRecord, String> {
    let head_end = find(data, b"\r\n\r\n").ok_or("no end of WARC headers")?;
    let head = std::str::from_utf8(&data[..head_end])
        .map_err(|_| "WARC headers are not UTF-8".to_string())?;
    let mut lines = head.split("\r\n");
    let version = lines.next().unwrap_or_default();
    if !version.starts_with("WARC/") {
        return Err(format!(
            "expected a WARC version line, found {:?}",
            truncate(version)
        ));
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("malformed WARC header line {:?}", truncate(line)))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .ok_or("no Content-Length")?
        .1
        .parse()
        .map_err(|_| "Content-Length is not a number".to_string())?;
    let start = head_end + 4;
    let block = data
        .get(start..start.saturating_add(length))
        .ok_or_else(|| format!("block shorter than its Content-Length of {length}"))?;
    Ok(ParsedRecord {
        version: version.to_string(),
        headers,
        block: block.to_vec(),
    })
}

/// The parts of an HTTP response message.
pub(crate) struct HttpResponse {
    pub version: String,
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub payload: Vec<u8>,
}

pub(crate) fn parse_http_response(block: &[u8]) -> Result<HttpResponse, String> {
    let head_end = find(block, b"\r\n\r\n").ok_or("no end of HTTP headers")?;
    let mut lines = block[..head_end]
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status_line = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default().to_string();
    let status = parts
        .next()
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| format!("malformed HTTP status line {:?}", truncate(&status_line)))?;
    let reason = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    for line in lines {
        let colon = line.iter().position(|&b| b == b':').ok_or_else(|| {
            format!(
                "malformed HTTP header line {:?}",
                String::from_utf8_lossy(line)
            )
        })?;
        let name = String::from_utf8_lossy(&line[..colon]).trim().to_string();
        let value = line[colon + 1..].trim_ascii().to_vec();
        headers.push((name, value));
    }
    Ok(HttpResponse {
        version,
        status,
        reason,
        headers,
        payload: block[head_end + 4..].to_vec(),
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(80) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn capture() -> Capture {
        Capture {
            target_uri: "https://example.com/a?b=1".into(),
            fetched_at: "2026-11-21T09:38:00.5Z".parse().unwrap(),
            ip_address: Some("192.0.2.7".parse().unwrap()),
            request: CapturedRequest {
                method: "GET".into(),
                target: "/a?b=1".into(),
                version: "HTTP/1.1".into(),
                headers: vec![
                    ("Host".into(), b"example.com".to_vec()),
                    ("User-Agent".into(), b"redline/0.1".to_vec()),
                ],
            },
            response: CapturedResponse {
                version: "HTTP/1.1".into(),
                status: 200,
                reason: "OK".into(),
                headers: vec![
                    ("content-type".into(), b"text/html".to_vec()),
                    ("transfer-encoding".into(), b"chunked".to_vec()),
                    ("x-evil".into(), b"a\r\nWARC-Type: forged".to_vec()),
                ],
                body: Bytes::from_static(b"<p>hi</p>"),
            },
        }
    }

    #[test]
    fn response_record_has_the_standard_headers_and_digests() {
        let (response, request) = capture_records(&capture(), "<urn:uuid:info>");
        let ParsedRecord {
            version,
            headers,
            block,
        } = parse_record(&response).unwrap();
        assert_eq!(version, "WARC/1.1");
        let get = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("WARC-Type"), Some("response"));
        assert_eq!(get("WARC-Date"), Some("2026-11-21T09:38:00.500000Z"));
        assert_eq!(get("WARC-Target-URI"), Some("https://example.com/a?b=1"));
        assert_eq!(get("WARC-IP-Address"), Some("192.0.2.7"));
        assert_eq!(
            get("Content-Type"),
            Some("application/http;msgtype=response")
        );
        assert_eq!(get("WARC-Block-Digest").unwrap(), sha1_digest(&block));
        assert_eq!(
            get("WARC-Payload-Digest").unwrap(),
            sha1_digest(b"<p>hi</p>")
        );
        let text = String::from_utf8(block).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n"));
        assert!(
            !text.contains("transfer-encoding"),
            "de-chunked body, no TE header"
        );
        assert!(
            text.contains("x-evil: a  WARC-Type: forged\r\n"),
            "no header injection"
        );
        assert!(response.ends_with(b"<p>hi</p>\r\n\r\n"));

        let ParsedRecord {
            headers: req_headers,
            block: req_block,
            ..
        } = parse_record(&request).unwrap();
        let get = |n: &str| {
            req_headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("WARC-Type"), Some("request"));
        assert_eq!(
            get("WARC-Concurrent-To"),
            headers
                .iter()
                .find(|(k, _)| k == "WARC-Record-ID")
                .map(|(_, v)| v.as_str())
        );
        assert_eq!(
            String::from_utf8(req_block).unwrap(),
            "GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: redline/0.1\r\n\r\n"
        );
    }

    #[test]
    fn known_sha1_digest() {
        // sha1("") in base32, as in every WARC with empty payloads.
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn http_response_round_trips() {
        let (block, _) = response_block(&capture().response);
        let parsed = parse_http_response(&block).unwrap();
        assert_eq!((parsed.status, parsed.reason.as_str()), (200, "OK"));
        assert_eq!(
            parsed.headers[0],
            ("content-type".to_string(), b"text/html".to_vec())
        );
        assert_eq!(parsed.payload, b"<p>hi</p>");
    }

    #[test]
    fn malformed_records_are_errors() {
        assert!(parse_record(b"garbage").is_err());
        assert!(parse_record(b"WARC/1.1\r\nContent-Length: 99\r\n\r\nshort").is_err());
        assert!(parse_record(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(parse_http_response(b"HTTP/1.1 abc\r\n\r\n").is_err());
    }
}
