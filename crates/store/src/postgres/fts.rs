//! Full-text search on PostgreSQL, made to give what SQLite's FTS5 gives
//! for the same query ([`crate::search`]).
//!
//! PostgreSQL's own parser splits text its own way (e-mail addresses,
//! hyphenated words, numbers with dots), and no Rust copy of FTS5's
//! Unicode tables would stay exact, so the words are split by SQLite's
//! FTS5 itself (the `unicode61 remove_diacritics 2` tokenizer of the SQLite
//! backend, in an in-memory database of each thread): the same letters,
//! digits and separators, the same case folding and accent removal. A
//! version's entry (`versions.search`) is a `tsvector` literal of those
//! words with their positions: the title's weighted A, the body's after a
//! gap (so no phrase spans title and body, as no FTS5 phrase spans two
//! columns). A query becomes a `tsquery` literal: a phrase is its words
//! joined by `<->`, `title:` restricts each word to weight A, `word*` is a
//! prefix (`:*`), groups are joined by `&`, alternatives by `|`,
//! exclusions by `& !`. Every word is quoted, so no input can change the
//! query's structure.
//!
//! PostgreSQL keeps at most 256 positions of one word in a version and no
//! position past 16,383: a phrase whose words all lie beyond the
//! 16,383rd word of a version is not found in it (FTS5 has no such
//! bound). News articles are far shorter.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::search::{Term, TextQuery};
use crate::{Result, StoreError};

/// PostgreSQL's largest word position.
const MAX_POSITION: usize = 16_383;
/// PostgreSQL's most positions of one word.
const MAX_POSITIONS: usize = 256;
/// PostgreSQL's longest word, in bytes.
const MAX_WORD_BYTES: usize = 2_046;
/// A `tsvector` holds at most 1 MiB of words; stay clear of it.
const MAX_WORDS_BYTES: usize = 1 << 19;
/// A word no text holds (FTS5's words hold no '-'): what a term without
/// a word matches.
const NO_WORD: &str = "'-'";

thread_local! {
    /// This thread's tokenizer: an in-memory FTS5 table, emptied after
    /// each use.
    static TOKENIZER: RefCell<Option<rusqlite::Connection>> = const { RefCell::new(None) };
}

fn tokenizer() -> rusqlite::Result<rusqlite::Connection> {
    let c = rusqlite::Connection::open_in_memory()?;
    c.execute_batch(
        "CREATE VIRTUAL TABLE t USING fts5(title, body,
             tokenize = 'unicode61 remove_diacritics 2');
         CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');",
    )?;
    Ok(c)
}

/// The words of a title and a body, each in order, as FTS5 indexes them.
fn split(title: &str, body: &str) -> Result<(Vec<String>, Vec<String>)> {
    let failed =
        |e: rusqlite::Error| StoreError::Other(format!("splitting a text into words: {e}"));
    TOKENIZER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            *cell = Some(tokenizer().map_err(failed)?);
        }
        let Some(c) = cell.as_ref() else {
            return Err(StoreError::Other("no tokenizer".into()));
        };
        let run = || -> rusqlite::Result<(Vec<String>, Vec<String>)> {
            c.execute(
                "INSERT INTO t (rowid, title, body) VALUES (1, ?1, ?2)",
                [title, body],
            )?;
            let mut words = (Vec::new(), Vec::new());
            let mut stmt = c.prepare_cached("SELECT term, col FROM v ORDER BY col, offset")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let term: String = r.get(0)?;
                let col: String = r.get(1)?;
                if col == "title" {
                    words.0.push(term)
                } else {
                    words.1.push(term)
                }
            }
            Ok(words)
        };
        let words = run();
        let emptied = c.execute("DELETE FROM t", []);
        let words = words.map_err(failed)?;
        emptied.map_err(failed)?;
        Ok(words)
    })
}

/// The words of `text`, as FTS5's tokenizer gives them.
pub fn words(text: &str) -> Result<Vec<String>> {
    Ok(split("", text)?.1)
}

