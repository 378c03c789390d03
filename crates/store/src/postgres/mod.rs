//! The PostgreSQL backend: one database shared by several crawlers and
//! web servers, reached through a pool of connections (rust-postgres'
//! synchronous client, r2d2's pool). Plain SQL per entity, as in the
//! SQLite backend, on the same tables (`schema`).
//!
//! What keeps several writers apart:
//! - every write is one transaction at READ COMMITTED; a check's write
//!   locks its article's row first (`FOR UPDATE`), so a version written
//!   meanwhile by another crawler is seen and the check is refused with
//!   [`StoreError::Conflict`], as SQLite refuses it;
//! - [`Queue::claim_due`] takes its articles `FOR UPDATE SKIP LOCKED`: two
//!   crawlers claiming at once get different articles, neither waits;
//! - the grouping of changes into a site change holds an advisory lock per
//!   source and signature;
//! - a serialization failure or deadlock is retried, then reported as
//!   [`StoreError::Busy`].
//!
//! Connection errors are typed ([`StoreError::Unreachable`],
//! [`StoreError::Credentials`]) with messages naming `[storage] database`.
//! TLS is not spoken yet: a server that requires it is refused with a
//! message saying so.

mod changes;
mod copy;
pub(crate) mod fts;
mod outbox;
mod read;
mod schema;

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{IsolationLevel, NoTls, Row, Transaction};
use r2d2_postgres::{PostgresConnectionManager, r2d2};
use redline_diff::{ArticleText, KnownVersion, TextHash};

use crate::{
    Article, ArticleFilter, ArticleId, ArticleStatus, CaptureRef, ChangeInfo, ChangeKind,
    CheckOutcome, CheckRecord, DueArticle, Event, EventKind, Listing, ListingKind, ListingPoll,
    NewArticle, Result, SourceSpec, SourceSummary, StoreError, Version, VersionMeta, prelude::*,
};

/// Version texts larger than this are refused when read back: a guard
/// against a damaged length field, far above any article.
const MAX_BODY_LEN: usize = 64 << 20;
/// zstd level for version texts, as in SQLite.
const ZSTD_LEVEL: i32 = 3;
/// Connections a store keeps at most.
pub const DEFAULT_POOL_SIZE: u32 = 8;
/// How long a connection attempt (and a wait for a pooled one) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts of a write that meets a serialization failure or deadlock.
const WRITE_ATTEMPTS: usize = 3;
/// What to do with a damaged PostgreSQL database.
const CORRUPT_REMEDY: &str = "restore it from a backup, or have its administrator repair it \
    (REINDEX for a damaged index; the database named by [storage] database)";

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;

/// A failure inside a transaction: the driver's error (classified once,
/// with the server's name, at the edge) or the store's own.
pub(crate) enum Fail {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Self {
        Fail::Pg(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Self {
        Fail::Store(e)
    }
}

impl Fail {
    fn into_store(self, server: &str) -> StoreError {
        match self {
            Fail::Pg(e) => classify(&e, server),
            Fail::Store(e) => e,
        }
    }

    /// A serialization failure or deadlock: worth trying again.
    fn is_retryable(&self) -> bool {
        matches!(self, Fail::Pg(e) if matches!(
            e.code(),
            Some(&SqlState::T_R_SERIALIZATION_FAILURE | &SqlState::T_R_DEADLOCK_DETECTED)
        ))
    }
}

pub(crate) type Out<T> = std::result::Result<T, Fail>;

/// A parameter list built as a query is.
pub(crate) type Params = Vec<Box<dyn ToSql + Sync>>;

pub(crate) fn refs(params: &Params) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// A PostgreSQL error, classified for the crawler and told to the user
/// with what to do.
fn classify(e: &postgres::Error, server: &str) -> StoreError {
    let server = server.to_string();
    if let Some(db) = e.as_db_error() {
        let reason = db.message().to_string();
        let code = db.code();
        return match code {
            c if *c == SqlState::INVALID_PASSWORD
                || *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
            {
                StoreError::Credentials { server, reason }
            }
            c if *c == SqlState::INVALID_CATALOG_NAME => StoreError::Open {
                path: server,
                reason: format!(
                    "{reason}. Create it (createdb NAME, as a user allowed to) or name an \
                     existing database in [storage] database"
                ),
            },
            c if *c == SqlState::DISK_FULL => StoreError::DiskFull(reason),
            c if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StoreError::ReadOnly(reason),
            c if *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED
                || *c == SqlState::LOCK_NOT_AVAILABLE
                || *c == SqlState::QUERY_CANCELED
                || *c == SqlState::TOO_MANY_CONNECTIONS =>
            {
                StoreError::Busy(reason)
            }
            c if *c == SqlState::ADMIN_SHUTDOWN
                || *c == SqlState::CRASH_SHUTDOWN
                || *c == SqlState::CANNOT_CONNECT_NOW
                || c.code().starts_with("08") =>
            {
                StoreError::Unreachable { server, reason }
            }
            c if *c == SqlState::DATA_CORRUPTED || *c == SqlState::INDEX_CORRUPTED => {
                StoreError::Corrupt {
                    detail: reason,
                    remedy: CORRUPT_REMEDY,
                }
            }
            _ => StoreError::Other(format!("{reason} (SQLSTATE {})", code.code())),
        };
    }
    let message = e.to_string();
    let io = std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>());
    if e.is_closed()
        || io
        || message.starts_with("error connecting")
        || message.contains("timed out")
    {
        StoreError::Unreachable {
            server,
            reason: message,
        }
    } else if message.starts_with("authentication error") || message.contains("password missing") {
        StoreError::Credentials {
            server,
            reason: message,
        }
    } else if message.contains("TLS") {
        StoreError::Open {
            path: server,
            reason: format!(
                "{message}. This redline connects without TLS: use sslmode=disable (or \
                 prefer) in [storage] database, or reach the server over a local network"
            ),
        }
    } else {
        StoreError::Other(message)
    }
}

/// `user@host:port/database` of a configuration: how messages name the
/// server (never with the password).
fn describe(config: &postgres::Config) -> String {
    use postgres::config::Host;
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
        .map(|(h, port)| match h {
            Host::Tcp(name) => format!("{name}:{port}"),
            Host::Unix(path) => format!("{}:{port}", path.display()),
        })
        .collect();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    format!("{user}{}/{db}", hosts.join(","))
}

/// Runs `f` on this thread, or, on a thread of an async runtime (a
/// `#[tokio::main]` CLI command, an async test), on a thread of its own:
/// the synchronous client drives its connection with a runtime of its own,
/// which cannot start inside another. The crawler and the web interface
/// call the store from the blocking pool, where it runs as it is.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|scope| match scope.spawn(f).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

pub struct PgStore {
    /// None only while being dropped (see `Drop`).
    pool: Option<Pool>,
    config: postgres::Config,
    /// The server and database, for messages.
    server: String,
}

impl Drop for PgStore {
    /// Closing a connection runs the client's own runtime, which cannot
    /// start on an async runtime's thread: the pool is dropped off it.
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            off_runtime(move || drop(pool));
        }
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("server", &self.server)
            .finish()
    }
}

