//! `[[alert]]`: who is told of which changes, through which channel. This
//! module owns the rules' schema, their validation (every error names the
//! key) and the secrets the environment supplies; matching a change and
//! delivering it belong to `redline-alert`.

use std::fmt;

use serde::Deserialize;

use crate::is_source_name;

/// How an alert reaches people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// A signed JSON POST to `url`.
    Webhook,
    /// A message over SMTP (`smtp`, `from`, `to`).
    Email,
    /// A status on a Mastodon instance (`instance`, `token`).
    Mastodon,
    /// A post on Bluesky (`service`, `handle`, `app_password`).
    Bluesky,
    /// A Slack incoming webhook (`url`).
    Slack,
    /// A Discord webhook (`url`).
    Discord,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
            Channel::Mastodon => "mastodon",
            Channel::Bluesky => "bluesky",
            Channel::Slack => "slack",
            Channel::Discord => "discord",
        }
    }

    /// The keys this channel needs, and the ones it may take.
    fn keys(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Channel::Webhook => (&["url", "secret"], &[]),
            Channel::Slack | Channel::Discord => (&["url"], &[]),
            Channel::Email => (&["smtp", "from", "to"], &[]),
            Channel::Mastodon => (&["instance", "token"], &[]),
            Channel::Bluesky => (&["handle", "app_password"], &["service"]),
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that is never shown: `Debug` and `Display` print
/// [`crate::MASKED`]; [`Secret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::MASKED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::MASKED)
    }
}

/// One or several addresses (`to = "a@x"` or `to = ["a@x", "b@y"]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// The most messages one alert sends in an hour by default.
pub const DEFAULT_MAX_PER_HOUR: u32 = 12;

/// `[[alert]]`: one rule. A change is sent when every filter given holds.
///
/// Its `Debug` never shows a secret, nor the path and query of a URL
/// (incoming-webhook URLs of Slack and Discord are credentials).
#[derive(Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alert {
    /// Names the alert in messages, `/metrics`, `redline alerts` and
    /// delivery ids: 1-64 letters, digits, '-' or '_'.
    pub name: String,
    pub channel: Channel,
    /// webhook, slack, discord: where to POST.
    #[serde(default)]
    pub url: Option<String>,
    /// webhook: the key of each delivery's HMAC-SHA256 signature.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// email: the server, `smtp://HOST:PORT` (STARTTLS required),
    /// `smtps://HOST:PORT` (TLS) or `smtp+plain://HOST:PORT` (no TLS, for
    /// a relay on loopback), with `USER:PASSWORD@` when it asks for a login.
    #[serde(default)]
    pub smtp: Option<Secret>,
    /// email: the sender's address.
    #[serde(default)]
    pub from: Option<String>,
    /// email: the recipients.
    #[serde(default, deserialize_with = "one_or_many")]
    pub to: Vec<String>,
    /// mastodon: the instance's address (`https://mastodon.social`).
    #[serde(default)]
    pub instance: Option<String>,
    /// mastodon: an access token with the `write:statuses` and
    /// `write:media` scopes.
    #[serde(default)]
    pub token: Option<Secret>,
    /// bluesky: the PDS (default `https://bsky.social`).
    #[serde(default)]
    pub service: Option<String>,
    /// bluesky: the account's handle.
    #[serde(default)]
    pub handle: Option<String>,
    /// bluesky: an app password (never the account's password).
    #[serde(default)]
    pub app_password: Option<Secret>,
    /// Only changes of these sources (any of them).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Only changes whose new or old text matches this query (the search
    /// syntax of the web interface).
    #[serde(default)]
    pub query: Option<String>,
    /// Only changes with any of these labels.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Only changes at least this significant (0-100).
    #[serde(default)]
    pub min_significance: Option<u8>,
    /// Only changes of these articles (their URLs): a watch list.
    #[serde(default)]
    pub articles: Vec<String>,
    /// Beyond this many messages in an hour, the rest wait and go as one
    /// digest.
    #[serde(default = "default_max_per_hour")]
    pub max_per_hour: u32,
}

fn default_max_per_hour() -> u32 {
    DEFAULT_MAX_PER_HOUR
}

/// A URL as logs may show it: scheme and host only.
pub fn url_for_logs(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => format!("{}://{}/…", u.scheme(), u.host_str().unwrap_or("")),
        Err(_) => "<not a URL>".into(),
    }
}

impl fmt::Debug for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Alert")
            .field("name", &self.name)
            .field("channel", &self.channel)
            .field("url", &self.url.as_deref().map(url_for_logs))
            .field("secret", &self.secret)
            .field("smtp", &self.smtp)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("instance", &self.instance)
            .field("token", &self.token)
            .field("service", &self.service)
            .field("handle", &self.handle)
            .field("app_password", &self.app_password)
            .field("sources", &self.sources)
            .field("query", &self.query)
            .field("labels", &self.labels)
            .field("min_significance", &self.min_significance)
            .field("articles", &self.articles)
            .field("max_per_hour", &self.max_per_hour)
            .finish()
    }
}

/// Bluesky's PDS when `service` is not given.
pub const BLUESKY_SERVICE: &str = "https://bsky.social";

