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
    EditCounts, MatchedVersion, Result, SiteChange, SourceMetrics, SourceStats, SourceSummary,
    StoreError, StoreMetrics, Totals, Version,
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
    /// Changes newest first (or most significant first), one walk of the
    /// `changes` table in index order that stops at the page's end.
    pub(super) fn read_changes(&self, q: &ChangeQuery) -> Result<Vec<Change>> {
        self.read(|c| {
            let text = q.text.as_ref().map(super::fts::fts5_match);
            let broad = match &text {
                Some(text) => match_count(c, text)? > BROAD_MATCHES,
                None => false,
            };
            let mut args: Vec<Value> = Vec::new();
            let mut sql = String::new();
            if let Some(text) = &text {
                args.push(Value::Text(text.clone()));
                if broad {
                    sql.push_str(
                        "WITH hits(vid) AS MATERIALIZED
                         (SELECT rowid FROM versions_fts WHERE versions_fts MATCH ?1) ",
                    );
                }
            }
            sql.push_str(
                "SELECT c.id, c.kind, c.article_id, c.number, c.from_number, c.at, t.title,
                        p.title, p.seen_at, c.minor, c.words_added, c.words_removed,
                        a.source, coalesce(s.title, a.source), a.url, a.final_url, a.status,
                        c.labels, coalesce(c.significance, 0), coalesce(c.summary, ''),
                        c.site_change, c.detail
                 FROM changes c
                 JOIN articles a ON a.id = c.article_id
                 LEFT JOIN sources s ON s.name = a.source
                 JOIN versions t ON t.article_id = c.article_id AND t.number = c.number
                 JOIN versions p ON p.article_id = c.article_id AND p.number = c.from_number
                 WHERE a.hidden = 0",
            );
            if !q.include_minor {
                sql.push_str(" AND c.minor = 0");
            }
            match q.site_change {
                Some(group) => {
                    args.push(Value::Integer(group));
                    sql.push_str(&format!(" AND c.site_change = ?{}", args.len()));
                }
                None if !q.include_site_changes => sql.push_str(" AND c.site_change IS NULL"),
                None => {}
            }
            if let Some(min) = q.min_significance {
                args.push(Value::Integer(i64::from(min)));
                sql.push_str(&format!(" AND c.significance >= ?{}", args.len()));
            }
            if !q.labels.is_empty() {
                let tests: Vec<String> = q
                    .labels
                    .iter()
                    .map(|l| {
                        args.push(Value::Text(format!(",{},", l.as_str())));
                        format!("instr(c.labels, ?{}) > 0", args.len())
                    })
                    .collect();
                sql.push_str(&format!(" AND ({})", tests.join(" OR ")));
            }
            source_filters(&q.sources, &q.exclude_sources, &mut sql, &mut args);
            if let Some(article) = q.article {
                args.push(Value::Integer(article));
                sql.push_str(&format!(" AND c.article_id = ?{}", args.len()));
            }
            if !q.keys.is_empty() {
                let marks: Vec<String> = q
                    .keys
                    .iter()
                    .map(|k| {
                        args.push(Value::Integer(*k));
                        format!("?{}", args.len())
                    })
                    .collect();
                sql.push_str(&format!(" AND c.id IN ({})", marks.join(", ")));
            }
            if let Some(since) = q.since {
                args.push(Value::Integer(ms(since)));
                sql.push_str(&format!(" AND c.at >= ?{}", args.len()));
            }
            if let Some(after) = q.after {
                args.push(Value::Integer(after.seen_at_ms));
                args.push(Value::Integer(after.key));
                sql.push_str(&format!(
                    " AND (c.at < ?{a} OR (c.at = ?{a} AND c.id < ?{b}))",
                    a = args.len() - 1,
                    b = args.len()
                ));
            }
            if q.text.is_some() {
                // Few matching versions: they drive the query. Many: walk the
                // changes newest first and keep those of a matching article.
                sql.push_str(if broad {
                    " AND EXISTS (SELECT 1 FROM versions m WHERE m.article_id = a.id
                     AND m.id IN (SELECT vid FROM hits))"
                } else {
                    " AND a.id IN (SELECT m.article_id FROM versions_fts f
                     JOIN versions m ON m.id = f.rowid WHERE versions_fts MATCH ?1)"
                });
            }
            args.push(Value::Integer(limit(q.limit)));
            args.push(Value::Integer(q.offset as i64));
            let order = if q.by_significance {
                "c.significance DESC, c.at DESC, c.id DESC"
            } else {
                "c.at DESC, c.id DESC"
            };
            sql.push_str(&format!(
                " ORDER BY {order} LIMIT ?{} OFFSET ?{}",
                args.len() - 1,
                args.len()
            ));
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt
                .query_map(params_from_iter(args), |r| {
                    let labels: String = r.get(17)?;
                    Ok(Change {
                        key: r.get(0)?,
                        kind: super::named(r, 1, "change kind", ChangeKind::parse)?,
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
                        status: super::named(r, 16, "article status", ArticleStatus::parse)?,
                        labels: super::changes::labels_from_column(&labels),
                        significance: r.get::<_, i64>(18)?.clamp(0, 100) as u8,
                        summary: r.get(19)?,
                        site_change: r.get(20)?,
                        detail: r.get(21)?,
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
            let text = q.text.as_ref().map(super::fts::fts5_match);
            let mut sql = if let Some(text) = &text {
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
                sql.push_str(" AND a.change_count > 0");
            }
            if let Some(since) = q.changed_since {
                args.push(Value::Integer(ms(since)));
                sql.push_str(&format!(
                    " AND a.change_count > 0 AND a.last_changed >= ?{}",
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
            let order = if q.by_first_seen {
                "a.first_seen DESC, a.id DESC"
            } else {
                "coalesce(a.last_changed, a.first_seen) DESC, a.id DESC"
            };
            sql.push_str(&format!(
                " ORDER BY {order} LIMIT ?{} OFFSET ?{}",
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
                "SELECT {VERSION_COLUMNS}, body_zstd, body_len, social_title FROM versions
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
                let social: Option<String> = r.get(16)?;
                let body = decompress_body(&compressed, len).map_err(|e| {
                    StoreError::Invalid(format!("version {number} of article {id}: {e}"))
                })?;
                let text = redline_diff::ArticleText::from_stored(
                    &meta.title,
                    &meta.byline,
                    social.as_deref(),
                    &body,
                );
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
        self.read(changes_generation_in)
    }

    /// Site changes, most recent first, of one source or all.
    pub(super) fn read_site_changes(
        &self,
        source: Option<&str>,
        limit_to: usize,
    ) -> Result<Vec<SiteChange>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT g.id, g.source, coalesce(s.title, g.source), g.first_at, g.last_at,
                        g.articles, g.summary
                 FROM site_changes g LEFT JOIN sources s ON s.name = g.source
                 WHERE ?1 IS NULL OR g.source = ?1
                 ORDER BY g.last_at DESC, g.id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(rusqlite::params![source, limit(limit_to)], |r| {
                Ok(SiteChange {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    source_title: r.get(2)?,
                    first_at: time(r.get(3)?),
                    last_at: time(r.get(4)?),
                    articles: r.get(5)?,
                    summary: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// An outlet's figures over the last 7 and 30 days and all time.
    pub(super) fn read_source_stats(
        &self,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<SourceStats>> {
        self.read(|c| {
            let periods = [
                ("7d", Some(now - chrono::Duration::days(7))),
                ("30d", Some(now - chrono::Duration::days(30))),
                ("all", None),
            ];
            periods
                .into_iter()
                .map(|(period, since)| source_stats(c, source, period, since))
                .collect()
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
                     WHERE l.source = s.name AND l.consecutive_errors > 0),
                    (SELECT count(*) FROM articles a
                     WHERE a.source = s.name AND a.last_error LIKE 'refused: %')
             FROM sources s ORDER BY s.name",
        )?
        .query_map([], |r| {
            Ok(SourceMetrics {
                name: r.get(0)?,
                checks: r.get(1)?,
                errors: r.get(2)?,
                articles: r.get(3)?,
                failing_listings: r.get(4)?,
                refused: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (due, oldest): (u64, Option<i64>) = c
        .prepare_cached(
            "SELECT count(*), min(next_check) FROM articles
             WHERE status IN ('active', 'gone') AND next_check <= ?1",
        )?
        .query_row([ms(now)], |r| Ok((r.get(0)?, r.get(1)?)))?;
    m.due_articles = due;
    m.max_lateness_seconds = oldest.map_or(0.0, |t| ((ms(now) - t).max(0) as f64) / 1000.0);
    Ok(m)
}

/// One period of [`SqliteStore::read_source_stats`]: articles first seen
/// in it, and what happened to them (hidden articles and site changes left
/// out).
fn source_stats(
    c: &Connection,
    source: &str,
    period: &str,
    since: Option<DateTime<Utc>>,
) -> Result<SourceStats> {
    let since = since.map_or(i64::MIN, ms);
    let articles: u64 = c
        .prepare_cached(
            "SELECT count(*) FROM articles
             WHERE source = ?1 AND hidden = 0 AND first_seen >= ?2 AND version_count > 0",
        )?
        .query_row(rusqlite::params![source, since], |r| r.get(0))?;
    // Per changed article: its edits and the time to its first one.
    let per_article: Vec<(u64, i64)> = c
        .prepare_cached(
            "SELECT count(*), min(c.at) - a.first_seen FROM changes c
             JOIN articles a ON a.id = c.article_id
             WHERE a.source = ?1 AND a.hidden = 0 AND a.first_seen >= ?2
               AND c.kind = 'edit' AND c.site_change IS NULL AND c.minor = 0
             GROUP BY c.article_id",
        )?
        .query_map(rusqlite::params![source, since], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (changes, major, stealth, removals): (u64, u64, u64, u64) = c
        .prepare_cached(
            "SELECT count(*) FILTER (WHERE c.kind = 'edit' AND c.minor = 0),
                    count(*) FILTER (WHERE c.kind = 'edit' AND c.minor = 0
                                     AND c.significance >= 60),
                    count(*) FILTER (WHERE c.kind = 'edit' AND c.minor = 0
                                     AND c.significance >= 60
                                     AND instr(c.labels, ',stealth,') > 0),
                    count(*) FILTER (WHERE c.kind IN ('removed', 'redirected'))
             FROM changes c JOIN articles a ON a.id = c.article_id
             WHERE a.source = ?1 AND a.hidden = 0 AND a.first_seen >= ?2
               AND c.site_change IS NULL",
        )?
        .query_row(rusqlite::params![source, since], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    Ok(SourceStats::of(
        period,
        articles,
        per_article,
        EditCounts {
            changes,
            major,
            stealth,
            removals,
        },
    ))
}

/// The changes generation: the highest row ids of `versions` and `changes`
/// summed (every change, and every grouping into a site change, writes a
/// row of `changes`, and new rows get higher ids), plus the offset a
/// rebuild adds when the rows it deleted lowered that sum (see
/// `changes::rebuild`), so that it never goes back to a value it had.
pub(super) fn changes_generation_in(c: &Connection) -> Result<i64> {
    Ok(c.prepare_cached(
        "SELECT coalesce((SELECT max(id) FROM versions), 0)
              + coalesce((SELECT max(id) FROM changes), 0)
              + coalesce((SELECT value FROM store_meta WHERE key = 'generation_offset'), 0)",
    )?
    .query_row([], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::TimeZone;
    use redline_diff::ArticleText;

    use super::*;
    use crate::{
        ArticleCursor, ChangeCursor, CheckOutcome, CheckRecord, NewArticle, NewVersion, SourceSpec,
        prelude::*,
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
                            change: None,
                            restored: false,
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
                        text: text.map(|q| crate::search::parse(q).unwrap().text),
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
        let broad = all(Some("common"));
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
                text: Some(crate::search::parse("rare17 edition1").unwrap().text),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(narrow.len(), 1);
        assert_eq!(narrow[0].matched.as_ref().unwrap().number, 1);
        assert!(
            s.read_articles(&ArticleQuery {
                text: Some(crate::search::parse("rare4").unwrap().text),
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
                        text: text.map(|q| crate::search::parse(q).unwrap().text),
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
        assert_eq!(changes(Some("common"), vec![]), plain);
        assert_eq!(changes(Some("rare17"), vec![]).len(), 1);
        let b = changes(Some("common"), vec!["b".into()]);
        assert!(!b.is_empty() && b.len() < plain.len());
        // What would be a malformed FTS5 expression is a word like any
        // other: it matches nothing, and is no error.
        let none = s
            .read_changes(&ChangeQuery {
                text: Some(crate::search::parse("NEAR( \"a").unwrap().text),
                ..Default::default()
            })
            .unwrap();
        assert!(none.is_empty());
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
