//! The read queries of the web interface on PostgreSQL: latest changes,
//! article lists with full-text search (`versions.search @@` the query's
//! `tsquery`, see `fts`), batches of version texts, totals, metrics and
//! statistics. Hidden articles are left out of every list here.

use chrono::{DateTime, Utc};
use postgres::Transaction;

use super::{
    ARTICLE_COLUMNS, Out, Params, VERSION_COLUMNS, article_from_row, ms, named, refs, time, u32_of,
    u64_of, version_from_row,
};
use crate::{
    ArticleHit, ArticleId, ArticleQuery, ArticleStatus, Change, ChangeKind, ChangeQuery,
    EditCounts, MatchedVersion, SiteChange, SourceMetrics, SourceStats, StoreMetrics, Totals,
    Version,
};

/// Largest page any list query returns.
const MAX_LIMIT: usize = 1000;

fn limit(n: usize) -> i64 {
    if n == 0 { 50 } else { n.min(MAX_LIMIT) as i64 }
}

/// `ARTICLE_COLUMNS` qualified with the alias `a`.
fn a_columns() -> String {
    ARTICLE_COLUMNS
        .split(',')
        .map(|c| format!("a.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Adds `value` as the next parameter; its placeholder.
fn arg(args: &mut Params, value: impl postgres::types::ToSql + Sync + 'static) -> String {
    args.push(Box::new(value));
    format!("${}", args.len())
}

/// Appends "the article (alias `a`) is of one of `sources`, and of none
/// of `exclude`" (empty lists: no condition).
fn source_filters(sources: &[String], exclude: &[String], sql: &mut String, args: &mut Params) {
    if !sources.is_empty() {
        let p = arg(args, sources.to_vec());
        sql.push_str(&format!(" AND a.source = ANY({p})"));
    }
    if !exclude.is_empty() {
        let p = arg(args, exclude.to_vec());
        sql.push_str(&format!(" AND NOT (a.source = ANY({p}))"));
    }
}

/// Changes newest first (or most significant first).
pub(super) fn changes(tx: &mut Transaction<'_>, q: &ChangeQuery) -> Out<Vec<Change>> {
    let mut args: Params = Vec::new();
    let mut sql = String::from(
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
         WHERE NOT a.hidden",
    );
    if !q.include_minor {
        sql.push_str(" AND NOT c.minor");
    }
    match q.site_change {
        Some(group) => {
            let p = arg(&mut args, group);
            sql.push_str(&format!(" AND c.site_change = {p}"));
        }
        None if !q.include_site_changes => sql.push_str(" AND c.site_change IS NULL"),
        None => {}
    }
    if let Some(min) = q.min_significance {
        let p = arg(&mut args, i64::from(min));
        sql.push_str(&format!(" AND c.significance >= {p}"));
    }
    if !q.labels.is_empty() {
        let tests: Vec<String> = q
            .labels
            .iter()
            .map(|l| {
                let p = arg(&mut args, format!(",{},", l.as_str()));
                format!("strpos(c.labels, {p}) > 0")
            })
            .collect();
        sql.push_str(&format!(" AND ({})", tests.join(" OR ")));
    }
    source_filters(&q.sources, &q.exclude_sources, &mut sql, &mut args);
    if let Some(article) = q.article {
        let p = arg(&mut args, article);
        sql.push_str(&format!(" AND c.article_id = {p}"));
    }
    if !q.keys.is_empty() {
        let p = arg(&mut args, q.keys.clone());
        sql.push_str(&format!(" AND c.id = ANY({p})"));
    }
    if let Some(since) = q.since {
        let p = arg(&mut args, ms(since));
        sql.push_str(&format!(" AND c.at >= {p}"));
    }
    if let Some(after) = q.after {
        let at = arg(&mut args, after.seen_at_ms);
        let key = arg(&mut args, after.key);
        sql.push_str(&format!(
            " AND (c.at < {at} OR (c.at = {at} AND c.id < {key}))"
        ));
    }
    if let Some(text) = &q.text {
        let p = arg(&mut args, super::fts::tsquery(text)?);
        sql.push_str(&format!(
            " AND a.id IN (SELECT m.article_id FROM versions m
               WHERE m.search @@ {p}::text::tsquery)"
        ));
    }
    let order = if q.by_significance {
        "c.significance DESC, c.at DESC, c.id DESC"
    } else {
        "c.at DESC, c.id DESC"
    };
    let lim = arg(&mut args, limit(q.limit));
    let off = arg(&mut args, q.offset as i64);
    sql.push_str(&format!(" ORDER BY {order} LIMIT {lim} OFFSET {off}"));
    tx.query(&sql, &refs(&args))?
        .iter()
        .map(|r| {
            let labels: String = r.try_get(17)?;
            Ok(Change {
                key: r.try_get(0)?,
                kind: named(r, 1, "change kind", ChangeKind::parse)?,
                article_id: r.try_get(2)?,
                number: u32_of(r.try_get(3)?),
                from: u32_of(r.try_get(4)?),
                seen_at: time(r.try_get(5)?),
                title: r.try_get(6)?,
                previous_title: r.try_get(7)?,
                previous_seen_at: time(r.try_get(8)?),
                minor: r.try_get(9)?,
                words_added: u32_of(r.try_get(10)?),
                words_removed: u32_of(r.try_get(11)?),
                source: r.try_get(12)?,
                source_title: r.try_get(13)?,
                url: r.try_get(14)?,
                final_url: r.try_get(15)?,
                status: named(r, 16, "article status", ArticleStatus::parse)?,
                labels: super::changes::labels_from_column(&labels),
                significance: r.try_get::<_, i64>(18)?.clamp(0, 100) as u8,
                summary: r.try_get(19)?,
                site_change: r.try_get(20)?,
                detail: r.try_get(21)?,
            })
        })
        .collect()
}

/// Articles, most recently changed first, with the latest version a text
/// search matched.
pub(super) fn articles(tx: &mut Transaction<'_>, q: &ArticleQuery) -> Out<Vec<ArticleHit>> {
    let mut args: Params = Vec::new();
    let cols = a_columns();
    let mut sql = match &q.text {
        Some(text) => {
            let p = arg(&mut args, super::fts::tsquery(text)?);
            format!(
                "WITH m AS (
                     SELECT v.article_id AS aid, max(v.number) AS num FROM versions v
                     WHERE v.search @@ {p}::text::tsquery GROUP BY v.article_id)
                 SELECT {cols}, mv.number, mv.seen_at, mv.title
                 FROM m JOIN articles a ON a.id = m.aid
                 JOIN versions mv ON mv.article_id = m.aid AND mv.number = m.num
                 WHERE NOT a.hidden"
            )
        }
        None => format!(
            "SELECT {cols}, NULL::bigint, NULL::bigint, NULL::text FROM articles a
             WHERE NOT a.hidden"
        ),
    };
    source_filters(&q.sources, &q.exclude_sources, &mut sql, &mut args);
    if let Some(status) = q.status {
        let p = arg(&mut args, status.as_str());
        sql.push_str(&format!(" AND a.status = {p}"));
    }
    if q.changed_only {
        sql.push_str(" AND a.change_count > 0");
    }
    if let Some(since) = q.changed_since {
        let p = arg(&mut args, ms(since));
        sql.push_str(&format!(
            " AND a.change_count > 0 AND a.last_changed >= {p}"
        ));
    }
    if let Some(after) = q.after {
        let s = arg(&mut args, after.sort_ms);
        let i = arg(&mut args, after.id);
        sql.push_str(&format!(
            " AND (coalesce(a.last_changed, a.first_seen) < {s}
              OR (coalesce(a.last_changed, a.first_seen) = {s} AND a.id < {i}))"
        ));
    }
    let order = if q.by_first_seen {
        "a.first_seen DESC, a.id DESC"
    } else {
        "coalesce(a.last_changed, a.first_seen) DESC, a.id DESC"
    };
    let lim = arg(&mut args, limit(q.limit));
    let off = arg(&mut args, q.offset as i64);
    sql.push_str(&format!(" ORDER BY {order} LIMIT {lim} OFFSET {off}"));
    let columns = ARTICLE_COLUMNS.split(',').count();
    tx.query(&sql, &refs(&args))?
        .iter()
        .map(|r| {
            let article = article_from_row(r)?;
            let number: Option<i64> = r.try_get(columns)?;
            let matched = match number {
                Some(number) => Some(MatchedVersion {
                    number: u32_of(number),
                    seen_at: time(r.try_get(columns + 1)?),
                    title: r.try_get(columns + 2)?,
                }),
                None => None,
            };
            Ok(ArticleHit { article, matched })
        })
        .collect()
}

