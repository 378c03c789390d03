//! A diff as HTML: side by side (paragraphs aligned in two columns), inline
//! (one column), and the compact form a feed entry carries. All text is
//! escaped by maud.

use maud::{Markup, html};
use redline_diff::{Diff, FieldDiff, ParagraphDiff, Piece, PieceOp};

/// Unchanged paragraphs kept visible on each side of a change; longer
/// unchanged runs are folded into a `<details>`.
const CONTEXT: usize = 1;

/// Which side of a diff to show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// The pieces of one side: equal text and this side's changes, marked.
fn side(pieces: &[Piece], side: Side) -> Markup {
    html! {
        @for p in pieces {
            @match (p.op, side) {
                (PieceOp::Equal, _) => (p.text),
                (PieceOp::Delete, Side::Old) => del { (p.text) },
                (PieceOp::Insert, Side::New) => ins { (p.text) },
                _ => {},
            }
        }
    }
}

/// Both sides interleaved: removed words then added ones.
fn both(pieces: &[Piece]) -> Markup {
    html! {
        @for p in pieces {
            @match p.op {
                PieceOp::Equal => (p.text),
                PieceOp::Delete => del { (p.text) },
                PieceOp::Insert => ins { (p.text) },
            }
        }
    }
}

/// A row of the aligned diff, or a run of unchanged rows folded away.
enum Block<'a> {
    Row(usize, &'a ParagraphDiff),
    Fold(Vec<(usize, &'a ParagraphDiff)>),
}

/// Groups the paragraphs: changed ones with `CONTEXT` unchanged neighbours
/// stay visible, longer unchanged runs are folded. Row numbers are 1-based
/// positions in the aligned diff (the `#pN` anchors).
fn blocks<'a>(paragraphs: &'a [ParagraphDiff]) -> Vec<Block<'a>> {
    let changed: Vec<bool> = paragraphs
        .iter()
        .map(|p| !matches!(p, ParagraphDiff::Equal { .. }))
        .collect();
    let n = paragraphs.len();
    let visible = |i: usize| {
        let lo = i.saturating_sub(CONTEXT);
        let hi = (i + CONTEXT).min(n.saturating_sub(1));
        (lo..=hi).any(|k| changed[k])
    };
    let mut out: Vec<Block<'a>> = Vec::new();
    let mut run: Vec<(usize, &'a ParagraphDiff)> = Vec::new();
    fn flush<'a>(run: &mut Vec<(usize, &'a ParagraphDiff)>, out: &mut Vec<Block<'a>>) {
        let taken = std::mem::take(run);
        // Folding a single paragraph hides nothing worth a click.
        if taken.len() == 1 {
            let (i, p) = taken[0];
            out.push(Block::Row(i, p));
        } else if !taken.is_empty() {
            out.push(Block::Fold(taken));
        }
    }
    for (i, p) in paragraphs.iter().enumerate() {
        if visible(i) {
            flush(&mut run, &mut out);
            out.push(Block::Row(i + 1, p));
        } else {
            run.push((i + 1, p));
        }
    }
    flush(&mut run, &mut out);
    out
}

fn fold_summary(rows: usize) -> String {
    if rows == 1 {
        "1 unchanged paragraph".into()
    } else {
        format!("{rows} unchanged paragraphs")
    }
}

fn row_class(p: &ParagraphDiff) -> &'static str {
    match p {
        ParagraphDiff::Equal { .. } => "drow eq",
        ParagraphDiff::Delete { .. } => "drow del",
        ParagraphDiff::Insert { .. } => "drow ins",
        ParagraphDiff::Change { .. } => "drow chg",
    }
}

