//! The article model shared by the library API and the control endpoints:
//! edits, statuses, revisions and snapshots, and the pure functions that apply
//! an [`Edit`] to an article's text.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Identifies an article; unique across all outlets of one newsroom. Ids start at 1.
pub type ArticleId = u64;

/// A change to an article's text. Every successful edit creates exactly one new
/// [`Revision`]; an edit that would leave the text unchanged is rejected with
/// [`NewsroomError::NoChange`], so revisions are always pairwise distinct.
///
/// Paragraph and word indexes are 0-based. JSON form (control endpoints) is
/// serde's external tagging in snake_case, e.g.
/// `{"replace_word":{"paragraph":0,"word_index":3,"with":"officials"}}`,
/// `{"set_headline":"New title"}`, `{"remove_paragraph":2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Replaces the `word_index`-th whitespace-separated token of a paragraph.
    /// Punctuation glued to the token is kept: replacing token `said,` with
    /// `claimed` yields `claimed,`.
    ReplaceWord {
        /// Paragraph index.
        paragraph: usize,
        /// Index of the whitespace-separated token within the paragraph.
        word_index: usize,
        /// The new word (must not be empty).
        with: String,
    },
    /// Replaces the headline.
    SetHeadline(String),
    /// Replaces the byline (author names, rendered after "By ").
    SetByline(String),
    /// Inserts a paragraph so that it ends up at index `at` (`at == len` appends).
    AddParagraph {
        /// Index the new paragraph will have.
        at: usize,
        /// Its text.
        text: String,
    },
    /// Removes a paragraph (an article keeps at least one).
    RemoveParagraph(usize),
    /// Replaces a paragraph's whole text.
    ReplaceParagraph {
        /// Paragraph index.
        paragraph: usize,
        /// The new text.
        text: String,
    },
    /// A whitespace- or punctuation-only change to one paragraph (see
    /// [`PunctuationChange`]): the kind of edit a tracker may want to classify
    /// as cosmetic.
    Punctuation {
        /// Paragraph index.
        paragraph: usize,
        /// What to change.
        change: PunctuationChange,
    },
}

impl Edit {
    /// True for [`Edit::Punctuation`], i.e. whitespace/punctuation-only changes.
    pub fn is_cosmetic(&self) -> bool {
        matches!(self, Edit::Punctuation { .. })
    }
}

/// The kinds of whitespace/punctuation-only change of [`Edit::Punctuation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PunctuationChange {
    /// Doubles the space after the first sentence (or the first space). The
    /// HTML differs but the text after HTML whitespace collapsing does not.
    ExtraSpace,
    /// Removes the paragraph's final full stop, or appends one if it has none.
    TrailingPeriod,
    /// Removes the first comma, or inserts one after the first word if there is none.
    Comma,
    /// Swaps typographic quotes (’ “ ”) for straight ones (' "), or straight for
    /// typographic if the paragraph has none; rejected if it has no quotes at all.
    Quotes,
}

/// What an article URL answers, settable at any time with `Newsroom::set_status`.
///
/// JSON form: `"live"`, `"not_found"`, `"gone"`, `{"server_error":{"failures":3}}`, `{"moved":7}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    /// 200 with the article (304 for a matching conditional request).
    Live,
    /// 404 page. The article leaves the feeds, front page and sitemap.
    NotFound,
    /// 410 page. The article leaves the feeds, front page and sitemap.
    Gone,
    /// 503 for the next `failures` requests, then back to [`ArticleStatus::Live`]
    /// (still listed in feeds meanwhile).
    ServerError {
        /// Requests left to fail.
        failures: u32,
    },
    /// 301 to the canonical URL of another article (possibly on another outlet).
    /// The article leaves the feeds, front page and sitemap.
    Moved(ArticleId),
}

impl ArticleStatus {
    /// Whether feeds, the front page, section pages and the sitemap list the article.
    pub fn is_listed(&self) -> bool {
        matches!(
            self,
            ArticleStatus::Live | ArticleStatus::ServerError { .. }
        )
    }
}

/// The three page templates ("CMSs"); each article uses one for its whole life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// WordPress-like: `article.post > .entry-content`; share buttons, a
    /// newsletter form and a per-request "Read more:" link paragraph
    /// (`p.read-more`) inside the article container.
    Ledger,
    /// React/Next-like: hashed class names, a `<figure>` with caption and a
    /// pull quote (`blockquote.pull-quote`, repeating a body sentence) and ad
    /// slots between paragraphs, `__NEXT_DATA__` JSON and `articleBody` in JSON-LD.
    Beacon,
    /// Old-school CMS: `div#story .storytext`, a photo with `span.caption` and
    /// a live-ticker box inside the story container.
    Courier,
}

