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
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt",
    "Capt", "Cmdr", "Adm", "Maj", "Brig", "St", "Jr", "Sr", "Mt", "Ft", "Rev", "Hon", "Pres",
    "Supt", "Det", "Insp", "Atty", "No", "Nos", "Nr", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "v", "approx", "ca", "bzw", "vgl", "Str",
    "Hr", "Fr", "Mme", "Mlle", "MM", "Sra", "Srta", "Dña", "Dra", "Abs", "Art", "Vol", "pp", "Fig",
    "Ziff", "z", "u", "d", "e", "i", "Bd", "Tel", "min", "max", "Mio", "Mrd", "Tsd",
];

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
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        if !is_terminator(chars[i].1) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && is_terminator(chars[j].1) {
            j += 1;
        }
        while j < chars.len() && is_closer(chars[j].1) {
            j += 1;
        }
        // French spacing: « C'est fini. » Il est parti.
        if j + 1 < chars.len() && chars[j].1.is_whitespace() && chars[j + 1].1 == '»' {
            j += 2;
        }
        if j >= chars.len() {
            break;
        }
        if !chars[j].1.is_whitespace() {
            i = j;
            continue;
        }
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        if is_boundary(text, &chars, i, j, k) {
            let end = chars[j].0;
            push_trimmed(&mut out, &text[start..end]);
            start = chars[k].0;
        }
        i = k;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

/// `i`: the first terminator; `j`: the whitespace after terminators and
/// closers; `k`: the first character of what follows.
fn is_boundary(text: &str, chars: &[(usize, char)], i: usize, j: usize, k: usize) -> bool {
    let next = chars[k].1;
    if !is_opener(next) {
        return false;
    }
    let next_word = word_at(text, chars[k].0);
    // Only a single full stop right after a word can be an abbreviation.
    let single_stop = chars[i].1 == '.' && (i + 1 == j || !is_terminator(chars[i + 1].1));
    if !single_stop || (i + 1 < j && is_closer(chars[i + 1].1)) {
        return true;
    }
    // The token before the stop.
    let end = chars[i].0;
    let before = &text[..end];
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
}
