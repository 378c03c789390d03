//! A diff as HTML: side by side (paragraphs aligned in two columns), inline
//! (one column), and the compact form a feed entry carries. All text is
//! escaped by maud.

use maud::{Markup, html};
use redline_diff::layout::{Block, Row, blocks, rows};
use redline_diff::{Diff, FieldDiff, ParagraphDiff, Piece, PieceOp};

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

/// Both sides interleaved: removed words then added ones, a space between
/// a removal and the addition that replaces it (so the words never run
/// together, even where the markup is not shown).
fn both(pieces: &[Piece]) -> Markup {
    html! {
        @for (i, p) in pieces.iter().enumerate() {
            @match p.op {
                PieceOp::Equal => (p.text),
                PieceOp::Delete => del { (p.text) },
                PieceOp::Insert => {
                    @if i > 0 && pieces[i - 1].op == PieceOp::Delete { " " }
                    ins { (p.text) }
                }
            }
        }
    }
}

/// A row's anchor: `pN` for paragraph N of the new version, `oN` for
/// paragraph N of the old one where the new version has none.
fn anchor(row: &Row<'_>) -> String {
    match row {
        Row::Para(p) => match (p.new_index(), p.old_index()) {
            (Some(n), _) => format!("p{}", n + 1),
            (None, Some(o)) => format!("o{}", o + 1),
            (None, None) => String::new(),
        },
        Row::MovedAway { old_index, .. } => format!("o{}", old_index + 1),
    }
}

fn fold_summary(rows: usize) -> String {
    if rows == 1 {
        "1 unchanged paragraph".into()
    } else {
        format!("{rows} unchanged paragraphs")
    }
}

fn row_class(r: &Row<'_>) -> &'static str {
    match r {
        Row::Para(ParagraphDiff::Equal { .. }) => "drow eq",
        Row::Para(ParagraphDiff::Delete { .. }) => "drow del",
        Row::Para(ParagraphDiff::Insert { .. }) => "drow ins",
        Row::Para(ParagraphDiff::Change { .. }) => "drow chg",
        Row::Para(ParagraphDiff::Move { .. }) => "drow mov",
        Row::MovedAway { .. } => "drow away",
    }
}

/// The paragraph number of one version, at the start of its cell.
fn number(index: usize) -> Markup {
    html! { span.no title={ "Paragraph " (index + 1) " of this version" } { (index + 1) } " " }
}

/// The margin: a link to the row, numbered by the new version's paragraph
/// (by the old one's, struck, where the new version has none).
fn margin(row: &Row<'_>) -> Markup {
    let anchor = anchor(row);
    let label = match row {
        Row::Para(p) => p.new_index().map(|n| n + 1),
        Row::MovedAway { .. } => None,
    };
    html! {
        a.pn href={"#" (anchor)} title="Link to this paragraph" {
            @if let Some(n) = label { (n) } @else { "–" }
        }
    }
}

fn side_by_side_row(row: Row<'_>) -> Markup {
    html! {
        div class=(row_class(&row)) id=(anchor(&row)) {
            (margin(&row))
            @match row {
                Row::Para(ParagraphDiff::Equal { text, old_index, new_index }) => {
                    div.cell.old { (number(*old_index)) (text) }
                    div.cell.new { (number(*new_index)) (text) }
                }
                Row::Para(ParagraphDiff::Delete { text, old_index }) => {
                    div.cell.old { (number(*old_index)) del { (text) } }
                    div.cell.new.empty { span.gone { "paragraph removed" } }
                }
                Row::Para(ParagraphDiff::Insert { text, new_index }) => {
                    div.cell.old.empty { span.gone { "paragraph added" } }
                    div.cell.new { (number(*new_index)) ins { (text) } }
                }
                Row::Para(ParagraphDiff::Change { pieces, old_index, new_index }) => {
                    div.cell.old { (number(*old_index)) (side(pieces, Side::Old)) }
                    div.cell.new { (number(*new_index)) (side(pieces, Side::New)) }
                }
                Row::Para(ParagraphDiff::Move { pieces, old_index, new_index }) => {
                    div.cell.old.empty { span.gone { "moved here from paragraph " (old_index + 1) } }
                    div.cell.new {
                        (number(*new_index))
                        span.badge.moved { "moved from ¶" (old_index + 1) } " "
                        (both(pieces))
                    }
                }
                Row::MovedAway { old_index, new_index } => {
                    div.cell.old { (number(old_index)) span.moved-away { "moved to paragraph " (new_index + 1) } }
                    div.cell.new.empty { span.gone { "moved to paragraph " (new_index + 1) } }
                }
            }
        }
    }
}

/// The one-line fields shown above the paragraphs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Line {
    Headline,
    Byline,
    /// The social headline (`og:title`), shown only where it differs from
    /// the headline.
    Social,
}

