//! When an article is checked again.
//!
//! The policy (defaults in brackets, all configurable under `[schedule]`):
//! - a new article is checked at once;
//! - after a change — its first text, a new version, a revert — the next
//!   check comes after `after_change` [15 minutes];
//! - every check that finds no change (unchanged, 304, or an error)
//!   multiplies the wait by `backoff` [1.5], up to `max_interval` [1 day];
//!   so an untouched article is checked after 15m, 22m, 34m, 51m, 1h16m, ...,
//!   about 12 times in its first day and daily after that;
//! - an article whose text has not changed for `retire_after` [40 days]
//!   (counted from its last change, or from when it was first seen if no
//!   text was ever extracted) is retired: no longer checked.
//!
//! The schedule is stored with each article, so a restart resumes it.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// `t + d`, saturating at the last time chrono can represent (the
/// configuration bounds durations; this keeps any other value from
/// panicking).
pub(crate) fn plus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// `t - d`, saturating at the first time chrono can represent.
pub(crate) fn minus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| t.checked_sub_signed(d))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The scheduling policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SchedulePolicy {
    pub after_change: Duration,
    pub backoff: f64,
    pub max_interval: Duration,
    pub retire_after: Duration,
}

/// The defaults of the configuration's `[schedule]`.
impl Default for SchedulePolicy {
    fn default() -> Self {
        Self::from(&redline_config::Schedule::default())
    }
}

impl From<&redline_config::Schedule> for SchedulePolicy {
    fn from(c: &redline_config::Schedule) -> Self {
        Self {
            after_change: *c.after_change,
            backoff: c.backoff,
            max_interval: *c.max_interval,
            retire_after: *c.retire_after,
        }
    }
}

/// What a check saw, as far as the schedule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observation {
    /// The text changed (first text, new version, revert).
    Changed,
    /// No change, or the check failed.
    Quiet,
}

/// The schedule after a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    pub next_check: DateTime<Utc>,
    pub interval: Duration,
    /// The article retires with this check.
    pub retire: bool,
}

impl SchedulePolicy {
    /// Decides the next check after a check at `now`.
    ///
    /// `previous_interval` is the wait that led to this check (zero for a
    /// new article); `last_changed` is the time of the article's last
    /// change before this check, `first_seen` when it was discovered.
    pub fn next(
        &self,
        now: DateTime<Utc>,
        previous_interval: Duration,
        observation: Observation,
        last_changed: Option<DateTime<Utc>>,
        first_seen: DateTime<Utc>,
    ) -> Next {
        let interval = match observation {
            Observation::Changed => self.after_change,
            Observation::Quiet if previous_interval.is_zero() => self.after_change,
            // The previous interval comes from the database: no panic on
            // a value too large to multiply.
            Observation::Quiet => {
                Duration::try_from_secs_f64(previous_interval.as_secs_f64() * self.backoff)
                    .unwrap_or(self.max_interval)
                    .clamp(self.after_change, self.max_interval)
            }
        };
        let quiet_since = last_changed.unwrap_or(first_seen);
        let quiet_for = (now - quiet_since).to_std().unwrap_or_default();
        let retire = observation == Observation::Quiet && quiet_for >= self.retire_after;
        Next {
            next_check: plus(now, interval),
            interval,
            retire,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0).unwrap()
    }

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn after_a_change_the_next_check_comes_soon() {
        let p = SchedulePolicy::default();
        let next = p.next(t0(), 20 * 60 * MIN, Observation::Changed, None, t0());
        assert_eq!(next.interval, 15 * MIN);
        assert_eq!(next.next_check, t0() + chrono::Duration::minutes(15));
        assert!(!next.retire);
    }

    #[test]
    fn the_interval_grows_by_the_backoff_factor_up_to_the_cap() {
        let p = SchedulePolicy::default();
        let mut interval = Duration::ZERO;
        let mut seen = Vec::new();
        let mut now = t0();
        for _ in 0..20 {
            let next = p.next(now, interval, Observation::Quiet, Some(t0()), t0());
            interval = next.interval;
            now = next.next_check;
            seen.push(interval.as_secs() / 60);
        }
        assert_eq!(&seen[..5], [15, 22, 33, 50, 75]);
        assert_eq!(*seen.last().unwrap(), 24 * 60, "capped at one day");
        assert!(seen.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn extreme_intervals_saturate_instead_of_panicking() {
        let p = SchedulePolicy {
            max_interval: Duration::from_secs(u64::MAX),
            ..SchedulePolicy::default()
        };
        let huge = Duration::from_secs(u64::MAX / 2);
        let next = p.next(t0(), huge, Observation::Quiet, Some(t0()), t0());
        assert_eq!(next.next_check, DateTime::<Utc>::MAX_UTC);
        assert_eq!(minus(t0(), huge), DateTime::<Utc>::MIN_UTC);
        assert_eq!(plus(t0(), MIN), t0() + chrono::Duration::minutes(1));
    }

    #[test]
    fn articles_unchanged_for_forty_days_retire() {
        let p = SchedulePolicy::default();
        let changed = t0();
        let day = Duration::from_secs(86_400);
        let at = |days: i64| changed + chrono::Duration::days(days);
        assert!(
            !p.next(at(39), day, Observation::Quiet, Some(changed), changed)
                .retire
        );
        assert!(
            p.next(at(40), day, Observation::Quiet, Some(changed), changed)
                .retire
        );
        // A change on day 40 keeps it alive.
        assert!(
            !p.next(at(40), day, Observation::Changed, Some(changed), changed)
                .retire
        );
        // Never extracted: counted from first seen.
        assert!(
            p.next(at(41), day, Observation::Quiet, None, changed)
                .retire
        );
    }
}