impl Layout {
    /// All layouts.
    pub const ALL: [Layout; 3] = [Layout::Ledger, Layout::Beacon, Layout::Courier];
}

/// One version of an article's text. Revision 1 is the text the article was
/// created with; each successful edit appends the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// 1-based revision number.
    pub number: u32,
    /// When it became current. Strictly increasing by at least one second per
    /// article, so `Last-Modified` always changes with the text.
    pub at: DateTime<Utc>,
    /// The edit that produced it (`None` for revision 1).
    pub edit: Option<Edit>,
    /// The `<h1>` headline.
    pub headline: String,
    /// Author names as rendered after "By " (e.g. "Jane Doe and Omar Haddad").
    pub byline: String,
    /// Body paragraphs, exactly as rendered (HTML-escaped in the page, never
    /// containing markup of their own).
    pub paragraphs: Vec<String>,
}

impl Revision {
    /// Headline and paragraphs joined by blank lines (`"\n\n"`): a canonical
    /// plain-text form to compare against what a tracker stored.
    pub fn text(&self) -> String {
        let mut s = self.headline.clone();
        for p in &self.paragraphs {
            s.push_str("\n\n");
            s.push_str(p);
        }
        s
    }

    /// True if produced by a whitespace/punctuation-only edit.
    pub fn is_cosmetic(&self) -> bool {
        self.edit.as_ref().is_some_and(Edit::is_cosmetic)
    }
}

/// The current state of one article (see `Newsroom::article`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSnapshot {
    /// Its id.
    pub id: ArticleId,
    /// Index of the outlet that publishes it.
    pub outlet: usize,
    /// Canonical absolute URL.
    pub url: String,
    /// Section slug (e.g. "politics").
    pub section: String,
    /// Page template.
    pub layout: Layout,
    /// Publication time (`<time datetime>`, feeds, JSON-LD).
    pub published: DateTime<Utc>,
    /// Time of the current revision (`Last-Modified`).
    pub modified: DateTime<Utc>,
    /// Current revision number.
    pub revision: u32,
    /// Current headline.
    pub headline: String,
    /// Current byline (names only, without "By ").
    pub byline: String,
    /// Current paragraphs, as rendered.
    pub paragraphs: Vec<String>,
    /// Current status.
    pub status: ArticleStatus,
    /// How many requests its URLs have received (any status, including 304s).
    pub requests: u64,
}

/// A new article for `Newsroom::add_article`; every `None` field is generated
/// from the seed and the new id. `NewArticle::default()` is a fully generated
/// article on outlet 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewArticle {
    /// Outlet index (0 by default).
    pub outlet: usize,
    /// Section slug, one of `world politics business technology science health sport culture`.
    pub section: Option<String>,
    /// Headline.
    pub headline: Option<String>,
    /// Byline (names only).
    pub byline: Option<String>,
    /// Body paragraphs (at least one if given).
    pub paragraphs: Option<Vec<String>>,
    /// Template.
    pub layout: Option<Layout>,
    /// Publication time; defaults to now (so it is the newest in the feeds).
    pub published: Option<DateTime<Utc>>,
}

/// Errors of the newsroom API.
#[derive(Debug, thiserror::Error)]
pub enum NewsroomError {
    /// No article has this id.
    #[error("no article with id {0}")]
    UnknownArticle(ArticleId),
    /// No outlet has this index.
    #[error("no outlet with index {0}")]
    UnknownOutlet(usize),
    /// A paragraph index is out of range.
    #[error("paragraph {index} out of range (article has {len})")]
    ParagraphOutOfRange {
        /// The index given.
        index: usize,
        /// Number of paragraphs.
        len: usize,
    },
    /// A word index is out of range.
    #[error("word {index} out of range (paragraph has {len})")]
    WordOutOfRange {
        /// The index given.
        index: usize,
        /// Number of words.
        len: usize,
    },
    /// The edit would not change the text (revisions are always distinct).
    #[error("the edit would not change the article")]
    NoChange,
    /// Some argument is invalid (empty text, unknown section, ...).
    #[error("invalid argument: {0}")]
    Invalid(String),
    /// Binding or serving failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// An article's text, as edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text {
    pub headline: String,
    pub byline: String,
    pub paragraphs: Vec<String>,
}

