//! The PostgreSQL side of `redline store copy` (see [`crate::copy`]): rows
//! read and written by column name, text keys compared and ordered under
//! the "C" collation (bytewise, as SQLite does), a version's full-text
//! entry derived as it is written, identity counters moved past the
//! copied ids at the end.

use postgres::types::ToSql;

use super::{Out, Params, PgStore, decompress_body, fts, refs};
use crate::copy::{Column, Kind, Table, Tables, Value, ident, unknown_type};
use crate::{Result, StoreError};

/// The key as an ORDER BY or comparison term: bytewise for text.
fn key_term(table: &Table, text: bool) -> String {
    if text {
        format!("{} COLLATE \"C\"", ident(table.key))
    } else {
        ident(table.key)
    }
}

fn kind_of(data_type: &str) -> Option<Kind> {
    Some(match data_type {
        "bigint" | "integer" | "smallint" => Kind::Int,
        "boolean" => Kind::Bool,
        "text" => Kind::Text,
        "bytea" => Kind::Bytes,
        "tsvector" => Kind::Derived,
        _ => return None,
    })
}

fn read_value(row: &postgres::Row, i: usize, kind: Kind) -> Out<Value> {
    Ok(match kind {
        Kind::Int => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
        Kind::Bool => row
            .try_get::<_, Option<bool>>(i)?
            .map(|b| Value::Int(i64::from(b))),
        Kind::Text => row.try_get::<_, Option<String>>(i)?.map(Value::Text),
        Kind::Bytes => row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes),
        Kind::Derived => None,
    }
    .unwrap_or(Value::Null))
}

/// `value` as a parameter for a column of `kind`.
fn param(value: &Value, kind: Kind, column: &str) -> Result<Box<dyn ToSql + Sync>> {
    let mismatch = || {
        StoreError::Invalid(format!(
            "column {column} cannot hold the value {value:?} being copied"
        ))
    };
    Ok(match (kind, value) {
        (Kind::Int, Value::Null) => Box::new(None::<i64>),
        (Kind::Int, Value::Int(n)) => Box::new(*n),
        (Kind::Bool, Value::Null) => Box::new(None::<bool>),
        (Kind::Bool, Value::Int(n)) => Box::new(*n != 0),
        (Kind::Text, Value::Null) => Box::new(None::<String>),
        (Kind::Text, Value::Text(t)) => Box::new(t.clone()),
        (Kind::Bytes, Value::Null) => Box::new(None::<Vec<u8>>),
        (Kind::Bytes, Value::Bytes(b)) => Box::new(b.clone()),
        _ => return Err(mismatch()),
    })
}

impl PgStore {
    fn text_key(&self, table: &Table) -> Result<bool> {
        let columns = self.columns(table.name)?;
        let key = columns
            .iter()
            .find(|c| c.name == table.key)
            .ok_or_else(|| {
                StoreError::Invalid(format!("table {} has no column {}", table.name, table.key))
            })?;
        Ok(key.kind == Kind::Text)
    }
}

impl Tables for PgStore {
    fn columns(&self, table: &str) -> Result<Vec<Column>> {
        let table = table.to_string();
        self.read(|tx| {
            let rows = tx.query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = $1
                 ORDER BY ordinal_position",
                &[&table],
            )?;
            let mut columns = Vec::new();
            for row in rows {
                let name: String = row.try_get(0)?;
                let data_type: String = row.try_get(1)?;
                let kind =
                    kind_of(&data_type).ok_or_else(|| unknown_type(&table, &name, &data_type))?;
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
        let text = self.text_key(table)?;
        let list: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
        let key = key_term(table, text);
        let filter = match after {
            None => String::new(),
            Some(_) => format!("WHERE {key} > $2"),
        };
        let sql = format!(
            "SELECT {} FROM {} {filter} ORDER BY {key} LIMIT $1",
            list.join(", "),
            ident(table.name),
        );
        let mut params: Params = vec![Box::new(i64::try_from(limit).unwrap_or(i64::MAX))];
        if let Some(after) = after {
            let kind = if text { Kind::Text } else { Kind::Int };
            params.push(param(after, kind, table.key)?);
        }
        self.read(|tx| {
            let rows = tx.query(&sql, &refs(&params))?;
            rows.iter()
                .map(|row| {
                    columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| read_value(row, i, c.kind))
                        .collect::<Out<Vec<Value>>>()
                })
                .collect()
        })
    }

    fn max_key(&self, table: &Table) -> Result<Option<Value>> {
        let text = self.text_key(table)?;
        let sql = format!(
            "SELECT {} FROM {} ORDER BY {} DESC LIMIT 1",
            ident(table.key),
            ident(table.name),
            key_term(table, text)
        );
        let kind = if text { Kind::Text } else { Kind::Int };
        self.read(|tx| match tx.query_opt(&sql, &[])? {
            Some(row) => Ok(Some(read_value(&row, 0, kind)?)),
            None => Ok(None),
        })
    }

    fn write_batch(&self, table: &Table, columns: &[Column], rows: &[Vec<Value>]) -> Result<()> {
        let versions = table.name == "versions";
        let mut list: Vec<String> = columns.iter().map(|c| ident(&c.name)).collect();
        let mut marks: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        if versions {
            list.push("search".into());
            marks.push(format!("${}::text::tsvector", columns.len() + 1));
        }
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            ident(table.name),
            list.join(", "),
            marks.join(", ")
        );
        let position = |name: &str| columns.iter().position(|c| c.name == name);
        let text_of = (
            position("title"),
            position("body_zstd"),
            position("body_len"),
        );
        let mut batch: Vec<Params> = Vec::with_capacity(rows.len());
        for row in rows {
            let mut params: Params = row
                .iter()
                .zip(columns)
                .map(|(value, c)| param(value, c.kind, &c.name))
                .collect::<Result<_>>()?;
            if versions {
                let (Some(t), Some(b), Some(l)) = text_of else {
                    return Err(StoreError::Invalid(
                        "versions are copied without their title or text".into(),
                    ));
                };
                let search = match (&row[t], &row[b], &row[l]) {
                    (Value::Text(title), Value::Bytes(body), Value::Int(len)) => {
                        fts::document(title, &decompress_body(body, *len)?)?
                    }
                    _ => {
                        return Err(StoreError::Invalid(
                            "a version without its title or text".into(),
                        ));
                    }
                };
                params.push(Box::new(search));
            }
            batch.push(params);
        }
        self.write(|tx| {
            let statement = tx.prepare(&sql)?;
            for params in &batch {
                tx.execute(&statement, &refs(params))?;
            }
            Ok(())
        })
    }

    fn set_merged_into(&self, pairs: &[(i64, i64)]) -> Result<()> {
        self.write(|tx| {
            let statement = tx.prepare("UPDATE articles SET merged_into = $2 WHERE id = $1")?;
            for (id, into) in pairs {
                tx.execute(&statement, &[id, into])?;
            }
            Ok(())
        })
    }

    fn finish(&self) -> Result<()> {
        self.write(|tx| {
            for table in ["articles", "versions", "events", "site_changes", "changes"] {
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id))
                         FROM {table} HAVING max(id) IS NOT NULL"
                    ),
                    &[],
                )?;
            }
            super::bump_generation(tx)
        })
    }
}
