//! The SQLite schema and its migrations. `PRAGMA user_version` holds the
//! number of migrations applied; each runs in its own transaction, so a
//! crash mid-migration leaves the previous schema intact. Never edit a
//! migration that has shipped: add a new one.
//!
//! Times are Unix milliseconds (UTC). Version texts are zstd-compressed
//! paragraphs separated by newlines.

/// The migration that creates the full-text index; after it, existing
/// versions are indexed.
pub const FTS_MIGRATION: usize = 2;

pub const MIGRATIONS: &[&str] = &[
    // 1: the core schema.
    r#"
    CREATE TABLE sources (
        name       TEXT PRIMARY KEY,
        title      TEXT NOT NULL,
        checks     INTEGER NOT NULL DEFAULT 0,
        errors     INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE listings (
        url                TEXT PRIMARY KEY,
        source             TEXT NOT NULL REFERENCES sources(name),
        kind               TEXT NOT NULL CHECK (kind IN ('feed', 'page', 'sitemap')),
        next_poll          INTEGER NOT NULL,
        last_poll          INTEGER,
        etag               TEXT,
        last_modified      TEXT,
        last_error         TEXT,
        consecutive_errors INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE articles (
        id                 INTEGER PRIMARY KEY,
        source             TEXT NOT NULL REFERENCES sources(name),
        url                TEXT NOT NULL UNIQUE,
        final_url          TEXT,
        status             TEXT NOT NULL DEFAULT 'active'
                           CHECK (status IN ('active', 'retired', 'gone', 'merged')),
        merged_into        INTEGER REFERENCES articles(id),
        hidden             INTEGER NOT NULL DEFAULT 0,
        first_seen         INTEGER NOT NULL,
        published          INTEGER,
        title              TEXT,
        version_count      INTEGER NOT NULL DEFAULT 0,
        live_version       INTEGER,
        live_hash          BLOB,
        live_fingerprint   BLOB,
        last_changed       INTEGER,
        last_checked       INTEGER,
        next_check         INTEGER,
        check_interval     INTEGER NOT NULL DEFAULT 0,
        lease_until        INTEGER,
        checks             INTEGER NOT NULL DEFAULT 0,
        consecutive_errors INTEGER NOT NULL DEFAULT 0,
        last_error         TEXT,
        etag               TEXT,
        last_modified      TEXT
    ) STRICT;
    CREATE INDEX articles_due ON articles (next_check) WHERE status = 'active';
    CREATE INDEX articles_source ON articles (source, id);

    -- Every URL an article is known under: its own, its canonical URL,
    -- where it redirected to.
    CREATE TABLE article_urls (
        url        TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE versions (
        id               INTEGER PRIMARY KEY,
        article_id       INTEGER NOT NULL REFERENCES articles(id),
        number           INTEGER NOT NULL,
        seen_at          INTEGER NOT NULL,
        title            TEXT NOT NULL,
        byline           TEXT NOT NULL,
        published        INTEGER,
        body_zstd        BLOB NOT NULL,
        body_len         INTEGER NOT NULL,
        hash             BLOB NOT NULL,
        fingerprint      BLOB NOT NULL,
        minor            INTEGER NOT NULL,
        words_added      INTEGER NOT NULL,
        words_removed    INTEGER NOT NULL,
        capture_file     TEXT,
        capture_offset   INTEGER,
        capture_length   INTEGER,
        UNIQUE (article_id, number)
    ) STRICT;
    CREATE INDEX versions_seen ON versions (seen_at);

    CREATE TABLE events (
        id         INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        version    INTEGER,
        detail     TEXT
    ) STRICT;
    CREATE INDEX events_article ON events (article_id, id);
    "#,
    // 2: sources added at run time (by an administrator) with their URL
    //    patterns; full-text search over every version; version lookups by
    //    time for the latest-changes views.
    r#"
    ALTER TABLE sources ADD COLUMN article_url TEXT;
    ALTER TABLE sources ADD COLUMN exclude_url TEXT;
    ALTER TABLE sources ADD COLUMN origin TEXT NOT NULL DEFAULT 'config';

    -- Contentless: the index only; texts stay compressed in `versions`.
    -- rowid = versions.id.
    CREATE VIRTUAL TABLE versions_fts USING fts5(
        title, body, content = '', tokenize = 'unicode61 remove_diacritics 2'
    );
    "#,
    // 3: the web interface's article lists (most recently changed first)
    //    read in index order.
    r#"
    CREATE INDEX articles_recent ON articles (coalesce(last_changed, first_seen), id);
    "#,
    // 4: reverts in the latest changes: each revert names the version the
    //    article showed before it (for earlier reverts: the version of the
    //    article's previous new-version or revert event), and the lists
    //    read reverts by time.
    r#"
    ALTER TABLE events ADD COLUMN from_version INTEGER;
    UPDATE events SET from_version =
        (SELECT p.version FROM events p
         WHERE p.article_id = events.article_id AND p.id < events.id
           AND p.kind IN ('new_version', 'reverted')
         ORDER BY p.id DESC LIMIT 1)
    WHERE kind = 'reverted';
    CREATE INDEX events_reverts ON events (at, id) WHERE kind = 'reverted';
    "#,
];
