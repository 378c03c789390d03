//! Stability: the same article served with different boilerplate must
//! extract to identical paragraphs, or a change tracker reports changes
//! that never happened.
//!
//! Each benchmark page is extracted as served and in several noisy
//! variants: rotating "most read" sidebars, "N comments" counters, cookie
//! banners, advertisement slots with random ids between the article's
//! paragraphs, related-article lists and an unlabelled "Most read" box
//! among them, live tickers of time-stamped items and "Read more:" link
//! paragraphs without class names, a pull quote repeating a sentence of
//! the article, "updated N minutes ago" stamps; the page's own link lists
//! are shuffled and its "N comments" counters changed. The paragraphs must
//! be identical in every variant.
//!
//! `STABILITY_DUMP=DIR` writes each variant that differs to `DIR` (inspect
//! it with `cargo run --release -p redline-extract --example inspect --
//! DIR/ID-N.html`).

mod common;

use redline_extract::Extractor;

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        const WORDS: &[&str] = &[
            "council", "storm", "market", "election", "team", "record", "police", "school",
            "budget", "film", "report", "city", "minister", "court", "season", "shares", "health",
            "river", "festival", "union", "league", "vote",
        ];
        WORDS[self.below(WORDS.len())]
    }

    fn headline(&mut self) -> String {
        let n = 5 + self.below(6);
        let words: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let mut h = words.join(" ");
        h[..1].make_ascii_uppercase();
        h
    }
}

fn most_read(rng: &mut Rng) -> String {
    let items: String = (0..5 + rng.below(5))
        .map(|i| {
            format!(
                "<li><a href=\"/story/{}\">{}</a></li>",
                rng.next() % 100_000 + i as u64,
                rng.headline()
            )
        })
        .collect();
    format!("<div class=\"most-read\"><h3>Most read</h3><ol>{items}</ol></div>")
}

fn related(rng: &mut Rng) -> String {
    let items: String = (0..3 + rng.below(3))
        .map(|_| {
            format!(
                "<li><a href=\"/news/{}\">{}</a></li>",
                rng.next() % 1_000_000,
                rng.headline()
            )
        })
        .collect();
    format!("<aside class=\"related-articles\"><h4>Related</h4><ul>{items}</ul></aside>")
}

/// A "most read" box with no class names, as some sites embed in the text.
fn unlabelled_box(rng: &mut Rng) -> String {
    let items: String = (0..4 + rng.below(3))
        .map(|_| {
            format!(
                "<li><a href=\"/story/{}\">{}</a></li>",
                rng.next() % 100_000,
                rng.headline()
            )
        })
        .collect();
    format!("<div><h4>Most read</h4><ol>{items}</ol></div>")
}

/// A live ticker with no class names: a label and items that start with
/// a clock time, as a `<time>` element or as text.
fn ticker(rng: &mut Rng) -> String {
    let (label, timed) = if rng.below(2) == 0 {
        ("<strong>Live</strong>", true)
    } else {
        ("<h4>Latest updates</h4>", false)
    };
    let items: String = (0..2 + rng.below(3))
        .map(|_| {
            let time = format!("{:02}:{:02}", rng.below(24), rng.below(60));
            let time = if timed {
                format!("<time>{time}</time>")
            } else {
                time
            };
            format!("<li>{time} {}: {}</li>", rng.word(), rng.headline())
        })
        .collect();
    format!("<div>{label}<ul>{items}</ul></div>")
}

/// A "Read more:" paragraph linking another story, with no class names.
fn read_more(rng: &mut Rng) -> String {
    let label = ["Read more:", "Read also:", "See also:", "READ MORE:"][rng.below(4)];
    format!(
        "<p><strong>{label}</strong> <a href=\"/story/{}\">{}</a></p>",
        rng.next() % 100_000,
        rng.headline()
    )
}

/// A pull quote (no class names) repeating `sentence` of the article.
fn pull_quote(sentence: &str) -> String {
    let escaped = sentence
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!("<blockquote><p>{escaped}</p></blockquote>")
}

fn ad(rng: &mut Rng) -> String {
    format!(
        "<div id=\"ad-{:x}\" class=\"ad ad-slot\" data-slot=\"{}\"><span>Advertisement</span></div>",
        rng.next(),
        rng.below(50)
    )
}

fn comments(rng: &mut Rng) -> String {
    format!(
        "<a class=\"comment-count\" href=\"#comments\">{} comments</a>",
        rng.below(2000)
    )
}

