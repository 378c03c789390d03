//! What a change consists of, measured once from the two texts and the
//! aligned actions: which parts changed only in style, which numbers,
//! quotes, attributions and names changed, what was cut, added or moved,
//! and any editor's note. The label rules, the score and the summary all
//! read this.

use std::collections::{HashMap, HashSet};

use redline_diff::{ArticleText, PieceOp};

use crate::lexicon::*;
use crate::sentences::{self, Sentence};
use crate::words::{self, edit_distance, is_capitalised};
use crate::{Action, ActionKind, Context};

/// How a one-line field (headline, byline) changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Spelling, capitalisation, punctuation or whitespace only.
    Style,
    /// Changed in words; `rewritten` when half or more of its words went.
    Changed { rewritten: bool },
}

/// An amount of body text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amount {
    pub sentences: usize,
    /// Paragraphs that went (or came) whole.
    pub paragraphs: usize,
    /// Sentences outside those whole paragraphs.
    pub loose: usize,
    pub words: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Amount {
    /// "1 paragraph (73 words)", "2 sentences (31 words)", "1 paragraph and
    /// 1 sentence (40 words)".
    pub fn phrase(&self) -> String {
        let count = match (self.paragraphs, self.loose) {
            (0, _) => plural(self.sentences, "sentence", "sentences"),
            (p, 0) => plural(p, "paragraph", "paragraphs"),
            (p, s) => format!(
                "{} and {}",
                plural(p, "paragraph", "paragraphs"),
                plural(s, "sentence", "sentences")
            ),
        };
        format!("{count} ({})", plural(self.words, "word", "words"))
    }
}

/// How the editor's note changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteChange {
    /// A note added at the end of the text.
    Appended,
    /// A note added elsewhere.
    Added,
    /// An existing note changed.
    Changed,
}

/// The measured change.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub headline: Option<Field>,
    pub byline: Option<Field>,
    /// The social headline, where both versions recorded one that differs
    /// from their title; one appearing or going is style.
    pub social_headline: Option<Field>,
    /// Some part changed only in style.
    pub style: bool,
    /// Some part changed in substance (not style, not live posts).
    pub substantive: bool,
    pub lede: bool,
    /// The lede paragraph of the old and of the new version: the first that
    /// is not an editor's note.
    pub ledes: (usize, usize),
    /// Changed numbers, old → new ("" on the side where there is none).
    pub numbers: Vec<(String, String)>,
    pub quotes_removed: usize,
    pub quotes_added: usize,
    pub quotes_changed: usize,
    pub attribution: bool,
    /// Swapped names, old → new.
    pub names: Vec<(String, String)>,
    pub note: Option<NoteChange>,
    /// The added or changed note admits an error (a correction, not an
    /// update).
    pub admits_error: bool,
    /// An editor's note stands anywhere in the new text.
    pub note_on_page: bool,
    pub cut: Amount,
    pub added: Amount,
    pub moved: Amount,
    /// Words changed inside edited sentences (not style).
    pub words_changed: usize,
    /// The new paragraphs (0-based) with such edits.
    pub edited_paragraphs: Vec<usize>,
    pub rewrite: bool,
    pub live_posts: Vec<String>,
    /// Sentence actions that are live posts.
    pub live_actions: Vec<bool>,
    /// Sentence actions that add an editor's note.
    pub note_actions: Vec<bool>,
}

impl Analysis {
    pub fn quote(&self) -> bool {
        self.quotes_removed + self.quotes_added + self.quotes_changed > 0
    }

    /// The changed numbers, "243 → 234, 5 → 6", at most `max` of them and
    /// "…" if there are more; a number only on one side shows as "−5" or
    /// "+5".
    pub fn numbers_phrase(&self, max: usize) -> String {
        let mut parts: Vec<String> = self
            .numbers
            .iter()
            .take(max)
            .map(|(o, n)| match (o.is_empty(), n.is_empty()) {
                (false, false) => format!("{o} → {n}"),
                (false, true) => format!("−{o}"),
                _ => format!("+{n}"),
            })
            .collect();
        if self.numbers.len() > max {
            parts.push("…".into());
        }
        parts.join(", ")
    }
}

/// Whether a paragraph is an editor's note: a note phrase ("Editor's
/// note", "Fe de errores"), a note heading opening it ("Correction:",
/// "Korrektur:"), or a reference to the text itself ("this article", "cet
/// article", "an earlier version of this") with a word of updating or
/// correcting ("updated", "aktualisiert", "corrigé", "actualizado").
pub fn is_note(text: &str) -> bool {
    let lower = text.to_lowercase();
    let head = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    let heading = NOTE_HEADINGS.iter().any(|h| {
        head.strip_prefix(h).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with([':', '—', '–', '-', '(', '.', ',']) || rest.starts_with("(s)")
        })
    });
    // Every phrase below holds one of these words: most paragraphs are
    // ruled out without a search.
    if heading {
        return true;
    }
    // "Updated to add reaction.", "Updated with further details.": a short
    // paragraph that opens by saying the text was updated (not a time
    // line: "Updated at 14:05" is none).
    let opener = ["updated to ", "updated with "]
        .iter()
        .any(|o| head.starts_with(o));
    // Time-stamped update notices: "[Updated 7:20 p.m.] Adds arrests.",
    // "Updated 7:20 p.m.: Adds …", and the wires' "(Adds arrests, …)",
    // "(Updates with …)", "(Recasts …)".
    let trimmed = lower.trim_start();
    let stamped = trimmed.starts_with("[updated")
        || trimmed.starts_with("(updated")
        || (head.starts_with("updated ")
            && head[8..].starts_with(|c: char| c.is_ascii_digit())
            && head.contains(": "));
    let wire = [
        "(adds ",
        "(updates ",
        "(recasts ",
        "(corrects ",
        "(rewrites ",
        "(refiles ",
    ]
    .iter()
    .any(|o| trimmed.starts_with(o));
    if (opener || stamped || wire) && words::words(&lower).count() <= 40 {
        return true;
    }
    if !words::words(&lower).any(|w| NOTE_ANCHORS.contains(&w)) {
        return false;
    }
    if NOTE_PHRASES.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // A reference to the text and a word of updating in one sentence.
    sentences::split_text(text).into_iter().any(|sentence| {
        let sentence = sentence.to_lowercase();
        SELF_REFERENCES.iter().any(|p| sentence.contains(p))
            && words::words(&sentence).any(|w| {
                UPDATE_WORDS
                    .iter()
                    .any(|u| w.starts_with(u) && (u.len() >= 4 || w == *u))
            })
    })
}

/// Whether an editor's note admits an error: a correction heading
/// ("Correction:", "Korrektur:", "Rectificatif :", "Fe de errores") or a
/// word of error ("misstated", "incorrectly", "falsch", "erroné", "errónea").
pub fn admits_error(note: &str) -> bool {
    let lower = note.to_lowercase();
    let head = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    CORRECTION_HEADINGS.iter().any(|h| head.starts_with(h))
        || words::words(&lower).any(|w| ERROR_WORDS.iter().any(|e| w.starts_with(e)))
}

/// Whether `old` and `new` differ only in spelling (a typo of at most two
/// edits in a word), capitalisation, punctuation, whitespace, or the way a
/// number is written ("two" → "2", "€20 million" → "€20m", "5 per cent" →
/// "5%").
pub fn style_only(old: &str, new: &str) -> bool {
    let (a, b) = (style_tokens(old), style_tokens(new));
    if a == b {
        return true;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // "per cent" → "percent", "e-mail" → "email".
    if ma.concat() == mb.concat() {
        return true;
    }
    ma.len() == mb.len() && ma.len() <= 3 && ma.iter().zip(mb).all(|(x, y)| is_typo(x, y))
}

/// Words that link two sentences merged into one, or open the second of a
/// sentence split in two: "…, and electric models…", "… found. That is
/// roughly…".
static CONNECTIVES: WordSet = WordSet::new(&[
    "and", "but", "so", "which", "while", "whereas", "that", "this", "is", "was", "it", "also",
    "und", "aber", "sowie", "das", "ist", "war", "es", "et", "mais", "ce", "c", "est", "qui", "y",
    "pero", "lo", "que", "e",
]);

/// Whether two texts differ only in style and in connectives (see
/// [`CONNECTIVES`]): what a pure merge or split of sentences changes.
fn connectives_only(old: &str, new: &str) -> bool {
    let kept = |s: &str| -> Vec<String> {
        style_tokens(s)
            .into_iter()
            .filter(|t| !CONNECTIVES.contains(&t.as_str()))
            .collect()
    };
    kept(old) == kept(new)
}

/// Lower-case words with digits and letters apart ("20m" → "20", "m"),
/// "%" as "percent", unit abbreviations and exact spelled numbers in one
/// form.
fn style_tokens(s: &str) -> Vec<String> {
    let spaced: String = s
        .chars()
        .flat_map(|c| {
            if c == '%' {
                vec![' ', 'p', 'e', 'r', 'c', 'e', 'n', 't', ' ']
            } else {
                vec![c]
            }
        })
        .collect();
    let mut out = Vec::new();
    for w in words::words(&spaced) {
        let lower = w.to_lowercase();
        // Split where digits meet letters.
        let mut start = 0;
        let chars: Vec<(usize, char)> = lower.char_indices().collect();
        for k in 1..chars.len() {
            if chars[k].1.is_ascii_digit() != chars[k - 1].1.is_ascii_digit() {
                out.push(lower[start..chars[k].0].to_string());
                start = chars[k].0;
            }
        }
        out.push(lower[start..].to_string());
    }
    // "por ciento", "pour cent": one word, as "per cent" is.
    let mut joined: Vec<String> = Vec::with_capacity(out.len());
    for t in out {
        if (t == "ciento" || t == "cent")
            && let Some(last) = joined.last_mut()
            && (last == "por" || last == "pour" || last == "per")
        {
            *last = "percent".into();
            continue;
        }
        joined.push(t);
    }
    let mut out = joined;
    for t in &mut out {
        let same: Option<&str> = match t.as_str() {
            "m" | "mn" | "mln" | "mio" | "millionen" | "millones" => Some("million"),
            "bn" | "b" | "mrd" | "milliarden" | "md" | "mds" => Some("billion"),
            "k" => Some("thousand"),
            "pct" | "prozent" => Some("percent"),
            w => spelled_value(w).or_else(|| {
                MONTH_ABBREVIATIONS
                    .iter()
                    .find(|(a, _)| *a == w)
                    .map(|(_, m)| *m)
            }),
        };
        if let Some(x) = same {
            *t = x.to_string();
        }
    }
    out
}

/// The digits of an exactly spelled number from one to twenty ("two" →
/// "2"); approximate counts ("a dozen", "hundreds") have none.
fn spelled_value(word: &str) -> Option<&'static str> {
    const VALUES: [&str; 20] = [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
        "17", "18", "19", "20",
    ];
    SPELLED_NUMBERS
        .iter()
        .find_map(|(words, n)| words.contains(&word).then(|| VALUES[*n - 1]))
}

