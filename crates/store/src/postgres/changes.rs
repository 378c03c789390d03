//! Writing changes on PostgreSQL: one row of `changes` per change, the
//! grouping of one change made to many articles of a source into a site
//! change (the rule is the SQLite backend's, see
//! [`crate::SITE_CHANGE_MIN_ARTICLES`]), and the rebuild of an article's
//! versions. The grouping of one source and signature holds an advisory
//! lock, so two crawlers writing the same template change at once make
//! one site change, not two.

use chrono::{DateTime, Utc};
use postgres::Transaction;
use redline_classify::Label;

use super::{Fail, Out, VersionFields, bump_generation, ms, named, u32_of, write_version};
use crate::{
    ArticleId, ChangeInfo, ChangeKind, SITE_CHANGE_MIN_ARTICLES, SITE_CHANGE_WINDOW_MS, StoreError,
};

/// Labels as stored: each wrapped in commas (",headline,number,").
pub(super) fn labels_column(labels: &[Label]) -> String {
    let mut out = String::from(",");
    for l in labels {
        out.push_str(l.as_str());
        out.push(',');
    }
    out
}

/// Labels read back; unknown names (from a newer redline) are skipped.
pub(super) fn labels_from_column(s: &str) -> Vec<Label> {
    s.split(',').filter_map(Label::parse).collect()
}

/// A change to write.
pub(super) struct NewChange<'a> {
    pub article: ArticleId,
    pub at: DateTime<Utc>,
    pub kind: ChangeKind,
    pub number: u32,
    pub from: u32,
    pub minor: bool,
    pub words: (u32, u32),
    pub info: &'a ChangeInfo,
    pub detail: Option<&'a str>,
    /// Queued for the alerts (`change_outbox`): true for a change a check
    /// found, false for one rebuilt from history.
    pub outbox: bool,
}

/// Writes a change and groups it into a site change when it is one.
pub(super) fn insert_change(tx: &mut Transaction<'_>, c: &NewChange<'_>) -> Out<i64> {
    let signature = c.info.signature.filter(|_| c.kind == ChangeKind::Edit);
    let id: i64 = tx
        .query_one(
            "INSERT INTO changes (article_id, at, kind, number, from_number, minor, words_added,
                 words_removed, labels, significance, summary, signature, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            &[
                &c.article,
                &ms(c.at),
                &c.kind.as_str(),
                &i64::from(c.number),
                &i64::from(c.from),
                &c.minor,
                &i64::from(c.words.0),
                &i64::from(c.words.1),
                &labels_column(&c.info.labels),
                &i64::from(c.info.significance),
                &c.info.summary,
                &signature,
                &c.detail,
            ],
        )?
        .try_get(0)?;
    bump_generation(tx)?;
    // Every kind of change is the article's last change (a removal too).
    tx.execute(
        "UPDATE articles SET change_count = change_count + 1,
             last_changed = greatest(coalesce(last_changed, $2), $2)
         WHERE id = $1",
        &[&c.article, &ms(c.at)],
    )?;
    if c.outbox {
        tx.execute("INSERT INTO change_outbox (change_id) VALUES ($1)", &[&id])?;
    }
    if let Some(signature) = signature {
        group_site_change(tx, id, c.article, signature, ms(c.at), &c.info.summary)?;
    }
    Ok(id)
}