fn cookie_banner(rng: &mut Rng) -> String {
    format!(
        "<div id=\"cookie-notice-{}\" class=\"cookie-banner\"><p>We use cookies to improve your experience on our \
         site and to show you relevant advertising. By continuing to browse, you agree to our use of cookies.</p>\
         <button>Accept</button></div>",
        rng.below(1000)
    )
}

fn updated(rng: &mut Rng) -> String {
    format!(
        "<span class=\"timestamp\">Updated {} minutes ago</span>",
        1 + rng.below(59)
    )
}

/// Byte offsets just after each occurrence of `needle` (ASCII
/// case-insensitive).
fn positions_after(html: &str, needle: &str) -> Vec<usize> {
    let lower = html.to_ascii_lowercase();
    lower
        .match_indices(needle)
        .map(|(i, _)| i + needle.len())
        .collect()
}

/// One noisy variant of `html`; `quote` is a sentence of the article to
/// set as a pull quote.
fn variant(html: &str, seed: u64, quote: Option<&str>) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let body_start = positions_after(html, "<body")
        .first()
        .and_then(|&i| html[i..].find('>').map(|j| i + j + 1));
    let body_end = html
        .to_ascii_lowercase()
        .rfind("</body")
        .unwrap_or(html.len());
    if let Some(start) = body_start {
        inserts.push((start, cookie_banner(&mut rng)));
        inserts.push((start, most_read(&mut rng)));
    }
    inserts.push((body_end, most_read(&mut rng)));
    // Between the article's paragraphs: ad slots and a related list.
    let paragraph_ends = positions_after(html, "</p>");
    if !paragraph_ends.is_empty() {
        for _ in 0..3 {
            let at = paragraph_ends[rng.below(paragraph_ends.len())];
            inserts.push((at, ad(&mut rng)));
        }
        let at = paragraph_ends[rng.below(paragraph_ends.len())];
        inserts.push((at, related(&mut rng)));
        let at = paragraph_ends[rng.below(paragraph_ends.len())];
        inserts.push((at, unlabelled_box(&mut rng)));
        let at = paragraph_ends[rng.below(paragraph_ends.len())];
        inserts.push((at, ticker(&mut rng)));
        let at = paragraph_ends[rng.below(paragraph_ends.len())];
        inserts.push((at, read_more(&mut rng)));
        if let Some(sentence) = quote {
            let at = paragraph_ends[rng.below(paragraph_ends.len())];
            inserts.push((at, pull_quote(sentence)));
        }
    }
    // Counters and stamps next to headings and in the page's divs.
    let heading_ends = positions_after(html, "</h1>");
    if let Some(&at) = heading_ends.first() {
        inserts.push((at, updated(&mut rng)));
        inserts.push((at, comments(&mut rng)));
    }
    let div_ends = positions_after(html, "</div>");
    if !div_ends.is_empty() {
        for _ in 0..2 {
            let at = div_ends[rng.below(div_ends.len())];
            inserts.push((at, comments(&mut rng)));
        }
    }
    inserts.sort_by_key(|(at, _)| *at);
    let mut out = String::with_capacity(html.len() + 8192);
    let mut last = 0;
    for (at, snippet) in inserts {
        out.push_str(&html[last..at]);
        out.push_str(&snippet);
        last = at;
    }
    out.push_str(&html[last..]);
    let out = shuffle_link_lists(&out, &mut rng);
    change_counters(&out, &mut rng)
}

/// Shuffles the items of the page's own lists whose items are nothing but
/// a link ("most read", "trending"): such lists rotate between fetches.
fn shuffle_link_lists(html: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find("<ul") {
        let Some(close) = rest[open..].find("</ul>").map(|c| open + c) else {
            break;
        };
        let list = &rest[open..close];
        let Some(items_start) = list.find('>').map(|i| i + 1) else {
            break;
        };
        let inner = &list[items_start..];
        let mut items: Vec<&str> = inner.split("<li").skip(1).collect();
        let pure_links = items.len() >= 3
            && !inner.contains("<ul")
            && inner
                .split("<li")
                .next()
                .is_some_and(|head| head.trim().is_empty())
            && items.iter().all(|item| is_pure_link_item(item));
        out.push_str(&rest[..open]);
        if pure_links {
            for i in (1..items.len()).rev() {
                items.swap(i, rng.below(i + 1));
            }
            out.push_str(&list[..items_start]);
            for item in items {
                out.push_str("<li");
                out.push_str(item);
            }
        } else {
            out.push_str(list);
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// An `<li ...>` item (without its `<li`) whose text is all inside one link.
fn is_pure_link_item(item: &str) -> bool {
    let Some(a_start) = item.find("<a ") else {
        return false;
    };
    let Some(a_end) = item.find("</a>") else {
        return false;
    };
    let outside = format!("{}{}", &item[..a_start], &item[a_end + 4..]);
    // Outside the link: only the rest of the <li> tag, whitespace and tags.
    let mut in_tag = true; // starts inside the `<li ...>` tag
    outside.chars().all(|c| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if in_tag || c.is_whitespace() => {}
            _ => return false,
        }
        true
    })
}

/// Changes the numbers of "N comments" / "N shares" counters already in
/// the page.
fn change_counters(html: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut last = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let after = &html[i..];
            let counter = [
                " comments",
                " Comments",
                " shares",
                " Shares",
                " comment",
                " Comment",
            ]
            .iter()
            .any(|w| after.starts_with(w));
            if counter {
                out.push_str(&html[last..start]);
                out.push_str(&rng.below(5000).to_string());
                last = i;
            }
        } else {
            i += 1;
        }
    }
    out.push_str(&html[last..]);
    out
}

