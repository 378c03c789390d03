//! The HTML pages. Every text from a fetched page goes through maud's
//! escaping; links to source articles only for http(s) URLs, with
//! `rel="noopener noreferrer nofollow"`.

use chrono::{DateTime, Utc};
use maud::{DOCTYPE, Markup, html};
use redline_classify::{ActionKind, Assessment};
use redline_diff::Diff;
use redline_store::{
    Article, ArticleHit, ArticleStatus, Change, ChangeKind, Event, EventKind, Listing, SourceStats,
    SourceSummary, Totals, Version, VersionMeta,
};

use crate::assets;
use crate::changeview::{self, ChangeFilters};
use crate::diffview;
use crate::error::AppError;
use crate::params::safe_link;
use crate::time::{absolute, exact, iso, later, relative};

/// What the frame of every page needs besides its body.
#[derive(Default)]
pub struct Frame<'a> {
    pub title: &'a str,
    /// Which navigation item is current.
    pub nav: Nav,
    /// Pre-filled search box.
    pub query: &'a str,
    /// (type, title, href) of feeds to announce in `<head>`.
    pub feeds: Vec<(&'static str, String, String)>,
    pub totals: Option<Totals>,
    /// Ask robots not to index (error pages, searches).
    pub noindex: bool,
    /// One sentence for link previews (`<meta name=description>`, Open
    /// Graph); a generic one when empty.
    pub description: String,
    /// The link preview's image (a diff page's card), announced with Open
    /// Graph and Twitter card tags.
    pub preview: Option<crate::cardview::Preview>,
}

/// What a link preview says of a page that names nothing more specific.
const DEFAULT_DESCRIPTION: &str =
    "redline keeps every version of news articles and shows what changed after publication.";

#[derive(Default, PartialEq, Eq, Clone, Copy)]
pub enum Nav {
    #[default]
    None,
    Changes,
    Articles,
    Sources,
    Search,
}

pub fn page(frame: Frame<'_>, body: Markup) -> Markup {
    let title = if frame.title.is_empty() {
        "redline".to_string()
    } else {
        format!("{} · redline", frame.title)
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                @if frame.noindex { meta name="robots" content="noindex"; }
                title { (title) }
                @let description = if frame.description.is_empty() { DEFAULT_DESCRIPTION } else { frame.description.as_str() };
                meta name="description" content=(description);
                meta property="og:site_name" content="redline";
                meta property="og:type" content="website";
                meta property="og:title" content=(title);
                meta property="og:description" content=(description);
                @if let Some(p) = &frame.preview {
                    meta property="og:image" content=(p.image);
                    meta property="og:image:type" content="image/png";
                    meta property="og:image:width" content=(redline_card::WIDTH);
                    meta property="og:image:height" content=(redline_card::HEIGHT);
                    meta property="og:image:alt" content=(p.alt);
                    meta name="twitter:card" content="summary_large_image";
                    meta name="twitter:image" content=(p.image);
                    meta name="twitter:image:alt" content=(p.alt);
                }
                link rel="stylesheet" href=(assets::css_path());
                link rel="icon" href="/favicon.svg" type="image/svg+xml";
                @for (kind, feed_title, href) in &frame.feeds {
                    link rel="alternate" type=(kind) title=(feed_title) href=(href);
                }
            }
            body {
                header.top {
                    nav.bar aria-label="Main" {
                        a.brand href="/" { span.mark { "red" } "line" }
                        a href="/" aria-current=[(frame.nav == Nav::Changes).then_some("page")] { "Changes" }
                        a href="/articles" aria-current=[(frame.nav == Nav::Articles).then_some("page")] { "Articles" }
                        a href="/sources" aria-current=[(frame.nav == Nav::Sources).then_some("page")] { "Sources" }
                        form.search action="/search" method="get" role="search" {
                            input type="search" name="q" value=(frame.query)
                                placeholder="Search all versions" aria-label="Search all versions";
                            button type="submit" { "Search" }
                        }
                    }
                }
                main { (body) }
                footer.bottom {
                    @if let Some(t) = frame.totals {
                        p.totals {
                            "Monitoring " (count(t.articles, "article", "articles"))
                            " with " (count(t.versions, "version", "versions"))
                            " from " (count(t.sources, "source", "sources")) "."
                        }
                    }
                    p {
                        a href="/feeds/changes.atom" { "Atom" } " · "
                        a href="/feeds/changes.rss" { "RSS" } " · "
                        a href="/api/v1/openapi.json" { "API" } " · "
                        a href="/lookup" { "Find an article by URL" }
                    }
                }
            }
        }
    }
}

/// "1 article", "1,234 articles".
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn times(n: u32) -> String {
    match n {
        1 => "once".into(),
        2 => "twice".into(),
        n => format!("{} times", thousands(u64::from(n))),
    }
}

/// `<time>` showing "3 hours ago", the exact time on hover.
pub fn ago(t: DateTime<Utc>, now: DateTime<Utc>) -> Markup {
    html! { time datetime=(iso(t)) title=(absolute(t)) { (relative(t, now)) } }
}

pub fn at(t: DateTime<Utc>) -> Markup {
    html! { time datetime=(iso(t)) { (absolute(t)) } }
}

/// A link to the source article, if its URL is a web address.
fn source_link(url: &str) -> Markup {
    html! {
        @if let Some(href) = safe_link(url) {
            a.ext href=(href) rel="noopener noreferrer nofollow" { (url) }
        } @else {
            code { (url) }
        }
    }
}

fn words(added: u32, removed: u32) -> Markup {
    html! {
        span.words title={ (added) " words added, " (removed) " removed" } {
            span.plus { "+" (thousands(added.into())) } " "
            span.minus { "−" (thousands(removed.into())) }
        }
    }
}

