//! The SQLite backend: one file in WAL mode, one writer connection behind a
//! mutex and a small pool of read-only connections, so pages and the CLI
//! read while the crawler writes.

mod changes;
mod copy;
pub(crate) mod fts;
mod outbox;
mod read;
mod schema;

pub use changes::{SITE_CHANGE_MIN_ARTICLES, SITE_CHANGE_WINDOW_MS};

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use redline_diff::{ArticleText, KnownVersion, TextHash};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};

use crate::{
    Article, ArticleFilter, ArticleId, ArticleStatus, CaptureRef, ChangeInfo, ChangeKind,
    CheckOutcome, CheckRecord, DueArticle, Event, EventKind, Listing, ListingKind, ListingPoll,
    NewArticle, Result, SourceSpec, SourceSummary, StoreError, Version, VersionMeta, prelude::*,
};

/// Version texts larger than this are refused when read back: a guard
/// against a damaged length field, far above any article.
const MAX_BODY_LEN: usize = 64 << 20;
/// zstd level for version texts: fast, and near-duplicate news prose
/// compresses about 3:1 at any level.
const ZSTD_LEVEL: i32 = 3;
const READ_POOL_SIZE: usize = 8;

pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

fn opt_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(time)
}

/// A text column read as one of the store's names (a status, a kind); a
/// value this redline does not know is a damaged or newer database, an
/// error naming the column, never silently a default.
fn named<T>(
    r: &Row<'_>,
    index: usize,
    what: &'static str,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let raw: String = r.get(index)?;
    parse(&raw).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unknown {what} {raw:?} in the database (written by a newer redline?)").into(),
        )
    })
}

