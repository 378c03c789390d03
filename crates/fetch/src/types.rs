//! What goes into a fetch ([`FetchRequest`]) and what comes out ([`Fetched`],
//! with the wire-level [`Exchange`] for the archive).

use std::net::IpAddr;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use url::Url;

use crate::error::FetchError;

/// One URL to fetch, with the validators of the version already stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    pub url: Url,
    /// Sent as `If-None-Match` (the ETag from the last fetch, quotes included).
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since` (the Last-Modified from the last fetch).
    pub last_modified: Option<String>,
    /// Networks this request may reach beyond public addresses and the
    /// configured `allow_networks`: those of the listing it came from (see
    /// [`crate::listing_network`]). Empty for most requests.
    pub allow: Vec<ipnet::IpNet>,
}

impl FetchRequest {
    /// An unconditional request for `url`.
    pub fn new(url: Url) -> Self {
        FetchRequest {
            url,
            etag: None,
            last_modified: None,
            allow: Vec::new(),
        }
    }

    /// The same request, allowed to reach `networks` too.
    pub fn allowing(mut self, networks: impl IntoIterator<Item = ipnet::IpNet>) -> Self {
        self.allow.extend(networks);
        self.allow.sort();
        self.allow.dedup();
        self
    }

    /// An unconditional request for a URL given as text; fails with
    /// [`FetchError::InvalidUrl`] or [`FetchError::UnsupportedScheme`].
    pub fn parse(url: &str) -> Result<Self, FetchError> {
        let parsed = Url::parse(url.trim()).map_err(|e| FetchError::InvalidUrl {
            url: url.to_string(),
            reason: format!("it is not a valid URL ({e})"),
        })?;
        if parsed.scheme() != "http" && parsed.scheme() != "https" {
            return Err(FetchError::UnsupportedScheme {
                url: url.to_string(),
                scheme: parsed.scheme().to_string(),
            });
        }
        Ok(FetchRequest::new(parsed))
    }
}

/// An HTTP response, whatever its status (404, 410 and persistent 5xx/429
/// included), after redirects, with its body decoded.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub requested_url: Url,
    /// The URL that gave this response (after redirects; without fragment).
    pub final_url: Url,
    /// Every URL that answered with a redirect, in order: the first one is
    /// `requested_url` (without fragment) when there was any redirect.
    /// Empty when there was none; `redirects.len()` is the number followed.
    pub redirects: Vec<Url>,
    /// HTTP status of the final response.
    pub status: u16,
    /// The server answered 304 to a conditional request: the stored
    /// version is current and `body` is empty.
    pub not_modified: bool,
    /// `ETag` of the final response, to send back next time.
    pub etag: Option<String>,
    /// `Last-Modified` of the final response, to send back next time.
    pub last_modified: Option<String>,
    /// `Content-Type` of the final response.
    pub content_type: Option<String>,
    /// The body with its Content-Encoding undone (at most `max_body_bytes`).
    pub body: Bytes,
    /// The final request and response as on the wire, for the archive.
    pub exchange: Exchange,
    /// How many times a request was sent for this fetch, not counting
    /// redirect hops: 1 plus the number of retries (on any hop).
    pub attempts: u32,
    /// Time from the call to `fetch` to the end, waits included.
    pub elapsed: Duration,
}

impl Fetched {
    /// 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// 404 or 410: the article is gone (410 says so for good).
    pub fn is_gone(&self) -> bool {
        self.status == 404 || self.status == 410
    }
}

/// The final hop's request and response as they went over the wire: what a
/// WARC `request` and `response` record need.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// Always `GET`.
    pub method: String,
    /// The URL requested (no fragment).
    pub url: Url,
    /// The request target sent on the request line: path and query.
    pub request_target: String,
    /// Request headers exactly as sent, in order (names as written on the
    /// wire, Title-Case; `Host` included).
    pub request_headers: Vec<(String, Vec<u8>)>,
    /// The response's version: `HTTP/1.1`, or `HTTP/1.0` from old servers.
    /// The request is always sent as `HTTP/1.1` (redline speaks HTTP/1.1 only).
    pub http_version: String,
    pub status: u16,
    /// Reason phrase as sent by the server, or the standard one if it sent
    /// the standard one (the HTTP library only keeps non-standard ones).
    pub reason: String,
    /// Response headers as received, duplicates kept. Names are lower-cased
    /// by the HTTP library; repeated names are grouped at the position of
    /// their first appearance. `Transfer-Encoding` is included as received
    /// even though `raw_body` is de-chunked.
    pub response_headers: Vec<(String, Vec<u8>)>,
    /// The body as received: still content-encoded, de-chunked. Empty for
    /// 304 and for statuses without a body.
    pub raw_body: Bytes,
    /// The server's IP address, when the connection reports it.
    pub remote_ip: Option<IpAddr>,
    /// When the request of this hop was sent (UTC).
    pub started_at: DateTime<Utc>,
}

impl Exchange {
    /// The exchange as the archive keeps it: the request as sent (always
    /// HTTP/1.1, whatever version the server answered in) and the response
    /// as received, body still content-encoded.
    pub fn to_capture(&self) -> redline_archive::Capture {
        redline_archive::Capture {
            target_uri: self.url.to_string(),
            fetched_at: self.started_at,
            ip_address: self.remote_ip,
            request: redline_archive::CapturedRequest {
                method: self.method.clone(),
                target: self.request_target.clone(),
                version: REQUEST_VERSION.into(),
                headers: self.request_headers.clone(),
            },
            response: redline_archive::CapturedResponse {
                version: self.http_version.clone(),
                status: self.status,
                reason: self.reason.clone(),
                headers: self.response_headers.clone(),
                body: self.raw_body.clone(),
            },
        }
    }
}

/// The version every request is sent in (redline speaks HTTP/1.1 only).
pub const REQUEST_VERSION: &str = "HTTP/1.1";

impl Exchange {
    /// All values of a response header (case-insensitive name).
    pub fn response_header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> {
        self.response_headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_keeps_the_request_as_sent_and_the_response_as_received() {
        let ex = Exchange {
            method: "GET".into(),
            url: Url::parse("http://old.example/story").unwrap(),
            request_target: "/story".into(),
            request_headers: vec![("Host".into(), b"old.example".to_vec())],
            http_version: "HTTP/1.0".into(),
            status: 200,
            reason: "OK".into(),
            response_headers: vec![("content-type".into(), b"text/html".to_vec())],
            raw_body: Bytes::from_static(b"<p>x</p>"),
            remote_ip: None,
            started_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let c = ex.to_capture();
        assert_eq!(
            c,
            redline_archive::Capture {
                target_uri: "http://old.example/story".into(),
                fetched_at: DateTime::<Utc>::UNIX_EPOCH,
                ip_address: None,
                request: redline_archive::CapturedRequest {
                    method: "GET".into(),
                    target: "/story".into(),
                    // Sent as HTTP/1.1 even to a server answering in 1.0.
                    version: "HTTP/1.1".into(),
                    headers: vec![("Host".into(), b"old.example".to_vec())],
                },
                response: redline_archive::CapturedResponse {
                    version: "HTTP/1.0".into(),
                    status: 200,
                    reason: "OK".into(),
                    headers: vec![("content-type".into(), b"text/html".to_vec())],
                    body: Bytes::from_static(b"<p>x</p>"),
                },
            }
        );
    }
}
