//! Change intelligence: what kind of change one version of an article is
//! against the one before it, and how much it matters.
//!
//! - [`sentences`]: splits paragraphs into sentences.
//! - [`align`]: aligns two versions sentence by sentence (as the NewsEdits
//!   research does) and lists the edit actions: addition, deletion, edit,
//!   move, split, merge.
//! - [`labels`]: the label vocabulary ([`Label`]) and the rules that give
//!   each change its labels.
//! - [`score`]: the significance of a change (0 to 100), a deterministic
//!   formula of its labels and the amount changed, with the features that
//!   gave the score.
//! - [`summary`]: the one-line, plain-words summary of a change.
//! - `analysis` (private): measures a change once (style-only parts,
//!   numbers, quotes, attributions, names, notes, amounts cut, added and
//!   moved) for the labels, the score and the summary; `lexicon` holds its
//!   word lists, `words` the word helpers.
//!
//! The vocabulary, the rules and the score table are in `LABELS.md`.
//!
//! [`assess`] runs all of them on a pair of texts; [`events`] assesses the
//! changes that are not edits (removal, redirect, return).

#![forbid(unsafe_code)]

pub mod align;
mod analysis;
pub mod events;
pub mod labels;
mod lexicon;
pub mod live;
pub mod score;
pub mod sentences;
pub mod summary;
mod words;

use redline_diff::ArticleText;
use serde::Serialize;

pub use align::{Action, ActionKind};
pub use labels::Label;
pub use score::{Feature, Level};

/// What the assessment knows of a change besides the two texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// The page is a live blog (schema.org LiveBlogPosting, a `/live/`
    /// URL): new posts are `live`, not additions.
    pub live: bool,
}

/// Everything redline says about one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Labels from the vocabulary, in [`Label::ALL`] order, no repeats.
    pub labels: Vec<Label>,
    /// 0 (nothing that matters) to 100.
    pub significance: u8,
    /// What gave the score, largest contribution first.
    pub features: Vec<Feature>,
    /// One line in plain words, e.g. "Headline rewritten · 1 paragraph (73
    /// words) cut · correction appended · 243 → 234".
    pub summary: String,
    /// The sentence-level edit actions, in reading order of the new
    /// version (deletions where the deleted sentence stood).
    pub actions: Vec<Action>,
    /// On a live page ([`Context::live`]): the new posts, one per added
    /// paragraph at the top or the bottom of the page; empty otherwise.
    pub live_posts: Vec<String>,
    /// A digest of what changed regardless of the article (see
    /// [`signature`]): two articles whose only change is the same added
    /// paragraph, or the same byline re-cased, share it.
    pub signature: u64,
}

impl Assessment {
    pub fn level(&self) -> Level {
        Level::of(self.significance)
    }

    /// The digest of what changed (the stored [`Assessment::signature`]).
    pub fn signature(&self) -> u64 {
        self.signature
    }
}

/// Assesses the change from `old` to `new`.
pub fn assess(old: &ArticleText, new: &ArticleText, context: Context) -> Assessment {
    let old_sentences = sentences::split(&old.paragraphs);
    let new_sentences = sentences::split(&new.paragraphs);
    let actions = align::align_sentences(&old_sentences, &new_sentences);
    let analysis =
        analysis::analyse_split(old, new, &old_sentences, &new_sentences, &actions, context);
    let labels = labels::labels_of(&analysis, &actions);
    let (significance, features) = score::score_of(&analysis, &labels);
    let summary = summary::summary_of(&analysis, &labels);
    let signature = signature(old, new, &actions);
    Assessment {
        labels,
        significance,
        features,
        summary,
        actions,
        live_posts: analysis.live_posts,
        signature,
    }
}

