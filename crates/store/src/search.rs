//! The search language readers type, parsed into a [`TextQuery`] that
//! every backend translates into its own full-text search (SQLite: an FTS5
//! MATCH expression, `sqlite::fts`). The store owns the language: the web
//! interface and the command line hand it what a reader typed and never
//! build a backend's query themselves.
//!
//! Syntax:
//! - `word word`: versions containing all the words;
//! - `"a quoted phrase"`: the words next to each other;
//! - `-word`, `-"a phrase"`: versions without them;
//! - `word OR word`: either;
//! - `prefix*`: any word starting so;
//! - `title:word`, `title:"a phrase"`: in the headline only;
//! - `source:NAME` (several allowed, any of them), `-source:NAME`: by source.

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most words and phrases in one query.
const MAX_TERMS: usize = 24;

/// A query understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedQuery {
    /// What the text must hold.
    pub text: TextQuery,
    pub sources: Vec<String>,
    pub exclude_sources: Vec<String>,
    /// The words sought (not the excluded ones), lower-cased, for
    /// highlighting.
    pub highlight: Vec<String>,
}

impl ParsedQuery {
    /// Whether one text of an article of `source` (its headline and its
    /// paragraphs joined by newlines) matches, as a search would find it
    /// (the alerts' `query` filter).
    pub fn matches(&self, source: &str, title: &str, body: &str) -> crate::Result<bool> {
        if (!self.sources.is_empty() && !self.sources.iter().any(|s| s == source))
            || self.exclude_sources.iter().any(|s| s == source)
        {
            return Ok(false);
        }
        crate::sqlite::fts::text_matches(&self.text, title, body)
    }
}

/// The text part of a query: every group must match (a group matches when
/// any of its terms does), and none of the excluded terms may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    /// Never empty.
    pub groups: Vec<Vec<Term>>,
    pub excluded: Vec<Term>,
}

/// One word or phrase sought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// A word or a phrase, as typed (no quotes); it holds a letter or digit.
    pub text: String,
    /// Only in the headline (`title:`).
    pub title_only: bool,
    /// Any word starting so (`word*`).
    pub prefix: bool,
}

/// A raw token of the query: optional `-`, optional `field:`, then a word
/// or a quoted phrase.
#[derive(Debug)]
struct Token {
    negated: bool,
    field: Option<String>,
    text: String,
    quoted: bool,
}

fn tokenize(input: &str) -> Vec<Token> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut negated = false;
        if chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            negated = true;
            i += 1;
        }
        // A field prefix: letters then ':'.
        let mut field = None;
        let start = i;
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j > start && j < chars.len() && chars[j] == ':' {
            let name: String = chars[start..j].iter().collect::<String>().to_lowercase();
            if name == "title" || name == "source" {
                field = Some(name);
                i = j + 1;
            }
        }
        if i < chars.len() && chars[i] == '"' {
            let begin = i + 1;
            let mut end = begin;
            while end < chars.len() && chars[end] != '"' {
                end += 1;
            }
            tokens.push(Token {
                negated,
                field,
                text: chars[begin..end].iter().collect(),
                quoted: true,
            });
            i = (end + 1).min(chars.len());
        } else {
            let begin = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            tokens.push(Token {
                negated,
                field,
                text: chars[begin..i].iter().collect(),
                quoted: false,
            });
        }
    }
    tokens
}

