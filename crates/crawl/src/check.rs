//! One article check: fetch the page (conditionally), archive the raw
//! exchange, extract the text, classify it against the kept versions,
//! assess the change against the live one (labels, significance, summary),
//! schedule the next check, and write it all in one store transaction.
//!
//! A page answering 404 or 410 is a removal, a URL that now leads to a
//! different page (another tracked article, a page the source's
//! `article_url` refuses, a site's front page) a redirect; both are changes,
//! and such an article is re-checked every `max_interval` until
//! `retire_after`, so that its return is seen (a change of its own, with the
//! diff against the last version seen).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chrono::{DateTime, Utc};
use redline_classify::Context;
use redline_diff::{ArticleText, Classification};
use redline_fetch::{FetchRequest, Fetched};
use redline_store::{
    ArticleStatus, CaptureRef, ChangeInfo, CheckOutcome, CheckRecord, DueArticle, HttpFacts,
    NewVersion, StoreError,
};
use url::Url;

use crate::crawler::Inner;
use crate::report::{CheckReport, CheckResult};
use crate::schedule::Observation;

/// What fetching and extracting found, before comparing with the store.
enum Observed {
    /// `reason`: see [`CheckResult::Failed`].
    Failed {
        reason: &'static str,
        error: String,
    },
    NotModified {
        http: HttpFacts,
    },
    Gone {
        status: u16,
        http: HttpFacts,
    },
    Page(Box<Page>),
}

/// An article page that yielded text.
#[derive(Clone)]
struct Page {
    text: ArticleText,
    /// A live blog: new posts are one `live` change.
    live: bool,
    published: Option<DateTime<Utc>>,
    canonical: Option<Url>,
    final_url: Url,
    capture: CaptureRef,
    http: HttpFacts,
    /// What the text was extracted from.
    source: Source,
}

/// The bytes given to the extractor, with their Content-Type: a fetch that
/// gives the same (at the same final URL) gives the same text, so a
/// confirmation fetch answered byte for byte alike is not extracted again.
#[derive(Clone, PartialEq)]
struct Source {
    body: redline_archive::Bytes,
    content_type: Option<String>,
}

/// Classification attempts before giving up on a check whose article keeps
/// gaining versions from another writer.
const MAX_CONFLICTS: usize = 3;

impl Inner {
    /// Checks one claimed article and records the result. A debug event
    /// (target `redline_crawl::check`) marks the start and the end of every
    /// check, with this crawler's id and the article's: from the logs of
    /// crawlers sharing a database one can tell which crawler checked which
    /// article when (tests/crash_postgres.rs asserts no two at once). The
    /// end is logged once the result is recorded (or the check given up);
    /// a third event, `check records`, just before each write of the result:
    /// that write ends the lease, so another crawler may start on the
    /// article between the two.
    pub(crate) async fn check(self: &Arc<Self>, due: DueArticle) -> CheckReport {
        let article = due.id;
        tracing::debug!(crawler = self.id.as_str(), article, "check starts");
        let report = self.check_claimed(due).await;
        tracing::debug!(crawler = self.id.as_str(), article, "check ends");
        report
    }