fn hash_from(bytes: Option<Vec<u8>>) -> Option<TextHash> {
    bytes.as_deref().and_then(TextHash::from_slice)
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let open_error = |e: rusqlite::Error| StoreError::Open {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                reason: format!("cannot create its directory: {e}"),
            })?;
        }
        let mut writer = Connection::open(path).map_err(open_error)?;
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 10000;",
            )
            .map_err(open_error)?;
        migrate(&mut writer, path)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` on a read-only connection from the pool.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let pooled = self.readers.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.execute_batch("PRAGMA busy_timeout = 10000;")?;
                conn
            }
        };
        let result = f(&conn);
        let mut pool = self.readers.lock().unwrap_or_else(|e| e.into_inner());
        if pool.len() < READ_POOL_SIZE {
            pool.push(conn);
        }
        result
    }

    /// Runs `f` in one immediate (write-locking) transaction.
    fn write<T>(&self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// Makes SQLite refuse every write (`PRAGMA query_only`), as a read-only
    /// database file does, or accept them again. For tests of how the
    /// crawler copes, and for an operator freezing a database.
    pub fn set_read_only(&self, read_only: bool) -> Result<()> {
        let conn = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        conn.pragma_update(None, "query_only", read_only)?;
        Ok(())
    }

    /// Runs SQLite's own consistency check; "ok" when sound.
    pub fn integrity_check(&self) -> Result<String> {
        self.read(|c| {
            let rows: Vec<String> = c
                .prepare("PRAGMA integrity_check")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows.join("\n"))
        })
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let applied: usize = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if applied > schema::MIGRATIONS.len() {
        return Err(StoreError::NewerSchema {
            database: path.display().to_string(),
            found: i64::try_from(applied).unwrap_or(i64::MAX),
            known: schema::MIGRATIONS.len(),
        });
    }
    for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        if i + 1 == schema::FTS_MIGRATION {
            reindex_versions(&tx)?;
        }
        // Changes copied from an older schema are assessed with the last
        // migration, once the versions have every column the assessment
        // reads (it reads texts as this redline stores them).
        if i + 1 == schema::MIGRATIONS.len() {
            let assessed = changes::assess_unassessed(&tx)?;
            if assessed > 0 {
                tracing::info!(changes = assessed, "earlier changes assessed");
            }
        }
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
        tracing::info!(migration = i + 1, "database schema migrated");
    }
    Ok(())
}

/// Fills the full-text index from the stored versions (for databases that
/// had versions before the index existed).
fn reindex_versions(conn: &Connection) -> Result<()> {
    let mut read = conn.prepare("SELECT id, title, body_zstd, body_len FROM versions")?;
    let rows = read.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (rowid, title, compressed, len) = row?;
        let body = decompress_body(&compressed, len)?;
        index_version(conn, rowid, &title, &body)?;
    }
    Ok(())
}

/// Decompresses a stored version text, refusing absurd lengths.
fn decompress_body(compressed: &[u8], len: i64) -> Result<String> {
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len > MAX_BODY_LEN {
        return Err(StoreError::Invalid(format!(
            "a version claims {len} bytes of text"
        )));
    }
    let body = zstd::bulk::decompress(compressed, len)
        .map_err(|e| StoreError::Invalid(format!("a version text does not decompress: {e}")))?;
    String::from_utf8(body).map_err(|e| StoreError::Invalid(format!("a version text: {e}")))
}

/// Every source with its counts; hidden articles counted only when
/// `include_hidden`.
fn source_summaries(c: &Connection, include_hidden: bool) -> Result<Vec<SourceSummary>> {
    let sql = "
        SELECT s.name, s.title, s.checks, s.errors,
               count(a.id),
               count(a.id) FILTER (WHERE a.status = 'active'),
               count(a.id) FILTER (WHERE a.status = 'retired'),
               count(a.id) FILTER (WHERE a.status = 'gone'),
               coalesce(sum(a.version_count), 0),
               count(a.id) FILTER (WHERE a.change_count > 0),
               max(a.last_changed) FILTER (WHERE a.change_count > 0),
               min(a.first_seen),
               max(a.last_checked),
               min(a.next_check) FILTER (WHERE a.status = 'active'),
               count(a.id) FILTER (WHERE a.last_error LIKE 'refused: %')
        FROM sources s
        LEFT JOIN articles a ON a.source = s.name AND (?1 OR a.hidden = 0)
        GROUP BY s.name ORDER BY s.name";
    Ok(c.prepare_cached(sql)?
        .query_map([include_hidden], |r| {
            Ok(SourceSummary {
                name: r.get(0)?,
                title: r.get(1)?,
                checks: r.get(2)?,
                errors: r.get(3)?,
                articles: r.get(4)?,
                active: r.get(5)?,
                retired: r.get(6)?,
                gone: r.get(7)?,
                versions: r.get(8)?,
                changed_articles: r.get(9)?,
                last_change: opt_time(r.get(10)?),
                first_seen: opt_time(r.get(11)?),
                last_check: opt_time(r.get(12)?),
                next_check: opt_time(r.get(13)?),
                refused: r.get(14)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

const ARTICLE_COLUMNS: &str = "id, source, url, final_url, status, merged_into, hidden, \
    first_seen, published, title, version_count, live_version, last_changed, last_checked, \
    next_check, check_interval, checks, consecutive_errors, last_error, etag, last_modified, \
    change_count";

fn article_from_row(r: &Row<'_>) -> rusqlite::Result<Article> {
    let status = named(r, 4, "article status", ArticleStatus::parse)?;
    Ok(Article {
        id: r.get(0)?,
        source: r.get(1)?,
        url: r.get(2)?,
        final_url: r.get(3)?,
        status,
        merged_into: r.get(5)?,
        hidden: r.get(6)?,
        first_seen: time(r.get(7)?),
        published: opt_time(r.get(8)?),
        title: r.get(9)?,
        version_count: r.get(10)?,
        live_version: r.get(11)?,
        last_changed: opt_time(r.get(12)?),
        last_checked: opt_time(r.get(13)?),
        next_check: opt_time(r.get(14)?),
        check_interval: Duration::from_secs(r.get::<_, i64>(15)?.max(0) as u64),
        checks: r.get(16)?,
        consecutive_errors: r.get(17)?,
        last_error: r.get(18)?,
        etag: r.get(19)?,
        last_modified: r.get(20)?,
        change_count: r.get(21)?,
    })
}

const DUE_COLUMNS: &str = "id, source, url, etag, last_modified, first_seen, last_changed, \
    check_interval, version_count, live_version, live_hash, live_fingerprint, status";

fn due_from_row(r: &Row<'_>) -> rusqlite::Result<DueArticle> {
    let live_version: Option<u32> = r.get(9)?;
    let live_hash = hash_from(r.get(10)?);
    let live_fingerprint = hash_from(r.get(11)?);
    let live = match (live_version, live_hash, live_fingerprint) {
        (Some(number), Some(hash), Some(fingerprint)) => Some(KnownVersion {
            number,
            hash,
            fingerprint,
        }),
        _ => None,
    };
    Ok(DueArticle {
        id: r.get(0)?,
        source: r.get(1)?,
        url: r.get(2)?,
        etag: r.get(3)?,
        last_modified: r.get(4)?,
        first_seen: time(r.get(5)?),
        last_changed: opt_time(r.get(6)?),
        check_interval: Duration::from_secs(r.get::<_, i64>(7)?.max(0) as u64),
        version_count: r.get(8)?,
        live,
        status: named(r, 12, "article status", ArticleStatus::parse)?,
    })
}

const VERSION_COLUMNS: &str = "article_id, number, seen_at, title, byline, published, minor, \
    words_added, words_removed, hash, fingerprint, capture_file, capture_offset, capture_length";

fn version_meta_from_row(r: &Row<'_>) -> rusqlite::Result<VersionMeta> {
    let capture_file: Option<String> = r.get(11)?;
    Ok(VersionMeta {
        article_id: r.get(0)?,
        number: r.get(1)?,
        seen_at: time(r.get(2)?),
        title: r.get(3)?,
        byline: r.get(4)?,
        published: opt_time(r.get(5)?),
        minor: r.get(6)?,
        words_added: r.get(7)?,
        words_removed: r.get(8)?,
        hash: hash_from(r.get(9)?).unwrap_or(TextHash([0; 16])),
        fingerprint: hash_from(r.get(10)?).unwrap_or(TextHash([0; 16])),
        capture: match capture_file {
            Some(file) => Some(CaptureRef {
                file,
                offset: r.get::<_, i64>(12)?.max(0) as u64,
                length: r.get::<_, i64>(13)?.max(0) as u64,
            }),
            None => None,
        },
    })
}

fn listing_from_row(r: &Row<'_>) -> rusqlite::Result<Listing> {
    Ok(Listing {
        url: r.get(0)?,
        source: r.get(1)?,
        kind: named(r, 2, "listing kind", ListingKind::parse)?,
        next_poll: time(r.get(3)?),
        last_poll: opt_time(r.get(4)?),
        etag: r.get(5)?,
        last_modified: r.get(6)?,
        last_error: r.get(7)?,
        consecutive_errors: r.get(8)?,
    })
}

/// `sources.extract_remove`: the selectors as a JSON array, NULL for none.
fn removed_json(source: &SourceSpec) -> Option<String> {
    (!source.extract_remove.is_empty())
        .then(|| serde_json::Value::from(source.extract_remove.clone()).to_string())
}

const LISTING_COLUMNS: &str =
    "url, source, kind, next_poll, last_poll, etag, last_modified, last_error, consecutive_errors";

fn insert_listings(
    tx: &rusqlite::Transaction<'_>,
    source: &SourceSpec,
    now: DateTime<Utc>,
) -> Result<()> {
    for (kind, url) in &source.listings {
        tx.prepare_cached(
            "INSERT INTO listings (url, source, kind, next_poll) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (url) DO UPDATE SET source = excluded.source, kind = excluded.kind",
        )?
        .execute(params![url, source.name, kind.as_str(), ms(now)])?;
    }
    Ok(())
}

fn add_event(
    tx: &rusqlite::Transaction<'_>,
    article: ArticleId,
    at: DateTime<Utc>,
    kind: EventKind,
    version: Option<u32>,
    detail: Option<&str>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO events (article_id, at, kind, version, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![article, ms(at), kind.as_str(), version, detail])?;
    Ok(())
}

fn insert_version(
    tx: &rusqlite::Transaction<'_>,
    record: &CheckRecord,
    number: u32,
    version: &crate::NewVersion,
) -> Result<()> {
    write_version(
        tx,
        record.article,
        number,
        record.at,
        &VersionFields {
            text: &version.text,
            published: version.published,
            minor: version.minor,
            words: (version.words_added, version.words_removed),
            capture: version.capture.as_ref(),
        },
    )
}

/// What a version row holds besides its article, number and time.
pub(super) struct VersionFields<'a> {
    pub text: &'a ArticleText,
    pub published: Option<DateTime<Utc>>,
    pub minor: bool,
    pub words: (u32, u32),
    pub capture: Option<&'a CaptureRef>,
}

/// Writes a version row and indexes its text.
pub(super) fn write_version(
    tx: &rusqlite::Transaction<'_>,
    article: ArticleId,
    number: u32,
    at: DateTime<Utc>,
    version: &VersionFields<'_>,
) -> Result<()> {
    let body = version.text.body();
    let compressed = zstd::bulk::compress(body.as_bytes(), ZSTD_LEVEL)
        .map_err(|e| StoreError::Other(format!("compressing a version: {e}")))?;
    let capture = version.capture;
    tx.prepare_cached(
        "INSERT INTO versions (article_id, number, seen_at, title, byline, published, body_zstd, \
         body_len, hash, fingerprint, minor, words_added, words_removed, capture_file, \
         capture_offset, capture_length, social_title)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        article,
        number,
        ms(at),
        version.text.title,
        version.text.byline,
        version.published.map(ms),
        compressed,
        body.len() as i64,
        version.text.hash().0.as_slice(),
        version.text.fingerprint().0.as_slice(),
        version.minor,
        version.words.0,
        version.words.1,
        capture.map(|c| c.file.as_str()),
        capture.map(|c| c.offset as i64),
        capture.map(|c| c.length as i64),
        version.text.social_title,
    ])?;
    index_version(tx, tx.last_insert_rowid(), &version.text.title, &body)
}

/// Makes an earlier version the live one (a revert, a return).
fn go_live(tx: &rusqlite::Transaction<'_>, article: ArticleId, to: u32, at: i64) -> Result<()> {
    let changed = tx
        .prepare_cached(
            "UPDATE articles SET live_version = ?2, last_changed = ?3,
                 live_hash = (SELECT hash FROM versions WHERE article_id = ?1 AND number = ?2),
                 live_fingerprint = (SELECT fingerprint FROM versions WHERE article_id = ?1 AND number = ?2),
                 title = (SELECT title FROM versions WHERE article_id = ?1 AND number = ?2)
             WHERE id = ?1 AND EXISTS
                 (SELECT 1 FROM versions WHERE article_id = ?1 AND number = ?2)",
        )?
        .execute(params![article, to, at])?;
    if changed == 0 {
        return Err(StoreError::Invalid(format!(
            "article {article} has no version {to} to go back to"
        )));
    }
    Ok(())
}

/// Adds a version to the full-text index (rowid = the version's row).
fn index_version(conn: &Connection, rowid: i64, title: &str, body: &str) -> Result<()> {
    conn.prepare_cached("INSERT INTO versions_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, title, body])?;
    Ok(())
}

impl Catalog for SqliteStore {
    fn sync_sources(&self, sources: &[SourceSpec], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            for source in sources {
                tx.execute(
                    "INSERT INTO sources (name, title, article_url, exclude_url, extract_body,
                         extract_remove, origin)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'config')
                     ON CONFLICT (name) DO UPDATE SET title = excluded.title,
                         article_url = excluded.article_url, exclude_url = excluded.exclude_url,
                         extract_body = excluded.extract_body,
                         extract_remove = excluded.extract_remove, origin = 'config'",
                    params![
                        source.name,
                        source.title,
                        source.article_url,
                        source.exclude_url,
                        source.extract_body,
                        removed_json(source),
                    ],
                )?;
                insert_listings(tx, source, now)?;
            }
            // Listings of configured sources that the configuration no longer
            // names are dropped; those of sources added at run time stay.
            let configured: std::collections::HashSet<&str> = sources
                .iter()
                .flat_map(|s| s.listings.iter().map(|(_, url)| url.as_str()))
                .collect();
            let existing: Vec<String> = tx
                .prepare(
                    "SELECT l.url FROM listings l JOIN sources s ON s.name = l.source
                     WHERE s.origin = 'config'",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for url in existing.iter().filter(|u| !configured.contains(u.as_str())) {
                tx.execute("DELETE FROM listings WHERE url = ?1", [url])?;
            }
            Ok(())
        })
    }

    fn add_source(&self, source: &SourceSpec, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let inserted = tx.execute(
                "INSERT INTO sources (name, title, article_url, exclude_url, extract_body,
                     extract_remove, origin)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'admin') ON CONFLICT (name) DO NOTHING",
                params![
                    source.name,
                    source.title,
                    source.article_url,
                    source.exclude_url,
                    source.extract_body,
                    removed_json(source),
                ],
            )?;
            if inserted == 0 {
                return Err(StoreError::SourceExists(source.name.clone()));
            }
            insert_listings(tx, source, now)
        })
    }

    fn source_specs(&self) -> Result<Vec<SourceSpec>> {
        self.read(|c| {
            let mut specs: Vec<SourceSpec> = c
                .prepare_cached(
                    "SELECT name, title, article_url, exclude_url, extract_body, extract_remove
                     FROM sources ORDER BY name",
                )?
                .query_map([], |r| {
                    let removed: Option<String> = r.get(5)?;
                    Ok(SourceSpec {
                        name: r.get(0)?,
                        title: r.get(1)?,
                        listings: Vec::new(),
                        article_url: r.get(2)?,
                        exclude_url: r.get(3)?,
                        extract_body: r.get(4)?,
                        extract_remove: match removed {
                            Some(json) => serde_json::from_str(&json).map_err(|e| {
                                rusqlite::Error::FromSqlConversionFailure(
                                    5,
                                    rusqlite::types::Type::Text,
                                    Box::new(e),
                                )
                            })?,
                            None => Vec::new(),
                        },
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let listings: Vec<(String, ListingKind, String)> = c
                .prepare_cached("SELECT source, kind, url FROM listings ORDER BY url")?
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        named(r, 1, "listing kind", ListingKind::parse)?,
                        r.get(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<_>>()?;
            for (source, kind, url) in listings {
                if let Some(spec) = specs.iter_mut().find(|s| s.name == source) {
                    spec.listings.push((kind, url));
                }
            }
            Ok(specs)
        })
    }

    fn listings(&self) -> Result<Vec<Listing>> {
        self.read(|c| {
            let sql = format!("SELECT {LISTING_COLUMNS} FROM listings ORDER BY source, url");
            Ok(c.prepare_cached(&sql)?
                .query_map([], listing_from_row)?
                .collect::<rusqlite::Result<_>>()?)
        })
    }

    fn sources(&self) -> Result<Vec<SourceSummary>> {
        self.read(|c| source_summaries(c, true))
    }

    fn visible_sources(&self) -> Result<Vec<SourceSummary>> {
        self.read_visible_sources()
    }
}

impl Queue for SqliteStore {
    fn add_articles(
        &self,
        source: &str,
        articles: &[NewArticle],
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleId>> {
        if articles.is_empty() {
            return Ok(Vec::new());
        }
        self.write(|tx| {
            let mut added = Vec::new();
            for article in articles {
                let known: Option<ArticleId> = tx
                    .prepare_cached("SELECT article_id FROM article_urls WHERE url = ?1")?
                    .query_row([&article.url], |r| r.get(0))
                    .optional()?;
                if known.is_some() {
                    continue;
                }
                tx.prepare_cached(
                    "INSERT INTO articles (source, url, first_seen, published, title, next_check)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?3)",
                )?
                .execute(params![
                    source,
                    article.url,
                    ms(now),
                    article.published.map(ms),
                    article.title
                ])?;
                let id = tx.last_insert_rowid();
                tx.prepare_cached("INSERT INTO article_urls (url, article_id) VALUES (?1, ?2)")?
                    .execute(params![article.url, id])?;
                add_event(tx, id, now, EventKind::Discovered, None, None)?;
                added.push(id);
            }
            Ok(added)
        })
    }

    fn claim_due(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        limit: usize,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<DueArticle>> {
        self.write(|tx| {
            let sql = format!(
                "UPDATE articles SET lease_until = ?3, lease_owner = ?4
                 WHERE id IN (
                     SELECT id FROM articles
                     WHERE status IN ('active', 'gone') AND next_check <= ?1
                       AND (lease_until IS NULL OR lease_until <= ?1)
                     ORDER BY next_check LIMIT ?2)
                 RETURNING {DUE_COLUMNS}"
            );
            let mut due: Vec<DueArticle> = tx
                .prepare_cached(&sql)?
                .query_map(
                    params![ms(now), limit as i64, ms(lease_until), owner],
                    due_from_row,
                )?
                .collect::<rusqlite::Result<_>>()?;
            // RETURNING gives no order guarantee; hand them out in a stable one.
            due.sort_by_key(|d| d.id);
            Ok(due)
        })
    }

    fn claim(
        &self,
        owner: &str,
        id: ArticleId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<DueArticle>> {
        self.write(|tx| {
            let held: Option<(Option<String>, Option<i64>)> = tx
                .prepare_cached("SELECT lease_owner, lease_until FROM articles WHERE id = ?1")?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((holder, until)) = held else {
                return Ok(None);
            };
            if let (Some(holder), Some(until)) = (holder, until)
                && until > ms(now)
                && holder != owner
            {
                return Err(StoreError::Leased {
                    article: id,
                    owner: holder,
                    until: time(until),
                });
            }
            let sql = format!(
                "UPDATE articles SET lease_until = ?2, lease_owner = ?3 WHERE id = ?1
                 RETURNING {DUE_COLUMNS}"
            );
            Ok(tx
                .prepare_cached(&sql)?
                .query_row(params![id, ms(lease_until), owner], due_from_row)
                .optional()?)
        })
    }

    fn next_due(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        self.read(|c| {
            // Walks the due index past the leased articles only: at most
            // the checks in flight.
            let next: Option<i64> = c
                .prepare_cached(
                    "SELECT min(next_check) FROM articles
                     WHERE status IN ('active', 'gone')
                       AND (lease_until IS NULL OR lease_until <= ?1)",
                )?
                .query_row([ms(now)], |r| r.get(0))?;
            Ok(opt_time(next))
        })
    }

    fn lease_owners(&self, now: DateTime<Utc>) -> Result<Vec<String>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT lease_owner FROM articles
                 WHERE lease_until > ?1 AND lease_owner IS NOT NULL
                 UNION
                 SELECT lease_owner FROM listings
                 WHERE lease_until > ?1 AND lease_owner IS NOT NULL
                 ORDER BY 1",
            )?
            .query_map([ms(now)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
        })
    }

    fn release_leases(&self, owners: &[String]) -> Result<()> {
        self.write(|tx| {
            for owner in owners {
                for sql in [
                    "UPDATE articles SET lease_until = NULL, lease_owner = NULL
                     WHERE lease_owner = ?1",
                    "UPDATE listings SET lease_until = NULL, lease_owner = NULL
                     WHERE lease_owner = ?1",
                ] {
                    tx.prepare_cached(sql)?.execute([owner])?;
                }
            }
            Ok(())
        })
    }

    fn claim_listings(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Listing>> {
        self.write(|tx| {
            let sql = format!(
                "SELECT {LISTING_COLUMNS} FROM listings
                 WHERE next_poll <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)
                 ORDER BY next_poll, url"
            );
            let due: Vec<Listing> = tx
                .prepare_cached(&sql)?
                .query_map([ms(now)], listing_from_row)?
                .collect::<rusqlite::Result<_>>()?;
            for listing in &due {
                tx.prepare_cached(
                    "UPDATE listings SET lease_owner = ?2, lease_until = ?3 WHERE url = ?1",
                )?
                .execute(params![listing.url, owner, ms(lease_until)])?;
            }
            Ok(due)
        })
    }

    fn record_listing_poll(&self, poll: &ListingPoll) -> Result<()> {
        self.write(|tx| {
            let (error, failed) = match &poll.result {
                Ok(_) => (None, false),
                Err(e) => (Some(e.as_str()), true),
            };
            tx.prepare_cached(
                "UPDATE listings SET last_poll = ?2, next_poll = ?3, last_error = ?4,
                     consecutive_errors = CASE WHEN ?5 THEN consecutive_errors + 1 ELSE 0 END,
                     etag = CASE WHEN ?5 THEN etag ELSE ?6 END,
                     last_modified = CASE WHEN ?5 THEN last_modified ELSE ?7 END,
                     lease_owner = NULL, lease_until = NULL
                 WHERE url = ?1",
            )?
            .execute(params![
                poll.url,
                ms(poll.at),
                ms(poll.next_poll),
                error,
                failed,
                poll.etag,
                poll.last_modified
            ])?;
            Ok(())
        })
    }
}

impl Recorder for SqliteStore {
    fn known_versions(&self, id: ArticleId) -> Result<Vec<KnownVersion>> {
        self.read(|c| {
            let rows = c
                .prepare_cached(
                    "SELECT number, hash, fingerprint FROM versions WHERE article_id = ?1
                     ORDER BY number",
                )?
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, u32>(0)?,
                        r.get::<_, Vec<u8>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(number, hash, fingerprint)| {
                    match (
                        TextHash::from_slice(&hash),
                        TextHash::from_slice(&fingerprint),
                    ) {
                        (Some(hash), Some(fingerprint)) => Ok(KnownVersion {
                            number,
                            hash,
                            fingerprint,
                        }),
                        _ => Err(StoreError::Invalid(format!(
                            "version {number} of article {id} has a malformed hash"
                        ))),
                    }
                })
                .collect()
        })
    }

    fn record_check(&self, record: &CheckRecord) -> Result<Option<u32>> {
        self.write(|tx| {
            let current: Option<(u32, Option<u32>, String)> = tx
                .prepare_cached(
                    "SELECT version_count, live_version, status FROM articles WHERE id = ?1",
                )?
                .query_row([record.article], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((version_count, live_version, was)) = current else {
                return Err(StoreError::NoSuchArticle(record.article));
            };
            let was_gone = was == ArticleStatus::Gone.as_str();
            if version_count != record.expected_versions {
                return Err(StoreError::Conflict {
                    article: record.article,
                });
            }
            let at = ms(record.at);
            let mut added = None;
            let mut failed = false;
            let mut status = if record.retire {
                ArticleStatus::Retired
            } else {
                ArticleStatus::Active
            };
            let change = |kind, number, from, minor, words, info, detail| changes::NewChange {
                article: record.article,
                at: record.at,
                kind,
                number,
                from,
                minor,
                words,
                info,
                detail,
                outbox: true,
            };
            match &record.outcome {
                CheckOutcome::NewVersion(version) => {
                    let number = version_count;
                    insert_version(tx, record, number, version)?;
                    tx.prepare_cached(
                        "UPDATE articles SET version_count = ?2, live_version = ?3,
                             live_hash = ?4, live_fingerprint = ?5, title = ?6,
                             published = coalesce(?7, published), last_changed = ?8
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        record.article,
                        number + 1,
                        number,
                        version.text.hash().0.as_slice(),
                        version.text.fingerprint().0.as_slice(),
                        version.text.title,
                        version.published.map(ms),
                        at
                    ])?;
                    add_event(
                        tx,
                        record.article,
                        record.at,
                        EventKind::NewVersion,
                        Some(number),
                        None,
                    )?;
                    if version.restored {
                        add_event(
                            tx,
                            record.article,
                            record.at,
                            EventKind::Restored,
                            Some(number),
                            None,
                        )?;
                    }
                    // Every version after the first is a change (one the
                    // caller did not assess is listed with no labels).
                    if let Some(from) = live_version {
                        let kind = if version.restored {
                            ChangeKind::Restored
                        } else {
                            ChangeKind::Edit
                        };
                        let words = (version.words_added, version.words_removed);
                        let unassessed = ChangeInfo::default();
                        let info = version.change.as_ref().unwrap_or(&unassessed);
                        changes::insert_change(
                            tx,
                            &change(kind, number, from, version.minor, words, info, None),
                        )?;
                    }
                    added = Some(number);
                }
                CheckOutcome::Reverted { to, change: info }
                | CheckOutcome::Restored { to, change: info } => {
                    let restored = matches!(record.outcome, CheckOutcome::Restored { .. });
                    if Some(*to) != live_version {
                        go_live(tx, record.article, *to, at)?;
                    }
                    let (kind, event) = if restored {
                        (ChangeKind::Restored, EventKind::Restored)
                    } else {
                        (ChangeKind::Revert, EventKind::Reverted)
                    };
                    // The version it left is kept for the lists of changes.
                    let from = live_version.unwrap_or(*to);
                    tx.prepare_cached(
                        "INSERT INTO events (article_id, at, kind, version, from_version)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        record.article,
                        at,
                        event.as_str(),
                        to,
                        from
                    ])?;
                    let minor: bool = tx
                        .prepare_cached(
                            "SELECT t.fingerprint = p.fingerprint AND t.hash != p.hash
                             FROM versions t, versions p
                             WHERE t.article_id = ?1 AND t.number = ?2
                               AND p.article_id = ?1 AND p.number = ?3",
                        )?
                        .query_row(params![record.article, to, from], |r| r.get(0))
                        .optional()?
                        .unwrap_or(false);
                    changes::insert_change(
                        tx,
                        &change(kind, *to, from, minor, (0, 0), info, None),
                    )?;
                }
                CheckOutcome::Unchanged | CheckOutcome::NotModified => {}
                CheckOutcome::Gone {
                    status: http,
                    change: info,
                } => {
                    status = ArticleStatus::Gone;
                    if !was_gone {
                        let detail = format!("the site answered HTTP {http}");
                        add_event(
                            tx,
                            record.article,
                            record.at,
                            EventKind::Gone,
                            None,
                            Some(&detail),
                        )?;
                        if let Some(live) = live_version {
                            changes::insert_change(
                                tx,
                                &change(
                                    ChangeKind::Removed,
                                    live,
                                    live,
                                    false,
                                    (0, 0),
                                    info,
                                    Some(&detail),
                                ),
                            )?;
                        }
                    }
                }
                CheckOutcome::Redirected {
                    to: target,
                    change: info,
                } => {
                    status = ArticleStatus::Gone;
                    if !was_gone {
                        add_event(
                            tx,
                            record.article,
                            record.at,
                            EventKind::Redirected,
                            None,
                            Some(target),
                        )?;
                        if let Some(live) = live_version {
                            changes::insert_change(
                                tx,
                                &change(
                                    ChangeKind::Redirected,
                                    live,
                                    live,
                                    false,
                                    (0, 0),
                                    info,
                                    Some(target),
                                ),
                            )?;
                        }
                    }
                }
                CheckOutcome::Merged { into } => {
                    status = ArticleStatus::Merged;
                    tx.execute(
                        "UPDATE articles SET merged_into = ?2 WHERE id = ?1",
                        params![record.article, into],
                    )?;
                    let detail = format!("same article as {into}");
                    add_event(
                        tx,
                        record.article,
                        record.at,
                        EventKind::Merged,
                        None,
                        Some(&detail),
                    )?;
                }
                CheckOutcome::Failed { error, .. } => {
                    failed = true;
                    if was_gone {
                        // A gone article stays gone until it comes back.
                        status = ArticleStatus::Gone;
                    }
                    add_event(
                        tx,
                        record.article,
                        record.at,
                        EventKind::Error,
                        None,
                        Some(error),
                    )?;
                }
            }
            if record.retire && status == ArticleStatus::Retired {
                add_event(
                    tx,
                    record.article,
                    record.at,
                    EventKind::Retired,
                    None,
                    None,
                )?;
            }
            // Gone articles are re-checked (slowly, as the crawler
            // schedules them) so that a return is seen.
            let next_check = match status {
                ArticleStatus::Active | ArticleStatus::Gone => record.next_check.map(ms),
                _ => None,
            };
            let error = match &record.outcome {
                CheckOutcome::Failed { error, .. } => Some(error.as_str()),
                _ => None,
            };
            let http = record.http.clone().unwrap_or_default();
            tx.prepare_cached(
                "UPDATE articles SET status = ?2, next_check = ?3, check_interval = ?4,
                     last_checked = ?5, checks = checks + 1, lease_until = NULL, lease_owner = NULL,
                     consecutive_errors = CASE WHEN ?6 THEN consecutive_errors + 1 ELSE 0 END,
                     last_error = ?7,
                     final_url = coalesce(?8, final_url),
                     etag = CASE WHEN ?6 THEN etag ELSE ?9 END,
                     last_modified = CASE WHEN ?6 THEN last_modified ELSE ?10 END
                 WHERE id = ?1",
            )?
            .execute(params![
                record.article,
                status.as_str(),
                next_check,
                record.check_interval.as_secs() as i64,
                at,
                failed,
                error,
                http.final_url,
                http.etag,
                http.last_modified,
            ])?;
            for alias in &record.aliases {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?1, ?2)",
                )?
                .execute(params![alias, record.article])?;
            }
            tx.prepare_cached(
                "UPDATE sources SET checks = checks + 1, errors = errors + ?2
                 WHERE name = (SELECT source FROM articles WHERE id = ?1)",
            )?
            .execute(params![record.article, failed as i64])?;
            Ok(added)
        })
    }

    fn rebuild_versions(
        &self,
        article: ArticleId,
        expected_versions: u32,
        rebuilt: &[crate::RebuiltVersion],
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| changes::rebuild(tx, article, expected_versions, rebuilt, detail, now))
    }
}

impl Admin for SqliteStore {
    fn schedule_check(&self, id: ArticleId, at: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE articles SET next_check = ?2,
                     status = CASE WHEN status = 'merged' THEN status ELSE 'active' END
                 WHERE id = ?1",
                params![id, ms(at)],
            )?;
            Ok(changed > 0)
        })
    }

    fn retire(&self, id: ArticleId, now: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE articles SET status = 'retired', next_check = NULL
                 WHERE id = ?1 AND status = 'active'",
                [id],
            )?;
            if changed > 0 {
                add_event(
                    tx,
                    id,
                    now,
                    EventKind::Retired,
                    None,
                    Some("by an administrator"),
                )?;
            }
            Ok(changed > 0)
        })
    }

    fn set_hidden(&self, id: ArticleId, hidden: bool) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE articles SET hidden = ?2 WHERE id = ?1",
                params![id, hidden],
            )? > 0)
        })
    }
}

impl History for SqliteStore {
    fn find_by_url(&self, url: &str) -> Result<Option<Article>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles
                 WHERE id = (SELECT article_id FROM article_urls WHERE url = ?1)"
            );
            Ok(c.prepare_cached(&sql)?
                .query_row([url], article_from_row)
                .optional()?)
        })
    }

    fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        self.read(|c| {
            let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1");
            Ok(c.prepare_cached(&sql)?
                .query_row([id], article_from_row)
                .optional()?)
        })
    }

    fn versions(&self, id: ArticleId) -> Result<Vec<VersionMeta>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {VERSION_COLUMNS} FROM versions WHERE article_id = ?1 ORDER BY number"
            );
            Ok(c.prepare_cached(&sql)?
                .query_map([id], version_meta_from_row)?
                .collect::<rusqlite::Result<_>>()?)
        })
    }

    fn version(&self, id: ArticleId, number: u32) -> Result<Option<Version>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {VERSION_COLUMNS}, body_zstd, body_len, social_title FROM versions
                 WHERE article_id = ?1 AND number = ?2"
            );
            let row = c
                .prepare_cached(&sql)?
                .query_row(params![id, number], |r| {
                    Ok((
                        version_meta_from_row(r)?,
                        r.get::<_, Vec<u8>>(14)?,
                        r.get::<_, i64>(15)?,
                        r.get::<_, Option<String>>(16)?,
                    ))
                })
                .optional()?;
            let Some((meta, compressed, len, social)) = row else {
                return Ok(None);
            };
            let body = decompress_body(&compressed, len).map_err(|e| {
                StoreError::Invalid(format!("version {number} of article {id}: {e}"))
            })?;
            let text =
                ArticleText::from_stored(&meta.title, &meta.byline, social.as_deref(), &body);
            Ok(Some(Version { meta, text }))
        })
    }

    fn events(&self, id: ArticleId) -> Result<Vec<Event>> {
        self.read(|c| {
            let rows = c
                .prepare_cached(
                    "SELECT at, kind, version, detail FROM events WHERE article_id = ?1 ORDER BY id",
                )?
                .query_map([id], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<u32>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows
                .into_iter()
                .filter_map(|(at, kind, version, detail)| {
                    Some(Event {
                        at: time(at),
                        kind: EventKind::parse(&kind)?,
                        version,
                        detail,
                    })
                })
                .collect())
        })
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles
                 WHERE (?1 IS NULL OR source = ?1) AND (?2 IS NULL OR status = ?2)
                   AND (NOT ?3 OR change_count > 0)
                 ORDER BY coalesce(last_changed, first_seen) DESC, id DESC
                 LIMIT ?4 OFFSET ?5"
            );
            let limit = if filter.limit == 0 {
                -1
            } else {
                filter.limit as i64
            };
            Ok(c.prepare_cached(&sql)?
                .query_map(
                    params![
                        filter.source,
                        filter.status.map(|s| s.as_str()),
                        filter.changed_only,
                        limit,
                        filter.offset as i64
                    ],
                    article_from_row,
                )?
                .collect::<rusqlite::Result<_>>()?)
        })
    }

    fn changes(&self, query: &crate::ChangeQuery) -> Result<Vec<crate::Change>> {
        self.read_changes(query)
    }

    fn find_articles(&self, query: &crate::ArticleQuery) -> Result<Vec<crate::ArticleHit>> {
        self.read_articles(query)
    }

    fn version_texts(&self, keys: &[(ArticleId, u32)]) -> Result<Vec<Version>> {
        self.read_version_texts(keys)
    }

    fn totals(&self) -> Result<crate::Totals> {
        self.read_totals()
    }

    fn metrics(&self, now: DateTime<Utc>) -> Result<crate::StoreMetrics> {
        self.read_metrics(now)
    }

    fn changes_generation(&self) -> Result<i64> {
        self.read_changes_generation()
    }

    fn site_changes(&self, source: Option<&str>, limit: usize) -> Result<Vec<crate::SiteChange>> {
        self.read_site_changes(source, limit)
    }

    fn source_stats(&self, source: &str, now: DateTime<Utc>) -> Result<Vec<crate::SourceStats>> {
        self.read_source_stats(source, now)
    }

    fn ping(&self) -> Result<()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))?;
            Ok(())
        })
    }
}

/// SQLite's errors, classified for the crawler; a damaged file names
/// SQLite's own rescue.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let message = e.to_string();
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => StoreError::DiskFull(message),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(message),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy(message),
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => StoreError::Corrupt {
                detail: message,
                remedy: "run `sqlite3 FILE .recover` (FILE: [storage] database) to rescue \
                             its contents into a new file",
            },
            // An I/O error while writing is most often a full disk or a
            // vanished mount; treat it as transient too.
            Some(ErrorCode::SystemIoFailure) => StoreError::DiskFull(message),
            _ => StoreError::Other(message),
        }
    }
}
