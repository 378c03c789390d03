//! redline's configuration: the TOML schema, its defaults (including the
//! built-in news sources in `default.toml`) and validation.
//!
//! Every key has a default except the sources; unknown keys are rejected and
//! every error names the key it is about. Durations are strings such as
//! `"500ms"`, `"30m"`, `"1h"`, `"40d"`; sizes are strings such as `"10MB"`.
//! This crate is plain data: the crates that act on a setting convert it to
//! their own types.

#![forbid(unsafe_code)]

mod alert;
mod values;

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use alert::{Alert, BLUESKY_SERVICE, Channel, DEFAULT_MAX_PER_HOUR, Secret, url_for_logs};
pub use values::{ByteSize, Database, Duration, Network, Pattern};

/// The configuration the binary ships with, used when no file is given.
pub const BUILT_IN: &str = include_str!("default.toml");

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_FILE: &str = "redline.toml";

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The message holds the I/O error; it is not a `source` as well, so
    /// a chain of causes does not print it twice.
    #[error("cannot read the configuration file {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("invalid configuration in {origin}: {message}")]
    Parse { origin: String, message: String },
    #[error("invalid configuration in {origin}: {key}: {message}")]
    Invalid {
        origin: String,
        key: String,
        message: String,
    },
}

/// Where a configuration came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    BuiltIn,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::BuiltIn => f.write_str("the built-in configuration"),
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub storage: Storage,
    #[serde(default)]
    pub server: Server,
    #[serde(default)]
    pub crawl: Crawl,
    #[serde(default)]
    pub schedule: Schedule,
    #[serde(default)]
    pub render: Render,
    #[serde(default, rename = "source")]
    pub sources: Vec<Source>,
    /// `[[alert]]`: who is told of which changes.
    #[serde(default, rename = "alert")]
    pub alerts: Vec<Alert>,
    /// Where this configuration was read from.
    #[serde(skip, default = "built_in_origin")]
    pub origin: Origin,
}

fn built_in_origin() -> Origin {
    Origin::BuiltIn
}

/// `[storage]`: where versions and raw captures are kept.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields, default)]
pub struct Storage {
    /// The database: a SQLite file's path (created on first use) or a
    /// PostgreSQL URL (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`), which
    /// several crawlers can share. `REDLINE_DATABASE_URL` in the
    /// environment overrides it.
    pub database: Database,
    /// The directory of WARC files holding every fetched response.
    pub archive: PathBuf,
    /// A WARC file is closed and a new one started past this size.
    pub archive_file_size: ByteSize,
}

// The `Default` of each section is what `default.toml` says: the test
// `the_built_in_file_states_every_default` fails if the two ever differ.

impl Default for Storage {
    fn default() -> Self {
        Self {
            database: Database::Sqlite("redline.db".into()),
            archive: "archive".into(),
            archive_file_size: ByteSize(1_000_000_000),
        }
    }
}

/// `[server]`: the web interface. Its `Debug` never shows the admin token.
#[derive(Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields, default)]
pub struct Server {
    /// Address and port to listen on.
    pub listen: String,
    /// Token that unlocks the admin endpoints; `REDLINE_ADMIN_TOKEN` in the
    /// environment overrides it. Without a token those endpoints are off.
    pub admin_token: Option<String>,
    /// Public address of the web interface (e.g. `https://redline.example.org`),
    /// used for the absolute links in feeds and API answers; without it they
    /// are built from the request's Host header.
    pub base_url: Option<String>,
}

/// What a secret shows as wherever configuration is printed or logged.
pub const MASKED: &str = "<secret: not shown>";

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("listen", &self.listen)
            .field("admin_token", &self.admin_token.as_ref().map(|_| MASKED))
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl Default for Server {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            admin_token: None,
            base_url: None,
        }
    }
}

