//! Re-extraction: re-derives an article's versions from their archived
//! captures with the current extractor, so that an extraction fix reaches
//! the whole history (as Open Terms Archive does for its snapshots).
//!
//! For each version (those seen since a date, or all) whose capture is in
//! the archive, the stored response is decoded and extracted again (the
//! rendered DOM archived with it, for a page rendered by a browser); a
//! version without a capture, whose capture cannot be read, or whose page
//! no longer yields text keeps its text. Consecutive versions whose texts
//! became identical are merged into the first (keeping its time and
//! capture), every edit is assessed again, and the store rewrites the
//! history in one transaction with a `rebuilt` event. Nothing gets a new
//! time, so no feed entry is raised by the rebuild.

use std::path::Path;

use chrono::{DateTime, Utc};
use redline_archive::{CaptureLocation, read_capture, read_conversion};
use redline_classify::Context;
use redline_diff::ArticleText;
use redline_extract::Extractor;
use redline_store::{Article, ChangeInfo, RebuiltVersion, StoreError, prelude::*};

/// What re-extracting one article did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reextracted {
    /// The current extractor gives the same texts: nothing was written.
    Unchanged { versions: u32 },
    /// The history was rewritten.
    Rebuilt {
        before: u32,
        after: u32,
        /// Versions whose text the current extractor reads differently.
        texts_changed: u32,
    },
}

/// Re-derives the versions of `article` (those seen at or after `since`,
/// or all) from the captures in `archive` with `extractor`, decoding no
/// body past `max_body` (the configuration's `[crawl] max_body`, as the
/// crawler does). Captures that cannot be read are counted in
/// `unreadable` and keep their version's text.
#[allow(clippy::too_many_arguments)]
pub fn reextract_article(
    store: &dyn Store,
    archive: &Path,
    extractor: &Extractor,
    max_body: u64,
    article: &Article,
    since: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    unreadable: &mut Vec<String>,
) -> Result<Reextracted, StoreError> {
    let metas = store.versions(article.id)?;
    if metas.is_empty() {
        return Ok(Reextracted::Unchanged { versions: 0 });
    }
    let keys: Vec<_> = metas.iter().map(|m| (article.id, m.number)).collect();
    let stored = store.version_texts(&keys)?;
    let mut texts: Vec<(ArticleText, bool)> = Vec::with_capacity(metas.len());
    for (meta, version) in metas.iter().zip(&stored) {
        let due = since.is_none_or(|s| meta.seen_at >= s);
        let fresh = match (&meta.capture, due) {
            (Some(capture), true) => {
                let location = CaptureLocation {
                    file: capture.file.clone(),
                    offset: capture.offset,
                    length: capture.length,
                };
                match extract_capture(archive, &location, extractor, max_body) {
                    Ok(text) => text,
                    Err(e) => {
                        unreadable.push(format!(
                            "article {} version {}: {e}",
                            article.id, meta.number
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        match fresh {
            Some(text) if text != version.text => texts.push((text, true)),
            _ => texts.push((version.text.clone(), false)),
        }
    }
    let texts_changed = texts.iter().filter(|(_, changed)| *changed).count() as u32;
    if texts_changed == 0 {
        return Ok(Reextracted::Unchanged {
            versions: metas.len() as u32,
        });
    }
    // Merge consecutive versions whose texts became identical.
    let context = Context {
        live: redline_classify::live::is_live_url(&article.url),
    };
    let mut rebuilt: Vec<RebuiltVersion> = Vec::new();
    for (meta, (text, _)) in metas.iter().zip(texts) {
        if let Some(last) = rebuilt.last_mut()
            && last.text == text
        {
            last.replaces.push(meta.number);
            continue;
        }
        let (minor, words, change) = match rebuilt.last() {
            Some(previous) => {
                let d = redline_diff::diff(&previous.text, &text);
                let a = redline_classify::assess(&previous.text, &text, context);
                let minor = previous.text.fingerprint() == text.fingerprint()
                    || a.labels == [redline_classify::Label::Style];
                let words = (d.words_added as u32, d.words_removed as u32);
                (minor, words, Some(ChangeInfo::from_assessment(&a)))
            }
            None => (false, (text.word_count() as u32, 0), None),
        };
        rebuilt.push(RebuiltVersion {
            replaces: vec![meta.number],
            seen_at: meta.seen_at,
            text,
            published: meta.published,
            capture: meta.capture.clone(),
            minor,
            words_added: words.0,
            words_removed: words.1,
            change,
        });
    }
    let (before, after) = (metas.len() as u32, rebuilt.len() as u32);
    let detail = format!(
        "re-derived from the archived captures with the current extractor: {texts_changed} of \
         {before} versions read differently, {before} versions became {after}"
    );
    store.rebuild_versions(article.id, before, &rebuilt, &detail, now)?;
    Ok(Reextracted::Rebuilt {
        before,
        after,
        texts_changed,
    })
}

/// The text the extractor finds in a stored capture; None when the page
/// yields no text (a wall, an error page) or is not a 200.
fn extract_capture(
    archive: &Path,
    location: &CaptureLocation,
    extractor: &Extractor,
    max_body: u64,
) -> Result<Option<ArticleText>, String> {
    let capture = read_capture(archive, location).map_err(|e| e.to_string())?;
    if !(200..300).contains(&capture.status) {
        return Ok(None);
    }
    // A page rendered by a browser (render = "chromium") was extracted from
    // its rendered DOM, archived right after it: extracted from that again.
    let rendered = read_conversion(archive, location).map_err(|e| e.to_string())?;
    let (body, content_type) = match rendered {
        Some(dom) => {
            let content_type = dom.header("Content-Type").map(str::to_string);
            (dom.block, content_type)
        }
        None => {
            let body = redline_fetch::decode_body(
                capture.header_values("content-encoding"),
                &capture.payload,
                max_body,
            )
            .map_err(|e| format!("the stored body does not decode: {e}"))?;
            let content_type = capture
                .header("content-type")
                .map(|v| String::from_utf8_lossy(v).into_owned());
            (body, content_type)
        }
    };
    let html = redline_extract::decode_html(&body, content_type.as_deref());
    let article = extractor.extract(&html);
    if article.blocked.is_some() {
        return Ok(None);
    }
    let text = crate::text::version_text(&article);
    Ok((!text.is_empty()).then_some(text))
}