fn side_by_side_row(n: usize, p: &ParagraphDiff) -> Markup {
    let anchor = format!("p{n}");
    html! {
        div class=(row_class(p)) id=(anchor) {
            a.pn href={"#" (anchor)} title="Link to this paragraph" { (n) }
            @match p {
                ParagraphDiff::Equal { text, .. } => {
                    div.cell.old { (text) }
                    div.cell.new { (text) }
                }
                ParagraphDiff::Delete { text, .. } => {
                    div.cell.old { del { (text) } }
                    div.cell.new.empty { span.gone { "paragraph removed" } }
                }
                ParagraphDiff::Insert { text, .. } => {
                    div.cell.old.empty { span.gone { "paragraph added" } }
                    div.cell.new { ins { (text) } }
                }
                ParagraphDiff::Change { pieces, .. } => {
                    div.cell.old { (side(pieces, Side::Old)) }
                    div.cell.new { (side(pieces, Side::New)) }
                }
            }
        }
    }
}

fn field_row(label: &str, class: &str, field: &FieldDiff, heading: bool) -> Markup {
    html! {
        div class={"drow field " (class) @if field.changed { " chg" }} {
            span.pn title=(label) { "" }
            div.cell.old {
                @if heading { h2.dtitle { (side(&field.pieces, Side::Old)) } }
                @else { p.dbyline { (side(&field.pieces, Side::Old)) } }
            }
            div.cell.new {
                @if heading { h2.dtitle { (side(&field.pieces, Side::New)) } }
                @else { p.dbyline { (side(&field.pieces, Side::New)) } }
            }
        }
    }
}

/// The side-by-side view: headline and byline rows, then the aligned
/// paragraphs, with `header_old`/`header_new` above the columns.
pub fn side_by_side(diff: &Diff, header_old: Markup, header_new: Markup) -> Markup {
    let show_byline = diff.byline.changed || !diff.byline.pieces.is_empty();
    html! {
        div.diff.side {
            div.drow.dhead {
                span.pn {}
                div.cell.old { (header_old) }
                div.cell.new { (header_new) }
            }
            (field_row("Headline", "headline", &diff.title, true))
            @if show_byline { (field_row("Byline", "byline", &diff.byline, false)) }
            @for block in blocks(&diff.paragraphs) {
                @match block {
                    Block::Row(n, p) => (side_by_side_row(n, p)),
                    Block::Fold(rows) => {
                        details.fold {
                            summary { (fold_summary(rows.len())) }
                            @for (n, p) in rows { (side_by_side_row(n, p)) }
                        }
                    }
                }
            }
        }
    }
}

fn inline_row(n: usize, p: &ParagraphDiff) -> Markup {
    let anchor = format!("p{n}");
    html! {
        div class=(row_class(p)) id=(anchor) {
            a.pn href={"#" (anchor)} title="Link to this paragraph" { (n) }
            div.cell {
                @match p {
                    ParagraphDiff::Equal { text, .. } => (text),
                    ParagraphDiff::Delete { text, .. } => del { (text) },
                    ParagraphDiff::Insert { text, .. } => ins { (text) },
                    ParagraphDiff::Change { pieces, .. } => (both(pieces)),
                }
            }
        }
    }
}

/// The one-column view: removed and added words inline.
pub fn inline(diff: &Diff, header: Markup) -> Markup {
    html! {
        div.diff.inline {
            div.drow.dhead { span.pn {} div.cell { (header) } }
            div class={"drow field headline" @if diff.title.changed { " chg" }} {
                span.pn {}
                div.cell { h2.dtitle { (both(&diff.title.pieces)) } }
            }
            @if diff.byline.changed || !diff.byline.pieces.is_empty() {
                div class={"drow field byline" @if diff.byline.changed { " chg" }} {
                    span.pn {}
                    div.cell { p.dbyline { (both(&diff.byline.pieces)) } }
                }
            }
            @for block in blocks(&diff.paragraphs) {
                @match block {
                    Block::Row(n, p) => (inline_row(n, p)),
                    Block::Fold(rows) => {
                        details.fold {
                            summary { (fold_summary(rows.len())) }
                            @for (n, p) in rows { (inline_row(n, p)) }
                        }
                    }
                }
            }
        }
    }
}

