//! The read queries of the web interface: latest changes, article lists
//! with full-text search, batches of version texts, totals and metrics.
//! Hidden articles are left out of every list here.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::{
    ARTICLE_COLUMNS, SqliteStore, VERSION_COLUMNS, article_from_row, decompress_body, ms, time,
    version_meta_from_row,
};
use crate::{
    ArticleHit, ArticleId, ArticleQuery, ArticleStatus, Change, ChangeKind, ChangeQuery,
    MatchedVersion, Result, SourceMetrics, SourceSummary, StoreError, StoreMetrics, Totals,
    Version,
};

/// `ARTICLE_COLUMNS` qualified with the alias `a`.
static A_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    ARTICLE_COLUMNS
        .split(',')
        .map(|c| format!("a.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
});

/// Above this many matching versions, a text search walks the list in
/// order and stops at the page's end instead of sorting every match.
const BROAD_MATCHES: i64 = 2000;

/// How many versions a full-text expression matches.
fn match_count(c: &Connection, text: &str) -> Result<i64> {
    c.prepare_cached("SELECT count(*) FROM versions_fts WHERE versions_fts MATCH ?1")?
        .query_row([text], |r| r.get(0))
        .map_err(fts_error)
}

/// Largest page any list query returns.
const MAX_LIMIT: usize = 1000;

fn limit(n: usize) -> i64 {
    if n == 0 { 50 } else { n.min(MAX_LIMIT) as i64 }
}

/// Source names joined for `instr` membership tests (names never hold a
/// comma: they are letters, digits, '-' and '_').
fn name_list(names: &[String]) -> String {
    format!(",{},", names.join(","))
}

/// Appends the conditions "the article (alias `a`) is of one of
/// `sources`, and of none of `exclude`" (empty lists: no condition).
fn source_filters(sources: &[String], exclude: &[String], sql: &mut String, args: &mut Vec<Value>) {
    for (names, test) in [(sources, "> 0"), (exclude, "= 0")] {
        if !names.is_empty() {
            args.push(Value::Text(name_list(names)));
            sql.push_str(&format!(
                " AND instr(?{}, ',' || a.source || ',') {test}",
                args.len()
            ));
        }
    }
}

/// Reports an FTS5 syntax error as invalid input rather than a failure.
fn fts_error(e: rusqlite::Error) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(_, Some(msg))
            if msg.contains("fts5") || msg.contains("syntax error") || msg.contains("MATCH") =>
        {
            StoreError::Invalid(format!("search expression: {msg}"))
        }
        _ => e.into(),
    }
}

