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
    // 5: change intelligence. Every change (edit, revert, removal, redirect,
    //    return) is one row of `changes`, with what redline says about it:
    //    labels (each wrapped in commas, ",headline,number,", so that one
    //    label is an `instr` test), significance, summary, and the
    //    signature that groups the same change made to many articles of a
    //    source into a site change. Existing edits and reverts are copied
    //    here (assessed after the migration); so are existing removals.
    //    Gone articles are re-checked slowly, so a return can be seen. Each
    //    article counts its changes.
    r#"
    CREATE TABLE site_changes (
        id         INTEGER PRIMARY KEY,
        source     TEXT NOT NULL,
        signature  INTEGER NOT NULL,
        first_at   INTEGER NOT NULL,
        last_at    INTEGER NOT NULL,
        articles   INTEGER NOT NULL,
        summary    TEXT NOT NULL
    ) STRICT;
    CREATE INDEX site_changes_lookup ON site_changes (source, signature, last_at);

    CREATE TABLE changes (
        id            INTEGER PRIMARY KEY,
        article_id    INTEGER NOT NULL REFERENCES articles(id),
        at            INTEGER NOT NULL,
        kind          TEXT NOT NULL
                      CHECK (kind IN ('edit', 'revert', 'removed', 'redirected', 'restored')),
        number        INTEGER NOT NULL,
        from_number   INTEGER NOT NULL,
        minor         INTEGER NOT NULL DEFAULT 0,
        words_added   INTEGER NOT NULL DEFAULT 0,
        words_removed INTEGER NOT NULL DEFAULT 0,
        labels        TEXT NOT NULL DEFAULT ',',
        significance  INTEGER,
        summary       TEXT,
        signature     INTEGER,
        site_change   INTEGER REFERENCES site_changes(id),
        detail        TEXT
    ) STRICT;
    CREATE INDEX changes_recent ON changes (at, id);
    CREATE INDEX changes_article ON changes (article_id, at);
    CREATE INDEX changes_signature ON changes (signature, at) WHERE signature IS NOT NULL;
    CREATE INDEX changes_significance ON changes (significance, at);

    INSERT INTO changes (article_id, at, kind, number, from_number, minor, words_added,
                         words_removed)
    SELECT article_id, seen_at, 'edit', number, number - 1, minor, words_added, words_removed
    FROM versions WHERE number > 0;

    INSERT INTO changes (article_id, at, kind, number, from_number, minor)
    SELECT e.article_id, e.at, 'revert', e.version, e.from_version,
           t.fingerprint = p.fingerprint
    FROM events e
    JOIN versions t ON t.article_id = e.article_id AND t.number = e.version
    JOIN versions p ON p.article_id = e.article_id AND p.number = e.from_version
    WHERE e.kind = 'reverted';

    INSERT INTO changes (article_id, at, kind, number, from_number, detail)
    SELECT e.article_id, e.at, 'removed', v.number, v.number, e.detail
    FROM events e
    JOIN versions v ON v.article_id = e.article_id AND v.number =
        (SELECT max(number) FROM versions m WHERE m.article_id = e.article_id AND m.seen_at <= e.at)
    WHERE e.kind = 'gone';

    DROP INDEX articles_due;
    CREATE INDEX articles_due ON articles (next_check) WHERE status IN ('active', 'gone');

    -- An article's changes, counted as they are written (one definition of
    -- "changed N times" for every page, command and API answer).
    ALTER TABLE articles ADD COLUMN change_count INTEGER NOT NULL DEFAULT 0;
    UPDATE articles SET change_count =
        (SELECT count(*) FROM changes c WHERE c.article_id = articles.id);
    "#,
    // 6: a source's CSS extraction rules, so a source added at run time
    //    extracts as a configured one does: the body selector, and the
    //    selectors removed as a JSON array (NULL: none).
    r#"
    ALTER TABLE sources ADD COLUMN extract_body TEXT;
    ALTER TABLE sources ADD COLUMN extract_remove TEXT;
    "#,
    // 7: who holds a lease: the crawler id of the process checking the
    //    article, so several crawlers can share one database and a crawler
    //    can tell its own leases (to drop at start-up) from the others'.
    r#"
    ALTER TABLE articles ADD COLUMN lease_owner TEXT;
    "#,
    // 8: a version's social headline (og:title) where it differs from the
    //    headline: '' when it does not, NULL for versions stored before it
    //    was kept (a social headline appearing on those is not an edit).
    r#"
    ALTER TABLE versions ADD COLUMN social_title TEXT;
    "#,
    // 9: what the changes generation adds to its sum of row ids, so that a
    //    rebuild deleting the newest rows never lowers it (SQLite reuses
    //    the ids freed).
    r#"
    CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO store_meta (key, value) VALUES ('generation_offset', 0);
    "#,
    // 10: leases on listings, as on articles: several crawlers sharing a
    //     database poll each feed, page and sitemap once.
    r#"
    ALTER TABLE listings ADD COLUMN lease_owner TEXT;
    ALTER TABLE listings ADD COLUMN lease_until INTEGER;
    "#,
    // 11: the alerts' outbox. A change a check finds is queued in
    //     change_outbox in the transaction that writes it; the delivery
    //     worker matches it against the rules and turns it into one row of
    //     deliveries per matching alert (once: UNIQUE), then sends them.
    r#"
    CREATE TABLE change_outbox (change_id INTEGER PRIMARY KEY);
    CREATE TABLE deliveries (
        id           INTEGER PRIMARY KEY,
        alert        TEXT NOT NULL,
        change_id    INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        state        TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sent', 'grouped', 'failed')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        next_attempt INTEGER NOT NULL,
        lease_owner  TEXT,
        lease_until  INTEGER,
        message      TEXT,
        sent_at      INTEGER,
        last_error   TEXT,
        UNIQUE (alert, change_id)
    );
    CREATE INDEX deliveries_due ON deliveries (next_attempt) WHERE state = 'queued';
    CREATE INDEX deliveries_sent ON deliveries (alert, sent_at) WHERE sent_at IS NOT NULL;
    "#,
];