pub(crate) fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub(crate) fn opt_time(ms: Option<i64>) -> Option<DateTime<Utc>> {
    ms.map(time)
}

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A stored count or number, as the store's types hold it.
pub(crate) fn u32_of(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

pub(crate) fn u64_of(v: i64) -> u64 {
    v.max(0) as u64
}

/// A text column read as one of the store's names; a value this redline
/// does not know is a damaged or newer database.
pub(crate) fn named<T>(
    r: &Row,
    index: usize,
    what: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Out<T> {
    let raw: String = r.try_get(index)?;
    parse(&raw).ok_or_else(|| {
        Fail::Store(StoreError::Invalid(format!(
            "unknown {what} {raw:?} in the database (written by a newer redline?)"
        )))
    })
}

fn hash_from(bytes: Option<Vec<u8>>) -> Option<TextHash> {
    bytes.as_deref().and_then(TextHash::from_slice)
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://USER:PASSWORD@HOST:
    /// PORT/DATABASE`, or libpq's `key=value` form) and brings its schema
    /// up to date.
    pub fn open(url: &str) -> Result<Self> {
        Self::open_with(url, DEFAULT_POOL_SIZE)
    }

    /// [`PgStore::open`] with at most `pool_size` connections.
    pub fn open_with(url: &str, pool_size: u32) -> Result<Self> {
        off_runtime(|| Self::open_here(url, pool_size))
    }

    fn open_here(url: &str, pool_size: u32) -> Result<Self> {
        let mut config: postgres::Config = url.parse().map_err(|e| StoreError::Open {
            path: "[storage] database".into(),
            reason: format!(
                "it is not a PostgreSQL URL ({e}); write it as \
                 postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            ),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name("redline");
        let server = describe(&config);
        let mut client = config.connect(NoTls).map_err(|e| classify(&e, &server))?;
        migrate(&mut client, &server)?;
        drop(client);
        let manager = PostgresConnectionManager::new(config.clone(), NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(CONNECT_TIMEOUT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(PgStore {
            pool: Some(pool),
            config,
            server,
        })
    }

    /// The server and database, as messages name them.
    pub fn server(&self) -> &str {
        &self.server
    }

    fn connection(&self) -> Result<r2d2::PooledConnection<PostgresConnectionManager<NoTls>>> {
        let pool = self
            .pool
            .as_ref()
            .ok_or_else(|| StoreError::Other("the store is closed".into()))?;
        pool.get().map_err(|pool_error| {
            // The pool says only that it gave up: a connection of our own
            // tells why.
            match self.config.connect(NoTls) {
                Err(e) => classify(&e, &self.server),
                Ok(_) => StoreError::Busy(format!(
                    "all {} connections to {} are in use ({pool_error})",
                    pool.max_size(),
                    self.server
                )),
            }
        })
    }

    /// Runs `f` in a read-only transaction over one snapshot.
    fn read<T: Send>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Out<T> + Send) -> Result<T> {
        off_runtime(|| self.read_here(f))
    }

    fn read_here<T>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Out<T>) -> Result<T> {
        let mut conn = self.connection()?;
        let run = || -> Out<T> {
            let mut tx = conn
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let value = f(&mut tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e| e.into_store(&self.server))
    }

    /// Runs `f` in one transaction, again if it meets a serialization
    /// failure or a deadlock.
    fn write<T: Send>(&self, f: impl FnMut(&mut Transaction<'_>) -> Out<T> + Send) -> Result<T> {
        off_runtime(|| self.write_here(f))
    }

    fn write_here<T>(&self, mut f: impl FnMut(&mut Transaction<'_>) -> Out<T>) -> Result<T> {
        let mut conn = self.connection()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut run = || -> Out<T> {
                let mut tx = conn.transaction()?;
                let value = f(&mut tx)?;
                tx.commit()?;
                Ok(value)
            };
            match run() {
                Err(e) if e.is_retryable() && attempt < WRITE_ATTEMPTS => continue,
                other => return other.map_err(|e| e.into_store(&self.server)),
            }
        }
    }
}

/// Brings the schema up to date, one migration per transaction, under an
/// advisory lock so that two processes starting together migrate once.
fn migrate(client: &mut postgres::Client, server: &str) -> Result<()> {
    let known = schema::MIGRATIONS.len();
    let step = |client: &mut postgres::Client| -> Out<bool> {
        let mut tx = client.transaction()?;
        tx.execute(
            "SELECT pg_advisory_xact_lock($1)",
            &[&schema::MIGRATION_LOCK],
        )?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS redline_schema (
                 one     BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
                 version BIGINT NOT NULL
             );
             INSERT INTO redline_schema (version) VALUES (0) ON CONFLICT DO NOTHING;
             CREATE TABLE IF NOT EXISTS redline_generation (
                 one   BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
                 value BIGINT NOT NULL
             );
             INSERT INTO redline_generation (value) VALUES (0) ON CONFLICT DO NOTHING;",
        )?;
        let applied: i64 = tx
            .query_one("SELECT version FROM redline_schema", &[])?
            .try_get(0)?;
        if applied > known as i64 {
            return Err(Fail::Store(StoreError::NewerSchema {
                database: server.to_string(),
                found: applied,
                known,
            }));
        }
        let Some(sql) = schema::MIGRATIONS.get(applied as usize) else {
            tx.commit()?;
            return Ok(false);
        };
        tx.batch_execute(sql)?;
        tx.execute("UPDATE redline_schema SET version = $1", &[&(applied + 1)])?;
        tx.commit()?;
        tracing::info!(migration = applied + 1, "database schema migrated");
        Ok(true)
    };
    while step(client).map_err(|e| e.into_store(server))? {}
    Ok(())
}

/// Decompresses a stored version text, refusing absurd lengths.
pub(crate) fn decompress_body(compressed: &[u8], len: i64) -> Result<String> {
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
pub(crate) fn source_summaries(
    tx: &mut Transaction<'_>,
    include_hidden: bool,
) -> Out<Vec<SourceSummary>> {
    let sql = "
        SELECT s.name, s.title, s.checks, s.errors,
               count(a.id),
               count(a.id) FILTER (WHERE a.status = 'active'),
               count(a.id) FILTER (WHERE a.status = 'retired'),
               count(a.id) FILTER (WHERE a.status = 'gone'),
               coalesce(sum(a.version_count), 0)::bigint,
               count(a.id) FILTER (WHERE a.change_count > 0),
               max(a.last_changed) FILTER (WHERE a.change_count > 0),
               min(a.first_seen),
               max(a.last_checked),
               min(a.next_check) FILTER (WHERE a.status = 'active'),
               count(a.id) FILTER (WHERE a.last_error LIKE 'refused: %')
        FROM sources s
        LEFT JOIN articles a ON a.source = s.name AND ($1 OR NOT a.hidden)
        GROUP BY s.name ORDER BY s.name";
    tx.query(sql, &[&include_hidden])?
        .iter()
        .map(|r| {
            Ok(SourceSummary {
                name: r.try_get(0)?,
                title: r.try_get(1)?,
                checks: u64_of(r.try_get(2)?),
                errors: u64_of(r.try_get(3)?),
                articles: u64_of(r.try_get(4)?),
                active: u64_of(r.try_get(5)?),
                retired: u64_of(r.try_get(6)?),
                gone: u64_of(r.try_get(7)?),
                versions: u64_of(r.try_get(8)?),
                changed_articles: u64_of(r.try_get(9)?),
                last_change: opt_time(r.try_get(10)?),
                first_seen: opt_time(r.try_get(11)?),
                last_check: opt_time(r.try_get(12)?),
                next_check: opt_time(r.try_get(13)?),
                refused: u64_of(r.try_get(14)?),
            })
        })
        .collect()
}

pub(crate) const ARTICLE_COLUMNS: &str = "id, source, url, final_url, status, merged_into, \
    hidden, first_seen, published, title, version_count, live_version, last_changed, \
    last_checked, next_check, check_interval, checks, consecutive_errors, last_error, etag, \
    last_modified, change_count";

pub(crate) fn article_from_row(r: &Row) -> Out<Article> {
    Ok(Article {
        id: r.try_get(0)?,
        source: r.try_get(1)?,
        url: r.try_get(2)?,
        final_url: r.try_get(3)?,
        status: named(r, 4, "article status", ArticleStatus::parse)?,
        merged_into: r.try_get(5)?,
        hidden: r.try_get(6)?,
        first_seen: time(r.try_get(7)?),
        published: opt_time(r.try_get(8)?),
        title: r.try_get(9)?,
        version_count: u32_of(r.try_get(10)?),
        live_version: r.try_get::<_, Option<i64>>(11)?.map(u32_of),
        last_changed: opt_time(r.try_get(12)?),
        last_checked: opt_time(r.try_get(13)?),
        next_check: opt_time(r.try_get(14)?),
        check_interval: Duration::from_secs(u64_of(r.try_get(15)?)),
        checks: u32_of(r.try_get(16)?),
        consecutive_errors: u32_of(r.try_get(17)?),
        last_error: r.try_get(18)?,
        etag: r.try_get(19)?,
        last_modified: r.try_get(20)?,
        change_count: u32_of(r.try_get(21)?),
    })
}

const DUE_COLUMNS: &str = "id, source, url, etag, last_modified, first_seen, last_changed, \
    check_interval, version_count, live_version, live_hash, live_fingerprint, status";

fn due_from_row(r: &Row) -> Out<DueArticle> {
    let live_version: Option<i64> = r.try_get(9)?;
    let live = match (
        live_version,
        hash_from(r.try_get(10)?),
        hash_from(r.try_get(11)?),
    ) {
        (Some(number), Some(hash), Some(fingerprint)) => Some(KnownVersion {
            number: u32_of(number),
            hash,
            fingerprint,
        }),
        _ => None,
    };
    Ok(DueArticle {
        id: r.try_get(0)?,
        source: r.try_get(1)?,
        url: r.try_get(2)?,
        etag: r.try_get(3)?,
        last_modified: r.try_get(4)?,
        first_seen: time(r.try_get(5)?),
        last_changed: opt_time(r.try_get(6)?),
        check_interval: Duration::from_secs(u64_of(r.try_get(7)?)),
        version_count: u32_of(r.try_get(8)?),
        live,
        status: named(r, 12, "article status", ArticleStatus::parse)?,
    })
}

/// What [`version_from_row`] reads after [`VERSION_COLUMNS`].
pub(crate) const TEXT_COLUMNS: &str = "body_zstd, body_len, social_title";

pub(crate) const VERSION_COLUMNS: &str = "article_id, number, seen_at, title, byline, \
    published, minor, words_added, words_removed, hash, fingerprint, capture_file, \
    capture_offset, capture_length";

pub(crate) fn version_meta_from_row(r: &Row) -> Out<VersionMeta> {
    let capture_file: Option<String> = r.try_get(11)?;
    Ok(VersionMeta {
        article_id: r.try_get(0)?,
        number: u32_of(r.try_get(1)?),
        seen_at: time(r.try_get(2)?),
        title: r.try_get(3)?,
        byline: r.try_get(4)?,
        published: opt_time(r.try_get(5)?),
        minor: r.try_get(6)?,
        words_added: u32_of(r.try_get(7)?),
        words_removed: u32_of(r.try_get(8)?),
        hash: hash_from(r.try_get(9)?).unwrap_or(TextHash([0; 16])),
        fingerprint: hash_from(r.try_get(10)?).unwrap_or(TextHash([0; 16])),
        capture: match capture_file {
            Some(file) => Some(CaptureRef {
                file,
                offset: u64_of(r.try_get::<_, Option<i64>>(12)?.unwrap_or(0)),
                length: u64_of(r.try_get::<_, Option<i64>>(13)?.unwrap_or(0)),
            }),
            None => None,
        },
    })
}

/// A version with its text, from [`VERSION_COLUMNS`] then
/// [`TEXT_COLUMNS`].
pub(crate) fn version_from_row(r: &Row) -> Out<Version> {
    let meta = version_meta_from_row(r)?;
    let compressed: Vec<u8> = r.try_get(14)?;
    let len: i64 = r.try_get(15)?;
    let social: Option<String> = r.try_get(16)?;
    let body = decompress_body(&compressed, len).map_err(|e| {
        StoreError::Invalid(format!(
            "version {} of article {}: {e}",
            meta.number, meta.article_id
        ))
    })?;
    let text = ArticleText::from_stored(&meta.title, &meta.byline, social.as_deref(), &body);
    Ok(Version { meta, text })
}

const LISTING_COLUMNS: &str =
    "url, source, kind, next_poll, last_poll, etag, last_modified, last_error, consecutive_errors";

fn listing_from_row(r: &Row) -> Out<Listing> {
    Ok(Listing {
        url: r.try_get(0)?,
        source: r.try_get(1)?,
        kind: named(r, 2, "listing kind", ListingKind::parse)?,
        next_poll: time(r.try_get(3)?),
        last_poll: opt_time(r.try_get(4)?),
        etag: r.try_get(5)?,
        last_modified: r.try_get(6)?,
        last_error: r.try_get(7)?,
        consecutive_errors: u32_of(r.try_get(8)?),
    })
}

/// `sources.extract_remove`: the selectors as a JSON array, NULL for none.
fn removed_json(source: &SourceSpec) -> Option<String> {
    (!source.extract_remove.is_empty())
        .then(|| serde_json::Value::from(source.extract_remove.clone()).to_string())
}

fn upsert_source(tx: &mut Transaction<'_>, source: &SourceSpec, origin: &str) -> Out<u64> {
    let conflict = if origin == "config" {
        "DO UPDATE SET title = excluded.title, article_url = excluded.article_url,
             exclude_url = excluded.exclude_url, extract_body = excluded.extract_body,
             extract_remove = excluded.extract_remove, origin = 'config'"
    } else {
        "DO NOTHING"
    };
    Ok(tx.execute(
        &format!(
            "INSERT INTO sources (name, title, article_url, exclude_url, extract_body,
                 extract_remove, origin)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) {conflict}"
        ),
        &[
            &source.name,
            &source.title,
            &source.article_url,
            &source.exclude_url,
            &source.extract_body,
            &removed_json(source),
            &origin,
        ],
    )?)
}

fn insert_listings(tx: &mut Transaction<'_>, source: &SourceSpec, now: DateTime<Utc>) -> Out<()> {
    for (kind, url) in &source.listings {
        tx.execute(
            "INSERT INTO listings (url, source, kind, next_poll) VALUES ($1, $2, $3, $4)
             ON CONFLICT (url) DO UPDATE SET source = excluded.source, kind = excluded.kind",
            &[url, &source.name, &kind.as_str(), &ms(now)],
        )?;
    }
    Ok(())
}

pub(crate) fn add_event(
    tx: &mut Transaction<'_>,
    article: ArticleId,
    at: DateTime<Utc>,
    kind: EventKind,
    version: Option<u32>,
    detail: Option<&str>,
) -> Out<()> {
    tx.execute(
        "INSERT INTO events (article_id, at, kind, version, detail) VALUES ($1, $2, $3, $4, $5)",
        &[
            &article,
            &ms(at),
            &kind.as_str(),
            &version.map(i64::from),
            &detail,
        ],
    )?;
    Ok(())
}

/// Says that a change was stored (see [`History::changes_generation`]):
/// the counter is bumped inside the writing transaction, so it grows
/// exactly when the change becomes visible.
pub(crate) fn bump_generation(tx: &mut Transaction<'_>) -> Out<()> {
    tx.execute("UPDATE redline_generation SET value = value + 1", &[])?;
    Ok(())
}

/// What a version row holds besides its article, number and time.
pub(crate) struct VersionFields<'a> {
    pub text: &'a ArticleText,
    pub published: Option<DateTime<Utc>>,
    pub minor: bool,
    pub words: (u32, u32),
    pub capture: Option<&'a CaptureRef>,
}

/// Writes a version row with its full-text entry.
pub(crate) fn write_version(
    tx: &mut Transaction<'_>,
    article: ArticleId,
    number: u32,
    at: DateTime<Utc>,
    version: &VersionFields<'_>,
) -> Out<()> {
    let body = version.text.body();
    let compressed = zstd::bulk::compress(body.as_bytes(), ZSTD_LEVEL)
        .map_err(|e| StoreError::Other(format!("compressing a version: {e}")))?;
    let capture = version.capture;
    let search = fts::document(&version.text.title, &body)?;
    tx.execute(
        "INSERT INTO versions (article_id, number, seen_at, title, byline, published, body_zstd,
             body_len, hash, fingerprint, minor, words_added, words_removed, capture_file,
             capture_offset, capture_length, social_title, search)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18::text::tsvector)",
        &[
            &article,
            &i64::from(number),
            &ms(at),
            &version.text.title,
            &version.text.byline,
            &version.published.map(ms),
            &compressed,
            &(body.len() as i64),
            &version.text.hash().0.as_slice(),
            &version.text.fingerprint().0.as_slice(),
            &version.minor,
            &i64::from(version.words.0),
            &i64::from(version.words.1),
            &capture.map(|c| c.file.as_str()),
            &capture.map(|c| c.offset as i64),
            &capture.map(|c| c.length as i64),
            &version.text.social_title,
            &search,
        ],
    )?;
    bump_generation(tx)
}

/// Makes an earlier version the live one (a revert, a return).
fn go_live(tx: &mut Transaction<'_>, article: ArticleId, to: u32, at: i64) -> Out<()> {
    let changed = tx.execute(
        "UPDATE articles SET live_version = v.number, last_changed = $3,
             live_hash = v.hash, live_fingerprint = v.fingerprint, title = v.title
         FROM versions v
         WHERE articles.id = $1 AND v.article_id = $1 AND v.number = $2",
        &[&article, &i64::from(to), &at],
    )?;
    if changed == 0 {
        return Err(Fail::Store(StoreError::Invalid(format!(
            "article {article} has no version {to} to go back to"
        ))));
    }
    Ok(())
}

impl Catalog for PgStore {
    fn sync_sources(&self, sources: &[SourceSpec], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            for source in sources {
                upsert_source(tx, source, "config")?;
                insert_listings(tx, source, now)?;
            }
            // Listings of configured sources that the configuration no longer
            // names are dropped; those of sources added at run time stay.
            let configured: Vec<String> = sources
                .iter()
                .flat_map(|s| s.listings.iter().map(|(_, url)| url.clone()))
                .collect();
            tx.execute(
                "DELETE FROM listings l USING sources s
                 WHERE s.name = l.source AND s.origin = 'config' AND NOT (l.url = ANY($1))",
                &[&configured],
            )?;
            Ok(())
        })
    }

    fn add_source(&self, source: &SourceSpec, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            if upsert_source(tx, source, "admin")? == 0 {
                return Err(Fail::Store(StoreError::SourceExists(source.name.clone())));
            }
            insert_listings(tx, source, now)
        })
    }

    fn source_specs(&self) -> Result<Vec<SourceSpec>> {
        self.read(|tx| {
            let mut specs = Vec::new();
            for r in tx.query(
                "SELECT name, title, article_url, exclude_url, extract_body, extract_remove
                 FROM sources ORDER BY name",
                &[],
            )? {
                let removed: Option<String> = r.try_get(5)?;
                specs.push(SourceSpec {
                    name: r.try_get(0)?,
                    title: r.try_get(1)?,
                    listings: Vec::new(),
                    article_url: r.try_get(2)?,
                    exclude_url: r.try_get(3)?,
                    extract_body: r.try_get(4)?,
                    extract_remove: match removed {
                        Some(json) => serde_json::from_str(&json).map_err(|e| {
                            StoreError::Invalid(format!("sources.extract_remove: {e}"))
                        })?,
                        None => Vec::new(),
                    },
                });
            }
            for r in tx.query("SELECT source, kind, url FROM listings ORDER BY url", &[])? {
                let source: String = r.try_get(0)?;
                let kind = named(&r, 1, "listing kind", ListingKind::parse)?;
                if let Some(spec) = specs.iter_mut().find(|s| s.name == source) {
                    spec.listings.push((kind, r.try_get(2)?));
                }
            }
            Ok(specs)
        })
    }

    fn listings(&self) -> Result<Vec<Listing>> {
        self.read(|tx| {
            let sql = format!("SELECT {LISTING_COLUMNS} FROM listings ORDER BY source, url");
            tx.query(&sql, &[])?.iter().map(listing_from_row).collect()
        })
    }

    fn sources(&self) -> Result<Vec<SourceSummary>> {
        self.read(|tx| source_summaries(tx, true))
    }

    fn visible_sources(&self) -> Result<Vec<SourceSummary>> {
        self.read(|tx| source_summaries(tx, false))
    }
}

