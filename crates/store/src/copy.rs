//! `redline store copy FROM TO`: copies everything one database holds into
//! another (SQLite into PostgreSQL, PostgreSQL into SQLite, or one into
//! another of the same kind), then proves the copy by counts and content
//! hashes.
//!
//! - Both databases are first brought to this redline's schema; the tables
//!   of both backends are the same (see `postgres/schema.rs`), so rows map
//!   one to one. Columns are matched by name; what one backend derives
//!   (PostgreSQL's `versions.search`, SQLite's full-text index) is derived
//!   again on the target, never copied.
//! - Tables go in an order that satisfies their references (sources,
//!   listings, articles, their URLs, versions, events, site changes,
//!   changes), each in key order (bytewise for text keys on both
//!   backends), in batches of [`BATCH_ROWS`] rows each committed in its own
//!   transaction. An interrupted copy resumes: run again, each table
//!   continues after the greatest key the target holds, and rows already
//!   there are left as they are. An article merged into another names it
//!   only once every article is copied.
//! - Verification reads both databases again in key order: the number of
//!   rows of every table and a BLAKE3 hash of their values (booleans as
//!   0/1, so both backends hash alike) must be equal, or the copy fails
//!   naming the table.
//!
//! Stop the crawlers before copying: rows written to the source meanwhile
//! may be missed, and the verification says so.

use std::fmt;

use crate::{Result, StoreError};

/// Rows written per transaction.
pub const BATCH_ROWS: usize = 500;

/// A table copied, with the column its rows are ordered and resumed by.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    pub name: &'static str,
    pub key: &'static str,
}

/// Every table, in an order that satisfies the references between them.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "sources",
        key: "name",
    },
    Table {
        name: "listings",
        key: "url",
    },
    Table {
        name: "articles",
        key: "id",
    },
    Table {
        name: "article_urls",
        key: "url",
    },
    Table {
        name: "versions",
        key: "id",
    },
    Table {
        name: "events",
        key: "id",
    },
    Table {
        name: "site_changes",
        key: "id",
    },
    Table {
        name: "changes",
        key: "id",
    },
];

/// What a column holds, as both backends can say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    /// PostgreSQL's `BOOLEAN`; an integer 0/1 in SQLite.
    Bool,
    Text,
    Bytes,
    /// Derived from other columns by the backend itself (PostgreSQL's
    /// `tsvector`): neither copied nor compared.
    Derived,
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    pub kind: Kind,
}

/// One value of a row, the same on both backends (a boolean is an `Int`
/// of 0 or 1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// A table or column name as SQL, quoted (only the names of [`TABLES`]
/// and of the databases' own columns reach here, quoted all the same).
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A column of a type redline never declares (a database altered by
/// hand): refused.
pub(crate) fn unknown_type(table: &str, column: &str, declared: &str) -> StoreError {
    StoreError::Invalid(format!(
        "column {table}.{column} has the type {declared}, which redline never declares"
    ))
}

/// What a backend offers for copying: its tables' rows, read and written
/// in batches.
pub(crate) trait Tables {
    /// The columns of `table`, in the table's order.
    fn columns(&self, table: &str) -> Result<Vec<Column>>;

    /// Up to `limit` rows of `table` with `columns`' values, in order of
    /// `key` (bytewise for text), those after `after` if given.
    fn read_batch(
        &self,
        table: &Table,
        columns: &[Column],
        after: Option<&Value>,
        limit: usize,
    ) -> Result<Vec<Vec<Value>>>;

    /// The greatest key of `table` (bytewise for text), if it has rows.
    fn max_key(&self, table: &Table) -> Result<Option<Value>>;

    /// Writes `rows` in one transaction, leaving any row whose key is
    /// already there as it is; derives what the backend derives (a
    /// version's full-text entry).
    fn write_batch(&self, table: &Table, columns: &[Column], rows: &[Vec<Value>]) -> Result<()>;

    /// Sets `articles.merged_into` of each `(id, merged_into)`.
    fn set_merged_into(&self, pairs: &[(i64, i64)]) -> Result<()>;

    /// Ends a copy into this database: rebuilds what is derived from whole
    /// tables (SQLite's full-text index), moves identity counters past the
    /// copied ids (PostgreSQL), and tells caches that everything changed.
    fn finish(&self) -> Result<()>;
}

/// One table's part in a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: &'static str,
    /// Rows in the source (and, once verified, in the target).
    pub rows: u64,
    /// Rows written by this run (the rest were there from an earlier,
    /// interrupted run).
    pub copied: u64,
}