impl Line {
    fn label(self) -> &'static str {
        match self {
            Line::Headline => "Headline",
            Line::Byline => "Byline",
            Line::Social => "Social headline",
        }
    }

    fn class(self) -> &'static str {
        match self {
            Line::Headline => "headline",
            Line::Byline => "byline",
            Line::Social => "social",
        }
    }
}

/// A headline, byline or social headline row: whole lines, before and
/// after (never word by word: a rewritten headline diffed word by word
/// reads as garbage).
fn field_row(kind: Line, field: &FieldDiff) -> Markup {
    let (label, class, heading) = (kind.label(), kind.class(), kind == Line::Headline);
    let (old, new) = field.sides();
    let line = |text: &str, changed: bool, ins: bool| -> Markup {
        html! {
            @if !changed { (text) }
            @else if ins { ins { (text) } }
            @else { del { (text) } }
        }
    };
    let changed = field.changed;
    html! {
        div class={"drow field " (class) @if changed { " chg" }} {
            span.pn title=(label) { "" }
            div.cell.old {
                @if heading { h2.dtitle { (line(&old, changed, false)) } }
                @else if kind == Line::Social { p.dsocial { span.muted { "Social headline: " } (line(&old, changed, false)) } }
                @else { p.dbyline { (line(&old, changed, false)) } }
            }
            div.cell.new {
                @if heading { h2.dtitle { (line(&new, changed, true)) } }
                @else if kind == Line::Social { p.dsocial { span.muted { "Social headline: " } (line(&new, changed, true)) } }
                @else { p.dbyline { (line(&new, changed, true)) } }
            }
        }
    }
}

/// The side-by-side view: headline and byline rows, then the aligned
/// paragraphs, with `header_old`/`header_new` above the columns.
pub fn side_by_side(diff: &Diff, header_old: Markup, header_new: Markup) -> Markup {
    let show_byline = diff.byline.changed || !diff.byline.pieces.is_empty();
    let rows = rows(&diff.paragraphs);
    html! {
        div.diff.side {
            div.drow.dhead {
                span.pn {}
                div.cell.old { (header_old) }
                div.cell.new { (header_new) }
            }
            (field_row(Line::Headline, &diff.title))
            @if show_byline { (field_row(Line::Byline, &diff.byline)) }
            @if let Some(social) = &diff.social_title { (field_row(Line::Social, social)) }
            @for block in blocks(&rows) {
                @match block {
                    Block::Row(r) => (side_by_side_row(r)),
                    Block::Fold(rows) => {
                        details.fold {
                            summary { (fold_summary(rows.len())) }
                            @for r in rows { (side_by_side_row(r)) }
                        }
                    }
                }
            }
        }
    }
}

fn inline_row(row: Row<'_>) -> Markup {
    html! {
        div class=(row_class(&row)) id=(anchor(&row)) {
            (margin(&row))
            div.cell {
                @match row {
                    Row::Para(ParagraphDiff::Equal { text, .. }) => (text),
                    Row::Para(ParagraphDiff::Delete { text, old_index }) => {
                        span.muted { "(paragraph " (old_index + 1) " removed) " } del { (text) }
                    }
                    Row::Para(ParagraphDiff::Insert { text, .. }) => ins { (text) },
                    Row::Para(ParagraphDiff::Change { pieces, .. }) => (both(pieces)),
                    Row::Para(ParagraphDiff::Move { pieces, old_index, .. }) => {
                        span.badge.moved { "moved from ¶" (old_index + 1) } " " (both(pieces))
                    }
                    Row::MovedAway { old_index, new_index } => {
                        span.moved-away { "Paragraph " (old_index + 1) " moved to paragraph " (new_index + 1) "." }
                    }
                }
            }
        }
    }
}