/// The compact diff a feed entry carries: the headline change, then only
/// the changed paragraphs (with "…" where unchanged ones were skipped),
/// removed words in `<del>`, added ones in `<ins>`.
pub fn feed_content(diff: &Diff, intro: &str, link: &str) -> String {
    // Each changed paragraph, and whether unchanged ones were skipped
    // before it.
    let mut previous: Option<usize> = None;
    let mut changed: Vec<(bool, &ParagraphDiff)> = Vec::new();
    for (i, p) in diff.paragraphs.iter().enumerate() {
        if matches!(p, ParagraphDiff::Equal { .. }) {
            continue;
        }
        let skipped = match previous {
            Some(prev) => prev + 1 != i,
            None => i > 0,
        };
        changed.push((skipped, p));
        previous = Some(i);
    }
    html! {
        p { (intro) }
        @if diff.title.changed {
            p { strong { "Headline: " } (both(&diff.title.pieces)) }
        }
        @if diff.byline.changed {
            p { strong { "Byline: " } (both(&diff.byline.pieces)) }
        }
        @for (skipped, p) in changed {
            @if skipped { p { "…" } }
            @match p {
                ParagraphDiff::Delete { text, .. } => p { del { (text) } },
                ParagraphDiff::Insert { text, .. } => p { ins { (text) } },
                ParagraphDiff::Change { pieces, .. } => p { (both(pieces)) },
                ParagraphDiff::Equal { .. } => {},
            }
        }
        @if diff.is_empty() {
            p { em { "No difference in the text." } }
        }
        p { a href=(link) { "See this change side by side" } }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_diff::{ArticleText, diff};

    fn text(title: &str, paras: &[&str]) -> ArticleText {
        ArticleText::new(title, "", paras.iter().copied())
    }

    #[test]
    fn unchanged_runs_fold_and_changes_stay_visible() {
        let paras: Vec<String> = (0..10).map(|i| format!("Paragraph number {i}.")).collect();
        let old: Vec<&str> = paras.iter().map(String::as_str).collect();
        let mut new = old.clone();
        new[5] = "Paragraph number five, rewritten.";
        let d = diff(&text("T", &old), &text("T", &new));
        let html = side_by_side(&d, html! { "A" }, html! { "B" }).into_string();
        // p1..p4 folded, p5 context, p6 changed, p7 context, p8..p10 folded.
        assert_eq!(html.matches("<details").count(), 2, "{html}");
        assert!(html.contains("4 unchanged paragraphs"));
        assert!(html.contains("3 unchanged paragraphs"));
        assert!(html.contains(r##"id="p6""##) && html.contains(r##"href="#p6""##));
        assert!(html.contains("<del>5</del>") || html.contains("<del>"));
        assert!(html.contains("<ins>"));
    }

    #[test]
    fn text_is_escaped() {
        let d = diff(
            &text("<script>alert(1)</script>", &["a <b>bold</b> claim"]),
            &text("<script>alert(2)</script>", &["a <i>bold</i> claim"]),
        );
        let side = side_by_side(&d, html! {}, html! {}).into_string();
        let inline = inline(&d, html! {}).into_string();
        let feed = feed_content(&d, "<intro>", "https://x.example/a?b=1&c=2");
        for out in [&side, &inline, &feed] {
            assert!(!out.contains("<script>") && !out.contains("<b>") && !out.contains("<i>"));
            assert!(out.contains("&lt;script&gt;") || out.contains("&lt;"));
        }
        assert!(feed.contains("&lt;intro&gt;"));
        assert!(feed.contains("b=1&amp;c=2"));
    }

    #[test]
    fn feed_content_shows_only_changes() {
        let d = diff(
            &text("Old headline", &["One.", "Two.", "Three.", "Four."]),
            &text(
                "New headline",
                &["One.", "Two, changed.", "Three.", "Four.", "Five."],
            ),
        );
        let out = feed_content(&d, "intro", "/x");
        assert!(out.contains("<strong>Headline: </strong><del>Old</del><ins>New</ins> headline"));
        assert!(!out.contains("One."));
        assert!(out.contains("<ins>Five.</ins>"));
        assert_eq!(out.matches("<p>…</p>").count(), 2, "{out}");
    }
}
