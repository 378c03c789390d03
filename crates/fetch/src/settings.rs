//! [`FetchSettings`]: every limit of the fetcher, with polite defaults.

use std::time::Duration;

use crate::error::FetchError;
use crate::robots::product_token_of;

/// No duration setting may exceed this (keeps every wait bounded and all
/// time arithmetic far from overflow).
const MAX_SETTING_DURATION: Duration = Duration::from_secs(30 * 24 * 3600);

/// How the fetcher behaves. Every size and time is bounded. Built from the
/// configuration's `[crawl]` (`From<&redline_config::Crawl>`); `Default` is
/// the default `[crawl]`, so the fetcher has no defaults of its own for what
/// the configuration sets. The values documented on each field are those.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchSettings {
    /// Sent as `User-Agent`; its product token (the leading name, e.g.
    /// `redline` in `redline/0.1 (+https://example.org/bot)`) is what
    /// robots.txt groups are matched against. Default: `[crawl] user_agent`
    /// (`redline/0.1 (+https://example.org/redline)`); operators should put
    /// their own contact there, e.g. `redline/0.1 (+mailto:ops@example.org)`.
    pub user_agent: String,
    /// Requests in flight at once, all hosts together. Default 16.
    pub concurrency: usize,
    /// Requests in flight at once to one host (scheme + host + port). Default 2.
    pub per_host_concurrency: usize,
    /// Minimum time between the starts of two requests to one host, across
    /// all tasks. Default 1 s.
    pub per_host_delay: Duration,
    /// `Crawl-delay` in robots.txt raises `per_host_delay` for that host up to
    /// this much; zero ignores `Crawl-delay`. Default 10 s.
    pub max_crawl_delay: Duration,
    /// Time to open the TCP connection, including DNS and TLS. Default 10 s.
    pub connect_timeout: Duration,
    /// Time for one whole response, connect + headers + body. A server
    /// trickling bytes ends as a timeout. Default 30 s.
    pub timeout: Duration,
    /// Cap on the body, enforced while streaming on the raw bytes and while
    /// decoding on the decoded bytes. Default 10 MB (`[crawl] max_body`).
    pub max_body_bytes: u64,
    /// Redirects followed before giving up. Default 10.
    pub max_redirects: usize,
    /// Retries after the first attempt, on timeouts, connection errors, 5xx
    /// and 429. Default 2.
    pub retries: u32,
    /// First back-off; doubled at each retry, with ±50 % jitter, capped at
    /// `max_retry_after`. Default 1 s.
    pub retry_base_delay: Duration,
    /// Longest `Retry-After` honoured; a longer one ends the fetch with
    /// `FetchError::RetryAfterTooLong`. Default 60 s.
    pub max_retry_after: Duration,
    /// Obey robots.txt. Default true.
    pub respect_robots: bool,
    /// How long a robots.txt that was read (or answered 4xx) is trusted.
    /// Default 24 h.
    pub robots_ttl: Duration,
    /// How long a robots.txt that could not be read (5xx, 429, network
    /// error) blocks its host before it is asked for again. Default 10 min.
    pub robots_error_ttl: Duration,
    /// Networks opened to the fetcher beyond public unicast addresses
    /// (`[crawl] allow_networks`). Default none.
    pub allow_networks: Vec<ipnet::IpNet>,
}

/// How long `Crawl-delay` may raise the per-host delay.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(10);
/// The first back-off between retries.
const RETRY_BASE_DELAY: Duration = Duration::from_secs(1);
/// The longest `Retry-After` honoured.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// How long a robots.txt that was read is trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);
/// How long an unreadable robots.txt blocks its host.
const ROBOTS_ERROR_TTL: Duration = Duration::from_secs(600);

/// The settings `[crawl]` asks for; what the configuration has no key for
/// takes the value documented on the field.
impl From<&redline_config::Crawl> for FetchSettings {
    fn from(crawl: &redline_config::Crawl) -> Self {
        FetchSettings {
            user_agent: crawl.user_agent.clone(),
            concurrency: crawl.concurrency,
            per_host_concurrency: crawl.per_host_concurrency,
            per_host_delay: *crawl.per_host_delay,
            max_crawl_delay: MAX_CRAWL_DELAY,
            connect_timeout: *crawl.connect_timeout,
            timeout: *crawl.timeout,
            max_body_bytes: crawl.max_body.0,
            max_redirects: crawl.max_redirects,
            retries: crawl.retries,
            retry_base_delay: RETRY_BASE_DELAY,
            max_retry_after: MAX_RETRY_AFTER,
            respect_robots: crawl.respect_robots,
            robots_ttl: ROBOTS_TTL,
            robots_error_ttl: ROBOTS_ERROR_TTL,
            allow_networks: crawl
                .allow_networks
                .iter()
                .filter_map(|n| ipnet::IpNet::new(n.addr, n.prefix).ok())
                .collect(),
        }
    }
}

/// The settings of the default `[crawl]` (`redline_config::Crawl::default()`,
/// which is what the built-in configuration says).
impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings::from(&redline_config::Crawl::default())
    }
}