/// `[crawl]`: how pages are fetched.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields, default)]
pub struct Crawl {
    /// Sent as the User-Agent header and matched against robots.txt.
    pub user_agent: String,
    /// Fetches in flight overall.
    pub concurrency: usize,
    /// Fetches in flight to one host.
    pub per_host_concurrency: usize,
    /// Minimum time between the starts of two fetches to one host.
    pub per_host_delay: Duration,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for a whole response, headers and body.
    pub timeout: Duration,
    /// Largest response body accepted (also after decompression).
    pub max_body: ByteSize,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
    /// Retries after a timeout, a connection failure, a 5xx or a 429.
    pub retries: u32,
    /// Whether robots.txt is honoured.
    pub respect_robots: bool,
    /// Whether article checks send If-None-Match / If-Modified-Since, so an
    /// unchanged page costs a 304. Turn off for sites whose validators lie.
    pub conditional_requests: bool,
    /// How often each feed, page and sitemap is polled.
    pub feed_interval: Duration,
    /// Networks fetched from beyond public addresses (loopback, private,
    /// link-local... are refused otherwise, except a listing's own network
    /// for the entries it lists).
    pub allow_networks: Vec<Network>,
    /// This crawler's name in the database's leases, when several crawlers
    /// share one database; by default the host's name and the process id
    /// (`host:1234`). A crawler takes only expired leases or its own.
    pub id: Option<String>,
}

impl Default for Crawl {
    fn default() -> Self {
        Self {
            user_agent: "redline/0.1 (+https://example.org/redline)".into(),
            concurrency: 16,
            per_host_concurrency: 2,
            per_host_delay: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body: ByteSize(10_000_000),
            max_redirects: 10,
            retries: 2,
            respect_robots: true,
            conditional_requests: true,
            feed_interval: Duration::from_secs(5 * 60),
            allow_networks: Vec::new(),
            id: None,
        }
    }
}

/// `[schedule]`: when articles are checked again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields, default)]
pub struct Schedule {
    /// Wait before the first check after a change (or after the first text).
    pub after_change: Duration,
    /// Factor by which the wait grows after each check that finds no change.
    pub backoff: f64,
    /// Longest wait between two checks.
    pub max_interval: Duration,
    /// An article whose text has not changed for this long is retired.
    pub retire_after: Duration,
}

impl Default for Schedule {
    fn default() -> Self {
        Self {
            after_change: Duration::from_secs(15 * 60),
            backoff: 1.5,
            max_interval: Duration::from_secs(24 * 3600),
            retire_after: Duration::from_secs(40 * 24 * 3600),
        }
    }
}

/// `[render]`: the headless browser that renders the pages of sources
/// with `render = "chromium"` (see [`RenderMode`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
#[serde(deny_unknown_fields, default)]
pub struct Render {
    /// The Chromium executable (Debian's `chromium`), started once, on the
    /// first page to render, and again if it dies.
    pub chromium: PathBuf,
    /// Time allowed for one page's rendering, from opening the page to
    /// reading its DOM; past it the page's scripts are stopped and the check
    /// fails.
    pub timeout: Duration,
    /// Pages rendered at once.
    pub concurrency: usize,
    /// The JavaScript heap allowed to each page (V8's
    /// `--max-old-space-size`); a script that needs more is stopped.
    pub max_heap: ByteSize,
}

impl Default for Render {
    fn default() -> Self {
        Self {
            chromium: "/usr/bin/chromium".into(),
            timeout: Duration::from_secs(30),
            concurrency: 1,
            max_heap: ByteSize(256_000_000),
        }
    }
}

/// The most pages `[render] concurrency` may render at once.
pub const RENDER_CONCURRENCY_MAX: usize = 8;

/// How a source's article pages are turned into a document to extract
/// from: `render = "http"` (the default) or `render = "chromium"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RenderMode {
    /// The HTML of the HTTP response, as received.
    #[default]
    Http,
    /// The HTTP response rendered by headless Chromium (`[render]`): its
    /// scripts run and the text is extracted from the resulting DOM. For
    /// sites that write their articles with JavaScript.
    Chromium,
}

impl RenderMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RenderMode::Http => "http",
            RenderMode::Chromium => "chromium",
        }
    }
}

