//! Clean-up of the body's paragraphs: drops what a reader would not call
//! article text and what would make false changes between fetches — link
//! lists, repeated copies of the body, the headline repeated as a first
//! paragraph, datelines, comment-policy and contact trailers, share and
//! advertisement labels.

use std::collections::{HashMap, HashSet};

use crate::text::Block;

/// What the clean-up knows about the page.
pub struct Context<'a> {
    /// Candidate headlines (metadata title, `<h1>`).
    pub titles: Vec<&'a str>,
}

/// Blocks with more of their text in links than this are link-heavy.
const LINK_LIST_DENSITY: f32 = 0.65;
/// This many link-heavy blocks in a row are a list of links.
const LINK_RUN: usize = 3;
/// A block this link-heavy is dropped even alone.
const LONE_LINK_DENSITY: f32 = 0.8;

/// A linked heading followed, within this many blocks, by a paragraph
/// this long and at most this linked, is a subhead.
const SUBHEAD_TEXT_CHARS: usize = 150;
const SUBHEAD_TEXT_DENSITY: f32 = 0.3;
const SUBHEAD_LOOKAHEAD: usize = 3;

/// Paragraphs at least this long (letters and digits) are kept once.
const MIN_DEDUPLICATED_CHARS: usize = 30;
/// A paragraph repeated this many times, each time in another place, is
/// a line every entry of a list repeats and is kept each time.
const MIN_ENTRY_LINE_REPEATS: usize = 3;

/// Filters `blocks` down to the article's paragraphs.
pub fn clean(blocks: Vec<Block>, context: &Context<'_>) -> Vec<String> {
    let blocks = join_drop_caps(blocks);
    let title_keys: Vec<String> = context
        .titles
        .iter()
        .map(|t| key(t))
        .filter(|k| k.len() >= 8)
        .collect();
    // Link-heavy blocks: a run of them is a list of links (related
    // stories, tags); a lone one inside the text is usually part of it
    // ("Get it on Amazon for $40", a source link).
    let densities: Vec<f32> = blocks
        .iter()
        .map(|b| {
            let chars = b.text.chars().count();
            if chars == 0 {
                0.0
            } else {
                b.link_chars as f32 / chars as f32
            }
        })
        .collect();
    let linky = |i: usize| densities.get(i).is_some_and(|&d| d > LINK_LIST_DENSITY);
    let mut in_link_run = vec![false; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        let start = i;
        while linky(i) {
            i += 1;
        }
        if i - start >= LINK_RUN {
            in_link_run[start..i].iter_mut().for_each(|x| *x = true);
        }
        i = i.max(start + 1);
    }
    // A linked heading followed by a paragraph of text (within the next
    // few blocks, before another heading: "Total reviews: 726" lines may
    // come first) is the subhead of that text (a listicle's "1. Product
    // name" linking to the product), not a teaser's headline; headings in
    // list items (lists of related stories) are not subheads.
    let linked_subhead: Vec<bool> = (0..blocks.len())
        .map(|i| {
            blocks[i].heading
                && (i + 1..blocks.len())
                    .take(SUBHEAD_LOOKAHEAD)
                    .take_while(|&j| !blocks[j].heading)
                    .any(|j| {
                        blocks[j].text.chars().count() >= SUBHEAD_TEXT_CHARS
                            && densities[j] < SUBHEAD_TEXT_DENSITY
                    })
        })
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (index, block) in blocks.into_iter().enumerate() {
        let text = block.text;
        if ((densities[index] > LONE_LINK_DENSITY || in_link_run[index]) && !linked_subhead[index])
            || is_recirculation_link(&text, block.link_chars)
        {
            continue;
        }
        let k = key(&text);
        if k.is_empty() {
            continue;
        }
        if out.is_empty() && title_keys.contains(&k) {
            continue;
        }
        if is_boilerplate_line(&text) || is_dateline(&text) || is_credit_line(&text) {
            continue;
        }
        out.push(text);
        keys.push(k);
    }
    drop_repeats(&mut out, &keys);
    drop_box_labels(&mut out);
    drop_trailers(&mut out);
    out
}