    async fn check_claimed(self: &Arc<Self>, mut due: DueArticle) -> CheckReport {
        let mut observed = self.observe(&due, false, None).await;
        let mut confirmed = false;
        let mut conflicts = 0;
        loop {
            let record = match self.decide(&due, &observed).await {
                Ok(record) => record,
                Err(e) => {
                    let error = format!("could not read the article's versions: {e}");
                    let reason = "store";
                    return self.report(&due, CheckResult::Failed { reason, error });
                }
            };
            let result = CheckResult::of(&record.outcome, due.version_count);
            let changed = matches!(
                result,
                CheckResult::NewArticle | CheckResult::NewVersion { .. }
            );
            if changed && !confirmed {
                // A text is only kept once a second fetch agrees with it.
                observed = self.confirm(&due, observed).await;
                confirmed = true;
                continue;
            }
            // The write ends the lease: from its commit another crawler may
            // claim the article, a moment before this one logs its end.
            tracing::debug!(
                crawler = self.id.as_str(),
                article = due.id,
                "check records"
            );
            let reason = "store";
            let error = match self.record(record).await {
                Ok(_) => return self.report(&due, result),
                Err(StoreError::Conflict { .. }) if conflicts < MAX_CONFLICTS => {
                    // Another writer added a version: classify again
                    // against the article as it is now.
                    conflicts += 1;
                    let (id, now, owner) = (due.id, Utc::now(), self.id.clone());
                    let lease_until = now + self.lease();
                    match self
                        .with_store(move |s| s.claim(&owner, id, now, lease_until))
                        .await
                    {
                        Ok(Some(fresh)) => {
                            due = fresh;
                            continue;
                        }
                        Ok(None) => "the article was deleted while being checked".to_string(),
                        Err(e) => {
                            format!("could not re-read the article after a concurrent write: {e}")
                        }
                    }
                }
                Err(StoreError::Conflict { .. }) => {
                    "the article kept changing in the database while being checked".to_string()
                }
                Err(e) => format!("could not store the result: {e}"),
            };
            return self.report(&due, CheckResult::Failed { reason, error });
        }
    }

    /// Fetches the page again before a changed text is believed:
    /// - a second fetch that agrees confirms it;
    /// - if it disagrees, a third fetch decides: agreeing with the second,
    ///   the page was edited between the first two fetches and the newer
    ///   text stands; agreeing with the first, the first stands;
    /// - if all three differ, only the paragraphs all three show are kept:
    ///   paragraphs that differ between requests a moment apart are
    ///   boilerplate (tickers, rotating lists) that must never make a version.
    ///
    /// A confirmation fetch that fails leaves the text it was checking.
    async fn confirm(self: &Arc<Self>, due: &DueArticle, first: Observed) -> Observed {
        let Observed::Page(first) = first else {
            return first;
        };
        let second = match self.observe(due, true, Some(&first)).await {
            Observed::Page(second) if second.text != first.text => second,
            _ => return Observed::Page(first),
        };
        let third = match self.observe(due, true, Some(&second)).await {
            Observed::Page(third) => third,
            _ => return Observed::Page(first),
        };
        if third.text == second.text {
            return Observed::Page(second);
        }
        if third.text == first.text {
            return Observed::Page(first);
        }
        let mut page = first;
        // Diffs of untrusted text run on the blocking pool, not a runtime
        // worker.
        let (mine, texts) = (page.text.clone(), (second.text, third.text));
        let common =
            tokio::task::spawn_blocking(move || mine.common_with(&texts.0).common_with(&texts.1))
                .await
                .unwrap_or_else(|_| page.text.clone());
        tracing::debug!(
            article = due.id,
            dropped = page.text.paragraphs.len() - common.paragraphs.len(),
            "paragraphs differ between three fetches; keeping what all show"
        );
        if !common.is_empty() {
            page.text = common;
        }
        Observed::Page(page)
    }

