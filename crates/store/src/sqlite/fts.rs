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