/// Applies `edit` to `text`, returning the new text (or why it cannot apply).
pub(crate) fn apply_edit(text: &Text, edit: &Edit) -> Result<Text, NewsroomError> {
    let mut t = text.clone();
    let check = |i: usize, len: usize| {
        if i < len {
            Ok(())
        } else {
            Err(NewsroomError::ParagraphOutOfRange { index: i, len })
        }
    };
    let non_empty = |s: &str, what: &str| {
        if s.trim().is_empty() {
            Err(NewsroomError::Invalid(format!("{what} must not be empty")))
        } else {
            Ok(())
        }
    };
    match edit {
        Edit::ReplaceWord {
            paragraph,
            word_index,
            with,
        } => {
            check(*paragraph, t.paragraphs.len())?;
            non_empty(with, "replacement word")?;
            t.paragraphs[*paragraph] = replace_word(&t.paragraphs[*paragraph], *word_index, with)?;
        }
        Edit::SetHeadline(h) => {
            non_empty(h, "headline")?;
            t.headline = h.clone();
        }
        Edit::SetByline(b) => {
            non_empty(b, "byline")?;
            t.byline = b.clone();
        }
        Edit::AddParagraph { at, text } => {
            non_empty(text, "paragraph")?;
            if *at > t.paragraphs.len() {
                return Err(NewsroomError::ParagraphOutOfRange {
                    index: *at,
                    len: t.paragraphs.len(),
                });
            }
            t.paragraphs.insert(*at, text.clone());
        }
        Edit::RemoveParagraph(i) => {
            check(*i, t.paragraphs.len())?;
            if t.paragraphs.len() == 1 {
                return Err(NewsroomError::Invalid(
                    "cannot remove an article's only paragraph".into(),
                ));
            }
            t.paragraphs.remove(*i);
        }
        Edit::ReplaceParagraph { paragraph, text } => {
            check(*paragraph, t.paragraphs.len())?;
            non_empty(text, "paragraph")?;
            t.paragraphs[*paragraph] = text.clone();
        }
        Edit::Punctuation { paragraph, change } => {
            check(*paragraph, t.paragraphs.len())?;
            t.paragraphs[*paragraph] = punctuate(&t.paragraphs[*paragraph], *change)?;
        }
    }
    if t == *text {
        Err(NewsroomError::NoChange)
    } else {
        Ok(t)
    }
}

/// Byte spans of whitespace-separated tokens.
pub(crate) fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                spans.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        spans.push((st, s.len()));
    }
    spans
}

fn replace_word(p: &str, index: usize, with: &str) -> Result<String, NewsroomError> {
    let spans = word_spans(p);
    let &(s, e) = spans.get(index).ok_or(NewsroomError::WordOutOfRange {
        index,
        len: spans.len(),
    })?;
    let token = &p[s..e];
    // Keep punctuation glued to the token; replace only its alphanumeric core.
    let core_start = token
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
        .map(|(i, _)| i);
    let (cs, ce) = match core_start {
        Some(cs) => {
            let (last, c) = token
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_alphanumeric())
                .expect("has alnum");
            (cs, last + c.len_utf8())
        }
        None => (0, token.len()),
    };
    Ok(format!(
        "{}{}{}{}{}",
        &p[..s],
        &token[..cs],
        with,
        &token[ce..],
        &p[e..]
    ))
}