    /// Fetches, archives and extracts. A `fresh` fetch is unconditional.
    /// When the bytes to extract are those `like` was extracted from, at
    /// the same final URL, its text is taken again (the extractor is a
    /// function of the bytes): a confirmation fetch answered with the very
    /// same page costs no second extraction, and still confirms nothing
    /// but what the site sent twice.
    async fn observe(
        self: &Arc<Self>,
        due: &DueArticle,
        fresh: bool,
        like: Option<&Page>,
    ) -> Observed {
        let url = match Url::parse(&due.url) {
            Ok(url) => url,
            Err(e) => {
                return Observed::Failed {
                    reason: "invalid_url",
                    error: format!("the stored URL is invalid: {e}"),
                };
            }
        };
        let conditional = self.conditional_requests && due.version_count > 0 && !fresh;
        // An article may be on the network of one of its source's
        // listings (a newsroom on one machine); elsewhere, public only.
        let allow = self.runtime_or_generic(&due.source).await.networks.clone();
        let request = FetchRequest {
            url,
            etag: due.etag.clone().filter(|_| conditional),
            last_modified: due.last_modified.clone().filter(|_| conditional),
            allow: allow.clone(),
        };
        let fetched = match self.fetcher.fetch(request).await {
            Ok(fetched) => fetched,
            Err(e) => {
                return Observed::Failed {
                    reason: e.kind(),
                    error: e.to_string(),
                };
            }
        };
        // A source with render = "chromium": the page as the browser leaves
        // it, archived next to the raw response.
        let rendered = self.render_page(&due.source, &fetched, &allow).await;
        let conversion = match &rendered {
            Some(Ok(page)) => Some(conversion_of(page)),
            _ => None,
        };
        let capture = match self.archive_capture(&fetched, conversion).await {
            Ok(capture) => capture,
            Err(error) => {
                return Observed::Failed {
                    reason: "archive",
                    error,
                };
            }
        };
        let http = HttpFacts {
            final_url: (fetched.final_url.as_str() != due.url)
                .then(|| fetched.final_url.to_string()),
            etag: fetched.etag.clone(),
            last_modified: fetched.last_modified.clone(),
        };
        if fetched.not_modified {
            // A 304 need not repeat the validators; keep the ones we sent.
            let http = HttpFacts {
                etag: http.etag.or_else(|| due.etag.clone()),
                last_modified: http.last_modified.or_else(|| due.last_modified.clone()),
                ..http
            };
            return Observed::NotModified { http };
        }
        if fetched.is_gone() {
            return Observed::Gone {
                status: fetched.status,
                http,
            };
        }
        if let Some((reason, error)) = status_problem(&fetched) {
            return Observed::Failed { reason, error };
        }
        if let Some((reason, error)) = content_problem(&fetched) {
            return Observed::Failed { reason, error };
        }
        let (body, content_type) = match rendered {
            None => (fetched.body.clone(), fetched.content_type.clone()),
            Some(Ok(page)) => (page.html.into(), Some(RENDERED_TYPE.to_string())),
            Some(Err(e)) => {
                return Observed::Failed {
                    reason: e.kind(),
                    error: e.to_string(),
                };
            }
        };
        let source = Source {
            body: body.clone(),
            content_type: content_type.clone(),
        };
        if let Some(like) = like.filter(|p| p.source == source && p.final_url == fetched.final_url)
        {
            return Observed::Page(Box::new(Page {
                capture,
                http,
                ..like.clone()
            }));
        }
        let runtime = self.runtime_or_generic(&due.source).await;
        let extracted = tokio::task::spawn_blocking(move || {
            let html = redline_extract::decode_html(&body, content_type.as_deref());
            let article = runtime.extractor.extract(&html);
            (article, fetched.final_url)
        })
        .await;
        let Ok((article, final_url)) = extracted else {
            return Observed::Failed {
                reason: "extractor",
                error: "the extractor failed on this page".into(),
            };
        };
        if let Some(blocked) = article.blocked {
            // A wall standing in for the article is never a version (nor,
            // later, a rewrite when the full text comes back).
            return Observed::Failed {
                reason: "blocked",
                error: format!(
                    "blocked: {blocked} in place of the article; nothing was stored, it will be \
                     tried again at its next check"
                ),
            };
        }
        let text = crate::text::version_text(&article);
        if text.is_empty() {
            return Observed::Failed {
                reason: "no_text",
                error: "no article text found on the page: it may be a paywall, a consent or \
                        bot-protection page, or not an article; nothing was stored"
                    .into(),
            };
        }
        let canonical = article
            .canonical_url
            .and_then(|c| redline_discover::canonicalize(&c, Some(&final_url)).ok());
        let live = article.live || redline_classify::live::is_live_url(&due.url);
        Observed::Page(Box::new(Page {
            text,
            live,
            published: article.published.map(|p| p.with_timezone(&Utc)),
            canonical,
            final_url,
            capture,
            http,
            source,
        }))
    }

