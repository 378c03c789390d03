//! Diff cards on the web: the [`redline_card::Card`] of a change made from
//! the diff of two versions and its assessment (which changed sentences
//! are the most significant), served as PNG at
//! `/articles/{id}/diff/{a}/{b}.png`, and the link-preview tags (Open
//! Graph, Twitter) the diff page carries to point at it.

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use redline_card::{Card, Segment, SegmentKind};
use redline_classify::{ActionKind, Assessment};
use redline_diff::PieceOp;
use redline_store::VersionMeta;

use crate::error::{AppError, AppResult};
use crate::{AppState, BaseUrl, blocking, cache, params, visible_article};

/// The changed sentences a card shows at most.
const SENTENCES: usize = 2;

/// How much one sentence-level action says about the change, for picking
/// the card's sentences: the words it changes (an edit inside a sentence
/// counts double: a card shows it best), with the weights the
/// significance score gives numbers and quotes (see classify's
/// LABELS.md): a changed figure or quotation first. A move that changes
/// no word says nothing.
pub(crate) fn weight(action: &redline_classify::Action) -> u32 {
    let changed: Vec<&str> = match action.kind {
        ActionKind::Addition => vec![action.new_text.as_str()],
        ActionKind::Deletion => vec![action.old_text.as_str()],
        _ => action
            .pieces
            .iter()
            .filter(|p| p.op != PieceOp::Equal)
            .map(|p| p.text.as_str())
            .collect(),
    };
    let words: u32 = changed
        .iter()
        .map(|t| t.split_whitespace().count() as u32)
        .sum::<u32>()
        .min(40);
    if words == 0 {
        return 0;
    }
    let inside = !matches!(action.kind, ActionKind::Addition | ActionKind::Deletion);
    let digits = changed
        .iter()
        .any(|t| t.chars().any(|c| c.is_ascii_digit()));
    let quote = changed.iter().any(|t| {
        t.chars()
            .any(|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
    });
    words * if inside { 2 } else { 1 } + if digits { 30 } else { 0 } + if quote { 15 } else { 0 }
}

/// The segments of one action: its word-level diff, or the whole sentence
/// added or removed.
fn segments(action: &redline_classify::Action) -> Vec<Segment> {
    match action.kind {
        ActionKind::Addition => vec![Segment::new(SegmentKind::Added, &action.new_text)],
        ActionKind::Deletion => vec![Segment::new(SegmentKind::Removed, &action.old_text)],
        _ => action
            .pieces
            .iter()
            .map(|p| {
                let kind = match p.op {
                    PieceOp::Equal => SegmentKind::Same,
                    PieceOp::Delete => SegmentKind::Removed,
                    PieceOp::Insert => SegmentKind::Added,
                };
                Segment::new(kind, &p.text)
            })
            .collect(),
    }
}

/// The card of the change from `from` to `to`: the headlines of both, the
/// (at most two) changed sentences of most [`weight`], heaviest first
/// (ties in reading order), and the time between the versions.
pub fn card_of(
    source_title: &str,
    site_name: &str,
    from: &VersionMeta,
    to: &VersionMeta,
    assessment: &Assessment,
) -> Card {
    let mut ranked: Vec<(u32, usize)> = assessment
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| (weight(a), i))
        .filter(|(w, _)| *w > 0)
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let sentences = ranked
        .iter()
        .take(SENTENCES)
        .map(|&(_, i)| segments(&assessment.actions[i]))
        .collect();
    Card {
        source: source_title.to_string(),
        site_name: site_name.to_string(),
        headline_before: from.title.clone(),
        headline_after: to.title.clone(),
        sentences,
        elapsed: crate::time::later(from.seen_at, to.seen_at),
    }
}

/// The site name a card shows: the host of this redline's base URL.
pub fn site_name(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if host.is_empty() {
        "redline".into()
    } else {
        host.to_string()
    }
}

/// The path of the card of versions `from` → `to` of article `id`.
pub fn card_path(id: redline_store::ArticleId, from: u32, to: u32) -> String {
    format!("/articles/{id}/diff/{from}/{to}.png")
}

