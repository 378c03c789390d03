//! What the crash tests (tests/crash.rs on SQLite, tests/crash_postgres.rs
//! on PostgreSQL with several crawlers) share: their settings from the
//! environment, a reproducible random source, starting a crawler, and
//! editing the newsroom's articles without skipping a revision.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use redline_newsroom::{Edit, Newsroom};
use redline_store::{ArticleFilter, ArticleId, Store};

/// `name` from the environment, parsed, else `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `REDLINE_CRASH_SEED` when given (to replay a run), else one from the
/// clock.
pub fn seed() -> u64 {
    env_or(
        "REDLINE_CRASH_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1,
    )
}

/// xorshift64*: reproducible from the printed seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Starts `redline crawl` with `config`, its log (filtered by `log_filter`,
/// a REDLINE_LOG value) appended to `log`.
pub fn start_crawler(config: &Path, log: &Path, log_filter: &str) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["--config", config.to_str().unwrap(), "crawl"])
        .env("REDLINE_LOG", log_filter)
        .env_remove("REDLINE_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("redline starts")
}

/// The room's articles whose current text the database already holds as
/// the live version: safe to edit without skipping a revision. (Two
/// queries and one batch of versions, not a few per article: the
/// PostgreSQL test asks this of thousands of articles while they crawl.)
pub fn settled(room: &Newsroom, store: &dyn Store) -> Vec<u64> {
    let Ok(articles) = store.articles(&ArticleFilter::default()) else {
        return Vec::new();
    };
    let by_url: HashMap<&str, (ArticleId, Option<u32>)> = articles
        .iter()
        .map(|a| (a.url.as_str(), (a.id, a.live_version)))
        .collect();
    let mut wanted: Vec<(u64, (ArticleId, u32))> = Vec::new();
    for id in room.article_ids() {
        let url = room.article_url(id);
        let found = match by_url.get(url.as_str()) {
            Some(found) => Some(*found),
            None => store
                .find_by_url(&url)
                .ok()
                .flatten()
                .map(|a| (a.id, a.live_version)),
        };
        if let Some((article, Some(live))) = found {
            wanted.push((id, (article, live)));
        }
    }
    let keys: Vec<(ArticleId, u32)> = wanted.iter().map(|(_, key)| *key).collect();
    let mut texts = HashMap::new();
    for chunk in keys.chunks(200) {
        let Ok(versions) = store.version_texts(chunk) else {
            return Vec::new();
        };
        texts.extend(
            versions
                .into_iter()
                .map(|v| ((v.meta.article_id, v.meta.number), v.text)),
        );
    }
    wanted
        .into_iter()
        .filter(|(id, key)| {
            let (Some(truth), Some(text)) = (room.article(*id), texts.get(key)) else {
                return false;
            };
            text.title == truth.headline && text.paragraphs == truth.paragraphs
        })
        .map(|(id, _)| id)
        .collect()
}

/// Edits `n` distinct settled articles (a word, a paragraph or the
/// headline), each edit tagged `crasheditN` with `counter` counting them.
/// Returns how many were edited.
pub fn edit_some(
    room: &Newsroom,
    store: &dyn Store,
    rng: &mut Rng,
    counter: &mut u64,
    n: usize,
) -> usize {
    let mut candidates = settled(room, store);
    // Distinct articles: a second edit before the first is stored would
    // skip a revision, which no tracker can see.
    let n = n.min(candidates.len());
    for i in 0..n {
        let j = i + rng.below((candidates.len() - i) as u64) as usize;
        candidates.swap(i, j);
        let id = candidates[i];
        *counter += 1;
        let tag = format!("crashedit{counter}");
        let paragraphs = room.article(id).unwrap().paragraphs.len();
        let edit = match rng.below(3) {
            0 => Edit::ReplaceWord {
                paragraph: rng.below(paragraphs as u64) as usize,
                word_index: 1,
                with: tag,
            },
            1 => Edit::AddParagraph {
                at: paragraphs,
                text: format!("Update {tag}: the council has since responded to the report."),
            },
            _ => Edit::SetHeadline(format!("Headline revised {tag}")),
        };
        room.edit(id, edit).unwrap();
    }
    n
}
