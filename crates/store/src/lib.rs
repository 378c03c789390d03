//! Storage: the [`Store`] interface through which the crawler, the CLI and
//! the web interface read and write articles, versions, schedules and
//! listings, and its backends: SQLite ([`SqliteStore`], one file) and
//! PostgreSQL ([`PgStore`], behind the `postgres` feature, one database
//! for several crawlers).
//!
//! The crawler only ever sees `dyn Store`, so another backend (PostgreSQL,
//! for several crawlers on one database) plugs in without touching it. The
//! contract every backend keeps:
//! - [`Recorder::record_check`] writes a check's result — new version, the
//!   article's new state and schedule, its history event — in one
//!   transaction: a crash at any moment loses no stored version and leaves
//!   no half-written one;
//! - [`Queue::claim_due`] leases the articles it hands out to the crawler
//!   that asks (by its id), so that two crawlers never check the same
//!   article at once; a lease expires, and a crawler takes only expired
//!   ones (its own it renews, or drops at start-up);
//! - version texts are stored compressed;
//! - the search language ([`search`]) is the store's: callers hand it a
//!   parsed [`search::TextQuery`], and each backend translates it into its
//!   own full-text search.

#![forbid(unsafe_code)]

pub mod copy;
mod error;
mod model;
mod outbox;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod search;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
mod web_model;

use chrono::{DateTime, Utc};

