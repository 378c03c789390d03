//! The types that go in ([`Capture`]) and come out ([`CaptureLocation`],
//! [`StoredCapture`]) of the archive.

use std::net::IpAddr;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One HTTP exchange to archive: the request as sent and the response as
/// received (body still content-encoded, de-chunked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The URL requested (WARC-Target-URI).
    pub target_uri: String,
    /// When the request was sent (WARC-Date).
    pub fetched_at: DateTime<Utc>,
    /// The server's address (WARC-IP-Address), when known.
    pub ip_address: Option<IpAddr>,
    pub request: CapturedRequest,
    pub response: CapturedResponse,
}

/// The request line and headers as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedRequest {
    /// `GET`.
    pub method: String,
    /// The request target on the request line: path and query (`/a?b=1`).
    pub target: String,
    /// `HTTP/1.1`.
    pub version: String,
    /// In order, as sent.
    pub headers: Vec<(String, Vec<u8>)>,
}

/// The status line, headers and body as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedResponse {
    /// `HTTP/1.1`.
    pub version: String,
    pub status: u16,
    pub reason: String,
    /// In order, duplicates kept. `Transfer-Encoding` is dropped when
    /// written, since the body is stored de-chunked.
    pub headers: Vec<(String, Vec<u8>)>,
    /// As received: content-encoded (gzip, br...) but not chunked.
    pub body: Bytes,
}

/// Another form of a captured response, derived from it: the DOM a browser
/// rendered from the page, archived as a WARC `conversion` record right
/// after the capture's records, referring to its response record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// When the conversion was made (its WARC-Date).
    pub converted_at: DateTime<Utc>,
    /// The Content-Type of `body`, e.g. `text/html; charset=utf-8`.
    pub content_type: String,
    pub body: Bytes,
}

/// Where a capture's response record is: enough to read it back with
/// [`crate::read_capture`]. Meant to be stored in the database.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaptureLocation {
    /// File name, relative to the archive directory.
    pub file: String,
    /// Offset of the response record's gzip member in the file.
    pub offset: u64,
    /// Compressed length of that gzip member.
    pub length: u64,
}

/// A response record read back from the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCapture {
    /// All WARC headers of the record, in order.
    pub warc_headers: Vec<(String, String)>,
    /// WARC-Target-URI.
    pub target_uri: String,
    /// WARC-Date.
    pub fetched_at: DateTime<Utc>,
    /// WARC-Record-ID, e.g. `<urn:uuid:...>`.
    pub record_id: String,
    /// WARC-IP-Address.
    pub ip_address: Option<IpAddr>,
    /// `HTTP/1.1`.
    pub http_version: String,
    pub status: u16,
    pub reason: String,
    /// HTTP headers as stored, in order.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The payload as stored: still content-encoded.
    pub payload: Vec<u8>,
}

impl StoredCapture {
    /// The first value of a WARC header of the record (case-insensitive
    /// name), e.g. `WARC-Payload-Digest`.
    pub fn warc_header(&self, name: &str) -> Option<&str> {
        self.warc_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of an HTTP header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// Every value of an HTTP header (case-insensitive name), e.g. the
    /// `Content-Encoding` values to decode the payload with
    /// `redline_fetch::decode_body`.
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}