/// The longest source name.
pub const SOURCE_NAME_MAX: usize = 64;

/// What a source name may be, as messages say it.
pub const SOURCE_NAME_RULE: &str = "1-64 letters, digits, '-' or '_'";

/// Whether `name` can name a source: 1 to [`SOURCE_NAME_MAX`] ASCII
/// letters, digits, `-` or `_` (the one rule, for the configuration, the
/// admin API and every URL or query that names a source).
pub fn is_source_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= SOURCE_NAME_MAX
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `[[source]]`: one news outlet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short identifier used in URLs and commands: letters, digits, `-`, `_`.
    pub name: String,
    /// Display name; defaults to the name.
    #[serde(default)]
    pub title: Option<String>,
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed URLs.
    #[serde(default)]
    pub feeds: Vec<String>,
    /// Front or section pages whose links are scanned for articles.
    #[serde(default)]
    pub pages: Vec<String>,
    /// News sitemaps (or sitemap indexes) listing recent articles.
    #[serde(default)]
    pub sitemaps: Vec<String>,
    /// A URL must match this to be tracked as an article of this source.
    #[serde(default)]
    pub article_url: Option<Pattern>,
    /// A URL matching this is dropped.
    #[serde(default)]
    pub exclude_url: Option<Pattern>,
    /// Optional CSS rules for this site's pages.
    #[serde(default)]
    pub extract: Option<ExtractRules>,
    /// Whether article pages are rendered by a browser before extraction.
    #[serde(default)]
    pub render: RenderMode,
}

impl Source {
    /// The display name.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.name)
    }

    /// Every URL this source polls for links, with its kind.
    pub fn listings(&self) -> impl Iterator<Item = (ListingKind, &str)> {
        let feeds = self.feeds.iter().map(|u| (ListingKind::Feed, u.as_str()));
        let pages = self.pages.iter().map(|u| (ListingKind::Page, u.as_str()));
        let maps = self
            .sitemaps
            .iter()
            .map(|u| (ListingKind::Sitemap, u.as_str()));
        feeds.chain(pages).chain(maps)
    }
}

/// What kind of document a listing URL is.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ListingKind {
    /// An RSS or Atom feed.
    Feed,
    /// A page whose links are scanned (a front page, a section).
    Page,
    /// A news sitemap.
    Sitemap,
}

impl ListingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListingKind::Feed => "feed",
            ListingKind::Page => "page",
            ListingKind::Sitemap => "sitemap",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "feed" => Some(ListingKind::Feed),
            "page" => Some(ListingKind::Page),
            "sitemap" => Some(ListingKind::Sitemap),
            _ => None,
        }
    }
}

/// `[source.extract]`: per-site CSS selectors.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractRules {
    /// Selector of the element(s) holding the article body; skips the
    /// generic body detection when it matches.
    #[serde(default)]
    pub body: Option<String>,
    /// Selectors of elements dropped before extraction.
    #[serde(default)]
    pub remove: Vec<String>,
}

impl ExtractRules {
    /// Refuses an empty selector (the selectors themselves are compiled,
    /// and checked, by the extractor).
    pub fn check(&self) -> Result<(), String> {
        let selectors = self.body.iter().chain(&self.remove);
        match selectors.into_iter().find(|s| s.trim().is_empty()) {
            Some(empty) => Err(format!("empty CSS selector {empty:?}")),
            None => Ok(()),
        }
    }
}

