//! Writing changes: one row of `changes` per change with what redline
//! says about it, the grouping of one change made to many articles of a
//! source into a site change, and the assessment of the changes copied from
//! an older schema.
//!
//! A site change: at least [`SITE_CHANGE_MIN_ARTICLES`] articles of one
//! source changed with the same signature (the same paragraph added or
//! removed, the same byline re-cased) within [`SITE_CHANGE_WINDOW_MS`] of
//! each other. From the change that reaches the threshold on, all of them
//! (the earlier ones too) belong to the site change, and later ones with the
//! same signature join it while it stays active (its last change within the
//! window). The first few are listed as edits until the threshold is
//! reached: redline cannot know earlier that a change is template-wide.

use chrono::{DateTime, Utc};
use redline_classify::{Context, Label};
use redline_diff::ArticleText;
use rusqlite::{Connection, OptionalExtension, params};

use super::{decompress_body, ms};
use crate::{ArticleId, ChangeInfo, ChangeKind, Result, StoreError};

/// Articles of one source changed the same way that make a site change.
pub const SITE_CHANGE_MIN_ARTICLES: u64 = 5;
/// How close in time the changes of one site change are: 6 hours.
pub const SITE_CHANGE_WINDOW_MS: i64 = 6 * 3600 * 1000;

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
pub(super) fn insert_change(tx: &Connection, c: &NewChange<'_>) -> Result<i64> {
    let signature = c.info.signature.filter(|_| c.kind == ChangeKind::Edit);
    tx.prepare_cached(
        "INSERT INTO changes (article_id, at, kind, number, from_number, minor, words_added,
                              words_removed, labels, significance, summary, signature, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        c.article,
        ms(c.at),
        c.kind.as_str(),
        c.number,
        c.from,
        c.minor,
        c.words.0,
        c.words.1,
        labels_column(&c.info.labels),
        c.info.significance,
        c.info.summary,
        signature,
        c.detail,
    ])?;
    let id = tx.last_insert_rowid();
    // Every kind of change is the article's last change (a removal too).
    tx.prepare_cached(
        "UPDATE articles SET change_count = change_count + 1,
             last_changed = max(coalesce(last_changed, ?2), ?2)
         WHERE id = ?1",
    )?
    .execute(params![c.article, ms(c.at)])?;
    if c.outbox {
        tx.prepare_cached("INSERT INTO change_outbox (change_id) VALUES (?1)")?
            .execute([id])?;
    }
    if let Some(signature) = signature {
        group_site_change(tx, id, c.article, signature, ms(c.at), &c.info.summary)?;
    }
    Ok(id)
}