fn punctuate(p: &str, change: PunctuationChange) -> Result<String, NewsroomError> {
    let out = match change {
        PunctuationChange::ExtraSpace => {
            let at = p
                .find(". ")
                .map(|i| i + 1)
                .or_else(|| p.find(' '))
                .ok_or(NewsroomError::NoChange)?;
            format!("{} {}", &p[..at], &p[at..])
        }
        PunctuationChange::TrailingPeriod => match p.strip_suffix('.') {
            Some(rest) => rest.to_string(),
            None => format!("{p}."),
        },
        PunctuationChange::Comma => match p.find(',') {
            Some(i) => format!("{}{}", &p[..i], &p[i + 1..]),
            None => {
                let spans = word_spans(p);
                let &(_, e) = spans.first().ok_or(NewsroomError::NoChange)?;
                format!("{},{}", &p[..e], &p[e..])
            }
        },
        PunctuationChange::Quotes => {
            if p.contains(['’', '“', '”', '‘']) {
                p.replace(['’', '‘'], "'").replace(['“', '”'], "\"")
            } else if p.contains(['\'', '"']) {
                let mut open = true;
                p.chars()
                    .map(|c| match c {
                        '\'' => '’',
                        '"' => {
                            open = !open;
                            if open { '”' } else { '“' }
                        }
                        c => c,
                    })
                    .collect()
            } else {
                return Err(NewsroomError::NoChange);
            }
        }
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(p: &str) -> Text {
        Text {
            headline: "H".into(),
            byline: "B".into(),
            paragraphs: vec![p.into(), "Second one.".into()],
        }
    }

    #[test]
    fn replace_word_keeps_punctuation_and_spacing() {
        let t = text("“Yes,” she said,  twice.");
        let e = Edit::ReplaceWord {
            paragraph: 0,
            word_index: 0,
            with: "No".into(),
        };
        assert_eq!(
            apply_edit(&t, &e).unwrap().paragraphs[0],
            "“No,” she said,  twice."
        );
        let e = Edit::ReplaceWord {
            paragraph: 0,
            word_index: 2,
            with: "claimed".into(),
        };
        assert_eq!(
            apply_edit(&t, &e).unwrap().paragraphs[0],
            "“Yes,” she claimed,  twice."
        );
        let e = Edit::ReplaceWord {
            paragraph: 0,
            word_index: 9,
            with: "x".into(),
        };
        assert!(matches!(
            apply_edit(&t, &e),
            Err(NewsroomError::WordOutOfRange { index: 9, len: 4 })
        ));
        let e = Edit::ReplaceWord {
            paragraph: 0,
            word_index: 1,
            with: "she".into(),
        };
        assert!(matches!(apply_edit(&t, &e), Err(NewsroomError::NoChange)));
    }

    #[test]
    fn punctuation_changes() {
        let p = |s: &str, c| punctuate(s, c).unwrap();
        assert_eq!(
            p("One. Two three.", PunctuationChange::ExtraSpace),
            "One.  Two three."
        );
        assert_eq!(p("One two", PunctuationChange::ExtraSpace), "One  two");
        assert_eq!(p("One two.", PunctuationChange::TrailingPeriod), "One two");
        assert_eq!(p("One two", PunctuationChange::TrailingPeriod), "One two.");
        assert_eq!(p("One, two", PunctuationChange::Comma), "One two");
        assert_eq!(p("One two", PunctuationChange::Comma), "One, two");
        assert_eq!(p("It’s “fine”", PunctuationChange::Quotes), "It's \"fine\"");
        assert_eq!(p("It's \"fine\"", PunctuationChange::Quotes), "It’s “fine”");
        assert!(punctuate("plain", PunctuationChange::Quotes).is_err());
    }

    #[test]
    fn paragraph_edits() {
        let t = text("First.");
        let add = apply_edit(
            &t,
            &Edit::AddParagraph {
                at: 2,
                text: "Third.".into(),
            },
        )
        .unwrap();
        assert_eq!(add.paragraphs, ["First.", "Second one.", "Third."]);
        let rm = apply_edit(&t, &Edit::RemoveParagraph(0)).unwrap();
        assert_eq!(rm.paragraphs, ["Second one."]);
        assert!(apply_edit(&rm, &Edit::RemoveParagraph(0)).is_err());
        assert!(
            apply_edit(
                &t,
                &Edit::AddParagraph {
                    at: 3,
                    text: "x".into()
                }
            )
            .is_err()
        );
        assert!(matches!(
            apply_edit(&t, &Edit::SetHeadline("H".into())),
            Err(NewsroomError::NoChange)
        ));
    }

    #[test]
    fn json_forms() {
        let e: Edit =
            serde_json::from_str(r#"{"replace_word":{"paragraph":0,"word_index":3,"with":"x"}}"#)
                .unwrap();
        assert_eq!(
            e,
            Edit::ReplaceWord {
                paragraph: 0,
                word_index: 3,
                with: "x".into()
            }
        );
        let e: Edit = serde_json::from_str(r#"{"remove_paragraph":2}"#).unwrap();
        assert_eq!(e, Edit::RemoveParagraph(2));
        let s: ArticleStatus = serde_json::from_str(r#"{"server_error":{"failures":3}}"#).unwrap();
        assert_eq!(s, ArticleStatus::ServerError { failures: 3 });
        assert_eq!(
            serde_json::to_string(&ArticleStatus::Gone).unwrap(),
            "\"gone\""
        );
    }
}
