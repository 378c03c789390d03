//! What a change consists of, measured once from the two texts and the
//! aligned actions: which parts changed only in style, which numbers,
//! quotes, attributions and names changed, what was cut, added or moved,
//! and any editor's note. The label rules, the score and the summary all
//! read this.

use std::collections::HashMap;

use redline_diff::{ArticleText, PieceOp};

use crate::lexicon::*;
use crate::sentences;
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
    /// Some part changed only in style.
    pub style: bool,
    /// Some part changed in substance (not style, not live posts).
    pub substantive: bool,
    pub lede: bool,
    /// Changed numbers, old → new ("" on the side where there is none).
    pub numbers: Vec<(String, String)>,
    pub quotes_removed: usize,
    pub quotes_added: usize,
    pub quotes_changed: usize,
    pub attribution: bool,
    /// Swapped names, old → new.
    pub names: Vec<(String, String)>,
    pub note: Option<NoteChange>,
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

/// Whether a paragraph is an editor's note.
pub fn is_note(text: &str) -> bool {
    let lower = text.to_lowercase();
    if NOTE_PHRASES.iter().any(|p| lower.contains(p)) {
        return true;
    }
    let head = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    NOTE_HEADINGS.iter().any(|h| {
        head.strip_prefix(h).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.starts_with([':', '—', '–', '-', '(', '.']) || rest.starts_with("(s)")
        })
    })
}