fn is_typo(x: &str, y: &str) -> bool {
    let blocked = |w: &str| {
        w.chars().any(|c| c.is_numeric())
            || NEGATIONS.contains(&w)
            || NUMBER_WORDS.contains(&w)
            || CAPITALISED_DATE_WORDS.contains(&w)
            || DATE_WORDS.contains(&w)
            || DAY_WORDS.contains(&w)
    };
    if blocked(x) || blocked(y) {
        return false;
    }
    let len = x.chars().count().min(y.chars().count());
    match edit_distance(x, y, 2) {
        0 => true,
        1 => len >= 4,
        2 => len >= 7 && x.chars().next() == y.chars().next(),
        _ => false,
    }
}

/// How the social headline changed: compared only where both versions
/// recorded it (see `ArticleText::social_title`); one appearing or going
/// (a template adding or dropping `og:title`) is style.
fn social_field(old: &ArticleText, new: &ArticleText) -> Option<Field> {
    match (old.social_title.as_deref()?, new.social_title.as_deref()?) {
        ("", "") => None,
        ("", _) | (_, "") => Some(Field::Style),
        (o, n) => field(o, n),
    }
}

fn field(old: &str, new: &str) -> Option<Field> {
    if old == new {
        return None;
    }
    if style_only(old, new) {
        return Some(Field::Style);
    }
    let (a, b) = (words::bag(old), words::bag(new));
    let kept = words::shared(&a, &b);
    Some(Field::Changed {
        rewritten: kept * 2 <= a.len().max(b.len()),
    })
}

/// The byte ranges (with the marks) of the closed quotations of `text`.
fn quote_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    let mut open: Option<(usize, &[char])> = None;
    for (k, &(at, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|x| x.1);
        let after_space = prev.is_none_or(|p| p.is_whitespace() || "([—–-".contains(p));
        let before_word = next.is_some_and(char::is_alphanumeric);
        let end_of_word = next.is_none_or(|n| !n.is_alphanumeric());
        if let Some((start, closers)) = open {
            let closes = closers.contains(&c) && (!matches!(c, '’' | '\'') || end_of_word);
            if closes {
                spans.push((start, at + c.len_utf8()));
                open = None;
            }
            continue;
        }
        let closers: &[char] = match c {
            '“' => &['”', '“'],
            '„' => &['“', '”'],
            '«' => &['»'],
            '"' => &['"'],
            '‚' => &['‘', '’'],
            '‘' if after_space => &['’'],
            '\'' if after_space && before_word => &['\''],
            _ => continue,
        };
        open = Some((at, closers));
    }
    spans
}

fn normalised(s: &str) -> String {
    words::words(s)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A stretch of text and the paragraph it stands in, to see quotations
/// that open before it or close after it.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    pub text: &'a str,
    pub context: &'a str,
}

impl<'a> Part<'a> {
    /// A text on its own.
    pub fn alone(text: &'a str) -> Self {
        Part {
            text,
            context: text,
        }
    }

    /// The quotations' byte ranges within the text.
    fn spans(&self) -> Vec<(usize, usize)> {
        let Some(off) = self.context.find(self.text) else {
            return quote_spans(self.text);
        };
        let end = off + self.text.len();
        quote_spans(self.context)
            .into_iter()
            .filter_map(|(s, e)| {
                let (s, e) = (s.max(off), e.min(end));
                (s < e).then(|| (s - off, e - off))
            })
            .collect()
    }
}

/// The normalised words of each quotation (of two words or more) in a
/// part.
pub fn quotes(part: Part<'_>) -> Vec<String> {
    part.spans()
        .into_iter()
        .map(|(s, e)| normalised(&part.text[s..e]))
        .filter(|q| q.split(' ').count() >= 2)
        .collect()
}

/// A part with its quotations replaced by a clause break.
fn unquoted(part: Part<'_>) -> String {
    let text = part.text;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (s, e) in part.spans() {
        out.push_str(&text[last..s]);
        out.push_str(" | ");
        last = e;
    }
    out.push_str(&text[last..]);
    out
}

fn is_date_or_number(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.chars().any(|c| c.is_numeric())
        || NUMBER_WORDS.contains(&lower.as_str())
        || DATE_WORDS.contains(&lower.as_str())
        || DAY_WORDS.contains(&lower.as_str())
        || (is_capitalised(word) && CAPITALISED_DATE_WORDS.contains(&lower.as_str()))
        || (is_capitalised(word) && day_word(&lower))
}

/// What a number is, to pair only numbers of one sort: a weekday is never
/// replaced by a count, a magnitude (a decimal) rarely by a death toll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// A day: a weekday ("Monday", "Freitagmorgen"), "yesterday", "heute".
    Day,
    /// A month.
    Month,
    /// A whole number or exact spelled one ("243", "two").
    Count,
    /// A number with a fraction ("6.4", "five and a half", "3/4").
    Decimal,
    /// A vague quantity or a large-number word ("thousands", "a dozen").
    Vague,
    /// A year (four digits from 1800 to 2199).
    Year,
    /// A clock time ("4:17").
    Time,
}

impl NumberKind {
    /// Dates pair with dates, quantities with quantities.
    fn class(self) -> u8 {
        match self {
            NumberKind::Day => 0,
            NumberKind::Month => 1,
            _ => 2,
        }
    }
}