    /// Compares what was observed with the store and builds the record.
    async fn decide(
        self: &Arc<Self>,
        due: &DueArticle,
        observed: &Observed,
    ) -> Result<CheckRecord, StoreError> {
        let now = Utc::now();
        let mut aliases = Vec::new();
        let (outcome, http) = match observed {
            Observed::Failed { reason, error } => (
                CheckOutcome::Failed {
                    reason,
                    error: error.clone(),
                },
                None,
            ),
            Observed::NotModified { http } => (CheckOutcome::NotModified, Some(http.clone())),
            Observed::Gone { status, http } => (
                CheckOutcome::Gone {
                    status: *status,
                    change: ChangeInfo::from_event(&redline_classify::events::removed(*status)),
                },
                Some(http.clone()),
            ),
            Observed::Page(page) => {
                let Page {
                    text,
                    live,
                    published,
                    canonical,
                    final_url,
                    capture,
                    http,
                    source: _,
                } = page.as_ref();
                let runtime = self.runtime_or_generic(&due.source).await;
                let accepted = |u: &Url| u.as_str() != due.url && runtime.filter.accepts(u, None);
                let final_url = redline_discover::canonicalize(final_url.as_str(), None).ok();
                let elsewhere = match &final_url {
                    Some(target) if due.version_count > 0 && target.as_str() != due.url => {
                        let home = matches!(target.path(), "" | "/");
                        let refused = !runtime.filter.accepts(target, None);
                        home || refused || self.owned_by_another(due, target).await?
                    }
                    _ => false,
                };
                if elsewhere && let Some(target) = &final_url {
                    let to = target.to_string();
                    let change = ChangeInfo::from_event(&redline_classify::events::redirected(&to));
                    let outcome = CheckOutcome::Redirected { to, change };
                    return Ok(self.finish(due, now, outcome, Some(http.clone()), Vec::new()));
                }
                for candidate in [canonical.as_ref(), final_url.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    if accepted(candidate) && !aliases.contains(&candidate.to_string()) {
                        aliases.push(candidate.to_string());
                    }
                }
                if let Some(into) = self.duplicate_of(due, &aliases).await? {
                    aliases.clear();
                    (CheckOutcome::Merged { into }, Some(http.clone()))
                } else {
                    let context = Context { live: *live };
                    let outcome = self
                        .classify(due, text, *published, capture, context)
                        .await?;
                    (outcome, Some(http.clone()))
                }
            }
        };
        Ok(self.finish(due, now, outcome, http, aliases))
    }

    /// Schedules the next check and builds the record.
    fn finish(
        &self,
        due: &DueArticle,
        now: DateTime<Utc>,
        outcome: CheckOutcome,
        http: Option<HttpFacts>,
        aliases: Vec<String>,
    ) -> CheckRecord {
        let observation = match outcome {
            CheckOutcome::NewVersion(_)
            | CheckOutcome::Reverted { .. }
            | CheckOutcome::Restored { .. } => Observation::Changed,
            _ => Observation::Quiet,
        };
        let next = self.policy.next(
            now,
            due.check_interval,
            observation,
            due.last_changed,
            due.first_seen,
        );
        let gone = matches!(
            outcome,
            CheckOutcome::Gone { .. } | CheckOutcome::Redirected { .. }
        ) || (due.status == ArticleStatus::Gone
            && matches!(
                outcome,
                CheckOutcome::Failed { .. } | CheckOutcome::NotModified | CheckOutcome::Unchanged
            ));
        let (next_check, interval, retire) = if gone {
            // A gone article is looked at again once every `max_interval`
            // until it has been quiet for `retire_after`.
            let quiet_for = (now - due.last_changed.unwrap_or(due.first_seen))
                .to_std()
                .unwrap_or_default();
            let next = (quiet_for < self.policy.retire_after)
                .then(|| crate::schedule::plus(now, self.policy.max_interval));
            (next, self.policy.max_interval, false)
        } else {
            (Some(next.next_check), next.interval, next.retire)
        };
        CheckRecord {
            article: due.id,
            at: now,
            expected_versions: due.version_count,
            outcome,
            next_check,
            check_interval: interval,
            retire,
            http,
            aliases,
        }
    }

