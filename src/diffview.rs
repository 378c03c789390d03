//! A diff as text for the terminal: words marked `[-removed-]{+added+}`
//! (red and green when coloured), the headline and byline as whole lines,
//! moved paragraphs marked, and long unchanged runs folded as the web
//! interface folds them (both lay the diff out with `redline_diff::layout`).

use redline_diff::layout::{Block, Row, blocks, rows};
use redline_diff::{Diff, FieldDiff, ParagraphDiff, Piece, PieceOp};

use crate::output::{Paint, clean};

fn pieces(out: &mut String, pieces: &[Piece], paint: Paint) {
    for p in pieces {
        let text = clean(&p.text);
        match p.op {
            PieceOp::Equal => out.push_str(&text),
            PieceOp::Delete => out.push_str(&paint.removed(&format!("[-{text}-]"))),
            PieceOp::Insert => out.push_str(&paint.added(&format!("{{+{text}+}}"))),
        }
    }
}

/// The old and the new line of a one-line field, made safe to print.
fn field_sides(field: &FieldDiff) -> (String, String) {
    let (old, new) = field.sides();
    (clean(&old), clean(&new))
}

/// A headline or byline: whole lines, the old one then the new one, when
/// it changed (a rewritten headline diffed word by word reads as garbage).
fn field(out: &mut String, field: &FieldDiff, paint: Paint) {
    let (old, new) = field_sides(field);
    if field.changed {
        out.push_str(&paint.removed(&format!("[-{old}-]")));
        out.push('\n');
        out.push_str(&paint.added(&format!("{{+{new}+}}")));
    } else {
        out.push_str(&new);
    }
    out.push('\n');
}

fn row(out: &mut String, row: Row<'_>, paint: Paint) {
    match row {
        Row::Para(ParagraphDiff::Equal { text, .. }) => out.push_str(&clean(text)),
        Row::Para(ParagraphDiff::Delete { text, .. }) => {
            out.push_str(&paint.removed(&format!("[-{}-]", clean(text))));
        }
        Row::Para(ParagraphDiff::Insert { text, .. }) => {
            out.push_str(&paint.added(&format!("{{+{}+}}", clean(text))));
        }
        Row::Para(ParagraphDiff::Change { pieces: p, .. }) => pieces(out, p, paint),
        Row::Para(ParagraphDiff::Move {
            pieces: p,
            old_index,
            ..
        }) => {
            out.push_str(&paint.moved(&format!("[moved from paragraph {}]", old_index + 1)));
            out.push(' ');
            pieces(out, p, paint);
        }
        Row::MovedAway {
            old_index,
            new_index,
        } => out.push_str(&paint.moved(&format!(
            "[paragraph {} moved to paragraph {}]",
            old_index + 1,
            new_index + 1
        ))),
    }
    out.push('\n');
}

/// The diff as text: the headline (and byline and social headline, if
/// any) first, then the paragraphs separated by blank lines, unchanged
/// runs folded.
pub fn render(diff: &Diff, paint: Paint) -> String {
    let mut out = String::new();
    field(&mut out, &diff.title, paint);
    if diff.byline.changed || !diff.byline.pieces.is_empty() {
        field(&mut out, &diff.byline, paint);
    }
    if let Some(social) = &diff.social_title {
        out.push_str(&paint.dim("Social headline:"));
        out.push('\n');
        field(&mut out, social, paint);
    }
    let rows = rows(&diff.paragraphs);
    for block in blocks(&rows) {
        out.push('\n');
        match block {
            Block::Row(r) => row(&mut out, r, paint),
            Block::Fold(folded) => {
                let n = folded.len();
                out.push_str(&paint.dim(&format!("  … {n} unchanged paragraphs …")));
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_diff::{ArticleText, diff};

    fn text(title: &str, paras: &[&str]) -> ArticleText {
        ArticleText::new(title, "", paras.iter().copied())
    }

    #[test]
    fn unchanged_runs_fold_around_the_changes() {
        let paras: Vec<String> = (1..=10).map(|i| format!("Paragraph {i}.")).collect();
        let old: Vec<&str> = paras.iter().map(String::as_str).collect();
        let mut new = old.clone();
        new[5] = "Paragraph six.";
        new.remove(8);
        let d = diff(&text("T", &old), &text("U", &new));
        assert_eq!(
            render(&d, Paint::OFF),
            "[-T-]\n{+U+}\n\
             \n  … 4 unchanged paragraphs …\n\
             \nParagraph 5.\n\
             \nParagraph [-6-]{+six+}.\n\
             \nParagraph 7.\n\
             \nParagraph 8.\n\
             \n[-Paragraph 9.-]\n\
             \nParagraph 10.\n"
        );
    }

    #[test]
    fn moves_are_marked_at_both_places_and_colour_is_optional() {
        let d = diff(
            &text("T", &["Alpha one two.", "Beta three four.", "Gamma five."]),
            &text("T", &["Beta three four.", "Alpha one two.", "Gamma five."]),
        );
        assert_eq!(
            render(&d, Paint::OFF),
            "T\n\
             \n[moved from paragraph 2] Beta three four.\n\
             \nAlpha one two.\n\
             \n[paragraph 2 moved to paragraph 1]\n\
             \nGamma five.\n"
        );
        let d = diff(&text("T", &["a b"]), &text("T", &["a c"]));
        assert_eq!(
            render(&d, Paint::ON),
            "T\n\na \u{1b}[31m[-b-]\u{1b}[0m\u{1b}[32m{+c+}\u{1b}[0m\n"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        // Extraction drops them already; the terminal does not rely on it.
        let equal = |text: &str| Piece {
            op: PieceOp::Equal,
            text: text.into(),
        };
        let d = Diff {
            title: FieldDiff {
                changed: false,
                pieces: vec![equal("T\u{1b}]0;owned\u{7}")],
            },
            byline: FieldDiff {
                changed: false,
                pieces: vec![],
            },
            social_title: Some(FieldDiff {
                changed: false,
                pieces: vec![equal("S\u{1b}[31m")],
            }),
            paragraphs: vec![ParagraphDiff::Equal {
                old_index: 0,
                new_index: 0,
                text: "x\u{1b}[2J".into(),
            }],
            words_added: 0,
            words_removed: 0,
        };
        assert_eq!(
            render(&d, Paint::OFF),
            "T\u{fffd}]0;owned\u{fffd}\nSocial headline:\nS\u{fffd}[31m\n\nx\u{fffd}[2J\n"
        );
    }

    #[test]
    fn identical_texts_fold_entirely() {
        let d = diff(&text("T", &["a", "b", "c"]), &text("T", &["a", "b", "c"]));
        assert_eq!(
            render(&d, Paint::OFF),
            "T\n\n  … 3 unchanged paragraphs …\n"
        );
        let d = diff(&text("T", &[]), &text("T", &[]));
        assert_eq!(render(&d, Paint::OFF), "T\n");
    }
}
