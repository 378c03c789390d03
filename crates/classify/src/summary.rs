//! The one-line summary of a change in plain words: its parts joined by
//! " · ", most important first (headline, social headline, rewrite, live
//! posts, lede, text
//! cut, text added, correction note, numbers, quotes, attribution, names,
//! byline, moves, other edited words, style), at most [`MAX_CHARS`]
//! characters, never empty for a change that changed something.

use redline_diff::ArticleText;

use crate::analysis::{Analysis, Field, analyse};
use crate::score::note_phrase;
use crate::words::{capitalise_first, truncate_chars};
use crate::{Action, Context, Label};

/// The longest summary, in characters.
pub const MAX_CHARS: usize = 160;

/// E.g. "Headline rewritten · 1 paragraph (73 words) cut · correction
/// appended · 243 → 234".
pub fn summarize(
    old: &ArticleText,
    new: &ArticleText,
    actions: &[Action],
    labels: &[Label],
) -> String {
    let live = labels.contains(&Label::Live);
    summary_of(&analyse(old, new, actions, Context { live }), labels)
}

/// [`summarize`] of an analysed change.
pub(crate) fn summary_of(an: &Analysis, labels: &[Label]) -> String {
    let mut parts: Vec<String> = Vec::new();
    match an.headline {
        Some(Field::Changed { rewritten: true }) => parts.push("headline rewritten".into()),
        Some(Field::Changed { rewritten: false }) => parts.push("headline changed".into()),
        _ => {}
    }
    if matches!(an.social_headline, Some(Field::Changed { .. })) {
        parts.push("social headline changed".into());
    }
    if an.rewrite {
        parts.push("most of the text rewritten".into());
    }
    match an.live_posts.len() {
        0 => {}
        1 => parts.push("1 new post".into()),
        n => parts.push(format!("{n} new posts")),
    }
    if an.lede {
        parts.push("lede changed".into());
    }
    if an.cut.sentences > 0 {
        parts.push(format!("{} cut", an.cut.phrase()));
    }
    if an.added.sentences > 0 {
        parts.push(format!("{} added", an.added.phrase()));
    }
    if let Some(note) = an.note {
        parts.push(note_phrase(note).into());
    }
    if !an.numbers.is_empty() {
        parts.push(an.numbers_phrase(3));
    }
    for (n, what) in [
        (an.quotes_removed, "removed"),
        (an.quotes_changed, "changed"),
        (an.quotes_added, "added"),
    ] {
        match n {
            0 => {}
            1 => parts.push(format!("quote {what}")),
            n => parts.push(format!("{n} quotes {what}")),
        }
    }
    if an.attribution {
        parts.push("attribution changed".into());
    }
    if let Some((o, n)) = an.names.first() {
        parts.push(format!("{o} → {n}"));
    }
    if matches!(an.byline, Some(Field::Changed { .. })) {
        parts.push("byline changed".into());
    }
    match an.moved.sentences {
        0 => {}
        1 => parts.push("1 sentence moved".into()),
        n => parts.push(format!("{n} sentences moved")),
    }
    if parts.is_empty() && an.words_changed > 0 {
        let words = if an.words_changed == 1 {
            "1 word changed".to_string()
        } else {
            format!("{} words changed", an.words_changed)
        };
        match an.edited_paragraphs.as_slice() {
            [p] => parts.push(format!("{words} in paragraph {}", p + 1)),
            ps => parts.push(format!("{words} in {} paragraphs", ps.len())),
        }
    }
    if parts.is_empty() && labels.contains(&Label::Style) {
        parts.push("punctuation and spelling only".into());
    }
    if parts.is_empty() && !labels.is_empty() {
        parts.push("text changed".into());
    }
    join_bounded(&parts)
}

/// Joins parts with " · ", dropping trailing parts (for "…") past
/// [`MAX_CHARS`], and capitalises the first letter.
fn join_bounded(parts: &[String]) -> String {
    const MORE: &str = " · …";
    let mut out = String::new();
    let mut len = 0;
    for (k, part) in parts.iter().enumerate() {
        let sep = if k == 0 { "" } else { " · " };
        let add = sep.chars().count() + part.chars().count();
        // Room for this part, and for the ellipsis if more parts follow.
        let reserve = if k + 1 < parts.len() {
            MORE.chars().count()
        } else {
            0
        };
        if len + add + reserve > MAX_CHARS {
            if k == 0 {
                out.push_str(truncate_chars(part, MAX_CHARS - 1));
                out.push('…');
            } else {
                out.push_str(MORE);
            }
            break;
        }
        out.push_str(sep);
        out.push_str(part);
        len += add;
    }
    capitalise_first(&out)
}
