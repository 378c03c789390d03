//! The SQLite side of `redline store copy` (see [`crate::copy`]): rows
//! read and written by column name, text keys in SQLite's bytewise order,
//! the full-text index rebuilt once the versions are in.

use rusqlite::types::Value as Sql;

use super::{SqliteStore, reindex_versions};
use crate::copy::{Column, Kind, Table, Tables, Value, ident, unknown_type};
use crate::{Result, StoreError};

fn value_of(value: Sql) -> Result<Value> {
    Ok(match value {
        Sql::Null => Value::Null,
        Sql::Integer(n) => Value::Int(n),
        Sql::Text(t) => Value::Text(t),
        Sql::Blob(b) => Value::Bytes(b),
        Sql::Real(r) => {
            return Err(StoreError::Invalid(format!(
                "a real number ({r}) where redline stores none"
            )));
        }
    })
}

fn sql_of(value: &Value) -> Sql {
    match value {
        Value::Null => Sql::Null,
        Value::Int(n) => Sql::Integer(*n),
        Value::Text(t) => Sql::Text(t.clone()),
        Value::Bytes(b) => Sql::Blob(b.clone()),
    }
}

impl Tables for SqliteStore {
    fn columns(&self, table: &str) -> Result<Vec<Column>> {
        self.read(|c| {
            let mut columns = Vec::new();
            let mut stmt = c.prepare(&format!("PRAGMA table_info({})", ident(table)))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let name: String = row.get(1)?;
                let declared: String = row.get(2)?;
                let kind = match declared.to_ascii_uppercase().as_str() {
                    "INTEGER" => Kind::Int,
                    "TEXT" => Kind::Text,
                    "BLOB" => Kind::Bytes,
                    other => return Err(unknown_type(table, &name, other)),
                };
                columns.push(Column { name, kind });
            }
            Ok(columns)
        })
    }

    fn read_batch(
        &self,
        table: &Table,
        columns: &[Column],
        after: Option<&Value>,
        limit: usize,
    ) -> Result<Vec<Vec<Value>>> {
        let list: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
        let key = ident(table.key);
        let sql = format!(
            "SELECT {} FROM {} WHERE ?1 IS NULL OR {key} > ?1 ORDER BY {key} LIMIT ?2",
            list.join(", "),
            ident(table.name),
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let after = after.map_or(Sql::Null, sql_of);
            let mut rows = stmt.query(rusqlite::params![after, limit as i64])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let mut values = Vec::with_capacity(columns.len());
                for i in 0..columns.len() {
                    values.push(value_of(row.get::<_, Sql>(i)?)?);
                }
                out.push(values);
            }
            Ok(out)
        })
    }

    fn max_key(&self, table: &Table) -> Result<Option<Value>> {
        let sql = format!(
            "SELECT max({}) FROM {}",
            ident(table.key),
            ident(table.name)
        );
        self.read(|c| {
            let max: Sql = c.query_row(&sql, [], |r| r.get(0))?;
            Ok(match value_of(max)? {
                Value::Null => None,
                key => Some(key),
            })
        })
    }

    fn write_batch(&self, table: &Table, columns: &[Column], rows: &[Vec<Value>]) -> Result<()> {
        let list: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
        let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            ident(table.name),
            list.join(", "),
            marks.join(", ")
        );
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(&sql)?;
            for row in rows {
                stmt.execute(rusqlite::params_from_iter(row.iter().map(sql_of)))?;
            }
            Ok(())
        })
    }

    fn set_merged_into(&self, pairs: &[(i64, i64)]) -> Result<()> {
        self.write(|tx| {
            let mut stmt =
                tx.prepare_cached("UPDATE articles SET merged_into = ?2 WHERE id = ?1")?;
            for (id, into) in pairs {
                stmt.execute([id, into])?;
            }
            Ok(())
        })
    }

    fn finish(&self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO versions_fts (versions_fts) VALUES ('delete-all')",
                [],
            )?;
            reindex_versions(tx)?;
            Ok(())
        })
    }
}
