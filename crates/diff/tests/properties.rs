//! Property tests of the diff over what the unit properties in
//! `src/diff.rs` leave out: arbitrary Unicode (combining marks, scripts
//! without spaces, emoji, every kind of whitespace, control characters),
//! bylines, many paragraphs (past the size where pairing falls back to
//! positions), and the rendered text. The fuzz target `diff` (see
//! TESTING.md) explores the same properties for longer.

use proptest::prelude::*;
use redline_diff::{ArticleText, Diff, ParagraphDiff, Piece, PieceOp, diff};

/// `cases` cases, or `PROPTEST_CASES` when it is set (for longer runs).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Paragraph text: arbitrary Unicode, or words from a small vocabulary
/// (so that versions share words and pair up).
fn paragraph() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => "(?s).{0,40}",
        1 => "\\PC{0,40}",
        2 => prop::collection::vec(
            prop::sample::select(&[
                "the", "The", "cat", "sat", ",", ".", " ", "  ", "\u{a0}", "\t", "Ünïcode",
                "e\u{301}", "日本語の文", "مرحبا", "שלום", "😀", "👩‍👩‍👧", "—", "2014", "3.5",
                "don't", "\u{200b}", "\u{ad}", "\u{0}", "\r\n", "[-", "-]", "{+", "+}",
            ][..]),
            0..14,
        ).prop_map(|w| w.join(" ")),
    ]
}

fn article() -> impl Strategy<Value = ArticleText> {
    (
        paragraph(),
        paragraph(),
        prop::collection::vec(paragraph(), 0..10),
    )
        .prop_map(|(title, byline, paras)| ArticleText::new(&title, &byline, paras))
}

/// A second version made from the first by edits, so the two share most of
/// their text (unrelated pairs rarely exercise word-level pairing).
fn edited(a: &ArticleText) -> impl Strategy<Value = ArticleText> + use<> {
    let a = a.clone();
    (
        prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, paragraph()), 0..5),
        prop::option::of(paragraph()),
    )
        .prop_map(move |(edits, title)| {
            let mut paragraphs = a.paragraphs.clone();
            for (at, kind, text) in edits {
                let i = at.index(paragraphs.len() + 1);
                match kind {
                    0 => paragraphs.insert(i, text),
                    1 if i < paragraphs.len() => {
                        paragraphs.remove(i);
                    }
                    2 if i < paragraphs.len() => paragraphs[i].push_str(&format!(" {text}")),
                    _ if i < paragraphs.len() => {
                        let p = &mut paragraphs[i];
                        let cut = p.char_indices().map(|(k, _)| k).nth(p.chars().count() / 2);
                        if let Some(cut) = cut {
                            p.insert_str(cut, &text);
                        }
                    }
                    _ => {}
                }
            }
            ArticleText::new(title.as_deref().unwrap_or(&a.title), &a.byline, paragraphs)
        })
}

fn pair() -> impl Strategy<Value = (ArticleText, ArticleText)> {
    prop_oneof![
        (article(), article()),
        article().prop_flat_map(|a| (Just(a.clone()), edited(&a))),
    ]
}

fn marked(piece: &Piece) -> Option<String> {
    match piece.op {
        PieceOp::Equal => None,
        PieceOp::Delete => Some(format!("[-{}-]", piece.text)),
        PieceOp::Insert => Some(format!("{{+{}+}}", piece.text)),
    }
}

/// Every deletion and insertion, marked as `render_text` marks it.
fn marks(d: &Diff) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for pieces in [&d.title.pieces, &d.byline.pieces] {
        out.extend(pieces.iter().filter_map(marked));
    }
    for p in &d.paragraphs {
        match p {
            ParagraphDiff::Equal { .. } => {}
            ParagraphDiff::Delete { text, .. } => out.push(format!("[-{text}-]")),
            ParagraphDiff::Insert { text, .. } => out.push(format!("{{+{text}+}}")),
            ParagraphDiff::Change { pieces, .. } | ParagraphDiff::Move { pieces, .. } => {
                out.extend(pieces.iter().filter_map(marked))
            }
        }
    }
    out
}