impl SqliteStore {
    /// Edits and reverts newest first. Each kind is a query walking its
    /// own time index; SQLite merges the two ordered streams, so a page
    /// stops reading at its end.
    pub(super) fn read_changes(&self, q: &ChangeQuery) -> Result<Vec<Change>> {
        self.read(|c| {
            let broad = match &q.text {
                Some(text) => match_count(c, text)? > BROAD_MATCHES,
                None => false,
            };
            let mut args: Vec<Value> = Vec::new();
            let mut sql = String::new();
            if let Some(text) = &q.text {
                args.push(Value::Text(text.clone()));
                if broad {
                    sql.push_str(
                        "WITH hits(vid) AS MATERIALIZED
                         (SELECT rowid FROM versions_fts WHERE versions_fts MATCH ?1) ",
                    );
                }
            }
            // The filters both kinds share, written over placeholders for
            // the columns that differ: {at} the time, {key} the change key.
            let mut filters = String::from(" AND a.hidden = 0");
            if !q.include_minor {
                filters.push_str(" AND {minor} = 0");
            }
            source_filters(&q.sources, &q.exclude_sources, &mut filters, &mut args);
            if let Some(article) = q.article {
                args.push(Value::Integer(article));
                filters.push_str(&format!(" AND a.id = ?{}", args.len()));
            }
            if let Some(since) = q.since {
                args.push(Value::Integer(ms(since)));
                filters.push_str(&format!(" AND {{at}} >= ?{}", args.len()));
            }
            if let Some(after) = q.after {
                args.push(Value::Integer(after.seen_at_ms));
                args.push(Value::Integer(after.key));
                filters.push_str(&format!(
                    " AND ({{at}} < ?{a} OR ({{at}} = ?{a} AND {{key}} < ?{b}))",
                    a = args.len() - 1,
                    b = args.len()
                ));
            }
            if q.text.is_some() {
                // Few matching versions: they drive the query. Many: walk the
                // changes newest first and keep those of a matching article.
                filters.push_str(if broad {
                    " AND EXISTS (SELECT 1 FROM versions m WHERE m.article_id = a.id
                     AND m.id IN (SELECT vid FROM hits))"
                } else {
                    " AND a.id IN (SELECT m.article_id FROM versions_fts f
                     JOIN versions m ON m.id = f.rowid WHERE versions_fts MATCH ?1)"
                });
            }
            let arm = |at: &str, key: &str, minor: &str| {
                filters
                    .replace("{at}", at)
                    .replace("{key}", key)
                    .replace("{minor}", minor)
            };
            // Columns: key, kind, article, number, from, seen at, title,
            // previous title, previous seen at, minor, words added, removed,
            // then the article's.
            sql.push_str(&format!(
                "SELECT 2 * v.id, 0, v.article_id, v.number, p.number, v.seen_at, v.title,
                        p.title, p.seen_at, v.minor, v.words_added, v.words_removed,
                        a.source, coalesce(s.title, a.source), a.url, a.final_url, a.status
                 FROM versions v
                 JOIN articles a ON a.id = v.article_id
                 LEFT JOIN sources s ON s.name = a.source
                 JOIN versions p ON p.article_id = v.article_id AND p.number = v.number - 1
                 WHERE v.number > 0 {edits}
                 UNION ALL
                 SELECT 2 * e.id + 1, 1, e.article_id, t.number, p.number, e.at, t.title,
                        p.title, p.seen_at, t.fingerprint = p.fingerprint, 0, 0,
                        a.source, coalesce(s.title, a.source), a.url, a.final_url, a.status
                 FROM events e
                 JOIN articles a ON a.id = e.article_id
                 LEFT JOIN sources s ON s.name = a.source
                 JOIN versions t ON t.article_id = e.article_id AND t.number = e.version
                 JOIN versions p ON p.article_id = e.article_id AND p.number = e.from_version
                 WHERE e.kind = 'reverted' {reverts}",
                edits = arm("v.seen_at", "2 * v.id", "v.minor"),
                reverts = arm("e.at", "2 * e.id + 1", "(t.fingerprint = p.fingerprint)"),
            ));
            args.push(Value::Integer(limit(q.limit)));
            args.push(Value::Integer(q.offset as i64));
            sql.push_str(&format!(
                " ORDER BY 6 DESC, 1 DESC LIMIT ?{} OFFSET ?{}",
                args.len() - 1,
                args.len()
            ));
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params_from_iter(args), |r| {
                    let kind: i64 = r.get(1)?;
                    let status: String = r.get(16)?;
                    Ok(Change {
                        key: r.get(0)?,
                        kind: if kind == 0 {
                            ChangeKind::Edit
                        } else {
                            ChangeKind::Revert
                        },
                        article_id: r.get(2)?,
                        number: r.get(3)?,
                        from: r.get(4)?,
                        seen_at: time(r.get(5)?),
                        title: r.get(6)?,
                        previous_title: r.get(7)?,
                        previous_seen_at: time(r.get(8)?),
                        minor: r.get(9)?,
                        words_added: r.get(10)?,
                        words_removed: r.get(11)?,
                        source: r.get(12)?,
                        source_title: r.get(13)?,
                        url: r.get(14)?,
                        final_url: r.get(15)?,
                        status: ArticleStatus::parse(&status).unwrap_or(ArticleStatus::Active),
                    })
                })
                .map_err(fts_error)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(fts_error)
        })
    }

    pub(super) fn read_articles(&self, q: &ArticleQuery) -> Result<Vec<ArticleHit>> {
        self.read(|c| {
            let mut args: Vec<Value> = Vec::new();
            let mut sql = if let Some(text) = &q.text {
                args.push(Value::Text(text.clone()));
                if match_count(c, text)? > BROAD_MATCHES {
                    // Many matching versions: walk the articles in order and
                    // stop at the page's end.
                    format!(
                        "WITH hits(vid) AS MATERIALIZED
                         (SELECT rowid FROM versions_fts WHERE versions_fts MATCH ?1)
                     SELECT {cols}, mv.number, mv.seen_at, mv.title
                     FROM articles a
                     JOIN versions mv ON mv.id = (SELECT max(v.id) FROM versions v
                         WHERE v.article_id = a.id AND v.id IN (SELECT vid FROM hits))
                     WHERE a.hidden = 0",
                        cols = *A_COLUMNS
                    )
                } else {
                    format!(
                        "WITH m AS (
                         SELECT v.article_id AS aid, max(v.number) AS num
                         FROM versions_fts f JOIN versions v ON v.id = f.rowid
                         WHERE versions_fts MATCH ?1
                         GROUP BY v.article_id)
                     SELECT {cols}, mv.number, mv.seen_at, mv.title
                     FROM m JOIN articles a ON a.id = m.aid
                     JOIN versions mv ON mv.article_id = m.aid AND mv.number = m.num
                     WHERE a.hidden = 0",
                        cols = *A_COLUMNS
                    )
                }
            } else {
                format!(
                    "SELECT {cols}, NULL, NULL, NULL FROM articles a WHERE a.hidden = 0",
                    cols = *A_COLUMNS
                )
            };
            source_filters(&q.sources, &q.exclude_sources, &mut sql, &mut args);
            if let Some(status) = q.status {
                args.push(Value::Text(status.as_str().into()));
                sql.push_str(&format!(" AND a.status = ?{}", args.len()));
            }
            if q.changed_only {
                sql.push_str(" AND a.version_count > 1");
            }
            if let Some(since) = q.changed_since {
                args.push(Value::Integer(ms(since)));
                sql.push_str(&format!(
                    " AND a.version_count > 1 AND a.last_changed >= ?{}",
                    args.len()
                ));
            }
            if let Some(after) = q.after {
                args.push(Value::Integer(after.sort_ms));
                args.push(Value::Integer(after.id));
                sql.push_str(&format!(
                    " AND (coalesce(a.last_changed, a.first_seen) < ?{s}
                      OR (coalesce(a.last_changed, a.first_seen) = ?{s} AND a.id < ?{i}))",
                    s = args.len() - 1,
                    i = args.len()
                ));
            }
            args.push(Value::Integer(limit(q.limit)));
            args.push(Value::Integer(q.offset as i64));
            sql.push_str(&format!(
                " ORDER BY coalesce(a.last_changed, a.first_seen) DESC, a.id DESC
              LIMIT ?{} OFFSET ?{}",
                args.len() - 1,
                args.len()
            ));
            let columns = ARTICLE_COLUMNS.split(',').count();
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params_from_iter(args), |r| {
                    let article = article_from_row(r)?;
                    let number: Option<u32> = r.get(columns)?;
                    let matched = match number {
                        Some(number) => Some(MatchedVersion {
                            number,
                            seen_at: time(r.get(columns + 1)?),
                            title: r.get(columns + 2)?,
                        }),
                        None => None,
                    };
                    Ok(ArticleHit { article, matched })
                })
                .map_err(fts_error)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
                .map_err(fts_error)
        })
    }

    /// Versions with their texts, in the order asked; missing ones are
    /// left out.
    pub(super) fn read_version_texts(&self, keys: &[(ArticleId, u32)]) -> Result<Vec<Version>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {VERSION_COLUMNS}, body_zstd, body_len FROM versions
                 WHERE article_id = ?1 AND number = ?2"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let mut out = Vec::with_capacity(keys.len());
            for &(id, number) in keys {
                let mut rows = stmt.query(rusqlite::params![id, number])?;
                let Some(r) = rows.next()? else { continue };
                let meta = version_meta_from_row(r)?;
                let compressed: Vec<u8> = r.get(14)?;
                let len: i64 = r.get(15)?;
                let body = decompress_body(&compressed, len).map_err(|e| {
                    StoreError::Invalid(format!("version {number} of article {id}: {e}"))
                })?;
                let text = redline_diff::ArticleText::from_stored(&meta.title, &meta.byline, &body);
                out.push(Version { meta, text });
            }
            Ok(out)
        })
    }

    pub(super) fn read_visible_sources(&self) -> Result<Vec<SourceSummary>> {
        self.read(|c| super::source_summaries(c, false))
    }

    pub(super) fn read_totals(&self) -> Result<Totals> {
        self.read(|c| {
            let (articles, versions): (u64, u64) = c
                .prepare_cached(
                    "SELECT count(*), coalesce(sum(version_count), 0) FROM articles
                     WHERE hidden = 0",
                )?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let sources: u64 = c
                .prepare_cached("SELECT count(*) FROM sources")?
                .query_row([], |r| r.get(0))?;
            Ok(Totals {
                articles,
                versions,
                sources,
            })
        })
    }

    pub(super) fn read_changes_generation(&self) -> Result<i64> {
        self.read(|c| {
            // Both row ids only grow, so their sum does. Without the index
            // named, SQLite walks every event back from the newest looking
            // for a revert: milliseconds on every feed request.
            Ok(c.prepare_cached(
                "SELECT coalesce((SELECT max(id) FROM versions), 0)
                      + coalesce((SELECT max(id) FROM events INDEXED BY events_reverts
                                  WHERE kind = 'reverted'), 0)",
            )?
            .query_row([], |r| r.get(0))?)
        })
    }

    pub(super) fn read_metrics(&self, now: DateTime<Utc>) -> Result<StoreMetrics> {
        self.read(|c| metrics(c, now))
    }
}