    /// True when `url` is the URL of another tracked article.
    async fn owned_by_another(
        self: &Arc<Self>,
        due: &DueArticle,
        url: &Url,
    ) -> Result<bool, StoreError> {
        let url = url.to_string();
        let found = self.with_store(move |s| s.find_by_url(&url)).await?;
        Ok(found.is_some_and(|a| a.id != due.id))
    }

    /// For an article with no version yet, the already-tracked article that
    /// one of its other URLs belongs to.
    async fn duplicate_of(
        self: &Arc<Self>,
        due: &DueArticle,
        aliases: &[String],
    ) -> Result<Option<i64>, StoreError> {
        if due.version_count > 0 {
            return Ok(None);
        }
        for alias in aliases {
            let alias = alias.clone();
            let found = self.with_store(move |s| s.find_by_url(&alias)).await?;
            if let Some(other) = found.filter(|a| a.id != due.id) {
                return Ok(Some(other.id));
            }
        }
        Ok(None)
    }

    async fn classify(
        self: &Arc<Self>,
        due: &DueArticle,
        text: &ArticleText,
        published: Option<DateTime<Utc>>,
        capture: &CaptureRef,
        context: Context,
    ) -> Result<CheckOutcome, StoreError> {
        let identity = text.identity();
        let was_gone = due.status == ArticleStatus::Gone;
        let id = due.id;
        // Most checks find the live text again: decide that without reading.
        let classification = if due.live.is_some_and(|live| identity.is(live.hash)) {
            Classification::Unchanged
        } else {
            let known = if due.version_count > 0 {
                self.with_store(move |s| s.known_versions(id)).await?
            } else {
                Vec::new()
            };
            redline_diff::classify(identity, due.live.as_ref(), &known)
        };
        let minor = match classification {
            Classification::Unchanged if !was_gone => {
                return Ok(CheckOutcome::Unchanged);
            }
            Classification::Unchanged | Classification::Reverted { .. } => {
                let to = match classification {
                    Classification::Reverted { to } => to,
                    _ => due.live.map_or(0, |l| l.number),
                };
                let live = due.live.map_or(to, |l| l.number);
                let texts = self.texts(id, [live, to]).await?;
                let new = text.clone();
                let assessed = self
                    .blocking(move || match was_gone {
                        true => redline_classify::events::restored(&texts[0], &new, context),
                        false => redline_classify::assess(&texts[0], &new, context),
                    })
                    .await?;
                let change = ChangeInfo::from_assessment(&assessed);
                return Ok(if was_gone {
                    CheckOutcome::Restored { to, change }
                } else {
                    CheckOutcome::Reverted { to, change }
                });
            }
            Classification::Changed { minor } => minor,
        };
        let (words_added, words_removed, change) = match due.live {
            Some(live) => {
                let [previous] = self.texts(id, [live.number]).await?;
                let new = text.clone();
                self.blocking(move || {
                    let d = redline_diff::diff(&previous, &new);
                    let a = if was_gone {
                        redline_classify::events::restored(&previous, &new, context)
                    } else {
                        redline_classify::assess(&previous, &new, context)
                    };
                    (
                        d.words_added as u32,
                        d.words_removed as u32,
                        Some(ChangeInfo::from_assessment(&a)),
                    )
                })
                .await?
            }
            None => (text.word_count() as u32, 0, None),
        };
        // Minor is what the classifier calls style: whitespace and
        // punctuation, and also a byline re-cased, a typo fixed, a number
        // written another way (the fingerprint sees the first two only).
        let minor = minor
            || change
                .as_ref()
                .is_some_and(|c| c.labels == [redline_classify::Label::Style]);
        let version = NewVersion {
            text: text.clone(),
            change,
            restored: was_gone && due.version_count > 0,
            published,
            minor,
            words_added,
            words_removed,
            capture: Some(capture.clone()),
        };
        Ok(CheckOutcome::NewVersion(version))
    }