fn check(a: &ArticleText, b: &ArticleText) -> Result<(), TestCaseError> {
    let d = diff(a, b);
    prop_assert_eq!(&d.old_text(), a);
    prop_assert_eq!(&d.new_text(), b);
    prop_assert_eq!(d.is_empty(), a == b);
    // Words are never split between pieces, so the counts add up.
    prop_assert_eq!(
        a.word_count() + d.words_added,
        b.word_count() + d.words_removed,
        "word counts"
    );
    // Paragraph indices: every old and every new paragraph exactly once,
    // the new ones in order (a moved paragraph is listed at its new place,
    // so the old ones are in order once sorted).
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for p in &d.paragraphs {
        match *p {
            ParagraphDiff::Equal {
                old_index,
                new_index,
                ..
            }
            | ParagraphDiff::Change {
                old_index,
                new_index,
                ..
            }
            | ParagraphDiff::Move {
                old_index,
                new_index,
                ..
            } => {
                old.push(old_index);
                new.push(new_index);
            }
            ParagraphDiff::Delete { old_index, .. } => old.push(old_index),
            ParagraphDiff::Insert { new_index, .. } => new.push(new_index),
        }
    }
    old.sort_unstable();
    prop_assert_eq!(old, (0..a.paragraphs.len()).collect::<Vec<_>>());
    prop_assert_eq!(new, (0..b.paragraphs.len()).collect::<Vec<_>>());
    // No empty pieces; consecutive pieces of one kind are merged.
    for pieces in d
        .paragraphs
        .iter()
        .filter_map(|p| match p {
            ParagraphDiff::Change { pieces, .. } | ParagraphDiff::Move { pieces, .. } => {
                Some(pieces)
            }
            _ => None,
        })
        .chain([&d.title.pieces, &d.byline.pieces])
    {
        prop_assert!(pieces.iter().all(|p| !p.text.is_empty()), "empty piece");
        prop_assert!(
            pieces.windows(2).all(|w| w[0].op != w[1].op),
            "unmerged pieces"
        );
    }
    let rendered = d.render_text();
    for mark in marks(&d) {
        prop_assert!(
            rendered.contains(&mark),
            "{:?} missing from {:?}",
            mark,
            rendered
        );
    }
    // The JSON form serialises.
    prop_assert!(serde_json::to_string(&d).is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn unicode_texts_rebuild_from_their_diff((a, b) in pair()) {
        check(&a, &b)?;
        check(&b, &a)?;
    }

    #[test]
    fn a_text_diffed_with_itself_is_empty(a in article()) {
        let d = diff(&a, &a);
        prop_assert!(d.is_empty());
        prop_assert_eq!((d.words_added, d.words_removed), (0, 0));
        prop_assert!(marks(&d).is_empty());
        // Rendered, it is the text itself.
        let mut expected = format!("{}\n", a.title);
        if !a.byline.is_empty() {
            expected.push_str(&format!("{}\n", a.byline));
        }
        for p in &a.paragraphs {
            expected.push_str(&format!("\n{p}\n"));
        }
        prop_assert_eq!(d.render_text(), expected);
    }

    #[test]
    fn normalisation_is_idempotent(a in article()) {
        let again = ArticleText::new(&a.title, &a.byline, &a.paragraphs);
        prop_assert_eq!(&again, &a);
        prop_assert_eq!(again.hash(), a.hash());
        prop_assert_eq!(ArticleText::from_stored(&a.title, &a.byline, None, &a.body()), a);
    }
}

proptest! {
    #![proptest_config(config(6))]

    /// Past 40,000 old × new paragraphs in one changed run, paragraphs are
    /// paired by position rather than by the best alignment: that path
    /// must rebuild both versions too.
    #[test]
    fn long_texts_rebuild_from_their_diff(
        old in prop::collection::vec("[a-c]{1,2}( [a-c]{1,2}){0,3}", 201..240),
        new in prop::collection::vec("[a-c]{1,2}( [a-c]{1,2}){0,3}", 201..240),
    ) {
        // Unique prefixes keep the paragraphs distinct, so the exact
        // sequence diff leaves one long changed run.
        let old = old.iter().enumerate().map(|(i, p)| format!("o{i} {p}"));
        let new = new.iter().enumerate().map(|(i, p)| format!("n{i} {p}"));
        let (a, b) = (ArticleText::new("T", "", old), ArticleText::new("T", "", new));
        check(&a, &b)?;
    }
}