/// One number of a text.
#[derive(Debug, Clone)]
pub struct Number {
    /// The value in one form ("1,200" and "1200" alike; "two" as "2").
    pub canonical: String,
    /// As written.
    pub shown: String,
    pub kind: NumberKind,
    /// Byte range in the text.
    pub at: usize,
    pub end: usize,
    /// The nearest content words before and after (lower case).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Spaces that separate thousands: "3 000", "3 000" (no-break), "3 000".
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Words for a half or a quarter after "and a" (or "et", "y"): "five and a
/// half", "trois et demi", "dos y media".
const FRACTION_TAILS: &[&[&str]] = &[
    &["and", "a", "half"],
    &["and", "a", "quarter"],
    &["and", "three", "quarters"],
    &["and", "one", "half"],
    &["et", "demi"],
    &["et", "demie"],
    &["et", "quart"],
    &["y", "media"],
    &["y", "medio"],
    &["und", "ein", "halb"],
];

fn is_vulgar_fraction(c: char) -> bool {
    matches!(c, '½' | '¼' | '¾' | '⅓' | '⅔' | '⅛')
}

/// The weekday a German compound of weekday and part of the day stands on
/// ("freitagmorgen", "donnerstagabend"), or a plain day word.
fn day_word(lower: &str) -> bool {
    const DAYS: &[&str] = &[
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonnabend",
        "sonntag",
    ];
    const PARTS: &[&str] = &[
        "morgen",
        "vormittag",
        "mittag",
        "nachmittag",
        "abend",
        "nacht",
        "früh",
        "morgens",
        "abends",
        "nachts",
        "mittags",
        "s",
    ];
    DAYS.iter().any(|d| {
        lower
            .strip_prefix(d)
            .is_some_and(|rest| rest.is_empty() || PARTS.contains(&rest))
    })
}

fn word_kind(lower: &str) -> NumberKind {
    // English weekdays end in "day"; no month does.
    let weekday = lower.ends_with("day") && CAPITALISED_DATE_WORDS.contains(&lower);
    if weekday || DAY_WORDS.contains(&lower) || day_word(lower) {
        NumberKind::Day
    } else if CAPITALISED_DATE_WORDS.contains(&lower) || DATE_WORDS.contains(&lower) {
        NumberKind::Month
    } else if spelled_value(lower).is_some() {
        NumberKind::Count
    } else if matches!(lower, "half" | "quarter") {
        NumberKind::Decimal
    } else {
        NumberKind::Vague
    }
}

/// The numbers, amounts and dates of `text`, each with its kind and the
/// content words next to it. Thousands separated by spaces ("3 000") are
/// one number; "and a half" and fractions ("5½", "3/4") belong to the
/// number they follow.
pub fn number_tokens(text: &str) -> Vec<Number> {
    let mut out: Vec<Number> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let ch = |k: usize| chars.get(k).map(|x| x.1);
    let digit = |k: usize| ch(k).is_some_and(|c| c.is_ascii_digit());
    let byte = |k: usize| chars.get(k).map_or(text.len(), |x| x.0);
    // Word runs (lower case) with their byte ranges, for the neighbours.
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if c.is_ascii_digit() || is_vulgar_fraction(c) {
            let start = k;
            let mut group = 0usize;
            let mut fraction = is_vulgar_fraction(c);
            let mut time = false;
            let mut grouped_by_space = false;
            while k < chars.len() {
                let c = chars[k].1;
                if c.is_ascii_digit() {
                    group += 1;
                    k += 1;
                } else if is_vulgar_fraction(c) {
                    fraction = true;
                    k += 1;
                } else if matches!(c, '.' | ',' | '/' | ':') && digit(k + 1) {
                    fraction |= c == '/';
                    time |= c == ':';
                    group = 0;
                    k += 1;
                } else if is_group_space(c)
                    && (1..=3).contains(&group)
                    && (grouped_by_space || start == k - group)
                    && (k + 1..k + 4).all(digit)
                    && !digit(k + 4)
                    && !ch(k + 4).is_some_and(|c| matches!(c, '.' | ',') && digit(k + 5))
                {
                    grouped_by_space = true;
                    group = 0;
                    k += 1;
                } else {
                    break;
                }
            }
            let raw: String = chars[start..k]
                .iter()
                .map(|x| if is_group_space(x.1) { ' ' } else { x.1 })
                .collect();
            let compact: String = raw.chars().filter(|c| *c != ' ').collect();
            let mut shown = raw.clone();
            if start > 0 && "$€£¥".contains(chars[start - 1].1) {
                shown.insert(0, chars[start - 1].1);
            }
            if ch(k) == Some('%') {
                shown.push('%');
            }
            let canonical = if time || compact.contains('/') {
                compact.clone()
            } else {
                canonical_number(&compact)
            };
            let kind = if time {
                NumberKind::Time
            } else if fraction || canonical.contains('.') {
                NumberKind::Decimal
            } else if compact.len() == 4
                && compact.chars().all(|c| c.is_ascii_digit())
                && (1800..2200).contains(&compact.parse::<u32>().unwrap_or(0))
            {
                NumberKind::Year
            } else {
                NumberKind::Count
            };
            out.push(Number {
                canonical,
                shown,
                kind,
                at: byte(start),
                end: byte(k),
                before: None,
                after: None,
            });
            k = fraction_tail(text, &chars, k, out.last_mut());
            continue;
        }
        if c.is_alphabetic() {
            let start = k;
            while k < chars.len() && chars[k].1.is_alphanumeric() {
                k += 1;
            }
            let word = &text[byte(start)..byte(k)];
            let lower = word.to_lowercase();
            let half_compound = lower
                .strip_suffix("einhalb")
                .filter(|p| spelled_value(p).is_some());
            if word.chars().all(char::is_alphabetic)
                && (is_date_or_number(word) || half_compound.is_some())
            {
                let month = MONTH_ABBREVIATIONS
                    .iter()
                    .find(|(a, _)| *a == lower)
                    .map(|(_, m)| *m);
                let (canonical, kind) = match half_compound {
                    Some(p) => (
                        format!("{}.5", spelled_value(p).unwrap_or_default()),
                        NumberKind::Decimal,
                    ),
                    None => (
                        spelled_value(&lower)
                            .or(month)
                            .map_or(lower.clone(), String::from),
                        word_kind(&lower),
                    ),
                };
                out.push(Number {
                    canonical,
                    shown: word.to_string(),
                    kind,
                    at: byte(start),
                    end: byte(k),
                    before: None,
                    after: None,
                });
                if matches!(kind, NumberKind::Count | NumberKind::Vague) {
                    k = fraction_tail(text, &chars, k, out.last_mut());
                }
            }
            continue;
        }
        k += 1;
    }
    // The content words next to each number.
    for n in &mut out {
        let end = n.end;
        let content = |w: &&str| {
            let l = w.to_lowercase();
            !STOPWORDS.contains(&l.as_str())
                && !FILLER.contains(&l.as_str())
                && !is_date_or_number(w)
                && !matches!(
                    l.as_str(),
                    "least" | "more" | "than" | "about" | "nearly" | "almost" | "some" | "over"
                )
        };
        n.before = text
            .get(..n.at)
            .and_then(|b| words::words(b).rev().find(content))
            .map(str::to_lowercase);
        n.after = text
            .get(end..)
            .and_then(|a| words::words(a).find(content))
            .map(str::to_lowercase);
    }
    out
}

/// After a number ending at char `k`: "and a half" (or a fraction sign)
/// joins it; the char index after what was taken.
fn fraction_tail(
    text: &str,
    chars: &[(usize, char)],
    k: usize,
    number: Option<&mut Number>,
) -> usize {
    let Some(number) = number else { return k };
    let at = chars.get(k).map_or(text.len(), |x| x.0);
    let rest = &text[at..];
    let mut ws = rest
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty());
    let first: Vec<&str> = ws.by_ref().take(3).collect();
    for tail in FRACTION_TAILS {
        let n = tail.len();
        if first.len() >= n
            && first[..n].iter().zip(tail.iter()).all(|(w, t)| {
                w.trim_end_matches(|c: char| !c.is_alphanumeric())
                    .eq_ignore_ascii_case(t)
            })
        {
            // The byte just after the tail's last word.
            let last = first[n - 1].trim_end_matches(|c: char| !c.is_alphanumeric());
            let end = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
            number.shown = text[number.at..end].to_string();
            number.end = end;
            number.canonical = format!("{}+{}", number.canonical, tail[n - 1]);
            number.kind = NumberKind::Decimal;
            return chars.iter().position(|x| x.0 >= end).unwrap_or(chars.len());
        }
    }
    k
}

/// The numbers, amounts and dates of `text`: (canonical form, as written).
#[cfg(test)]
pub fn numbers(text: &str) -> Vec<(String, String)> {
    number_tokens(text)
        .into_iter()
        .map(|n| (n.canonical, n.shown))
        .collect()
}