impl Queue for PgStore {
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
                let known = tx.query_opt(
                    "SELECT article_id FROM article_urls WHERE url = $1",
                    &[&article.url],
                )?;
                if known.is_some() {
                    continue;
                }
                // Another crawler may add the same URL meanwhile: then it
                // is theirs.
                let Some(row) = tx.query_opt(
                    "INSERT INTO articles (source, url, first_seen, published, title, next_check)
                     VALUES ($1, $2, $3, $4, $5, $3) ON CONFLICT (url) DO NOTHING RETURNING id",
                    &[
                        &source,
                        &article.url,
                        &ms(now),
                        &article.published.map(ms),
                        &article.title,
                    ],
                )?
                else {
                    continue;
                };
                let id: ArticleId = row.try_get(0)?;
                tx.execute(
                    "INSERT INTO article_urls (url, article_id) VALUES ($1, $2)
                     ON CONFLICT (url) DO NOTHING",
                    &[&article.url, &id],
                )?;
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
            // Rows another crawler is claiming or writing right now are
            // skipped, not waited for.
            let sql = format!(
                "UPDATE articles SET lease_until = $3, lease_owner = $4
                 WHERE id IN (
                     SELECT id FROM articles
                     WHERE status IN ('active', 'gone') AND next_check <= $1
                       AND (lease_until IS NULL OR lease_until <= $1)
                     ORDER BY next_check LIMIT $2
                     FOR UPDATE SKIP LOCKED)
                 RETURNING {DUE_COLUMNS}"
            );
            let mut due = tx
                .query(&sql, &[&ms(now), &(limit as i64), &ms(lease_until), &owner])?
                .iter()
                .map(due_from_row)
                .collect::<Out<Vec<_>>>()?;
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
            let Some(held) = tx.query_opt(
                "SELECT lease_owner, lease_until FROM articles WHERE id = $1 FOR UPDATE",
                &[&id],
            )?
            else {
                return Ok(None);
            };
            let holder: Option<String> = held.try_get(0)?;
            let until: Option<i64> = held.try_get(1)?;
            if let (Some(holder), Some(until)) = (holder, until)
                && until > ms(now)
                && holder != owner
            {
                return Err(Fail::Store(StoreError::Leased {
                    article: id,
                    owner: holder,
                    until: time(until),
                }));
            }
            let sql = format!(
                "UPDATE articles SET lease_until = $2, lease_owner = $3 WHERE id = $1
                 RETURNING {DUE_COLUMNS}"
            );
            tx.query_opt(&sql, &[&id, &ms(lease_until), &owner])?
                .map(|r| due_from_row(&r))
                .transpose()
        })
    }

    fn next_due(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        self.read(|tx| {
            let next: Option<i64> = tx
                .query_one(
                    "SELECT min(next_check) FROM articles
                     WHERE status IN ('active', 'gone')
                       AND (lease_until IS NULL OR lease_until <= $1)",
                    &[&ms(now)],
                )?
                .try_get(0)?;
            Ok(opt_time(next))
        })
    }

    fn lease_owners(&self, now: DateTime<Utc>) -> Result<Vec<String>> {
        self.read(|tx| {
            tx.query(
                "SELECT lease_owner FROM articles
                 WHERE lease_until > $1 AND lease_owner IS NOT NULL
                 UNION
                 SELECT lease_owner FROM listings
                 WHERE lease_until > $1 AND lease_owner IS NOT NULL
                 ORDER BY 1",
                &[&ms(now)],
            )?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
        })
    }

    fn release_leases(&self, owners: &[String]) -> Result<()> {
        let owners = owners.to_vec();
        self.write(|tx| {
            tx.execute(
                "UPDATE articles SET lease_until = NULL, lease_owner = NULL
                 WHERE lease_owner = ANY($1)",
                &[&owners],
            )?;
            tx.execute(
                "UPDATE listings SET lease_until = NULL, lease_owner = NULL
                 WHERE lease_owner = ANY($1)",
                &[&owners],
            )?;
            Ok(())
        })
    }

    fn claim_listings(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Listing>> {
        let owner = owner.to_string();
        self.write(|tx| {
            // Rows another crawler is claiming right now are skipped, not
            // waited for: it leases them.
            let sql = format!(
                "UPDATE listings SET lease_owner = $2, lease_until = $3
                 WHERE url IN (
                     SELECT url FROM listings
                     WHERE next_poll <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                     FOR UPDATE SKIP LOCKED)
                 RETURNING {LISTING_COLUMNS}"
            );
            let mut due: Vec<Listing> = tx
                .query(&sql, &[&ms(now), &owner, &ms(lease_until)])?
                .iter()
                .map(listing_from_row)
                .collect::<Out<_>>()?;
            due.sort_by(|a, b| {
                a.next_poll
                    .cmp(&b.next_poll)
                    .then_with(|| a.url.cmp(&b.url))
            });
            Ok(due)
        })
    }

    fn record_listing_poll(&self, poll: &ListingPoll) -> Result<()> {
        self.write(|tx| {
            let (error, failed) = match &poll.result {
                Ok(_) => (None, false),
                Err(e) => (Some(e.as_str()), true),
            };
            tx.execute(
                "UPDATE listings SET last_poll = $2, next_poll = $3, last_error = $4,
                     consecutive_errors = CASE WHEN $5 THEN consecutive_errors + 1 ELSE 0 END,
                     etag = CASE WHEN $5 THEN etag ELSE $6 END,
                     last_modified = CASE WHEN $5 THEN last_modified ELSE $7 END,
                     lease_owner = NULL, lease_until = NULL
                 WHERE url = $1",
                &[
                    &poll.url,
                    &ms(poll.at),
                    &ms(poll.next_poll),
                    &error,
                    &failed,
                    &poll.etag,
                    &poll.last_modified,
                ],
            )?;
            Ok(())
        })
    }
}