    /// The texts of some versions of an article.
    async fn texts<const N: usize>(
        self: &Arc<Self>,
        id: i64,
        numbers: [u32; N],
    ) -> Result<[ArticleText; N], StoreError> {
        let keys: Vec<(i64, u32)> = numbers.iter().map(|&n| (id, n)).collect();
        let found = self.with_store(move |s| s.version_texts(&keys)).await?;
        let texts: Vec<ArticleText> = numbers
            .iter()
            .map(|&n| {
                found
                    .iter()
                    .find(|v| v.meta.number == n)
                    .map(|v| v.text.clone())
                    .ok_or_else(|| StoreError::Invalid(format!("article {id} has no version {n}")))
            })
            .collect::<Result<_, _>>()?;
        texts
            .try_into()
            .map_err(|_| StoreError::Other("version texts out of step".into()))
    }

    /// Runs a diff or an assessment of untrusted text on the blocking pool,
    /// not a runtime worker.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, StoreError> {
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| StoreError::Other(format!("diff task failed: {e}")))
    }

    /// Writes a record, waiting (with a clear log) while the store refuses
    /// writes for a reason an operator can fix: a full disk, a read-only
    /// file. Nothing is lost meanwhile: the record waits in memory.
    async fn record(self: &Arc<Self>, record: CheckRecord) -> Result<Option<u32>, StoreError> {
        self.with_store(move |s| s.record_check(&record)).await
    }

    /// Pauses the crawler while storage refuses writes: logs the reason
    /// once, then waits (growing up to 30 s). Returns false once shutdown
    /// has begun, when the caller should give up.
    pub(crate) async fn storage_refused(
        &self,
        error: &(dyn std::fmt::Display + Sync),
        wait: &mut Duration,
    ) -> bool {
        if self.stopping.load(Ordering::Relaxed) {
            return false;
        }
        if !self.storage_paused.swap(true, Ordering::Relaxed) {
            tracing::error!("{error}");
            tracing::error!(
                "crawling paused until storage (the database or the archive's disk) accepts \
                 writes again; nothing stored is lost, and results waiting are kept"
            );
        }
        tokio::time::sleep(*wait).await;
        *wait = (*wait * 2).min(Duration::from_secs(30));
        true
    }

    /// Ends a pause, if any, with a log line.
    pub(crate) fn storage_accepted(&self) {
        if self.storage_paused.swap(false, Ordering::Relaxed) {
            tracing::warn!("storage accepts writes again: crawling resumed");
        }
    }

    /// Appends the final exchange to the WARC archive.
    pub(crate) async fn archive_exchange(
        self: &Arc<Self>,
        fetched: &Fetched,
    ) -> Result<CaptureRef, String> {
        self.archive_capture(fetched, None).await
    }

    /// Renders `fetched` when its source asks for it (`render = "chromium"`)
    /// and it is a page that yields text: None otherwise.
    async fn render_page(
        self: &Arc<Self>,
        source: &str,
        fetched: &Fetched,
        allow: &[redline_fetch::IpNet],
    ) -> Option<Result<redline_fetch::Rendered, redline_fetch::FetchError>> {
        let render = self
            .render
            .as_ref()
            .filter(|r| r.sources.contains(source))?;
        let page =
            fetched.is_success() && !fetched.not_modified && content_problem(fetched).is_none();
        match page {
            true => Some(render.renderer.render(fetched, allow).await),
            false => None,
        }
    }

    /// Appends the final exchange to the WARC archive, with the page's
    /// rendered DOM as a `conversion` record after it when there is one.
    async fn archive_capture(
        self: &Arc<Self>,
        fetched: &Fetched,
        conversion: Option<redline_archive::Conversion>,
    ) -> Result<CaptureRef, String> {
        let capture = fetched.exchange.to_capture();
        let capture = Arc::new((capture, conversion));
        let mut wait = Duration::from_secs(1);
        loop {
            let inner = self.clone();
            let capture = capture.clone();
            let written = tokio::task::spawn_blocking(move || {
                let mut archive = inner.archive.lock().unwrap_or_else(|e| e.into_inner());
                match &capture.1 {
                    Some(conversion) => archive.append_converted(&capture.0, conversion),
                    None => archive.append(&capture.0),
                }
            })
            .await;
            match written {
                Ok(Ok(location)) => {
                    self.storage_accepted();
                    return Ok(CaptureRef {
                        file: location.file,
                        offset: location.offset,
                        length: location.length,
                    });
                }
                // A full disk: hold the capture and wait for space.
                Ok(Err(e)) if e.is_storage_full() && self.storage_refused(&e, &mut wait).await => {}
                Ok(Err(e)) => {
                    return Err(format!(
                        "could not write the raw capture to the archive: {e}; nothing was stored"
                    ));
                }
                Err(e) => return Err(format!("the archive task failed: {e}")),
            }
        }
    }
}

