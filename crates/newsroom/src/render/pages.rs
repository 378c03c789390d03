//! Non-article HTML: the front page, section pages, error pages and the
//! assorted non-article pages (`/about`, `/live/...`, `/video/...`, ...) that
//! front pages link to and a URL filter should exclude.

use std::fmt::Write;

use chrono::SecondsFormat;

use super::{Noise, NoiseCtx, esc, noise};
use crate::prose::{SECTIONS, slugify};
use crate::state::{ListEntry, Listing, OutletMeta};

fn open(out: &mut String, o: &OutletMeta, title: &str, canonical: &str, cx: &mut NoiseCtx<'_>) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
<link rel=\"canonical\" href=\"{base}{canonical}\">\n\
<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{site}\" href=\"/feed.xml\">\n\
<link rel=\"alternate\" type=\"application/atom+xml\" title=\"{site}\" href=\"/atom.xml\">\n\
<link rel=\"alternate\" type=\"application/feed+json\" title=\"{site}\" href=\"/feed.json\">\n",
        title = esc(title),
        base = o.base,
        site = esc(&o.name),
    );
    noise::write(Noise::PageScript, cx, out);
    out.push_str("\n</head>\n<body>\n");
    noise::write(Noise::CookieBanner, cx, out);
    let _ = write!(
        out,
        "<header class=\"masthead\"><a class=\"logo\" href=\"/\">{}</a><nav class=\"sections\"><ul>",
        esc(&o.name)
    );
    for s in SECTIONS {
        let _ = write!(out, "<li><a href=\"/news/{}/\">{}</a></li>", s.slug, s.name);
    }
    out.push_str("<li><a href=\"/live/\">Live</a></li><li><a href=\"/video/\">Video</a></li><li><a href=\"/newsletters\">Newsletters</a></li></ul></nav></header>\n");
}

fn close(out: &mut String, cx: &mut NoiseCtx<'_>) {
    out.push_str("<aside class=\"sidebar\"><h2>Most read</h2>");
    noise::write(Noise::MostRead, cx, out);
    noise::write(Noise::AdSlot, cx, out);
    out.push_str("</aside>\n<footer><a href=\"/about\">About us</a> | <a href=\"/contact\">Contact</a> | <a href=\"/privacy\">Privacy</a> | <a href=\"/private/staff\">Staff login</a> | <a href=\"/sitemap.xml\">Sitemap</a><p class=\"generated\">");
    noise::write(Noise::GeneratedAt, cx, out);
    out.push_str("</p></footer>\n</body>\n</html>\n");
}

/// How the `k`-th front-page link to `e` is written: relative, absolute,
/// protocol-relative, with tracking parameters or a fragment.
fn front_href(o: &OutletMeta, e: &ListEntry, k: usize) -> String {
    match k % 7 {
        1 => format!("{}{}", o.base, e.path),
        2 => format!(
            "{}?utm_source=homepage&amp;utm_medium=referral&amp;utm_campaign=top",
            e.path
        ),
        4 => format!("{}#comments", e.path),
        5 => format!("//{}{}", o.addr, e.path),
        _ => e.path.clone(),
    }
}

fn story_li(out: &mut String, href: &str, e: &ListEntry) {
    let _ = writeln!(
        out,
        "<li class=\"story\"><a class=\"story-link\" href=\"{href}\">{}</a> <span class=\"kicker\">{}</span> <time datetime=\"{}\">{}</time></li>",
        esc(&e.headline),
        SECTIONS[e.section].name,
        e.published.to_rfc3339_opts(SecondsFormat::Secs, true),
        e.published.format("%H:%M, %-d %b")
    );
}

/// The front page: the newest `limit` articles plus non-article links.
pub(crate) fn front(o: &OutletMeta, listing: &Listing, limit: usize) -> String {
    let mut cx = NoiseCtx::page(listing);
    let mut out = String::with_capacity(32 * 1024);
    open(
        &mut out,
        o,
        &format!("{} – News, sport and opinion", o.name),
        "/",
        &mut cx,
    );
    noise::write(Noise::Ticker, &mut cx, &mut out);
    out.push_str("\n<main id=\"top-stories\">\n<h2>Top stories</h2>\n<ul class=\"stories\">\n");
    for (k, e) in listing.entries.iter().take(limit).enumerate() {
        story_li(&mut out, &front_href(o, e, k), e);
    }
    out.push_str("</ul>\n<section class=\"live\"><h2>Live</h2><ul>");
    for e in listing.entries.iter().take(3) {
        let _ = write!(
            out,
            "<li><a href=\"/live/{}-{}\">Live: {}</a></li>",
            slugify(&e.headline),
            e.id,
            esc(&e.headline)
        );
    }
    out.push_str("</ul></section>\n<section class=\"video\"><h2>Watch</h2><ul>");
    for e in listing.entries.iter().skip(3).take(3) {
        let _ = write!(
            out,
            "<li><a href=\"/video/{}-{}.html\">Video: {}</a></li>",
            slugify(&e.headline),
            e.id,
            esc(&e.headline)
        );
    }
    out.push_str("</ul></section>\n<section class=\"more\"><h2>Elsewhere</h2><ul><li><a href=\"/author/jane-doe/\">Our reporters</a></li><li><a href=\"/tag/halverton/\">Halverton</a></li><li><a href=\"/podcasts/the-briefing-episode-12\">Podcast: The Briefing</a></li><li><a href=\"/search?q=council\">Search</a></li><li><a href=\"/private/drafts/\">Drafts</a></li></ul></section>\n</main>\n");
    close(&mut out, &mut cx);
    out
}