/// What a copy did, every table verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<TableReport>,
}

impl fmt::Display for CopyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
        for t in &self.tables {
            let earlier = t.rows.saturating_sub(t.copied);
            write!(f, "{:width$}  {} rows", t.table, t.rows)?;
            if earlier > 0 {
                write!(f, " ({} copied now, {earlier} by an earlier run)", t.copied)?;
            }
            writeln!(f)?;
        }
        write!(
            f,
            "verified: every table has the same rows and content hash on both sides"
        )
    }
}

/// Progress of a copy, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// `rows` of `table` copied so far by this run.
    Copying { table: &'static str, rows: u64 },
    /// `table` being verified.
    Verifying { table: &'static str },
}

/// Copies everything `from` holds into `to`, then verifies it (see the
/// module's documentation).
pub(crate) fn copy(
    from: &dyn Tables,
    to: &dyn Tables,
    progress: &mut dyn FnMut(Progress),
) -> Result<CopyReport> {
    let mut reports = Vec::new();
    let mut plans = Vec::new();
    for table in TABLES {
        let columns = common_columns(table, &from.columns(table.name)?, &to.columns(table.name)?)?;
        plans.push((table, columns));
    }
    for (table, columns) in &plans {
        let copied = copy_table(from, to, table, columns, progress)?;
        reports.push(TableReport {
            table: table.name,
            rows: 0,
            copied,
        });
    }
    copy_merges(from, to)?;
    to.finish()?;
    for ((table, columns), report) in plans.iter().zip(&mut reports) {
        progress(Progress::Verifying { table: table.name });
        let (rows, hash) = digest(from, table, &columns.from)?;
        let (target_rows, target_hash) = digest(to, table, &columns.to)?;
        if (rows, hash) != (target_rows, target_hash) {
            return Err(StoreError::Refused(format!(
                "the copy of table {} does not match: {rows} rows in the source, {target_rows} \
                 in the target{}. Was a crawler writing to either database? Stop them, and \
                 copy into an empty database",
                table.name,
                if rows == target_rows {
                    ", with different contents"
                } else {
                    ""
                }
            )));
        }
        report.rows = rows;
    }
    Ok(CopyReport { tables: reports })
}

/// Both sides' columns of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Columns {
    /// As the source has them.
    pub from: Vec<Column>,
    /// The same columns in the same order, as the target has them (a
    /// boolean there is written as one).
    pub to: Vec<Column>,
}

/// The columns both sides have (the source's order, the key first), the
/// derived ones left out. A column only one side has means the schemas
/// differ: refused.
fn common_columns(table: &Table, from: &[Column], to: &[Column]) -> Result<Columns> {
    let stored = |columns: &[Column]| -> Vec<Column> {
        columns
            .iter()
            .filter(|c| c.kind != Kind::Derived)
            .cloned()
            .collect()
    };
    let (mut from, to) = (stored(from), stored(to));
    for column in from.iter().chain(&to) {
        let there = |side: &[Column]| side.iter().any(|c| c.name == column.name);
        if !there(&from) || !there(&to) {
            return Err(StoreError::Invalid(format!(
                "the two databases' schemas differ: column {}.{} is in only one of them",
                table.name, column.name
            )));
        }
    }
    let key = from
        .iter()
        .position(|c| c.name == table.key)
        .ok_or_else(|| {
            StoreError::Invalid(format!("table {} has no column {}", table.name, table.key))
        })?;
    from.swap(0, key);
    let to = from
        .iter()
        .filter_map(|c| to.iter().find(|t| t.name == c.name).cloned())
        .collect();
    Ok(Columns { from, to })
}

/// Copies the rows of `table` after the target's greatest key; returns how
/// many it wrote.
fn copy_table(
    from: &dyn Tables,
    to: &dyn Tables,
    table: &Table,
    columns: &Columns,
    progress: &mut dyn FnMut(Progress),
) -> Result<u64> {
    let merged = columns.from.iter().position(|c| c.name == "merged_into");
    let mut after = to.max_key(table)?;
    let mut copied = 0;
    loop {
        let mut rows = from.read_batch(table, &columns.from, after.as_ref(), BATCH_ROWS)?;
        let Some(last) = rows.last() else {
            return Ok(copied);
        };
        after = Some(last[0].clone());
        if let Some(i) = merged {
            // Named once every article is there (see copy_merges).
            for row in &mut rows {
                row[i] = Value::Null;
            }
        }
        to.write_batch(table, &columns.to, &rows)?;
        copied += rows.len() as u64;
        progress(Progress::Copying {
            table: table.name,
            rows: copied,
        });
    }
}

