//! Fetching: a polite, bounded HTTP client for redline.
//!
//! This crate owns everything between "fetch this URL" and "here is the
//! response": robots.txt (read once per host, cached, honoured for our
//! product token), politeness (global and per-host concurrency, a minimum
//! delay between requests to one host, Retry-After), time limits (connect,
//! whole response), size limits (raw and decoded body), retries with
//! back-off, manual redirects (each hop checked), conditional requests, and
//! content decoding (gzip, deflate, br) done here with an output cap so
//! compression bombs stop at the cap. It keeps the raw exchange of the final
//! hop ([`Exchange`]) so the caller can archive it.
//!
//! Every connection goes through the address policy ([`AddressPolicy`]):
//! only public unicast addresses, plus the networks the operator opened
//! and, per request, the network of the listing an entry came from. It is
//! applied on the addresses actually connected to (a resolver hook, so
//! redirects and changed DNS answers are covered) and to literal addresses
//! before connecting.
//!
//! Pages built by JavaScript are rendered by [`Renderer`] in headless
//! Chromium *after* the fetcher got them: Chromium is served the fetched
//! HTML, every request the page makes goes through the fetcher (so the
//! address policy holds for them too) or is refused, and Chromium has no
//! network of its own; see the `render` module for the design and its
//! bounds.
//!
//! It does not parse HTML, decide schedules, or store anything.
//!
//! ```no_run
//! # async fn demo() -> Result<(), redline_fetch::FetchError> {
//! use redline_fetch::{FetchRequest, FetchSettings, Fetcher};
//! let fetcher = Fetcher::new(FetchSettings::default())?;
//! let url = url::Url::parse("https://example.com/news/1").unwrap();
//! let fetched = fetcher.fetch(FetchRequest::new(url)).await?;
//! println!("{} {} bytes", fetched.status, fetched.body.len());
//! # Ok(()) }
//! ```
//!
//! Choices worth knowing:
//! - HTTP/1.1 only, so the request recorded is the request sent;
//! - every final HTTP response is `Ok`, whatever its status (404, 410, and
//!   5xx/429 after the retries are spent); `Err` means no usable response;
//! - TLS is rustls with its default provider (aws-lc-rs), certificates
//!   checked against the system's roots.

#![forbid(unsafe_code)]

mod address;
mod decode;
mod error;
mod fetcher;
mod politeness;
mod render;
mod retry;
mod robots;
mod robots_cache;
mod settings;
mod types;

pub use address::{
    AddressClass, AddressPolicy, IpNet, Lookup, Refusal, Resolver, SystemResolver, classify,
    listing_network, listing_networks,
};
pub use decode::{Coding, DecodeError, decode_body};
pub use error::{FetchError, Phase, fmt_bytes, fmt_duration};
pub use fetcher::{Fetcher, ROBOTS_MAX_BYTES};
pub use render::{
    MAX_SUBRESOURCES, PageRequest, QUIET, RenderSettings, Rendered, Renderer, RequestOutcome,
};
pub use robots::{RobotsRules, Verdict};
pub use settings::FetchSettings;
pub use types::{Exchange, FetchRequest, Fetched, REQUEST_VERSION};

/// Re-exported so callers need not depend on these crates for the types in
/// this API.
pub use bytes::Bytes;
pub use url::Url;