/// A one-line field in one column: "Was: … / Now: …" when it changed.
fn inline_field(kind: Line, field: &FieldDiff) -> Markup {
    let (old, new) = field.sides();
    html! {
        @match (field.changed, kind) {
            (true, Line::Headline) => {
                p.was { span.muted { "Headline was: " } del { (old) } }
                h2.dtitle { span.muted { "Now: " } ins { (new) } }
            }
            (true, Line::Byline) => {
                p.dbyline { span.muted { "Byline was: " } del { (old) } br; span.muted { "Now: " } ins { (new) } }
            }
            (true, Line::Social) => {
                p.dsocial { span.muted { "Social headline was: " } del { (old) } br; span.muted { "Now: " } ins { (new) } }
            }
            (false, Line::Headline) => h2.dtitle { (new) },
            (false, Line::Byline) => p.dbyline { (new) },
            (false, Line::Social) => p.dsocial { span.muted { "Social headline: " } (new) },
        }
    }
}

/// The one-column view: removed and added words inline.
pub fn inline(diff: &Diff, header: Markup) -> Markup {
    let rows = rows(&diff.paragraphs);
    html! {
        div.diff.inline {
            div.drow.dhead { span.pn {} div.cell { (header) } }
            div class={"drow field headline" @if diff.title.changed { " chg" }} {
                span.pn {}
                div.cell { (inline_field(Line::Headline, &diff.title)) }
            }
            @if diff.byline.changed || !diff.byline.pieces.is_empty() {
                div class={"drow field byline" @if diff.byline.changed { " chg" }} {
                    span.pn {}
                    div.cell { (inline_field(Line::Byline, &diff.byline)) }
                }
            }
            @if let Some(social) = &diff.social_title {
                div class={"drow field social" @if social.changed { " chg" }} {
                    span.pn {}
                    div.cell { (inline_field(Line::Social, social)) }
                }
            }
            @for block in blocks(&rows) {
                @match block {
                    Block::Row(r) => (inline_row(r)),
                    Block::Fold(rows) => {
                        details.fold {
                            summary { (fold_summary(rows.len())) }
                            @for r in rows { (inline_row(r)) }
                        }
                    }
                }
            }
        }
    }
}