/// Versions with their texts, in the order asked; missing ones are left
/// out.
pub(super) fn version_texts(
    tx: &mut Transaction<'_>,
    keys: &[(ArticleId, u32)],
) -> Out<Vec<Version>> {
    let articles: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let numbers: Vec<i64> = keys.iter().map(|k| i64::from(k.1)).collect();
    let sql = format!(
        "SELECT {cols}, v.body_zstd, v.body_len, v.social_title
         FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS k(aid, num, pos)
         JOIN versions v ON v.article_id = k.aid AND v.number = k.num
         ORDER BY k.pos",
        cols = VERSION_COLUMNS
            .split(',')
            .map(|c| format!("v.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    tx.query(&sql, &[&articles, &numbers])?
        .iter()
        .map(version_from_row)
        .collect()
}

pub(super) fn totals(tx: &mut Transaction<'_>) -> Out<Totals> {
    let r = tx.query_one(
        "SELECT count(*), coalesce(sum(version_count), 0)::bigint,
                (SELECT count(*) FROM sources)
         FROM articles WHERE NOT hidden",
        &[],
    )?;
    Ok(Totals {
        articles: u64_of(r.try_get(0)?),
        versions: u64_of(r.try_get(1)?),
        sources: u64_of(r.try_get(2)?),
    })
}

/// Site changes, most recent first, of one source or all.
pub(super) fn site_changes(
    tx: &mut Transaction<'_>,
    source: Option<&str>,
    limit_to: usize,
) -> Out<Vec<SiteChange>> {
    tx.query(
        "SELECT g.id, g.source, coalesce(s.title, g.source), g.first_at, g.last_at,
                g.articles, g.summary
         FROM site_changes g LEFT JOIN sources s ON s.name = g.source
         WHERE $1::text IS NULL OR g.source = $1
         ORDER BY g.last_at DESC, g.id DESC LIMIT $2",
        &[&source, &limit(limit_to)],
    )?
    .iter()
    .map(|r| {
        Ok(SiteChange {
            id: r.try_get(0)?,
            source: r.try_get(1)?,
            source_title: r.try_get(2)?,
            first_at: time(r.try_get(3)?),
            last_at: time(r.try_get(4)?),
            articles: u64_of(r.try_get(5)?),
            summary: r.try_get(6)?,
        })
    })
    .collect()
}

pub(super) fn metrics(tx: &mut Transaction<'_>, now: DateTime<Utc>) -> Out<StoreMetrics> {
    let mut m = StoreMetrics::default();
    let mut rows: Vec<(String, u64, u64, u64)> = Vec::new();
    for r in tx.query(
        "SELECT status, count(*), count(*) FILTER (WHERE hidden),
                coalesce(sum(version_count), 0)::bigint
         FROM articles GROUP BY status",
        &[],
    )? {
        rows.push((
            r.try_get(0)?,
            u64_of(r.try_get(1)?),
            u64_of(r.try_get(2)?),
            u64_of(r.try_get(3)?),
        ));
    }
    for status in ArticleStatus::ALL {
        let row = rows.iter().find(|r| r.0 == status.as_str());
        m.articles_by_status.push((status, row.map_or(0, |r| r.1)));
    }
    m.hidden_articles = rows.iter().map(|r| r.2).sum();
    m.versions = rows.iter().map(|r| r.3).sum();
    for r in tx.query(
        "SELECT s.name, s.checks, s.errors,
                (SELECT count(*) FROM articles a WHERE a.source = s.name),
                (SELECT count(*) FROM listings l
                 WHERE l.source = s.name AND l.consecutive_errors > 0),
                (SELECT count(*) FROM articles a
                 WHERE a.source = s.name AND a.last_error LIKE 'refused: %')
         FROM sources s ORDER BY s.name",
        &[],
    )? {
        m.sources.push(SourceMetrics {
            name: r.try_get(0)?,
            checks: u64_of(r.try_get(1)?),
            errors: u64_of(r.try_get(2)?),
            articles: u64_of(r.try_get(3)?),
            failing_listings: u64_of(r.try_get(4)?),
            refused: u64_of(r.try_get(5)?),
        });
    }
    let r = tx.query_one(
        "SELECT count(*), min(next_check) FROM articles
         WHERE status IN ('active', 'gone') AND next_check <= $1",
        &[&ms(now)],
    )?;
    m.due_articles = u64_of(r.try_get(0)?);
    let oldest: Option<i64> = r.try_get(1)?;
    m.max_lateness_seconds = oldest.map_or(0.0, |t| ((ms(now) - t).max(0) as f64) / 1000.0);
    Ok(m)
}

/// An outlet's figures over the last 7 and 30 days and all time.
pub(super) fn source_stats(
    tx: &mut Transaction<'_>,
    source: &str,
    now: DateTime<Utc>,
) -> Out<Vec<SourceStats>> {
    [
        ("7d", Some(now - chrono::Duration::days(7))),
        ("30d", Some(now - chrono::Duration::days(30))),
        ("all", None),
    ]
    .into_iter()
    .map(|(period, since)| period_stats(tx, source, period, since))
    .collect()
}

/// One period of [`source_stats`]: articles first seen in it, and what
/// happened to them (hidden articles and site changes left out).
fn period_stats(
    tx: &mut Transaction<'_>,
    source: &str,
    period: &str,
    since: Option<DateTime<Utc>>,
) -> Out<SourceStats> {
    let since = since.map_or(i64::MIN, ms);
    let articles = u64_of(
        tx.query_one(
            "SELECT count(*) FROM articles
             WHERE source = $1 AND NOT hidden AND first_seen >= $2 AND version_count > 0",
            &[&source, &since],
        )?
        .try_get(0)?,
    );
    // Per changed article: its edits and the time to its first one.
    let mut per_article: Vec<(u64, i64)> = Vec::new();
    for r in tx.query(
        "SELECT count(*), min(c.at) - a.first_seen FROM changes c
         JOIN articles a ON a.id = c.article_id
         WHERE a.source = $1 AND NOT a.hidden AND a.first_seen >= $2
           AND c.kind = 'edit' AND c.site_change IS NULL AND NOT c.minor
         GROUP BY c.article_id, a.first_seen",
        &[&source, &since],
    )? {
        per_article.push((u64_of(r.try_get(0)?), r.try_get(1)?));
    }
    let r = tx.query_one(
        "SELECT count(*) FILTER (WHERE c.kind = 'edit' AND NOT c.minor),
                count(*) FILTER (WHERE c.kind = 'edit' AND NOT c.minor
                                 AND c.significance >= 60),
                count(*) FILTER (WHERE c.kind = 'edit' AND NOT c.minor
                                 AND c.significance >= 60
                                 AND strpos(c.labels, ',stealth,') > 0),
                count(*) FILTER (WHERE c.kind IN ('removed', 'redirected'))
         FROM changes c JOIN articles a ON a.id = c.article_id
         WHERE a.source = $1 AND NOT a.hidden AND a.first_seen >= $2
           AND c.site_change IS NULL",
        &[&source, &since],
    )?;
    let (changes, major, stealth, removals) = (
        u64_of(r.try_get(0)?),
        u64_of(r.try_get(1)?),
        u64_of(r.try_get(2)?),
        u64_of(r.try_get(3)?),
    );
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
