//! `redline_diff::diff` of two arbitrary texts: both versions are rebuilt
//! exactly from the diff, a text's diff with itself is empty (and only
//! then), the word counts add up, and the rendered text shows every
//! deleted and inserted piece.
//!
//! Input (lossy UTF-8): `OLD\x01NEW`, each `TITLE\0BYLINE\0PARAGRAPH\0...`
//! (without `\x01`, the new text is the old one with its paragraphs
//! reversed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_diff::{ArticleText, ParagraphDiff, Piece, PieceOp, diff};

fn text(s: &str) -> ArticleText {
    let mut parts = s.split('\0');
    let title = parts.next().unwrap_or_default();
    let byline = parts.next().unwrap_or_default();
    ArticleText::new(title, byline, parts.take(1000))
}

fn marked(piece: &Piece) -> Option<String> {
    match piece.op {
        PieceOp::Equal => None,
        PieceOp::Delete => Some(format!("[-{}-]", piece.text)),
        PieceOp::Insert => Some(format!("{{+{}+}}", piece.text)),
    }
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (a, b) = match input.split_once('\x01') {
        Some((old, new)) => (text(old), text(new)),
        None => {
            let a = text(&input);
            let mut b = a.clone();
            b.paragraphs.reverse();
            (a, b)
        }
    };
    let d = diff(&a, &b);
    assert_eq!(d.old_text(), a);
    assert_eq!(d.new_text(), b);
    assert_eq!(d.is_empty(), a == b);
    assert_eq!(
        a.word_count() + d.words_added,
        b.word_count() + d.words_removed,
        "word counts do not add up: {d:#?}"
    );
    let rendered = d.render_text();
    let mut marks: Vec<String> = Vec::new();
    for pieces in [&d.title.pieces, &d.byline.pieces] {
        marks.extend(pieces.iter().filter_map(marked));
    }
    for p in &d.paragraphs {
        match p {
            ParagraphDiff::Equal { text, .. } => assert!(rendered.contains(text.as_str())),
            ParagraphDiff::Delete { text, .. } => marks.push(format!("[-{text}-]")),
            ParagraphDiff::Insert { text, .. } => marks.push(format!("{{+{text}+}}")),
            ParagraphDiff::Change { pieces, .. } | ParagraphDiff::Move { pieces, .. } => {
                marks.extend(pieces.iter().filter_map(marked))
            }
        }
    }
    for mark in marks {
        assert!(
            rendered.contains(&mark),
            "{mark:?} missing from {rendered:?}"
        );
    }

    let same = diff(&a, &a);
    assert!(same.is_empty());
    assert_eq!((same.words_added, same.words_removed), (0, 0));
});
