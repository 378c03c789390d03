//! Parsing what comes in the URL — ids, version numbers, page numbers,
//! query strings, cursors — with a clear 4xx for anything off.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use data_encoding::BASE64URL_NOPAD;
use redline_store::{ArticleCursor, ArticleId, ChangeCursor};

use crate::error::{AppError, AppResult};

/// Highest page number a list accepts: far beyond any real history, and it
/// keeps OFFSET bounded.
pub const MAX_PAGE: u32 = 10_000;

/// An article id from the path: digits only, else it names no article.
pub fn article_id(raw: &str) -> AppResult<ArticleId> {
    raw.parse::<ArticleId>()
        .ok()
        .filter(|id| *id > 0 && raw.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| AppError::NotFound(format!("There is no article {:?}.", clip(raw))))
}

/// A version number from the path.
pub fn version_number(raw: &str, count: u32) -> AppResult<u32> {
    let not_found = || {
        AppError::NotFound(if count == 0 {
            "This article has no stored version yet.".into()
        } else {
            format!(
                "There is no version {:?} of this article: its versions are numbered 0 to {}.",
                clip(raw),
                count - 1
            )
        })
    };
    let n = raw
        .parse::<u32>()
        .ok()
        .filter(|_| raw.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(not_found)?;
    if n >= count {
        return Err(not_found());
    }
    Ok(n)
}

/// Cuts what a client sent before quoting it back.
pub fn clip(raw: &str) -> String {
    raw.chars().take(40).collect()
}

/// The query string's parameters: the last value of each wins, except for
/// the repeatable ones read with [`Params::all`].
#[derive(Debug, Default)]
pub struct Params {
    last: HashMap<String, String>,
    all: Vec<(String, String)>,
}

impl Params {
    pub fn parse(raw: Option<&str>) -> Self {
        let all: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params {
            last: all.iter().cloned().collect(),
            all,
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.last.get(key).map(String::as_str)
    }

    /// Every non-empty value of a repeatable parameter, in order.
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.all
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// Refuses parameters outside `allowed`, naming them and the ones the
    /// route takes (a misspelt filter must not silently return everything).
    pub fn only(&self, allowed: &[&str]) -> AppResult<()> {
        let mut unknown: Vec<&str> = self
            .last
            .keys()
            .map(String::as_str)
            .filter(|k| !allowed.contains(k))
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        unknown.sort_unstable();
        let names: Vec<String> = unknown.iter().map(|k| format!("{:?}", clip(k))).collect();
        Err(AppError::BadRequest(format!(
            "Unknown parameter{} {}: this address takes {}.",
            if unknown.len() == 1 { "" } else { "s" },
            names.join(", "),
            allowed.join(", ")
        )))
    }

    /// A non-empty, trimmed value.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).map(str::trim).filter(|v| !v.is_empty())
    }

    /// A boolean flag: 1/true/yes/on or 0/false/no/off.
    pub fn flag(&self, key: &str) -> AppResult<bool> {
        match self.text(key) {
            None => Ok(false),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(AppError::BadRequest(format!(
                    "{key} must be true or false, not {:?}.",
                    clip(v)
                ))),
            },
        }
    }

    /// `?page=N`: 1 when absent; 1 to [`MAX_PAGE`].
    pub fn page(&self) -> AppResult<u32> {
        let Some(raw) = self.text("page") else {
            return Ok(1);
        };
        match raw.parse::<u64>() {
            Ok(n) if (1..=u64::from(MAX_PAGE)).contains(&n) => Ok(n as u32),
            Ok(0) => Err(AppError::BadRequest("Pages are numbered from 1.".into())),
            Ok(_) => Err(AppError::NotFound(format!(
                "There is no page {}: the list ends before it (lists show {MAX_PAGE} pages at \
                 most).",
                clip(raw)
            ))),
            Err(_) => Err(AppError::BadRequest(format!(
                "The page number must be a whole number from 1, not {:?}.",
                clip(raw)
            ))),
        }
    }

    /// `?limit=N` within 1..=max, `default` when absent.
    pub fn limit(&self, default: usize, max: usize) -> AppResult<usize> {
        let Some(raw) = self.text("limit") else {
            return Ok(default);
        };
        match raw.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(AppError::BadRequest(format!(
                "limit must be a whole number from 1 to {max}, not {:?}.",
                clip(raw)
            ))),
        }
    }

    /// A time given as RFC 3339 (`2026-03-04T14:00:00Z`) or a date
    /// (`2026-03-04`, midnight UTC).
    pub fn time(&self, key: &str) -> AppResult<Option<DateTime<Utc>>> {
        let Some(raw) = self.text(key) else {
            return Ok(None);
        };
        if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
            return Ok(Some(t.with_timezone(&Utc)));
        }
        if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            && let Some(t) = d.and_hms_opt(0, 0, 0)
        {
            return Ok(Some(t.and_utc()));
        }
        Err(AppError::BadRequest(format!(
            "{key} must be a date (2026-03-04) or an RFC 3339 time (2026-03-04T14:00:00Z), not {:?}.",
            clip(raw)
        )))
    }
}

