//! The alerts' outbox on PostgreSQL (see `crate::outbox`): `change_outbox`
//! and `deliveries`, migration 3. Claims skip the rows another process is
//! claiming (`FOR UPDATE SKIP LOCKED`), as the article queue does.

use chrono::{DateTime, Utc};

use super::{PgStore, ms, opt_time, time, u32_of, u64_of};
use crate::{AlertStatus, Delivery, DeliveryResult, MessageCounts, NewDelivery, Outbox, Result};

impl Outbox for PgStore {
    fn pending_changes(&self, limit: usize) -> Result<Vec<i64>> {
        self.read(|tx| {
            Ok(tx
                .query(
                    "SELECT change_id FROM change_outbox ORDER BY change_id LIMIT $1",
                    &[&(limit as i64)],
                )?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?)
        })
    }

    fn enqueue_deliveries(
        &self,
        changes: &[i64],
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let alerts: Vec<String> = deliveries.iter().map(|d| d.alert.clone()).collect();
        let keys: Vec<i64> = deliveries.iter().map(|d| d.change).collect();
        let changes = changes.to_vec();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO deliveries (alert, change_id, created_at, next_attempt)
                 SELECT a, c, $3, $3 FROM unnest($1::text[], $2::bigint[]) AS n(a, c)
                 ON CONFLICT (alert, change_id) DO NOTHING",
                &[&alerts, &keys, &ms(now)],
            )?;
            tx.execute(
                "DELETE FROM change_outbox WHERE change_id = ANY($1)",
                &[&changes],
            )?;
            Ok(())
        })
    }

    fn claim_deliveries(
        &self,
        alerts: &[String],
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        let alerts = alerts.to_vec();
        let owner = owner.to_string();
        self.write(|tx| {
            let mut due: Vec<Delivery> = tx
                .query(
                    "UPDATE deliveries SET lease_owner = $2, lease_until = $3
                     WHERE id IN (
                         SELECT id FROM deliveries
                         WHERE state = 'queued' AND next_attempt <= $1
                           AND (lease_until IS NULL OR lease_until <= $1 OR lease_owner = $2)
                           AND alert = ANY($4)
                         ORDER BY id LIMIT $5
                         FOR UPDATE SKIP LOCKED)
                     RETURNING id, alert, change_id, attempts, created_at",
                    &[&ms(now), &owner, &ms(until), &alerts, &(limit as i64)],
                )?
                .iter()
                .map(|r| {
                    Ok(Delivery {
                        row: r.try_get(0)?,
                        alert: r.try_get(1)?,
                        change: r.try_get(2)?,
                        attempts: u32_of(r.try_get(3)?),
                        created_at: time(r.try_get(4)?),
                    })
                })
                .collect::<super::Out<_>>()?;
            due.sort_by_key(|d| d.row);
            Ok(due)
        })
    }

    fn finish_deliveries(&self, result: &DeliveryResult) -> Result<()> {
        let result = result.clone();
        self.write(|tx| {
            match &result {
                DeliveryResult::Sent { rows, message, at } => {
                    tx.execute(
                        "UPDATE deliveries SET state = CASE WHEN $4 THEN 'sent' ELSE 'grouped' END,
                             message = $2, sent_at = $3, last_error = NULL,
                             lease_owner = NULL, lease_until = NULL
                         WHERE id = ANY($1) AND state = 'queued'",
                        &[rows, message, &ms(*at), &(rows.len() == 1)],
                    )?;
                }
                DeliveryResult::Failed {
                    rows,
                    error,
                    retry_at,
                } => {
                    tx.execute(
                        "UPDATE deliveries SET attempts = attempts + 1, last_error = $2,
                             state = CASE WHEN $3::bigint IS NULL THEN 'failed' ELSE 'queued' END,
                             next_attempt = coalesce($3, next_attempt),
                             lease_owner = NULL, lease_until = NULL
                         WHERE id = ANY($1) AND state = 'queued'",
                        &[rows, error, &retry_at.map(ms)],
                    )?;
                }
                DeliveryResult::Postponed { rows, until } => {
                    tx.execute(
                        "UPDATE deliveries SET next_attempt = $2,
                             lease_owner = NULL, lease_until = NULL
                         WHERE id = ANY($1) AND state = 'queued'",
                        &[rows, &ms(*until)],
                    )?;
                }
            }
            Ok(())
        })
    }

    fn messages_since(&self, alert: &str, since: DateTime<Utc>) -> Result<MessageCounts> {
        let alert = alert.to_string();
        self.read(|tx| {
            let row = tx.query_one(
                "SELECT count(DISTINCT message) FILTER (WHERE message NOT LIKE 'digest:%'),
                        count(DISTINCT message) FILTER (WHERE message LIKE 'digest:%'),
                        min(sent_at) FILTER (WHERE message NOT LIKE 'digest:%'),
                        max(sent_at) FILTER (WHERE message LIKE 'digest:%')
                 FROM deliveries WHERE alert = $1 AND sent_at >= $2",
                &[&alert, &ms(since)],
            )?;
            Ok(MessageCounts {
                messages: u32_of(row.try_get(0)?),
                digests: u32_of(row.try_get(1)?),
                oldest: opt_time(row.try_get(2)?),
                last_digest: opt_time(row.try_get(3)?),
            })
        })
    }

    fn message_sent(&self, alert: &str, message: &str) -> Result<bool> {
        let (alert, message) = (alert.to_string(), message.to_string());
        self.read(|tx| {
            Ok(tx
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM deliveries
                     WHERE alert = $1 AND message = $2 AND sent_at IS NOT NULL)",
                    &[&alert, &message],
                )?
                .try_get(0)?)
        })
    }

    fn alert_status(&self) -> Result<Vec<AlertStatus>> {
        self.read(|tx| {
            tx.query(
                "SELECT alert,
                        count(*) FILTER (WHERE state IN ('sent', 'grouped')),
                        count(DISTINCT message),
                        count(*) FILTER (WHERE state = 'queued'),
                        count(*) FILTER (WHERE state = 'queued' AND attempts > 0),
                        count(*) FILTER (WHERE state = 'failed'),
                        max(sent_at),
                        (SELECT e.last_error FROM deliveries e
                         WHERE e.alert = d.alert AND e.last_error IS NOT NULL
                           AND e.state IN ('queued', 'failed')
                         ORDER BY e.next_attempt DESC, e.id DESC LIMIT 1)
                 FROM deliveries d GROUP BY alert ORDER BY alert COLLATE \"C\"",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(AlertStatus {
                    alert: r.try_get(0)?,
                    sent: u64_of(r.try_get(1)?),
                    messages: u64_of(r.try_get(2)?),
                    queued: u64_of(r.try_get(3)?),
                    failing: u64_of(r.try_get(4)?),
                    failed: u64_of(r.try_get(5)?),
                    last_sent: opt_time(r.try_get(6)?),
                    last_error: r.try_get(7)?,
                })
            })
            .collect()
        })
    }
}