const VARIANTS: u64 = 4;

/// The first sentence of the first long paragraph, to repeat as a pull
/// quote.
fn quotable_sentence(paragraphs: &[String]) -> Option<String> {
    let paragraph = paragraphs.iter().find(|p| p.chars().count() >= 80)?;
    let sentence = match paragraph.find(". ") {
        Some(end) => &paragraph[..=end],
        None => paragraph.as_str(),
    };
    (sentence.chars().count() >= 30).then(|| sentence.to_string())
}

#[test]
fn injected_boilerplate_does_not_change_the_body() {
    let extractor = Extractor::new();
    let ids = common::page_ids();
    let mut unstable = Vec::new();
    for id in &ids {
        let html = common::page(id);
        let reference = extractor.extract(&html).paragraphs;
        let quote = quotable_sentence(&reference);
        for seed in 1..=VARIANTS {
            let noisy = variant(&html, seed, quote.as_deref());
            let paragraphs = extractor.extract(&noisy).paragraphs;
            if paragraphs != reference {
                if let Ok(dir) = std::env::var("STABILITY_DUMP") {
                    let _ = std::fs::write(format!("{dir}/{}-{seed}.html", &id[..12]), &noisy);
                }
                let first_difference = paragraphs
                    .iter()
                    .zip(&reference)
                    .position(|(a, b)| a != b)
                    .unwrap_or(paragraphs.len().min(reference.len()));
                unstable.push(format!(
                    "{} (variant {seed}): {} vs {} paragraphs, first difference at {first_difference}: {:?} vs {:?}",
                    &id[..12],
                    paragraphs.len(),
                    reference.len(),
                    paragraphs.get(first_difference).map(|s| s.chars().take(80).collect::<String>()),
                    reference.get(first_difference).map(|s| s.chars().take(80).collect::<String>()),
                ));
                break;
            }
        }
    }
    println!(
        "{} of {} pages perfectly stable across {VARIANTS} noisy variants",
        ids.len() - unstable.len(),
        ids.len()
    );
    assert!(
        unstable.is_empty(),
        "unstable pages:\n{}",
        unstable.join("\n")
    );
}

#[test]
fn variants_really_differ() {
    let html = "<html><body><h1>T</h1><div><p>a</p><p>b</p></div></body></html>";
    let a = variant(html, 1, Some("A sentence of the article."));
    let b = variant(html, 2, None);
    assert_ne!(a, b);
    assert!(a.contains("cookie-banner") && a.contains("Advertisement") && a.contains("comments"));
    assert!(a.contains("<blockquote><p>A sentence of the article.</p></blockquote>"));
    assert!(a.contains("<li>") && a.contains(":</strong> <a href="));
    let lists = "<ul><li><a href=1>one</a></li><li><a href=2>two</a></li><li><a href=3>three</a></li><li><a href=4>four</a></li></ul>";
    let shuffled: Vec<String> = (1..6)
        .map(|seed| shuffle_link_lists(lists, &mut Rng(seed)))
        .collect();
    assert!(
        shuffled.iter().any(|s| s != lists),
        "link lists are shuffled"
    );
    let prose = "<ul><li>Some text <a href=1>one</a></li><li><a href=2>two</a></li><li><a href=3>three</a></li></ul>";
    assert_eq!(
        shuffle_link_lists(prose, &mut Rng(3)),
        prose,
        "lists with text are left alone"
    );
    assert_ne!(
        change_counters("<a>12 comments</a>", &mut Rng(7)),
        "<a>12 comments</a>"
    );
}
