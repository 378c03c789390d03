//! The search language ([`crate::search`]) as an SQLite FTS5 MATCH
//! expression. User input never reaches MATCH as is: every word and
//! phrase becomes an FTS5 string literal (quotes doubled), so a stray
//! quote, parenthesis, `NEAR(` or `*` cannot change the expression's
//! structure.

use crate::search::{Term, TextQuery};

/// The MATCH expression of `query`.
pub fn fts5_match(query: &TextQuery) -> String {
    let positive = query
        .groups
        .iter()
        .map(|g| {
            let alternatives: Vec<String> = g.iter().map(term).collect();
            format!("({})", alternatives.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let mut fts = positive;
    for t in &query.excluded {
        fts = format!("({fts}) NOT {}", term(t));
    }
    fts
}

fn term(t: &Term) -> String {
    let mut s = String::new();
    if t.title_only {
        s.push_str("title : ");
    }
    s.push('"');
    s.push_str(&t.text.replace('"', "\"\""));
    s.push('"');
    if t.prefix {
        s.push_str(" *");
    }
    s
}

thread_local! {
    /// This thread's matcher: an in-memory FTS5 table of one row, emptied
    /// after each use.
    static MATCHER: std::cell::RefCell<Option<rusqlite::Connection>> =
        const { std::cell::RefCell::new(None) };
}

/// Whether a text (its headline and body) matches `query`, as a search of
/// the SQLite backend would find it: the text goes through the same FTS5
/// tokenizer and MATCH expression, in an in-memory table.
pub fn text_matches(query: &TextQuery, title: &str, body: &str) -> crate::Result<bool> {
    let failed = |e: rusqlite::Error| crate::StoreError::Other(format!("matching a text: {e}"));
    MATCHER.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            let c = rusqlite::Connection::open_in_memory().map_err(failed)?;
            c.execute_batch(
                "CREATE VIRTUAL TABLE t USING fts5(title, body,
                     tokenize = 'unicode61 remove_diacritics 2');",
            )
            .map_err(failed)?;
            *cell = Some(c);
        }
        let Some(c) = cell.as_ref() else {
            return Err(crate::StoreError::Other("no matcher".into()));
        };
        let run = || -> rusqlite::Result<bool> {
            c.execute(
                "INSERT INTO t (rowid, title, body) VALUES (1, ?1, ?2)",
                [title, body],
            )?;
            c.prepare_cached("SELECT count(*) FROM t WHERE t MATCH ?1")?
                .query_row([fts5_match(query)], |r| r.get::<_, i64>(0))
                .map(|n| n > 0)
        };
        let found = run();
        let emptied = c.execute("DELETE FROM t", []);
        let found = found.map_err(failed)?;
        emptied.map_err(failed)?;
        Ok(found)
    })
}