impl Recorder for PgStore {
    fn known_versions(&self, id: ArticleId) -> Result<Vec<KnownVersion>> {
        self.read(|tx| {
            tx.query(
                "SELECT number, hash, fingerprint FROM versions WHERE article_id = $1
                 ORDER BY number",
                &[&id],
            )?
            .iter()
            .map(|r| {
                let number = u32_of(r.try_get(0)?);
                let hash: Vec<u8> = r.try_get(1)?;
                let fingerprint: Vec<u8> = r.try_get(2)?;
                match (
                    TextHash::from_slice(&hash),
                    TextHash::from_slice(&fingerprint),
                ) {
                    (Some(hash), Some(fingerprint)) => Ok(KnownVersion {
                        number,
                        hash,
                        fingerprint,
                    }),
                    _ => Err(Fail::Store(StoreError::Invalid(format!(
                        "version {number} of article {id} has a malformed hash"
                    )))),
                }
            })
            .collect()
        })
    }

    fn record_check(&self, record: &CheckRecord) -> Result<Option<u32>> {
        self.write(|tx| {
            record_check(tx, record).map_err(|e| match e {
                // Another writer's version of the same number: the check
                // was classified against a stale history.
                Fail::Pg(pg) if pg.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
                    Fail::Store(StoreError::Conflict {
                        article: record.article,
                    })
                }
                other => other,
            })
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

impl Admin for PgStore {
    fn schedule_check(&self, id: ArticleId, at: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE articles SET next_check = $2,
                     status = CASE WHEN status = 'merged' THEN status ELSE 'active' END
                 WHERE id = $1",
                &[&id, &ms(at)],
            )? > 0)
        })
    }

    fn retire(&self, id: ArticleId, now: DateTime<Utc>) -> Result<bool> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE articles SET status = 'retired', next_check = NULL
                 WHERE id = $1 AND status = 'active'",
                &[&id],
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
                "UPDATE articles SET hidden = $2 WHERE id = $1",
                &[&id, &hidden],
            )? > 0)
        })
    }
}