/// The digest (BLAKE3, first 8 bytes) of what changed regardless of the
/// article: the sorted (kind, old text, new text) of every action, with
/// whitespace collapsed, each run of digits read as "#" and each month or
/// day name as "@" (see [`template`]), and the change (old → new) of the
/// byline, the headline and the social headline, each if any (without the
/// headline's, every headline-only change would share one signature).
/// The social headline counts only where both versions recorded it.
pub fn signature(old: &ArticleText, new: &ArticleText, actions: &[Action]) -> u64 {
    let collapse = |s: &str| template(&s.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut items: Vec<(u8, String, String)> = actions
        .iter()
        .map(|a| (a.kind as u8, collapse(&a.old_text), collapse(&a.new_text)))
        .collect();
    let fields = [
        (
            u8::MAX,
            Some(old.byline.as_str()),
            Some(new.byline.as_str()),
        ),
        (
            u8::MAX - 1,
            Some(old.title.as_str()),
            Some(new.title.as_str()),
        ),
        (
            u8::MAX - 2,
            old.social_title.as_deref(),
            new.social_title.as_deref(),
        ),
    ];
    for (mark, o, n) in fields {
        if let (Some(o), Some(n)) = (o, n)
            && o != n
        {
            items.push((mark, collapse(o), collapse(n)));
        }
    }
    items.sort();
    let mut h = blake3::Hasher::new();
    for (kind, o, n) in &items {
        h.update(&[*kind]);
        for s in [o, n] {
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
    }
    let bytes = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// A text with what differs from article to article in a template line
/// taken out: each run of digits becomes "#" and each month or day name
/// ("Jan.", "January", "Montag", "lundi"; an abbreviation's stop with it)
/// "@", so "appears in print on Jan.
/// 5, 2024, Section A, Page 12" and "… on Feb. 11, 2025, Section A, Page 3"
/// read alike.
pub fn template(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            out.push('#');
            rest = &rest[end..];
        } else if c.is_alphabetic() {
            let end = rest
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            if lexicon::is_calendar_word(word) {
                // "Jan." and "January" alike.
                out.push('@');
                rest = rest.strip_prefix('.').unwrap_or(rest);
            } else {
                out.push_str(word);
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) const BODY: [&str; 4] = [
        "At least 243 people were evacuated on Monday after the river burst its banks, officials said.",
        "“We have never seen water this high,” said Mayor Anna Keller.",
        "The army sent soldiers to help residents fill sandbags along the river through the night, and more are expected to arrive on Wednesday from the capital to relieve them.",
        "Forecasters expect more rain later in the week.",
    ];

    fn old() -> ArticleText {
        ArticleText::new(
            "Floods force hundreds from their homes",
            "By Jane Porter",
            BODY,
        )
    }

    fn features(a: &Assessment) -> Vec<(&str, u8)> {
        a.features
            .iter()
            .map(|f| (f.name.as_str(), f.points))
            .collect()
    }

    #[test]
    fn a_substantive_change_scores_and_says_why() {
        let new = ArticleText::new(
            "Floods: families flee as the river keeps rising",
            "By Jane Porter",
            [
                "At least 234 people were evacuated on Monday after the river burst its banks, officials said.",
                BODY[1],
                BODY[3],
                "Correction: An earlier version of this article gave a wrong number of evacuees.",
            ],
        );
        let a = assess(&old(), &new, Context::default());
        assert_eq!(
            a.labels,
            vec![
                Label::Headline,
                Label::Lede,
                Label::Number,
                Label::Correction,
                Label::Deletion
            ]
        );
        assert_eq!(
            a.summary,
            "Headline rewritten · lede changed · 1 paragraph (29 words) cut · correction appended · 243 → 234"
        );
        assert_eq!(
            features(&a),
            vec![
                ("headline rewritten", 30),
                ("correction appended", 25),
                ("number changed: 243 → 234", 20),
                ("lede changed", 15),
                ("a fact corrected", 15),
                ("1 paragraph (29 words) cut", 12),
            ]
        );
        assert_eq!((a.significance, a.level()), (100, Level::Major));
    }

    /// The old text with paragraph `k` replaced, and headline and byline.
    fn edited(k: usize, paragraph: &str, title: &str, byline: &str) -> ArticleText {
        let mut body: Vec<String> = BODY.iter().map(|s| s.to_string()).collect();
        body[k] = paragraph.into();
        ArticleText::new(title, byline, &body)
    }

    #[test]
    fn a_style_only_change_scores_nothing() {
        let typo = "Forecasters expect more rain latter in the week.";
        let new = edited(
            3,
            typo,
            "Floods Force Hundreds From Their Homes",
            "BY JANE PORTER",
        );
        let a = assess(&old(), &new, Context::default());
        assert_eq!(
            (
                a.labels.clone(),
                a.summary.as_str(),
                features(&a),
                a.significance
            ),
            (
                vec![Label::Style],
                "Punctuation and spelling only",
                vec![("spelling, case and punctuation only", 0)],
                0
            )
        );
    }

    #[test]
    fn a_social_headline_replaced_is_a_change_of_its_own() {
        let social = |s: Option<&str>| old().with_social_title(s);
        let before = social(Some("Hundreds flee rising river"));
        let a = assess(
            &before,
            &social(Some("Watch: the moment the river burst its banks")),
            Context::default(),
        );
        assert_eq!(
            (
                a.labels.clone(),
                a.summary.as_str(),
                features(&a),
                a.level()
            ),
            (
                vec![Label::SocialHeadline],
                "Social headline changed",
                vec![("social headline rewritten", 15)],
                Level::Minor
            )
        );
        // Appearing or going (a template writing og:title or not) is style.
        for (o, n) in [(&social(None), &before), (&before, &social(None))] {
            let a = assess(o, n, Context::default());
            assert_eq!((a.labels, a.significance), (vec![Label::Style], 0));
        }
        // Not recorded on the old version: nothing to compare.
        let a = assess(&old(), &before, Context::default());
        assert_eq!(a.labels, vec![]);
    }

    #[test]
    fn headline_only_changes_of_two_articles_do_not_share_a_signature() {
        let other = ArticleText::new("Storm closes schools", "By Jane Porter", BODY);
        let retitled = |t: &ArticleText, title: &str| {
            let mut t = t.clone();
            t.title = title.into();
            t
        };
        let a = assess(
            &old(),
            &retitled(&old(), "Floods force thousands out"),
            Context::default(),
        );
        let b = assess(
            &other,
            &retitled(&other, "Storm closes every school"),
            Context::default(),
        );
        assert_ne!(a.signature, b.signature);
    }

    #[test]
    fn a_small_edit_falls_back_to_words_changed() {
        let heavier = "Forecasters expect heavier rain later in the week.";
        let new = edited(
            3,
            heavier,
            "Floods force hundreds from their homes",
            "By Jane Porter",
        );
        let a = assess(&old(), &new, Context::default());
        assert_eq!(
            (
                a.labels.clone(),
                a.summary.as_str(),
                features(&a),
                a.level()
            ),
            (
                vec![Label::Stealth],
                "1 word changed in paragraph 4",
                vec![("no correction note", 10)],
                Level::Minor
            )
        );
    }

    #[test]
    fn corrections_updates_and_live_posts_are_notable() {
        // A name fixed, with a correction: notable to major.
        let mut body: Vec<String> = BODY.iter().map(|s| s.to_string()).collect();
        body[1] = "“We have never seen water this high,” said Mayor Tom Brandt.".into();
        body.push("Correction: An earlier version of this article misidentified the mayor.".into());
        let new = ArticleText::new(
            "Floods force hundreds from their homes",
            "By Jane Porter",
            &body,
        );
        let a = assess(&old(), &new, Context::default());
        assert_eq!(a.labels, vec![Label::Name, Label::Correction]);
        assert_eq!(
            features(&a),
            vec![
                ("correction appended", 25),
                ("name changed: Anna Keller → Tom Brandt", 15),
                ("a fact corrected", 15),
            ]
        );
        assert_eq!(a.level(), Level::Notable);
        // An update note with a paragraph added: notable.
        let mut body: Vec<String> = BODY.iter().map(|s| s.to_string()).collect();
        body.push("Police said two more villages were evacuated in the afternoon.".into());
        body.push("Update: This article has been updated with new evacuations.".into());
        let new = ArticleText::new(
            "Floods force hundreds from their homes",
            "By Jane Porter",
            &body,
        );
        let a = assess(&old(), &new, Context::default());
        assert_eq!(a.labels, vec![Label::Correction, Label::Addition]);
        assert_eq!((a.significance, a.level()), (25, Level::Notable));
        // Two substantive live posts: notable.
        let mut body: Vec<String> = BODY.iter().map(|s| s.to_string()).collect();
        body.insert(
            0,
            "10:42 — Rescue teams have reached the cut-off village by boat.".into(),
        );
        body.insert(
            0,
            "10:58 — The river has peaked in the town centre, officials say.".into(),
        );
        let new = ArticleText::new(
            "Floods force hundreds from their homes",
            "By Jane Porter",
            &body,
        );
        let a = assess(&old(), &new, Context { live: true });
        assert_eq!((a.labels.clone(), a.significance), (vec![Label::Live], 25));
    }

    #[test]
    fn live_pages_count_new_posts() {
        let mut body: Vec<String> = BODY.iter().map(|s| s.to_string()).collect();
        body.insert(0, "10:42 — Rescue teams have reached the village.".into());
        body.insert(0, "10:58 — The river has peaked, officials say.".into());
        body.insert(0, "11:15 — A second bridge is closed.".into());
        let new = ArticleText::new(
            "Floods force hundreds from their homes",
            "By Jane Porter",
            &body,
        );
        let a = assess(&old(), &new, Context { live: true });
        assert_eq!(a.labels, vec![Label::Live]);
        assert_eq!(a.summary, "3 new posts");
        assert_eq!(
            a.live_posts,
            vec![
                "11:15 — A second bridge is closed.",
                "10:58 — The river has peaked, officials say.",
                "10:42 — Rescue teams have reached the village."
            ]
        );
    }

    #[test]
    fn signatures_group_the_same_change_on_different_articles() {
        let footer = "Sign up for our newsletter to get the news every morning.";
        let other = ArticleText::new(
            "Election day",
            "By Tom Roe",
            ["Voters went to the polls.", "Turnout was high."],
        );
        let with_footer = |t: &ArticleText| {
            let mut p = t.paragraphs.clone();
            p.push(footer.into());
            ArticleText::new(&t.title, &t.byline, &p)
        };
        let a = assess(&old(), &with_footer(&old()), Context::default());
        let b = assess(&other, &with_footer(&other), Context::default());
        assert_eq!(a.signature(), b.signature());
        let recased =
            |t: &ArticleText, byline: &str| ArticleText::new(&t.title, byline, &t.paragraphs);
        let c = assess(
            &recased(&old(), "REUTERS"),
            &recased(&old(), "Reuters"),
            Context::default(),
        );
        let d = assess(
            &recased(&other, "REUTERS"),
            &recased(&other, "Reuters"),
            Context::default(),
        );
        assert_eq!(c.signature, d.signature);
        assert_ne!(a.signature, c.signature);
    }

    #[test]
    fn signatures_ignore_the_dates_and_numbers_of_a_template_line() {
        let print = |date: &str, page: u32| {
            format!(
                "A version of this article appears in print on {date}, Section A, Page {page} of the New York edition."
            )
        };
        let other = ArticleText::new(
            "Election day",
            "By Tom Roe",
            ["Voters went to the polls.", "Turnout was high."],
        );
        let with = |t: &ArticleText, line: String| {
            let mut p = t.paragraphs.clone();
            p.push(line);
            ArticleText::new(&t.title, &t.byline, &p)
        };
        let a = assess(
            &old(),
            &with(&old(), print("Jan. 5, 2024", 12)),
            Context::default(),
        );
        let b = assess(
            &other,
            &with(&other, print("Feb. 11, 2025", 3)),
            Context::default(),
        );
        let c = assess(
            &other,
            &with(&other, print("September 30, 2025", 1)),
            Context::default(),
        );
        assert_eq!(a.signature, b.signature);
        assert_eq!(b.signature, c.signature);
        // Another line is another signature.
        let d = assess(
            &other,
            &with(&other, "Sign up for our newsletter on Jan. 5, 2024.".into()),
            Context::default(),
        );
        assert_ne!(a.signature, d.signature);
        assert_eq!(
            template("On Montag, 3. März 2025 — 1,200 Leser"),
            "On @, #. @ # — #,# Leser"
        );
    }

    #[test]
    fn summaries_stay_bounded() {
        let old_body: Vec<String> = (0..40)
            .map(|k| format!("Item {k} costs {} dollars today.", k * 3 + 1))
            .collect();
        let new_body: Vec<String> = (0..40)
            .map(|k| format!("Item {k} costs {} dollars today.", k * 3 + 2))
            .collect();
        let a = assess(
            &ArticleText::new("A", "", &old_body),
            &ArticleText::new("B entirely different headline here", "", &new_body),
            Context::default(),
        );
        assert!(
            a.summary.chars().count() <= summary::MAX_CHARS,
            "{}",
            a.summary
        );
        assert!(a.summary.contains('…'), "{}", a.summary);
    }

    #[test]
    fn huge_texts_stay_bounded() {
        let old: Vec<String> = (0..10_000)
            .map(|k| {
                format!(
                    "“Quote number {k} is here,” said Person{}. It cost {k} dollars.",
                    k % 50
                )
            })
            .collect();
        let new: Vec<String> = (0..10_000)
            .map(|k| {
                format!(
                    "“Another remark {k} now,” Official{} told reporters on Monday.",
                    k % 70
                )
            })
            .collect();
        let (old, new) = (
            ArticleText::new("Old", "", &old),
            ArticleText::new("New", "", &new),
        );
        let start = std::time::Instant::now();
        let a = assess(&old, &new, Context::default());
        assert!(a.labels.contains(&Label::Rewrite));
        assert!(a.summary.chars().count() <= summary::MAX_CHARS);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "{:?}",
            start.elapsed()
        );
    }

    fn arbitrary_text() -> impl Strategy<Value = ArticleText> {
        const CHARS: &str = "[A-Za-zäéñ0-9 .,!?;:'\"“”„«»()’…-]{0,120}";
        (CHARS, CHARS, prop::collection::vec(CHARS, 0..8))
            .prop_map(|(t, b, p): (String, String, Vec<String>)| ArticleText::new(&t, &b, &p))
    }

    proptest! {
        #[test]
        fn assess_never_panics(old in arbitrary_text(), new in arbitrary_text(), live in any::<bool>()) {
            let a = assess(&old, &new, Context { live });
            prop_assert!(a.significance <= 100);
            prop_assert!(a.summary.chars().count() <= summary::MAX_CHARS);
            if old != new {
                prop_assert!(!a.summary.is_empty());
            }
        }

        #[test]
        fn identical_texts_are_no_change(text in arbitrary_text()) {
            let a = assess(&text, &text, Context::default());
            prop_assert!(a.actions.is_empty());
            prop_assert!(a.labels.is_empty());
            prop_assert_eq!(a.significance, 0);
            prop_assert!(a.summary.is_empty());
        }
    }
}