/// Keeps a paragraph seen before only once: a repeated copy (mobile and
/// desktop bodies, a block printed twice, a card's hover copy). Short
/// lines ("Buy now", "***") legitimately repeat in an article and are
/// kept, and so is a line that each entry of a list repeats — three or
/// more times, each time after another paragraph or each time before
/// another one ("You can support this webcam…" under every webcam of a
/// list) — where a copy of a block repeats its neighbours too.
fn drop_repeats(paragraphs: &mut Vec<String>, keys: &[String]) {
    let mut places: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if k.chars().count() >= MIN_DEDUPLICATED_CHARS {
            places.entry(k.as_str()).or_default().push(i);
        }
    }
    let neighbour = |i: Option<usize>| i.and_then(|i| keys.get(i)).map_or("", String::as_str);
    let mut repeat = vec![false; keys.len()];
    for at in places.values().filter(|at| at.len() > 1) {
        let distinct = |side: &dyn Fn(usize) -> Option<usize>| {
            at.iter()
                .map(|&i| neighbour(side(i)))
                .collect::<HashSet<_>>()
                .len()
                == at.len()
        };
        let entry_line = at.len() >= MIN_ENTRY_LINE_REPEATS
            && (distinct(&|i: usize| i.checked_sub(1)) || distinct(&|i: usize| Some(i + 1)));
        if !entry_line {
            at[1..].iter().for_each(|&i| repeat[i] = true);
        }
    }
    let mut index = 0;
    paragraphs.retain(|_| {
        index += 1;
        !repeat[index - 1]
    });
}

/// A drop cap set in its own block (`<div class="dropcap">T</div><p>he
/// city…`) is the first letter of the next paragraph: one capital letter
/// alone, followed by a block that starts in lower case, are one
/// paragraph ("The city…"), as a reader sees them.
fn join_drop_caps(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let starts_lower = block.text.chars().next().is_some_and(char::is_lowercase);
        if starts_lower
            && let Some(last) = out.last_mut()
            && is_lone_capital(&last.text)
        {
            last.text.push_str(&block.text);
            last.link_chars += block.link_chars;
            continue;
        }
        out.push(block);
    }
    out
}