pub use error::StoreError;
pub use model::*;
pub use outbox::{
    AlertStatus, Delivery, DeliveryResult, MessageCounts, NewDelivery, Outbox, delivery_id,
    digest_id, site_change_id,
};
#[cfg(feature = "postgres")]
pub use postgres::PgStore;
pub use sqlite::{SITE_CHANGE_MIN_ARTICLES, SITE_CHANGE_WINDOW_MS, SqliteStore};
pub use web_model::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Copies everything `from` holds into `to` and verifies the copy (see
/// [`copy`]); both are migrated to this redline's schema first. `progress`
/// hears of each batch and each table verified.
pub fn copy_database(
    from: &redline_config::Database,
    to: &redline_config::Database,
    progress: &mut dyn FnMut(copy::Progress),
) -> Result<copy::CopyReport> {
    if from == to {
        return Err(StoreError::Refused(format!(
            "{from} is both the source and the target of the copy: name two databases"
        )));
    }
    let from = tables(from)?;
    let to = tables(to)?;
    copy::copy(from.as_ref(), to.as_ref(), progress)
}

fn tables(database: &redline_config::Database) -> Result<Box<dyn copy::Tables>> {
    use redline_config::Database;
    Ok(match database {
        Database::Sqlite(path) => Box::new(SqliteStore::open(path)?),
        #[cfg(feature = "postgres")]
        Database::Postgres(url) => Box::new(PgStore::open_with(url, 2)?),
        #[cfg(not(feature = "postgres"))]
        Database::Postgres(_) => return Err(without_postgres(database)),
    })
}

#[cfg(not(feature = "postgres"))]
fn without_postgres(database: &redline_config::Database) -> StoreError {
    StoreError::Open {
        path: database.redacted(),
        reason: "this redline was built without PostgreSQL (the store's `postgres` feature); \
                 give a SQLite file's path in [storage] database"
            .into(),
    }
}

/// The store's interface, every part: `use redline_store::prelude::*` to
/// call a `dyn Store`'s methods.
pub mod prelude {
    pub use crate::{Admin, Catalog, History, Outbox, Queue, Recorder, Store};
}

/// Opens the store `[storage] database` names: a SQLite file, or a
/// PostgreSQL database (with at most `pool_size` connections to it). Either
/// is migrated to this redline's schema first.
pub fn open(
    database: &redline_config::Database,
    pool_size: u32,
) -> Result<std::sync::Arc<dyn Store>> {
    use redline_config::Database;
    Ok(match database {
        Database::Sqlite(path) => std::sync::Arc::new(SqliteStore::open(path)?),
        #[cfg(feature = "postgres")]
        Database::Postgres(url) => std::sync::Arc::new(PgStore::open_with(url, pool_size)?),
        #[cfg(not(feature = "postgres"))]
        Database::Postgres(_) => {
            let _ = pool_size;
            return Err(without_postgres(database));
        }
    })
}

/// Everything redline keeps: every part of the interface, one job each.
/// A backend implements the six parts; `dyn Store` is what the crawler,
/// the CLI and the web interface hold. (Bring the parts into scope to call
/// them: `use redline_store::prelude::*`.)
pub trait Store: Catalog + Queue + Recorder + Admin + History + Outbox {}

impl<T: Catalog + Queue + Recorder + Admin + History + Outbox> Store for T {}

/// The outlets: their configuration (sources and listings) and what
/// is counted of them.
pub trait Catalog: Send + Sync {
    /// Brings the sources and their listings in line with the
    /// configuration: new ones are added (due at once), removed listings
    /// are dropped. Articles of removed sources are kept.
    fn sync_sources(&self, sources: &[SourceSpec], now: DateTime<Utc>) -> Result<()>;

    /// Adds a source at run time (an administrator's). Its listings are due
    /// at once. Fails if a source of that name exists.
    fn add_source(&self, source: &SourceSpec, now: DateTime<Utc>) -> Result<()>;

    /// Every source the store knows, configured or added, with its patterns
    /// and listings.
    fn source_specs(&self) -> Result<Vec<SourceSpec>>;

    /// Every listing, with its schedule and last poll.
    fn listings(&self) -> Result<Vec<Listing>>;

    /// Every source with its counts (articles, versions, checks, errors).
    fn sources(&self) -> Result<Vec<SourceSummary>>;

    /// Like [`Catalog::sources`], counting only articles that are not hidden.
    fn visible_sources(&self) -> Result<Vec<SourceSummary>>;
}

/// The crawler's work: which articles and listings are due, and
/// leased to which crawler, so that crawlers sharing a database never
/// check an article or poll a listing at the same time.
pub trait Queue: Send + Sync {
    /// Adds the articles whose URL is not known yet (under any alias) to
    /// `source`, due for a check at once. Returns the ids of those added.
    fn add_articles(
        &self,
        source: &str,
        articles: &[NewArticle],
        now: DateTime<Utc>,
    ) -> Result<Vec<ArticleId>>;

    /// Leases up to `limit` active articles due at `now` to the crawler
    /// `owner` until `lease_until`, soonest due first; articles another
    /// lease is unexpired on are skipped, whoever holds it: an article this
    /// crawler is checking is not handed out to it a second time (a
    /// restarted crawler drops its old leases first, see
    /// [`Queue::release_leases`]).
    fn claim_due(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        limit: usize,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<DueArticle>>;

    /// Leases one article to `owner` whatever its schedule or status (for
    /// `redline check`, and to renew a lease). None if unknown;
    /// [`StoreError::Leased`] if another crawler holds an unexpired lease.
    fn claim(
        &self,
        owner: &str,
        id: ArticleId,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Option<DueArticle>>;

    /// The earliest next check of an active article not leased at `now`
    /// (one being checked is no reason to wake up).
    fn next_due(&self, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>>;

    /// The crawlers holding unexpired leases (on articles or listings) at
    /// `now`, each once.
    fn lease_owners(&self, now: DateTime<Utc>) -> Result<Vec<String>>;

    /// Drops the leases of these crawlers, on articles and listings: a
    /// crawler's own at start-up,
    /// and those of crawlers known to be dead (a process of this host that
    /// is gone), so their articles need not wait for the leases to expire.
    fn release_leases(&self, owners: &[String]) -> Result<()>;

    /// Leases the listings due for a poll at `now` to the crawler `owner`
    /// until `lease_until`, soonest due first, skipping those another
    /// unexpired lease is on (whoever holds it): several crawlers sharing
    /// one database poll each listing once. [`Queue::record_listing_poll`]
    /// ends the lease; so does [`Queue::release_leases`].
    fn claim_listings(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Listing>>;

    /// Records a poll's result and the listing's next poll, and ends its
    /// lease.
    fn record_listing_poll(&self, poll: &ListingPoll) -> Result<()>;
}

/// What checks find: the versions a new text is classified against,
/// a check's result written atomically, and a history rebuilt by
/// re-extraction.
pub trait Recorder: Send + Sync {
    /// Hashes of every version of an article, for classifying a new text.
    fn known_versions(&self, id: ArticleId) -> Result<Vec<redline_diff::KnownVersion>>;

    /// Writes the result of a check atomically. Returns the number of the
    /// version added, if any.
    fn record_check(&self, record: &CheckRecord) -> Result<Option<u32>>;

    /// Replaces an article's versions by `rebuilt` (oldest first, each
    /// naming the old versions it replaces), in one transaction: their
    /// texts, edits and the full-text index are rewritten, the other
    /// changes (reverts, removals, returns) keep their times with version
    /// numbers mapped, changes that became empty are dropped, and a
    /// `rebuilt` event saying so (`detail`) is added. Nothing gets a new
    /// time, so the feeds raise no entry for the rebuild. Refused with
    /// [`StoreError::Conflict`] if the article gained versions meanwhile
    /// (`expected_versions`).
    fn rebuild_versions(
        &self,
        article: ArticleId,
        expected_versions: u32,
        rebuilt: &[RebuiltVersion],
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
}

/// An administrator's actions on one article.
pub trait Admin: Send + Sync {
    /// Makes an article due at `at` (an administrator's or a benchmark's
    /// re-check). A retired or gone article becomes active again; a merged
    /// one stays merged. Returns false if there is no such article.
    fn schedule_check(&self, id: ArticleId, at: DateTime<Utc>) -> Result<bool>;

    /// Stops checking an article (an administrator's decision).
    fn retire(&self, id: ArticleId, now: DateTime<Utc>) -> Result<bool>;

    /// Hides an article from every page, feed, search and API answer (a
    /// legal takedown), or shows it again. Returns false if unknown.
    fn set_hidden(&self, id: ArticleId, hidden: bool) -> Result<bool>;
}

/// Reading what is kept: articles, versions, changes, search and
/// figures, for the web interface and the CLI. Lists never include a
/// hidden article.
pub trait History: Send + Sync {
    /// The article known under `url` (its own or an alias).
    fn find_by_url(&self, url: &str) -> Result<Option<Article>>;

    fn article(&self, id: ArticleId) -> Result<Option<Article>>;

    /// Every version's metadata, oldest first.
    fn versions(&self, id: ArticleId) -> Result<Vec<VersionMeta>>;

    /// One version with its text.
    fn version(&self, id: ArticleId, number: u32) -> Result<Option<Version>>;

    /// The article's history, oldest first.
    fn events(&self, id: ArticleId) -> Result<Vec<Event>>;

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>>;

    /// Changes (versions after the first), newest first.
    fn changes(&self, query: &ChangeQuery) -> Result<Vec<Change>>;

    /// Articles, most recently changed first, optionally those matching a
    /// full-text expression (each hit naming the latest matching version).
    /// A malformed expression is [`StoreError::Invalid`].
    fn find_articles(&self, query: &ArticleQuery) -> Result<Vec<ArticleHit>>;

    /// Several versions with their texts in one go, in the order asked;
    /// those that do not exist are left out.
    fn version_texts(&self, keys: &[(ArticleId, u32)]) -> Result<Vec<Version>>;

    /// Articles, versions and sources, hidden articles left out.
    fn totals(&self) -> Result<Totals>;

    /// Figures for monitoring: articles by status, checks and errors by
    /// source, how late the check queue is at `now`.
    fn metrics(&self, now: DateTime<Utc>) -> Result<StoreMetrics>;

    /// A number that grows whenever a change (a version, a revert, a
    /// removal, a return) is stored, so caches of rendered lists can tell
    /// when they are stale.
    fn changes_generation(&self) -> Result<i64>;

    /// Site changes (one change made to many articles of a source), most
    /// recent first, of `source` or of all.
    fn site_changes(&self, source: Option<&str>, limit: usize) -> Result<Vec<SiteChange>>;

    /// An outlet's figures (share of articles changed, changes per changed
    /// article, time to the first change, major and stealth shares,
    /// removals) over the last 7 days, 30 days and all time, in that order.
    fn source_stats(&self, source: &str, now: DateTime<Utc>) -> Result<Vec<SourceStats>>;

    /// True while the database answers.
    fn ping(&self) -> Result<()>;
}