impl History for PgStore {
    fn find_by_url(&self, url: &str) -> Result<Option<Article>> {
        self.read(|tx| {
            let sql = format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles
                 WHERE id = (SELECT article_id FROM article_urls WHERE url = $1)"
            );
            tx.query_opt(&sql, &[&url])?
                .map(|r| article_from_row(&r))
                .transpose()
        })
    }

    fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        self.read(|tx| {
            let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
            tx.query_opt(&sql, &[&id])?
                .map(|r| article_from_row(&r))
                .transpose()
        })
    }

    fn versions(&self, id: ArticleId) -> Result<Vec<VersionMeta>> {
        self.read(|tx| {
            let sql = format!(
                "SELECT {VERSION_COLUMNS} FROM versions WHERE article_id = $1 ORDER BY number"
            );
            tx.query(&sql, &[&id])?
                .iter()
                .map(version_meta_from_row)
                .collect()
        })
    }

    fn version(&self, id: ArticleId, number: u32) -> Result<Option<Version>> {
        self.read(|tx| {
            let sql = format!(
                "SELECT {VERSION_COLUMNS}, {TEXT_COLUMNS} FROM versions
                 WHERE article_id = $1 AND number = $2"
            );
            tx.query_opt(&sql, &[&id, &i64::from(number)])?
                .map(|r| version_from_row(&r))
                .transpose()
        })
    }

    fn events(&self, id: ArticleId) -> Result<Vec<Event>> {
        self.read(|tx| {
            let mut out = Vec::new();
            for r in tx.query(
                "SELECT at, kind, version, detail FROM events WHERE article_id = $1 ORDER BY id",
                &[&id],
            )? {
                let kind: String = r.try_get(1)?;
                let Some(kind) = EventKind::parse(&kind) else {
                    continue;
                };
                out.push(Event {
                    at: time(r.try_get(0)?),
                    kind,
                    version: r.try_get::<_, Option<i64>>(2)?.map(u32_of),
                    detail: r.try_get(3)?,
                });
            }
            Ok(out)
        })
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>> {
        self.read(|tx| {
            let sql = format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles
                 WHERE ($1::text IS NULL OR source = $1) AND ($2::text IS NULL OR status = $2)
                   AND (NOT $3 OR change_count > 0)
                 ORDER BY coalesce(last_changed, first_seen) DESC, id DESC
                 LIMIT $4 OFFSET $5"
            );
            let limit = (filter.limit > 0).then_some(filter.limit as i64);
            tx.query(
                &sql,
                &[
                    &filter.source,
                    &filter.status.map(|s| s.as_str()),
                    &filter.changed_only,
                    &limit,
                    &(filter.offset as i64),
                ],
            )?
            .iter()
            .map(article_from_row)
            .collect()
        })
    }

    fn changes(&self, query: &crate::ChangeQuery) -> Result<Vec<crate::Change>> {
        self.read(|tx| read::changes(tx, query))
    }

    fn find_articles(&self, query: &crate::ArticleQuery) -> Result<Vec<crate::ArticleHit>> {
        self.read(|tx| read::articles(tx, query))
    }

    fn version_texts(&self, keys: &[(ArticleId, u32)]) -> Result<Vec<Version>> {
        self.read(|tx| read::version_texts(tx, keys))
    }

    fn totals(&self) -> Result<crate::Totals> {
        self.read(read::totals)
    }

    fn metrics(&self, now: DateTime<Utc>) -> Result<crate::StoreMetrics> {
        self.read(|tx| read::metrics(tx, now))
    }

    fn changes_generation(&self) -> Result<i64> {
        self.read(|tx| {
            Ok(tx
                .query_one("SELECT value FROM redline_generation", &[])?
                .try_get(0)?)
        })
    }

    fn site_changes(&self, source: Option<&str>, limit: usize) -> Result<Vec<crate::SiteChange>> {
        self.read(|tx| read::site_changes(tx, source, limit))
    }

    fn source_stats(&self, source: &str, now: DateTime<Utc>) -> Result<Vec<crate::SourceStats>> {
        self.read(|tx| read::source_stats(tx, source, now))
    }

    fn ping(&self) -> Result<()> {
        self.read(|tx| {
            tx.query_one("SELECT 1", &[])?;
            Ok(())
        })
    }
}