/// One upper-case letter, perhaps after an opening quotation mark.
fn is_lone_capital(text: &str) -> bool {
    let mut chars = text
        .trim()
        .chars()
        .skip_while(|c| matches!(c, '“' | '"' | '‘' | '\'' | '«'));
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// A "Read more: <a>other story</a>" paragraph: a recirculation label and
/// then nothing but a link. Such links are picked per request on many
/// sites; inside the text they would make a false change on every fetch.
/// A sentence that merely starts so ("Read more about the plan in our
/// <a>explainer</a>") is not mostly link after the label and stays.
fn is_recirculation_link(text: &str, link_chars: usize) -> bool {
    /// Labels that end with a separator (':', '»', '|', ...) or a space.
    const LABELS: &[&str] = &[
        "read more",
        "read also",
        "also read",
        "read next",
        "see also",
        "also see",
        "more on this story",
        "more on this",
        "further reading",
        "related story",
        "related article",
        "related",
        "recommended",
        "don't miss",
        "don’t miss",
        "must read",
        "more",
        "read",
        "watch",
        "lire aussi",
        "à lire aussi",
        "leia também",
        "leia mais",
        "veja também",
        "lesen sie auch",
        "mehr zum thema",
        "leggi anche",
        "lee también",
        "lea también",
    ];
    if text.chars().count() > 250 {
        return false;
    }
    let lower = text.to_lowercase();
    for label in LABELS {
        let Some(rest) = lower.strip_prefix(label) else {
            continue;
        };
        let after =
            rest.trim_start_matches([':', '»', '›', '>', '|', '-', '–', '—', ' ', '\u{a0}']);
        // One-word labels need a separator: "More people ..." is a sentence.
        let separated = after.len() < rest.len()
            && (label.contains(' ') || rest.trim_start().starts_with([':', '»', '›', '>', '|']));
        let rest_chars = after.chars().count();
        // The label itself is not linked; all of the rest (or nearly) is.
        if separated && rest_chars > 0 && link_chars * 10 >= rest_chars * 9 {
            return true;
        }
    }
    false
}

/// Drops the labels of the page's furniture boxes ("Most read", "Related
/// articles", "You may also like"): the boxes' links went as link lists.
/// The body is not cut there, though tempting for after-article lists: a
/// rotating box inside the article would then cut it at a different place
/// on every fetch.
fn drop_box_labels(paragraphs: &mut Vec<String>) {
    paragraphs.retain(|p| !is_end_marker(p));
}

fn is_end_marker(text: &str) -> bool {
    if text.chars().count() > 50 {
        return false;
    }
    let lower = text.to_lowercase();
    let label = lower
        .trim()
        .trim_end_matches([':', '.', '…', '»', '›', '>', ' '])
        .trim();
    const EXACT: &[&str] = &[
        "related",
        "recommended",
        "recommended for you",
        "read more",
        "read next",
        "most popular",
        "most read",
        "trending",
        "trending now",
        "popular posts",
        "latest news",
        "latest stories",
        "sponsored links",
        "sponsored content",
        "share this",
        "share this article",
        "share this story",
        "tags",
        "comments",
        "leave a comment",
        "leave a reply",
        "post comment",
        "what to read next",
        "editors' picks",
        "editor's picks",
        "around the web",
        "see also",
        // Tables of contents: the list of in-page links goes as a link
        // list, its label stays behind.
        "table of contents",
        "contents",
        "in this article",
        "on this page",
        "jump to",
        "jump to section",
    ];
    const PREFIXES: &[&str] = &[
        "related ",
        "more from ",
        "more in ",
        "more stories",
        "more great ",
        "more news",
        "you may also ",
        "you might also ",
        "you may like",
        "you might like",
        "also read",
        "recommended ",
        "other stories",
        "more like this",
    ];
    // A table of contents' toggle ("Table of Contents [hide]", "Show").
    let bare = label.trim_end_matches([']', ')', ' ']);
    let untoggled = ["show", "hide", "toggle"]
        .iter()
        .find_map(|toggle| bare.strip_suffix(toggle))
        .map_or(label, |l| l.trim_end_matches(['[', '(', ' ', ':']));
    EXACT.contains(&label)
        || EXACT.contains(&untoggled)
        || PREFIXES.iter().any(|p| label.starts_with(p))
}

/// Drops page furniture at the edges of the body: contact, follow and
/// newsletter lines ("• Jane Doe can be reached at jdoe@example.com.") at
/// the end; bylines, date lines and labels ("TRENDING:") at the start.
fn drop_trailers(paragraphs: &mut Vec<String>) {
    let mut checked = 0;
    let mut i = paragraphs.len();
    while i > 0 && checked < 4 {
        i -= 1;
        checked += 1;
        if is_trailer(&paragraphs[i]) {
            paragraphs.remove(i);
        }
    }
    let mut i = 0;
    let mut checked = 0;
    while i < paragraphs.len() && checked < 3 && paragraphs.len() > 1 {
        checked += 1;
        if is_leading_furniture(&paragraphs[i]) {
            paragraphs.remove(i);
        } else {
            i += 1;
        }
    }
}

/// Bylines, date lines and labels that open a body.
fn is_leading_furniture(text: &str) -> bool {
    let trimmed = text.trim();
    let chars = trimmed.chars().count();
    if chars > 120 {
        return false;
    }
    let lower = trimmed.to_lowercase();
    // "By Jane Doe and John Roe, Staff Writers" — not "By Tuesday, the
    // river had risen." (a sentence).
    let sentence = trimmed.ends_with(['.', '!', '?', '"', '”']);
    if lower.starts_with("by ") && chars < 100 && !sentence {
        return true;
    }
    if trimmed.ends_with(':') && trimmed.split_whitespace().count() <= 2 {
        return true;
    }
    // "November 12, 2018 | BY: Beachbody", "City, Bureau | Updated : 19 November 2019".
    let metadata_marks =
        lower.contains(" | ") || lower.contains("by:") || lower.contains("updated");
    metadata_marks && has_date(&lower)
}

pub fn has_date(lower: &str) -> bool {
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let month = words.iter().any(|w| is_month(w));
    let year = words
        .iter()
        .any(|w| w.len() == 4 && w.starts_with("20") && w.chars().all(|c| c.is_ascii_digit()));
    month && year
}

fn is_month(word: &str) -> bool {
    MONTHS
        .iter()
        .any(|m| word.starts_with(m) && word.len() <= m.len() + 6)
}

fn is_trailer(text: &str) -> bool {
    if text.chars().count() > 300 {
        return false;
    }
    let lower = text.to_lowercase();
    let has_email = lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        });
    const PHRASES: &[&str] = &[
        "can be reached at",
        "may be reached at",
        "can be contacted at",
        "follow us on",
        "follow him on",
        "follow her on",
        "follow them on",
        "follow me on",
        "sign up for our",
        "subscribe to ",
        "subscribe now",
        "newsletter",
        "have a tip?",
        "got a tip?",
    ];
    // Wire-service credits and social prompts.
    const PREFIXES: &[&str] = &[
        "reporting by",
        "(reporting by",
        "additional reporting by",
        "writing by",
        "editing by",
        "tags:",
        "like this story",
        "if you enjoyed this article",
    ];
    let social = lower.starts_with("follow ")
        && ["twitter", "facebook", "instagram", "youtube", "linkedin"]
            .iter()
            .any(|s| lower.contains(s));
    has_email
        || social
        || PHRASES.iter().any(|p| lower.contains(p))
        || PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// A short paragraph made of a date and time and little else ("Updated