fn status_badge(status: ArticleStatus) -> Markup {
    html! {
        @match status {
            ArticleStatus::Active => {},
            ArticleStatus::Retired => span.badge.retired title="No longer checked" { "retired" },
            ArticleStatus::Gone => span.badge.gone title="Removed from the site" { "removed" },
            ArticleStatus::Merged => span.badge title="Same article as another one" { "merged" },
        }
    }
}

fn headline_or_url(title: Option<&str>, url: &str) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None => url.to_string(),
    }
}

/// A list of changes: each headed by its summary, with its significance
/// badge and labels; label chips link to `base` filtered by the label.
pub fn change_list(
    changes: &[Change],
    now: DateTime<Utc>,
    show_source: bool,
    base: &str,
) -> Markup {
    html! {
        ol.changes {
            @for c in changes {
                li class={"change k-" (c.kind.as_str()) " " (c.level().as_str())} {
                    a.headline href=(changeview::change_href(c)) { (headline_or_url(Some(&c.title), &c.url)) }
                    p.summary-line {
                        (changeview::level_badge(c.significance)) " "
                        span.summary { (c.summary) }
                    }
                    div.meta {
                        @if show_source {
                            a.source href={"/sources/" (c.source)} { (c.source_title) } " · "
                        }
                        span.pair { (changeview::kind_words(c)) }
                        @match c.kind {
                            ChangeKind::Revert => { " " span.badge.revert title="The site went back to an earlier text" { "revert" } }
                            ChangeKind::Removed => { " " span.badge.gone title="The page answered 404 or 410" { "removed" } }
                            ChangeKind::Redirected => { " " span.badge.gone title="The URL now leads to another page" { "redirected" } }
                            ChangeKind::Restored => { " " span.badge.live title="The page is back after a removal" { "restored" } }
                            ChangeKind::Edit => {}
                        }
                        " · "
                        (ago(c.seen_at, now))
                        @if c.kind.has_diff() && c.from != c.number {
                            " · " (words(c.words_added, c.words_removed))
                        }
                        @if c.minor { " " span.badge.minor title="Whitespace or punctuation only" { "minor" } }
                        @if c.site_change.is_some() { " " span.badge title="Part of a site-wide template change" { "site change" } }
                        (changeview::label_chips(&c.labels, base))
                        " · " a href={"/articles/" (c.article_id)} { "history" }
                    }
                }
            }
        }
    }
}

/// "← Newer" / "Older →" links of a paged list.
pub fn pager(base: &str, page: u32, has_next: bool, extra: &str) -> Markup {
    let href = |p: u32| {
        let mut q = String::new();
        if p > 1 {
            q.push_str(&format!("page={p}"));
        }
        if !extra.is_empty() {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(extra);
        }
        if q.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{q}")
        }
    };
    html! {
        @if page > 1 || has_next {
            nav.pager aria-label="Pages" {
                @if page > 1 { a rel="prev" href=(href(page - 1)) { "← Newer" } } @else { span {} }
                span.pageno { "Page " (page) }
                @if has_next { a rel="next" href=(href(page + 1)) { "Older →" } } @else { span {} }
            }
        }
    }
}

pub struct HomeView<'a> {
    pub changes: &'a [Change],
    pub page: u32,
    pub has_next: bool,
    pub include_minor: bool,
    pub filters: &'a ChangeFilters,
    pub now: DateTime<Utc>,
}

/// The query string a list's links keep: its filters and the minor flag.
fn list_query(filters: &ChangeFilters, include_minor: bool) -> String {
    let mut q = filters.query();
    if include_minor {
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str("minor=1");
    }
    q
}

/// The filters above a list: levels, labels, minor changes, site changes.
fn list_filters(base: &str, filters: &ChangeFilters, include_minor: bool) -> Markup {
    let with_minor = |minor: bool| {
        let q = list_query(filters, minor);
        if q.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{q}")
        }
    };
    let with_site = |site: bool| {
        let f = ChangeFilters {
            site_changes: site,
            ..filters.clone()
        };
        let q = list_query(&f, include_minor);
        if q.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{q}")
        }
    };
    html! {
        (changeview::level_filter_links(base, filters))
        p.toggle {
            @if include_minor {
                "Showing minor (punctuation and whitespace) changes too. "
                a href=(with_minor(false)) { "Hide them" }
            } @else {
                "Minor (punctuation and whitespace) changes are hidden. "
                a href=(with_minor(true)) { "Show them" }
            }
            " · "
            @if filters.site_changes {
                "Showing changes that are part of a site change (a template change on many articles). "
                a href=(with_site(false)) { "Hide them" }
            } @else {
                "Site changes (one template change on many articles) are grouped apart: "
                a href="/site-changes" { "see them" }
                " or " a href=(with_site(true)) { "list their changes here" } "."
            }
        }
    }
}

pub fn home(v: HomeView<'_>) -> Markup {
    let extra = list_query(v.filters, v.include_minor);
    html! {
        div.pagehead {
            h1 { "Latest changes" }
            p.lede {
                "What news sites changed in their articles after publishing them, newest first. "
                "The most significant: " a href="/top?period=day" { "last day" } ", "
                a href="/top?period=week" { "last week" } "."
            }
            (feed_links_with("/feeds/changes", &v.filters.query()))
        }
        (list_filters("/", v.filters, v.include_minor))
        @if v.changes.is_empty() {
            @if v.filters.is_empty() {
                p.empty { "No changes yet. Articles are checked again and again; their changes appear here as they are found." }
            } @else {
                p.empty { "No " (v.filters.describe()) " yet." }
            }
        } @else {
            (change_list(v.changes, v.now, true, "/"))
        }
        (pager("/", v.page, v.has_next, &extra))
    }
}

/// Which period the most significant changes are taken from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TopPeriod {
    Day,
    Week,
}

impl TopPeriod {
    pub fn as_str(self) -> &'static str {
        match self {
            TopPeriod::Day => "day",
            TopPeriod::Week => "week",
        }
    }
}