/// Names, in the target, the article each merged article was merged into.
fn copy_merges(from: &dyn Tables, to: &dyn Tables) -> Result<()> {
    let table = Table {
        name: "articles",
        key: "id",
    };
    let columns = [
        Column {
            name: "id".into(),
            kind: Kind::Int,
        },
        Column {
            name: "merged_into".into(),
            kind: Kind::Int,
        },
    ];
    // Both are integers on both sides.
    let mut after = None;
    loop {
        let rows = from.read_batch(&table, &columns, after.as_ref(), BATCH_ROWS * 10)?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = Some(last[0].clone());
        let pairs: Vec<(i64, i64)> = rows
            .iter()
            .filter_map(|row| match (&row[0], &row[1]) {
                (Value::Int(id), Value::Int(into)) => Some((*id, *into)),
                _ => None,
            })
            .collect();
        if !pairs.is_empty() {
            to.set_merged_into(&pairs)?;
        }
    }
}

/// The number of rows of `table` and a hash of their values in key order.
fn digest(side: &dyn Tables, table: &Table, columns: &[Column]) -> Result<(u64, [u8; 32])> {
    let mut hasher = blake3::Hasher::new();
    let mut rows = 0;
    let mut after = None;
    loop {
        let batch = side.read_batch(table, columns, after.as_ref(), BATCH_ROWS * 4)?;
        let Some(last) = batch.last() else {
            return Ok((rows, *hasher.finalize().as_bytes()));
        };
        after = Some(last[0].clone());
        for row in &batch {
            for value in row {
                hash_value(&mut hasher, value);
            }
            hasher.update(b"\n");
            rows += 1;
        }
    }
}

fn hash_value(hasher: &mut blake3::Hasher, value: &Value) {
    let (tag, bytes): (u8, &[u8]) = match value {
        Value::Null => (0, &[]),
        Value::Int(n) => {
            hasher.update(&[1]);
            hasher.update(&n.to_le_bytes());
            return;
        }
        Value::Text(t) => (2, t.as_bytes()),
        Value::Bytes(b) => (3, b),
    };
    hasher.update(&[tag]);
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }

    #[test]
    fn columns_are_matched_by_name_key_first_derived_left_out() {
        let table = Table {
            name: "versions",
            key: "id",
        };
        let sqlite = [
            column("title", Kind::Text),
            column("id", Kind::Int),
            column("minor", Kind::Int),
        ];
        let postgres = [
            column("id", Kind::Int),
            column("title", Kind::Text),
            column("minor", Kind::Bool),
            column("search", Kind::Derived),
        ];
        assert_eq!(
            common_columns(&table, &sqlite, &postgres).unwrap(),
            Columns {
                from: vec![
                    column("id", Kind::Int),
                    column("title", Kind::Text),
                    column("minor", Kind::Int)
                ],
                to: vec![
                    column("id", Kind::Int),
                    column("title", Kind::Text),
                    column("minor", Kind::Bool)
                ],
            }
        );
        assert_eq!(
            common_columns(&table, &postgres, &sqlite).unwrap(),
            Columns {
                from: vec![
                    column("id", Kind::Int),
                    column("title", Kind::Text),
                    column("minor", Kind::Bool)
                ],
                to: vec![
                    column("id", Kind::Int),
                    column("title", Kind::Text),
                    column("minor", Kind::Int)
                ],
            }
        );
        let e = common_columns(&table, &sqlite[..2], &postgres).unwrap_err();
        assert_eq!(
            e.to_string(),
            "stored data is invalid: the two databases' schemas differ: column versions.minor \
             is in only one of them"
        );
    }

    #[test]
    fn hashes_tell_values_apart_that_concatenate_alike() {
        let hash = |values: &[Value]| {
            let mut h = blake3::Hasher::new();
            for v in values {
                hash_value(&mut h, v);
            }
            h.finalize()
        };
        let text = |t: &str| Value::Text(t.into());
        assert_ne!(
            hash(&[text("ab"), text("c")]),
            hash(&[text("a"), text("bc")])
        );
        assert_ne!(hash(&[Value::Null]), hash(&[text("")]));
        assert_ne!(hash(&[text("")]), hash(&[Value::Bytes(vec![])]));
        assert_ne!(hash(&[Value::Int(0)]), hash(&[Value::Null]));
    }
}