fn group_site_change(
    tx: &mut Transaction<'_>,
    change: i64,
    article: ArticleId,
    signature: i64,
    at: i64,
    summary: &str,
) -> Out<()> {
    let source: String = tx
        .query_one("SELECT source FROM articles WHERE id = $1", &[&article])?
        .try_get(0)?;
    // One grouping of this source and signature at a time.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, $2))",
        &[&source, &signature],
    )?;
    let since = at.saturating_sub(SITE_CHANGE_WINDOW_MS);
    let open = tx.query_opt(
        "SELECT id FROM site_changes WHERE source = $1 AND signature = $2 AND last_at >= $3
         ORDER BY id DESC LIMIT 1",
        &[&source, &signature, &since],
    )?;
    if let Some(open) = open {
        let group: i64 = open.try_get(0)?;
        tx.execute(
            "UPDATE changes SET site_change = $2 WHERE id = $1",
            &[&change, &group],
        )?;
        tx.execute(
            "UPDATE site_changes SET last_at = greatest(last_at, $2),
                 articles = (SELECT count(DISTINCT article_id) FROM changes WHERE site_change = $1)
             WHERE id = $1",
            &[&group, &at],
        )?;
        return Ok(());
    }
    let found = tx.query_one(
        "SELECT count(DISTINCT c.article_id), min(c.at) FROM changes c
         JOIN articles a ON a.id = c.article_id
         WHERE c.signature = $1 AND c.at >= $2 AND c.site_change IS NULL AND a.source = $3",
        &[&signature, &since, &source],
    )?;
    let articles: i64 = found.try_get(0)?;
    let first_at: Option<i64> = found.try_get(1)?;
    if (articles.max(0) as u64) < SITE_CHANGE_MIN_ARTICLES {
        return Ok(());
    }
    let group: i64 = tx
        .query_one(
            "INSERT INTO site_changes (source, signature, first_at, last_at, articles, summary)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &source,
                &signature,
                &first_at.unwrap_or(at),
                &at,
                &articles,
                &summary,
            ],
        )?
        .try_get(0)?;
    tx.execute(
        "UPDATE changes SET site_change = $1
         WHERE signature = $2 AND at >= $3 AND site_change IS NULL
           AND article_id IN (SELECT id FROM articles WHERE source = $4)",
        &[&group, &signature, &since, &source],
    )?;
    tracing::info!(
        source = %source,
        articles,
        "{articles} articles of {source} changed the same way: grouped as a site change"
    );
    Ok(())
}

/// A change kept through a rebuild (not an edit), as stored.
struct KeptChange {
    at: i64,
    kind: ChangeKind,
    number: u32,
    from: u32,
    minor: bool,
    info: ChangeInfo,
    detail: Option<String>,
}