/// Nov 19, 9:41 AM", "October 3, 2015 - 0:0", "22 de outubro de 2010").
pub fn is_dateline(text: &str) -> bool {
    if text.chars().count() > 80 {
        return false;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return false;
    }
    let mut month = false;
    let mut date_words = 0;
    for w in &words {
        if MONTHS
            .iter()
            .any(|m| w.starts_with(m) && w.len() <= m.len() + 6)
        {
            month = true;
            date_words += 1;
        } else if w.chars().all(|c| c.is_ascii_digit()) || DATE_WORDS.contains(w) {
            date_words += 1;
        }
    }
    let digits = words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()));
    // "Updated Nov 19, 9:41 AM", "Last updated at 12:01", "Actualizado a
    // las 12:01h.", "Mis à jour le 3 mars à 10h": a visible update or
    // publication time, which is metadata, not text.
    let first = if words[0] == "last" || words[0] == "dernière" || words[0] == "última" {
        words.get(1).copied().unwrap_or("")
    } else {
        words[0]
    };
    if (UPDATE_WORDS.contains(&first) || (first == "mis" && words.get(2) == Some(&"jour")))
        && digits
        && words.len() <= 12
    {
        return true;
    }
    let relative = words.len() <= 6
        && words.iter().any(|w| {
            matches!(
                *w,
                "ago" | "minutes" | "hours" | "days" | "min" | "hrs" | "mins"
            )
        })
        && digits;
    if relative {
        return true;
    }
    // Numbers alone make a date only as a year with day and month
    // ("10/05/2018"), not a row of scores.
    let numbers: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let numeric_date = (3..=5).contains(&numbers.len())
        && numbers
            .iter()
            .any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")));
    (month || numeric_date) && digits && date_words * 10 >= words.len() * 7
}

/// "Updated", "published" in the languages most news is written in.
const UPDATE_WORDS: &[&str] = &[
    "updated",
    "update",
    "published",
    "posted",
    "modified",
    "actualizado",
    "actualizada",
    "actualización",
    "atualizado",
    "atualizada",
    "atualização",
    "publicado",
    "publicada",
    "aggiornato",
    "aggiornamento",
    "pubblicato",
    "aktualisiert",
    "veröffentlicht",
    "publié",
    "modifié",
    "mise",
    "bijgewerkt",
    "gepubliceerd",
    "geplaatst",
    "opdateret",
    "uppdaterad",
    "oppdatert",
    "publicerad",
    "päivitetty",
    "zaktualizowano",
    "aktualizováno",
    "обновлено",
    "опубликовано",
    "güncellendi",
    "güncelleme",
    "actualitzat",
];

/// Month-name prefixes in the languages most news is written in.
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "janv",
    "fev", "fév", "avr", "mai", "juin", "juil", "aou", "aoû", "déc", "ene", "abr", "ago", "dic",
    "set", "out", "dez", "gen", "giu", "lug", "ott", "okt", "mär", "märz",
];

const DATE_WORDS: &[&str] = &[
    "am",
    "pm",
    "a",
    "p",
    "m",
    "updated",
    "posted",
    "published",
    "on",
    "at",
    "de",
    "às",
    "as",
    "le",
    "el",
    "del",
    "th",
    "st",
    "nd",
    "rd",
    "h",
    "et",
    "est",
    "edt",
    "pst",
    "pdt",
    "cst",
    "cdt",
    "gmt",
    "utc",
    "bst",
    "cet",
    "cest",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "sábado",
    "domingo",
    "feira",
    "last",
    "modified",
    "date",
    "time",
    "min",
    "read",
    "ago",
    "hours",
    "hour",
    "minutes",
    "today",
    "yesterday",
    "um",
    "uhr",
    "am",
    "alle",
    "ore",
    "il",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
];