/// Most URLs in one watch list.
pub const MAX_WATCHED: usize = 10_000;

impl Alert {
    /// The environment variable that supplies `key` of this alert:
    /// `REDLINE_ALERT_<NAME>_<KEY>`, upper-cased, '-' as '_'.
    pub fn variable(&self, key: &str) -> String {
        format!("REDLINE_ALERT_{}_{}", self.name, key)
            .to_ascii_uppercase()
            .replace('-', "_")
    }

    /// Fills the secrets from the environment (`var`), which wins over
    /// the file.
    pub(crate) fn take_secrets(&mut self, var: &impl Fn(&str) -> Option<String>) {
        let name = self.clone();
        let get = |key: &str| var(&name.variable(key)).filter(|v| !v.trim().is_empty());
        if let Some(v) = get("secret") {
            self.secret = Some(Secret(v));
        }
        if let Some(v) = get("token") {
            self.token = Some(Secret(v));
        }
        if let Some(v) = get("app_password") {
            self.app_password = Some(Secret(v));
        }
        if let Some(v) = get("smtp") {
            self.smtp = Some(Secret(v));
        }
        if let Some(v) = get("url") {
            self.url = Some(v);
        }
    }

    fn given(&self, key: &str) -> bool {
        match key {
            "url" => self.url.is_some(),
            "secret" => self.secret.is_some(),
            "smtp" => self.smtp.is_some(),
            "from" => self.from.is_some(),
            "to" => !self.to.is_empty(),
            "instance" => self.instance.is_some(),
            "token" => self.token.is_some(),
            "service" => self.service.is_some(),
            "handle" => self.handle.is_some(),
            "app_password" => self.app_password.is_some(),
            _ => false,
        }
    }

    /// Checks the rule; `Err((key, message))` names the key at fault
    /// within the alert.
    /// A missing secret is an error only `with_secrets` (once the
    /// environment has been read).
    pub(crate) fn check(&self, with_secrets: bool) -> Result<(), (String, String)> {
        let bad = |key: &str, message: String| Err((key.to_string(), message));
        const CHANNEL_KEYS: [&str; 10] = [
            "url",
            "secret",
            "smtp",
            "from",
            "to",
            "instance",
            "token",
            "service",
            "handle",
            "app_password",
        ];
        let (needed, optional) = self.channel.keys();
        for key in needed {
            let secret = matches!(*key, "url" | "secret" | "token" | "app_password" | "smtp");
            if !self.given(key) && (with_secrets || !secret) {
                let hint = if secret {
                    format!(" (or set {})", self.variable(key))
                } else {
                    String::new()
                };
                return bad(key, format!("the {} channel needs it{hint}", self.channel));
            }
        }
        for key in CHANNEL_KEYS {
            if self.given(key) && !needed.contains(&key) && !optional.contains(&key) {
                return bad(
                    key,
                    format!("is not a setting of the {} channel", self.channel),
                );
            }
        }
        for (key, value) in [
            ("url", self.url.as_deref()),
            ("instance", self.instance.as_deref()),
            ("service", self.service.as_deref()),
        ] {
            if let Some(value) = value {
                let ok = url::Url::parse(value)
                    .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
                if !ok {
                    return bad(
                        key,
                        format!("{} is not an http(s) URL", url_for_logs(value)),
                    );
                }
            }
        }
        if let Some(smtp) = &self.smtp {
            let ok = url::Url::parse(smtp.expose()).is_ok_and(|u| {
                matches!(u.scheme(), "smtp" | "smtps" | "smtp+plain") && u.host().is_some()
            });
            if !ok {
                return bad(
                    "smtp",
                    "is not smtp://HOST:PORT, smtps://HOST:PORT or smtp+plain://HOST:PORT".into(),
                );
            }
        }
        for (key, address) in self
            .from
            .iter()
            .map(|a| ("from", a))
            .chain(self.to.iter().map(|a| ("to", a)))
        {
            let ok = address.split_once('@').is_some_and(|(user, host)| {
                !user.is_empty() && !host.is_empty() && !address.contains(char::is_whitespace)
            });
            if !ok {
                return bad(key, format!("{address:?} is not an email address"));
            }
        }
        if let Some(handle) = &self.handle
            && (handle.trim().is_empty() || handle.contains(char::is_whitespace))
        {
            return bad("handle", format!("{handle:?} is not a handle"));
        }
        for source in &self.sources {
            if !is_source_name(source) {
                return bad("sources", format!("{source:?} is not a source's name"));
            }
        }
        if let Some(query) = &self.query
            && query.trim().is_empty()
        {
            return bad("query", "is empty".into());
        }
        if let Some(s) = self.min_significance
            && s > 100
        {
            return bad("min_significance", "must be between 0 and 100".into());
        }
        if self.articles.len() > MAX_WATCHED {
            return bad("articles", format!("holds more than {MAX_WATCHED} URLs"));
        }
        for article in &self.articles {
            let ok = url::Url::parse(article)
                .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return bad("articles", format!("{article:?} is not an http(s) URL"));
            }
        }
        if self.max_per_hour == 0 {
            return bad("max_per_hour", "must be at least 1".into());
        }
        Ok(())
    }
}