fn group_site_change(
    tx: &Connection,
    change: i64,
    article: ArticleId,
    signature: i64,
    at: i64,
    summary: &str,
) -> Result<()> {
    let source: String = tx
        .prepare_cached("SELECT source FROM articles WHERE id = ?1")?
        .query_row([article], |r| r.get(0))?;
    let since = at.saturating_sub(SITE_CHANGE_WINDOW_MS);
    let open: Option<i64> = tx
        .prepare_cached(
            "SELECT id FROM site_changes WHERE source = ?1 AND signature = ?2 AND last_at >= ?3
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(params![source, signature, since], |r| r.get(0))
        .optional()?;
    if let Some(group) = open {
        tx.prepare_cached("UPDATE changes SET site_change = ?2 WHERE id = ?1")?
            .execute(params![change, group])?;
        tx.prepare_cached(
            "UPDATE site_changes SET last_at = max(last_at, ?2),
                 articles = (SELECT count(DISTINCT article_id) FROM changes WHERE site_change = ?1)
             WHERE id = ?1",
        )?
        .execute(params![group, at])?;
        return Ok(());
    }
    let (articles, first_at): (u64, Option<i64>) = tx
        .prepare_cached(
            "SELECT count(DISTINCT c.article_id), min(c.at) FROM changes c
             JOIN articles a ON a.id = c.article_id
             WHERE c.signature = ?1 AND c.at >= ?2 AND c.site_change IS NULL AND a.source = ?3",
        )?
        .query_row(params![signature, since, source], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    if articles < SITE_CHANGE_MIN_ARTICLES {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO site_changes (source, signature, first_at, last_at, articles, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        source,
        signature,
        first_at.unwrap_or(at),
        at,
        articles,
        summary
    ])?;
    let group = tx.last_insert_rowid();
    tx.prepare_cached(
        "UPDATE changes SET site_change = ?1
         WHERE signature = ?2 AND at >= ?3 AND site_change IS NULL
           AND article_id IN (SELECT id FROM articles WHERE source = ?4)",
    )?
    .execute(params![group, signature, since, source])?;
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
    tx: &rusqlite::Transaction<'_>,
    article: ArticleId,
    expected: u32,
    rebuilt: &[crate::RebuiltVersion],
    detail: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let (count, live): (u32, Option<u32>) = tx
        .prepare_cached("SELECT version_count, live_version FROM articles WHERE id = ?1")?
        .query_row([article], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(StoreError::NoSuchArticle(article))?;
    if count != expected {
        return Err(StoreError::Conflict { article });
    }
    let generation_before = super::read::changes_generation_in(tx)?;
    // Old number → new number; every old version must be accounted for.
    let mut map = std::collections::HashMap::new();
    for (n, v) in rebuilt.iter().enumerate() {
        for &old in &v.replaces {
            map.insert(old, n as u32);
        }
    }
    if let Some(missing) = (0..count).find(|n| !map.contains_key(n)) {
        return Err(StoreError::Invalid(format!(
            "rebuilding article {article}: version {missing} is replaced by none"
        )));
    }
    // The full-text index is contentless: deleting an entry takes the
    // values it indexed.
    let old: Vec<(i64, String, Vec<u8>, i64)> = tx
        .prepare_cached(
            "SELECT id, title, body_zstd, body_len FROM versions WHERE article_id = ?1",
        )?
        .query_map([article], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (rowid, title, compressed, len) in &old {
        let body = decompress_body(compressed, *len)?;
        tx.prepare_cached(
            "INSERT INTO versions_fts (versions_fts, rowid, title, body)
             VALUES ('delete', ?1, ?2, ?3)",
        )?
        .execute(params![rowid, title, body])?;
    }
    let kept: Vec<KeptChange> = tx
        .prepare_cached(
            "SELECT at, kind, number, from_number, minor, labels, coalesce(significance, 0),
                    coalesce(summary, ''), detail
             FROM changes WHERE article_id = ?1 AND kind != 'edit' ORDER BY at, id",
        )?
        .query_map([article], |r| {
            Ok(KeptChange {
                at: r.get(0)?,
                kind: super::named(r, 1, "change kind", ChangeKind::parse)?,
                number: r.get(2)?,
                from: r.get(3)?,
                minor: r.get(4)?,
                info: ChangeInfo {
                    labels: labels_from_column(&r.get::<_, String>(5)?),
                    significance: r.get::<_, i64>(6)?.clamp(0, 100) as u8,
                    summary: r.get(7)?,
                    signature: None,
                },
                detail: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let groups: Vec<i64> = tx
        .prepare_cached(
            "SELECT DISTINCT site_change FROM changes
             WHERE article_id = ?1 AND site_change IS NOT NULL",
        )?
        .query_map([article], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // The alerts forget the changes rebuilt (SQLite may give their ids
    // to new changes, which must not look delivered).
    for table in ["change_outbox", "deliveries"] {
        tx.prepare_cached(&format!(
            "DELETE FROM {table}
             WHERE change_id IN (SELECT id FROM changes WHERE article_id = ?1)"
        ))?
        .execute([article])?;
    }
    tx.prepare_cached("DELETE FROM changes WHERE article_id = ?1")?
        .execute([article])?;
    tx.prepare_cached("DELETE FROM versions WHERE article_id = ?1")?
        .execute([article])?;
    tx.prepare_cached("UPDATE articles SET change_count = 0, last_changed = NULL WHERE id = ?1")?
        .execute([article])?;
    for (n, v) in rebuilt.iter().enumerate() {
        super::write_version(
            tx,
            article,
            n as u32,
            v.seen_at,
            &super::VersionFields {
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
        let (number, from) = (map[&k.number], map[&k.from]);
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
        tx.prepare_cached(
            "UPDATE site_changes SET articles =
                 (SELECT count(DISTINCT article_id) FROM changes WHERE site_change = ?1)
             WHERE id = ?1",
        )?
        .execute([group])?;
    }
    let last = rebuilt.len() as u32 - 1;
    let live = live.and_then(|l| map.get(&l).copied()).unwrap_or(last);
    let shown = &rebuilt[live as usize].text;
    tx.prepare_cached(
        "UPDATE articles SET version_count = ?2, live_version = ?3, live_hash = ?4,
             live_fingerprint = ?5, title = ?6
         WHERE id = ?1",
    )?
    .execute(params![
        article,
        rebuilt.len() as u32,
        live,
        shown.hash().0.as_slice(),
        shown.fingerprint().0.as_slice(),
        shown.title,
    ])?;
    tx.prepare_cached(
        "INSERT INTO events (article_id, at, kind, detail) VALUES (?1, ?2, 'rebuilt', ?3)",
    )?
    .execute(params![article, ms(now), detail])?;
    // The rows deleted above free their ids, which SQLite hands out again:
    // the sum of the highest ids may now be lower than before, and later
    // reach a value a cache has already seen. The offset keeps the
    // generation above every value it had.
    let after = super::read::changes_generation_in(tx)?;
    if after <= generation_before {
        tx.prepare_cached(
            "UPDATE store_meta SET value = value + ?1 WHERE key = 'generation_offset'",
        )?
        .execute([generation_before + 1 - after])?;
    }
    Ok(())
}

/// One version's text, read inside a transaction.
fn text_of(tx: &Connection, article: ArticleId, number: u32) -> Result<ArticleText> {
    type Row = (String, String, Option<String>, Vec<u8>, i64);
    let (title, byline, social, compressed, len): Row = tx
        .prepare_cached(
            "SELECT title, byline, social_title, body_zstd, body_len FROM versions
             WHERE article_id = ?1 AND number = ?2",
        )?
        .query_row(params![article, number], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?
        .ok_or_else(|| StoreError::Invalid(format!("article {article} has no version {number}")))?;
    let body = decompress_body(&compressed, len)?;
    Ok(ArticleText::from_stored(
        &title,
        &byline,
        social.as_deref(),
        &body,
    ))
}

/// Assesses the changes that have none yet (those copied from an older
/// schema): labels, significance and summary from their texts. Removals
/// are assessed from their HTTP status.
pub(super) fn assess_unassessed(tx: &Connection) -> Result<usize> {
    let pending: Vec<(i64, ArticleId, String, u32, u32, Option<String>)> = tx
        .prepare(
            "SELECT id, article_id, kind, number, from_number, detail FROM changes
             WHERE significance IS NULL ORDER BY id",
        )?
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, article, kind, number, from, detail) in &pending {
        let assessment = match ChangeKind::parse(kind) {
            Some(ChangeKind::Removed) => {
                let status = detail
                    .as_deref()
                    .and_then(|d| d.rsplit(' ').next())
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(404);
                redline_classify::events::removed(status)
            }
            _ => {
                let old = text_of(tx, *article, *from)?;
                let new = text_of(tx, *article, *number)?;
                redline_classify::assess(&old, &new, Context::default())
            }
        };
        let info = ChangeInfo::from_assessment(&assessment);
        let signature = info.signature.filter(|_| kind == "edit");
        tx.prepare_cached(
            "UPDATE changes SET labels = ?2, significance = ?3, summary = ?4, signature = ?5
             WHERE id = ?1",
        )?
        .execute(params![
            id,
            labels_column(&info.labels),
            info.significance,
            info.summary,
            signature
        ])?;
    }
    Ok(pending.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_through_their_column() {
        let labels = [Label::Headline, Label::Number, Label::Stealth];
        assert_eq!(labels_column(&labels), ",headline,number,stealth,");
        assert_eq!(labels_from_column(",headline,number,stealth,"), labels);
        assert_eq!(labels_column(&[]), ",");
        assert!(labels_from_column(",").is_empty());
        assert_eq!(labels_from_column(",future,quote,"), [Label::Quote]);
    }
}