impl Config {
    /// Loads `path` if given, else ./redline.toml if present, else the
    /// built-in configuration; then validates it.
    ///
    /// The environment then overrides what it names (see
    /// [`Config::with_environment`]).
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let default_file = Path::new(DEFAULT_FILE);
        let config = match path {
            Some(path) => Self::from_file(path)?,
            None if default_file.exists() => Self::from_file(default_file)?,
            None => Self::built_in()?,
        };
        config.with_environment(|name| std::env::var(name).ok())
    }

    /// Applies the settings the environment overrides, read through `var`:
    /// `REDLINE_DATABASE_URL` replaces `[storage] database` (a PostgreSQL
    /// URL or a SQLite file's path; so a password need not be written in a
    /// file). An empty variable counts as unset.
    pub fn with_environment(
        mut self,
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        const DATABASE: &str = "REDLINE_DATABASE_URL";
        if let Some(text) = var(DATABASE).filter(|t| !t.trim().is_empty()) {
            self.storage.database =
                Database::parse(&text).map_err(|message| ConfigError::Invalid {
                    origin: "the environment".into(),
                    key: DATABASE.into(),
                    message,
                })?;
        }
        for alert in &mut self.alerts {
            alert.take_secrets(&var);
        }
        self.check_alerts(true)?;
        Ok(self)
    }

    /// The alert called `name`.
    pub fn alert(&self, name: &str) -> Option<&Alert> {
        self.alerts.iter().find(|a| a.name == name)
    }

    /// Checks the `[[alert]]` rules; a missing secret only once the
    /// environment has had its say (`with_secrets`).
    fn check_alerts(&self, with_secrets: bool) -> Result<(), ConfigError> {
        let mut names = HashSet::new();
        for (i, alert) in self.alerts.iter().enumerate() {
            if !is_source_name(&alert.name) {
                return Err(self.invalid(
                    format!("alert[{i}].name"),
                    format!("{:?} must be {SOURCE_NAME_RULE}", alert.name),
                ));
            }
            if !names.insert(alert.name.as_str()) {
                return Err(self.invalid(
                    format!("alert[{i}].name"),
                    format!("{:?} is used by two alerts", alert.name),
                ));
            }
            for source in &alert.sources {
                if self.source(source).is_none() {
                    return Err(self.invalid(
                        format!("alert {:?}.sources", alert.name),
                        format!("{source:?} is not a configured source"),
                    ));
                }
            }
            alert.check(with_secrets).map_err(|(key, message)| {
                self.invalid(format!("alert {:?}.{key}", alert.name), message)
            })?;
        }
        Ok(())
    }

    /// The built-in configuration.
    pub fn built_in() -> Result<Config, ConfigError> {
        Self::parse(BUILT_IN, Origin::BuiltIn)
    }

    /// Reads and validates one file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_owned(),
            error,
        })?;
        Self::parse(&text, Origin::File(path.to_owned()))
    }

    /// Parses and validates TOML text.
    pub fn parse(text: &str, origin: Origin) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            origin: origin.to_string(),
            message: e.to_string().trim_end().to_string(),
        })?;
        config.origin = origin;
        config.validate()?;
        config.check_alerts(false)?;
        Ok(config)
    }

    /// The source called `name`.
    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.name == name)
    }

    fn invalid(&self, key: impl Into<String>, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            origin: self.origin.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.server.listen.parse::<std::net::SocketAddr>().is_err() {
            return Err(self.invalid(
                "server.listen",
                format!(
                    "{:?} is not an address and port such as \"127.0.0.1:8080\"",
                    self.server.listen
                ),
            ));
        }
        if let Some(base) = &self.server.base_url {
            let ok = (base.starts_with("http://") || base.starts_with("https://"))
                && url::Url::parse(base).is_ok_and(|u| {
                    u.host().is_some() && u.query().is_none() && u.fragment().is_none()
                });
            if !ok {
                return Err(self.invalid(
                    "server.base_url",
                    format!(
                        "{base:?} is not an http(s) address such as \"https://redline.example.org\""
                    ),
                ));
            }
        }
        let crawl = &self.crawl;
        if let Some(id) = &crawl.id
            && (id.trim().is_empty() || id.len() > 100 || id.chars().any(char::is_control))
        {
            return Err(self.invalid(
                "crawl.id",
                "must be a name of 1 to 100 characters on one line",
            ));
        }
        for (key, value) in [
            ("crawl.concurrency", crawl.concurrency),
            ("crawl.per_host_concurrency", crawl.per_host_concurrency),
        ] {
            if value == 0 {
                return Err(self.invalid(key, "must be at least 1"));
            }
        }
        if crawl.user_agent.trim().is_empty() || crawl.user_agent.contains(['\r', '\n']) {
            return Err(self.invalid("crawl.user_agent", "must be one non-empty line"));
        }
        for (key, value) in [
            ("crawl.timeout", crawl.timeout),
            ("crawl.connect_timeout", crawl.connect_timeout),
            ("crawl.feed_interval", crawl.feed_interval),
            ("schedule.after_change", self.schedule.after_change),
            ("schedule.max_interval", self.schedule.max_interval),
            ("schedule.retire_after", self.schedule.retire_after),
        ] {
            if value.is_zero() {
                return Err(self.invalid(key, "must be longer than zero"));
            }
        }
        let render = &self.render;
        if render.timeout.is_zero() {
            return Err(self.invalid("render.timeout", "must be longer than zero"));
        }
        if !(1..=RENDER_CONCURRENCY_MAX).contains(&render.concurrency) {
            return Err(self.invalid(
                "render.concurrency",
                format!("must be between 1 and {RENDER_CONCURRENCY_MAX}"),
            ));
        }
        if render.max_heap.0 < 16_000_000 {
            return Err(self.invalid("render.max_heap", "must be at least 16MB"));
        }
        if render.chromium.as_os_str().is_empty() {
            return Err(self.invalid("render.chromium", "must name the Chromium executable"));
        }
        if crawl.max_body.0 < 1024 {
            return Err(self.invalid("crawl.max_body", "must be at least 1KB"));
        }
        if !(1.0..=10.0).contains(&self.schedule.backoff) {
            return Err(self.invalid("schedule.backoff", "must be between 1.0 and 10.0"));
        }
        if self.schedule.max_interval < self.schedule.after_change {
            return Err(self.invalid(
                "schedule.max_interval",
                "must not be shorter than schedule.after_change",
            ));
        }
        let mut names = HashSet::new();
        for (i, source) in self.sources.iter().enumerate() {
            let key = format!("source[{i}]");
            if !is_source_name(&source.name) {
                return Err(self.invalid(
                    format!("{key}.name"),
                    format!("{:?} must be {SOURCE_NAME_RULE}", source.name),
                ));
            }
            if !names.insert(source.name.as_str()) {
                return Err(self.invalid(
                    format!("{key}.name"),
                    format!("{:?} is used by two sources", source.name),
                ));
            }
            let key = format!("source {:?}", source.name);
            for (kind, url) in source.listings() {
                let field = match kind {
                    ListingKind::Feed => "feeds",
                    ListingKind::Page => "pages",
                    ListingKind::Sitemap => "sitemaps",
                };
                match url::Url::parse(url) {
                    Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
                    _ => {
                        return Err(self.invalid(
                            format!("{key}.{field}"),
                            format!("{url:?} is not an http(s) URL"),
                        ));
                    }
                }
            }
            if let Some(rules) = &source.extract {
                rules
                    .check()
                    .map_err(|message| self.invalid(format!("{key}.extract"), message))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Origin::File("test.toml".into())).map_err(|e| e.to_string())
    }

    #[test]
    fn built_in_configuration_is_valid_and_has_the_seed_outlets() {
        let config = Config::built_in().unwrap();
        assert!(config.sources.len() >= 8);
        for name in [
            "bbc",
            "guardian",
            "nytimes",
            "independent",
            "washingtontimes",
            "tehrantimes",
            "arutzsheva",
        ] {
            let source = config.source(name).unwrap_or_else(|| panic!("{name}"));
            assert!(!source.feeds.is_empty(), "{name} has no feed");
        }
        assert_eq!(config.crawl.per_host_delay, Duration::from_secs(1));
        assert_eq!(config.crawl.max_body, ByteSize(10_000_000));
        assert_eq!(config.schedule.backoff, 1.5);
    }

    /// The keys a section has, as written back from its value.
    fn keys_of<T: serde::Serialize>(section: &T) -> Vec<String> {
        let table = toml::Table::try_from(section).unwrap();
        let mut keys: Vec<String> = table.keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_built_in_file_states_every_default() {
        let built_in = Config::built_in().unwrap();
        let empty = parse("").unwrap();
        assert_eq!(built_in.storage, Storage::default());
        assert_eq!(built_in.server, Server::default());
        assert_eq!(built_in.crawl, Crawl::default());
        assert_eq!(built_in.schedule, Schedule::default());
        assert_eq!(built_in.render, Render::default());
        assert_eq!(empty.storage, Storage::default());
        assert_eq!(empty.server, Server::default());
        assert_eq!(empty.crawl, Crawl::default());
        assert_eq!(empty.schedule, Schedule::default());
        assert_eq!(empty.render, Render::default());
        // Every key of a section is written out in the file, not left to
        // the default (the optional ones of [server] are commented out).
        let file: toml::Table = toml::from_str(BUILT_IN).unwrap();
        let written = |section: &str| {
            let mut keys: Vec<String> = file[section].as_table().unwrap().keys().cloned().collect();
            keys.sort();
            keys
        };
        assert_eq!(written("storage"), keys_of(&Storage::default()));
        assert_eq!(written("server"), keys_of(&Server::default()));
        assert_eq!(written("crawl"), keys_of(&Crawl::default()));
        assert_eq!(written("schedule"), keys_of(&Schedule::default()));
        assert_eq!(written("render"), keys_of(&Render::default()));
    }

    #[test]
    fn an_empty_file_gets_the_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.crawl.concurrency, 16);
        assert_eq!(config.server.listen, "127.0.0.1:8080");
        assert_eq!(
            config.schedule.retire_after,
            Duration::from_secs(40 * 24 * 3600)
        );
        assert!(config.sources.is_empty());
    }

    #[test]
    fn the_example_from_the_readme_parses() {
        let config = parse(
            r#"
            [storage]
            database = "news.db"
            archive  = "warc"
            [server]
            listen = "0.0.0.0:9000"
            [crawl]
            user_agent = "test"
            concurrency = 4
            per_host_concurrency = 1
            per_host_delay = "500ms"
            [[source]]
            name  = "bbc"
            title = "BBC News"
            feeds = ["https://feeds.bbci.co.uk/news/rss.xml"]
            pages = []
            article_url = "^https://www\\.bbc\\.co\\.uk/news/"
            exclude_url = "/(sport|live)/"
            [source.extract]
            body = "article .story-body"
            remove = [".ad", "aside"]
            "#,
        )
        .unwrap();
        assert_eq!(
            config.crawl.per_host_delay,
            Duration::from_millis(500),
            "durations are strings"
        );
        let bbc = config.source("bbc").unwrap();
        assert!(
            bbc.article_url
                .as_ref()
                .unwrap()
                .is_match("https://www.bbc.co.uk/news/world-1")
        );
        assert_eq!(bbc.extract.as_ref().unwrap().remove, [".ad", "aside"]);
    }

    #[test]
    fn unknown_keys_are_rejected_by_name() {
        let err = parse("[crawl]\nconcurency = 3\n").unwrap_err();
        assert!(err.contains("concurency"), "{err}");
        let err = parse("[[source]]\nname = \"x\"\nfeed = []\n").unwrap_err();
        assert!(err.contains("feed"), "{err}");
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("[crawl]\nper_host_delay = \"soon\"\n", "per_host_delay"),
            ("[crawl]\ntimeout = 30\n", "timeout"),
            ("[crawl]\nconcurrency = 0\n", "crawl.concurrency"),
            ("[crawl]\nid = \" \"\n", "crawl.id"),
            ("[crawl]\nmax_body = \"ten\"\n", "max_body"),
            (
                "[crawl]\nallow_networks = [\"10.1.0.0/33\"]\n",
                "allow_networks",
            ),
            ("[schedule]\nbackoff = 0.5\n", "schedule.backoff"),
            ("[render]\nconcurrency = 0\n", "render.concurrency"),
            ("[render]\ntimeout = \"0s\"\n", "render.timeout"),
            ("[render]\nmax_heap = \"1MB\"\n", "render.max_heap"),
            ("[render]\nchromium = \"\"\n", "render.chromium"),
            ("[[source]]\nname = \"x\"\nrender = \"firefox\"\n", "render"),
            ("[server]\nlisten = \"localhost\"\n", "server.listen"),
            (
                "[[source]]\nname = \"x\"\narticle_url = \"(unclosed\"\n",
                "article_url",
            ),
            ("[[source]]\nname = \"a b\"\n", "source[0].name"),
            (
                "[[source]]\nname = \"x\"\nfeeds = [\"ftp://example.org/\"]\n",
                "source \"x\".feeds",
            ),
            (
                "[[source]]\nname = \"x\"\n[[source]]\nname = \"x\"\n",
                "source[1].name",
            ),
        ];
        for (text, key) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.contains(key), "{text:?}: {err}");
            assert!(err.contains("test.toml"), "{err}");
        }
    }

    #[test]
    fn the_database_is_a_path_or_a_postgres_url_never_a_folder_named_after_a_scheme() {
        let database = |text: &str| parse(&format!("[storage]\ndatabase = {text:?}\n"));
        assert_eq!(
            database("news.db").unwrap().storage.database,
            Database::Sqlite("news.db".into())
        );
        assert_eq!(
            database("/var/lib/redline/redline.db")
                .unwrap()
                .storage
                .database,
            Database::Sqlite("/var/lib/redline/redline.db".into())
        );
        for url in [
            "postgres://redline:s3cret@db.example:5432/redline",
            "postgresql://redline@db.example/redline?sslmode=disable",
        ] {
            assert_eq!(
                database(url).unwrap().storage.database,
                Database::Postgres(url.into())
            );
        }
        let refused = |text: &str, message: &str| {
            let err = database(text).unwrap_err();
            assert!(
                err.starts_with("invalid configuration in test.toml:"),
                "{err}"
            );
            assert!(err.contains("database = "), "{err}");
            assert!(err.ends_with(message), "{text}: {err}");
        };
        let examples = "give a SQLite file's path such as \"redline.db\", or a PostgreSQL URL \
                        such as \"postgres://redline:PASSWORD@localhost:5432/redline\"";
        refused(
            "mysql://root@db.example/redline",
            &format!("mysql:// is not a database redline can use: {examples}"),
        );
        refused(
            "postgres://redline@[db.example/redline",
            &format!("is not a valid URL (invalid IPv6 address): {examples}"),
        );
        refused("  ", &format!("is empty: {examples}"));
    }

    #[test]
    fn a_database_password_shows_in_no_log_or_message() {
        let database =
            Database::parse("postgres://redline:s3cret@db.example:5432/redline").unwrap();
        assert_eq!(
            database.to_string(),
            "postgres://redline:***@db.example:5432/redline"
        );
        assert_eq!(
            format!("{database:?}"),
            "Postgres(\"postgres://redline:***@db.example:5432/redline\")"
        );
        let in_query =
            Database::parse("postgres://db.example/redline?user=redline&password=s3cret").unwrap();
        assert_eq!(
            in_query.to_string(),
            "postgres://db.example/redline?user=redline&password=***"
        );
        let config =
            parse("[storage]\ndatabase = \"postgres://redline:s3cret@db.example/r\"\n").unwrap();
        assert!(!format!("{config:?}").contains("s3cret"));
        assert_eq!(
            Database::Sqlite("news.db".into()).to_string(),
            "news.db",
            "a path is shown as it is"
        );
    }

    #[test]
    fn redline_database_url_overrides_the_file() {
        let file = parse("[storage]\ndatabase = \"news.db\"\n").unwrap();
        let env = |value: &'static str| {
            move |name: &str| (name == "REDLINE_DATABASE_URL").then(|| value.to_string())
        };
        let overridden = file
            .clone()
            .with_environment(env("postgres://redline@db.example/redline"))
            .unwrap();
        assert_eq!(
            overridden.storage.database,
            Database::Postgres("postgres://redline@db.example/redline".into())
        );
        assert_eq!(
            file.clone()
                .with_environment(env("other.db"))
                .unwrap()
                .storage
                .database,
            Database::Sqlite("other.db".into())
        );
        assert_eq!(
            file.clone()
                .with_environment(env(""))
                .unwrap()
                .storage
                .database,
            Database::Sqlite("news.db".into()),
            "an empty variable is unset"
        );
        assert_eq!(
            file.with_environment(env("redis://cache"))
                .unwrap_err()
                .to_string(),
            "invalid configuration in the environment: REDLINE_DATABASE_URL: redis:// is not a database redline can use: give a SQLite \
             file's path such as \"redline.db\", or a PostgreSQL URL such as \
             \"postgres://redline:PASSWORD@localhost:5432/redline\""
        );
    }

    #[test]
    fn allowed_networks_are_parsed_and_checked() {
        let config = Config::parse(
            "[crawl]\nallow_networks = [\"10.1.0.0/16\", \"fd00::/8\", \"192.168.4.7\"]\n",
            Origin::File("test.toml".into()),
        )
        .unwrap();
        let nets: Vec<String> = config
            .crawl
            .allow_networks
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(nets, ["10.1.0.0/16", "fd00::/8", "192.168.4.7/32"]);
        assert!(Config::built_in().unwrap().crawl.allow_networks.is_empty());
        for (value, message) in [
            (
                "\"10.1.2.3/16\"",
                "\"10.1.2.3/16\" has bits set past its /16 prefix; the network is \"10.1.0.0/16\"",
            ),
            (
                "\"10.1.0.0/33\"",
                "\"10.1.0.0/33\" is not an IP network such as \"10.1.0.0/16\" or \"fd00::/8\"",
            ),
            (
                "\"intranet\"",
                "\"intranet\" is not an IP network such as \"10.1.0.0/16\" or \"fd00::/8\"",
            ),
            ("16", "a network must be a string such as \"10.1.0.0/16\""),
        ] {
            let err = parse(&format!("[crawl]\nallow_networks = [{value}]\n")).unwrap_err();
            assert!(err.contains("allow_networks"), "{value}: {err}");
            assert!(err.contains(message), "{value}: {err}");
        }
    }

    #[test]
    fn render_is_per_source_and_its_bounds_are_global() {
        let config = parse(
            r#"
            [render]
            chromium = "/opt/chromium/chrome"
            timeout = "5s"
            concurrency = 2
            max_heap = "64MB"
            [[source]]
            name = "spa"
            render = "chromium"
            [[source]]
            name = "plain"
            [[source]]
            name = "said"
            render = "http"
            "#,
        )
        .unwrap();
        assert_eq!(
            config.render,
            Render {
                chromium: "/opt/chromium/chrome".into(),
                timeout: Duration::from_secs(5),
                concurrency: 2,
                max_heap: ByteSize(64_000_000),
            }
        );
        let modes: Vec<RenderMode> = config.sources.iter().map(|s| s.render).collect();
        assert_eq!(
            modes,
            [RenderMode::Chromium, RenderMode::Http, RenderMode::Http]
        );
        let err = parse("[[source]]\nname = \"x\"\nrender = \"firefox\"\n").unwrap_err();
        assert!(
            err.contains("unknown variant `firefox`, expected `http` or `chromium`"),
            "{err}"
        );
    }

    #[test]
    fn the_admin_token_is_never_printed() {
        let config = Config::parse(
            "[server]\nadmin_token = \"hunter2-but-longer-than-16\"\n",
            Origin::File("test.toml".into()),
        )
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains(r#"admin_token: Some("<secret: not shown>")"#),
            "{shown}"
        );
    }

    #[test]
    fn a_missing_file_says_which() {
        let err = Config::from_file(Path::new("/nonexistent/redline.toml")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/redline.toml"));
    }
}
