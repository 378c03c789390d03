//! Sentence splitting for news prose: the boundary rules (terminators,
//! closing quotes, abbreviations, initials, decimals, ordinals, ellipses)
//! for English, German, French and Spanish text.
//!
//! A boundary is a run of terminators (`.`, `!`, `?`, `…`), then any closing
//! quotes or brackets, then whitespace, then something that can open a
//! sentence (an upper-case letter, a digit, an opening quote or bracket,
//! `¿`, `¡`). A full stop after an abbreviation ("Mr.", "Jan.", "No."), an
//! initial ("J. K. Rowling") or a German ordinal before a month ("am 3.
//! Oktober") is no boundary; "U.S." and "a.m." end a sentence only when a
//! common sentence opener ("The", "He", …) follows. A decimal ("3.5") has no
//! whitespace after its point, so it never splits.

use crate::lexicon::WordSet;

/// One sentence of a body: its text and the paragraph it stands in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence<'a> {
    pub text: &'a str,
    pub paragraph: usize,
}

/// The sentences of a body, in reading order.
pub fn split(paragraphs: &[String]) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    for (paragraph, text) in paragraphs.iter().enumerate() {
        out.extend(
            split_text(text)
                .into_iter()
                .map(|text| Sentence { text, paragraph }),
        );
    }
    out
}

/// Abbreviations after which a full stop never ends a sentence (compared
/// case-sensitively, without the stop).
static ABBREVIATIONS: WordSet = WordSet::new(&[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt",
    "Capt", "Cmdr", "Adm", "Maj", "Brig", "St", "Jr", "Sr", "Mt", "Ft", "Rev", "Hon", "Pres",
    "Supt", "Det", "Insp", "Atty", "No", "Nos", "Nr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "v", "approx", "ca", "bzw", "vgl", "Str",
    "Hr", "Fr", "Mme", "Mlle", "MM", "Sra", "Srta", "Dña", "Dra", "Abs", "Art", "Vol", "pp", "Fig",
    "Ziff", "z", "u", "d", "e", "i", "Bd", "Tel", "min", "max", "Mio", "Mrd", "Tsd",
]);

/// Words that open a sentence; after "U.S." or "a.m." they mean the stop
/// ended the sentence.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "At",
    "For",
    "Some",
    "Many",
    "Officials",
    "Der",
    "Die",
    "Das",
    "Er",
    "Sie",
    "Es",
    "Le",
    "La",
    "Les",
    "Il",
    "Elle",
    "El",
    "Los",
    "Las",
];

const MONTHS: &[&str] = &[
    "Januar",
    "Jänner",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '“' | '‘' | '›'
    )
}

fn is_opener(c: char) -> bool {
    c.is_uppercase()
        || c.is_numeric()
        || matches!(
            c,
            '"' | '\''
                | '“'
                | '‘'
                | '«'
                | '„'
                | '‚'
                | '('
                | '['
                | '¿'
                | '¡'
                | '‹'
                | '»'
                | '—'
                | '–'
                | '-'
        )
}

/// The sentences of one paragraph, trimmed, none empty.
pub fn split_text(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut pos = 0usize;
    while let Some(i) = next_terminator(text, pos) {
        let terminators_end = skip(text, i, is_terminator);
        let mut j = skip(text, terminators_end, is_closer);
        // French spacing: « C'est fini. » Il est parti.
        if let Some(w) = char_at(text, j)
            && w.is_whitespace()
            && char_at(text, j + w.len_utf8()) == Some('»')
        {
            j += w.len_utf8() + '»'.len_utf8();
        }
        match char_at(text, j) {
            None => break,
            Some(c) if !c.is_whitespace() => {
                pos = j;
                continue;
            }
            Some(_) => {}
        }
        let k = skip(text, j, char::is_whitespace);
        if k >= text.len() {
            break;
        }
        if is_boundary(text, i, terminators_end, k) {
            push_trimmed(&mut out, &text[start..j]);
            start = k;
        }
        pos = k;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

/// The byte index of the first terminator at or after byte `from`: a
/// byte scan for '.', '!', '?' and the lead bytes of '…', '。', '！', '？'.
fn next_terminator(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let off = bytes[at..]
            .iter()
            .position(|&b| matches!(b, b'.' | b'!' | b'?' | 0xE2 | 0xE3 | 0xEF))?;
        let k = at + off;
        if char_at(text, k).is_some_and(is_terminator) {
            return Some(k);
        }
        at = k + 1;
        // Skip to the next character boundary.
        while at < bytes.len() && !text.is_char_boundary(at) {
            at += 1;
        }
    }
    None
}

/// The character at byte `at`, if any.
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|s| s.chars().next())
}

