//! [`Renderer`]: pages built by JavaScript, rendered in headless Chromium
//! (Debian's `chromium`, driven over the DevTools protocol with
//! `chromiumoxide`), for sources with `render = "chromium"`.
//!
//! This module owns the browser process and what a page in it may do. The
//! design, so that a hostile page gains nothing by being rendered:
//!
//! - **The page's HTML is the fetcher's.** The article is fetched by the
//!   [`Fetcher`] first, as any other (robots.txt, politeness, size caps,
//!   the address policy); [`Renderer::render`] is given that response and
//!   serves it to Chromium itself. Chromium never fetches the document.
//! - **Every request the page makes is intercepted** (the DevTools `Fetch`
//!   domain, at the request stage, pattern `*`): the document's own
//!   navigation is answered with the fetched body; scripts, XHR and
//!   `fetch()` are fetched *through the [`Fetcher`]* (GET only, with the
//!   article's own allowance), so the address policy, robots.txt, the
//!   per-host delay and `[crawl] max_body` apply to them exactly as to the
//!   article; everything else (images, styles, fonts, media, frames,
//!   beacons, prefetches, other navigations) is refused unfetched. At most
//!   [`MAX_SUBRESOURCES`] requests are fetched per page, together at most
//!   `[crawl] max_body` bytes.
//! - **Chromium has no network of its own.** What the `Fetch` domain does
//!   not see (WebSockets, WebRTC, service workers, DNS prefetch) would go
//!   out through Chromium's own network stack, so that stack is dead: every
//!   host name resolves to nothing (`--host-resolver-rules=MAP * ~NOTFOUND`)
//!   and every connection, loopback included (`--proxy-bypass-list=<-loopback>`),
//!   must go through a proxy whose name does not resolve, with no fallback
//!   to a direct connection; UDP outside the proxy is off for WebRTC.
//! - **Bounded.** One page's render (opening it, its scripts, reading the
//!   DOM) has `[render] timeout`; past it the page's script is terminated
//!   and the page closed — and if that does not answer, the browser is
//!   killed and started afresh on the next page. Each page's JavaScript
//!   heap is capped (`--js-flags=--max-old-space-size`, `[render]
//!   max_heap`), `/dev/shm` is not used (`--disable-dev-shm-usage`), at
//!   most `[render] concurrency` pages are open at once, and the serialised
//!   DOM may not exceed `[crawl] max_body`.
//! - **One browser, reused.** Chromium is started on the first page to
//!   render (with a fresh, temporary profile), shared by all renders, and
//!   started again when it has died; every page is closed after its render.
//!
//! Chromium's own sandbox is used, except when redline runs as root, where
//! Chromium refuses to start with it (then `--no-sandbox`; run redline as
//! an ordinary user to keep it).
//!
//! When the page has loaded, the render waits until no intercepted request
//! has been in flight for [`QUIET`] (scripts that fetch their article as
//! JSON), then reads `document.documentElement.outerHTML` (doctype first).
//!
//! Why `chromiumoxide`: it is async on tokio (the fetcher's runtime), its
//! optional parts (browser download, zip) are off by default, it is
//! maintained (0.9, 2025) and dual-licensed MIT/Apache-2.0.
//! `headless_chrome` (1.0, MIT) drives the browser from its own threads
//! with blocking calls. Measured cold compile on this 2-core machine (dev
//! profile with dependencies at opt-level 2, as the workspace builds them):
//! see the README's "Pages built by JavaScript".

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::fetch::{
    EnableParams, EventRequestPaused, FailRequestParams, FulfillRequestParams, HeaderEntry,
    RequestPattern, RequestStage,
};
use chromiumoxide::cdp::browser_protocol::network::{ErrorReason, ResourceType};
use chromiumoxide::cdp::browser_protocol::target::CloseTargetParams;
use chromiumoxide::cdp::js_protocol::runtime::{EvaluateParams, TerminateExecutionParams};
use chromiumoxide::{Browser, BrowserConfig, Page};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tracing::{debug, warn};
use url::Url;

