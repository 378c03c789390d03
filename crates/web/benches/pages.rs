//! Latency of the web interface under load: fills a database with 10,000
//! articles and 40,000 versions of generated news prose (through the
//! Store's write path), serves it on loopback and drives each route with a
//! small HTTP/1.1 load generator (keep-alive connections, several in
//! flight), reporting p50/p99/max per route.
//!
//! ```sh
//! cargo bench -p redline-web --bench pages
//! ```
//!
//! The database is kept in `target/tmp/bench-web.db` and reused by later
//! runs (delete it to rebuild). `REDLINE_BENCH_REQUESTS` (default 2000
//! per route) and `REDLINE_BENCH_CONCURRENCY` (default 4) tune the load.
//!
//! On PostgreSQL: `REDLINE_BENCH_DATABASE=postgres://USER:PASSWORD@HOST/DB`
//! serves that database instead, filled the same way when it is empty and
//! reused when it holds the benchmark's articles (any other content is
//! refused: the benchmark never deletes a PostgreSQL database's rows).

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper_util::rt::TokioIo;
use redline_diff::ArticleText;
use redline_store::{
    ArticleId, ChangeInfo, CheckOutcome, CheckRecord, ListingKind, NewArticle, NewVersion, PgStore,
    SourceSpec, SqliteStore, prelude::*,
};

const ARTICLES: usize = 10_000;
const VERSIONS: usize = 40_000;
const SOURCES: &[(&str, &str)] = &[
    ("bbc", "BBC News"),
    ("guardian", "The Guardian"),
    ("nytimes", "The New York Times"),
    ("independent", "The Independent"),
    ("aljazeera", "Al Jazeera English"),
    ("npr", "NPR"),
    ("dw", "Deutsche Welle"),
    ("france24", "France 24"),
];

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SUBJECTS: &[&str] = &[
    "The minister",
    "Officials",
    "The prime minister",
    "Protesters",
    "The central bank",
    "Investigators",
    "The opposition leader",
    "Aid agencies",
    "The company",
    "Local residents",
    "The defence ministry",
    "Scientists",
    "The mayor",
    "Union leaders",
    "The court",
    "Health authorities",
    "The foreign secretary",
    "Analysts",
    "Police",
    "The committee",
];
const VERBS: &[&str] = &[
    "said",
    "denied",
    "confirmed",
    "warned",
    "announced",
    "rejected",
    "welcomed",
    "criticised",
    "insisted",
    "acknowledged",
    "suggested",
    "promised",
    "questioned",
    "revealed",
    "disputed",
];
const OBJECTS: &[&str] = &[
    "the ceasefire proposal",
    "the budget plan",
    "the new border measures",
    "the report",
    "the trade agreement",
    "the rescue operation",
    "the investigation",
    "the election results",
    "the price increases",
    "the flood defences",
    "the vaccine programme",
    "the merger",
    "the emergency powers",
    "the pension reform",
    "the military exercises",
    "the strike",
    "the water shortage",
    "the court ruling",
    "the energy subsidies",
    "the peace talks",
];
const TAILS: &[&str] = &[
    "on Tuesday",
    "after weeks of negotiations",
    "in a statement released late on Monday",
    "according to people familiar with the matter",
    "despite mounting pressure from allies",
    "at a press conference in the capital",
    "in an interview with local radio",
    "as thousands gathered outside parliament",
    "while rejecting calls for an inquiry",
    "amid growing concern over the cost",
    "before the vote in the upper house",
    "citing security concerns",
    "in the wake of last week's protests",
];
const EXTRAS: &[&str] = &[
    "The decision is expected to affect millions of households across the region.",
    "Critics said the move would do little to address the underlying problems.",
    "No date has been set for the next round of talks.",
    "The government has not said how the measures will be paid for.",
    "Officials declined to give further details, citing an ongoing review.",
    "Figures published on Wednesday showed the situation had worsened since the spring.",
    "The announcement came hours after a rival group made similar claims.",
    "Several witnesses described scenes of confusion in the hours that followed.",
];
const NAMES: &[&str] = &[
    "Amira Haddad",
    "John Carter",
    "Li Wei",
    "Sofia Rossi",
    "Daniel Okafor",
    "Maria Lopez",
    "Tom Fischer",
    "Aisha Khan",
    "Pierre Dubois",
    "Nadia Petrova",
];

