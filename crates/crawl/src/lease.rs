//! Who this crawler is in the database's leases, and which leases it may
//! drop at start-up. Several crawlers can share one database: each claims
//! articles under its id, takes only unleased articles or expired leases,
//! and at start-up drops its own leases and those of dead crawler
//! processes of this host (whose ids it can tell apart), so a restart does not leave
//! its articles waiting for their leases to run out. Leases of crawlers on
//! other hosts are left to expire.

use std::path::Path;

/// The id of this process's crawler: `[crawl] id` when set, else the
/// host's name and the process id (`host:1234`).
pub fn crawler_id(configured: Option<&str>) -> String {
    match configured {
        Some(id) => id.to_string(),
        None => format!("{}:{}", host_name(), std::process::id()),
    }
}

/// The host's name as the kernel knows it (`localhost` when unknown).
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty() && !h.contains(':'))
        .unwrap_or_else(|| "localhost".into())
}

/// Of the crawlers holding leases, those whose leases `me` drops at
/// start-up: itself, and default-named crawlers of this host
/// (`host:PID`) whose process is gone.
pub fn releasable(me: &str, owners: &[String]) -> Vec<String> {
    releasable_with(me, owners, &host_name(), &|pid| {
        Path::new(&format!("/proc/{pid}")).exists()
    })
}

fn releasable_with(
    me: &str,
    owners: &[String],
    host: &str,
    alive: &dyn Fn(u32) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = owners
        .iter()
        .filter(|owner| {
            owner.as_str() == me
                || owner
                    .strip_prefix(host)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .and_then(|pid| pid.parse::<u32>().ok())
                    .is_some_and(|pid| pid != std::process::id() && !alive(pid))
        })
        .cloned()
        .collect();
    if !out.iter().any(|o| o == me) {
        out.push(me.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_and_dead_local_crawlers_are_released_others_expire() {
        let owners: Vec<String> = ["box:10", "box:11", "other:12", "crawler-2", "box:x"]
            .map(String::from)
            .to_vec();
        let alive = |pid: u32| pid == 11;
        assert_eq!(
            releasable_with("crawler-2", &owners, "box", &alive),
            ["box:10", "crawler-2"]
        );
        assert_eq!(
            releasable_with("box:99", &owners, "box", &alive),
            ["box:10", "box:99"]
        );
        assert_eq!(releasable_with("me", &[], "box", &alive), ["me"]);
    }

    #[test]
    fn the_default_id_is_host_and_process() {
        let id = crawler_id(None);
        let (host, pid) = id.rsplit_once(':').unwrap();
        assert!(!host.is_empty());
        assert_eq!(pid, std::process::id().to_string());
        assert_eq!(crawler_id(Some("crawler-2")), "crawler-2");
    }
}