/// A word as a quoted `tsvector`/`tsquery` lexeme.
fn lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

/// The `tsvector` literal of a version: its title's words weighted A, its
/// body's after them.
pub fn document(title: &str, body: &str) -> Result<String> {
    let mut positions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut bytes = 0;
    let mut add = |word: String, position: usize, weight: &str| {
        if word.len() > MAX_WORD_BYTES {
            return;
        }
        let position = position.min(MAX_POSITION);
        if !positions.contains_key(&word) {
            if bytes + word.len() > MAX_WORDS_BYTES {
                return;
            }
            bytes += word.len();
        }
        let list = positions.entry(word).or_default();
        if list.len() < MAX_POSITIONS {
            list.push(format!("{position}{weight}"));
        }
    };
    let (title_words, body_words) = split(title, body)?;
    let gap = title_words.len() + 2;
    for (i, word) in title_words.into_iter().enumerate() {
        add(word, i + 1, "A");
    }
    for (i, word) in body_words.into_iter().enumerate() {
        add(word, gap + i, "");
    }
    let mut out = String::new();
    for (word, list) in positions {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&lexeme(&word));
        out.push(':');
        out.push_str(&list.join(","));
    }
    Ok(out)
}

/// The `tsquery` literal of `query`.
pub fn tsquery(query: &TextQuery) -> Result<String> {
    let mut groups = Vec::new();
    for g in &query.groups {
        let alternatives: Vec<String> = g.iter().map(term).collect::<Result<_>>()?;
        groups.push(format!("({})", alternatives.join(" | ")));
    }
    let mut out = groups.join(" & ");
    for t in &query.excluded {
        out = format!("({out}) & !{}", term(t)?);
    }
    Ok(out)
}

/// One word or phrase: its words in a row.
fn term(t: &Term) -> Result<String> {
    let words: Vec<String> = words(&t.text)?
        .into_iter()
        .filter(|w| w.len() <= MAX_WORD_BYTES)
        .collect();
    if words.is_empty() {
        return Ok(NO_WORD.into());
    }
    let last = words.len() - 1;
    let parts: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut flags = String::new();
            if t.prefix && i == last {
                flags.push('*');
            }
            if t.title_only {
                flags.push('A');
            }
            if flags.is_empty() {
                lexeme(w)
            } else {
                format!("{}:{flags}", lexeme(w))
            }
        })
        .collect();
    Ok(format!("({})", parts.join(" <-> ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_fts5s() {
        assert_eq!(
            words("Café e-mail: a.b@example.com 3.14 x_y İstanbul Ελλάδα ς µ").unwrap(),
            [
                "cafe",
                "e",
                "mail",
                "a",
                "b",
                "example",
                "com",
                "3",
                "14",
                "x",
                "y",
                "istanbul",
                "ελλάδα",
                "σ",
                "μ"
            ]
        );
        assert!(words(" -- ").unwrap().is_empty());
    }

    #[test]
    fn queries_quote_every_word() {
        let q = |s: &str| tsquery(&crate::search::parse(s).unwrap().text).unwrap();
        assert_eq!(q("iran drones"), "(('iran')) & (('drones'))");
        assert_eq!(
            q(r#"title:"Prime Minister" sanction* -kerry"#),
            "((('prime':A <-> 'minister':A)) & (('sanction':*))) & !('kerry')"
        );
        assert_eq!(q("iran OR iraq"), "(('iran') | ('iraq'))");
        assert_eq!(q(r#"NEAR("a' b)"#), "(('near')) & (('a' <-> 'b'))");
        assert_eq!(q("x_"), "(('x'))");
    }

    #[test]
    fn documents_weigh_the_title_and_keep_it_apart_from_the_body() {
        assert_eq!(
            document("The News", "news of the day").unwrap(),
            "'day':7 'news':2A,4 'of':5 'the':1A,6"
        );
        assert_eq!(document("", "").unwrap(), "");
    }
}
