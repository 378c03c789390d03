//! The delivery worker: every [`WorkerSettings::poll`], it
//! 1. matches the changes queued in the store's outbox against the rules
//!    and turns them into deliveries (one per alert and change);
//! 2. claims the deliveries due, leased to this process so that several
//!    crawlers sharing a database send each once;
//! 3. sends them, an alert at a time:
//!    - a change grouped into a site change goes out once per site change
//!      (the later ones of it join the message already sent);
//!    - past `max_per_hour` messages in the last hour, the changes are
//!      gathered for [`DIGEST_GATHER`] and go as one digest; one digest an
//!      hour, later changes wait for a free message or the next digest;
//!    - a failure is retried with exponential back-off (30 s doubling to
//!      an hour, or longer if the receiver's `Retry-After` says so), and
//!      given up after [`WorkerSettings::give_up_after`].
//!
//! A delivery is marked sent once the receiver acknowledged it; one sent
//! but not marked when the process died is sent again after its lease
//! expires, with the same delivery id (at least once).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use redline_store::prelude::*;
use redline_store::{
    ArticleId, Change, ChangeQuery, Delivery, DeliveryResult, NewDelivery, StoreError, delivery_id,
    digest_id, site_change_id,
};

use crate::channel::Sender;
use crate::message::{Body, DIGEST_LISTED, Item, Message, excerpt};
use crate::rules::{Rules, Texts};
use crate::{AlertError, SendError};

/// A card of a change, for the channels that post an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardImage {
    pub png: Vec<u8>,
    /// The change in words, for readers who cannot see the image.
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// Draws the card of a change (the web interface's renderer, given by the
/// binary).
pub trait CardMaker: Send + Sync {
    fn card(&self, item: &Item) -> Option<CardImage>;
}

/// How the worker runs.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// This process's crawler id: whose leases these are.
    pub owner: String,
    /// This redline's public address, for the links (no trailing '/').
    pub base_url: String,
    /// The name messages and cards give this redline.
    pub site_name: String,
    pub user_agent: String,
    /// How often the outbox is read.
    pub poll: Duration,
    /// How long a claimed delivery is this process's.
    pub lease: Duration,
    /// A delivery failing for this long is given up.
    pub give_up_after: Duration,
}

impl WorkerSettings {
    pub fn new(owner: &str, base_url: &str, user_agent: &str) -> WorkerSettings {
        let base_url = base_url.trim_end_matches('/').to_string();
        let site_name = url::Url::parse(&base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| base_url.clone());
        WorkerSettings {
            owner: owner.to_string(),
            base_url,
            site_name,
            user_agent: user_agent.to_string(),
            poll: Duration::from_secs(1),
            lease: Duration::from_secs(600),
            give_up_after: Duration::from_secs(3 * 24 * 3600),
        }
    }
}

/// Changes read from the outbox at a time.
const OUTBOX_BATCH: usize = 200;
/// Deliveries claimed at a time.
const CLAIM_BATCH: usize = 500;
/// The first retry's wait; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(30);
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
const HOUR: chrono::TimeDelta = chrono::TimeDelta::hours(1);
/// How long the changes past an alert's hourly limit are gathered before
/// their digest goes.
pub const DIGEST_GATHER: Duration = Duration::from_secs(10);

/// What one step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Step {
    /// Changes read from the outbox.
    pub changes: usize,
    /// Deliveries created from them.
    pub matched: usize,
    /// Messages acknowledged.
    pub sent: usize,
    /// Messages that failed.
    pub failed: usize,
}

/// The delivery worker.
pub struct Worker {
    store: Arc<dyn Store>,
    rules: Arc<Rules>,
    sender: Sender,
    settings: WorkerSettings,
    cards: Option<Arc<dyn CardMaker>>,
}

fn chrono_of(d: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::MAX)
}

/// Runs a store call off the async threads.
async fn blocking<T: Send + 'static>(
    store: &Arc<dyn Store>,
    f: impl FnOnce(&dyn Store) -> redline_store::Result<T> + Send + 'static,
) -> Result<T, AlertError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| AlertError::Store(StoreError::Other(format!("a store call stopped: {e}"))))?
        .map_err(AlertError::Store)
}

/// One message to send, and the deliveries it carries.
struct Unit {
    rows: Vec<i64>,
    body: Body,
    id: String,
}

impl Worker {
    pub fn new(
        store: Arc<dyn Store>,
        rules: Rules,
        settings: WorkerSettings,
        cards: Option<Arc<dyn CardMaker>>,
    ) -> Result<Worker, AlertError> {
        Ok(Worker {
            sender: Sender::new(&settings.user_agent).map_err(AlertError::Start)?,
            store,
            rules: Arc::new(rules),
            settings,
            cards,
        })
    }