fn metrics(c: &Connection, now: DateTime<Utc>) -> Result<StoreMetrics> {
    let mut m = StoreMetrics::default();
    let rows: Vec<(String, u64, u64, u64)> = c
        .prepare_cached(
            "SELECT status, count(*), count(*) FILTER (WHERE hidden != 0),
                    coalesce(sum(version_count), 0)
             FROM articles GROUP BY status",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for status in ArticleStatus::ALL {
        let row = rows.iter().find(|r| r.0 == status.as_str());
        m.articles_by_status.push((status, row.map_or(0, |r| r.1)));
    }
    m.hidden_articles = rows.iter().map(|r| r.2).sum();
    m.versions = rows.iter().map(|r| r.3).sum();
    m.sources = c
        .prepare_cached(
            "SELECT s.name, s.checks, s.errors,
                    (SELECT count(*) FROM articles a WHERE a.source = s.name),
                    (SELECT count(*) FROM listings l
                     WHERE l.source = s.name AND l.consecutive_errors > 0)
             FROM sources s ORDER BY s.name",
        )?
        .query_map([], |r| {
            Ok(SourceMetrics {
                name: r.get(0)?,
                checks: r.get(1)?,
                errors: r.get(2)?,
                articles: r.get(3)?,
                failing_listings: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (due, oldest): (u64, Option<i64>) = c
        .prepare_cached(
            "SELECT count(*), min(next_check) FROM articles
             WHERE status = 'active' AND next_check <= ?1",
        )?
        .query_row([ms(now)], |r| Ok((r.get(0)?, r.get(1)?)))?;
    m.due_articles = due;
    m.max_lateness_seconds = oldest.map_or(0.0, |t| ((ms(now) - t).max(0) as f64) / 1000.0);
    Ok(m)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::TimeZone;
    use redline_diff::ArticleText;

    use super::*;
    use crate::{
        ArticleCursor, ChangeCursor, CheckOutcome, CheckRecord, NewArticle, NewVersion, SourceSpec,
        Store,
    };

    fn t(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(minutes)
    }

    /// `articles` articles of `versions` versions each; every version holds
    /// "common", article k's also "rare{k}".
    fn store(articles: usize, versions: u32) -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("r.db")).unwrap();
        store
            .sync_sources(
                &[
                    SourceSpec {
                        name: "a".into(),
                        title: "A".into(),
                        ..Default::default()
                    },
                    SourceSpec {
                        name: "b".into(),
                        title: "B".into(),
                        ..Default::default()
                    },
                ],
                t(0),
            )
            .unwrap();
        for k in 0..articles {
            let source = if k % 3 == 0 { "b" } else { "a" };
            let id = store
                .add_articles(
                    source,
                    &[NewArticle {
                        url: format!("https://x.example/{k}"),
                        title: None,
                        published: None,
                    }],
                    t(k as i64),
                )
                .unwrap()[0];
            for n in 0..versions {
                let text = ArticleText::new(
                    &format!("Headline {k} v{n}"),
                    "",
                    [format!("common words rare{k} edition{n}"), "more".into()],
                );
                store
                    .record_check(&CheckRecord {
                        article: id,
                        // Interleaved in time across articles.
                        at: t(k as i64 + 7 * n as i64 * articles as i64 / 5),
                        expected_versions: n,
                        outcome: CheckOutcome::NewVersion(NewVersion {
                            text,
                            published: None,
                            minor: n == 2,
                            words_added: 1,
                            words_removed: 1,
                            capture: None,
                        }),
                        next_check: None,
                        check_interval: Duration::from_secs(60),
                        retire: false,
                        http: None,
                        aliases: vec![],
                    })
                    .unwrap();
            }
        }
        (dir, store)
    }

    #[test]
    fn broad_and_narrow_searches_agree_and_pages_do_not_overlap() {
        // More matching versions than BROAD_MATCHES, so "common" takes the
        // walking plan and "rare…" the driving one.
        let (_dir, s) = store(700, 3);
        s.set_hidden(5, true).unwrap();
        let all = |text: Option<&str>| -> Vec<ArticleHit> {
            let mut out = Vec::new();
            let mut after: Option<ArticleCursor> = None;
            loop {
                let page = s
                    .read_articles(&ArticleQuery {
                        text: text.map(str::to_string),
                        after,
                        limit: 97,
                        ..Default::default()
                    })
                    .unwrap();
                if page.is_empty() {
                    break;
                }
                after = Some(page.last().unwrap().cursor());
                out.extend(page);
            }
            out
        };
        let broad = all(Some("\"common\""));
        let plain = all(None);
        assert_eq!(broad.len(), 699, "every visible article, once");
        let ids = |h: &[ArticleHit]| h.iter().map(|h| h.article.id).collect::<Vec<_>>();
        assert_eq!(ids(&broad), ids(&plain), "same order as the plain list");
        assert!(
            broad
                .iter()
                .all(|h| h.matched.as_ref().unwrap().number == 2)
        );
        let narrow = s
            .read_articles(&ArticleQuery {
                text: Some("\"rare17\" AND \"edition1\"".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(narrow.len(), 1);
        assert_eq!(narrow[0].matched.as_ref().unwrap().number, 1);
        assert!(
            s.read_articles(&ArticleQuery {
                text: Some("\"rare4\"".into()),
                ..Default::default()
            })
            .unwrap()
            .is_empty(),
            "hidden"
        );

        // Changes: the walking plan gives what the plain list gives.
        let changes = |text: Option<&str>, sources: Vec<String>| -> Vec<i64> {
            let mut out = Vec::new();
            let mut after: Option<ChangeCursor> = None;
            loop {
                let page = s
                    .read_changes(&ChangeQuery {
                        text: text.map(str::to_string),
                        sources: sources.clone(),
                        after,
                        limit: 101,
                        ..Default::default()
                    })
                    .unwrap();
                if page.is_empty() {
                    break;
                }
                after = Some(page.last().unwrap().cursor());
                out.extend(page.iter().map(|c| c.key));
            }
            out
        };
        let plain = changes(None, vec![]);
        assert_eq!(plain.len(), 699, "one non-minor change per visible article");
        assert_eq!(changes(Some("\"common\""), vec![]), plain);
        assert_eq!(changes(Some("\"rare17\""), vec![]).len(), 1);
        let b = changes(Some("\"common\""), vec!["b".into()]);
        assert!(!b.is_empty() && b.len() < plain.len());
        // A malformed expression is invalid input, not a failure.
        let e = s
            .read_changes(&ChangeQuery {
                text: Some("NEAR(".into()),
                ..Default::default()
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        // Totals and metrics leave the hidden article out / count it.
        let totals = s.read_totals().unwrap();
        assert_eq!(
            (totals.articles, totals.versions, totals.sources),
            (699, 2097, 2)
        );
        let m = s.read_metrics(t(0)).unwrap();
        assert_eq!(m.hidden_articles, 1);
        assert_eq!(m.versions, 2100);
    }
}