/// The most significant changes of the last day or week.
pub fn top(changes: &[Change], period: TopPeriod, now: DateTime<Utc>) -> Markup {
    html! {
        div.pagehead {
            h1 { "Most significant changes of the last " (period.as_str()) }
            p.lede {
                "Changes ranked by significance (0 to 100: "
                span.badge.lvl.minor { "minor" } " under 20, "
                span.badge.lvl.notable { "notable" } " 20 to 59, "
                span.badge.lvl.major { "major" } " 60 and over), then by time. "
                @match period {
                    TopPeriod::Day => { "See " a href="/top?period=week" { "the last week" } "." }
                    TopPeriod::Week => { "See " a href="/top?period=day" { "the last day" } "." }
                }
            }
        }
        @if changes.is_empty() {
            p.empty { "No changes in the last " (period.as_str()) "." }
        } @else {
            (change_list(changes, now, true, "/"))
        }
    }
}

/// Site changes: one change seen on many articles of a source.
pub fn site_changes(list: &[redline_store::SiteChange], now: DateTime<Utc>) -> Markup {
    html! {
        div.pagehead {
            h1 { "Site changes" }
            p.lede {
                "When at least " (redline_store::SITE_CHANGE_MIN_ARTICLES)
                " articles of one source change the same way within "
                (redline_store::SITE_CHANGE_WINDOW_MS / 3_600_000) " hours (the same paragraph added or removed, "
                "the same byline re-cased), that is a change of the site's template, not an edit: "
                "such changes are grouped here and kept out of the lists and feeds of changes."
            }
        }
        @if list.is_empty() {
            p.empty { "No site changes found." }
        } @else {
            ol.changes {
                @for g in list {
                    li.change {
                        a.headline href={"/?site=1&site_change=" (g.id)} {
                            "Site change at " (g.source_title) ": " (count(g.articles, "article", "articles"))
                        }
                        p.summary-line { span.summary { (g.summary) } }
                        div.meta {
                            a.source href={"/sources/" (g.source)} { (g.source_title) } " · "
                            (ago(g.first_at, now))
                            @if g.last_at != g.first_at { " to " (ago(g.last_at, now)) }
                        }
                    }
                }
            }
        }
    }
}

/// Feed links keeping a list's filters (`query`, without `?`).
fn feed_links_with(base: &str, query: &str) -> Markup {
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    html! {
        p.feeds {
            "Follow: "
            a.feed href={ (base) ".atom" (q) } { "Atom" } " "
            a.feed href={ (base) ".rss" (q) } { "RSS" }
        }
    }
}

pub fn sources(list: &[SourceSummary], now: DateTime<Utc>) -> Markup {
    html! {
        div.pagehead {
            h1 { "Sources" }
            p.lede { "The news sites redline watches, with what it has found on each." }
        }
        div.tablewrap {
            table.sources.cards {
                thead { tr {
                    th { "Source" } th.num { "Articles" } th.num { "Changed" } th.num { "Versions" }
                    th.num { "Checks" } th.num { "Errors" } th { "Last change" } th { "Last check" }
                } }
                tbody {
                    @for s in list {
                        tr {
                            td data-label="Source" { a href={"/sources/" (s.name)} { (s.title) } " " span.muted { (s.name) } }
                            td.num data-label="Articles" { (thousands(s.articles)) }
                            td.num data-label="Changed" { (thousands(s.changed_articles)) }
                            td.num data-label="Versions" { (thousands(s.versions)) }
                            td.num data-label="Checks" { (thousands(s.checks)) }
                            td.num data-label="Errors" { (thousands(s.errors)) }
                            td data-label="Last change" { @if let Some(t) = s.last_change { (ago(t, now)) } @else { span.muted { "none yet" } } }
                            td data-label="Last check" { @if let Some(t) = s.last_check { (ago(t, now)) } @else { span.muted { "never" } } }
                        }
                    }
                }
            }
        }
    }
}

pub struct SourceView<'a> {
    pub summary: &'a SourceSummary,
    pub listings: &'a [Listing],
    pub changes: &'a [Change],
    pub stats: &'a [SourceStats],
    pub site_changes: &'a [redline_store::SiteChange],
    pub page: u32,
    pub has_next: bool,
    pub include_minor: bool,
    pub filters: &'a ChangeFilters,
    pub now: DateTime<Utc>,
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// "3 h 20 min", "2 days".
pub fn duration_words(seconds: i64) -> String {
    let s = seconds.max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min", s / 60),
        3600..86_400 => match (s % 3600) / 60 {
            0 => format!("{} h", s / 3600),
            m => format!("{} h {m} min", s / 3600),
        },
        _ => match s / 86_400 {
            1 => "1 day".into(),
            d => format!("{d} days"),
        },
    }
}

/// What press critics quote about an outlet, over 7, 30 and all days.
fn source_stats(stats: &[SourceStats]) -> Markup {
    let cell = |f: &dyn Fn(&SourceStats) -> String| -> Markup {
        html! { @for st in stats { td.num { (f(st)) } } }
    };
    html! {
        div.tablewrap {
            table.stats {
                thead { tr {
                    th { "Of the articles first seen in the period" }
                    @for st in stats {
                        th.num { @match st.period.as_str() { "7d" => "last 7 days", "30d" => "last 30 days", _ => "all time" } }
                    }
                } }
                tbody {
                    tr { th { "Articles" } (cell(&|s| thousands(s.articles))) }
                    tr { th { "Share changed after publication" } (cell(&|s| percent(s.changed_share))) }
                    tr { th { "Changes per changed article" } (cell(&|s| format!("{:.1}", s.changes_per_changed_article))) }
                    tr { th { "Median time to the first change" } (cell(&|s| s.median_seconds_to_first_change.map_or("–".into(), duration_words))) }
                    tr { th { "Share of changes that are major" } (cell(&|s| percent(s.major_share))) }
                    tr { th { "Major changes without a correction note (stealth)" } (cell(&|s| percent(s.stealth_share))) }
                    tr { th { "Removed or redirected away" } (cell(&|s| thousands(s.removals))) }
                }
            }
        }
    }
}