/// The removed and added runs of a changed paragraph, spelled out for
/// readers that show no markup: "Removed: “a dozen” · Added: “12”".
fn spelled_out(pieces: &[Piece]) -> Markup {
    let removed: Vec<&str> = pieces
        .iter()
        .filter(|p| p.op == PieceOp::Delete)
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let added: Vec<&str> = pieces
        .iter()
        .filter(|p| p.op == PieceOp::Insert)
        .map(|p| p.text.trim())
        .filter(|t| !t.is_empty())
        .collect();
    let quoted = |runs: &[&str]| -> String {
        runs.iter()
            .map(|r| format!("“{r}”"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        p.spelled {
            @if !removed.is_empty() { "Removed: " (quoted(&removed)) }
            @if !removed.is_empty() && !added.is_empty() { " · " }
            @if !added.is_empty() { "Added: " (quoted(&added)) }
        }
    }
}

/// The compact diff a feed entry carries, readable in an HTML reader and in
/// a text-only one: the summary, the headline and byline as "was / now",
/// then only the changed paragraphs (with "…" where unchanged ones were
/// skipped): removed words in `<del>`, added ones in `<ins>`, and each
/// change spelled out ("Removed: …", "Added: …").
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
    let (old_title, new_title) = diff.title.sides();
    let (old_byline, new_byline) = diff.byline.sides();
    html! {
        p { (intro) }
        @if diff.title.changed {
            p { strong { "Headline was: " } del { (old_title) } br; strong { "Now: " } ins { (new_title) } }
        }
        @if diff.byline.changed {
            p { strong { "Byline was: " } del { (old_byline) } br; strong { "Now: " } ins { (new_byline) } }
        }
        @if let Some(social) = diff.social_title.as_ref().filter(|s| s.changed) {
            @let (old_social, new_social) = social.sides();
            p { strong { "Social headline was: " } del { (old_social) } br; strong { "Now: " } ins { (new_social) } }
        }
        @for (skipped, p) in changed {
            @if skipped { p { "…" } }
            @match p {
                ParagraphDiff::Delete { text, old_index } => {
                    p { strong { "Removed (paragraph " (old_index + 1) "): " } del { (text) } }
                }
                ParagraphDiff::Insert { text, new_index } => {
                    p { strong { "Added (paragraph " (new_index + 1) "): " } ins { (text) } }
                }
                ParagraphDiff::Change { pieces, new_index, .. } => {
                    p { strong { "Changed (paragraph " (new_index + 1) "): " } (both(pieces)) }
                    (spelled_out(pieces))
                }
                ParagraphDiff::Move { pieces, old_index, new_index } => {
                    p { strong { "Moved from paragraph " (old_index + 1) " to " (new_index + 1) ": " } (both(pieces)) }
                    @if pieces.iter().any(|p| p.op != PieceOp::Equal) { (spelled_out(pieces)) }
                }
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
    fn feed_content_reads_in_a_text_reader_and_an_html_one() {
        let d = diff(
            &text(
                "Old headline",
                &["One.", "About a dozen women came.", "Three.", "Four."],
            ),
            &text(
                "New headline",
                &["One.", "Roughly 12 women came.", "Three.", "Four.", "Five."],
            ),
        );
        let out = feed_content(&d, "intro", "/x");
        assert_eq!(
            out,
            "<p>intro</p>\
             <p><strong>Headline was: </strong><del>Old headline</del><br>\
             <strong>Now: </strong><ins>New headline</ins></p>\
             <p>…</p>\
             <p><strong>Changed (paragraph 2): </strong><del>About a dozen</del> \
             <ins>Roughly 12</ins> women came.</p>\
             <p class=\"spelled\">Removed: “About a dozen” · Added: “Roughly 12”</p>\
             <p>…</p>\
             <p><strong>Added (paragraph 5): </strong><ins>Five.</ins></p>\
             <p><a href=\"/x\">See this change side by side</a></p>"
        );
    }

    #[test]
    fn a_moved_paragraph_shows_as_moved_with_each_versions_numbers() {
        let d = diff(
            &text(
                "T",
                &["Alpha one two.", "Beta three four.", "Gamma five six."],
            ),
            &text(
                "T",
                &["Beta three four.", "Alpha one two.", "Gamma five six."],
            ),
        );
        let html = side_by_side(&d, html! {}, html! {}).into_string();
        let rows: Vec<&str> = html
            .split("<div class=\"drow ")
            .skip(1)
            .map(|r| r.split('"').next().unwrap_or_default())
            .collect();
        // Header, headline, then: moved here (new 1), unchanged (old 1 →
        // new 2) and the place it left (old 2), unchanged (3 → 3).
        assert_eq!(rows, ["dhead", "field headline", "mov", "eq", "away", "eq"]);
        assert!(html.contains(
            "<div class=\"cell old empty\"><span class=\"gone\">moved here from paragraph 2</span></div>"
        ), "{html}");
        assert!(html.contains("<span class=\"badge moved\">moved from ¶2</span> Beta three four."));
        assert!(html.contains("<span class=\"moved-away\">moved to paragraph 1</span>"));
        // Each cell is numbered by its own version.
        assert!(html.contains(
            "<div class=\"cell old\"><span class=\"no\" title=\"Paragraph 1 of this version\">1</span> Alpha one two.</div>\
             <div class=\"cell new\"><span class=\"no\" title=\"Paragraph 2 of this version\">2</span> Alpha one two.</div>"
        ), "{html}");
        assert!(
            !html.contains("<del>") && !html.contains("<ins>"),
            "nothing was deleted or added"
        );
    }

    #[test]
    fn a_headline_change_is_whole_lines() {
        let d = diff(
            &text("Trump makes unscheduled visit to Walter Reed", &["Body."]),
            &text(
                "Trump's unscheduled Walter Reed visit raises questions",
                &["Body."],
            ),
        );
        let side = side_by_side(&d, html! {}, html! {}).into_string();
        assert!(side.contains(
            "<div class=\"cell old\"><h2 class=\"dtitle\"><del>Trump makes unscheduled visit to Walter Reed</del></h2></div>\
             <div class=\"cell new\"><h2 class=\"dtitle\"><ins>Trump's unscheduled Walter Reed visit raises questions</ins></h2></div>"
        ), "{side}");
        let one = inline(&d, html! {}).into_string();
        assert!(one.contains(
            "<p class=\"was\"><span class=\"muted\">Headline was: </span><del>Trump makes unscheduled visit to Walter Reed</del></p>\
             <h2 class=\"dtitle\"><span class=\"muted\">Now: </span><ins>Trump's unscheduled Walter Reed visit raises questions</ins></h2>"
        ), "{one}");
    }
}