/// Cursors are opaque to clients: base64url of a tag and the sort key.
pub fn encode_change_cursor(c: ChangeCursor) -> String {
    BASE64URL_NOPAD.encode(format!("c2:{}:{}", c.seen_at_ms, c.key).as_bytes())
}

pub fn encode_article_cursor(c: ArticleCursor) -> String {
    BASE64URL_NOPAD.encode(format!("a1:{}:{}", c.sort_ms, c.id).as_bytes())
}

fn bad_cursor() -> AppError {
    AppError::BadRequest(
        "That cursor is not valid: pass back the next_cursor of a previous answer unchanged."
            .into(),
    )
}

fn decode_cursor(raw: &str, tag: &str) -> AppResult<(i64, i64)> {
    let bad = bad_cursor;
    let bytes = BASE64URL_NOPAD.decode(raw.as_bytes()).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let mut parts = text.split(':');
    if parts.next() != Some(tag) {
        return Err(bad());
    }
    let a = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    let b = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok((a, b))
}

pub fn change_cursor(p: &Params) -> AppResult<Option<ChangeCursor>> {
    p.text("cursor")
        .map(|raw| {
            match decode_cursor(raw, "c2") {
                Ok((seen_at_ms, key)) => Ok(ChangeCursor { seen_at_ms, key }),
                // Before reverts were listed, cursors held a version's row
                // id; its change key is twice that.
                Err(e) => match decode_cursor(raw, "c1") {
                    Ok((seen_at_ms, version_id)) => version_id
                        .checked_mul(2)
                        .map(|key| ChangeCursor { seen_at_ms, key })
                        .ok_or_else(bad_cursor),
                    Err(_) => Err(e),
                },
            }
        })
        .transpose()
}

pub fn article_cursor(p: &Params) -> AppResult<Option<ArticleCursor>> {
    p.text("cursor")
        .map(|raw| decode_cursor(raw, "a1").map(|(sort_ms, id)| ArticleCursor { sort_ms, id }))
        .transpose()
}

/// Whether a name can name a source: the configuration's one rule.
pub use redline_config::is_source_name;

/// An http(s) URL from a fetched page, fit to be a link; anything else
/// (`javascript:`, `data:`, garbage) is not linked.
pub fn safe_link(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let ok = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_versions() {
        assert_eq!(article_id("12").unwrap(), 12);
        for bad in [
            "0",
            "-1",
            "+1",
            "1e3",
            "abc",
            "",
            "99999999999999999999",
            " 1",
        ] {
            assert!(
                matches!(article_id(bad), Err(AppError::NotFound(_))),
                "{bad}"
            );
        }
        assert_eq!(version_number("2", 3).unwrap(), 2);
        for bad in ["3", "-1", "x", "4294967296"] {
            assert!(
                matches!(version_number(bad, 3), Err(AppError::NotFound(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn pages() {
        let page = |q: &str| Params::parse(Some(q)).page();
        assert_eq!(page("").unwrap(), 1);
        assert_eq!(page("page=3").unwrap(), 3);
        for bad in [
            "page=0",
            "page=-1",
            "page=abc",
            "page=99999999999999999999999",
        ] {
            assert!(matches!(page(bad), Err(AppError::BadRequest(_))), "{bad}");
        }
        // Past any list's end: not found, like a page past a short list's.
        assert_eq!(
            page("page=10001").unwrap_err().message(),
            "There is no page 10001: the list ends before it (lists show 10000 pages at most)."
        );
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let c = ChangeCursor {
            seen_at_ms: 1_700_000_000_000,
            key: 85,
        };
        let p = Params::parse(Some(&format!("cursor={}", encode_change_cursor(c))));
        assert_eq!(change_cursor(&p).unwrap(), Some(c));
        assert!(
            article_cursor(&p).is_err(),
            "a change cursor is not an article cursor"
        );
        for bad in ["cursor=zzz", "cursor=%00", "cursor=YTE6MTox"] {
            let p = Params::parse(Some(bad));
            assert!(change_cursor(&p).is_err(), "{bad}");
        }
        // A cursor from before reverts were listed names a version's row id.
        let old = BASE64URL_NOPAD.encode(b"c1:1700000000000:42");
        let p = Params::parse(Some(&format!("cursor={old}")));
        assert_eq!(
            change_cursor(&p).unwrap(),
            Some(ChangeCursor {
                seen_at_ms: 1_700_000_000_000,
                key: 84
            })
        );
        let overflow = BASE64URL_NOPAD.encode(format!("c1:0:{}", i64::MAX).as_bytes());
        assert!(change_cursor(&Params::parse(Some(&format!("cursor={overflow}")))).is_err());
    }

    #[test]
    fn only_http_links() {
        assert!(safe_link("https://example.com/a?b=1").is_some());
        assert!(safe_link("HTTP://example.com/").is_some());
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "//evil",
            "https://a b",
            "ftp://x",
        ] {
            assert!(safe_link(bad).is_none(), "{bad}");
        }
    }
}