use crate::address::IpNet;
use crate::error::FetchError;
use crate::fetcher::Fetcher;
use crate::types::{FetchRequest, Fetched};

/// Requests of one page fetched for it (scripts, XHR, `fetch()`); later
/// ones are refused.
pub const MAX_SUBRESOURCES: usize = 32;
/// A page is done once no request of it has been in flight this long after
/// it loaded.
pub const QUIET: Duration = Duration::from_millis(500);
/// Time allowed to stop a page that ran out of time, before the browser is
/// killed instead.
const STOP_GRACE: Duration = Duration::from_secs(3);
/// Time allowed to start Chromium and connect to it.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(20);

/// The renderer's bounds: `[render]` of the configuration, and `[crawl]
/// max_body` for the DOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderSettings {
    /// The Chromium executable (`[render] chromium`).
    pub chromium: PathBuf,
    /// One page's render, from opening it to reading its DOM (`[render] timeout`).
    pub timeout: Duration,
    /// Pages rendered at once (`[render] concurrency`).
    pub concurrency: usize,
    /// Each page's JavaScript heap (`[render] max_heap`).
    pub max_heap_bytes: u64,
    /// The largest serialised DOM, and the most bytes fetched for one
    /// page's scripts and data together (`[crawl] max_body`).
    pub max_dom_bytes: u64,
}

impl RenderSettings {
    /// The settings `[render]` and `[crawl]` ask for.
    pub fn new(render: &redline_config::Render, crawl: &redline_config::Crawl) -> Self {
        RenderSettings {
            chromium: render.chromium.clone(),
            timeout: *render.timeout,
            concurrency: render.concurrency,
            max_heap_bytes: render.max_heap.0,
            max_dom_bytes: crawl.max_body.0,
        }
    }
}

/// The settings of the default configuration.
impl Default for RenderSettings {
    fn default() -> Self {
        Self::new(
            &redline_config::Render::default(),
            &redline_config::Crawl::default(),
        )
    }
}

/// A page as Chromium rendered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The page's URL: the fetch's final URL.
    pub url: Url,
    /// The DOM once the page had loaded and its requests had settled,
    /// serialised as HTML (doctype, then `<html>…</html>`); UTF-8.
    pub html: String,
    /// When the render began.
    pub rendered_at: DateTime<Utc>,
    /// Every request the page made beyond its document, in order, and what
    /// became of it.
    pub requests: Vec<PageRequest>,
}

/// One request a rendered page made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// `GET`, `POST`, …
    pub method: String,
    pub url: String,
    /// Chromium's resource type: `Script`, `XHR`, `Fetch`, `Image`, …
    pub kind: String,
    pub outcome: RequestOutcome,
}

/// What became of a page's request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestOutcome {
    /// Fetched through the fetcher, answered with this status.
    Fetched { status: u16 },
    /// The fetcher refused or failed it: the error's kind
    /// ([`FetchError::kind`], e.g. `address_refused`).
    Failed { kind: &'static str },
    /// Not fetched: a kind of request a render never makes (images,
    /// styles, frames…), a method other than GET, or past the page's budget.
    Refused,
}

/// Renders fetched pages in one shared headless Chromium. Cheap to clone.
#[derive(Clone)]
pub struct Renderer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("settings", &self.inner.settings)
            .finish_non_exhaustive()
    }
}

struct Inner {
    settings: RenderSettings,
    fetcher: Fetcher,
    slots: Semaphore,
    browser: tokio::sync::Mutex<Option<Running>>,
    launches: AtomicU64,
}

/// A started browser. Dropping it kills the process (chromiumoxide starts
/// it with kill-on-drop) and removes its profile.
struct Running {
    browser: Arc<Browser>,
    handler: JoinHandle<()>,
    profile: PathBuf,
}

