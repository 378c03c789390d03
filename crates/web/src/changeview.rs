//! How one change is presented wherever changes are listed: its kind in
//! words, its significance badge (minor, notable, major), its labels and
//! its summary, and the filters of the lists (`?min=notable`, `?label=`).
//! One place for these, so the lists, the article page, the diff page and
//! the feeds say the same thing.

use maud::{Markup, html};
use redline_classify::{Label, Level};
use redline_store::{Change, ChangeKind, ChangeQuery};

use crate::error::{AppError, AppResult};
use crate::params::{Params, clip};

/// The badge of a significance: "major 72".
pub fn level_badge(significance: u8) -> Markup {
    let level = Level::of(significance);
    html! {
        span class={"badge lvl " (level.as_str())}
            title={ "Significance " (significance) " of 100" } {
            (level.as_str()) " " (significance)
        }
    }
}

/// The labels as small chips, each linking to the list filtered by it.
pub fn label_chips(labels: &[Label], base: &str) -> Markup {
    html! {
        @for l in labels {
            " "
            a class={"badge label l-" (l.as_str())} href={ (base) "?label=" (l.as_str()) }
                title=(l.describe()) { (l.as_str()) }
        }
    }
}

/// What a change did, in a few words: "version 3 → 4", "back from version
/// 4 to 2", "removed from the site".
pub fn kind_words(c: &Change) -> String {
    match c.kind {
        ChangeKind::Edit => format!("version {} → {}", c.from, c.number),
        ChangeKind::Revert => format!("back from version {} to {}", c.from, c.number),
        ChangeKind::Removed => "removed from the site".into(),
        ChangeKind::Redirected => "redirected elsewhere".into(),
        ChangeKind::Restored if c.from == c.number => "back on the site".into(),
        ChangeKind::Restored => format!("back on the site: version {} → {}", c.from, c.number),
    }
}

/// Where a change is best seen: its diff, or the article for a removal or
/// a redirect.
pub fn change_href(c: &Change) -> String {
    if c.kind.has_diff() && c.from != c.number {
        format!("/articles/{}/diff/{}/{}", c.article_id, c.from, c.number)
    } else {
        format!("/articles/{}", c.article_id)
    }
}

/// The filters of a list of changes taken from its query string:
/// `min=notable|major` (or a number), `label=NAME` (repeatable, any of
/// them), `site=1` to include the changes grouped into site changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeFilters {
    pub min: Option<u8>,
    pub labels: Vec<Label>,
    pub site_changes: bool,
}

impl ChangeFilters {
    pub fn parse(p: &Params) -> AppResult<Self> {
        let min = match p.text("min") {
            None => None,
            Some(v) => Some(parse_min(v)?),
        };
        let labels = p
            .all("label")
            .map(|v| {
                Label::parse(v).ok_or_else(|| {
                    AppError::BadRequest(format!(
                        "There is no label {:?}. Labels: {}.",
                        clip(v),
                        Label::ALL.map(Label::as_str).join(", ")
                    ))
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(ChangeFilters {
            min,
            labels,
            site_changes: p.flag("site")?,
        })
    }

    /// Applies the filters to a query.
    pub fn apply(&self, q: &mut ChangeQuery) {
        q.min_significance = self.min;
        q.labels = self.labels.clone();
        q.include_site_changes = self.site_changes;
    }

    /// The filters as a query string (without `?`), for links that keep
    /// them.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(min) = self.min {
            parts.push(
                match Level::ALL.iter().find(|l| l.floor() == min && min > 0) {
                    Some(l) => format!("min={}", l.as_str()),
                    None => format!("min={min}"),
                },
            );
        }
        for l in &self.labels {
            parts.push(format!("label={}", l.as_str()));
        }
        if self.site_changes {
            parts.push("site=1".into());
        }
        parts.join("&")
    }

    pub fn is_empty(&self) -> bool {
        *self == ChangeFilters::default()
    }

    /// The filters in words: "notable and major changes labelled number
    /// or quote".
    pub fn describe(&self) -> String {
        let mut out = match self.min.map(Level::of) {
            Some(Level::Major) => "major changes".to_string(),
            Some(Level::Notable) => "notable and major changes".to_string(),
            _ => "changes".to_string(),
        };
        if !self.labels.is_empty() {
            let names: Vec<&str> = self.labels.iter().map(|l| l.as_str()).collect();
            out.push_str(&format!(" labelled {}", names.join(" or ")));
        }
        if self.site_changes {
            out.push_str(", site changes included");
        }
        out
    }
}

/// `notable`, `major`, `minor` or a number from 0 to 100.
pub fn parse_min(v: &str) -> AppResult<u8> {
    if let Some(level) = Level::parse(v) {
        return Ok(level.floor());
    }
    v.parse::<u8>().ok().filter(|n| *n <= 100).ok_or_else(|| {
        AppError::BadRequest(format!(
            "min must be minor, notable, major or a number from 0 to 100, not {:?}.",
            clip(v)
        ))
    })
}

/// The links that filter a list by level, keeping its other filters.
pub fn level_filter_links(base: &str, current: &ChangeFilters) -> Markup {
    let link = |f: ChangeFilters| {
        let q = f.query();
        if q.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{q}")
        }
    };
    let with_min = |min: Option<u8>| {
        link(ChangeFilters {
            min,
            ..current.clone()
        })
    };
    html! {
        p.levels {
            "Show: "
            @for (name, min) in [("all", None), ("notable and major", Some(20)), ("major only", Some(60))] {
                @if current.min == min { strong { (name) } } @else { a href=(with_min(min)) { (name) } }
                " "
            }
            @if !current.labels.is_empty() {
                " · labelled "
                @for l in &current.labels { span.badge.label { (l.as_str()) } " " }
                a href=(link(ChangeFilters { labels: Vec::new(), ..current.clone() })) { "any label" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_read_back_from_their_query() {
        let p = Params::parse(Some("min=notable&label=quote&label=number&site=1"));
        let f = ChangeFilters::parse(&p).unwrap();
        assert_eq!(
            f,
            ChangeFilters {
                min: Some(20),
                labels: vec![Label::Quote, Label::Number],
                site_changes: true
            }
        );
        assert_eq!(f.query(), "min=notable&label=quote&label=number&site=1");
        assert_eq!(
            f.describe(),
            "notable and major changes labelled quote or number, site changes included"
        );
        assert_eq!(
            ChangeFilters::parse(&Params::parse(Some("min=37")))
                .unwrap()
                .query(),
            "min=37"
        );
    }

    #[test]
    fn bad_filters_are_refused_with_what_is_allowed() {
        let e = ChangeFilters::parse(&Params::parse(Some("min=huge"))).unwrap_err();
        assert_eq!(
            e.message(),
            "min must be minor, notable, major or a number from 0 to 100, not \"huge\"."
        );
        let e = ChangeFilters::parse(&Params::parse(Some("label=gossip"))).unwrap_err();
        assert_eq!(
            e.message(),
            "There is no label \"gossip\". Labels: headline, social_headline, byline, lede, number, quote, \
             attribution, name, correction, addition, deletion, move, style, rewrite, live, \
             stealth."
        );
    }
}