/// A section page: `page_size` articles of `section` per page, newest first.
pub(crate) fn section(
    o: &OutletMeta,
    listing: &Listing,
    section: usize,
    page: usize,
    page_size: usize,
) -> String {
    let mut cx = NoiseCtx::page(listing);
    cx.section = Some(section);
    let sec = &SECTIONS[section];
    let mut out = String::with_capacity(32 * 1024);
    let canonical = if page > 1 {
        format!("/news/{}/?page={page}", sec.slug)
    } else {
        format!("/news/{}/", sec.slug)
    };
    open(
        &mut out,
        o,
        &format!("{} | {}", sec.name, o.name),
        &canonical,
        &mut cx,
    );
    let _ = write!(
        out,
        "<main class=\"section-page\">\n<h1>{}</h1>\n<ul class=\"stories\">\n",
        sec.name
    );
    let items: Vec<&ListEntry> = listing
        .entries
        .iter()
        .filter(|e| e.section == section)
        .collect();
    let start = (page.max(1) - 1) * page_size;
    for (k, e) in items.iter().skip(start).take(page_size).enumerate() {
        story_li(&mut out, &front_href(o, e, k + 3), e);
    }
    out.push_str("</ul>\n<nav class=\"pagination\">");
    if page > 1 {
        let _ = write!(
            out,
            "<a rel=\"prev\" href=\"/news/{}/?page={}\">Newer stories</a> ",
            sec.slug,
            page - 1
        );
    }
    if start + page_size < items.len() {
        let _ = write!(
            out,
            "<a rel=\"next\" href=\"/news/{}/?page={}\">Older stories</a>",
            sec.slug,
            page.max(1) + 1
        );
    }
    let _ = write!(
        out,
        "</nav>\n<p class=\"section-extra\"><a href=\"/video/{0}-highlights.html\">{1} in video</a> · <a href=\"/live/{0}\">{1} live</a></p>\n</main>\n",
        sec.slug, sec.name
    );
    close(&mut out, &mut cx);
    out
}

/// A simple non-article page (about, live blog, video, author, tag, ...).
pub(crate) fn misc(o: &OutletMeta, listing: &Listing, path: &str) -> String {
    let mut cx = NoiseCtx::page(listing);
    let title = path.trim_matches('/').replace(['/', '-'], " ");
    let mut out = String::with_capacity(16 * 1024);
    open(
        &mut out,
        o,
        &format!("{} | {}", title, o.name),
        path,
        &mut cx,
    );
    let _ = write!(
        out,
        "<main class=\"page\"><h1>{}</h1>\n<p>This page is not a news article. It exists so that crawlers meet realistic non-article links.</p>\n",
        esc(&title)
    );
    if path.starts_with("/live") {
        noise::write(Noise::Ticker, &mut cx, &mut out);
    }
    out.push_str("</main>\n");
    close(&mut out, &mut cx);
    out
}

/// The page of an error status.
pub(crate) fn error(o: &OutletMeta, listing: &Listing, status: u16) -> String {
    let mut cx = NoiseCtx::page(listing);
    let (title, text) = match status {
        404 => (
            "Page not found",
            "Sorry, we couldn’t find the page you were looking for.",
        ),
        410 => (
            "This article has been removed",
            "This article is no longer available.",
        ),
        429 => ("Too many requests", "Please slow down and try again later."),
        503 => (
            "Service temporarily unavailable",
            "We are experiencing technical difficulties. Please try again shortly.",
        ),
        _ => ("Error", "Something went wrong."),
    };
    let mut out = String::with_capacity(8 * 1024);
    open(&mut out, o, &format!("{title} | {}", o.name), "/", &mut cx);
    let _ = writeln!(
        out,
        "<main class=\"error error-{status}\"><h1>{title}</h1><p>{text}</p><p><a href=\"/\">Go to the home page</a></p></main>"
    );
    close(&mut out, &mut cx);
    out
}
