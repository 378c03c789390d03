//! Value types of the configuration that parse from strings: durations,
//! byte sizes, regular expressions, IP networks and the database's
//! address.

use std::fmt;
use std::ops::Deref;

use serde::Deserialize;
use serde::de::{self, Deserializer};

/// A duration written as a string: `"500ms"`, `"30s"`, `"15m"`, `"1h"`, `"40d"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub std::time::Duration);

impl Duration {
    pub const fn from_secs(secs: u64) -> Self {
        Self(std::time::Duration::from_secs(secs))
    }

    pub const fn from_millis(millis: u64) -> Self {
        Self(std::time::Duration::from_millis(millis))
    }
}

impl Deref for Duration {
    type Target = std::time::Duration;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", humantime::format_duration(self.0))
    }
}

impl Duration {
    /// The longest duration accepted: far beyond any useful setting, and
    /// short enough that adding it to a date never overflows.
    pub const MAX: Duration = Duration::from_secs(10 * 366 * 24 * 3600);
}

impl std::str::FromStr for Duration {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d = humantime::parse_duration(s.trim()).map(Duration).map_err(|e| {
            format!("invalid duration {s:?} ({e}); write it like \"500ms\", \"30m\", \"1h\" or \"2d\"")
        })?;
        if d > Duration::MAX {
            return Err(format!(
                "the duration {s:?} is too long: durations go up to 10 years"
            ));
        }
        Ok(d)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer).map_err(|_| {
            de::Error::custom("a duration must be a string such as \"30s\", \"15m\" or \"1h\"")
        })?;
        text.parse().map_err(de::Error::custom)
    }
}

/// A size in bytes written as a string (`"10MB"`, `"512KiB"`, `"1GB"`) or
/// as a plain number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSize(pub u64);

impl std::str::FromStr for ByteSize {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let split = text
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "kb" | "k" => 1_000,
            "kib" => 1 << 10,
            "mb" | "m" => 1_000_000,
            "mib" => 1 << 20,
            "gb" | "g" => 1_000_000_000,
            "gib" => 1 << 30,
            _ => {
                return Err(format!(
                    "invalid size {s:?}: use a unit of B, KB, MB, GB, KiB, MiB or GiB"
                ));
            }
        };
        let number: f64 = number
            .parse()
            .map_err(|_| format!("invalid size {s:?}: write it like \"10MB\""))?;
        if !number.is_finite() || number < 0.0 {
            return Err(format!("invalid size {s:?}"));
        }
        Ok(ByteSize((number * multiplier as f64) as u64))
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Text(String),
        }
        match Raw::deserialize(deserializer)
            .map_err(|_| de::Error::custom("a size must be a string such as \"10MB\""))?
        {
            Raw::Number(n) => Ok(ByteSize(n)),
            Raw::Text(text) => text.parse().map_err(de::Error::custom),
        }
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            n if n >= 1_000_000_000 && n % 1_000_000 == 0 => write!(f, "{}GB", n as f64 / 1e9),
            n if n >= 1_000_000 && n % 1_000 == 0 => write!(f, "{}MB", n as f64 / 1e6),
            n if n >= 1_000 && n % 1_000 == 0 => write!(f, "{}KB", n / 1_000),
            n => write!(f, "{n}B"),
        }
    }
}

/// A regular expression, compiled when the configuration is read.
#[derive(Clone)]
pub struct Pattern(regex::Regex);

impl Pattern {
    pub fn new(source: &str) -> Result<Self, String> {
        regex::RegexBuilder::new(source)
            .size_limit(1 << 20)
            .build()
            .map(Pattern)
            .map_err(|e| format!("invalid regular expression {source:?}: {e}"))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Pattern {
    type Target = regex::Regex;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Pattern::new(&text).map_err(de::Error::custom)
    }
}

/// `[storage] database`: where redline keeps what it stores. A path is a
/// SQLite database file; a `postgres://` (or `postgresql://`) URL is a
/// PostgreSQL database, which several crawlers can share. Its `Debug` and
/// `Display` never show a password.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite database file, created on first use.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL database: `postgres://USER:PASSWORD@HOST:PORT/DATABASE`.
    Postgres(String),
}

impl Database {
    /// Reads a setting's text: a URL with a scheme redline knows, or a
    /// file's path.
    pub fn parse(text: &str) -> Result<Self, String> {
        const EXAMPLES: &str = "give a SQLite file's path such as \"redline.db\", or a \
             PostgreSQL URL such as \"postgres://redline:PASSWORD@localhost:5432/redline\"";
        let text = text.trim();
        if text.is_empty() {
            return Err(format!("is empty: {EXAMPLES}"));
        }
        let Some((scheme, _)) = text.split_once("://") else {
            return Ok(Database::Sqlite(text.into()));
        };
        if !scheme.eq_ignore_ascii_case("postgres") && !scheme.eq_ignore_ascii_case("postgresql") {
            return Err(format!(
                "{scheme}:// is not a database redline can use: {EXAMPLES}"
            ));
        }
        match url::Url::parse(text) {
            Ok(_) => Ok(Database::Postgres(text.to_string())),
            Err(e) => Err(format!("is not a valid URL ({e}): {EXAMPLES}")),
        }
    }

