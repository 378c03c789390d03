//! Small in-memory caches. Versions never change once stored, so a diff
//! between two of them can be kept as long as memory allows; the footer's
//! totals are kept a few seconds; a diff card's PNG is kept like a diff.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use redline_diff::Diff;
use redline_store::{ArticleId, Change, ChangeKind, Totals};

type Key = (ArticleId, u32, u32);
type Entries = (HashMap<Key, Arc<Diff>>, VecDeque<Key>);

/// Diffs by (article, from, to), the oldest dropped first past `capacity`.
pub struct DiffCache {
    capacity: usize,
    inner: Mutex<Entries>,
}

impl DiffCache {
    pub fn new(capacity: usize) -> Self {
        DiffCache {
            capacity,
            inner: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    pub fn get(&self, key: Key) -> Option<Arc<Diff>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.0.get(&key).cloned()
    }

    pub fn put(&self, key: Key, diff: Arc<Diff>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *inner;
        if map.insert(key, diff).is_none() {
            order.push_back(key);
            while order.len() > self.capacity {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }
}

type CardEntries = (HashMap<(Key, String), Bytes>, VecDeque<(Key, String)>);

/// Diff cards (PNG bytes) by (article, from, to) and the site name drawn
/// on them, the oldest dropped first past `capacity`.
pub struct CardCache {
    capacity: usize,
    inner: Mutex<CardEntries>,
}

impl CardCache {
    pub fn new(capacity: usize) -> Self {
        CardCache {
            capacity,
            inner: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    pub fn get(&self, key: Key, site: &str) -> Option<Bytes> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.0.get(&(key, site.to_string())).cloned()
    }

    /// Whether a card of `key` is kept, for any site name.
    pub fn has(&self, key: Key) -> bool {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.1.iter().any(|(k, _)| *k == key)
    }

    pub fn put(&self, key: Key, site: &str, png: Bytes) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *inner;
        let full = (key, site.to_string());
        if map.insert(full.clone(), png).is_none() {
            order.push_back(full);
            while order.len() > self.capacity {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }
}

/// The footer's totals, recomputed at most every `ttl`.
pub struct TotalsCache {
    ttl: Duration,
    inner: Mutex<Option<(Instant, Totals)>>,
}

impl TotalsCache {
    pub fn new(ttl: Duration) -> Self {
        TotalsCache {
            ttl,
            inner: Mutex::new(None),
        }
    }

    pub fn get_or(
        &self,
        compute: impl FnOnce() -> redline_store::Result<Totals>,
    ) -> redline_store::Result<Totals> {
        if let Some((at, totals)) = *self.inner.lock().unwrap_or_else(|e| e.into_inner())
            && at.elapsed() < self.ttl
        {
            return Ok(totals);
        }
        let totals = compute()?;
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), totals));
        Ok(totals)
    }
}

/// The diff between versions `a` and `b` of an article, from the cache or
/// computed (and kept).
pub fn diff_pair(
    cache: &DiffCache,
    store: &dyn redline_store::Store,
    article: ArticleId,
    a: u32,
    b: u32,
) -> crate::error::AppResult<Arc<Diff>> {
    // Callers check the numbers against the article's count first, so a
    // missing text means the store lost it.
    diff_changes(cache, store, &[(article, a, b)])?
        .pop()
        .flatten()
        .ok_or_else(|| crate::error::AppError::NotFound(format!("There is no version {a} or {b}.")))
}

/// The diffs of many changes, each given as (article, from, to), texts
/// read in one batch for those not cached. In the order given; a change
/// whose texts are missing gets None.
pub fn diff_changes(
    cache: &DiffCache,
    store: &dyn redline_store::Store,
    changes: &[Key],
) -> crate::error::AppResult<Vec<Option<Arc<Diff>>>> {
    let mut out: Vec<Option<Arc<Diff>>> = changes.iter().map(|&k| cache.get(k)).collect();
    let mut keys: Vec<(ArticleId, u32)> = changes
        .iter()
        .zip(&out)
        .filter(|(_, d)| d.is_none())
        .flat_map(|(&(id, from, to), _)| [(id, from), (id, to)])
        .collect();
    // Consecutive changes of one article share a version.
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Ok(out);
    }
    let texts = store.version_texts(&keys)?;
    let text = |id: ArticleId, n: u32| {
        texts
            .iter()
            .find(|v| v.meta.article_id == id && v.meta.number == n)
    };
    for (slot, &(id, from, to)) in out.iter_mut().zip(changes) {
        if slot.is_some() {
            continue;
        }
        if let (Some(old), Some(new)) = (text(id, from), text(id, to)) {
            let d = Arc::new(redline_diff::diff(&old.text, &new.text));
            cache.put((id, from, to), d.clone());
            *slot = Some(d);
        }
    }
    Ok(out)
}

/// What redline says of the change a diff shows (from the diff's own two
/// texts; `url` tells a live page).
pub fn assessment(diff: &Diff, url: &str) -> redline_classify::Assessment {
    let live = redline_classify::live::is_live_url(url);
    redline_classify::assess(
        &diff.old_text(),
        &diff.new_text(),
        redline_classify::Context { live },
    )
}

/// The (article, from, to) key of a change's diff.
pub fn change_key(c: &Change) -> Key {
    (c.article_id, c.from, c.number)
}

/// Fills in the words added and removed of the reverts among `changes`
/// (the store keeps counts for edits only), from their diffs.
pub fn count_revert_words(
    cache: &DiffCache,
    store: &dyn redline_store::Store,
    changes: &mut [Change],
) -> crate::error::AppResult<()> {
    let reverts: Vec<usize> = (0..changes.len())
        .filter(|&i| {
            let c = &changes[i];
            matches!(c.kind, ChangeKind::Revert | ChangeKind::Restored)
                && c.from != c.number
                && c.words_added + c.words_removed == 0
        })
        .collect();
    let keys: Vec<Key> = reverts.iter().map(|&i| change_key(&changes[i])).collect();
    for (i, diff) in reverts.into_iter().zip(diff_changes(cache, store, &keys)?) {
        if let Some(d) = diff {
            changes[i].words_added = d.words_added as u32;
            changes[i].words_removed = d.words_removed as u32;
        }
    }
    Ok(())
}

/// What a rendered list depends on besides its own parameters: the
/// store's changes generation and the administrators' changes (hide,
/// retire...) made through this server.
pub type Generation = (i64, u64);

type FeedEntries = (
    HashMap<String, (Generation, Instant, Bytes, String)>,
    VecDeque<String>,
);

/// Counts administrators' changes, so cached lists are rebuilt after one.
#[derive(Default)]
pub struct AdminGeneration(AtomicU64);

impl AdminGeneration {
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Rendered feeds (body and ETag) by feed, valid for their generation and
/// at most `ttl`.
pub struct FeedCache {
    capacity: usize,
    ttl: Duration,
    inner: Mutex<FeedEntries>,
}

impl FeedCache {
    pub fn new(capacity: usize, ttl: Duration) -> Self {
        FeedCache {
            capacity,
            ttl,
            inner: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    pub fn get(&self, key: &str, generation: Generation) -> Option<(Bytes, String)> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match inner.0.get(key) {
            Some((g, at, body, etag)) if *g == generation && at.elapsed() < self.ttl => {
                Some((body.clone(), etag.clone()))
            }
            _ => None,
        }
    }

    pub fn put(&self, key: String, generation: Generation, body: Bytes, etag: String) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (map, order) = &mut *inner;
        if map
            .insert(key.clone(), (generation, Instant::now(), body, etag))
            .is_none()
        {
            order.push_back(key);
            while order.len() > self.capacity {
                if let Some(old) = order.pop_front() {
                    map.remove(&old);
                }
            }
        }
    }
}