/// Lower-case letters and digits only: the identity of a paragraph.
pub fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        // Most text is ASCII: its test and case mapping need no tables.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Lines that are page furniture wherever they appear.
fn is_boilerplate_line(text: &str) -> bool {
    // Every test below is of a short line or of a line's opening: a long
    // paragraph is not lower-cased whole.
    const MAX_TESTED_CHARS: usize = 400;
    let trimmed = text.trim();
    let lower = match trimmed.char_indices().nth(MAX_TESTED_CHARS) {
        None => trimmed.to_lowercase(),
        Some((end, _)) => {
            let opening = trimmed[..end].to_lowercase();
            return opening.starts_with("please read our comment policy")
                || opening.starts_with("lorem ipsum");
        }
    };
    const EXACT: &[&str] = &[
        "advertisement",
        "advertisement:",
        "ad",
        "sponsored",
        "share",
        "share this",
        "share this article",
        "share on facebook",
        "share on twitter",
        "tweet",
        "email",
        "print",
        "comments",
        "read more",
        "continue reading",
        "story continues below",
        "story continues below advertisement",
        "article continues below",
        "skip advertisement",
        "supported by",
        "advert",
        "tags",
        "caption",
        "explore further",
        "related",
        "related articles",
        "related stories",
        "recommended",
        "more from",
        "leave a comment",
        "leave a reply",
        "this slideshow requires javascript",
    ];
    if EXACT.contains(&lower.trim_end_matches(['.', ':', '»', '›']).trim()) {
        return true;
    }
    // "Lorem ipsum dolor sit amet…": a template's placeholder text, left
    // in a box nobody filled.
    lower.starts_with("please read our comment policy")
        || lower.starts_with("lorem ipsum")
        || is_print_note(&lower)
        || is_affiliate_disclosure(&lower)
}

/// A writer's or editor's credit line anywhere in the body ("Written by
/// Jane Doe", "Edited by: John Roe", "Reviewed by", "Latest posts by Jane
/// Doe (see all)"), or such a label left alone when its name is a link
/// the clean-up dropped: the byline is metadata, and author boxes and
/// templates move these lines about. "Written by hand, the letters…" is
/// not a name and stays.
fn is_credit_line(text: &str) -> bool {
    const MAX_NAME_WORDS: usize = 5;
    const LABELS: &[&str] = &[
        "written by",
        "edited by",
        "reviewed by",
        "fact checked by",
        "fact-checked by",
        "medically reviewed by",
        "posted by",
        "latest posts by",
    ];
    let trimmed = text.trim();
    if trimmed.chars().count() > 80 {
        return false;
    }
    let lower = trimmed.to_lowercase();
    let Some(label) = LABELS.iter().find(|l| lower.starts_with(**l)) else {
        return false;
    };
    // The same offset in the original: the labels are ASCII.
    let Some(rest) = trimmed.get(label.len()..) else {
        return false;
    };
    let rest = rest
        .trim_start_matches([':', ',', ' ', '\u{a0}'])
        .trim_end_matches(" (see all)")
        .trim_end_matches([',', ' ']);
    let words: Vec<&str> = rest.split_whitespace().collect();
    words.len() <= MAX_NAME_WORDS
        && !rest.ends_with(['.', '!', '?'])
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(*w, "and" | "&" | "de" | "van" | "von")
        })
}

/// An affiliate disclosure ("This post contains affiliate links…", "We
/// may earn a commission from links on this page"): small print about
/// the page's own links, not the article — the same note in a box named
/// `disclosure` goes by its name. It speaks of the page or its writers
/// ("this post", "we", "my links"); an article explaining affiliate
/// marketing does not.
fn is_affiliate_disclosure(lower: &str) -> bool {
    const MAX_CHARS: usize = 400;
    const SUBJECT: &[&str] = &[
        "affiliate link",
        "earn a commission",
        "earn commission",
        "earn us a commission",
        "earn a small commission",
        "receive a commission",
        "receive a small commission",
        "earn from qualifying purchases",
        "earns from qualifying purchases",
        "may earn a small",
    ];
    const PAGE: &[&str] = &[
        "this post",
        "this page",
        "this article",
        "this site",
        "this website",
        "this blog",
    ];
    const WRITERS: &[&str] = &["we", "us", "our", "i", "me", "my"];
    lower.chars().count() <= MAX_CHARS
        && SUBJECT.iter().any(|p| lower.contains(p))
        && (PAGE.iter().any(|p| lower.contains(p))
            || lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| WRITERS.contains(&w)))
}

/// A print-edition note ("A version of this article appears in print on
/// Nov. 3, 2024, Section A, Page 1 of the New York edition with the
/// headline: …", "This article appeared in the print edition of …",
/// "Appeared in the November 3, 2024, print edition as '…'"): it comes
/// and goes with the template, and is not the article.
fn is_print_note(lower: &str) -> bool {
    if lower.chars().count() > 400 {
        return false;
    }
    let opening = [
        "a version of this article",
        "a version of this story",
        "this article appeared",
        "this article appears",
        "this story appeared",
        "this story appears",
        "appeared in the",
        "an earlier version of this article appeared in print",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    opening
        && [
            "in print",
            "print edition",
            "edition with the headline",
            "print issue",
        ]
        .iter()
        .any(|p| lower.contains(p))
}