/// The Content-Type of a rendered DOM, as archived and as extracted.
const RENDERED_TYPE: &str = "text/html; charset=utf-8";

/// A rendered page as the archive's `conversion` record.
fn conversion_of(page: &redline_fetch::Rendered) -> redline_archive::Conversion {
    redline_archive::Conversion {
        converted_at: page.rendered_at,
        content_type: RENDERED_TYPE.into(),
        body: page.html.clone().into_bytes().into(),
    }
}

/// The problem (reason, message) with a final HTTP status other than
/// success, 304, 404, 410.
fn status_problem(fetched: &Fetched) -> Option<(&'static str, String)> {
    let status = fetched.status;
    let attempts = match fetched.attempts {
        1 => "1 attempt".to_string(),
        n => format!("{n} attempts"),
    };
    let message = match status {
        200..=299 => return None,
        401 | 403 => format!(
            "access denied (HTTP {status}): the site may block crawlers, require a login or \
             sit behind bot protection; nothing was stored"
        ),
        429 => format!(
            "rate limited by the site (HTTP 429) after {attempts}; it will be retried at its \
             next check"
        ),
        500..=599 => format!(
            "server error (HTTP {status}) after {attempts}; it will be retried at its next \
             check"
        ),
        _ => format!("unexpected HTTP status {status}; nothing was stored"),
    };
    let reason = match status {
        401 | 403 => "access_denied",
        429 => "rate_limited",
        500..=599 => "server_error",
        _ => "http_status",
    };
    Some((reason, message))
}

/// The problem (reason, message) with a body that is not an HTML page.
fn content_problem(fetched: &Fetched) -> Option<(&'static str, String)> {
    if let Some(content_type) = &fetched.content_type {
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let textual = mime.is_empty()
            || mime.contains("html")
            || mime.contains("xml")
            || mime.starts_with("text/");
        if !textual {
            return Some((
                "not_html",
                format!("not an HTML page (Content-Type: {mime}); nothing was stored"),
            ));
        }
    }
    if looks_binary(&fetched.body) {
        return Some((
            "binary",
            "the response is binary data, not an HTML page (whatever its Content-Type says); \
             nothing was stored"
                .into(),
        ));
    }
    None
}

/// True when the start of a body holds NUL bytes or many other control
/// bytes: no HTML page in any charset does.
fn looks_binary(body: &[u8]) -> bool {
    let head = &body[..body.len().min(4096)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    head.contains(&0) || controls * 100 > head.len().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_bodies_are_recognised() {
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"));
        assert!(!looks_binary(b"<html><body><p>Hello</p></body></html>"));
        assert!(!looks_binary("<p>Caf\u{e9} \u{2014} ok</p>".as_bytes()));
        let mut noisy = vec![b'a'; 100];
        noisy.extend([1u8, 2, 3]);
        assert!(looks_binary(&noisy));
    }
}
