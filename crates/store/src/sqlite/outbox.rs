//! The alerts' outbox on SQLite (see `crate::outbox`): `change_outbox`
//! and `deliveries`, migration 11. SQLite has one writer at a time, so a
//! claim is a select and an update in one write transaction.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{SqliteStore, ms, time};
use crate::{AlertStatus, Delivery, DeliveryResult, MessageCounts, NewDelivery, Outbox, Result};

impl Outbox for SqliteStore {
    fn pending_changes(&self, limit: usize) -> Result<Vec<i64>> {
        self.read(|c| {
            Ok(
                c.prepare_cached(
                    "SELECT change_id FROM change_outbox ORDER BY change_id LIMIT ?1",
                )?
                .query_map([limit as i64], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            )
        })
    }

    fn enqueue_deliveries(
        &self,
        changes: &[i64],
        deliveries: &[NewDelivery],
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            for d in deliveries {
                tx.prepare_cached(
                    "INSERT INTO deliveries (alert, change_id, created_at, next_attempt)
                     VALUES (?1, ?2, ?3, ?3) ON CONFLICT (alert, change_id) DO NOTHING",
                )?
                .execute(params![d.alert, d.change, ms(now)])?;
            }
            for change in changes {
                tx.prepare_cached("DELETE FROM change_outbox WHERE change_id = ?1")?
                    .execute([change])?;
            }
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
        self.write(|tx| {
            let marks: Vec<String> = (0..alerts.len()).map(|i| format!("?{}", i + 4)).collect();
            let sql = format!(
                "SELECT id, alert, change_id, attempts, created_at FROM deliveries
                 WHERE state = 'queued' AND next_attempt <= ?1
                   AND (lease_until IS NULL OR lease_until <= ?1 OR lease_owner = ?2)
                   AND alert IN ({})
                 ORDER BY id LIMIT ?3",
                marks.join(", ")
            );
            let mut args: Vec<rusqlite::types::Value> = vec![
                ms(now).into(),
                owner.to_string().into(),
                (limit as i64).into(),
            ];
            args.extend(alerts.iter().map(|a| a.clone().into()));
            let due: Vec<Delivery> = tx
                .prepare(&sql)?
                .query_map(rusqlite::params_from_iter(args), |r| {
                    Ok(Delivery {
                        row: r.get(0)?,
                        alert: r.get(1)?,
                        change: r.get(2)?,
                        attempts: r.get::<_, i64>(3)?.clamp(0, i64::from(u32::MAX)) as u32,
                        created_at: time(r.get(4)?),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            for d in &due {
                tx.prepare_cached(
                    "UPDATE deliveries SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1",
                )?
                .execute(params![d.row, owner, ms(until)])?;
            }
            Ok(due)
        })
    }

    fn finish_deliveries(&self, result: &DeliveryResult) -> Result<()> {
        self.write(|tx| {
            match result {
                DeliveryResult::Sent { rows, message, at } => {
                    for row in rows {
                        tx.prepare_cached(
                            "UPDATE deliveries SET state = CASE WHEN ?4 THEN 'sent' ELSE 'grouped' END,
                                 message = ?2, sent_at = ?3, last_error = NULL,
                                 lease_owner = NULL, lease_until = NULL
                             WHERE id = ?1 AND state = 'queued'",
                        )?
                        .execute(params![row, message, ms(*at), rows.len() == 1])?;
                    }
                }
                DeliveryResult::Failed {
                    rows,
                    error,
                    retry_at,
                } => {
                    for row in rows {
                        tx.prepare_cached(
                            "UPDATE deliveries SET attempts = attempts + 1, last_error = ?2,
                                 state = CASE WHEN ?3 IS NULL THEN 'failed' ELSE 'queued' END,
                                 next_attempt = coalesce(?3, next_attempt),
                                 lease_owner = NULL, lease_until = NULL
                             WHERE id = ?1 AND state = 'queued'",
                        )?
                        .execute(params![row, error, retry_at.map(ms)])?;
                    }
                }
                DeliveryResult::Postponed { rows, until } => {
                    for row in rows {
                        tx.prepare_cached(
                            "UPDATE deliveries SET next_attempt = ?2,
                                 lease_owner = NULL, lease_until = NULL
                             WHERE id = ?1 AND state = 'queued'",
                        )?
                        .execute(params![row, ms(*until)])?;
                    }
                }
            }
            Ok(())
        })
    }

    fn messages_since(&self, alert: &str, since: DateTime<Utc>) -> Result<MessageCounts> {
        self.read(|c| {
            let count = |n: i64| n.clamp(0, i64::from(u32::MAX)) as u32;
            Ok(c.prepare_cached(
                "SELECT count(DISTINCT message) FILTER (WHERE message NOT LIKE 'digest:%'),
                        count(DISTINCT message) FILTER (WHERE message LIKE 'digest:%'),
                        min(sent_at) FILTER (WHERE message NOT LIKE 'digest:%'),
                        max(sent_at) FILTER (WHERE message LIKE 'digest:%')
                 FROM deliveries WHERE alert = ?1 AND sent_at >= ?2",
            )?
            .query_row(params![alert, ms(since)], |r| {
                Ok(MessageCounts {
                    messages: count(r.get(0)?),
                    digests: count(r.get(1)?),
                    oldest: r.get::<_, Option<i64>>(2)?.map(time),
                    last_digest: r.get::<_, Option<i64>>(3)?.map(time),
                })
            })?)
        })
    }

    fn message_sent(&self, alert: &str, message: &str) -> Result<bool> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM deliveries
                 WHERE alert = ?1 AND message = ?2 AND sent_at IS NOT NULL)",
            )?
            .query_row(params![alert, message], |r| r.get(0))?)
        })
    }

    fn alert_status(&self) -> Result<Vec<AlertStatus>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT alert,
                        sum(state IN ('sent', 'grouped')),
                        count(DISTINCT message),
                        sum(state = 'queued'),
                        sum(state = 'queued' AND attempts > 0),
                        sum(state = 'failed'),
                        max(sent_at),
                        (SELECT e.last_error FROM deliveries e
                         WHERE e.alert = d.alert AND e.last_error IS NOT NULL
                           AND e.state IN ('queued', 'failed')
                         ORDER BY e.next_attempt DESC, e.id DESC LIMIT 1)
                 FROM deliveries d GROUP BY alert ORDER BY alert",
            )?
            .query_map([], |r| {
                let n =
                    |i: usize| -> rusqlite::Result<u64> { Ok(r.get::<_, i64>(i)?.max(0) as u64) };
                Ok(AlertStatus {
                    alert: r.get(0)?,
                    sent: n(1)?,
                    messages: n(2)?,
                    queued: n(3)?,
                    failing: n(4)?,
                    failed: n(5)?,
                    last_sent: r.get::<_, Option<i64>>(6)?.map(time),
                    last_error: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
        })
    }
}
