//! Change classification: decides what a freshly extracted text means for an
//! article, given the versions already kept.
//!
//! Rules:
//! - the same text as the version currently live: unchanged (a social
//!   headline appearing on a version that had none included, see
//!   [`Identity`]);
//! - the text of an earlier version: a revert ("flip-flop"); no version is
//!   added, the article's live version points back at the earlier one, so a
//!   page alternating between two texts never grows its history;
//! - otherwise a new version, flagged minor when it differs from the live
//!   text only in whitespace or punctuation.

use crate::text::{Identity, TextHash};

/// What the store knows of one kept version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownVersion {
    pub number: u32,
    pub hash: TextHash,
    pub fingerprint: TextHash,
}

/// The meaning of a new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Classification {
    /// Same as the live version.
    Unchanged,
    /// Same as version `to`, which is not the live one.
    Reverted { to: u32 },
    /// A text never seen before.
    Changed { minor: bool },
}

/// Classifies a text by its [`Identity`] against the `live` version (None
/// for an article with no version yet) and all `known` versions of the
/// article.
pub fn classify(
    text: Identity,
    live: Option<&KnownVersion>,
    known: &[KnownVersion],
) -> Classification {
    let Some(live) = live else {
        return Classification::Changed { minor: false };
    };
    if text.is(live.hash) {
        return Classification::Unchanged;
    }
    if let Some(earlier) = known.iter().find(|v| text.is(v.hash)) {
        return Classification::Reverted { to: earlier.number };
    }
    Classification::Changed {
        minor: live.fingerprint == text.fingerprint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::ArticleText;

    fn known(number: u32, text: &ArticleText) -> KnownVersion {
        KnownVersion {
            number,
            hash: text.hash(),
            fingerprint: text.fingerprint(),
        }
    }

    fn classify_text(
        text: &ArticleText,
        live: Option<u32>,
        kept: &[KnownVersion],
    ) -> Classification {
        let live = live.map(|n| kept.iter().find(|v| v.number == n).unwrap());
        classify(text.identity(), live, kept)
    }

    #[test]
    fn first_text_is_a_version() {
        let a = ArticleText::new("T", "", ["a"]);
        assert_eq!(
            classify_text(&a, None, &[]),
            Classification::Changed { minor: false }
        );
    }

    #[test]
    fn same_text_is_unchanged_and_a_new_word_is_a_change() {
        let a = ArticleText::new("T", "", ["the cat sat"]);
        let b = ArticleText::new("T", "", ["the dog sat"]);
        let kept = [known(0, &a)];
        assert_eq!(classify_text(&a, Some(0), &kept), Classification::Unchanged);
        assert_eq!(
            classify_text(&b, Some(0), &kept),
            Classification::Changed { minor: false }
        );
    }

    #[test]
    fn punctuation_or_whitespace_only_is_minor() {
        let a = ArticleText::new("T", "", ["the cat sat"]);
        let b = ArticleText::new("T", "", ["the cat, sat."]);
        let kept = [known(0, &a)];
        assert_eq!(
            classify_text(&b, Some(0), &kept),
            Classification::Changed { minor: true }
        );
    }

    #[test]
    fn flip_flopping_between_two_texts_adds_no_versions() {
        let a = ArticleText::new("T", "", ["version a"]);
        let b = ArticleText::new("T", "", ["version b"]);
        let kept = [known(0, &a), known(1, &b)];
        // Live is b; a comes back: a revert to 0, not version 2.
        assert_eq!(
            classify_text(&a, Some(1), &kept),
            Classification::Reverted { to: 0 }
        );
        // Live is a again (after the revert); b comes back: revert to 1.
        assert_eq!(
            classify_text(&b, Some(0), &kept),
            Classification::Reverted { to: 1 }
        );
        assert_eq!(classify_text(&a, Some(0), &kept), Classification::Unchanged);
    }

    #[test]
    fn a_social_headline_changing_is_a_change_and_one_appearing_is_not() {
        let body = ["The minister resigned on Monday."];
        let plain = ArticleText::new("Minister resigns", "", body);
        let unrecorded = known(0, &plain);
        let social = |s: &str| plain.clone().with_social_title(Some(s));
        // Stored before social headlines were kept, or none then: one
        // appearing is the same version.
        assert_eq!(
            classify_text(
                &social("You won't believe who quit"),
                Some(0),
                &[unrecorded]
            ),
            Classification::Unchanged
        );
        // The title again, or with the site's name: no social headline.
        assert_eq!(social("Minister Resigns | The Daily"), social(""));
        assert_eq!(social("Minister resigns").hash(), plain.hash());
        // One social headline replaced by another: a change, not minor.
        let kept = [known(0, &social("You won't believe who quit"))];
        assert_eq!(
            classify_text(&social("Who quit? The minister"), Some(0), &kept),
            Classification::Changed { minor: false }
        );
        assert_eq!(
            classify_text(&social("You won't believe who quit!"), Some(0), &kept),
            Classification::Changed { minor: true }
        );
        // Back to the first one: a revert.
        let kept = [kept[0], known(1, &social("Who quit? The minister"))];
        assert_eq!(
            classify_text(&social("You won't believe who quit"), Some(1), &kept),
            Classification::Reverted { to: 0 }
        );
    }
}