/// Parses what a reader typed. The error is a message for them.
pub fn parse(input: &str) -> Result<ParsedQuery, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("Type a word or a \"quoted phrase\" to search for.".into());
    }
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "That query is too long: keep it under {MAX_QUERY_CHARS} characters."
        ));
    }
    let mut sources = Vec::new();
    let mut exclude_sources = Vec::new();
    let mut highlight: Vec<String> = Vec::new();
    // Groups of alternatives (joined by OR), all of which must match.
    let mut groups: Vec<Vec<Term>> = Vec::new();
    let mut excluded: Vec<Term> = Vec::new();
    let mut or_pending = false;
    let mut negate_next = false;
    let mut terms = 0;
    for token in tokenize(input) {
        if token.field.is_none() && !token.quoted && !token.negated {
            match token.text.as_str() {
                "OR" | "|" => {
                    or_pending = !groups.is_empty();
                    continue;
                }
                "AND" | "&" => continue,
                "NOT" => {
                    negate_next = true;
                    continue;
                }
                _ => {}
            }
        }
        let negated = token.negated || std::mem::take(&mut negate_next);
        if token.field.as_deref() == Some("source") {
            let names: Vec<&str> = token.text.split(',').filter(|s| !s.is_empty()).collect();
            if names.is_empty() {
                return Err("source: needs a source name, as in source:bbc.".into());
            }
            for name in names {
                if !redline_config::is_source_name(name) {
                    return Err(format!(
                        "\"{name}\" is not a source name: names are letters, digits, - and _."
                    ));
                }
                let list: &mut Vec<String> = if negated {
                    &mut exclude_sources
                } else {
                    &mut sources
                };
                if !list.iter().any(|n| n == name) {
                    list.push(name.to_string());
                }
            }
            or_pending = false;
            continue;
        }
        let mut text = token.text.trim().to_string();
        let mut prefix = false;
        if !token.quoted && text.ends_with('*') {
            text = text.trim_end_matches('*').to_string();
            prefix = true;
        }
        if !text.chars().any(char::is_alphanumeric) {
            // Punctuation alone matches nothing the index holds.
            or_pending = false;
            continue;
        }
        terms += 1;
        if terms > MAX_TERMS {
            return Err(format!(
                "That query has too many words: use at most {MAX_TERMS}."
            ));
        }
        let term = Term {
            text,
            title_only: token.field.as_deref() == Some("title"),
            prefix,
        };
        if negated {
            excluded.push(term);
            or_pending = false;
            continue;
        }
        for word in term.text.split(|c: char| !c.is_alphanumeric()) {
            let word = word.to_lowercase();
            if !word.is_empty() && !highlight.contains(&word) {
                highlight.push(word);
            }
        }
        match (or_pending, groups.last_mut()) {
            (true, Some(group)) => group.push(term),
            _ => groups.push(vec![term]),
        }
        or_pending = false;
    }
    if groups.is_empty() {
        return Err(
            if excluded.is_empty() && (!sources.is_empty() || !exclude_sources.is_empty()) {
                "Add a word to search for: source: only narrows a search. Each source's page lists all its changes.".into()
            } else if !excluded.is_empty() {
                "A search needs at least one word to look for, not only words to leave out (-word)."
                    .into()
            } else {
                "Type a word or a \"quoted phrase\" to search for; punctuation alone matches nothing."
                .into()
            },
        );
    }
    Ok(ParsedQuery {
        text: TextQuery { groups, excluded },
        sources,
        exclude_sources,
        highlight,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqlite::fts::fts5_match;

    /// The FTS5 expression of a query: the parse and its SQLite
    /// translation together show the whole meaning compactly.
    fn fts(q: &str) -> String {
        fts5_match(&parse(q).unwrap().text)
    }

    #[test]
    fn words_phrases_and_exclusions() {
        assert_eq!(fts("iran drones"), r#"("iran") AND ("drones")"#);
        assert_eq!(fts(r#""secret programs""#), r#"("secret programs")"#);
        assert_eq!(fts("iran -iraq"), r#"(("iran")) NOT "iraq""#);
        assert_eq!(
            fts(r#"iran -"prime minister" -kerry"#),
            r#"((("iran")) NOT "prime minister") NOT "kerry""#
        );
        assert_eq!(
            fts("iran OR iraq drones"),
            r#"("iran" OR "iraq") AND ("drones")"#
        );
        assert_eq!(fts("sanction*"), r#"("sanction" *)"#);
        assert_eq!(fts("NOT kerry iran"), r#"(("iran")) NOT "kerry""#);
    }

    #[test]
    fn fields() {
        let q =
            parse(r#"title:iran source:bbc source:npr,dw -source:rt title:"two words""#).unwrap();
        assert_eq!(
            fts5_match(&q.text),
            r#"(title : "iran") AND (title : "two words")"#
        );
        assert_eq!(q.sources, ["bbc", "npr", "dw"]);
        assert_eq!(q.exclude_sources, ["rt"]);
        assert_eq!(q.highlight, ["iran", "two", "words"]);
        // An unknown field is just a word.
        assert_eq!(fts("author:smith"), r#"("author:smith")"#);
    }

    #[test]
    fn hostile_input_stays_inside_string_literals() {
        assert_eq!(fts(r#"NEAR("a" b)"#), r#"("NEAR(") AND ("a") AND ("b)")"#);
        assert_eq!(fts(r#"a"b"#), r#"("a") AND ("b")"#);
        assert_eq!(
            fts(r#"say "unterminated"#),
            r#"("say") AND ("unterminated")"#
        );
        assert!(parse("title:*").is_err());
        assert_eq!(fts("x \"\" ( ) * - -- ^"), r#"("x")"#);
        assert_eq!(fts("OR iran OR"), r#"("iran")"#);
    }

    #[test]
    fn useless_queries_are_refused_with_a_reason() {
        for q in [
            "",
            "   ",
            "-iran",
            "-iran -\"x y\"",
            "source:bbc",
            "\" \"",
            "*",
            "()",
        ] {
            let e = parse(q).unwrap_err();
            assert!(!e.is_empty(), "{q}");
        }
        assert!(
            parse("source:b;c iran")
                .unwrap_err()
                .contains("not a source name")
        );
        assert!(parse(&"a ".repeat(300)).unwrap_err().contains("too long"));
        assert!(parse(&"ab ".repeat(30)).unwrap_err().contains("too many"));
    }
}
