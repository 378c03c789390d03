//! Test support (feature `testing`): the database a test of another crate
//! runs against. SQLite in the test's directory by default; when
//! `REDLINE_TEST_POSTGRES` holds a PostgreSQL URL (`.ci/with-postgres`
//! starts a throwaway cluster and sets it), a fresh database on that
//! server for every call, so the same tests run against both backends.

use std::path::Path;

use redline_config::Database;

/// The variable naming the PostgreSQL server tests run against.
pub const POSTGRES_VARIABLE: &str = "REDLINE_TEST_POSTGRES";

/// The database of one test: `dir/redline.db`, or a new database on the
/// server `REDLINE_TEST_POSTGRES` names. Panics (it is for tests) if that
/// server cannot create one.
pub fn database(dir: &Path) -> Database {
    match std::env::var(POSTGRES_VARIABLE) {
        Ok(url) if !url.trim().is_empty() => Database::Postgres(fresh_database(url.trim())),
        _ => Database::Sqlite(dir.join("redline.db")),
    }
}

/// True when tests run against PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(POSTGRES_VARIABLE).is_ok_and(|url| !url.trim().is_empty())
}

#[cfg(feature = "postgres")]
fn fresh_database(server: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "redline_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    // On a thread of its own: tests call this from async runtimes, where
    // the synchronous client cannot run.
    let create = format!("CREATE DATABASE {name}");
    let admin_url = server.to_string();
    std::thread::spawn(move || {
        let mut admin =
            postgres::Client::connect(&admin_url, postgres::NoTls).unwrap_or_else(|e| {
                panic!("{POSTGRES_VARIABLE}: cannot connect to the test server: {e}")
            });
        admin
            .batch_execute(&create)
            .unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE}: cannot create a test database: {e}"));
    })
    .join()
    .expect("the test database is created");
    let mut url =
        url::Url::parse(server).unwrap_or_else(|e| panic!("{POSTGRES_VARIABLE} is not a URL: {e}"));
    url.set_path(&name);
    url.to_string()
}

#[cfg(not(feature = "postgres"))]
fn fresh_database(_: &str) -> String {
    panic!("{POSTGRES_VARIABLE} is set, but redline-store was built without its postgres feature")
}