impl FetchSettings {
    /// Checks that the settings can work; says which one is wrong and why.
    pub fn validate(&self) -> Result<(), FetchError> {
        let bad = |msg: String| Err(FetchError::Settings(msg));
        if self.user_agent.trim().is_empty() {
            return bad(
                "user_agent is empty; servers and robots.txt need a name to know us by".into(),
            );
        }
        if reqwest::header::HeaderValue::from_str(&self.user_agent).is_err() {
            return bad(format!(
                "user_agent {:?} cannot be sent as an HTTP header (control characters or non-ASCII)",
                self.user_agent
            ));
        }
        if self.respect_robots && product_token_of(&self.user_agent).is_empty() {
            return bad(format!(
                "user_agent {:?} does not start with a product name (letters, '-' or '_') that \
                 robots.txt rules could name",
                self.user_agent
            ));
        }
        if self.concurrency == 0 {
            return bad("concurrency is 0: nothing could ever be fetched".into());
        }
        if self.per_host_concurrency == 0 {
            return bad("per_host_concurrency is 0: nothing could ever be fetched".into());
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return bad("timeout and connect_timeout must be more than zero".into());
        }
        if self.max_body_bytes == 0 {
            return bad("max_body_bytes is 0: no page could be stored".into());
        }
        if self.robots_ttl.is_zero() || self.robots_error_ttl.is_zero() {
            return bad("robots_ttl and robots_error_ttl must be more than zero".into());
        }
        let times = [
            ("per_host_delay", self.per_host_delay),
            ("max_crawl_delay", self.max_crawl_delay),
            ("connect_timeout", self.connect_timeout),
            ("timeout", self.timeout),
            ("retry_base_delay", self.retry_base_delay),
            ("max_retry_after", self.max_retry_after),
            ("robots_ttl", self.robots_ttl),
            ("robots_error_ttl", self.robots_error_ttl),
        ];
        for (name, value) in times {
            if value > MAX_SETTING_DURATION {
                return bad(format!(
                    "{name} is {}, more than the 30 days any wait of the fetcher may last",
                    crate::error::fmt_duration(value)
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_polite() {
        let s = FetchSettings::default();
        s.validate().unwrap();
        assert_eq!(s.per_host_concurrency, 2);
        assert_eq!(s.max_body_bytes, 10_000_000);
        assert!(s.respect_robots);
        assert_eq!(product_token_of(&s.user_agent), "redline");
    }

    #[test]
    fn the_defaults_are_the_built_in_configuration() {
        let built_in = redline_config::Config::built_in().unwrap();
        assert_eq!(built_in.crawl, redline_config::Crawl::default());
        assert_eq!(
            FetchSettings::from(&built_in.crawl),
            FetchSettings::default()
        );
        assert_eq!(
            FetchSettings::default(),
            FetchSettings {
                user_agent: "redline/0.1 (+https://example.org/redline)".into(),
                concurrency: 16,
                per_host_concurrency: 2,
                per_host_delay: Duration::from_secs(1),
                max_crawl_delay: Duration::from_secs(10),
                connect_timeout: Duration::from_secs(10),
                timeout: Duration::from_secs(30),
                max_body_bytes: 10_000_000,
                max_redirects: 10,
                retries: 2,
                retry_base_delay: Duration::from_secs(1),
                max_retry_after: Duration::from_secs(60),
                respect_robots: true,
                robots_ttl: Duration::from_secs(24 * 3600),
                robots_error_ttl: Duration::from_secs(600),
                allow_networks: Vec::new(),
            }
        );
    }

    #[test]
    fn every_crawl_setting_reaches_the_fetcher() {
        let config = redline_config::Config::parse(
            r#"
            [crawl]
            user_agent = "other/2.0"
            concurrency = 3
            per_host_concurrency = 1
            per_host_delay = "250ms"
            connect_timeout = "4s"
            timeout = "9s"
            max_body = "2MB"
            max_redirects = 4
            retries = 5
            respect_robots = false
            allow_networks = ["10.1.0.0/16"]
            "#,
            redline_config::Origin::BuiltIn,
        )
        .unwrap();
        assert_eq!(
            FetchSettings::from(&config.crawl),
            FetchSettings {
                user_agent: "other/2.0".into(),
                concurrency: 3,
                per_host_concurrency: 1,
                per_host_delay: Duration::from_millis(250),
                connect_timeout: Duration::from_secs(4),
                timeout: Duration::from_secs(9),
                max_body_bytes: 2_000_000,
                max_redirects: 4,
                retries: 5,
                respect_robots: false,
                allow_networks: vec!["10.1.0.0/16".parse().unwrap()],
                ..FetchSettings::default()
            }
        );
    }

    #[test]
    fn nonsense_is_rejected_with_the_setting_named() {
        let s = FetchSettings {
            per_host_concurrency: 0,
            ..FetchSettings::default()
        };
        assert!(
            s.validate()
                .unwrap_err()
                .to_string()
                .contains("per_host_concurrency")
        );
        let s = FetchSettings {
            user_agent: "/1.0".into(),
            ..FetchSettings::default()
        };
        assert!(
            s.validate()
                .unwrap_err()
                .to_string()
                .contains("product name")
        );
    }
}
