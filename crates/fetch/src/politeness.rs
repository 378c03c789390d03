//! Politeness: how many requests run at once, overall and per host, and how
//! soon one request to a host may follow the previous one.
//!
//! A request takes, in this order: a per-host permit (so tasks for a busy
//! host queue among themselves), then waits until the host's next start time
//! (holding no global permit while it sleeps, so other hosts are not held
//! up), then a global permit; it then checks the host's start time again
//! and, if another task started meanwhile, gives the global permit back and
//! waits again. The start time recorded is the real start, so the minimum
//! delay holds across all tasks.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

/// A host as politeness and robots.txt see it: scheme, host and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct HostKey {
    pub scheme: String,
    pub host: String,
    pub port: u16,
}

impl HostKey {
    /// `None` for URLs without a host or a known port.
    pub fn of(url: &Url) -> Option<HostKey> {
        Some(HostKey {
            scheme: url.scheme().to_string(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
        })
    }

    /// The host as shown to users: `example.com`, or `example.com:8080` for
    /// a non-default port.
    pub fn display_host(&self) -> String {
        let default = match self.scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => 0,
        };
        if self.port == default {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// `scheme://host[:port]/robots.txt`.
    pub fn robots_url(&self) -> Option<Url> {
        Url::parse(&format!(
            "{}://{}/robots.txt",
            self.scheme,
            self.display_host()
        ))
        .ok()
    }
}

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.display_host())
    }
}

/// Hosts kept in the table before idle ones are dropped.
const PRUNE_ABOVE: usize = 2048;

pub(crate) struct Politeness {
    global: Arc<Semaphore>,
    per_host_concurrency: usize,
    per_host_delay: Duration,
    hosts: Mutex<HashMap<HostKey, Arc<Host>>>,
}

struct Host {
    permits: Arc<Semaphore>,
    timing: Mutex<Timing>,
}

struct Timing {
    last_start: Option<Instant>,
    /// Set after a 429/503 with Retry-After: no start before this.
    not_before: Option<Instant>,
    /// `per_host_delay`, or a longer Crawl-delay from robots.txt.
    delay: Duration,
}

impl Timing {
    fn earliest_start(&self) -> Option<Instant> {
        let after_last = self.last_start.map(|t| t + self.delay);
        match (after_last, self.not_before) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Held while a request runs; dropping it frees both slots.
pub(crate) struct Slot {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks cannot leave the data
    // inconsistent (plain assignments), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Politeness {
    pub fn new(concurrency: usize, per_host_concurrency: usize, per_host_delay: Duration) -> Self {
        Politeness {
            global: Arc::new(Semaphore::new(concurrency)),
            per_host_concurrency,
            per_host_delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, key: &HostKey) -> Arc<Host> {
        let mut hosts = lock(&self.hosts);
        if hosts.len() > PRUNE_ABOVE {
            let idle_for = Duration::from_secs(3600);
            hosts.retain(|_, h| {
                Arc::strong_count(h) > 1
                    || lock(&h.timing)
                        .earliest_start()
                        .is_some_and(|t| t + idle_for > Instant::now())
            });
        }
        hosts
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Arc::new(Semaphore::new(self.per_host_concurrency)),
                    timing: Mutex::new(Timing {
                        last_start: None,
                        not_before: None,
                        delay: self.per_host_delay,
                    }),
                })
            })
            .clone()
    }

    /// Waits until a request to `key` may start, and reserves its slots.
    pub async fn acquire(&self, key: &HostKey) -> Slot {
        let host = self.host(key);
        // The semaphores are never closed, so acquiring cannot fail.
        let host_permit = host
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("per-host semaphore is never closed");
        loop {
            let earliest = lock(&host.timing).earliest_start();
            if let Some(t) = earliest
                && t > Instant::now()
            {
                tokio::time::sleep_until(t).await;
            }
            let global = self
                .global
                .clone()
                .acquire_owned()
                .await
                .expect("global semaphore is never closed");
            let mut timing = lock(&host.timing);
            let now = Instant::now();
            if timing.earliest_start().is_none_or(|t| t <= now) {
                timing.last_start = Some(now);
                return Slot {
                    _host: host_permit,
                    _global: global,
                };
            }
            // Another task started a request to this host while we waited
            // for the global permit: give it back and wait our turn.
        }
    }

    /// No request to `key` starts before `wait` from now (Retry-After).
    pub fn hold_off(&self, key: &HostKey, wait: Duration) {
        let host = self.host(key);
        let mut timing = lock(&host.timing);
        let now = Instant::now();
        let until = now.checked_add(wait).unwrap_or(now);
        timing.not_before = Some(timing.not_before.map_or(until, |t| t.max(until)));
    }

    /// Raises the delay between requests to `key` (robots.txt Crawl-delay),
    /// never below `per_host_delay`.
    pub fn set_delay(&self, key: &HostKey, delay: Duration) {
        let host = self.host(key);
        lock(&host.timing).delay = delay.max(self.per_host_delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(port: u16) -> HostKey {
        HostKey::of(&Url::parse(&format!("http://example.com:{port}/")).unwrap()).unwrap()
    }

    #[test]
    fn host_key_is_scheme_host_port() {
        let a = HostKey::of(&Url::parse("https://Example.com/a").unwrap()).unwrap();
        let b = HostKey::of(&Url::parse("https://example.com:443/b").unwrap()).unwrap();
        let c = HostKey::of(&Url::parse("http://example.com/a").unwrap()).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.display_host(), "example.com");
        assert_eq!(key(8080).display_host(), "example.com:8080");
        assert_eq!(
            key(8080).robots_url().unwrap().as_str(),
            "http://example.com:8080/robots.txt"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn starts_are_spaced_by_the_delay() {
        let p = Arc::new(Politeness::new(4, 4, Duration::from_millis(500)));
        let t0 = Instant::now();
        let mut handles = Vec::new();
        for _ in 0..4 {
            let p = p.clone();
            handles.push(tokio::spawn(async move {
                let _slot = p.acquire(&key(1)).await;
                Instant::now()
            }));
        }
        let mut starts = Vec::new();
        for h in handles {
            starts.push(h.await.unwrap() - t0);
        }
        starts.sort();
        for pair in starts.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_millis(500),
                "{starts:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_waiting_host_does_not_block_other_hosts() {
        let p = Arc::new(Politeness::new(1, 1, Duration::from_secs(60)));
        drop(p.acquire(&key(1)).await);
        // Host 1 must now wait a minute; host 2 must go at once even though
        // there is a single global slot.
        let p2 = p.clone();
        let waiting = tokio::spawn(async move { p2.acquire(&key(1)).await });
        tokio::task::yield_now().await;
        let t = Instant::now();
        drop(p.acquire(&key(2)).await);
        assert!(Instant::now() - t < Duration::from_millis(10));
        waiting.abort();
    }

    #[tokio::test(start_paused = true)]
    async fn hold_off_and_crawl_delay_postpone_starts() {
        let p = Politeness::new(4, 4, Duration::from_millis(100));
        p.hold_off(&key(1), Duration::from_secs(5));
        let t = Instant::now();
        drop(p.acquire(&key(1)).await);
        assert!(Instant::now() - t >= Duration::from_secs(5));
        p.set_delay(&key(1), Duration::from_secs(2));
        let t = Instant::now();
        drop(p.acquire(&key(1)).await);
        assert!(Instant::now() - t >= Duration::from_secs(2));
    }
}