/// The byte after the run of characters matching `f` from byte `at`.
fn skip(text: &str, mut at: usize, f: fn(char) -> bool) -> usize {
    while let Some(c) = char_at(text, at)
        && f(c)
    {
        at += c.len_utf8();
    }
    at
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

/// Byte indexes: `i` the first terminator, `terminators_end` the byte after
/// the run of terminators, `k` the first character of what follows the
/// whitespace.
fn is_boundary(text: &str, i: usize, terminators_end: usize, k: usize) -> bool {
    if !char_at(text, k).is_some_and(is_opener) {
        return false;
    }
    let next_word = word_at(text, k);
    // Only a single full stop right after a word can be an abbreviation.
    let single_stop = text[i..].starts_with('.') && terminators_end == i + 1;
    if !single_stop || char_at(text, terminators_end).is_some_and(is_closer) {
        return true;
    }
    // The token before the stop.
    let before = &text[..i];
    let token_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '„' | '«' | '['))
        .map(|(p, c)| p + c.len_utf8())
        .unwrap_or(0);
    let token = &before[token_start..];
    if token.is_empty() {
        return true;
    }
    if ABBREVIATIONS.contains(&token) {
        return false;
    }
    let mut letters = token.chars();
    // An initial: "J. K. Rowling".
    if let (Some(c), None) = (letters.next(), letters.next())
        && c.is_uppercase()
    {
        return false;
    }
    // Dotted abbreviations: "U.S.", "a.m.", "z.B.", "e.g.".
    if token.contains('.')
        && token
            .split('.')
            .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic))
    {
        return OPENERS.contains(&next_word);
    }
    // German ordinals: "am 3. Oktober".
    if token.chars().count() <= 2
        && token.chars().all(|c| c.is_ascii_digit())
        && MONTHS.contains(&next_word)
    {
        return false;
    }
    true
}

/// The run of letters starting at byte `at` (after any opening punctuation).
fn word_at(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    &rest[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        assert_eq!(split_text(text), expected, "{text}");
    }

    #[test]
    fn plain_sentences() {
        check("One. Two! Three? Four", &["One.", "Two!", "Three?", "Four"]);
        check("  ", &[]);
        check("", &[]);
    }

    #[test]
    fn abbreviations_and_initials() {
        check(
            "Mr. Smith met Dr. Jones on Jan. 5 at No. 10. They spoke.",
            &[
                "Mr. Smith met Dr. Jones on Jan. 5 at No. 10.",
                "They spoke.",
            ],
        );
        check(
            "J. K. Rowling wrote it. The U.S. Senate voted.",
            &["J. K. Rowling wrote it.", "The U.S. Senate voted."],
        );
        check(
            "He flew to the U.S. The trip was short.",
            &["He flew to the U.S.", "The trip was short."],
        );
        check(
            "It rose 3.5 percent. Then it fell.",
            &["It rose 3.5 percent.", "Then it fell."],
        );
    }

    #[test]
    fn quotes_end_sentences() {
        check(
            "\"We will win,\" he said. \"No doubt.\" She left.",
            &["\"We will win,\" he said.", "\"No doubt.\"", "She left."],
        );
        check(
            "“Is it over?” asked Smith. “Yes.” Then silence.",
            &["“Is it over?” asked Smith.", "“Yes.”", "Then silence."],
        );
    }

    #[test]
    fn ellipses() {
        check(
            "Wait... then go. And so… It ended.",
            &["Wait... then go.", "And so…", "It ended."],
        );
    }

    #[test]
    fn other_languages() {
        check(
            "Die Wahl ist am 3. Oktober. Das sagte z.B. der Minister.",
            &[
                "Die Wahl ist am 3. Oktober.",
                "Das sagte z.B. der Minister.",
            ],
        );
        check(
            "« C'est fini. » Il est parti. Vraiment ? Oui.",
            &["« C'est fini. »", "Il est parti.", "Vraiment ?", "Oui."],
        );
        check(
            "Llegó ayer. ¿Por qué? ¡No lo sé!",
            &["Llegó ayer.", "¿Por qué?", "¡No lo sé!"],
        );
    }

    #[test]
    fn paragraphs_numbered() {
        let paragraphs = vec!["A b. C d.".to_string(), "E f.".to_string()];
        let s = split(&paragraphs);
        assert_eq!(
            s,
            vec![
                Sentence {
                    text: "A b.",
                    paragraph: 0
                },
                Sentence {
                    text: "C d.",
                    paragraph: 0
                },
                Sentence {
                    text: "E f.",
                    paragraph: 1
                },
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn splitting_keeps_every_character(text in "\\PC{0,200}") {
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let joined: String = split_text(&text).concat();
            proptest::prop_assert_eq!(squeeze(&joined), squeeze(&text));
        }
    }
}