pub fn source(v: SourceView<'_>) -> Markup {
    let s = v.summary;
    let base = format!("/sources/{}", s.name);
    let extra = list_query(v.filters, v.include_minor);
    html! {
        div.pagehead {
            h1 { (s.title) }
            p.lede {
                (count(s.articles, "article", "articles")) " tracked, "
                (thousands(s.changed_articles)) " of them changed, "
                (count(s.versions, "version", "versions")) " kept; "
                (thousands(s.active)) " still checked, "
                (thousands(s.retired)) " retired, "
                (thousands(s.gone)) " removed from the site. "
                (count(s.checks, "check", "checks")) ", "
                (count(s.errors, "failed", "failed")) "."
                @if s.refused > 0 {
                    " " span.error { (count(s.refused, "article", "articles")) " refused: "
                    "the address policy keeps redline off loopback, private and other special addresses." }
                }
            }
            (feed_links_with(&format!("{base}/feed"), &v.filters.query()))
        }
        h2 { "How this outlet edits" }
        (source_stats(v.stats))
        @if !v.site_changes.is_empty() {
            details.sitechanges {
                summary { "Site changes (" (v.site_changes.len()) "): template changes seen on many articles, kept out of the lists" }
                ul {
                    @for g in v.site_changes {
                        li {
                            a href={"/?site=1&site_change=" (g.id)} { (count(g.articles, "article", "articles")) }
                            ": " (g.summary) " · " (ago(g.first_at, v.now))
                        }
                    }
                }
            }
        }
        @if !v.listings.is_empty() {
            details.listings {
                summary { "Where new articles are found (" (v.listings.len()) ")" }
                ul {
                    @for l in v.listings {
                        li {
                            span.badge { (l.kind.as_str()) } " " (source_link(&l.url))
                            @if let Some(t) = l.last_poll { " · read " (ago(t, v.now)) }
                            @if let Some(e) = &l.last_error {
                                " · " span.error { "failing: " (e) }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Latest changes" }
        (list_filters(&base, v.filters, v.include_minor))
        @if v.changes.is_empty() {
            p.empty { "No " (v.filters.describe()) " found on this source yet." }
        } @else {
            (change_list(v.changes, v.now, false, &base))
        }
        (pager(&base, v.page, v.has_next, &extra))
    }
}

/// A row of an article's history: a version or a notable event.
enum HistoryRow<'a> {
    Version(&'a VersionMeta),
    Event(&'a Event),
}

pub struct ArticleView<'a> {
    pub article: &'a Article,
    pub source_title: &'a str,
    pub versions: &'a [VersionMeta],
    pub events: &'a [Event],
    /// Every change of the article (minor ones and site changes too).
    pub changes: &'a [Change],
    pub now: DateTime<Utc>,
}

/// A change's badge, summary and labels, for the article's history.
fn change_cell(c: &Change, base: &str) -> Markup {
    html! {
        (changeview::level_badge(c.significance)) " "
        span.summary { (c.summary) }
        (changeview::label_chips(&c.labels, base))
    }
}

fn summary_sentence(v: &ArticleView<'_>) -> Markup {
    let a = v.article;
    let now = v.now;
    let current = a.final_url.as_deref().unwrap_or(&a.url);
    let gone_at = v
        .events
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Gone | EventKind::Redirected))
        .map(|e| (e.at, e.detail.clone()));
    // Changes, not versions: every version after the first, and reverts.
    let reverts = v
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Reverted)
        .count() as u32;
    let changes = a.changes();
    html! {
        p.summary {
            "This article is from the source "
            a href={"/sources/" (a.source)} { "‘" (v.source_title) "’" }
            " and was first seen on " (at(a.first_seen))
            @if let Some(p) = a.published { " (published, by its own account, on " (at(p)) ")" }
            ". "
            @match a.status {
                ArticleStatus::Retired => {
                    @if let (Some(t), true) = (a.last_changed, a.changes() > 0) {
                        "It last changed " (ago(t, now)) " and won't be checked again for changes."
                    } @else {
                        "It never changed and won't be checked again for changes."
                    }
                }
                ArticleStatus::Gone => {
                    "It was removed from the site"
                    @if let Some((t, detail)) = &gone_at {
                        " " (ago(*t, now))
                        @if let Some(d) = detail { " (" (d) ")" }
                    }
                    @if a.next_check.is_some() {
                        "; it is checked daily in case it comes back."
                    } @else {
                        ", and is no longer checked."
                    }
                }
                ArticleStatus::Merged => {
                    "It turned out to be the same article as "
                    @if let Some(other) = a.merged_into {
                        a href={"/articles/" (other)} { "article " (other) }
                    } @else { "another one" }
                    ", where its history continues."
                }
                ArticleStatus::Active => {
                    @if let (Some(t), true) = (a.last_changed, a.changes() > 0) {
                        "It last changed " (ago(t, now))
                    } @else {
                        "It has not changed since"
                    }
                    @match a.next_check {
                        Some(t) if t > now => { " and will be checked again " (ago(t, now)) "." }
                        Some(_) => { " and is due to be checked again now." }
                        None => { "." }
                    }
                }
            }
        }
        p.summary {
            "You can find the current article at its original source at " (source_link(current)) "."
        }
        p.summary {
            @if changes == 0 {
                "The article has not changed since redline first saw it. "
            } @else {
                "The article has changed " (times(changes))
                @if reverts > 0 {
                    ", going back to an earlier text " (times(reverts))
                }
                ". "
            }
            "There is a feed of its changes available: "
            a.feed href={"/articles/" (a.id) "/feed.atom"} { "Atom" } " "
            a.feed href={"/articles/" (a.id) "/feed.rss"} { "RSS" } "."
        }
    }
}

pub fn article(v: ArticleView<'_>) -> Markup {
    let a = v.article;
    let title = headline_or_url(a.title.as_deref(), &a.url);
    let mut rows: Vec<(DateTime<Utc>, u8, HistoryRow<'_>)> = v
        .versions
        .iter()
        .map(|m| (m.seen_at, 0, HistoryRow::Version(m)))
        .collect();
    rows.extend(
        v.events
            .iter()
            .filter(|e| {
                matches!(
                    e.kind,
                    EventKind::Reverted
                        | EventKind::Gone
                        | EventKind::Redirected
                        | EventKind::Restored
                        | EventKind::Retired
                        | EventKind::Merged
                        | EventKind::Rebuilt
                ) && !(e.kind == EventKind::Restored && has_version_at(v.versions, e))
            })
            .map(|e| (e.at, 1, HistoryRow::Event(e))),
    );
    rows.sort_by_key(|r| std::cmp::Reverse((r.0, r.1)));
    let errors = v
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Error)
        .count();
    let count = a.version_count;
    html! {
        div.pagehead {
            h1 { (title) " " (status_badge(a.status)) }
        }
        (summary_sentence(&v))
        @if let Some(latest) = v.changes.first() {
            p.actions {
                a.button href=(changeview::change_href(latest)) {
                    "See the latest change (" (changeview::kind_words(latest)) ")"
                }
                @if count > 2 {
                    " "
                    a.button.secondary href={"/articles/" (a.id) "/diff/0/" (count - 1)} {
                        "First version → last"
                    }
                }
            }
        }
        h2 { "Versions" }
        @if v.versions.is_empty() {
            p.empty { "No text has been stored for this article yet." }
        } @else {
            div.tablewrap {
                table.versions.cards {
                    thead { tr {
                        th { "Version" } th { "Seen" } th { "Headline" } th { "What changed" } th { "Compare" }
                    } }
                    tbody {
                        @for (_, _, row) in &rows {
                            @match row {
                                HistoryRow::Version(m) => {
                                    @let prev = m.number.checked_sub(1).and_then(|p| v.versions.get(p as usize));
                                    tr.minor[m.minor] {
                                        td.vnum data-label="Version" {
                                            a href={"/articles/" (a.id) "/versions/" (m.number)} { (m.number) }
                                            @if a.live_version == Some(m.number) && a.live_version != Some(count - 1) {
                                                " " span.badge.live title="The text the site shows now" { "live" }
                                            }
                                        }
                                        td.seen data-label="Seen" {
                                            (at(m.seen_at))
                                            @if let Some(p) = prev { br; span.later { "(" (later(p.seen_at, m.seen_at)) ")" } }
                                        }
                                        td data-label="Headline" { (m.title) }
                                        td.what data-label="What changed" {
                                            @if m.number == 0 { span.muted { "first seen" } }
                                            @else {
                                                @if let Some(c) = edit_of(v.changes, m.number) { (change_cell(c, "/")) br; }
                                                (words(m.words_added, m.words_removed))
                                            }
                                            @if m.minor { " " span.badge.minor title="Whitespace or punctuation only" { "minor" } }
                                        }
                                        td.nowrap data-label="Compare" {
                                            @if m.number > 0 {
                                                a href={"/articles/" (a.id) "/diff/" (m.number - 1) "/" (m.number)} { "with " (m.number - 1) }
                                            }
                                        }
                                    }
                                }
                                HistoryRow::Event(e) => {
                                    tr.event {
                                        td.vnum { "↩" }
                                        td.seen { (at(e.at)) }
                                        td colspan="3" {
                                            (event_text(a.id, e))
                                            @if let Some(c) = event_change(v.changes, e) { br; (change_cell(c, "/")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if count >= 2 { (compare_form(a.id, count, count - 2, count - 1)) }
        }
        p.checks.muted {
            "Checked " (times(a.checks))
            @if let Some(t) = a.last_checked { ", last " (ago(t, v.now)) }
            @if errors > 0 { "; " (count_u(errors, "check", "checks")) " failed" }
            @if let Some(e) = &a.last_error { " (last error: " (e) ")" }
            "."
        }
    }
}

/// True when a version was stored at the event's moment (a return with a
/// new text shows as that version's row).
fn has_version_at(versions: &[VersionMeta], e: &Event) -> bool {
    versions
        .iter()
        .any(|m| Some(m.number) == e.version && m.seen_at == e.at)
}

/// The change that made version `number`.
fn edit_of(changes: &[Change], number: u32) -> Option<&Change> {
    changes.iter().find(|c| {
        matches!(c.kind, ChangeKind::Edit | ChangeKind::Restored)
            && c.number == number
            && c.from != c.number
    })
}

/// The change an event of the history was.
fn event_change<'a>(changes: &'a [Change], e: &Event) -> Option<&'a Change> {
    let kind = match e.kind {
        EventKind::Reverted => ChangeKind::Revert,
        EventKind::Gone => ChangeKind::Removed,
        EventKind::Redirected => ChangeKind::Redirected,
        EventKind::Restored => ChangeKind::Restored,
        _ => return None,
    };
    changes.iter().find(|c| c.kind == kind && c.seen_at == e.at)
}

fn count_u(n: usize, one: &str, many: &str) -> String {
    count(n as u64, one, many)
}

fn event_text(article: i64, e: &Event) -> Markup {
    html! {
        @match e.kind {
            EventKind::Reverted => {
                @if let Some(n) = e.version {
                    "The site went back to the text of "
                    a href={"/articles/" (article) "/versions/" (n)} { "version " (n) }
                    " (a revert)."
                } @else { "The site went back to an earlier text." }
            }
            EventKind::Gone => {
                "Removed from the site"
                @if let Some(d) = &e.detail { " (" (d) ")" } "."
            }
            EventKind::Redirected => {
                "The URL now leads to a different page"
                @if let Some(d) = &e.detail { " (" (d) ")" } "."
            }
            EventKind::Restored => {
                "Back on the site after a removal"
                @if let Some(n) = e.version {
                    ", showing "
                    a href={"/articles/" (article) "/versions/" (n)} { "version " (n) }
                }
                "."
            }
            EventKind::Rebuilt => {
                "History rebuilt"
                @if let Some(d) = &e.detail { ": " (d) } "."
            }
            EventKind::Retired => {
                "No longer checked"
                @if let Some(d) = &e.detail { " (" (d) ")" } @else { ": unchanged for a long time" } "."
            }
            EventKind::Merged => {
                "Found to be the same article as another one"
                @if let Some(d) = &e.detail { " (" (d) ")" } "."
            }
            _ => {}
        }
    }
}

pub fn compare_form(id: i64, count: u32, from: u32, to: u32) -> Markup {
    html! {
        form.compare action={"/articles/" (id) "/diff"} method="get" {
            label { "Compare version "
                select name="from" {
                    @for n in 0..count { option value=(n) selected[n == from] { (n) } }
                }
            }
            label { " with "
                select name="to" {
                    @for n in 0..count { option value=(n) selected[n == to] { (n) } }
                }
            }
            " " button type="submit" { "Compare" }
        }
    }
}

pub fn version(article: &Article, version: &Version, versions: &[VersionMeta]) -> Markup {
    let m = &version.meta;
    let n = m.number;
    let count = versions.len() as u32;
    let base = format!("/articles/{}", article.id);
    html! {
        nav.crumbs {
            a href=(base) { "← History of this article" }
        }
        div.pagehead {
            p.kicker {
                "Version " (n) " · " (count_u(count as usize, "version", "versions")) " kept, numbered 0 to " (count - 1)
                @if article.live_version == Some(n) { " · " span.badge.live { "live" } }
                @if m.minor { " · " span.badge.minor { "minor" } }
            }
        }
        article.text {
            h1 { (version.text.title) }
            @if !version.text.byline.is_empty() { p.byline { (version.text.byline) } }
            p.muted {
                "Seen " time datetime=(iso(m.seen_at)) { (exact(m.seen_at)) }
                @if let Some(p) = m.published { " · published " time datetime=(iso(p)) { (exact(p)) } }
                @if m.capture.is_some() { " · " a href={(base) "/versions/" (n) "/capture"} { "archived capture" } }
            }
            @for (i, p) in version.text.paragraphs.iter().enumerate() {
                p id={"p" (i + 1)} { (p) }
            }
        }
        nav.pairs {
            @if n > 0 { a rel="prev" href={(base) "/versions/" (n - 1)} { "← Version " (n - 1) } } @else { span {} }
            @if n > 0 { a href={(base) "/diff/" (n - 1) "/" (n)} { "What changed in this version" } }
            @if n + 1 < count { a rel="next" href={(base) "/versions/" (n + 1)} { "Version " (n + 1) " →" } } @else { span {} }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum DiffMode {
    Side,
    Inline,
}

pub struct DiffView<'a> {
    pub article: &'a Article,
    pub versions: &'a [VersionMeta],
    pub from: &'a VersionMeta,
    pub to: &'a VersionMeta,
    pub diff: &'a Diff,
    /// What redline says of the change between the two versions.
    pub assessment: &'a Assessment,
    pub mode: DiffMode,
    /// The "cite this change" block (see `evidence`).
    pub cite: Markup,
}

/// Why the change scored what it did, and its sentence-level actions.
fn assessment_panel(a: &Assessment) -> Markup {
    html! {
        section.assessment {
            p.summary-line {
                (changeview::level_badge(a.significance)) " "
                span.summary { (a.summary) }
                (changeview::label_chips(&a.labels, "/"))
            }
            @if !a.features.is_empty() {
                details.why {
                    summary { "Why " (a.level().as_str()) " (" (a.significance) " of 100)" }
                    ul {
                        @for f in &a.features {
                            li { (f.name) ": " strong { "+" (f.points) } }
                        }
                    }
                    p.muted { "Significance is the sum of these points, at most 100: minor under 20, notable 20 to 59, major 60 and over." }
                }
            }
            @if !a.actions.is_empty() {
                details.actions {
                    summary { "Sentence by sentence (" (count_u(a.actions.len(), "edit", "edits")) ")" }
                    ol {
                        @for act in &a.actions {
                            li {
                                span.badge { (action_name(act.kind)) } " "
                                @match act.kind {
                                    ActionKind::Addition => { ins { (act.new_text) } }
                                    ActionKind::Deletion => { del { (act.old_text) } }
                                    ActionKind::Move => {
                                        "from sentence " (act.old_index.map_or(0, |i| i + 1))
                                        " to " (act.new_index.map_or(0, |i| i + 1)) ": " (act.new_text)
                                    }
                                    _ => { del { (act.old_text) } " " ins { (act.new_text) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn action_name(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Addition => "added",
        ActionKind::Deletion => "removed",
        ActionKind::Edit => "edited",
        ActionKind::Move => "moved",
        ActionKind::Split => "split",
        ActionKind::Merge => "merged",
    }
}

pub fn diff(v: DiffView<'_>) -> Markup {
    let a = v.article;
    let (f, t) = (v.from.number, v.to.number);
    let count = v.versions.len() as u32;
    let base = format!("/articles/{}", a.id);
    let mode_q = if v.mode == DiffMode::Inline {
        "?view=inline"
    } else {
        ""
    };
    let pair = |x: u32, y: u32| format!("{base}/diff/{x}/{y}{mode_q}");
    // A version compared with itself has no neighbouring pairs.
    let prev = (f > 0 && t > 0 && f != t).then(|| pair(f - 1, t - 1));
    let next = (f + 1 < count && t + 1 < count && f != t).then(|| pair(f + 1, t + 1));
    let gap = later(v.from.seen_at, v.to.seen_at);
    let header_old = html! {
        h2.colhead { a href={(base) "/versions/" (f)} { "Version " (f) } }
        p.muted { (at(v.from.seen_at)) }
    };
    let header_new = html! {
        h2.colhead { a href={(base) "/versions/" (t)} { "Version " (t) } " " span.later { "(" (gap) ")" } }
        p.muted { (at(v.to.seen_at)) }
    };
    html! {
        nav.crumbs { a href=(base) { "← History of this article" } }
        div.pagehead {
            h1 { (headline_or_url(Some(&v.to.title), &a.url)) }
            p.lede {
                "Version " (f) " → version " (t) " · "
                (words(v.diff.words_added as u32, v.diff.words_removed as u32)) " words"
                @if v.to.minor && t == f + 1 { " · " span.badge.minor { "minor" } }
            }
        }
        @if !v.diff.is_empty() { (assessment_panel(v.assessment)) }
        div.diffbar {
            nav.pairs {
                @if let Some(p) = &prev { a rel="prev" href=(p) { "← Versions " (f - 1) " → " (t - 1) } } @else { span {} }
                span.modes {
                    @if v.mode == DiffMode::Side { strong { "Side by side" } } @else { a href=(pair(f, t).replace("?view=inline", "")) { "Side by side" } }
                    " · "
                    @if v.mode == DiffMode::Inline { strong { "Inline" } } @else { a href={(base) "/diff/" (f) "/" (t) "?view=inline"} { "Inline" } }
                }
                @if let Some(n) = &next { a rel="next" href=(n) { "Versions " (f + 1) " → " (t + 1) " →" } } @else { span {} }
            }
        }
        @if v.diff.is_empty() {
            p.empty { "These two versions have the same text." }
        }
        @match v.mode {
            DiffMode::Side => (diffview::side_by_side(v.diff, header_old, header_new)),
            DiffMode::Inline => (diffview::inline(v.diff, html! {
                h2.colhead { "Version " (f) " → version " (t) " " span.later { "(" (gap) ")" } }
                p.legend { del { "removed" } " " ins { "added" } }
            })),
        }
        (v.cite)
        (compare_form(a.id, count, f, t))
    }
}

/// The filters of the article list.
pub struct ArticleFilters {
    pub source: Option<String>,
    pub status: Option<ArticleStatus>,
    pub changed: bool,
    pub by_first_seen: bool,
}

impl ArticleFilters {
    fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.source {
            parts.push(format!("source={}", encode(s)));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if self.changed {
            parts.push("changed=1".into());
        }
        if self.by_first_seen {
            parts.push("sort=first_seen".into());
        }
        parts.join("&")
    }
}

/// Every tracked article with its counts, filtered.
pub fn articles(
    hits: &[ArticleHit],
    sources: &[SourceSummary],
    f: &ArticleFilters,
    page: u32,
    has_next: bool,
    now: DateTime<Utc>,
) -> Markup {
    let title_of = |name: &str| {
        sources
            .iter()
            .find(|s| s.name == name)
            .map_or(name.to_string(), |s| s.title.clone())
    };
    html! {
        div.pagehead {
            h1 { "Articles" }
            p.lede { "Every article redline tracks, " @if f.by_first_seen { "most recently first seen first." } @else { "most recently changed first." } }
        }
        form.filters action="/articles" method="get" {
            label { "Source "
                select name="source" {
                    option value="" selected[f.source.is_none()] { "all" }
                    @for s in sources { option value=(s.name) selected[f.source.as_deref() == Some(s.name.as_str())] { (s.title) } }
                }
            }
            " "
            label { "Status "
                select name="status" {
                    option value="" selected[f.status.is_none()] { "any" }
                    @for st in ArticleStatus::ALL { option value=(st.as_str()) selected[f.status == Some(st)] { (st.as_str()) } }
                }
            }
            " "
            label { input type="checkbox" name="changed" value="1" checked[f.changed]; " changed only" }
            " "
            label { "Sort by "
                select name="sort" {
                    option value="changed" selected[!f.by_first_seen] { "last change" }
                    option value="first_seen" selected[f.by_first_seen] { "first seen" }
                }
            }
            " " button type="submit" { "Show" }
        }
        @if hits.is_empty() {
            p.empty { "No article matches these filters." }
        } @else {
            div.tablewrap {
                table.articles.cards {
                    thead { tr {
                        th { "Article" } th { "Source" } th.num { "Versions" } th.num { "Changes" }
                        th { "First seen" } th { "Last change" }
                    } }
                    tbody {
                        @for h in hits {
                            @let a = &h.article;
                            tr {
                                td data-label="Article" { a href={"/articles/" (a.id)} { (headline_or_url(a.title.as_deref(), &a.url)) } " " (status_badge(a.status)) }
                                td data-label="Source" { a href={"/sources/" (a.source)} { (title_of(&a.source)) } }
                                td.num data-label="Versions" { (a.version_count) }
                                td.num data-label="Changes" { (a.changes()) }
                                td data-label="First seen" { (ago(a.first_seen, now)) }
                                td data-label="Last change" {
                                    @if let Some(t) = a.last_changed.filter(|_| a.changes() > 0) { (ago(t, now)) }
                                    @else { span.muted { "never" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pager("/articles", page, has_next, &f.query()))
    }
}

pub struct SearchView<'a> {
    pub query: &'a str,
    /// Each hit with its extract and its source's display name.
    pub hits: &'a [(ArticleHit, Markup, String)],
    /// Articles matched in all (at most the cap).
    pub total: usize,
    /// `total` reached the cap: there may be more.
    pub capped: bool,
    pub page: u32,
    pub has_next: bool,
    pub now: DateTime<Utc>,
    pub feed_base: String,
}

pub fn search_help() -> Markup {
    html! {
        details.help {
            summary { "How to search" }
            ul {
                li { code { "iran drones" } " — versions with both words" }
                li { code { "\"secret programs\"" } " — the exact phrase" }
                li { code { "iran -iraq" } " — leave out versions with a word" }
                li { code { "drones OR missiles" } " — either word" }
                li { code { "sanction*" } " — words starting so" }
                li { code { "title:resigns" } " — in the headline only" }
                li { code { "source:bbc" } " — on one source (repeat for several; " code { "-source:bbc" } " leaves one out)" }
            }
        }
    }
}

pub fn search(v: SearchView<'_>) -> Markup {
    let extra = format!("q={}", encode(v.query));
    html! {
        div.pagehead {
            h1 { "Search" }
            (search_form(v.query))
            p.feeds {
                "Follow changes to matching articles: "
                a.feed href={ (v.feed_base) ".atom?" (extra) } { "Atom" } " "
                a.feed href={ (v.feed_base) ".rss?" (extra) } { "RSS" }
            }
        }
        @if v.hits.is_empty() {
            p.empty { "No version of any article matches that." }
        } @else {
            p.count {
                @if v.capped { (thousands(v.total as u64)) " or more articles match." }
                @else { (count(v.total as u64, "article matches.", "articles match.")) }
            }
            ol.hits {
                @for (hit, snippet, source_title) in v.hits {
                    @let a = &hit.article;
                    li.change {
                        a.headline href={"/articles/" (a.id)} { (headline_or_url(a.title.as_deref(), &a.url)) }
                        div.meta {
                            a.source href={"/sources/" (a.source)} { (source_title) } " · "
                            (count(a.version_count.into(), "version", "versions")) " · "
                            @if let Some(t) = a.last_changed.filter(|_| a.changes() > 0) { "changed " (ago(t, v.now)) }
                            @else { "seen " (ago(a.first_seen, v.now)) }
                            " " (status_badge(a.status))
                        }
                        @if let Some(m) = &hit.matched {
                            p.match {
                                "Matched in "
                                a href={"/articles/" (a.id) "/versions/" (m.number)} { "version " (m.number) }
                                " (" (ago(m.seen_at, v.now)) ")"
                                @if Some(m.title.as_str()) != a.title.as_deref() { ": “" (m.title) "”" }
                                @if m.number + 1 < a.version_count {
                                    "; the words were "
                                    a href={"/articles/" (a.id) "/diff/" (m.number) "/" (m.number + 1)} {
                                        "removed in version " (m.number + 1)
                                    }
                                }
                            }
                        }
                        p.snippet { (snippet) }
                    }
                }
            }
        }
        (pager("/search", v.page, v.has_next, &extra))
        (search_help())
    }
}

pub fn search_form(query: &str) -> Markup {
    html! {
        form.bigsearch action="/search" method="get" role="search" {
            input type="search" name="q" value=(query) placeholder="Words, \"phrases\", -excluded, source:NAME, title:word" aria-label="Search";
            button type="submit" { "Search" }
        }
    }
}

/// The search page with a message about the query instead of results.
pub fn search_problem(query: &str, message: &str) -> Markup {
    html! {
        div.pagehead {
            h1 { "Search" }
            (search_form(query))
        }
        p.problem { (message) }
        (search_help())
    }
}

pub fn lookup(url: &str, message: Option<&str>) -> Markup {
    html! {
        div.pagehead {
            h1 { "Find an article by its URL" }
            p.lede { "Paste the address of a news article, with or without https://, tracking parameters or trailing slash." }
            form.bigsearch action="/lookup" method="get" {
                input type="url" name="url" value=(url) placeholder="https://www.example.com/news/story" aria-label="Article URL";
                button type="submit" { "Find" }
            }
        }
        @if let Some(m) = message { p.problem { (m) } }
    }
}

pub fn error_page(e: &AppError) -> Markup {
    let frame = Frame {
        title: e.title(),
        noindex: true,
        ..Frame::default()
    };
    page(
        frame,
        html! {
            div.pagehead.errorhead {
                p.kicker { "Error " (e.status().as_u16()) }
                h1 { (e.title()) }
            }
            p.problem { (e.message()) }
            p { a href="/" { "Latest changes" } " · " a href="/sources" { "Sources" } " · " a href="/lookup" { "Find an article by URL" } }
        },
    )
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A short extract of a text around the first sought word, words marked.
pub fn snippet(paragraphs: &[String], words: &[String]) -> Markup {
    const BEFORE: usize = 12;
    const LENGTH: usize = 40;
    let matches = |w: &str| {
        let w: String = w
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        !w.is_empty()
            && words
                .iter()
                .any(|s| w == *s || (w.starts_with(s.as_str()) && s.len() >= 3))
    };
    let found = paragraphs.iter().find_map(|p| {
        let tokens: Vec<&str> = p.split_whitespace().collect();
        tokens.iter().position(|t| matches(t)).map(|i| (tokens, i))
    });
    let (tokens, start) = match found {
        Some((tokens, i)) => (tokens, i.saturating_sub(BEFORE)),
        None => match paragraphs.first() {
            Some(p) => (p.split_whitespace().collect(), 0),
            None => return html! {},
        },
    };
    let end = (start + LENGTH).min(tokens.len());
    html! {
        @if start > 0 { "… " }
        @for (i, t) in tokens[start..end].iter().enumerate() {
            @if i > 0 { " " }
            @if matches(t) { mark { (t) } } @else { (t) }
        }
        @if end < tokens.len() { " …" }
    }
}