/// [`Recorder::record_check`] inside its transaction.
fn record_check(tx: &mut Transaction<'_>, record: &CheckRecord) -> Out<Option<u32>> {
    // The article's row is locked first: a second writer waits here, and
    // then sees the version count this one leaves.
    let Some(current) = tx.query_opt(
        "SELECT version_count, live_version, status FROM articles WHERE id = $1 FOR UPDATE",
        &[&record.article],
    )?
    else {
        return Err(Fail::Store(StoreError::NoSuchArticle(record.article)));
    };
    let version_count = u32_of(current.try_get(0)?);
    let live_version = current.try_get::<_, Option<i64>>(1)?.map(u32_of);
    let was: String = current.try_get(2)?;
    let was_gone = was == ArticleStatus::Gone.as_str();
    if version_count != record.expected_versions {
        return Err(Fail::Store(StoreError::Conflict {
            article: record.article,
        }));
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
            )?;
            tx.execute(
                "UPDATE articles SET version_count = $2, live_version = $3,
                     live_hash = $4, live_fingerprint = $5, title = $6,
                     published = coalesce($7, published), last_changed = $8
                 WHERE id = $1",
                &[
                    &record.article,
                    &i64::from(number + 1),
                    &i64::from(number),
                    &version.text.hash().0.as_slice(),
                    &version.text.fingerprint().0.as_slice(),
                    &version.text.title,
                    &version.published.map(ms),
                    &at,
                ],
            )?;
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
            // Every version after the first is a change (one the caller
            // did not assess is listed with no labels).
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
            tx.execute(
                "INSERT INTO events (article_id, at, kind, version, from_version)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &record.article,
                    &at,
                    &event.as_str(),
                    &i64::from(*to),
                    &i64::from(from),
                ],
            )?;
            let minor: bool = tx
                .query_opt(
                    "SELECT t.fingerprint = p.fingerprint AND t.hash != p.hash
                     FROM versions t, versions p
                     WHERE t.article_id = $1 AND t.number = $2
                       AND p.article_id = $1 AND p.number = $3",
                    &[&record.article, &i64::from(*to), &i64::from(from)],
                )?
                .map(|r| r.try_get(0))
                .transpose()?
                .unwrap_or(false);
            changes::insert_change(tx, &change(kind, *to, from, minor, (0, 0), info, None))?;
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
                "UPDATE articles SET merged_into = $2 WHERE id = $1",
                &[&record.article, into],
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
    // Gone articles are re-checked (slowly, as the crawler schedules them)
    // so that a return is seen.
    let next_check = match status {
        ArticleStatus::Active | ArticleStatus::Gone => record.next_check.map(ms),
        _ => None,
    };
    let error = match &record.outcome {
        CheckOutcome::Failed { error, .. } => Some(error.as_str()),
        _ => None,
    };
    let http = record.http.clone().unwrap_or_default();
    tx.execute(
        "UPDATE articles SET status = $2, next_check = $3, check_interval = $4,
             last_checked = $5, checks = checks + 1, lease_until = NULL, lease_owner = NULL,
             consecutive_errors = CASE WHEN $6 THEN consecutive_errors + 1 ELSE 0 END,
             last_error = $7,
             final_url = coalesce($8, final_url),
             etag = CASE WHEN $6 THEN etag ELSE $9 END,
             last_modified = CASE WHEN $6 THEN last_modified ELSE $10 END
         WHERE id = $1",
        &[
            &record.article,
            &status.as_str(),
            &next_check,
            &(record.check_interval.as_secs() as i64),
            &at,
            &failed,
            &error,
            &http.final_url,
            &http.etag,
            &http.last_modified,
        ],
    )?;
    for alias in &record.aliases {
        tx.execute(
            "INSERT INTO article_urls (url, article_id) VALUES ($1, $2)
             ON CONFLICT (url) DO NOTHING",
            &[alias, &record.article],
        )?;
    }
    tx.execute(
        "UPDATE sources SET checks = checks + 1, errors = errors + $2
         WHERE name = (SELECT source FROM articles WHERE id = $1)",
        &[&record.article, &i64::from(failed)],
    )?;
    Ok(added)
}