/// [`crate::Recorder::rebuild_versions`] inside its transaction.
pub(super) fn rebuild(
    tx: &mut Transaction<'_>,
    article: ArticleId,
    expected: u32,
    rebuilt: &[crate::RebuiltVersion],
    detail: &str,
    now: DateTime<Utc>,
) -> Out<()> {
    let row = tx
        .query_opt(
            "SELECT version_count, live_version FROM articles WHERE id = $1 FOR UPDATE",
            &[&article],
        )?
        .ok_or(Fail::Store(StoreError::NoSuchArticle(article)))?;
    let count = u32_of(row.try_get(0)?);
    let live = row.try_get::<_, Option<i64>>(1)?.map(u32_of);
    if count != expected {
        return Err(Fail::Store(StoreError::Conflict { article }));
    }
    if rebuilt.is_empty() {
        return Err(Fail::Store(StoreError::Invalid(format!(
            "rebuilding article {article}: no versions given"
        ))));
    }
    // Old number → new number; every old version must be accounted for.
    let mut map = std::collections::HashMap::new();
    for (n, v) in rebuilt.iter().enumerate() {
        for &old in &v.replaces {
            map.insert(old, n as u32);
        }
    }
    if let Some(missing) = (0..count).find(|n| !map.contains_key(n)) {
        return Err(Fail::Store(StoreError::Invalid(format!(
            "rebuilding article {article}: version {missing} is replaced by none"
        ))));
    }
    let mut kept = Vec::new();
    for r in tx.query(
        "SELECT at, kind, number, from_number, minor, labels, coalesce(significance, 0),
                coalesce(summary, ''), detail
         FROM changes WHERE article_id = $1 AND kind != 'edit' ORDER BY at, id",
        &[&article],
    )? {
        kept.push(KeptChange {
            at: r.try_get(0)?,
            kind: named(&r, 1, "change kind", ChangeKind::parse)?,
            number: u32_of(r.try_get(2)?),
            from: u32_of(r.try_get(3)?),
            minor: r.try_get(4)?,
            info: ChangeInfo {
                labels: labels_from_column(&r.try_get::<_, String>(5)?),
                significance: r.try_get::<_, i64>(6)?.clamp(0, 100) as u8,
                summary: r.try_get(7)?,
                signature: None,
            },
            detail: r.try_get(8)?,
        });
    }
    let groups: Vec<i64> = tx
        .query(
            "SELECT DISTINCT site_change FROM changes
             WHERE article_id = $1 AND site_change IS NOT NULL",
            &[&article],
        )?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    // The alerts forget the changes rebuilt, as in SQLite.
    for table in ["change_outbox", "deliveries"] {
        tx.execute(
            &format!(
                "DELETE FROM {table}
                 WHERE change_id IN (SELECT id FROM changes WHERE article_id = $1)"
            ),
            &[&article],
        )?;
    }
    tx.execute("DELETE FROM changes WHERE article_id = $1", &[&article])?;
    tx.execute("DELETE FROM versions WHERE article_id = $1", &[&article])?;
    tx.execute(
        "UPDATE articles SET change_count = 0, last_changed = NULL WHERE id = $1",
        &[&article],
    )?;
    for (n, v) in rebuilt.iter().enumerate() {
        write_version(
            tx,
            article,
            n as u32,
            v.seen_at,
            &VersionFields {
                text: &v.text,
                published: v.published,
                minor: v.minor,
                words: (v.words_added, v.words_removed),
                capture: v.capture.as_ref(),
            },
        )?;
        if n > 0 {
            let unassessed = ChangeInfo::default();
            insert_change(
                tx,
                &NewChange {
                    article,
                    at: v.seen_at,
                    kind: ChangeKind::Edit,
                    number: n as u32,
                    from: n as u32 - 1,
                    minor: v.minor,
                    words: (v.words_added, v.words_removed),
                    info: v.change.as_ref().unwrap_or(&unassessed),
                    detail: None,
                    outbox: false,
                },
            )?;
        }
    }
    for k in kept {
        let (Some(&number), Some(&from)) = (map.get(&k.number), map.get(&k.from)) else {
            continue;
        };
        // A revert between versions that became one is no change.
        if k.kind == ChangeKind::Revert && number == from {
            continue;
        }
        insert_change(
            tx,
            &NewChange {
                article,
                at: super::time(k.at),
                kind: k.kind,
                number,
                from,
                minor: k.minor,
                words: (0, 0),
                info: &k.info,
                detail: k.detail.as_deref(),
                outbox: false,
            },
        )?;
    }
    for group in groups {
        tx.execute(
            "UPDATE site_changes SET articles =
                 (SELECT count(DISTINCT article_id) FROM changes WHERE site_change = $1)
             WHERE id = $1",
            &[&group],
        )?;
    }
    let last = rebuilt.len() as u32 - 1;
    let live = live.and_then(|l| map.get(&l).copied()).unwrap_or(last);
    let shown = &rebuilt[live as usize].text;
    tx.execute(
        "UPDATE articles SET version_count = $2, live_version = $3, live_hash = $4,
             live_fingerprint = $5, title = $6
         WHERE id = $1",
        &[
            &article,
            &(rebuilt.len() as i64),
            &i64::from(live),
            &shown.hash().0.as_slice(),
            &shown.fingerprint().0.as_slice(),
            &shown.title,
        ],
    )?;
    tx.execute(
        "INSERT INTO events (article_id, at, kind, detail) VALUES ($1, $2, 'rebuilt', $3)",
        &[&article, &ms(now), &detail],
    )?;
    Ok(())
}
