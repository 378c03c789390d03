//! The card's words: cleaning untrusted input (control and invisible
//! formatting characters out, whitespace as single spaces, bounded
//! length), the time between versions in words ("about 9 hours later"),
//! and the alt text that reads the change ("Before: … After: …").

use crate::{Card, SegmentKind};

/// At most this many characters of one headline, source or site name are
/// kept (a card shows three lines of a headline at most).
pub(crate) const MAX_LINE_CHARS: usize = 400;
/// At most this many characters of one sentence (all its segments).
pub(crate) const MAX_SENTENCE_CHARS: usize = 4000;
/// At most this many characters of one segment: more than a card's lines
/// hold. The text before a sentence's first change keeps its end (see
/// [`MAX_LEAD_CHARS`]), any other segment its start.
pub(crate) const MAX_SEGMENT_CHARS: usize = 500;
/// At most this many characters of the text before a sentence's first
/// change: a card shows a few words before the change.
pub(crate) const MAX_LEAD_CHARS: usize = 300;
/// At most this many segments of one sentence are read.
pub(crate) const MAX_SEGMENTS: usize = 64;
/// At most this many sentences are read.
pub(crate) const MAX_SENTENCES: usize = 2;
/// The longest alt text, in characters (Mastodon takes 1,500, Bluesky
/// 2,000).
pub const MAX_ALT_CHARS: usize = 1500;

/// Characters that print nothing or reorder text: bidirectional controls,
/// zero-width spaces, the byte order mark, soft hyphens, interlinear
/// annotation marks, tags. (The zero-width joiner and non-joiner stay:
/// shaping needs them.)
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}' | '\u{200E}' | '\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// `s` with every whitespace or control character as a space (runs kept
/// as they are: callers split on them), invisible formatting characters
/// dropped, and at most `*budget` characters kept, the budget reduced by
/// what was taken.
pub(crate) fn clean_into(s: &str, budget: &mut usize, out: &mut String) {
    for c in s.chars() {
        if *budget == 0 {
            return;
        }
        if c.is_whitespace() || c.is_control() {
            out.push(' ');
        } else if invisible(c) {
            continue;
        } else {
            out.push(c);
        }
        *budget -= 1;
    }
}

/// `s` cleaned, whitespace collapsed and trimmed, at most `max` characters.
pub(crate) fn clean_line(s: &str, max: usize) -> String {
    let mut raw = String::new();
    let mut budget = max;
    clean_into(s, &mut budget, &mut raw);
    raw.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the card's headline changed: both versions have one, and they
/// differ (in more than whitespace and invisible characters) anywhere, not
/// only in the part a card shows.
pub(crate) fn headline_changed(card: &Card) -> bool {
    let before = clean_line(&card.headline_before, usize::MAX);
    let after = clean_line(&card.headline_after, usize::MAX);
    before != after && !before.is_empty() && !after.is_empty()
}

/// `s` followed by a full stop unless it already ends a sentence.
fn sentence(s: &str) -> String {
    let ends = s
        .chars()
        .last()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…' | '"' | '”' | '’' | '»' | ')'));
    if ends { s.to_string() } else { format!("{s}.") }
}

/// The old and new text of one sentence: equal and removed segments, and
/// equal and added ones, whitespace collapsed.
pub(crate) fn sides(segments: &[crate::Segment]) -> (String, String) {
    let mut old = String::new();
    let mut new = String::new();
    let mut old_budget = MAX_SENTENCE_CHARS;
    let mut new_budget = MAX_SENTENCE_CHARS;
    for (i, s) in segments.iter().enumerate() {
        // A removal next to the addition that replaces it ("a dozen" /
        // "12") reads as two words on each side, never glued.
        let replaced = |other: SegmentKind| {
            segments
                .get(i + 1)
                .is_some_and(|n| n.kind == other && !n.text.starts_with(char::is_whitespace))
        };
        match s.kind {
            SegmentKind::Same => {
                clean_into(&s.text, &mut old_budget, &mut old);
                clean_into(&s.text, &mut new_budget, &mut new);
            }
            SegmentKind::Removed => {
                clean_into(&s.text, &mut old_budget, &mut old);
                if replaced(SegmentKind::Added) {
                    old.push(' ');
                }
            }
            SegmentKind::Added => {
                clean_into(&s.text, &mut new_budget, &mut new);
                if replaced(SegmentKind::Removed) {
                    new.push(' ');
                }
            }
        }
    }
    (clean_line(&old, usize::MAX), clean_line(&new, usize::MAX))
}

/// The alt text of a card: the change in words, for readers who cannot
/// see the image.
///
/// "BBC News, about 9 hours later. Headline before: … Headline after: …
/// Before: … After: … Shown by redline.example.org." A sentence only added
/// reads "Added: …", one only removed "Removed: …". At most
/// [`MAX_ALT_CHARS`] characters, cut with "…".
pub fn alt_text(card: &Card) -> String {
    let source = clean_line(&card.source, MAX_LINE_CHARS);
    let site = clean_line(&card.site_name, MAX_LINE_CHARS);
    let before = clean_line(&card.headline_before, MAX_LINE_CHARS);
    let after = clean_line(&card.headline_after, MAX_LINE_CHARS);
    let changed = headline_changed(card);
    let mut parts: Vec<String> = Vec::new();
    let when = clean_line(&card.elapsed, 80);
    parts.push(if source.is_empty() {
        sentence(&format!("A change seen {when}"))
    } else {
        sentence(&format!("{source}, {when}"))
    });
    if changed {
        parts.push(format!("Headline before: {}", sentence(&before)));
        parts.push(format!("Headline after: {}", sentence(&after)));
    } else if !after.is_empty() || !before.is_empty() {
        let h = if after.is_empty() { &before } else { &after };
        parts.push(format!("Headline: {}", sentence(h)));
    }
    for segments in card.sentences.iter().take(MAX_SENTENCES) {
        let (old, new) = sides(segments);
        match (old.is_empty(), new.is_empty()) {
            (true, true) => {}
            (true, false) => parts.push(format!("Added: {}", sentence(&new))),
            (false, true) => parts.push(format!("Removed: {}", sentence(&old))),
            (false, false) if old == new => parts.push(format!("Unchanged: {}", sentence(&new))),
            (false, false) => {
                parts.push(format!("Before: {}", sentence(&old)));
                parts.push(format!("After: {}", sentence(&new)));
            }
        }
    }
    if !site.is_empty() {
        parts.push(format!("Shown by {}", sentence(&site)));
    }
    let text = parts.join(" ");
    if text.chars().count() <= MAX_ALT_CHARS {
        return text;
    }
    // Room for the ellipsis, cut after the last whole word (unless that
    // loses more than half).
    let mut cut: String = text.chars().take(MAX_ALT_CHARS - 1).collect();
    let whole = text[cut.len()..].starts_with(char::is_whitespace);
    if !whole && let Some(i) = cut.rfind(' ').filter(|&i| i > cut.len() / 2) {
        cut.truncate(i);
    }
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_controls_and_invisible_characters() {
        assert_eq!(
            clean_line(" a\u{202E}b\tc\u{0}\nd\u{200B}e\u{200D}f  ", 100),
            "ab c de\u{200D}f"
        );
        assert_eq!(clean_line("abcdef", 3), "abc");
    }
}