impl Running {
    fn is_alive(&self) -> bool {
        !self.handler.is_finished()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.handler.abort();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Renderer {
    /// A renderer fetching pages' scripts and data with `fetcher`. Fails,
    /// naming `[render] chromium`, when the executable is missing; the
    /// browser itself starts on the first render.
    pub fn new(settings: RenderSettings, fetcher: Fetcher) -> Result<Self, FetchError> {
        if !settings.chromium.is_file() {
            return Err(FetchError::Settings(missing_browser(&settings.chromium)));
        }
        if settings.concurrency == 0 || settings.timeout.is_zero() {
            return Err(FetchError::Settings(
                "[render] concurrency and timeout must be more than zero".into(),
            ));
        }
        Ok(Renderer {
            inner: Arc::new(Inner {
                slots: Semaphore::new(settings.concurrency),
                settings,
                fetcher,
                browser: tokio::sync::Mutex::new(None),
                launches: AtomicU64::new(0),
            }),
        })
    }

    /// The settings in force.
    pub fn settings(&self) -> &RenderSettings {
        &self.inner.settings
    }

    /// How many times Chromium has been started.
    pub fn launches(&self) -> u64 {
        self.inner.launches.load(Ordering::Relaxed)
    }

    /// Renders `fetched` (a successful HTML response of the fetcher): serves
    /// its body to Chromium at its final URL, lets its scripts run with the
    /// requests they make fetched through the fetcher with `allow` (the
    /// article's own allowance), and returns the DOM. Within `[render]
    /// timeout`, whatever the page does.
    pub async fn render(&self, fetched: &Fetched, allow: &[IpNet]) -> Result<Rendered, FetchError> {
        let url = fetched.final_url.clone();
        let Ok(_slot) = self.inner.slots.acquire().await else {
            return Err(render_error(&url, "the renderer is shutting down"));
        };
        let rendered_at = Utc::now();
        let deadline = Instant::now() + self.inner.settings.timeout;
        let browser = match tokio::time::timeout_at(deadline, self.inner.browser()).await {
            Ok(browser) => browser.map_err(|detail| render_error(&url, &detail))?,
            Err(_) => return Err(self.timeout(&url)),
        };
        let page = match tokio::time::timeout_at(deadline, browser.new_page("about:blank")).await {
            Ok(Ok(page)) => page,
            Ok(Err(e)) => {
                // The browser may have died: start another next time.
                self.inner.discard(&browser).await;
                return Err(render_error(&url, &format!("could not open a page: {e}")));
            }
            Err(_) => {
                self.inner.discard(&browser).await;
                return Err(self.timeout(&url));
            }
        };
        let state = Arc::new(PageState::default());
        let result =
            tokio::time::timeout_at(deadline, self.inner.run_page(&page, fetched, allow, &state))
                .await;
        let closed = close_page(&browser, &page).await;
        if !closed {
            warn!(%url, "a rendered page did not close: restarting Chromium");
            self.inner.discard(&browser).await;
        }
        state.stop();
        let html = match result {
            Ok(Ok(html)) => html,
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(self.timeout(&url)),
        };
        let requests = state
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        debug!(%url, bytes = html.len(), requests = requests.len(), "rendered");
        Ok(Rendered {
            url,
            html,
            rendered_at,
            requests,
        })
    }

    fn timeout(&self, url: &Url) -> FetchError {
        FetchError::RenderTimeout {
            url: url.to_string(),
            after: self.inner.settings.timeout,
        }
    }
}

impl Inner {
    /// The running browser, started if there is none or it died.
    async fn browser(&self) -> Result<Arc<Browser>, String> {
        let mut slot = self.browser.lock().await;
        if let Some(running) = slot.as_ref() {
            if running.is_alive() {
                return Ok(running.browser.clone());
            }
            warn!("Chromium has stopped: starting it again");
            *slot = None;
        }
        let running = self.launch().await?;
        let browser = running.browser.clone();
        *slot = Some(running);
        Ok(browser)
    }

    /// Forgets `browser` (if it is still the current one), so that it is
    /// killed once no render uses it and the next render starts another.
    async fn discard(&self, browser: &Arc<Browser>) {
        let mut slot = self.browser.lock().await;
        if slot
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(&r.browser, browser))
        {
            *slot = None;
        }
    }

    async fn launch(&self) -> Result<Running, String> {
        let s = &self.settings;
        if !s.chromium.is_file() {
            return Err(missing_browser(&s.chromium));
        }
        let n = self.launches.fetch_add(1, Ordering::Relaxed);
        let profile = std::env::temp_dir().join(format!(
            "redline-chromium-{}-{n}-{}",
            std::process::id(),
            fastrand::u32(..)
        ));
        std::fs::create_dir_all(&profile).map_err(|e| {
            format!(
                "could not create a profile directory {} for Chromium: {e}",
                profile.display()
            )
        })?;
        let heap_mb = (s.max_heap_bytes / 1_000_000).max(16);
        let mut builder = BrowserConfig::builder()
            .chrome_executable(&s.chromium)
            .user_data_dir(&profile)
            .launch_timeout(LAUNCH_TIMEOUT)
            .request_timeout(s.timeout + STOP_GRACE);
        let args = browser_args(heap_mb);
        for (name, value) in &args {
            builder = match value.is_empty() {
                true => builder.arg(*name),
                false => builder.arg((*name, value.as_str())),
            };
        }
        if running_as_root() {
            builder = builder.no_sandbox();
        }
        let config = builder.build().map_err(|e| {
            format!(
                "Chromium at {} cannot be used ({e}); set [render] chromium to its path",
                s.chromium.display()
            )
        })?;
        let (browser, mut handler) = match Browser::launch(config).await {
            Ok(launched) => launched,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&profile);
                return Err(format!(
                    "Chromium ([render] chromium = {}) did not start: {}",
                    s.chromium.display(),
                    brief(&e.to_string())
                ));
            }
        };
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if let Err(e) = event {
                    debug!("Chromium connection: {e}");
                }
            }
        });
        debug!(chromium = %s.chromium.display(), "Chromium started");
        Ok(Running {
            browser: Arc::new(browser),
            handler,
            profile,
        })
    }

    /// Opens the fetched page in `page` and returns its DOM once settled.
    async fn run_page(
        &self,
        page: &Page,
        fetched: &Fetched,
        allow: &[IpNet],
        state: &Arc<PageState>,
    ) -> Result<String, FetchError> {
        let url = &fetched.final_url;
        let failed = |what: &str, e: chromiumoxide::error::CdpError| {
            render_error(url, &format!("{what}: {}", brief(&e.to_string())))
        };
        let events = page
            .event_listener::<EventRequestPaused>()
            .await
            .map_err(|e| failed("could not watch the page's requests", e))?;
        let interceptor = Interceptor {
            page: page.clone(),
            fetcher: self.fetcher.clone(),
            allow: allow.to_vec(),
            document: Document::of(fetched),
            state: state.clone(),
            budget: self.settings.max_dom_bytes,
        };
        let task = tokio::spawn(interceptor.run(events));
        state.set_task(task);
        page.execute(
            EnableParams::builder()
                .pattern(
                    RequestPattern::builder()
                        .url_pattern("*")
                        .request_stage(RequestStage::Request)
                        .build(),
                )
                .build(),
        )
        .await
        .map_err(|e| failed("could not intercept the page's requests", e))?;
        page.goto(url.as_str())
            .await
            .map_err(|e| failed("the page did not load", e))?;
        // Let the requests the page's scripts make settle.
        loop {
            let quiet =
                state.in_flight.load(Ordering::SeqCst) == 0 && state.since_last_activity() >= QUIET;
            if quiet {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let limit = self.settings.max_dom_bytes;
        // JavaScript counts UTF-16 units: the DOM is refused in the page when
        // it is surely too large, and measured in bytes here.
        let expression = format!(
            "(() => {{ let s = ''; if (document.doctype) {{ s = new XMLSerializer()\
             .serializeToString(document.doctype) + '\\n'; }} if (document.documentElement) \
             {{ s += document.documentElement.outerHTML; }} return s.length > {limit} ? \
             {{ tooLarge: s.length }} : s; }})()"
        );
        let evaluated = page
            .evaluate_expression(
                EvaluateParams::builder()
                    .expression(expression)
                    .return_by_value(true)
                    .build()
                    .map_err(|e| render_error(url, &e))?,
            )
            .await
            .map_err(|e| failed("could not read the rendered page", e))?;
        let too_large = || FetchError::RenderTooLarge {
            url: url.to_string(),
            limit,
        };
        match evaluated.value() {
            Some(serde_json::Value::String(html)) if html.len() as u64 <= limit => Ok(html.clone()),
            Some(serde_json::Value::String(_)) => Err(too_large()),
            Some(serde_json::Value::Object(o)) if o.contains_key("tooLarge") => Err(too_large()),
            _ => Err(render_error(url, "the page has no document to read")),
        }
    }
}

/// Closes a page, stopping its script first (a page that ran out of time
/// may be in an endless loop). False if the browser did not answer.
async fn close_page(browser: &Browser, page: &Page) -> bool {
    let stop = page.execute(TerminateExecutionParams::default());
    let _ = tokio::time::timeout(STOP_GRACE, stop).await;
    let close = browser.execute(CloseTargetParams::new(page.target_id().clone()));
    matches!(tokio::time::timeout(STOP_GRACE, close).await, Ok(Ok(_)))
}

/// What the interceptor and the render share about one page.
#[derive(Default)]
struct PageState {
    in_flight: AtomicUsize,
    /// Milliseconds since `epoch` of the last request seen or answered.
    last_activity_ms: AtomicU64,
    epoch: std::sync::OnceLock<Instant>,
    requests: Mutex<Vec<PageRequest>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl PageState {
    fn epoch(&self) -> Instant {
        *self.epoch.get_or_init(Instant::now)
    }

    fn touch(&self) {
        let ms = self.epoch().elapsed().as_millis() as u64;
        self.last_activity_ms.store(ms, Ordering::SeqCst);
    }

    fn since_last_activity(&self) -> Duration {
        let now = self.epoch().elapsed();
        now.saturating_sub(Duration::from_millis(
            self.last_activity_ms.load(Ordering::SeqCst),
        ))
    }

    fn set_task(&self, task: JoinHandle<()>) {
        *self.task.lock().unwrap_or_else(|e| e.into_inner()) = Some(task);
    }

    fn stop(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
    }

    fn record(&self, request: PageRequest) {
        self.requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request);
    }
}

/// The fetched document, as served to Chromium.
struct Document {
    url: Url,
    status: u16,
    content_type: Option<String>,
    body: String,
}

impl Document {
    fn of(fetched: &Fetched) -> Self {
        Document {
            url: fetched.final_url.clone(),
            status: fetched.status,
            content_type: fetched.content_type.clone(),
            body: data_encoding::BASE64.encode(&fetched.body),
        }
    }
}

/// Answers every request a page makes (see the module docs).
struct Interceptor {
    page: Page,
    fetcher: Fetcher,
    allow: Vec<IpNet>,
    document: Document,
    state: Arc<PageState>,
    /// Bytes still allowed for the page's scripts and data.
    budget: u64,
}

impl Interceptor {
    async fn run(
        mut self,
        mut events: impl futures_util::Stream<Item = Arc<EventRequestPaused>> + Unpin,
    ) {
        let mut served_document = false;
        let mut fetched = 0usize;
        while let Some(event) = events.next().await {
            self.state.in_flight.fetch_add(1, Ordering::SeqCst);
            self.state.touch();
            let request = &event.request;
            let is_document = event.resource_type == ResourceType::Document
                && !served_document
                && same_document(&request.url, &self.document.url);
            if is_document {
                served_document = true;
                self.serve_document(&event).await;
            } else if is_favicon(&event) {
                // The browser's own request for the tab icon, not the page's.
                self.fail(&event, ErrorReason::BlockedByClient).await;
            } else {
                let outcome = self.answer(&event, &mut fetched).await;
                self.state.record(PageRequest {
                    method: request.method.clone(),
                    url: request.url.clone(),
                    kind: event.resource_type.as_ref().to_string(),
                    outcome,
                });
            }
            self.state.touch();
            self.state.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }

    async fn serve_document(&self, event: &EventRequestPaused) {
        let doc = &self.document;
        let headers = doc
            .content_type
            .iter()
            .map(|ct| HeaderEntry::new("Content-Type", ct.clone()))
            .collect();
        let mut fulfil = FulfillRequestParams::new(event.request_id.clone(), i64::from(doc.status));
        fulfil.response_headers = Some(headers);
        fulfil.body = Some(doc.body.clone().into());
        if let Err(e) = self.page.execute(fulfil).await {
            debug!(url = %doc.url, "could not serve the document to Chromium: {e}");
        }
    }

    /// Fetches a script or data request through the fetcher, or refuses it.
    async fn answer(&mut self, event: &EventRequestPaused, fetched: &mut usize) -> RequestOutcome {
        let request = &event.request;
        let wanted = matches!(
            event.resource_type,
            ResourceType::Script | ResourceType::Xhr | ResourceType::Fetch
        ) && request.method == "GET";
        let url = Url::parse(&request.url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let (Some(url), true) = (
            url,
            wanted && *fetched < MAX_SUBRESOURCES && self.budget > 0,
        ) else {
            self.fail(event, ErrorReason::BlockedByClient).await;
            return RequestOutcome::Refused;
        };
        *fetched += 1;
        let fetch = FetchRequest::new(url).allowing(self.allow.iter().copied());
        match self.fetcher.fetch(fetch).await {
            Ok(response) if (response.body.len() as u64) <= self.budget => {
                self.budget -= response.body.len() as u64;
                let headers = response
                    .content_type
                    .iter()
                    .map(|ct| HeaderEntry::new("Content-Type", ct.clone()))
                    .collect();
                let mut fulfil =
                    FulfillRequestParams::new(event.request_id.clone(), i64::from(response.status));
                fulfil.response_headers = Some(headers);
                fulfil.body = Some(data_encoding::BASE64.encode(&response.body).into());
                if let Err(e) = self.page.execute(fulfil).await {
                    debug!(url = %request.url, "could not answer the page's request: {e}");
                }
                RequestOutcome::Fetched {
                    status: response.status,
                }
            }
            Ok(_) => {
                self.budget = 0;
                self.fail(event, ErrorReason::BlockedByClient).await;
                RequestOutcome::Refused
            }
            Err(e) => {
                debug!(url = %request.url, "a rendered page's request failed: {e}");
                let reason = if e.refusal().is_some() {
                    ErrorReason::AddressUnreachable
                } else {
                    ErrorReason::Failed
                };
                self.fail(event, reason).await;
                RequestOutcome::Failed { kind: e.kind() }
            }
        }
    }

    async fn fail(&self, event: &EventRequestPaused, reason: ErrorReason) {
        let _ = self
            .page
            .execute(FailRequestParams::new(event.request_id.clone(), reason))
            .await;
    }
}

/// Whether `event` is the browser's request for `/favicon.ico`.
fn is_favicon(event: &EventRequestPaused) -> bool {
    event.resource_type == ResourceType::Other
        && Url::parse(&event.request.url).is_ok_and(|u| u.path() == "/favicon.ico")
}

/// Whether a navigation to `requested` is the document at `document`
/// (fragments aside).
fn same_document(requested: &str, document: &Url) -> bool {
    Url::parse(requested).is_ok_and(|mut u| {
        u.set_fragment(None);
        let mut d = document.clone();
        d.set_fragment(None);
        u == d
    })
}

/// The switches Chromium is started with beyond chromiumoxide's defaults
/// (`--headless`, `--disable-dev-shm-usage`, `--disable-background-networking`,
/// …), as (name, value) pairs without the leading `--`; an empty value is
/// a bare switch. No network of its own, bounded memory, nothing it does
/// not need.
fn browser_args(heap_mb: u64) -> Vec<(&'static str, String)> {
    vec![
        ("host-resolver-rules", "MAP * ~NOTFOUND".into()),
        ("proxy-server", "http://no-network.invalid:9".into()),
        ("proxy-bypass-list", "<-loopback>".into()),
        ("force-webrtc-ip-handling-policy", String::new()),
        (
            "webrtc-ip-handling-policy",
            "disable_non_proxied_udp".into(),
        ),
        ("dns-prefetch-disable", String::new()),
        ("disable-quic", String::new()),
        ("disable-gpu", String::new()),
        ("disable-dev-shm-usage", String::new()),
        ("disable-component-update", String::new()),
        ("disable-domain-reliability", String::new()),
        ("no-pings", String::new()),
        ("mute-audio", String::new()),
        ("blink-settings", "imagesEnabled=false".into()),
        ("js-flags", format!("--max-old-space-size={heap_mb}")),
    ]
}

/// Whether this process runs as root (Chromium's sandbox refuses root).
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1).map(|euid| euid == "0"))
            .unwrap_or(false)
    })
}