    /// The SQLite file's path, if it is one.
    pub fn sqlite_path(&self) -> Option<&std::path::Path> {
        match self {
            Database::Sqlite(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }

    /// How logs and messages name the database: a file's path, or the URL
    /// with its password (in the user part or as a `password` parameter)
    /// replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(address) => {
                let Ok(mut url) = url::Url::parse(address) else {
                    return "(an invalid PostgreSQL URL)".into();
                };
                if url.password().is_some() {
                    let _ = url.set_password(Some("***"));
                }
                if url.query_pairs().any(|(k, _)| k == "password") {
                    let pairs: Vec<(String, String)> = url
                        .query_pairs()
                        .map(|(k, v)| {
                            let v = if k == "password" {
                                "***".into()
                            } else {
                                v.into_owned()
                            };
                            (k.into_owned(), v)
                        })
                        .collect();
                    url.query_pairs_mut().clear().extend_pairs(pairs);
                }
                url.to_string()
            }
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Database::Postgres(_) => f.debug_tuple("Postgres").field(&self.redacted()).finish(),
        }
    }
}

impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl<'de> Deserialize<'de> for Database {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Database::parse(&text).map_err(de::Error::custom)
    }
}

/// Written back the way they are read, so the tests can list the keys the
/// defaults have.
#[cfg(test)]
mod write_back {
    use serde::{Serialize, Serializer};

    impl Serialize for super::Duration {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self)
        }
    }

    impl Serialize for super::ByteSize {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self)
        }
    }

    impl Serialize for super::Network {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self)
        }
    }

    impl Serialize for super::Database {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                super::Database::Sqlite(path) => serializer.collect_str(&path.display()),
                super::Database::Postgres(url) => serializer.serialize_str(url),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_in_every_unit_the_docs_use() {
        let cases = [
            ("500ms", 500),
            ("30s", 30_000),
            ("30m", 1_800_000),
            ("1h", 3_600_000),
            ("1d", 86_400_000),
            ("40d", 40 * 86_400_000),
            ("1h 30m", 5_400_000),
        ];
        for (text, millis) in cases {
            let d: Duration = text.parse().unwrap();
            assert_eq!(d.as_millis(), millis, "{text}");
        }
        assert!("soon".parse::<Duration>().is_err());
        assert!("30".parse::<Duration>().is_err(), "a unit is required");
        assert_eq!("10y".parse::<Duration>().map(|d| d.as_secs() > 0), Ok(true));
        let e = "1000000y".parse::<Duration>().unwrap_err();
        assert!(e.contains("too long"), "{e}");
    }

    #[test]
    fn sizes_parse_with_decimal_and_binary_units() {
        assert_eq!("10MB".parse::<ByteSize>().unwrap(), ByteSize(10_000_000));
        assert_eq!("512KiB".parse::<ByteSize>().unwrap(), ByteSize(524_288));
        assert_eq!(
            "1.5 GB".parse::<ByteSize>().unwrap(),
            ByteSize(1_500_000_000)
        );
        assert_eq!("123".parse::<ByteSize>().unwrap(), ByteSize(123));
        assert!("ten".parse::<ByteSize>().is_err());
        assert!("10XB".parse::<ByteSize>().is_err());
        assert_eq!(ByteSize(10_000_000).to_string(), "10MB");
    }
}

/// An IP network in CIDR notation, `"10.1.0.0/16"` or `"fd00::/8"`; a bare
/// address is that one address (`/32`, `/128`). Host bits must be zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Network {
    pub addr: std::net::IpAddr,
    pub prefix: u8,
}

impl std::str::FromStr for Network {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not an IP network such as \"10.1.0.0/16\" or \"fd00::/8\"");
        let text = s.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let addr: std::net::IpAddr = addr.parse().map_err(|_| bad())?;
        let bits: u8 = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => match p.parse::<u8>() {
                Ok(p) if p <= bits => p,
                _ => return Err(bad()),
            },
            Some(_) => return Err(bad()),
        };
        let network = Network { addr, prefix };
        let base = network.base();
        if base != addr {
            return Err(format!(
                "{s:?} has bits set past its /{prefix} prefix; the network is \"{base}/{prefix}\""
            ));
        }
        Ok(network)
    }
}

impl Network {
    /// The address with the bits past the prefix cleared.
    fn base(&self) -> std::net::IpAddr {
        use std::net::IpAddr;
        match self.addr {
            IpAddr::V4(v4) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(v4) & mask).into())
            }
            IpAddr::V6(v6) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(v6) & mask).into())
            }
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl<'de> Deserialize<'de> for Network {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)
            .map_err(|_| de::Error::custom("a network must be a string such as \"10.1.0.0/16\""))?;
        text.parse().map_err(de::Error::custom)
    }
}
