//! Change classification: decides what a freshly extracted text means for an
//! article, given the versions already kept.
//!
//! Rules:
//! - the same text as the version currently live: unchanged;
//! - the text of an earlier version: a revert ("flip-flop"); no version is
//!   added, the article's live version points back at the earlier one, so a
//!   page alternating between two texts never grows its history;
//! - otherwise a new version, flagged minor when it differs from the live
//!   text only in whitespace or punctuation.

use crate::text::TextHash;

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

/// Classifies a text by its `hash` and `fingerprint` against the `live`
/// version (None for an article with no version yet) and all `known`
/// versions of the article.
pub fn classify(
    hash: TextHash,
    fingerprint: TextHash,
    live: Option<&KnownVersion>,
    known: &[KnownVersion],
) -> Classification {
    let Some(live) = live else {
        return Classification::Changed { minor: false };
    };
    if live.hash == hash {
        return Classification::Unchanged;
    }
    if let Some(earlier) = known.iter().find(|v| v.hash == hash) {
        return Classification::Reverted { to: earlier.number };
    }
    Classification::Changed {
        minor: live.fingerprint == fingerprint,
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
        classify(text.hash(), text.fingerprint(), live, kept)
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
}