/// Digits with thousands separators (a separator before exactly three
/// digits) removed and a decimal comma made a point.
fn canonical_number(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::new();
    for (k, &c) in chars.iter().enumerate() {
        if matches!(c, '.' | ',') {
            let digits = chars[k + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits != 3 {
                out.push('.');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A speaker or source credited in a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Speaker {
    /// Its words, lower case, fillers left out: "chief executive martin haber".
    pub words: String,
    /// The words that are not names: its kind or role ("chief executive").
    pub role: String,
    /// The words that are names ("martin haber").
    pub names: Vec<String>,
    /// Opened by an indefinite article ("a senior executive", "ein
    /// Sprecher"): a kind of source, not a named one.
    pub indefinite: bool,
}

impl Speaker {
    /// Whether it names someone.
    pub fn named(&self) -> bool {
        !self.names.is_empty() && !self.indefinite
    }
}

/// Words that end a speaker's phrase looking forwards from the verb:
/// prepositions and particles ("said a spokesman on Monday", "sagte ein
/// Sprecher am Mittwoch", "teilte die Bahn mit").
static SPEAKER_ENDS: WordSet = WordSet::new(&[
    "on",
    "at",
    "in",
    "to",
    "during",
    "after",
    "before",
    "with",
    "from",
    "for",
    "about",
    "when",
    "while",
    "outside",
    "am",
    "im",
    "an",
    "auf",
    "vor",
    "nach",
    "bei",
    "gegenüber",
    "mit",
    "zu",
    "zum",
    "zur",
    "während",
    "à",
    "au",
    "aux",
    "lors",
    "devant",
    "dans",
    "en",
    "ce",
    "a",
    "al",
    "durante",
    "ante",
    "tras",
    "este",
    "esta",
]);

/// Auxiliary verbs: after a speech verb they open a reported clause ("said
/// the plan would fail"), not a speaker.
static AUXILIARIES: WordSet = WordSet::new(&[
    "would", "will", "could", "should", "might", "may", "must", "can", "had", "has", "have", "was",
    "were", "is", "are", "did", "does", "würde", "wird", "werde", "sei", "seien", "habe", "hätte",
    "wäre", "sollte", "könnte", "sera", "serait", "était", "avait", "est", "sería", "era", "había",
    "habría",
]);

/// Words skipped between a speech verb and the source after it: "hieß es
/// aus Regierungskreisen", "said of", "dijo desde".
static SOURCE_LEADS: WordSet = WordSet::new(&["es", "aus", "von", "vom", "seitens", "de", "desde"]);

const INDEFINITES: &[&str] = &[
    "a", "an", "one", "ein", "eine", "einer", "un", "une", "una", "uno",
];

/// The speakers and sources credited in a part: the words next to a speech
/// verb ("officials said", "said a spokesman", "sagte ein Bahnsprecher am
/// Mittwoch", "hieß es aus Unternehmenskreisen", "according to the
/// ministry", and an appositive before the verb: "the chief executive,
/// Martin Haber, told analysts"), quotations left out. In German text
/// (`german`), where nouns are capitalised, a capitalised word is a name
/// only in a run of two or more, as an acronym, or alone after the verb
/// without an article.
pub fn attributions(part: Part<'_>, german: bool) -> Vec<Speaker> {
    let plain = unquoted(part);
    let mut out = Vec::new();
    let clauses: Vec<&str> = plain
        .split(|c: char| ",;:.!?()|—–\"“”«»„".contains(c))
        .collect();
    for (c, clause) in clauses.iter().enumerate() {
        let ws: Vec<&str> = words::words(clause).collect();
        let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
        for (k, w) in lower.iter().enumerate() {
            let preposition = SOURCE_PREPOSITIONS.contains(&w.as_str());
            if !preposition && !SPEECH_VERBS.contains(&w.as_str()) {
                continue;
            }
            // The speaker's words: (original, lower case).
            let mut who: Vec<(&str, &str)> = Vec::new();
            if preposition && w != "zufolge" {
                let from = if w == "according" { k + 2 } else { k + 1 };
                take(
                    &ws,
                    &lower,
                    from.min(lower.len())..lower.len().min(from + 5),
                    &mut who,
                );
            } else {
                // Backwards to the start of the clause or a clause word.
                let mut start = k;
                for x in (0..k).rev().take(4) {
                    let l = lower[x].as_str();
                    if CLAUSE_WORDS.contains(&l) || SPEECH_VERBS.contains(&l) {
                        break;
                    }
                    start = x;
                }
                let opens_clause = lower[..k].iter().all(|l| FILLER.contains(&l.as_str()));
                if opens_clause && c >= 1 {
                    // An appositive: "the chief executive, Martin Haber, told".
                    let previous: Vec<&str> = words::words(clauses[c - 1]).collect();
                    let name = !previous.is_empty()
                        && previous.len() <= 4
                        && previous.iter().all(|p| is_capitalised(p));
                    if name {
                        if c >= 2 {
                            let role: Vec<&str> = words::words(clauses[c - 2]).collect();
                            let determined = role
                                .first()
                                .is_some_and(|r| DETERMINERS.contains(&r.to_lowercase().as_str()));
                            if determined && role.len() <= 4 {
                                who.extend(role.iter().map(|r| (*r, "")));
                            }
                        }
                        who.extend(previous.iter().map(|p| (*p, "")));
                    }
                }
                take(&ws, &lower, start..k, &mut who);
                // Forwards for a short phrase naming someone, up to a
                // preposition or the end of the clause: "said Smith", "said
                // a spokesman on Monday", "sagte ein Sprecher am Mittwoch".
                let mut from = k + 1;
                while from < lower.len() && SOURCE_LEADS.contains(&lower[from].as_str()) {
                    from += 1;
                }
                let end = (from..lower.len())
                    .find(|&x| {
                        SPEAKER_ENDS.contains(&lower[x].as_str())
                            || CLAUSE_WORDS.contains(&lower[x].as_str())
                            || (x > from && is_date_or_number(ws[x]))
                    })
                    .unwrap_or(lower.len());
                let names_someone = ws.get(from).is_some_and(|t| {
                    is_capitalised(t) || DETERMINERS.contains(&lower[from].as_str())
                });
                // "said the minister would resign": a clause, not a speaker.
                let clause = (from..end).any(|x| AUXILIARIES.contains(&lower[x].as_str()));
                if from < end && end - from <= 5 && names_someone && !clause {
                    take(&ws, &lower, from..end, &mut who);
                }
            }
            if let Some(s) = speaker(&who, german) {
                out.push(s);
            }
        }
    }
    out.sort();
    out
}

/// Adds words `range` of a clause to a speaker's words.
fn take<'a>(
    ws: &[&'a str],
    lower: &'a [String],
    range: std::ops::Range<usize>,
    who: &mut Vec<(&'a str, &'a str)>,
) {
    who.extend(range.map(|x| (ws[x], lower[x].as_str())));
}

/// The roles of speakers, sorted.
fn roles(xs: &[Speaker]) -> Vec<&str> {
    let mut r: Vec<&str> = xs.iter().map(|x| x.role.as_str()).collect();
    r.sort_unstable();
    r
}

/// A speaker from its words (lower-case forms may be empty: computed here).
fn speaker(who: &[(&str, &str)], german: bool) -> Option<Speaker> {
    let lower: Vec<String> = who
        .iter()
        .map(|(w, l)| {
            if l.is_empty() {
                w.to_lowercase()
            } else {
                l.to_string()
            }
        })
        .collect();
    let indefinite = lower
        .first()
        .is_some_and(|l| INDEFINITES.contains(&l.as_str()));
    let determined = lower
        .first()
        .is_some_and(|l| DETERMINERS.contains(&l.as_str()));
    let kept: Vec<usize> = (0..who.len())
        .filter(|&x| {
            let l = lower[x].as_str();
            !FILLER.contains(&l)
                && !DETERMINERS.contains(&l)
                && !is_date_or_number(who[x].0)
                && !SPEECH_VERBS.contains(&l)
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    let capital = |x: usize| is_capitalised(who[x].0) && !NOT_NAMES.contains(&lower[x].as_str());
    let name = |i: usize| {
        let x = kept[i];
        if !capital(x) {
            return false;
        }
        if !german {
            return true;
        }
        let acronym = who[x]
            .0
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let run = (x > 0 && capital(x - 1)) || (x + 1 < who.len() && capital(x + 1));
        acronym || run || (kept.len() == 1 && !determined)
    };
    let mut role = Vec::new();
    let mut names = Vec::new();
    for (i, &x) in kept.iter().enumerate() {
        if name(i) {
            names.push(lower[x].clone());
        } else {
            role.push(lower[x].as_str());
        }
    }
    Some(Speaker {
        words: kept
            .iter()
            .map(|&x| lower[x].as_str())
            .collect::<Vec<_>>()
            .join(" "),
        role: role.join(" "),
        names,
        indefinite,
    })
}

/// Whether most of the short function words of `text` are German ones.
fn is_german(text: &str) -> bool {
    let hits = words::words(text)
        .filter(|w| GERMAN_MARKERS.contains(&w.to_lowercase().as_str()))
        .count();
    hits >= 2
}

/// Whether a body is German: of its first 400 words, at least one in
/// twenty is a German function word (and at least three are).
fn mostly_german(text: &str) -> bool {
    let (mut n, mut hits) = (0usize, 0usize);
    for w in words::words(text).take(400) {
        n += 1;
        // Every marker is short.
        if w.len() <= 6 && GERMAN_MARKERS.contains(&w.to_lowercase().as_str()) {
            hits += 1;
        }
    }
    hits >= 3 && hits * 20 >= n
}

/// Whether a headline is in title case ("Fed Raises Rates Again"), where
/// capitals say nothing about names.
fn title_case(text: &str) -> bool {
    let long: Vec<&str> = words::words(text)
        .filter(|w| w.chars().count() >= 4)
        .collect();
    !long.is_empty() && long.iter().filter(|w| is_capitalised(w)).count() * 10 >= long.len() * 6
}

/// The name words of `text`: capitalised words that are not dates, numbers
/// or words the versions also write in lower case; a sentence opener only
/// if it stands capitalised inside a sentence somewhere in its version
/// (`confirmed`). In German text (where every noun is capitalised) only
/// acronyms and runs of two or more such words count.
fn names(text: &str, german: bool, lexicon: &Lexicon, version: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sentence in sentences::split_text(text) {
        let ws: Vec<&str> = words::words(sentence).collect();
        let candidate = |k: usize| {
            let w = ws[k];
            if !is_capitalised(w) || w.chars().count() < 2 || is_date_or_number(w) {
                return false;
            }
            let lower = w.to_lowercase();
            if NOT_NAMES.contains(&lower.as_str()) || lexicon.written_lower(&lower) {
                return false;
            }
            // `w` is a slice of `sentence`: what stands before it.
            let offset = w.as_ptr() as usize - sentence.as_ptr() as usize;
            let opener = k == 0
                || sentence
                    .get(..offset)
                    .is_some_and(|b| b.trim_end().ends_with(':'));
            !opener || Lexicon::inside_sentence(version, w)
        };
        for k in 0..ws.len() {
            if !candidate(k) {
                continue;
            }
            if german {
                let acronym = ws[k]
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
                let run = (k > 0 && candidate(k - 1)) || (k + 1 < ws.len() && candidate(k + 1));
                if !acronym && !run {
                    continue;
                }
            }
            out.push(ws[k].to_string());
        }
    }
    out
}

/// Removes the items both lists share (as multisets); what is left on each
/// side, in order.
fn difference<T: Eq + std::hash::Hash + Clone>(old: Vec<T>, new: Vec<T>) -> (Vec<T>, Vec<T>) {
    let mut left: HashMap<T, usize> = HashMap::new();
    for x in &new {
        *left.entry(x.clone()).or_default() += 1;
    }
    let mut shared: HashMap<T, usize> = HashMap::new();
    let mut gone = Vec::new();
    for x in old {
        match left.get_mut(&x) {
            Some(n) if *n > 0 => {
                *n -= 1;
                *shared.entry(x).or_default() += 1;
            }
            _ => gone.push(x),
        }
    }
    let came = new
        .into_iter()
        .filter(|x| match shared.get_mut(x) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect();
    (gone, came)
}

fn word_count(s: &str) -> usize {
    words::words(s).count()
}

/// One paired stretch of text to compare (a headline, an edited sentence, a
/// replaced run of sentences).
struct Pair<'a> {
    old: Part<'a>,
    new: Part<'a>,
    headline: bool,
    /// A headline replaced for the most part: its names say nothing.
    rewritten: bool,
}

/// Looks words up in the text of both versions by substring search (each
/// version's paragraphs joined by newlines): there is no index to build,
/// and only the few capitalised words of the changed text are looked up.
struct Lexicon {
    old: String,
    new: String,
    /// The article is in German (see [`mostly_german`]).
    german: bool,
}

impl Lexicon {
    fn new(old: &ArticleText, new: &ArticleText) -> Self {
        let (old, new) = (old.paragraphs.join("\n"), new.paragraphs.join("\n"));
        let german = mostly_german(&old) || mostly_german(&new);
        Lexicon { old, new, german }
    }

    /// Whether `lower` (a lower-case word) is written so in prose somewhere
    /// (not in an address or handle such as "pic.twitter.com").
    fn written_lower(&self, lower: &str) -> bool {
        [&self.old, &self.new]
            .iter()
            .any(|p| occurs(p, lower, |at| in_prose(p, at, lower.len())))
    }

    /// Whether `word` stands inside a sentence (not at its start) in
    /// `text`.
    fn inside_sentence(text: &str, word: &str) -> bool {
        occurs(text, word, |at| !at_sentence_start(text, at))
    }
}

/// Whether `word` occurs in `p` as a whole word at a place `accept` takes.
fn occurs(p: &str, word: &str, accept: impl Fn(usize) -> bool) -> bool {
    !word.is_empty()
        && p.match_indices(word).any(|(at, _)| {
            let before = p[..at].chars().next_back();
            let after = p[at + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(char::is_alphanumeric)
                && accept(at)
        })
}

/// Whether the whitespace-separated token around `p[at..at + len]` is prose,
/// not an address or a handle.
fn in_prose(p: &str, at: usize, len: usize) -> bool {
    let start = p[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(k, c)| k + c.len_utf8());
    let rest = &p[at + len..];
    let end = at + len + rest.find(char::is_whitespace).unwrap_or(rest.len());
    let token = p[start..end].trim_end_matches(|c: char| !c.is_alphanumeric());
    !token.contains(['/', '@', '.', '#'])
}

/// Whether byte `at` of `p` opens a paragraph, a sentence or a quotation.
fn at_sentence_start(p: &str, at: usize) -> bool {
    p[..at]
        .trim_end_matches(|c: char| c.is_whitespace() && c != '\n')
        .chars()
        .next_back()
        .is_none_or(|c| ".!?:…\"“”«»„(¿¡‘’'\n".contains(c))
}

/// Measures the change from `old` to `new`.
pub fn analyse(
    old: &ArticleText,
    new: &ArticleText,
    actions: &[Action],
    context: Context,
) -> Analysis {
    let (a, b) = (
        sentences::split(&old.paragraphs),
        sentences::split(&new.paragraphs),
    );
    analyse_split(old, new, &a, &b, actions, context)
}

/// [`analyse`] with the sentences of both versions already split.
pub fn analyse_split<'a>(
    old: &'a ArticleText,
    new: &'a ArticleText,
    old_sentences: &'a [Sentence<'a>],
    new_sentences: &'a [Sentence<'a>],
    actions: &'a [Action],
    context: Context,
) -> Analysis {
    let mut an = Analysis {
        headline: field(&old.title, &new.title),
        byline: field(&old.byline, &new.byline),
        social_headline: social_field(old, new),
        ..Analysis::default()
    };
    for f in [an.headline, an.byline].into_iter().flatten() {
        match f {
            Field::Style => an.style = true,
            _ => an.substantive = true,
        }
    }
    // Not on the page: a change of its own, never substance by itself.
    if an.social_headline == Some(Field::Style) {
        an.style = true;
    }
    // Paragraphs split or joined, sentences all the same.
    if actions.is_empty() && old.paragraphs != new.paragraphs {
        an.style = true;
    }
    let new_count = new_sentences.len();
    let old_part = |a: &'a Action| part(&a.old_text, a.old_paragraph, old);
    let new_part = |a: &'a Action| part(&a.new_text, a.new_paragraph, new);

    find_live_posts(&mut an, actions, new_count, context);
    find_notes(&mut an, old, new, actions);
    let first_prose = |t: &ArticleText| t.paragraphs.iter().position(|p| !is_note(p)).unwrap_or(0);
    an.ledes = (first_prose(old), first_prose(new));

    let lexicon = Lexicon::new(old, new);
    if let Some(Field::Changed { rewritten }) = an.headline {
        let pair = Pair {
            old: Part::alone(&old.title),
            new: Part::alone(&new.title),
            headline: true,
            rewritten,
        };
        compare_quotes(&mut an, quotes(pair.old), quotes(pair.new));
        compare_pair(&mut an, &pair, &lexicon);
    }
    // Whole-paragraph counts for cut and added text.
    let mut old_in_paragraph: HashMap<usize, usize> = HashMap::new();
    for s in old_sentences {
        *old_in_paragraph.entry(s.paragraph).or_default() += 1;
    }
    let mut new_in_paragraph: HashMap<usize, usize> = HashMap::new();
    for s in new_sentences {
        *new_in_paragraph.entry(s.paragraph).or_default() += 1;
    }
    let mut cut_in: HashMap<usize, usize> = HashMap::new();
    let mut added_in: HashMap<usize, usize> = HashMap::new();
    let mut changed_old = 0usize;
    let mut changed_old_words = 0usize;
    let plain = |an: &Analysis, k: usize| !an.live_actions[k] && !an.note_actions[k];
    let mut k = 0;
    while k < actions.len() {
        let a = &actions[k];
        if !plain(&an, k) {
            if an.note_actions[k] {
                an.substantive = true;
            }
            k += 1;
            continue;
        }
        match a.kind {
            ActionKind::Addition | ActionKind::Deletion => {
                // A run of deletions and additions in one place: compare the
                // run's texts as one replacement.
                let end = (k..actions.len())
                    .find(|&e| {
                        !matches!(actions[e].kind, ActionKind::Addition | ActionKind::Deletion)
                            || !plain(&an, e)
                    })
                    .unwrap_or(actions.len())
                    .max(k + 1);
                let run = &actions[k..end];
                let mut old_quotes = Vec::new();
                let mut new_quotes = Vec::new();
                let mut old_run: Vec<&str> = Vec::new();
                let mut new_run: Vec<&str> = Vec::new();
                for x in run {
                    an.substantive = true;
                    touch_lede(&mut an, x);
                    if x.kind == ActionKind::Deletion {
                        an.cut.sentences += 1;
                        an.cut.words += word_count(&x.old_text);
                        changed_old += 1;
                        changed_old_words += word_count(&x.old_text);
                        if let Some(p) = x.old_paragraph {
                            *cut_in.entry(p).or_default() += 1;
                        }
                        old_quotes.extend(quotes(old_part(x)));
                        old_run.push(&x.old_text);
                    } else {
                        an.added.sentences += 1;
                        an.added.words += word_count(&x.new_text);
                        if let Some(p) = x.new_paragraph {
                            *added_in.entry(p).or_default() += 1;
                        }
                        new_quotes.extend(quotes(new_part(x)));
                        new_run.push(&x.new_text);
                    }
                }
                compare_quotes(&mut an, old_quotes, new_quotes);
                // A short replacement of similar text: one stretch edited.
                let (old_joined, new_joined) = (old_run.join(" "), new_run.join(" "));
                let short = (1..=3).contains(&old_run.len()) && (1..=3).contains(&new_run.len());
                if short && words::dice(&words::bag(&old_joined), &words::bag(&new_joined)) >= 0.3 {
                    let pair = Pair {
                        old: Part::alone(&old_joined),
                        new: Part::alone(&new_joined),
                        headline: false,
                        rewritten: false,
                    };
                    compare_pair(&mut an, &pair, &lexicon);
                }
                k = end;
                continue;
            }
            ActionKind::Move if a.old_text == a.new_text => {
                an.substantive = true;
                an.moved.sentences += 1;
                an.moved.words += word_count(&a.new_text);
                touch_lede(&mut an, a);
            }
            _ => {
                if a.kind == ActionKind::Move {
                    an.moved.sentences += 1;
                    an.moved.words += word_count(&a.new_text);
                }
                let rejoined = matches!(a.kind, ActionKind::Merge | ActionKind::Split)
                    && connectives_only(&a.old_text, &a.new_text);
                if rejoined || style_only(&a.old_text, &a.new_text) {
                    an.style = true;
                } else {
                    an.substantive = true;
                    touch_lede(&mut an, a);
                    changed_old += sentences::split_text(&a.old_text).len().max(1);
                    let (changed, deleted) = changed_words(a);
                    an.words_changed += changed;
                    changed_old_words += deleted;
                    an.edited_paragraphs.extend(a.new_paragraph);
                    let pair = Pair {
                        old: old_part(a),
                        new: new_part(a),
                        headline: false,
                        rewritten: false,
                    };
                    compare_quotes(&mut an, quotes(pair.old), quotes(pair.new));
                    compare_pair(&mut an, &pair, &lexicon);
                }
            }
        }
        k += 1;
    }
    for (amount, per, whole) in [
        (&mut an.cut, &cut_in, &old_in_paragraph),
        (&mut an.added, &added_in, &new_in_paragraph),
    ] {
        let full: Vec<usize> = per
            .iter()
            .filter(|(p, n)| whole.get(p) == Some(n))
            .map(|(_, n)| *n)
            .collect();
        amount.paragraphs = full.len();
        amount.loose = amount.sentences.saturating_sub(full.iter().sum::<usize>());
    }
    let old_words: usize = old_sentences.iter().map(|s| word_count(s.text)).sum();
    an.rewrite = old_sentences.len() >= 2
        && changed_old * 2 > old_sentences.len()
        && changed_old_words * 2 > old_words;
    an.edited_paragraphs.sort_unstable();
    an.edited_paragraphs.dedup();
    an
}

/// An action's text on one side, in its paragraph.
fn part<'a>(text: &'a str, paragraph: Option<usize>, version: &'a ArticleText) -> Part<'a> {
    let context = paragraph
        .and_then(|p| version.paragraphs.get(p))
        .map_or(text, String::as_str);
    Part { text, context }
}

/// Words changed in an edited sentence (the larger side of each changed
/// run), and words deleted from it.
fn changed_words(a: &Action) -> (usize, usize) {
    let (mut changed, mut deleted_total) = (0, 0);
    let (mut deleted, mut inserted) = (0, 0);
    for p in &a.pieces {
        match p.op {
            PieceOp::Delete => {
                deleted += word_count(&p.text);
                deleted_total += word_count(&p.text);
            }
            PieceOp::Insert => inserted += word_count(&p.text),
            PieceOp::Equal => {
                changed += deleted.max(inserted);
                (deleted, inserted) = (0, 0);
            }
        }
    }
    (changed + deleted.max(inserted), deleted_total)
}

/// Live posts: on a live page, sentences added above the first or below the
/// last sentence the two versions share, grouped by paragraph.
fn find_live_posts(an: &mut Analysis, actions: &[Action], new_count: usize, context: Context) {
    let mut added = vec![false; new_count];
    for a in actions.iter().filter(|a| a.kind == ActionKind::Addition) {
        if let Some(j) = a.new_index.filter(|&j| j < new_count) {
            added[j] = true;
        }
    }
    let first_kept = added.iter().position(|x| !x).unwrap_or(new_count);
    let last_kept = added.iter().rposition(|x| !x);
    an.live_actions = actions
        .iter()
        .map(|a| {
            context.live
                && a.kind == ActionKind::Addition
                && a.new_index
                    .is_some_and(|j| j < first_kept || last_kept.is_none_or(|l| j > l))
        })
        .collect();
    let mut post_paragraph: Option<usize> = None;
    for (a, _) in actions
        .iter()
        .zip(&an.live_actions)
        .filter(|(_, live)| **live)
    {
        match an.live_posts.last_mut() {
            Some(last) if a.new_paragraph.is_some() && a.new_paragraph == post_paragraph => {
                last.push(' ');
                last.push_str(&a.new_text);
            }
            _ => an.live_posts.push(a.new_text.clone()),
        }
        post_paragraph = a.new_paragraph;
    }
}

/// Editor's notes: the actions that add or change one (a sentence of a
/// note paragraph), how, and whether the new page has one at all.
/// An old note removed while a new one came is part of the note's change.
fn find_notes(an: &mut Analysis, old: &ArticleText, new: &ArticleText, actions: &[Action]) {
    let note_paragraphs: Vec<bool> = new.paragraphs.iter().map(|p| is_note(p)).collect();
    an.note_on_page = note_paragraphs.contains(&true);
    let last_new_paragraph = new.paragraphs.len().saturating_sub(1);
    an.note_actions = actions
        .iter()
        .map(|a| {
            !a.new_text.is_empty()
                && a.old_text != a.new_text
                && match a.new_paragraph.and_then(|p| note_paragraphs.get(p)) {
                    Some(&note) => note,
                    None => is_note(&a.new_text),
                }
        })
        .collect();
    for (a, _) in actions.iter().zip(&an.note_actions).filter(|(_, n)| **n) {
        let change = if a.kind != ActionKind::Addition {
            NoteChange::Changed
        } else if a.new_paragraph == Some(last_new_paragraph) {
            NoteChange::Appended
        } else {
            NoteChange::Added
        };
        an.note = Some(match an.note {
            Some(NoteChange::Changed) => NoteChange::Changed,
            _ => change,
        });
        let note_text = a
            .new_paragraph
            .and_then(|p| new.paragraphs.get(p))
            .map_or(a.new_text.as_str(), String::as_str);
        an.admits_error |= admits_error(note_text);
    }
    if an.note.is_some() {
        for (k, a) in actions.iter().enumerate() {
            let old_note = a
                .old_paragraph
                .and_then(|p| old.paragraphs.get(p))
                .is_some_and(|p| is_note(p));
            if a.kind == ActionKind::Deletion && old_note {
                an.note_actions[k] = true;
            }
        }
    }
}

/// Marks the lede changed if `a` touches it: the first paragraph of either
/// version that is not an editor's note.
fn touch_lede(an: &mut Analysis, a: &Action) {
    if a.old_paragraph == Some(an.ledes.0) || a.new_paragraph == Some(an.ledes.1) {
        an.lede = true;
    }
}

/// Quotes of `old` and `new`: equal ones cancel, the rest pair up as
/// changed, and what is left was removed or added.
fn compare_quotes(an: &mut Analysis, old: Vec<String>, new: Vec<String>) {
    let (gone, came) = difference(old, new);
    let changed = gone.len().min(came.len());
    an.quotes_changed += changed;
    an.quotes_removed += gone.len() - changed;
    an.quotes_added += came.len() - changed;
}

/// The changed runs of a word diff: for each run, its byte ranges in the
/// old and the new text and the words it deletes and inserts.
struct Run {
    old: (usize, usize),
    new: (usize, usize),
    words: usize,
}

fn runs_of(pieces: &[redline_diff::Piece]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let (mut o, mut n) = (0usize, 0usize);
    let mut open = false;
    for p in pieces {
        let len = p.text.len();
        match p.op {
            PieceOp::Equal => {
                if p.text.chars().any(char::is_alphanumeric) {
                    open = false;
                }
                o += len;
                n += len;
            }
            PieceOp::Delete | PieceOp::Insert => {
                if !open {
                    out.push(Run {
                        old: (o, o),
                        new: (n, n),
                        words: 0,
                    });
                    open = true;
                }
                let run = out.last_mut().expect("a run is open");
                run.words = run.words.max(word_count(&p.text));
                if p.op == PieceOp::Delete {
                    o += len;
                    run.old.1 = o;
                } else {
                    n += len;
                    run.new.1 = n;
                }
            }
        }
    }
    out
}

/// A changed run counts as one number replaced in place when it is short.
const SHORT_RUN: usize = 4;

/// The numbers of `old` replaced by numbers of `new`, (old, new) as
/// written. Equal numbers cancel; of the rest, two pair only if they are of
/// one sort (dates with dates, quantities with quantities) and replace each
/// other in place: they stand in one short changed run of the word diff,
/// or next to the same content word ("243 people" → "234 people"). A number
/// in a mostly rewritten stretch with new neighbours pairs with nothing,
/// and a number only added or only removed is no change of a number.
fn paired_numbers(old: &str, new: &str) -> Vec<(String, String)> {
    let (old_numbers, new_numbers) = (number_tokens(old), number_tokens(new));
    // Equal numbers that moved within the changed text cancel.
    let left = |mine: &[Number], theirs: &[Number]| -> Vec<Number> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for t in theirs {
            *counts.entry(t.canonical.as_str()).or_default() += 1;
        }
        mine.iter()
            .filter(|m| match counts.get_mut(m.canonical.as_str()) {
                Some(c) if *c > 0 => {
                    *c -= 1;
                    false
                }
                _ => true,
            })
            .cloned()
            .collect()
    };
    // No number replaced at all: the word diff is not needed.
    if left(&old_numbers, &new_numbers).is_empty() || left(&new_numbers, &old_numbers).is_empty() {
        return Vec::new();
    }
    let pieces = redline_diff::diff::word_diff(old, new);
    let runs = runs_of(&pieces);
    let run_of = |at: usize, end: usize, old_side: bool| {
        runs.iter().position(|r| {
            let (s, e) = if old_side { r.old } else { r.new };
            at < e && s < end
        })
    };
    // Unchanged text: (old start, new start, length) of each equal piece.
    let mut equal: Vec<(usize, usize, usize)> = Vec::new();
    let (mut o, mut n) = (0usize, 0usize);
    for p in &pieces {
        match p.op {
            PieceOp::Equal => {
                equal.push((o, n, p.text.len()));
                o += p.text.len();
                n += p.text.len();
            }
            PieceOp::Delete => o += p.text.len(),
            PieceOp::Insert => n += p.text.len(),
        }
    }
    let across = |at: usize, from_old: bool| {
        equal.iter().find_map(|&(o, n, len)| {
            let (s, t) = if from_old { (o, n) } else { (n, o) };
            (s <= at && at < s + len).then(|| t + at - s)
        })
    };
    // A number is touched by the edit if a changed run overlaps it, or if
    // its counterpart across unchanged text is ("five" → "five and a half").
    let mut old_touched: Vec<bool> = old_numbers
        .iter()
        .map(|x| run_of(x.at, x.end, true).is_some())
        .collect();
    let mut new_touched: Vec<bool> = new_numbers
        .iter()
        .map(|x| run_of(x.at, x.end, false).is_some())
        .collect();
    for (i, x) in old_numbers.iter().enumerate() {
        if old_touched[i]
            && let Some(t) = across(x.at, true)
            && let Some(j) = new_numbers.iter().position(|y| y.at == t)
        {
            new_touched[j] = true;
        }
    }
    for (j, y) in new_numbers.iter().enumerate() {
        if new_touched[j]
            && let Some(t) = across(y.at, false)
            && let Some(i) = old_numbers.iter().position(|x| x.at == t)
        {
            old_touched[i] = true;
        }
    }
    let pick = |all: &[Number], touched: &[bool]| -> Vec<Number> {
        all.iter()
            .zip(touched)
            .filter(|(_, t)| **t)
            .map(|(x, _)| x.clone())
            .collect()
    };
    let (old_numbers, new_numbers) = (
        pick(&old_numbers, &old_touched),
        pick(&new_numbers, &new_touched),
    );
    let gone = left(&old_numbers, &new_numbers);
    let came = left(&new_numbers, &old_numbers);
    if gone.is_empty() || came.is_empty() {
        return Vec::new();
    }
    let run_of = |x: &Number, old_side: bool| run_of(x.at, x.end, old_side);
    let mut candidates: Vec<(u8, usize, usize)> = Vec::new();
    for (i, o) in gone.iter().enumerate() {
        for (j, n) in came.iter().enumerate() {
            if o.kind.class() != n.kind.class() {
                continue;
            }
            // The same day said more or less precisely ("Freitag" →
            // "Freitagmorgen") is no other day.
            let same_day = o.kind == NumberKind::Day
                && n.kind == NumberKind::Day
                && (o.canonical.starts_with(&n.canonical) || n.canonical.starts_with(&o.canonical));
            if same_day {
                continue;
            }
            let fixed = [NumberKind::Year, NumberKind::Time];
            if (fixed.contains(&o.kind) || fixed.contains(&n.kind)) && o.kind != n.kind {
                continue;
            }
            let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
            let neighbour = same(&o.before, &n.before) || same(&o.after, &n.after);
            let in_place = match (run_of(o, true), run_of(n, false)) {
                (Some(a), Some(b)) => a == b && runs[a].words <= SHORT_RUN,
                _ => false,
            };
            let score = u8::from(neighbour) + u8::from(in_place) + u8::from(o.kind == n.kind);
            if neighbour || in_place {
                candidates.push((score, i, j));
            }
        }
    }
    candidates.sort_by_key(|&(score, i, j)| (std::cmp::Reverse(score), i, j));
    let (mut used_old, mut used_new) = (vec![false; gone.len()], vec![false; came.len()]);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (_, i, j) in candidates {
        if !used_old[i] && !used_new[j] {
            used_old[i] = true;
            used_new[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(i, j)| (gone[i].shown.clone(), came[j].shown.clone()))
        .collect()
}

/// Numbers, attribution and names of one paired stretch of text.
fn compare_pair(an: &mut Analysis, pair: &Pair<'_>, lexicon: &Lexicon) {
    let (old, new) = (pair.old.text, pair.new.text);
    // Numbers: one replaced by another.
    an.numbers.extend(paired_numbers(old, new));
    let german = lexicon.german || is_german(old) || is_german(new);
    // Attribution: a speaker that is new to the other version, unless only
    // the names in it changed ("said Mayor Smith" → "said Mayor Jones" is a
    // name swap). A named speaker made a kind of source, or the other way
    // round, is attribution alone: the names that went with the speaker
    // are no swap.
    let mut speaker_names: HashSet<String> = HashSet::new();
    if !pair.headline {
        let (gone, came) = difference(
            attributions(pair.old, german),
            attributions(pair.new, german),
        );
        let lower_words =
            |s: &str| -> HashSet<String> { words::words(s).map(str::to_lowercase).collect() };
        let (old_words, new_words) = (lower_words(old), lower_words(new));
        let fresh =
            |x: &Speaker, other: &HashSet<String>| !x.words.split(' ').all(|w| other.contains(w));
        let gone: Vec<Speaker> = gone.into_iter().filter(|x| fresh(x, &new_words)).collect();
        let came: Vec<Speaker> = came.into_iter().filter(|x| fresh(x, &old_words)).collect();
        let names_only = !gone.is_empty()
            && !came.is_empty()
            && gone.iter().chain(&came).all(Speaker::named)
            && roles(&gone) == roles(&came);
        if (!gone.is_empty() || !came.is_empty()) && !names_only {
            an.attribution = true;
            let named = |xs: &[Speaker]| xs.iter().any(Speaker::named);
            if named(&gone) != named(&came) {
                speaker_names.extend(gone.iter().chain(&came).flat_map(|x| x.names.clone()));
            }
        }
    }
    if pair.rewritten || (pair.headline && (title_case(old) || title_case(new))) {
        return;
    }
    let (mut gone, mut came) = difference(
        names(old, german, lexicon, &lexicon.old),
        names(new, german, lexicon, &lexicon.new),
    );
    // A sentence opener swapped for another capitalised word, one of them
    // known as a name: "Spain will play…" → "Poland will play…".
    let first = |s: &'_ str| words::words(s).next().map(String::from);
    if let (Some(o), Some(n)) = (first(old), first(new))
        && !german
        && o != n
        && [&o, &n].iter().all(|w| {
            let l = w.to_lowercase();
            is_capitalised(w)
                && !NOT_NAMES.contains(&l.as_str())
                && !lexicon.written_lower(&l)
                && !is_date_or_number(w)
        })
        && [&o, &n].iter().any(|w| {
            Lexicon::inside_sentence(&lexicon.old, w) || Lexicon::inside_sentence(&lexicon.new, w)
        })
    {
        if !gone.contains(&o) {
            gone.push(o);
        }
        if !came.contains(&n) {
            came.push(n);
        }
    }
    let spoken = |w: &String| speaker_names.contains(&w.to_lowercase());
    gone.retain(|w| !spoken(w));
    came.retain(|w| !spoken(w));
    // A misspelt name put right is a typo, not a swap.
    let gone: Vec<String> = gone
        .into_iter()
        .filter(|g| {
            !came.iter().any(|c| {
                g.chars().count() >= 4
                    && edit_distance(&g.to_lowercase(), &c.to_lowercase(), 1) <= 1
            })
        })
        .collect();
    if !gone.is_empty() && !came.is_empty() {
        an.names.push((gone.join(" "), came.join(" ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes() {
        assert!(is_note(
            "Correction: An earlier version misstated the toll."
        ));
        assert!(is_note("This article has been updated with new figures."));
        assert!(is_note("Korrektur: In einer früheren Version hieß es …"));
        assert!(is_note(
            "Rectificatif : une version précédente de cet article indiquait…"
        ));
        assert!(is_note("Fe de errores: el texto decía…"));
        assert!(is_note("Corrección: el número era 12."));
        assert!(!is_note("The correction in markets continued on Monday."));
    }

    #[test]
    fn corrections_admit_errors_and_updates_do_not() {
        for note in [
            "Correction: An earlier version of this article misstated the toll.",
            "An earlier version of this article incorrectly said the plant would close.",
            "Korrektur: In einer früheren Version stand eine falsche Zahl.",
            "Rectificatif : une version précédente donnait un chiffre erroné.",
            "Fe de errores: el texto decía otra cifra.",
        ] {
            assert!(admits_error(note), "{note}");
        }
        for note in [
            "Update: This article has been updated with comment from the company.",
            "Dieser Artikel wurde am Sonntag aktualisiert.",
            "Cet article a été mis à jour.",
        ] {
            assert!(!admits_error(note), "{note}");
        }
    }

    #[test]
    fn style() {
        assert!(style_only("REUTERS", "Reuters"));
        assert!(style_only("The goverment said.", "The government said."));
        assert!(style_only("It rose 5 per cent.", "It rose 5 percent."));
        assert!(style_only("\"Go,\" he said", "“Go”, he said."));
        assert!(!style_only("He is now guilty.", "He is not guilty."));
        assert!(!style_only("243 dead", "234 dead"));
        assert!(!style_only("two dead", "three dead"));
    }

    fn q(text: &str) -> Vec<String> {
        quotes(Part::alone(text))
    }

    #[test]
    fn quote_extraction() {
        assert_eq!(q("“We will win,” he said."), vec!["we will win"]);
        assert_eq!(
            q("„Wir schaffen das“, sagte sie."),
            vec!["wir schaffen das"]
        );
        assert_eq!(q("« C'est fini », a-t-il dit."), vec!["c est fini"]);
        assert_eq!(
            q("He said 'never again', though it's late."),
            vec!["never again"]
        );
        assert_eq!(
            q("No quotes here, O'Brien's dog, the \"Selfie\"."),
            Vec::<String>::new()
        );
        // A sentence that starts inside a quotation opened before it.
        let paragraph = "“It was late. We had no choice,” she said.";
        let part = Part {
            text: "We had no choice,” she said.",
            context: paragraph,
        };
        assert_eq!(quotes(part), vec!["we had no choice"]);
    }

    #[test]
    fn number_extraction() {
        let n: Vec<String> =
            numbers("On Monday 1,200 people paid $3.5 or 12% in May, a dozen said.")
                .into_iter()
                .map(|x| x.1)
                .collect();
        assert_eq!(n, vec!["Monday", "1,200", "$3.5", "12%", "May", "dozen"]);
        assert_eq!(numbers("1,200")[0].0, numbers("1200")[0].0);
        assert!(numbers("you may go").is_empty());
    }

    fn pairs(old: &str, new: &str) -> Vec<(String, String)> {
        paired_numbers(old, new)
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn numbers_pair_only_with_their_own_kind_in_place() {
        // A lede reworded: the weekday and the counts name other facts.
        assert_eq!(
            pairs(
                "At least 12 people have died and thousands have been forced from their homes after the storm hit the coast, officials said on Tuesday.",
                "Crews searched on Wednesday for at least four people missing after the storm hit the coast, killing 12 people, officials said."
            ),
            vec![]
        );
        // A rewritten headline: a magnitude is not a death toll.
        assert_eq!(
            pairs(
                "Magnitude 5.8 earthquake shakes western Greece",
                "Death toll from Greek earthquake climbs to 17"
            ),
            vec![]
        );
        // Replaced in place, or next to the same words.
        assert_eq!(
            pairs(
                "At least 243 people were evacuated on Monday.",
                "At least 234 people were evacuated on Tuesday."
            ),
            owned(&[("243", "234"), ("Monday", "Tuesday")])
        );
        assert_eq!(
            pairs(
                "Floods force hundreds from their homes",
                "Floods force thousands from their homes"
            ),
            owned(&[("hundreds", "thousands")])
        );
        assert_eq!(
            pairs(
                "It grew 3.5 percent last year.",
                "It grew 4 percent last year."
            ),
            owned(&[("3.5", "4")])
        );
    }

    #[test]
    fn german_day_compounds_are_dates() {
        assert_eq!(
            pairs(
                "Der Streik soll bis Freitagmorgen dauern.",
                "Der Streik soll bis Donnerstagabend dauern."
            ),
            owned(&[("Freitagmorgen", "Donnerstagabend")])
        );
        // The same day, said more precisely.
        assert_eq!(
            pairs(
                "Der Streik soll bis Freitag um 6 Uhr dauern.",
                "Der Streik soll bis Freitagmorgen um 6 Uhr dauern."
            ),
            vec![]
        );
        let kinds: Vec<NumberKind> = number_tokens("Am Montagnachmittag und Samstags")
            .into_iter()
            .map(|n| n.kind)
            .collect();
        assert_eq!(kinds, vec![NumberKind::Day, NumberKind::Day]);
    }

    #[test]
    fn spaced_thousands_are_one_number() {
        for (old, new, o, n) in [
            (
                "Le feu a détruit 3 000 hectares.",
                "Le feu a détruit 3 500 hectares.",
                "3 000",
                "3 500",
            ),
            (
                "Le feu a détruit 3\u{a0}000 hectares.",
                "Le feu a détruit 3\u{a0}500 hectares.",
                "3 000",
                "3 500",
            ),
            (
                "Le feu a détruit 12\u{202f}000 hectares.",
                "Le feu a détruit 12\u{202f}500 hectares.",
                "12 000",
                "12 500",
            ),
            (
                "Es kamen 3.000 Menschen.",
                "Es kamen 3.500 Menschen.",
                "3.000",
                "3.500",
            ),
        ] {
            assert_eq!(pairs(old, new), owned(&[(o, n)]), "{old}");
        }
        assert_eq!(numbers("3 000")[0].0, numbers("3000")[0].0);
        assert_eq!(numbers("3.000")[0].0, numbers("3,000")[0].0);
        // Two numbers that merely stand side by side stay two.
        assert_eq!(numbers("In 2019 150 people came.").len(), 2);
    }

    #[test]
    fn halves_belong_to_their_number() {
        assert_eq!(
            pairs(
                "The talks lasted five hours, officials said.",
                "The talks lasted five and a half hours, officials said."
            ),
            owned(&[("five", "five and a half")])
        );
        assert_eq!(
            pairs(
                "Sie verhandelten fünf Stunden.",
                "Sie verhandelten fünfeinhalb Stunden."
            ),
            owned(&[("fünf", "fünfeinhalb")])
        );
        assert_eq!(
            pairs("It took 2 hours.", "It took 2½ hours."),
            owned(&[("2", "2½")])
        );
    }

    fn who(text: &str) -> Vec<(String, bool)> {
        attributions(Part::alone(text), is_german(text))
            .into_iter()
            .map(|s| (s.words.clone(), s.named()))
            .collect()
    }

    #[test]
    fn attribution_extraction() {
        let cases = [
            ("Prices rose, officials said.", "officials", false),
            ("Prices rose, according to a spokesman.", "spokesman", false),
            ("“We will win,” said John Smith.", "john smith", true),
            (
                "The company said profits fell sharply in the quarter.",
                "company",
                false,
            ),
            ("„Nein“, sagte Scholz.", "scholz", true),
            (
                "„Wir sind bereit“, sagte ein Bahnsprecher am Mittwoch in Berlin.",
                "bahnsprecher",
                false,
            ),
            (
                "The strike is over, the chief executive, Martin Haber, told analysts.",
                "chief executive martin haber",
                true,
            ),
        ];
        for (text, speaker, named) in cases {
            assert_eq!(who(text), vec![(speaker.to_string(), named)], "{text}");
        }
        // A reported clause after the verb is no speaker.
        assert_eq!(who("He said the minister would resign on Friday."), vec![]);
    }

    #[test]
    fn notes_in_many_wordings_are_notes_and_laws_being_amended_are_not() {
        let notes = [
            "A passage has been removed from this article because it could not be verified.",
            "Updated to add reaction from the opposition.",
            "Updated with further details.",
            "Korrigiert: In einer früheren Fassung stand ein falsches Datum.",
            "Aktualisiert: Die Polizei hat inzwischen zwei Verdächtige festgenommen.",
            "Der Text wurde aktualisiert.",
            "Article mis à jour avec la réaction du ministre.",
            "Noticia actualizada con las declaraciones del alcalde.",
            "Esta noticia ha sido actualizada a las 18.00.",
            "[Updated 7:20 p.m.] Adds arrests and the recovery of one painting.",
            "Updated 7:20 p.m.: Adds arrests.",
            "(Adds arrests, recovery of painting in paragraph 7)",
            "Hinweis der Redaktion: Wir haben ein Zitat berichtigt.",
            "This story has been revised to remove a quote attributed to the wrong person.",
        ];
        for n in notes {
            assert!(is_note(n), "{n}");
        }
        let not_notes = [
            "Der Text des Gesetzes wurde im Ausschuss geändert.",
            "El artículo 155 de la Constitución fue modificado en 2011.",
            "L'article 49.3 a été utilisé pour faire adopter le texte modifié.",
            "Updated at 14:05 GMT",
            "Updated 14:05 GMT",
            "(Reporting by Jane Doe; editing by John Roe)",
            "The company updated its forecast on Tuesday.",
            "Officials said the report would be revised next year.",
        ];
        for n in not_notes {
            assert!(!is_note(n), "{n}");
        }
    }
}
