//! The edit driver: a background task that edits one random live article
//! every interval (deterministic choices given the seed), so trackers can be
//! tested against a newsroom that keeps changing, e.g. while they crash.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::{Instant, MissedTickBehavior};

use crate::state::{Shared, lock};

/// A running driver.
pub(crate) struct Driver {
    pub every: Duration,
    task: tokio::task::AbortHandle,
}

/// Starts (or restarts with a new interval) the driver.
pub(crate) fn start(shared: &Arc<Shared>, every: Duration) {
    stop(shared);
    let every = every.max(Duration::from_millis(1));
    let weak = Arc::downgrade(shared);
    let task = shared.runtime.spawn(async move {
        let mut tick = tokio::time::interval_at(Instant::now() + every, every);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(shared) = weak.upgrade() else { break };
            let _ = shared.edit_random();
        }
    });
    *lock(&shared.driver) = Some(Driver {
        every,
        task: task.abort_handle(),
    });
}

/// Stops the driver if it runs.
pub(crate) fn stop(shared: &Shared) {
    if let Some(d) = lock(&shared.driver).take() {
        d.task.abort();
    }
}

/// The driver's interval, if it runs.
pub(crate) fn interval(shared: &Shared) -> Option<Duration> {
    lock(&shared.driver).as_ref().map(|d| d.every)
}