fn sentence(r: &mut Rng) -> String {
    if r.below(4) == 0 {
        return r.pick(EXTRAS).to_string();
    }
    format!(
        "{} {} {} {}, and {} {} {}.",
        r.pick(SUBJECTS),
        r.pick(VERBS),
        r.pick(OBJECTS),
        r.pick(TAILS),
        r.pick(SUBJECTS).to_lowercase(),
        r.pick(VERBS),
        r.pick(OBJECTS)
    )
}

fn paragraph(r: &mut Rng) -> String {
    let n = 2 + r.below(3);
    (0..n).map(|_| sentence(r)).collect::<Vec<_>>().join(" ")
}

const SYLLABLES: &[&str] = &[
    "ka", "ri", "no", "ve", "lo", "ta", "mi", "su", "de", "ra", "bo", "ne", "sa", "li", "go", "fe",
];

/// One of 4,096 made-up place names: a rare word, as named entities are
/// in real news, for the search benchmarks.
fn place(k: usize) -> String {
    let s = format!(
        "{}{}{}ton",
        SYLLABLES[k % 16],
        SYLLABLES[(k / 16) % 16],
        SYLLABLES[(k / 256) % 16]
    );
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn first_text(r: &mut Rng, dateline: &str) -> ArticleText {
    let title = format!(
        "{} {} {} {}",
        r.pick(SUBJECTS),
        r.pick(VERBS),
        r.pick(OBJECTS),
        r.pick(TAILS)
    );
    let byline = format!("By {}", r.pick(NAMES));
    let n = 12 + r.below(10);
    let mut paragraphs: Vec<String> = (0..n).map(|_| paragraph(r)).collect();
    paragraphs[0] = format!("{} — {}", dateline.to_uppercase(), paragraphs[0]);
    ArticleText::new(&title, &byline, &paragraphs)
}

/// An edit as newsrooms make them: a few words swapped, a sentence added
/// or cut, a paragraph inserted, sometimes a new headline.
fn edit(r: &mut Rng, old: &ArticleText) -> ArticleText {
    let mut t = old.clone();
    for _ in 0..1 + r.below(3) {
        let i = r.below(t.paragraphs.len());
        match r.below(4) {
            0 => {
                let p = &t.paragraphs[i];
                let word = r.pick(VERBS);
                let replaced = VERBS
                    .iter()
                    .find(|v| p.contains(*v))
                    .map(|v| p.replacen(v, word, 1));
                if let Some(p) = replaced {
                    t.paragraphs[i] = p;
                }
            }
            1 => {
                let s = sentence(r);
                t.paragraphs[i].push(' ');
                t.paragraphs[i].push_str(&s);
            }
            2 if t.paragraphs.len() > 8 => {
                t.paragraphs.remove(i);
            }
            _ => {
                let p = paragraph(r);
                t.paragraphs.insert(i, p);
            }
        }
    }
    if r.below(4) == 0 {
        t.title = format!("{} {} {}", r.pick(SUBJECTS), r.pick(VERBS), r.pick(OBJECTS));
    }
    t
}

fn fill(store: &dyn Store) {
    let t0: DateTime<Utc> = Utc::now() - chrono::Duration::days(60);
    let specs: Vec<SourceSpec> = SOURCES
        .iter()
        .map(|(name, title)| SourceSpec {
            name: (*name).into(),
            title: (*title).into(),
            listings: vec![(
                ListingKind::Feed,
                format!("https://{name}.example/feed.xml"),
            )],
            ..Default::default()
        })
        .collect();
    store.sync_sources(&specs, t0).unwrap();
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let mut written = 0;
    for i in 0..ARTICLES {
        let (source, _) = SOURCES[i % SOURCES.len()];
        let first_seen = t0 + chrono::Duration::minutes(i as i64 * 8);
        let id = store
            .add_articles(
                source,
                &[NewArticle {
                    url: format!("https://{source}.example/news/story-{i}.html"),
                    title: None,
                    published: None,
                }],
                first_seen,
            )
            .unwrap()[0];
        // 1 to 7 versions, 4 on average.
        let mut count = 1 + (i % 7);
        if i + 1 == ARTICLES {
            count += VERSIONS - (0..ARTICLES).map(|k| 1 + k % 7).sum::<usize>();
        }
        let mut text = first_text(&mut r, &place(i % 4096));
        let mut at = first_seen;
        for n in 0..count {
            // Each change is assessed as the crawler assesses it.
            let (added, removed, minor, change) = if n == 0 {
                (0, 0, false, None)
            } else {
                let new = edit(&mut r, &text);
                let d = redline_diff::diff(&text, &new);
                let a = redline_classify::assess(&text, &new, Default::default());
                text = new;
                let change = Some(ChangeInfo::from_assessment(&a));
                (d.words_added as u32, d.words_removed as u32, false, change)
            };
            store
                .record_check(&CheckRecord {
                    article: id,
                    at,
                    expected_versions: n as u32,
                    outcome: CheckOutcome::NewVersion(NewVersion {
                        change,
                        restored: false,
                        text: text.clone(),
                        published: None,
                        minor,
                        words_added: added,
                        words_removed: removed,
                        capture: None,
                    }),
                    next_check: Some(Utc::now() + chrono::Duration::hours(1)),
                    check_interval: Duration::from_secs(3600),
                    retire: false,
                    http: None,
                    aliases: vec![],
                })
                .unwrap();
            written += 1;
            at += chrono::Duration::minutes(20 + r.below(600) as i64);
        }
        if (i + 1) % 2000 == 0 {
            eprintln!(
                "  {} articles, {written} versions ({:.0} s)",
                i + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    assert_eq!(written, VERSIONS);
}

/// The benchmark's database: `REDLINE_BENCH_DATABASE` (PostgreSQL) when
/// set, else the SQLite file under the target directory; with the
/// backend's name for the report.
fn open_database() -> (Arc<dyn Store>, &'static str) {
    match std::env::var("REDLINE_BENCH_DATABASE") {
        Ok(url) if !url.is_empty() => (Arc::new(open_postgres(&url)), "PostgreSQL"),
        _ => (Arc::new(open_sqlite()), "SQLite"),
    }
}

fn open_postgres(url: &str) -> PgStore {
    let store = PgStore::open(url).unwrap_or_else(|e| panic!("REDLINE_BENCH_DATABASE: {e}"));
    let t = store.totals().unwrap();
    if t.articles == ARTICLES as u64 && t.versions == VERSIONS as u64 {
        eprintln!(
            "reusing {} ({} articles, {} versions)",
            store.server(),
            t.articles,
            t.versions
        );
        return store;
    }
    assert!(
        t.articles == 0,
        "REDLINE_BENCH_DATABASE holds {} articles and {} versions, not the benchmark's \
         {ARTICLES} and {VERSIONS}: give it an empty database",
        t.articles,
        t.versions
    );
    eprintln!(
        "filling {} with {ARTICLES} articles and {VERSIONS} versions",
        store.server()
    );
    fill(&store);
    store
}

fn open_sqlite() -> SqliteStore {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("bench-web.db");
    if path.exists() {
        let store = SqliteStore::open(&path).unwrap();
        let t = store.totals().unwrap();
        if t.articles == ARTICLES as u64 && t.versions == VERSIONS as u64 {
            eprintln!(
                "reusing {} ({} articles, {} versions)",
                path.display(),
                t.articles,
                t.versions
            );
            return store;
        }
        drop(store);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    eprintln!(
        "filling {} with {ARTICLES} articles and {VERSIONS} versions",
        path.display()
    );
    let store = SqliteStore::open(&path).unwrap();
    fill(&store);
    store
}

struct Stats {
    route: String,
    latencies: Vec<Duration>,
    errors: usize,
    first: Duration,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Sends `paths` (cycled) over `concurrency` keep-alive connections.
async fn drive(
    addr: SocketAddr,
    route: &str,
    paths: Arc<Vec<String>>,
    requests: usize,
    concurrency: usize,
) -> Stats {
    let mut tasks = Vec::new();
    let per_task = requests / concurrency;
    // One request alone first: the cold cost (empty caches for this path).
    let first = {
        let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        let t = Instant::now();
        let req = Request::get(paths[0].as_str())
            .header("host", "127.0.0.1")
            .body(Empty::<Bytes>::new())
            .unwrap();
        let resp = sender.send_request(req).await.unwrap();
        let _ = resp.into_body().collect().await.unwrap();
        t.elapsed()
    };
    for task in 0..concurrency {
        let paths = paths.clone();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            stream.set_nodelay(true).unwrap();
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .unwrap();
            tokio::spawn(conn);
            let mut latencies = Vec::with_capacity(per_task);
            let mut errors = 0;
            for k in 0..per_task {
                let path = &paths[(task * per_task + k) % paths.len()];
                let req = Request::get(path.as_str())
                    .header("host", "127.0.0.1")
                    .body(Empty::<Bytes>::new())
                    .unwrap();
                let t = Instant::now();
                let resp = sender.send_request(req).await.unwrap();
                let ok = resp.status().is_success();
                let _ = resp.into_body().collect().await.unwrap();
                latencies.push(t.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::with_capacity(requests);
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        all.extend(l);
        errors += e;
    }
    all.sort();
    Stats {
        route: route.to_string(),
        latencies: all,
        errors,
        first,
    }
}

fn main() {
    let requests: usize = std::env::var("REDLINE_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let concurrency: usize = std::env::var("REDLINE_BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4);
    let (store, backend) = open_database();

    // Which pages to ask for: random articles with at least two versions.
    let mut r = Rng(42);
    let changed = common::changed_articles(store.as_ref());
    let mut sample = |n: usize| -> Vec<(ArticleId, u32)> {
        (0..n).map(|_| changed[r.below(changed.len())]).collect()
    };
    let picks = sample(requests);
    let diff_picks = sample(requests);
    let feed_picks = sample(requests);

    // The server: its own runtime, two workers (this machine's cores).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let server_store = store.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            // All requests come from one address here: the per-client
            // budget would answer most of them 429 (see the contention
            // benchmark for the limits at work).
            redline_web::serve_with(
                listener,
                server_store,
                redline_web::WebConfig::default(),
                redline_web::Limits::without_per_client(),
                std::future::pending(),
            )
            .await
            .unwrap();
        });
    });

    let routes: Vec<(&str, Vec<String>)> = vec![
        (
            "/articles/{id}",
            picks
                .iter()
                .map(|(id, _)| format!("/articles/{id}"))
                .collect(),
        ),
        (
            "/articles/{id}/diff/{a}/{b}",
            diff_picks
                .iter()
                .map(|(id, n)| format!("/articles/{id}/diff/{}/{}", n - 2, n - 1))
                .collect(),
        ),
        ("/feeds/changes.atom", vec!["/feeds/changes.atom".into()]),
        ("/feeds/changes.rss", vec!["/feeds/changes.rss".into()]),
        (
            "/sources/{name}/feed.atom",
            SOURCES
                .iter()
                .map(|(n, _)| format!("/sources/{n}/feed.atom"))
                .collect(),
        ),
        (
            "/articles/{id}/feed.atom",
            feed_picks
                .iter()
                .map(|(id, _)| format!("/articles/{id}/feed.atom"))
                .collect(),
        ),
        ("/", vec!["/".into()]),
        (
            "/search?q= (a name)",
            (0..20)
                .map(|k| format!("/search?q={}+OR+{}", place(k * 7), place(k * 7 + 1)))
                .collect(),
        ),
        (
            "/search?q= (common words)",
            vec![
                "/search?q=%22peace+talks%22+pension".into(),
                "/search?q=merger+-strike".into(),
            ],
        ),
        (
            "/search/feed.atom?q= (a name)",
            (0..20)
                .map(|k| format!("/search/feed.atom?q={}+-strike", place(k * 11)))
                .collect(),
        ),
        (
            "/search/feed.atom?q= (common)",
            vec!["/search/feed.atom?q=%22pension+reform%22+flood".into()],
        ),
        ("/api/v1/changes", vec!["/api/v1/changes".into()]),
        ("/api/v1/articles", vec!["/api/v1/articles?limit=50".into()]),
    ];
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut results = Vec::new();
    rt.block_on(async {
        // Wait for the server.
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for (route, paths) in routes {
            // Searches for common words are slow by nature: fewer of them.
            let n = if route.contains("common words") {
                (requests / 10).max(concurrency)
            } else {
                requests
            };
            let stats = drive(addr, route, Arc::new(paths), n, concurrency).await;
            results.push(stats);
        }
    });
    println!();
    println!(
        "{ARTICLES} articles, {VERSIONS} versions on {backend}; {requests} requests per route ({} for common-word searches), {concurrency} connections; loopback",
        (requests / 10).max(concurrency)
    );
    println!(
        "{:<36} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "route", "p50 ms", "p99 ms", "max ms", "first ms", "errors"
    );
    for s in &results {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<36} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>7}",
            s.route,
            ms(percentile(&s.latencies, 0.5)),
            ms(percentile(&s.latencies, 0.99)),
            ms(*s.latencies.last().unwrap()),
            ms(s.first),
            s.errors
        );
    }
}