fn missing_browser(path: &Path) -> String {
    format!(
        "[render] chromium: {} does not exist or is not a file; install Chromium (Debian: apt-get \
         install chromium) or set [render] chromium to the browser's path",
        path.display()
    )
}

fn render_error(url: &Url, detail: &str) -> FetchError {
    FetchError::Render {
        url: url.to_string(),
        detail: detail.to_string(),
    }
}

/// The first line of a browser error, at most 300 characters.
fn brief(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    match line.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_are_the_configuration_s() {
        assert_eq!(
            RenderSettings::default(),
            RenderSettings {
                chromium: "/usr/bin/chromium".into(),
                timeout: Duration::from_secs(30),
                concurrency: 1,
                max_heap_bytes: 256_000_000,
                max_dom_bytes: 10_000_000,
            }
        );
    }

    #[test]
    fn a_missing_browser_is_named_with_its_setting() {
        let settings = RenderSettings {
            chromium: "/nonexistent/chromium".into(),
            ..RenderSettings::default()
        };
        let fetcher = Fetcher::new(crate::FetchSettings::default()).unwrap();
        let err = Renderer::new(settings, fetcher).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid fetch settings: [render] chromium: /nonexistent/chromium does not exist or \
             is not a file; install Chromium (Debian: apt-get install chromium) or set [render] \
             chromium to the browser's path"
        );
    }

    #[test]
    fn only_the_document_itself_is_served() {
        let doc = Url::parse("http://news.example/a?b=1").unwrap();
        assert!(same_document("http://news.example/a?b=1", &doc));
        assert!(same_document("http://news.example/a?b=1#top", &doc));
        assert!(!same_document("http://news.example/a", &doc));
        assert!(!same_document("not a url", &doc));
    }

    #[test]
    fn chromium_gets_no_network_and_a_bounded_heap() {
        let args = browser_args(256);
        let has = |name: &str, value: &str| args.contains(&(name, value.to_string()));
        assert!(has("host-resolver-rules", "MAP * ~NOTFOUND"));
        assert!(has("proxy-server", "http://no-network.invalid:9"));
        assert!(has("proxy-bypass-list", "<-loopback>"));
        assert!(has("js-flags", "--max-old-space-size=256"));
        assert!(has("disable-dev-shm-usage", ""));
    }
}