    /// Runs until `stop` resolves. A store that cannot be reached pauses
    /// the worker; nothing is lost, the outbox is in the database.
    pub async fn run(&self, stop: impl std::future::Future<Output = ()>) {
        tokio::pin!(stop);
        let mut failing = false;
        loop {
            match self.step(Utc::now()).await {
                Ok(_) if failing => {
                    failing = false;
                    tracing::info!("alerts: the database answers again");
                }
                Ok(_) => {}
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!("alerts paused: {e}; retrying every second");
                }
                Err(_) => {}
            }
            tokio::select! {
                _ = &mut stop => return,
                _ = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    /// One round: the outbox matched, the due deliveries sent.
    pub async fn step(&self, now: DateTime<Utc>) -> Result<Step, AlertError> {
        let mut step = self.expand(now).await?;
        let (sent, failed) = self.deliver(now).await?;
        step.sent = sent;
        step.failed = failed;
        Ok(step)
    }

    /// The changes and texts of `keys`.
    async fn changes(&self, keys: Vec<i64>) -> Result<Vec<Change>, AlertError> {
        blocking(&self.store, move |s| {
            s.changes(&ChangeQuery {
                limit: keys.len(),
                keys,
                include_minor: true,
                include_site_changes: true,
                ..Default::default()
            })
        })
        .await
    }

    async fn texts(
        &self,
        changes: &[Change],
    ) -> Result<HashMap<(ArticleId, u32), redline_diff::ArticleText>, AlertError> {
        let keys: Vec<(ArticleId, u32)> = changes
            .iter()
            .flat_map(|c| [(c.article_id, c.from), (c.article_id, c.number)])
            .collect();
        let versions = blocking(&self.store, move |s| s.version_texts(&keys)).await?;
        Ok(versions
            .into_iter()
            .map(|v| ((v.meta.article_id, v.meta.number), v.text))
            .collect())
    }

    async fn expand(&self, now: DateTime<Utc>) -> Result<Step, AlertError> {
        let pending = blocking(&self.store, |s| s.pending_changes(OUTBOX_BATCH)).await?;
        if pending.is_empty() {
            return Ok(Step::default());
        }
        let mut deliveries = Vec::new();
        if !self.rules.is_empty() {
            let changes = self.changes(pending.clone()).await?;
            let texts = if self.rules.need_texts() {
                self.texts(&changes).await?
            } else {
                HashMap::new()
            };
            for c in &changes {
                let texts = Texts {
                    before: texts.get(&(c.article_id, c.from)),
                    after: texts.get(&(c.article_id, c.number)),
                };
                for alert in self.rules.matching(c, texts)? {
                    deliveries.push(NewDelivery {
                        alert: alert.to_string(),
                        change: c.key,
                    });
                }
            }
        }
        let step = Step {
            changes: pending.len(),
            matched: deliveries.len(),
            ..Step::default()
        };
        if step.matched > 0 {
            tracing::debug!(
                changes = step.changes,
                deliveries = step.matched,
                "alerts matched"
            );
        }
        blocking(&self.store, move |s| {
            s.enqueue_deliveries(&pending, &deliveries, now)
        })
        .await?;
        Ok(step)
    }

    async fn finish(&self, result: DeliveryResult) -> Result<(), AlertError> {
        blocking(&self.store, move |s| s.finish_deliveries(&result)).await
    }

    async fn deliver(&self, now: DateTime<Utc>) -> Result<(usize, usize), AlertError> {
        let names = self.rules.names();
        if names.is_empty() {
            return Ok((0, 0));
        }
        let owner = self.settings.owner.clone();
        let until = now + chrono_of(self.settings.lease);
        let claimed = blocking(&self.store, move |s| {
            s.claim_deliveries(&names, &owner, now, until, CLAIM_BATCH)
        })
        .await?;
        let mut by_alert: BTreeMap<String, Vec<Delivery>> = BTreeMap::new();
        for d in claimed {
            by_alert.entry(d.alert.clone()).or_default().push(d);
        }
        // The alerts side by side: a slow channel holds up only its own.
        let sends = by_alert.into_iter().map(|(alert, deliveries)| async move {
            self.deliver_alert(&alert, deliveries, now).await
        });
        let mut totals = (0, 0);
        for result in futures_util::future::join_all(sends).await {
            let (sent, failed) = result?;
            totals.0 += sent;
            totals.1 += failed;
        }
        Ok(totals)
    }

    /// An item of a change: its article, its excerpt and its links.
    async fn item(&self, change: Change) -> Result<Item, AlertError> {
        let id = change.article_id;
        let (from, number) = (change.from, change.number);
        let (article, versions) = blocking(&self.store, move |s| {
            Ok((
                s.article(id)?,
                s.version_texts(&[(id, from), (id, number)])?,
            ))
        })
        .await?;
        let excerpt = match versions.as_slice() {
            [old, new] if from != number => excerpt(&redline_diff::diff(&old.text, &new.text)),
            _ => Vec::new(),
        };
        let base = &self.settings.base_url;
        Ok(Item {
            diff_url: format!("{base}{}", redline_web::change_href(&change)),
            card_url: format!("{base}{}", redline_web::card_path(id, from, number)),
            article,
            excerpt,
            change,
        })
    }

    fn message(&self, alert: &str, id: String, body: Body, test: bool) -> Message {
        Message {
            alert: alert.to_string(),
            id,
            base_url: self.settings.base_url.clone(),
            site_name: self.settings.site_name.clone(),
            body,
            test,
        }
    }

    async fn deliver_alert(
        &self,
        alert: &str,
        deliveries: Vec<Delivery>,
        now: DateTime<Utc>,
    ) -> Result<(usize, usize), AlertError> {
        let Some(rule) = self.rules.get(alert) else {
            return Ok((0, 0));
        };
        let keys: Vec<i64> = deliveries.iter().map(|d| d.change).collect();
        let changes: HashMap<i64, Change> = self
            .changes(keys)
            .await?
            .into_iter()
            .map(|c| (c.key, c))
            .collect();
        // Units to send, in the deliveries' order; site changes once.
        let mut units: Vec<Unit> = Vec::new();
        let mut sites: HashMap<i64, usize> = HashMap::new();
        let mut gone = Vec::new();
        for d in &deliveries {
            let Some(change) = changes.get(&d.change) else {
                gone.push(d.row);
                continue;
            };
            match change.site_change {
                Some(group) => {
                    if let Some(&i) = sites.get(&group) {
                        units[i].rows.push(d.row);
                        continue;
                    }
                    let id = site_change_id(alert, group);
                    let (a, m) = (alert.to_string(), id.clone());
                    if blocking(&self.store, move |s| s.message_sent(&a, &m)).await? {
                        self.finish(DeliveryResult::Sent {
                            rows: vec![d.row],
                            message: id,
                            at: now,
                        })
                        .await?;
                        continue;
                    }
                    let source = change.source.clone();
                    let groups =
                        blocking(&self.store, move |s| s.site_changes(Some(&source), 100)).await?;
                    let articles = groups
                        .iter()
                        .find(|g| g.id == group)
                        .map_or(1, |g| g.articles);
                    sites.insert(group, units.len());
                    units.push(Unit {
                        rows: vec![d.row],
                        body: Body::SiteChange {
                            id: group,
                            articles,
                            item: self.item(change.clone()).await?,
                        },
                        id,
                    });
                }
                None => units.push(Unit {
                    rows: vec![d.row],
                    body: Body::Change(self.item(change.clone()).await?),
                    id: delivery_id(alert, d.change),
                }),
            }
        }
        if !gone.is_empty() {
            self.finish(DeliveryResult::Failed {
                rows: gone,
                error: "the change no longer exists (its article was rebuilt or hidden)".into(),
                retry_at: None,
            })
            .await?;
        }
        if units.is_empty() {
            return Ok((0, 0));
        }
        let created: HashMap<i64, DateTime<Utc>> =
            deliveries.iter().map(|d| (d.row, d.created_at)).collect();
        // The hourly limit: `max_per_hour` messages, then the rest wait
        // (gathered for DIGEST_GATHER) and go as one digest; one digest an
        // hour, the changes after it wait for the next.
        let name = alert.to_string();
        let counts = blocking(&self.store, move |s| s.messages_since(&name, now - HOUR)).await?;
        let left = rule.alert.max_per_hour.saturating_sub(counts.messages) as usize;
        if units.len() > left {
            let rest = units.split_off(left);
            let rows: Vec<i64> = rest.iter().flat_map(|u| u.rows.clone()).collect();
            let waiting_since = rows.iter().filter_map(|r| created.get(r)).min().copied();
            let gathered = waiting_since.unwrap_or(now) + chrono_of(DIGEST_GATHER);
            let next_single = counts.oldest.map(|t| t + HOUR);
            if let Some(last) = counts.last_digest {
                // This hour's digest is sent: wait for a free message or
                // the next digest, whichever comes first.
                let until = next_single.map_or(last + HOUR, |t| t.min(last + HOUR));
                self.finish(DeliveryResult::Postponed { rows, until })
                    .await?;
            } else if gathered > now {
                self.finish(DeliveryResult::Postponed {
                    rows,
                    until: gathered,
                })
                .await?;
            } else {
                let total = rest.len();
                let first = rows.first().copied().unwrap_or(0);
                let last = rows.last().copied().unwrap_or(0);
                let items: Vec<Item> = rest
                    .into_iter()
                    .take(DIGEST_LISTED)
                    .filter_map(|u| match u.body {
                        Body::Change(item) | Body::SiteChange { item, .. } => Some(item),
                        Body::Digest { .. } => None,
                    })
                    .collect();
                units.push(Unit {
                    rows,
                    body: Body::Digest { items, total },
                    id: digest_id(alert, first, last),
                });
            }
        }
        let mut sent = 0;
        let mut units = units.into_iter();
        let attempts: HashMap<i64, u32> = deliveries.iter().map(|d| (d.row, d.attempts)).collect();
        while let Some(unit) = units.next() {
            let message = self.message(alert, unit.id, unit.body, false);
            let card = self.card_for(rule, &message).await;
            match self.sender.send(&rule.alert, &message, card.as_ref()).await {
                Ok(()) => {
                    sent += 1;
                    tracing::info!(alert, delivery = %message.id, "alert sent");
                    self.finish(DeliveryResult::Sent {
                        rows: unit.rows,
                        message: message.id,
                        at: Utc::now(),
                    })
                    .await?;
                }
                Err(e) => {
                    let tried = unit.rows.iter().filter_map(|r| attempts.get(r)).max();
                    let oldest = unit.rows.iter().filter_map(|r| created.get(r)).min();
                    let retry_at = self.retry_at(now, tried.copied().unwrap_or(0), oldest, &e);
                    tracing::warn!(
                        alert,
                        delivery = %message.id,
                        "alert not delivered: {e}; {}",
                        match retry_at {
                            Some(t) => format!("next attempt at {}", t.format("%H:%M:%S")),
                            None => "given up".to_string(),
                        }
                    );
                    self.finish(DeliveryResult::Failed {
                        rows: unit.rows,
                        error: e.message.clone(),
                        retry_at,
                    })
                    .await?;
                    // The channel failed: the rest of its messages wait
                    // as long, untried.
                    let rows: Vec<i64> = units.flat_map(|u| u.rows).collect();
                    if !rows.is_empty() {
                        let until = retry_at.unwrap_or(now + chrono_of(FIRST_BACKOFF));
                        self.finish(DeliveryResult::Postponed { rows, until })
                            .await?;
                    }
                    return Ok((sent, 1));
                }
            }
        }
        Ok((sent, 0))
    }

    /// When to try again after `attempts` failures, or None to give up.
    fn retry_at(
        &self,
        now: DateTime<Utc>,
        attempts: u32,
        created: Option<&DateTime<Utc>>,
        error: &SendError,
    ) -> Option<DateTime<Utc>> {
        if let Some(created) = created
            && now - *created > chrono_of(self.settings.give_up_after)
        {
            return None;
        }
        let backoff = FIRST_BACKOFF
            .saturating_mul(1 << attempts.min(7))
            .min(MAX_BACKOFF);
        let wait = error.retry_after.map_or(backoff, |r| r.max(backoff));
        Some(now + chrono_of(wait))
    }

    /// The card of a message's change, for the channels that post one
    /// (drawn off the async threads).
    async fn card_for(&self, rule: &crate::rules::Rule, message: &Message) -> Option<CardImage> {
        use redline_config::Channel;
        if !matches!(rule.alert.channel, Channel::Mastodon | Channel::Bluesky) {
            return None;
        }
        let item = message.item()?.clone();
        let cards = self.cards.clone()?;
        tokio::task::spawn_blocking(move || cards.card(&item))
            .await
            .ok()
            .flatten()
    }

    /// Sends a sample message through alert `name` (`redline alerts
    /// test`): the latest change stored, marked as a test; nothing is
    /// recorded.
    pub async fn test(&self, name: &str) -> Result<String, AlertError> {
        let rule = self
            .rules
            .get(name)
            .ok_or_else(|| AlertError::Unknown(name.to_string()))?;
        let latest = blocking(&self.store, |s| {
            s.changes(&ChangeQuery {
                limit: 1,
                include_minor: true,
                include_site_changes: true,
                ..Default::default()
            })
        })
        .await?;
        let Some(change) = latest.into_iter().next() else {
            return Err(AlertError::NothingToSend);
        };
        let id = format!("{name}-test-{}", Utc::now().timestamp_millis());
        let message = self.message(
            name,
            id.clone(),
            Body::Change(self.item(change).await?),
            true,
        );
        let card = self.card_for(rule, &message).await;
        self.sender
            .send(&rule.alert, &message, card.as_ref())
            .await
            .map_err(|error| AlertError::Send {
                alert: name.to_string(),
                error,
            })?;
        Ok(id)
    }
}