/// Whether `old` and `new` differ only in spelling (a typo of at most two
/// edits in a word), capitalisation, punctuation or whitespace.
pub fn style_only(old: &str, new: &str) -> bool {
    let a: Vec<String> = words::words(old).map(str::to_lowercase).collect();
    let b: Vec<String> = words::words(new).map(str::to_lowercase).collect();
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

fn is_typo(x: &str, y: &str) -> bool {
    let blocked = |w: &str| {
        w.chars().any(|c| c.is_numeric())
            || NEGATIONS.contains(&w)
            || NUMBER_WORDS.contains(&w)
            || CAPITALISED_DATE_WORDS.contains(&w)
            || DATE_WORDS.contains(&w)
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

/// A quoted span's normalised words, and its byte range with the marks.
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
    if let Some((start, _)) = open {
        spans.push((start, text.len()));
    }
    spans
}

fn normalised(s: &str) -> String {
    words::words(s)
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The normalised words of each quotation in `text`.
pub fn quotes(text: &str) -> Vec<String> {
    quote_spans(text)
        .into_iter()
        .map(|(s, e)| normalised(&text[s..e]))
        .filter(|q| !q.is_empty())
        .collect()
}

/// `text` with quotations replaced by a clause break.
fn unquoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (s, e) in quote_spans(text) {
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
        || (is_capitalised(word) && CAPITALISED_DATE_WORDS.contains(&lower.as_str()))
}

/// The numbers, amounts and dates of `text`: (canonical form, as written).
pub fn numbers(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if c.is_ascii_digit() {
            let start = k;
            while k < chars.len()
                && (chars[k].is_ascii_digit()
                    || (matches!(chars[k], '.' | ',')
                        && chars.get(k + 1).is_some_and(char::is_ascii_digit)))
            {
                k += 1;
            }
            let raw: String = chars[start..k].iter().collect();
            let mut shown = raw.clone();
            if start > 0 && "$€£¥".contains(chars[start - 1]) {
                shown.insert(0, chars[start - 1]);
            }
            if chars.get(k) == Some(&'%') {
                shown.push('%');
            }
            out.push((canonical_number(&raw), shown));
            continue;
        }
        if c.is_alphabetic() {
            let start = k;
            while k < chars.len() && chars[k].is_alphanumeric() {
                k += 1;
            }
            let word: String = chars[start..k].iter().collect();
            if word.chars().all(char::is_alphabetic) && is_date_or_number(&word) {
                out.push((word.to_lowercase(), word));
            }
            continue;
        }
        k += 1;
    }
    out
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

/// The speakers and sources credited in `text`, normalised: the words next
/// to a speech verb ("officials said", "said a spokesman", "according to
/// the ministry"), quotations left out.
pub fn attributions(text: &str) -> Vec<String> {
    let plain = unquoted(text);
    let mut out = Vec::new();
    for clause in plain.split(|c: char| ",;:.!?()|—–\"“”«»„".contains(c)) {
        let ws: Vec<&str> = words::words(clause).collect();
        let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
        for (k, w) in lower.iter().enumerate() {
            let preposition = SOURCE_PREPOSITIONS.contains(&w.as_str());
            if !preposition && !SPEECH_VERBS.contains(&w.as_str()) {
                continue;
            }
            let mut who: Vec<&str> = Vec::new();
            if preposition && w != "zufolge" {
                let from = if w == "according" { k + 2 } else { k + 1 };
                who.extend(lower.iter().skip(from).take(5).map(String::as_str));
            } else {
                // Backwards to the start of the clause or a clause word.
                let mut back = Vec::new();
                for x in lower[..k].iter().rev().take(4) {
                    if CLAUSE_WORDS.contains(&x.as_str()) || SPEECH_VERBS.contains(&x.as_str()) {
                        break;
                    }
                    back.push(x.as_str());
                }
                back.reverse();
                who.extend(back);
                // Forwards only for a short tail naming someone: "said Smith",
                // "said a spokesman".
                let tail = &ws[k + 1..];
                let names_someone = tail.first().is_some_and(|t| {
                    is_capitalised(t)
                        || FILLER.contains(&t.to_lowercase().as_str())
                        || t.eq_ignore_ascii_case("he")
                });
                if !tail.is_empty() && tail.len() <= 5 && names_someone {
                    who.extend(lower[k + 1..].iter().map(String::as_str));
                }
            }
            let who: Vec<&str> = who
                .into_iter()
                .filter(|x| {
                    !FILLER.contains(x) && !is_date_or_number(x) && !SPEECH_VERBS.contains(x)
                })
                .collect();
            if !who.is_empty() {
                out.push(who.join(" "));
            }
        }
    }
    out.sort();
    out
}

/// Whether most of the short function words of `text` are German ones.
fn is_german(text: &str) -> bool {
    let hits = words::words(text)
        .filter(|w| GERMAN_MARKERS.contains(&w.to_lowercase().as_str()))
        .count();
    hits >= 2
}

/// Whether a headline is in title case ("Fed Raises Rates Again"), where
/// capitals say nothing about names.
fn title_case(text: &str) -> bool {
    let long: Vec<&str> = words::words(text)
        .filter(|w| w.chars().count() >= 4)
        .collect();
    !long.is_empty() && long.iter().filter(|w| is_capitalised(w)).count() * 10 >= long.len() * 6
}

/// The name words (capitalised words that are not sentence openers, dates
/// or numbers) of `text`. `vocabulary` holds the lower-case words of both
/// versions: a capitalised sentence opener that also appears in lower case
/// is an ordinary word.
fn names(text: &str, german: bool, vocabulary: &HashMap<String, bool>) -> Vec<String> {
    let mut out = Vec::new();
    for sentence in sentences::split_text(text) {
        let ws: Vec<&str> = words::words(sentence).collect();
        let candidate = |k: usize| {
            let w = ws[k];
            let lower = w.to_lowercase();
            if !is_capitalised(w) || NOT_NAMES.contains(&lower.as_str()) || is_date_or_number(w) {
                return false;
            }
            if w.chars().count() < 2 {
                return false;
            }
            let opener = k == 0 || sentence.contains(&format!(": {w}"));
            !(opener && vocabulary.get(&lower).copied().unwrap_or(false))
        };
        for k in 0..ws.len() {
            if !candidate(k) {
                continue;
            }
            if k == 0
                && vocabulary.get(&ws[k].to_lowercase()).is_none()
                && !ws.get(1).is_some_and(|w| is_capitalised(w))
            {
                // A lone capitalised opener we know nothing about: only a
                // name if it also stands capitalised elsewhere.
                if !text.contains(&format!(" {}", ws[k])) {
                    continue;
                }
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

/// Removes the words both lists share (as multisets); what is left on each
/// side.
fn difference(mut old: Vec<String>, mut new: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut k = 0;
    while k < old.len() {
        if let Some(p) = new.iter().position(|x| *x == old[k]) {
            new.remove(p);
            old.remove(k);
        } else {
            k += 1;
        }
    }
    (old, new)
}

fn word_count(s: &str) -> usize {
    words::words(s).count()
}

/// One paired stretch of text to compare (a headline, an edited sentence, a
/// replaced run of sentences).
struct Pair<'a> {
    old: &'a str,
    new: &'a str,
    headline: bool,
}

/// Measures the change from `old` to `new`.
pub fn analyse(
    old: &ArticleText,
    new: &ArticleText,
    actions: &[Action],
    context: Context,
) -> Analysis {
    let mut an = Analysis {
        headline: field(&old.title, &new.title),
        byline: field(&old.byline, &new.byline),
        ..Analysis::default()
    };
    for f in [an.headline, an.byline].into_iter().flatten() {
        match f {
            Field::Style => an.style = true,
            _ => an.substantive = true,
        }
    }
    let old_sentences = sentences::split(&old.paragraphs);
    let new_count = sentences::split(&new.paragraphs).len();

    // Live posts: additions above the first or below the last sentence the
    // two versions share.
    let added: Vec<bool> = {
        let mut v = vec![false; new_count];
        for a in actions.iter().filter(|a| a.kind == ActionKind::Addition) {
            if let Some(j) = a.new_index.filter(|&j| j < new_count) {
                v[j] = true;
            }
        }
        v
    };
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
        if a.new_paragraph.is_some() && a.new_paragraph == post_paragraph {
            if let Some(last) = an.live_posts.last_mut() {
                last.push(' ');
                last.push_str(&a.new_text);
            }
        } else {
            an.live_posts.push(a.new_text.clone());
        }
        post_paragraph = a.new_paragraph;
    }

    // Editor's notes.
    an.note_on_page = new.paragraphs.iter().any(|p| is_note(p));
    let last_new_paragraph = new.paragraphs.len().saturating_sub(1);
    an.note_actions = actions
        .iter()
        .map(|a| !a.new_text.is_empty() && a.old_text != a.new_text && is_note(&a.new_text))
        .collect();
    for (a, _) in actions.iter().zip(&an.note_actions).filter(|(_, n)| **n) {
        let change = if a.kind != ActionKind::Addition {
            NoteChange::Changed
        } else if a.new_paragraph == Some(last_new_paragraph) {
            NoteChange::Appended
        } else {
            NoteChange::Added
        };
        an.note = Some(an.note.map_or(
            change,
            |c: NoteChange| if c == NoteChange::Changed { c } else { change },
        ));
    }

    // The vocabulary of lower-case words, to tell names from openers.
    let mut vocabulary: HashMap<String, bool> = HashMap::new();
    for text in old.paragraphs.iter().chain(&new.paragraphs) {
        for w in words::words(text) {
            let lower = w.to_lowercase();
            let is_lower = lower == w;
            let e = vocabulary.entry(lower).or_insert(false);
            *e |= is_lower;
        }
    }

    let mut pairs: Vec<Pair<'_>> = Vec::new();
    if matches!(an.headline, Some(Field::Changed { .. })) {
        pairs.push(Pair {
            old: &old.title,
            new: &new.title,
            headline: true,
        });
    }
    // Whole-paragraph counts for cut and added text.
    let mut old_in_paragraph: HashMap<usize, usize> = HashMap::new();
    for s in &old_sentences {
        *old_in_paragraph.entry(s.paragraph).or_default() += 1;
    }
    let mut new_in_paragraph: HashMap<usize, usize> = HashMap::new();
    for p in 0..new.paragraphs.len() {
        new_in_paragraph.insert(p, sentences::split_text(&new.paragraphs[p]).len());
    }
    let mut cut_in: HashMap<usize, usize> = HashMap::new();
    let mut added_in: HashMap<usize, usize> = HashMap::new();
    let mut changed_old = 0usize;
    let mut changed_old_words = 0usize;
    let mut k = 0;
    while k < actions.len() {
        let a = &actions[k];
        let live = an.live_actions[k];
        let note = an.note_actions[k];
        match a.kind {
            ActionKind::Addition | ActionKind::Deletion => {
                // A run of deletions and additions in one place: compare the
                // run's texts as one replacement.
                let end = (k..actions.len())
                    .find(|&e| {
                        !matches!(actions[e].kind, ActionKind::Addition | ActionKind::Deletion)
                            || an.live_actions[e]
                            || an.note_actions[e]
                    })
                    .unwrap_or(actions.len())
                    .max(k + 1);
                let run = &actions[k..end];
                let old_run: Vec<&str> = run
                    .iter()
                    .filter(|x| x.kind == ActionKind::Deletion)
                    .map(|x| x.old_text.as_str())
                    .collect();
                let new_run: Vec<&str> = run
                    .iter()
                    .filter(|x| x.kind == ActionKind::Addition)
                    .map(|x| x.new_text.as_str())
                    .collect();
                let (old_joined, new_joined) = (old_run.join(" "), new_run.join(" "));
                for x in run {
                    if live || note {
                        continue;
                    }
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
                    } else {
                        an.added.sentences += 1;
                        an.added.words += word_count(&x.new_text);
                        if let Some(p) = x.new_paragraph {
                            *added_in.entry(p).or_default() += 1;
                        }
                    }
                }
                if !live && !note {
                    let similar =
                        words::dice(&words::bag(&old_joined), &words::bag(&new_joined)) >= 0.2;
                    compare_quotes(&mut an, &old_joined, &new_joined);
                    if similar && !old_joined.is_empty() && !new_joined.is_empty() {
                        compare_pair(
                            &mut an,
                            &Pair {
                                old: &old_joined,
                                new: &new_joined,
                                headline: false,
                            },
                            &vocabulary,
                        );
                    }
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
                if note {
                    an.substantive = true;
                } else if style_only(&a.old_text, &a.new_text) {
                    an.style = true;
                } else {
                    an.substantive = true;
                    touch_lede(&mut an, a);
                    let old_n = sentences::split_text(&a.old_text).len().max(1);
                    changed_old += old_n;
                    let mut deleted_words = 0;
                    let mut inserted_words = 0;
                    for p in &a.pieces {
                        match p.op {
                            PieceOp::Delete => deleted_words += word_count(&p.text),
                            PieceOp::Insert => inserted_words += word_count(&p.text),
                            PieceOp::Equal => {
                                an.words_changed += deleted_words.max(inserted_words);
                                deleted_words = 0;
                                inserted_words = 0;
                            }
                        }
                        if p.op == PieceOp::Delete {
                            changed_old_words += word_count(&p.text);
                        }
                    }
                    an.words_changed += deleted_words.max(inserted_words);
                    if let Some(p) = a.new_paragraph
                        && !an.edited_paragraphs.contains(&p)
                    {
                        an.edited_paragraphs.push(p);
                    }
                    compare_quotes(&mut an, &a.old_text, &a.new_text);
                    compare_pair(
                        &mut an,
                        &Pair {
                            old: &a.old_text,
                            new: &a.new_text,
                            headline: false,
                        },
                        &vocabulary,
                    );
                }
            }
        }
        k += 1;
    }
    if let Some(Field::Changed { .. }) = an.headline {
        compare_quotes(&mut an, &old.title, &new.title);
    }
    for pair in pairs {
        compare_pair(&mut an, &pair, &vocabulary);
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
        amount.loose = amount.sentences - full.iter().sum::<usize>();
    }
    let old_words: usize = old_sentences.iter().map(|s| word_count(s.text)).sum();
    an.rewrite = old_sentences.len() >= 2
        && changed_old * 2 > old_sentences.len()
        && changed_old_words * 2 > old_words;
    an.edited_paragraphs.sort_unstable();
    an
}

fn touch_lede(an: &mut Analysis, a: &Action) {
    if a.old_paragraph == Some(0) || a.new_paragraph == Some(0) {
        an.lede = true;
    }
}

/// Quotes of `old` and `new`: equal ones cancel, the rest pair up as
/// changed, and what is left was removed or added.
fn compare_quotes(an: &mut Analysis, old: &str, new: &str) {
    let (gone, came) = difference(quotes(old), quotes(new));
    let changed = gone.len().min(came.len());
    an.quotes_changed += changed;
    an.quotes_removed += gone.len() - changed;
    an.quotes_added += came.len() - changed;
}

/// Numbers, attribution and names of one paired stretch of text.
fn compare_pair(an: &mut Analysis, pair: &Pair<'_>, vocabulary: &HashMap<String, bool>) {
    let (old_numbers, new_numbers) = (numbers(pair.old), numbers(pair.new));
    let shown: HashMap<String, String> = old_numbers.iter().chain(&new_numbers).cloned().collect();
    let (gone, came) = difference(
        old_numbers.into_iter().map(|x| x.0).collect(),
        new_numbers.into_iter().map(|x| x.0).collect(),
    );
    let show = |c: &String| shown.get(c).cloned().unwrap_or_default();
    for k in 0..gone.len().max(came.len()) {
        let o = gone.get(k).map(show).unwrap_or_default();
        let n = came.get(k).map(show).unwrap_or_default();
        an.numbers.push((o, n));
    }
    if !pair.headline && attributions(pair.old) != attributions(pair.new) {
        an.attribution = true;
    }
    if pair.headline && (title_case(pair.old) || title_case(pair.new)) {
        return;
    }
    let german = is_german(pair.old) || is_german(pair.new);
    let (gone, came) = difference(
        names(pair.old, german, vocabulary),
        names(pair.new, german, vocabulary),
    );
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
    fn style() {
        assert!(style_only("REUTERS", "Reuters"));
        assert!(style_only("The goverment said.", "The government said."));
        assert!(style_only("It rose 5 per cent.", "It rose 5 percent."));
        assert!(style_only("\"Go,\" he said", "“Go”, he said."));
        assert!(!style_only("He is now guilty.", "He is not guilty."));
        assert!(!style_only("243 dead", "234 dead"));
        assert!(!style_only("two dead", "three dead"));
    }

    #[test]
    fn quote_extraction() {
        assert_eq!(quotes("“We will win,” he said."), vec!["we will win"]);
        assert_eq!(
            quotes("„Wir schaffen das“, sagte sie."),
            vec!["wir schaffen das"]
        );
        assert_eq!(quotes("« C'est fini », a-t-il dit."), vec!["c est fini"]);
        assert_eq!(
            quotes("He didn't say 'never', though it's late."),
            vec!["never"]
        );
        assert_eq!(
            quotes("No quotes here, O'Brien's dog."),
            Vec::<String>::new()
        );
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

    #[test]
    fn attribution_extraction() {
        assert_eq!(
            attributions("Prices rose, officials said."),
            vec!["officials"]
        );
        assert_eq!(
            attributions("Prices rose, according to a spokesman."),
            vec!["spokesman"]
        );
        assert_eq!(
            attributions("“We will win,” said John Smith."),
            vec!["john smith"]
        );
        assert_eq!(
            attributions("The company said profits fell sharply in the quarter."),
            vec!["company"]
        );
        assert_eq!(attributions("„Nein“, sagte Scholz."), vec!["scholz"]);
    }
}