/// `GET /articles/{id}/diff/{a}/{b}.png`: the card, rendered on the
/// blocking pool and kept in the cache.
pub async fn png(
    state: AppState,
    id: String,
    a: String,
    b: String,
    base: BaseUrl,
) -> AppResult<Response> {
    let site = site_name(&base.0);
    let diffs = state.diffs.clone();
    let cards = state.cards.clone();
    let body: Bytes = blocking(&state, move |store| {
        let article = visible_article(store, &id)?;
        let versions = store.versions(article.id)?;
        let count = versions.len() as u32;
        let from = params::version_number(&a, count)?;
        let to = params::version_number(&b, count)?;
        let key = (article.id, from, to);
        if let Some(png) = cards.get(key, &site) {
            return Ok(png);
        }
        let diff = cache::diff_pair(&diffs, store, article.id, from, to)?;
        let assessment = cache::assessment(&diff, &article.url);
        let source_title = crate::pages::source_title(store, &article)?;
        let card = card_of(
            &source_title,
            &site,
            &versions[from as usize],
            &versions[to as usize],
            &assessment,
        );
        let png = Bytes::from(
            redline_card::render(&card)
                .map_err(|e| AppError::Internal(format!("the card could not be drawn: {e}")))?,
        );
        cards.put(key, &site, png.clone());
        Ok(png)
    })
    .await?;
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(r)
}

/// What a page's link preview shows as its image.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// Absolute URL of the image.
    pub image: String,
    pub alt: String,
}

/// The preview of a diff page: its card, by absolute URL, and the card's
/// alt text.
pub fn preview(
    base: &str,
    source_title: &str,
    from: &VersionMeta,
    to: &VersionMeta,
    assessment: &Assessment,
) -> Preview {
    let card = card_of(source_title, &site_name(base), from, to, assessment);
    Preview {
        image: format!(
            "{base}{}",
            card_path(from.article_id, from.number, to.number)
        ),
        alt: redline_card::alt_text(&card),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_name_is_the_base_urls_host() {
        assert_eq!(
            site_name("https://redline.example.org"),
            "redline.example.org"
        );
        assert_eq!(site_name("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
        assert_eq!(site_name(""), "redline");
    }

    #[test]
    fn the_card_shows_the_weightiest_sentences_first() {
        let old = redline_diff::ArticleText::new(
            "Old headline",
            "",
            [
                "The sky was blue. About a dozen people came. It rained.",
                "A sentence that goes.",
            ],
        );
        let new = redline_diff::ArticleText::new(
            "New headline",
            "",
            ["The sky was very blue. About 12 people came. It rained."],
        );
        let assessment = redline_classify::assess(&old, &new, Default::default());
        let meta = |number: u32, title: &str, hours: i64| VersionMeta {
            article_id: 7,
            number,
            seen_at: chrono::DateTime::from_timestamp(1_700_000_000 + hours * 3600, 0)
                .unwrap_or_default(),
            title: title.into(),
            byline: String::new(),
            published: None,
            minor: false,
            words_added: 0,
            words_removed: 0,
            hash: redline_diff::TextHash([0; 16]),
            fingerprint: redline_diff::TextHash([0; 16]),
            capture: None,
        };
        let card = card_of(
            "BBC News",
            "redline.example.org",
            &meta(3, "Old headline", 0),
            &meta(4, "New headline", 9),
            &assessment,
        );
        assert_eq!(
            card,
            Card {
                source: "BBC News".into(),
                site_name: "redline.example.org".into(),
                headline_before: "Old headline".into(),
                headline_after: "New headline".into(),
                sentences: vec![
                    vec![
                        Segment::new(SegmentKind::Same, "About "),
                        Segment::new(SegmentKind::Removed, "a dozen"),
                        Segment::new(SegmentKind::Added, "12"),
                        Segment::new(SegmentKind::Same, " people came."),
                    ],
                    // A removed sentence of 4 words outweighs one word
                    // added inside a sentence (2).
                    vec![Segment::new(SegmentKind::Removed, "A sentence that goes.")],
                ],
                elapsed: "about 9 hours later".into(),
            }
        );
    }
}
