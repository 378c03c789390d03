//! The per-host cache of robots.txt rules.
//!
//! One lookup per host at a time: concurrent fetches to a host whose
//! robots.txt is not cached wait for the first one to read it. Rules that
//! were read are trusted for `robots_ttl`. When robots.txt cannot be read
//! (5xx, 429, network error), the host is blocked for `robots_error_ttl`,
//! unless rules read earlier are known: those stay in force (RFC 9309 §2.4
//! lets a crawler keep using a cached copy while robots.txt is unreachable).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::politeness::HostKey;
use crate::robots::RobotsRules;

/// What reading a robots.txt gave.
pub(crate) enum RobotsOutcome {
    /// Rules to follow (from a 2xx, or allow-all for a 4xx).
    Rules(RobotsRules),
    /// Could not be read; the reason completes "robots.txt of HOST ...",
    /// e.g. "answered 503 Service Unavailable".
    Unavailable(String),
    /// Not fetched: the address policy refused the host's address. Not
    /// cached (the page's own fetch would be refused the same way, and
    /// another request may carry an allowance this one did not).
    Refused(crate::address::Refusal),
}

/// The host is blocked: why, and for how much longer.
pub(crate) struct Blocked {
    pub reason: String,
    pub retry_in: Duration,
    /// Set when robots.txt was not read because its address is refused.
    pub refusal: Option<crate::address::Refusal>,
}

#[derive(Default)]
struct Entry {
    /// The last rules read, and until when they are fresh.
    rules: Option<(Arc<RobotsRules>, Instant)>,
    /// The last failure, and until when it stands.
    error: Option<(String, Instant)>,
}

const PRUNE_ABOVE: usize = 2048;

pub(crate) struct RobotsCache {
    ttl: Duration,
    error_ttl: Duration,
    entries: Mutex<HashMap<HostKey, Arc<tokio::sync::Mutex<Entry>>>>,
}

impl RobotsCache {
    pub fn new(ttl: Duration, error_ttl: Duration) -> Self {
        RobotsCache {
            ttl,
            error_ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn cell(&self, key: &HostKey) -> Arc<tokio::sync::Mutex<Entry>> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() > PRUNE_ABOVE {
            let now = Instant::now();
            entries.retain(|_, cell| {
                Arc::strong_count(cell) > 1
                    || cell.try_lock().map_or(true, |e| {
                        e.rules.as_ref().is_some_and(|(_, until)| *until > now)
                            || e.error.as_ref().is_some_and(|(_, until)| *until > now)
                    })
            });
        }
        entries.entry(key.clone()).or_default().clone()
    }

    /// The rules for `key`, reading robots.txt with `fetch` when the cache
    /// has nothing current.
    pub async fn get<F, Fut>(&self, key: &HostKey, fetch: F) -> Result<Arc<RobotsRules>, Blocked>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = RobotsOutcome>,
    {
        let cell = self.cell(key);
        let mut entry = cell.lock().await;
        let now = Instant::now();
        if let Some((rules, until)) = &entry.rules
            && *until > now
        {
            return Ok(rules.clone());
        }
        if let Some((reason, until)) = &entry.error
            && *until > now
        {
            return match &entry.rules {
                Some((stale, _)) => Ok(stale.clone()),
                None => Err(Blocked {
                    reason: reason.clone(),
                    retry_in: *until - now,
                    refusal: None,
                }),
            };
        }
        match fetch().await {
            RobotsOutcome::Refused(refusal) => Err(Blocked {
                reason: refusal.to_string(),
                retry_in: Duration::ZERO,
                refusal: Some(refusal),
            }),
            RobotsOutcome::Rules(rules) => {
                let rules = Arc::new(rules);
                entry.rules = Some((rules.clone(), Instant::now() + self.ttl));
                entry.error = None;
                Ok(rules)
            }
            RobotsOutcome::Unavailable(reason) => {
                entry.error = Some((reason.clone(), Instant::now() + self.error_ttl));
                match &entry.rules {
                    Some((stale, _)) => {
                        tracing::warn!(
                            host = %key,
                            "robots.txt {reason}; keeping the rules read earlier"
                        );
                        Ok(stale.clone())
                    }
                    None => Err(Blocked {
                        reason,
                        retry_in: self.error_ttl,
                        refusal: None,
                    }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use url::Url;

    fn key() -> HostKey {
        HostKey::of(&Url::parse("https://example.com/").unwrap()).unwrap()
    }

    fn disallow_all() -> RobotsRules {
        RobotsRules::parse(b"User-agent: *\nDisallow: /\n", "redline", false)
    }

    #[tokio::test(start_paused = true)]
    async fn rules_are_cached_for_the_ttl() {
        let cache = RobotsCache::new(Duration::from_secs(100), Duration::from_secs(10));
        let calls = AtomicU32::new(0);
        for _ in 0..3 {
            let rules = cache
                .get(&key(), || async {
                    calls.fetch_add(1, Ordering::SeqCst);
                    RobotsOutcome::Rules(disallow_all())
                })
                .await
                .ok()
                .unwrap();
            assert_eq!(*rules, disallow_all());
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_secs(101)).await;
        let _ = cache
            .get(&key(), || async {
                calls.fetch_add(1, Ordering::SeqCst);
                RobotsOutcome::Rules(RobotsRules::allow_all())
            })
            .await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn failure_blocks_for_the_error_ttl_then_asks_again() {
        let cache = RobotsCache::new(Duration::from_secs(100), Duration::from_secs(10));
        let blocked = cache
            .get(&key(), || async {
                RobotsOutcome::Unavailable("answered 503".into())
            })
            .await
            .err()
            .unwrap();
        assert_eq!(blocked.reason, "answered 503");
        assert_eq!(blocked.retry_in, Duration::from_secs(10));
        tokio::time::advance(Duration::from_secs(4)).await;
        let blocked = cache
            .get(&key(), || async {
                panic!("must not refetch while blocked")
            })
            .await
            .err()
            .unwrap();
        assert_eq!(blocked.retry_in, Duration::from_secs(6));
        tokio::time::advance(Duration::from_secs(7)).await;
        assert!(
            cache
                .get(&key(), || async {
                    RobotsOutcome::Rules(RobotsRules::allow_all())
                })
                .await
                .is_ok()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn earlier_rules_survive_a_failed_refresh() {
        let cache = RobotsCache::new(Duration::from_secs(100), Duration::from_secs(10));
        let _ = cache
            .get(&key(), || async { RobotsOutcome::Rules(disallow_all()) })
            .await;
        tokio::time::advance(Duration::from_secs(101)).await;
        let rules = cache
            .get(&key(), || async {
                RobotsOutcome::Unavailable("answered 500".into())
            })
            .await
            .ok()
            .unwrap();
        assert_eq!(*rules, disallow_all());
    }
}
