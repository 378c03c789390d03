//! Generic body detection: which part of a page is the article. A
//! readability-class scorer: paragraphs vote for their ancestors with their
//! length and punctuation, class/id names and link density weigh the
//! candidates, and the best candidate's siblings that look like more of the
//! same are kept. No per-site code.

use crate::dom::{Document, NONE, NodeData, NodeId, ROOT, Tag};
use crate::hints::{ClassHints, class_hints};
use crate::text::{is_comma, is_heading_permalink};

/// Per-node facts computed once per page, indexed by [`NodeId`].
pub struct Stats {
    /// The node is not content at all (script, navigation, hidden, ...).
    pub excluded: Vec<bool>,
    /// Visible characters of text under the node (whitespace excluded).
    pub text_chars: Vec<u32>,
    /// Of those, characters inside links.
    pub link_chars: Vec<u32>,
    pub commas: Vec<u32>,
    /// Number of links (`<a>` elements) under the node.
    pub link_count: Vec<u32>,
    /// Characters of text directly in the element or in its inline
    /// descendants, not inside a block below it.
    pub inline_chars: Vec<u32>,
    pub inline_commas: Vec<u32>,
    /// The node has a block-level element below it.
    pub has_block_descendant: Vec<bool>,
    /// Class/id hints, computed once per element.
    pub hints: Vec<ClassHints>,
    /// Links that are a heading's permalink (not link text, see
    /// [`is_heading_permalink`]).
    pub permalink: Vec<bool>,
    /// Visible characters and commas of each text node, once counted
    /// (`u32::MAX` before).
    text_facts: Vec<(u32, u32)>,
}

/// Visible (non-whitespace) characters and commas of a text, in one pass.
fn text_facts(text: &str) -> (u32, u32) {
    let (mut chars, mut commas) = (0u32, 0u32);
    for c in text.chars() {
        chars += u32::from(!c.is_whitespace());
        commas += u32::from(is_comma(c));
    }
    (chars, commas)
}

impl Stats {
    /// Facts for `doc`; with `strip_unlikely`, elements with names like
    /// "sidebar" or "comments" are excluded up front.
    pub fn compute(doc: &Document<'_>, strip_unlikely: bool) -> Stats {
        Self::compute_with(doc, strip_unlikely, false)
    }

    /// The last resort for pages that gave no text at all: nothing
    /// stripped by name, and only elements that can never show text
    /// (scripts, styles, form controls, media) excluded — hidden
    /// elements, `<aside>`, navigation and figures count, as some pages
    /// put their whole article in one (a script reveals it).
    pub fn compute_lenient(doc: &Document<'_>) -> Stats {
        Self::compute_with(doc, false, true)
    }

    fn compute_with(doc: &Document<'_>, strip_unlikely: bool, lenient: bool) -> Stats {
        let n = doc.nodes.len();
        let mut excluded = vec![false; n];
        let mut unlikely = vec![false; n];
        let mut hints = vec![ClassHints::default(); n];
        // Inside code listings: syntax highlighters name their spans
        // "comment", "meta", "tag", which say nothing of the page.
        let mut in_code = vec![false; n];
        let mut in_heading = vec![false; n];
        let mut permalink = vec![false; n];
        for id in 1..n {
            let node = &doc.nodes[id];
            if node.parent == NONE || excluded[node.parent as usize] {
                // Detached, or inside an excluded element.
                excluded[id] = true;
                continue;
            }
            if let NodeData::Element { tag, .. } = node.data {
                in_code[id] = in_code[node.parent as usize] || matches!(tag, Tag::Pre | Tag::Code);
                in_heading[id] = in_heading[node.parent as usize] || tag.is_heading();
                permalink[id] = is_heading_permalink(doc, id as NodeId, in_heading[id]);
                if !in_code[id] {
                    hints[id] = class_hints(doc, id as NodeId);
                }
                excluded[id] = if lenient {
                    is_invisible_tag(tag)
                } else {
                    is_never_content(doc, id as NodeId, tag, &hints[id])
                };
                // Boilerplate inside articles (share bars, comment counters,
                // ad slots) never votes, stripped or not.
                // Forms (newsletter sign-ups, comment forms, polls) count as
                // unlikely names do: pages that wrap everything in one form
                // keep it, as it holds the article's paragraphs.
                let form = tag == Tag::Form;
                unlikely[id] =
                    (strip_unlikely && (hints[id].unlikely || form)) || hints[id].boilerplate;
            }
        }
        let mut stats = Stats {
            text_chars: vec![0; n],
            link_chars: vec![0; n],
            commas: vec![0; n],
            link_count: vec![0; n],
            inline_chars: vec![0; n],
            inline_commas: vec![0; n],
            has_block_descendant: vec![false; n],
            excluded,
            hints,
            permalink,
            text_facts: vec![(u32::MAX, 0); n],
        };
        stats.aggregate(doc);
        // Names like "header" or "pager" exclude an element only if it does
        // not hold several substantial paragraphs of its own (paragraphs
        // in nested unlikely elements do not count): wrappers get such
        // names too ("header-style-2", "PageBuilder-pageRow"). A local
        // test, so boilerplate added elsewhere cannot change the verdict.
        let mut pull_quote = vec![false; n];
        for id in pull_quotes(doc, &stats) {
            pull_quote[id as usize] = true;
        }
        let mut own_paragraphs = vec![0u32; n];
        let mut strip = vec![false; n];
        if strip_unlikely {
            for id in 1..n {
                if let Some(sign_up) = sign_up_box(doc, &stats, id as NodeId) {
                    strip[sign_up as usize] = true;
                }
            }
        }
        for id in (1..n).rev() {
            if stats.excluded[id] {
                continue;
            }
            if doc.tag(id as NodeId) == Some(Tag::P)
                && stats.text_chars[id] >= 80
                && stats.link_chars[id] * 10 < stats.text_chars[id] * 3
            {
                own_paragraphs[id] += 1;
            }
            let comments = strip_unlikely && stats.hints[id].comments;
            let list_box = is_link_list(doc, &stats, id as NodeId)
                || is_time_stamped_list(doc, &stats, id as NodeId)
                || is_teaser_list(doc, &stats, id as NodeId);
            if list_box {
                // The box's label ("Live", "Latest") goes with the list.
                let label_box = labelled_box(doc, &stats, id as NodeId);
                strip[label_box as usize] = true;
            }
            let caption = is_photo_box(doc, &stats, id as NodeId);
            if (unlikely[id] && own_paragraphs[id] < 3)
                || comments
                || list_box
                || pull_quote[id]
                || caption
                || is_embedded_post(doc, &stats, id as NodeId)
            {
                strip[id] = true;
            } else {
                let parent = doc.nodes[id].parent as usize;
                own_paragraphs[parent] += own_paragraphs[id];
            }
        }
        let mut changed = false;
        for (id, &stripped) in strip.iter().enumerate().skip(1) {
            if stripped && !stats.excluded[id] {
                stats.excluded[id] = true;
                changed = true;
            } else {
                let parent = doc.nodes[id].parent;
                if parent == NONE || stats.excluded[parent as usize] {
                    stats.excluded[id] = true;
                }
            }
        }
        if changed {
            stats.aggregate(doc);
        }
        stats
    }

    /// Sums text facts from the leaves up (children have larger ids than
    /// their parents, so one reverse pass suffices).
    fn aggregate(&mut self, doc: &Document<'_>) {
        for v in [
            &mut self.text_chars,
            &mut self.link_chars,
            &mut self.commas,
            &mut self.link_count,
            &mut self.inline_chars,
            &mut self.inline_commas,
        ] {
            v.iter_mut().for_each(|x| *x = 0);
        }
        self.has_block_descendant
            .iter_mut()
            .for_each(|x| *x = false);
        for id in (1..doc.nodes.len()).rev() {
            if self.excluded[id] {
                continue;
            }
            let node = &doc.nodes[id];
            let parent = node.parent as usize;
            match node.data {
                NodeData::Text { text, raw } => {
                    if raw {
                        continue;
                    }
                    // A text's facts are counted once: the second pass,
                    // after stripping, reads them back.
                    if self.text_facts[id].0 == u32::MAX {
                        self.text_facts[id] = text_facts(text);
                    }
                    let (chars, commas) = self.text_facts[id];
                    self.text_chars[id] = chars;
                    self.commas[id] = commas;
                    self.inline_chars[parent] += chars;
                    self.inline_commas[parent] += commas;
                }
                NodeData::Element { tag, .. } => {
                    if tag == Tag::A && !self.permalink[id] {
                        self.link_chars[id] = self.text_chars[id];
                        self.link_count[id] += 1;
                    }
                    if self.has_block_descendant[id] || is_paragraph_container(tag) {
                        self.has_block_descendant[parent] = true;
                    }
                    if !tag.is_block() {
                        self.inline_chars[parent] += self.inline_chars[id];
                        self.inline_commas[parent] += self.inline_commas[id];
                    }
                }
                NodeData::Document => {}
            }
            self.text_chars[parent] += self.text_chars[id];
            self.link_chars[parent] += self.link_chars[id];
            self.commas[parent] += self.commas[id];
            self.link_count[parent] += self.link_count[id];
        }
    }

    pub fn link_density(&self, id: NodeId) -> f32 {
        let text = self.text_chars[id as usize];
        if text == 0 {
            0.0
        } else {
            (self.link_chars[id as usize] as f32 / text as f32).min(1.0)
        }
    }
}

/// A list or box of nothing but links ("Most read", tag clouds, related
/// stories): never article text, and never allowed to sway the scores, as
/// such lists rotate between fetches.
fn is_link_list(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    let i = id as usize;
    let structural = doc
        .tag(id)
        .is_none_or(|t| matches!(t, Tag::Body | Tag::Html | Tag::A));
    !structural
        && stats.link_count[i] >= 3
        && stats.text_chars[i] > 0
        && stats.link_chars[i] * 10 >= stats.text_chars[i] * 9
}

/// The sign-up box around an e-mail field (`<input type=email>`): its
/// highest ancestor with no more text than a pitch and a few lines of
/// small print ("Get more travel content. Subscribe to our free daily
/// newsletter… By subscribing you agree to our terms."), whatever its
/// names. Newsletter, alert and paywall boxes set between or after an
/// article's paragraphs are not its text.
fn sign_up_box(doc: &Document<'_>, stats: &Stats, id: NodeId) -> Option<NodeId> {
    /// A sign-up box holds at most this many characters of text.
    const MAX_BOX_CHARS: u32 = 700;
    if doc.tag(id) != Some(Tag::Input)
        || !doc
            .attr(id, "type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("email"))
    {
        return None;
    }
    let mut best = None;
    let mut a = doc.node(id).parent;
    while a != NONE {
        let i = a as usize;
        let structural = doc
            .tag(a)
            .is_none_or(|t| matches!(t, Tag::Body | Tag::Html | Tag::Article | Tag::Main));
        if structural || stats.excluded[i] || stats.text_chars[i] > MAX_BOX_CHARS {
            break;
        }
        best = Some(a);
        a = doc.node(a).parent;
    }
    best
}

/// A list of teaser cards ("More posts", "Latest news" grids): at least
/// three children, all of the same kind (tag and first class), each a
/// short card (at most 600 characters, 10 to 90% linked) whose headline
/// is a link, with an excerpt beside it. Written articles do not wrap
/// each of their sections in a card of its own under a linked headline;
/// CMS post grids do, and their cards change from one fetch to the next.
fn is_teaser_list(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    const MIN_CARDS: usize = 3;
    const MAX_CARD_CHARS: u32 = 600;
    if !matches!(
        doc.tag(id),
        Some(Tag::Div | Tag::Section | Tag::Ul | Tag::Ol)
    ) || stats.text_chars[id as usize] == 0
    {
        return false;
    }
    let mut cards = 0;
    let mut first: Option<(Tag, &str)> = None;
    for child in doc.children(id) {
        let c = child as usize;
        let Some(tag) = doc.tag(child) else {
            continue;
        };
        if stats.excluded[c] || stats.text_chars[c] == 0 {
            continue;
        }
        // The first class names the kind of card; the others often name
        // the post ("post-4182", "category-news").
        let class = doc
            .attr(child, "class")
            .and_then(|c| c.split_ascii_whitespace().next())
            .unwrap_or("");
        match first {
            None => first = Some((tag, class)),
            Some(kind) if kind == (tag, class) => {}
            Some(_) => return false,
        }
        let chars = stats.text_chars[c];
        let links = stats.link_chars[c];
        let headed = if links * 10 < chars {
            has_unfilled_headline(doc, stats, child)
        } else {
            has_linked_heading(doc, stats, child)
        };
        if chars > MAX_CARD_CHARS || links * 10 > chars * 9 || !headed {
            return false;
        }
        cards += 1;
    }
    cards >= MIN_CARDS
}

/// A headline under `id` that is a link: the first heading, or a block of
/// its own (no blocks inside, 15 characters or more), mostly linked.
fn has_linked_heading(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    // Cards are small: looking no further bounds the work.
    let mut budget = 200;
    for d in doc.descendants(id) {
        budget -= 1;
        if budget == 0 {
            return false;
        }
        let Some(tag) = doc.tag(d) else { continue };
        let i = d as usize;
        let linked = stats.text_chars[i] > 0 && stats.link_chars[i] * 10 >= stats.text_chars[i] * 8;
        if tag.is_heading() {
            return linked;
        }
        if linked
            && stats.text_chars[i] >= 15
            && matches!(tag, Tag::Div | Tag::P | Tag::Span)
            && !stats.has_block_descendant[i]
        {
            return true;
        }
    }
    false
}

/// A card whose headline a script writes: an image and a link to another
/// page with no text of its own (`<a href="/story"></a>`, filled in the
/// browser), the excerpt beside them being the card's only text. Links
/// into the page (`href="#…"`) and links in headings are permalinks and
/// icons, which articles have too.
fn has_unfilled_headline(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    // Cards are small: looking no further bounds the work.
    let mut budget = 200;
    let (mut image, mut empty_link) = (false, false);
    for d in doc.descendants(id) {
        budget -= 1;
        if budget == 0 {
            return false;
        }
        match doc.tag(d) {
            Some(Tag::Img | Tag::Picture) => image = true,
            Some(t) if t.is_heading() && stats.text_chars[d as usize] > 0 => return false,
            Some(Tag::A) => {
                empty_link |= stats.text_chars[d as usize] == 0
                    && doc.children(d).all(|c| doc.tag(c).is_none())
                    && doc
                        .attr(d, "href")
                        .is_some_and(|h| !h.is_empty() && !h.starts_with('#'));
            }
            _ => {}
        }
    }
    image && empty_link
}

/// A photo box: a `<div>` whose content is an image and then no more than
/// a caption or a teaser line (no paragraphs, lists or headings, little
/// text, little of it linked). Captions are not article text, and teaser
/// boxes ("Most popular diets" with pictures) rotate. The image must come
/// first, so a line of text with an inline icon or emoji stays.
fn is_photo_box(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    /// A caption is at most this long (visible characters).
    const MAX_CAPTION_CHARS: u32 = 250;
    let i = id as usize;
    let chars = stats.text_chars[i];
    if doc.tag(id) != Some(Tag::Div)
        || chars == 0
        || chars > MAX_CAPTION_CHARS
        || stats.link_chars[i] * 2 > chars
    {
        return false;
    }
    // A photo box is a handful of elements: looking no further bounds the
    // work on deeply nested pages.
    let mut budget = 64;
    let mut image = false;
    let mut node = doc.node(id).first_child;
    while node != NONE {
        budget -= 1;
        if budget == 0 {
            return false;
        }
        if stats.excluded[node as usize] {
            node = doc.next_skipping_children(node, id);
            continue;
        }
        match doc.node(node).data {
            NodeData::Element { tag, .. } => match tag {
                Tag::Img | Tag::Picture => image = true,
                Tag::Div | Tag::Br | Tag::Span | Tag::A => {}
                t if t.is_block() => return false,
                _ => {}
            },
            NodeData::Text { text, .. } if !image && !text.trim().is_empty() => return false,
            _ => {}
        }
        node = doc.next_in(node, id);
    }
    image
}

/// A quotation this long (letters and digits) that the page repeats is a
/// pull quote.
const MIN_PULL_QUOTE_CHARS: usize = 15;
/// Pull quotes are a sentence or two: longer quotations are not checked.
const MAX_PULL_QUOTE_CHARS: u32 = 400;
/// At most this many quotations per page are checked (each is a search of
/// the page's text): bounds the work on forum pages full of quotes.
const MAX_QUOTES_CHECKED: usize = 32;

/// Pull quotes: block quotations whose whole text the page says again
/// outside them (a sentence or a quotation of the article lifted out and
/// set large between its paragraphs). They never vote — an editor adding
/// one must not move the body — and never reach the text, where they
/// would repeat it. A quotation of something else (a speech, a post) is
/// not repeated by the page and stays.
fn pull_quotes(doc: &Document<'_>, stats: &Stats) -> Vec<NodeId> {
    let quotes: Vec<NodeId> = (1..doc.nodes.len() as NodeId)
        .filter(|&id| {
            doc.tag(id) == Some(Tag::Blockquote)
                && !stats.excluded[id as usize]
                && stats.text_chars[id as usize] as usize >= MIN_PULL_QUOTE_CHARS
                && stats.text_chars[id as usize] <= MAX_PULL_QUOTE_CHARS
        })
        .take(MAX_QUOTES_CHECKED)
        .collect();
    if quotes.is_empty() {
        return quotes;
    }
    // The letters and digits of the page's visible text outside block
    // quotations, lower-cased: what a quotation may repeat.
    let mut page = String::new();
    let mut id = doc.node(ROOT).first_child;
    while id != NONE {
        let i = id as usize;
        if stats.excluded[i] || doc.tag(id) == Some(Tag::Blockquote) {
            id = doc.next_skipping_children(id, ROOT);
            continue;
        }
        if let NodeData::Text { text, raw: false } = doc.node(id).data {
            push_key(&mut page, text);
        }
        id = doc.next_in(id, ROOT);
    }
    let mut quote = String::new();
    quotes
        .into_iter()
        .filter(|&q| {
            quote.clear();
            for node in doc.descendants(q) {
                if stats.excluded[node as usize] {
                    continue;
                }
                if let NodeData::Text { text, raw: false } = doc.node(node).data {
                    push_key(&mut quote, text);
                }
            }
            quote.chars().count() >= MIN_PULL_QUOTE_CHARS && page.contains(quote.as_str())
        })
        .collect()
}

/// Appends the letters and digits of `text`, lower-cased (the identity
/// of a text, as `cleanup::key`).
fn push_key(out: &mut String, text: &str) {
    let text = crate::entities::decode_entities(text);
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
}

/// A list whose every item starts with a time ("09:56 Traffic: delays on
/// the ring road", `<li><time>…</time> …`): a live ticker or a "latest"
/// box, whose items change from one fetch to the next. Such a list is
/// never the article's text, whatever the names around it.
fn is_time_stamped_list(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    if !matches!(doc.tag(id), Some(Tag::Ul | Tag::Ol)) || stats.text_chars[id as usize] == 0 {
        return false;
    }
    let mut items = 0;
    for child in doc.children(id) {
        match doc.node(child).data {
            NodeData::Text { text, .. } if text.trim().is_empty() => continue,
            NodeData::Element { tag: Tag::Li, .. } => {}
            NodeData::Element { .. } if stats.excluded[child as usize] => continue,
            _ => return false,
        }
        if stats.text_chars[child as usize] == 0 {
            continue;
        }
        if !starts_with_time(doc, stats, child) {
            return false;
        }
        items += 1;
    }
    items >= 2
}

/// Whether the first text of `id` is inside a `<time>` element or opens
/// with a clock time ("9:41", "09:56", "9.41pm").
fn starts_with_time(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    // The time is among an item's first few nodes; looking no further
    // bounds the work on deeply nested lists.
    let mut budget = 16;
    let mut node = doc.node(id).first_child;
    while node != NONE && budget > 0 {
        budget -= 1;
        if stats.excluded[node as usize] {
            node = doc.next_skipping_children(node, id);
            continue;
        }
        match doc.node(node).data {
            NodeData::Element { tag: Tag::Time, .. } => return true,
            NodeData::Text { text, .. } if !text.trim().is_empty() => {
                return is_clock_time(text.trim_start());
            }
            _ => {}
        }
        node = doc.next_in(node, id);
    }
    false
}

/// "9:41", "09:56", "21:05", "9.41pm", "9:41 a.m." at the start of `text`,
/// and not the start of a longer number ("10:30:00" is fine, "3.25%" or
/// "12:1" are not times).
fn is_clock_time(text: &str) -> bool {
    let b = text.as_bytes();
    let hours = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&hours) || b.len() < hours + 3 {
        return false;
    }
    let sep = b[hours];
    let minutes = &b[hours + 1..];
    if !(sep == b':' || sep == b'.')
        || !minutes[0].is_ascii_digit()
        || !minutes[1].is_ascii_digit()
        || minutes.get(2).is_some_and(|c| c.is_ascii_digit())
    {
        return false;
    }
    let hour: u32 = text[..hours].parse().unwrap_or(99);
    let minute = u32::from(minutes[0] - b'0') * 10 + u32::from(minutes[1] - b'0');
    if hour > 23 || minute > 59 {
        return false;
    }
    let rest = text[hours + 3..].trim_start().to_ascii_lowercase();
    if sep == b'.' {
        // "9.41" is as often a number as a time: only with am/pm.
        return rest.starts_with("am")
            || rest.starts_with("pm")
            || rest.starts_with("a.m")
            || rest.starts_with("p.m");
    }
    true
}

/// The element to strip with list `id`: the box holding it when the rest
/// of the box is no more than a label ("Live", "Most read"), else the list
/// itself.
fn labelled_box(doc: &Document<'_>, stats: &Stats, id: NodeId) -> NodeId {
    /// At most this many characters of a box are its label.
    const MAX_LABEL_CHARS: u32 = 40;
    let parent = doc.node(id).parent;
    let Some(tag) = doc.tag(parent) else {
        return id;
    };
    let boxy = matches!(tag, Tag::Div | Tag::Section | Tag::Aside);
    let rest = stats.text_chars[parent as usize] - stats.text_chars[id as usize];
    if boxy && rest <= MAX_LABEL_CHARS && stats.hints[parent as usize].weight <= 0.0 {
        parent
    } else {
        id
    }
}

/// Block elements that make a `<div>` a container rather than a paragraph
/// (readability's DIV_TO_P_ELEMS).
fn is_paragraph_container(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Blockquote
            | Tag::Dl
            | Tag::Div
            | Tag::Img
            | Tag::Ol
            | Tag::P
            | Tag::Pre
            | Tag::Table
            | Tag::Ul
            | Tag::Section
            | Tag::Article
            | Tag::H1
            | Tag::H2
            | Tag::H3
            | Tag::H4
            | Tag::H5
            | Tag::H6
    )
}

/// An embedded social post as the embed codes write it when their script
/// has not run: a `<blockquote>` of at most 1500 characters with a link to
/// a post on a social network (`twitter.com/…/status/…`,
/// `instagram.com/p/…`, `tiktok.com/@…/video/…`, `bsky.app/…/post/…`,
/// `threads.net/…/post/…`, `facebook.com/…/posts/…`). The post is not the
/// article's text, and pages render it differently from one template to
/// the next (the text, a card, nothing).
fn is_embedded_post(doc: &Document<'_>, stats: &Stats, id: NodeId) -> bool {
    if doc.tag(id) != Some(Tag::Blockquote) || stats.text_chars[id as usize] > 1500 {
        return false;
    }
    doc.descendants(id).any(|a| {
        doc.tag(a) == Some(Tag::A)
            && doc.attr(a, "href").is_some_and(|href| {
                let href = href.to_ascii_lowercase();
                let host_path = href
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_start_matches("www.")
                    .trim_start_matches("mobile.")
                    .trim_start_matches("m.");
                [
                    ("twitter.com/", "/status"),
                    ("x.com/", "/status"),
                    ("instagram.com/", "/p/"),
                    ("instagram.com/", "/reel"),
                    ("tiktok.com/", "/video/"),
                    ("bsky.app/", "/post/"),
                    ("threads.net/", "/post/"),
                    ("facebook.com/", "/posts/"),
                    ("facebook.com/", "/videos/"),
                ]
                .iter()
                .any(|(host, path)| host_path.starts_with(host) && host_path.contains(path))
            })
    })
}

/// React 18's streamed suspense boundary content: `<div hidden id="S:N">`
/// (N a number, in hexadecimal).
fn is_streamed_boundary(doc: &Document<'_>, id: NodeId) -> bool {
    doc.attr(id, "id")
        .and_then(|v| v.strip_prefix("S:"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Elements that are never article text, whatever their content.
fn is_never_content(doc: &Document<'_>, id: NodeId, tag: Tag, hints: &ClassHints) -> bool {
    (is_never_content_tag(tag) && !is_figure_of_text(doc, id, tag))
        || hints.hidden
        || is_hidden(doc, id)
}

/// A `<figure>` that wraps a table or a code listing (WordPress puts every
/// table in `<figure class="wp-block-table">`, static-site generators
/// their code in `<figure class="highlight">`) is text, not a photo; its
/// `<figcaption>` still goes.
fn is_figure_of_text(doc: &Document<'_>, id: NodeId, tag: Tag) -> bool {
    tag == Tag::Figure
        && doc
            .descendants(id)
            .any(|d| matches!(doc.tag(d), Some(Tag::Table | Tag::Pre)))
}

/// Elements whose content is never shown as text.
fn is_invisible_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Head
            | Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Svg
            | Tag::Math
            | Tag::Iframe
            | Tag::Object
            | Tag::Embed
            | Tag::Canvas
            | Tag::Select
            | Tag::Button
            | Tag::Input
            | Tag::Textarea
            | Tag::Title
            | Tag::Video
            | Tag::Audio
            | Tag::Meta
            | Tag::Link
    )
}

pub(crate) fn is_never_content_tag(tag: Tag) -> bool {
    is_invisible_tag(tag)
        || matches!(
            tag,
            Tag::Nav
                | Tag::Aside
                | Tag::Footer
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Dialog
                | Tag::Figure
                | Tag::Figcaption
        )
}

pub(crate) fn is_hidden(doc: &Document<'_>, id: NodeId) -> bool {
    for attr in doc.attrs(id) {
        let name = attr.name;
        // React's streamed suspense content (`<div hidden id="S:0">`) is
        // moved into the page by a script: it is the page.
        if name.eq_ignore_ascii_case("hidden") && !is_streamed_boundary(doc, id) {
            return true;
        }
        if name.eq_ignore_ascii_case("style") {
            let style = attr.raw_value.to_ascii_lowercase();
            let compact: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            // A collapsed accordion or tab panel (labelled by its
            // heading) is text the reader opens with a click: it counts.
            let panel = doc.attr(id, "aria-labelledby").is_some();
            if (compact.contains("display:none") || compact.contains("visibility:hidden")) && !panel
            {
                return true;
            }
        }
        if name.eq_ignore_ascii_case("role") {
            let role = attr.raw_value.trim();
            if [
                "navigation",
                "menu",
                "menubar",
                "complementary",
                "alert",
                "alertdialog",
                "dialog",
                "banner",
                "contentinfo",
            ]
            .iter()
            .any(|r| role.eq_ignore_ascii_case(r))
            {
                return true;
            }
        }
    }
    false
}

/// The elements judged to hold the article body, in document order.
pub fn find_body(doc: &Document<'_>, stats: &Stats) -> Vec<NodeId> {
    find_body_explained(doc, stats, None)
}

/// [`find_body`], optionally writing a report of the candidates.
pub fn find_body_explained(
    doc: &Document<'_>,
    stats: &Stats,
    mut report: Option<&mut String>,
) -> Vec<NodeId> {
    let n = doc.nodes.len();
    let mut score = vec![0f32; n];
    let mut is_candidate = vec![false; n];
    let mut candidates: Vec<NodeId> = Vec::new();

    for id in 1..n {
        if stats.excluded[id] {
            continue;
        }
        let Some(tag) = doc.tag(id as NodeId) else {
            continue;
        };
        // Paragraphs: the text of p/pre/blockquote and of cells of text,
        // and text written directly in a div, section or layout cell
        // (between its blocks).
        let (chars, commas) = match tag {
            Tag::P | Tag::Pre | Tag::Blockquote => (stats.text_chars[id], stats.commas[id]),
            // A cell of text votes as a paragraph; a layout cell (blocks
            // inside) is a container: all its commas at once would give its
            // row as much as the article inside it gets.
            Tag::Td if !stats.has_block_descendant[id] => (stats.text_chars[id], stats.commas[id]),
            Tag::Div
            | Tag::Section
            | Tag::Article
            | Tag::Main
            | Tag::Center
            | Tag::Dd
            | Tag::Td => (stats.inline_chars[id], stats.inline_commas[id]),
            _ => continue,
        };
        if chars < 25 {
            continue;
        }
        let content_score = 1.0 + commas as f32 + (chars as f32 / 100.0).floor().min(3.0);
        // Text written between the blocks of a container is that
        // container's own paragraphs: it votes for the container itself.
        let text_between_blocks = tag != Tag::P
            && !matches!(tag, Tag::Pre | Tag::Blockquote)
            && stats.has_block_descendant[id];
        let mut ancestor = if text_between_blocks {
            id as NodeId
        } else {
            doc.node(id as NodeId).parent
        };
        let mut level = 0;
        // The document node is a candidate too: fragments have no <body>.
        while ancestor != NONE && level < 5 {
            let a = ancestor as usize;
            if !is_candidate[a] {
                is_candidate[a] = true;
                score[a] = initial_score(doc.tag(ancestor).unwrap_or(Tag::Other), &stats.hints[a]);
                candidates.push(ancestor);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[a] += content_score / divider;
            ancestor = doc.node(ancestor).parent;
            level += 1;
        }
    }
    for &c in &candidates {
        score[c as usize] *= 1.0 - stats.link_density(c);
    }
    if let Some(out) = report.as_deref_mut() {
        let mut ranked = candidates.clone();
        ranked.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]));
        for &c in ranked.iter().take(12) {
            out.push_str(&format!(
                "candidate {:>7.1} chars {:>6} links {:.2}  {}\n",
                score[c as usize],
                stats.text_chars[c as usize],
                stats.link_density(c),
                describe(doc, c)
            ));
        }
    }
    let Some(mut top) = candidates.iter().copied().max_by(|&a, &b| {
        score[a as usize]
            .total_cmp(&score[b as usize])
            .then(b.cmp(&a))
    }) else {
        // No paragraph anywhere: the page's whole text, for the clean-up
        // to sift.
        let body = doc
            .descendants(ROOT)
            .find(|&id| doc.tag(id) == Some(Tag::Body));
        return vec![body.unwrap_or(ROOT)];
    };

    // Several strong candidates under one ancestor: the article is split
    // into sections and the ancestor holds all of it.
    let top_score = score[top as usize];
    let mut strong: Vec<NodeId> = candidates
        .iter()
        .copied()
        // Separate candidates: the top one's ancestors and descendants
        // score from the same paragraphs.
        .filter(|&c| {
            score[c as usize] >= top_score * 0.75
                && !is_ancestor(doc, c, top)
                && !is_ancestor(doc, top, c)
        })
        .collect();
    strong.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]));
    strong.truncate(5);
    if strong.len() >= 3 {
        let mut ancestor = doc.node(top).parent;
        while ancestor != NONE && doc.tag(ancestor).is_some_and(|t| t != Tag::Body) {
            let containing = strong
                .iter()
                .filter(|&&c| is_ancestor(doc, ancestor, c))
                .count();
            if containing >= 3 {
                top = ancestor;
                break;
            }
            ancestor = doc.node(ancestor).parent;
        }
    }
    if !is_candidate[top as usize] {
        is_candidate[top as usize] = true;
        score[top as usize] = initial_score(
            doc.tag(top).unwrap_or(Tag::Other),
            &stats.hints[top as usize],
        );
    }

    // Walk up while the parent scores better: the top candidate is often a
    // part of the article.
    let mut last_score = score[top as usize];
    // Ancestors scoring under a third of the top candidate end the walk.
    let walk_threshold = last_score / 3.0;
    let mut parent = doc.node(top).parent;
    while parent != NONE && doc.tag(parent).is_some_and(|t| t != Tag::Body) {
        if !is_candidate[parent as usize] {
            parent = doc.node(parent).parent;
            continue;
        }
        let parent_score = score[parent as usize];
        if parent_score < walk_threshold {
            break;
        }
        if parent_score > last_score {
            top = parent;
            break;
        }
        last_score = parent_score;
        parent = doc.node(parent).parent;
    }
    // An only child says nothing its parent does not.
    loop {
        let parent = doc.node(top).parent;
        if parent == NONE || doc.tag(parent).is_none_or(|t| t == Tag::Body) {
            break;
        }
        // Small non-content children (ad slots, share buttons, scripts) do
        // not count: they come and go between fetches.
        let element_children = doc
            .children(parent)
            .filter(|&c| {
                let Some(tag) = doc.tag(c) else { return false };
                let transient = is_never_content_tag(tag) || stats.hints[c as usize].boilerplate;
                !transient || doc.text_content(c).chars().count() >= 50
            })
            .count();
        if element_children != 1 {
            break;
        }
        top = parent;
    }

    top = widen_to_sections(doc, stats, top);

    // Siblings that look like more of the article.
    let top_score = score[top as usize];
    let threshold = (top_score * 0.2).max(10.0);
    let parent = doc.node(top).parent;
    if parent == NONE {
        return vec![top];
    }
    if let Some(out) = report {
        out.push_str(&format!(
            "top {:.1} {}\n",
            score[top as usize],
            describe(doc, top)
        ));
    }
    let top_class = doc.attr(top, "class").unwrap_or("");
    let mut selected = Vec::new();
    for sibling in doc.children(parent) {
        if sibling == top {
            selected.push(sibling);
            continue;
        }
        let s = sibling as usize;
        if stats.excluded[s] || doc.tag(sibling).is_none() {
            continue;
        }
        let mut bonus = 0.0;
        let sibling_class = doc.attr(sibling, "class").unwrap_or("");
        if !top_class.is_empty() && sibling_class == top_class {
            bonus = top_score * 0.2;
        } else if shares_block_kind(top_class, sibling_class) {
            // The same kind of CMS block with other modifiers
            // ("rich-text" and "rich-text w-richtext"): half the bonus.
            bonus = top_score * 0.1;
        }
        if is_candidate[s] && score[s] + bonus >= threshold {
            selected.push(sibling);
            continue;
        }
        // Paragraphs next to the article (a lead in its own wrapper, a
        // one-line paragraph div) are part of it when they read like text.
        if let Some(paragraph) = as_paragraph(doc, stats, sibling) {
            let chars = stats.text_chars[paragraph as usize];
            let density = stats.link_density(paragraph);
            if chars > 80 && density < 0.25 {
                selected.push(sibling);
            } else if chars > 0 && chars <= 80 && density == 0.0 {
                let text = doc.text_content(paragraph);
                if text.ends_with('.') || text.contains(". ") {
                    selected.push(sibling);
                }
            }
        }
    }
    add_distant_sections(doc, stats, &candidates, &score, top, &mut selected);
    selected
}

/// Two class lists that start with the same class, a block kind rather
/// than a layout slot: grid and column classes ("col", "w-col", "row",
/// "span6") say where a block sits, not what it is.
fn shares_block_kind(a: &str, b: &str) -> bool {
    let (Some(first), Some(other)) = (
        a.split_ascii_whitespace().next(),
        b.split_ascii_whitespace().next(),
    ) else {
        return false;
    };
    if first != other {
        return false;
    }
    let lower = first.to_ascii_lowercase();
    const LAYOUT: &[&str] = &[
        "col",
        "row",
        "grid",
        "span",
        "cell",
        "container",
        "wrap",
        "flex",
        "layout",
    ];
    !LAYOUT.iter().any(|l| lower.contains(l))
}

/// Paragraph text (not in links) under each node: `<p>`, headings, list
/// items, preformatted text and quotations.
fn paragraph_chars(doc: &Document<'_>, stats: &Stats) -> Vec<u32> {
    let n = doc.nodes.len();
    let mut para = vec![0u32; n];
    for id in (1..n).rev() {
        if stats.excluded[id] {
            para[id] = 0;
            continue;
        }
        if matches!(
            doc.tag(id as NodeId),
            Some(
                Tag::P
                    | Tag::Pre
                    | Tag::Blockquote
                    | Tag::H2
                    | Tag::H3
                    | Tag::H4
                    | Tag::H5
                    | Tag::H6
                    | Tag::Li
                    | Tag::Dd
            )
        ) {
            para[id] = stats.text_chars[id].saturating_sub(stats.link_chars[id]);
        }
        let parent = doc.nodes[id].parent;
        if parent != NONE {
            para[parent as usize] = para[parent as usize].saturating_add(para[id]);
        }
    }
    para
}

/// Articles split into many sections, each in its own deep stack of
/// wrappers, give no section more than a fraction of the score, and the
/// top candidate is one section. Walks up from it through ancestors that
/// are still made of paragraphs (at least 55% of their text in paragraph
/// elements, at most 30% linked) and takes the highest one that adds
/// markedly more paragraph text (at least 70% as much again, and 200
/// characters: the top candidate is then one part among several — a
/// CMS's body field beside a field of later sections, such as questions
/// and answers, each in its own stack of wrappers),
/// with what it adds at least 70% paragraphs and at most 15% linked.
/// Navigation, link lists, teaser lists and widgets fail those tests, so
/// the walk stops at the article's edge.
fn widen_to_sections(doc: &Document<'_>, stats: &Stats, top: NodeId) -> NodeId {
    const MAX_LEVELS: usize = 8;
    let para = paragraph_chars(doc, stats);
    let mut best = top;
    let mut a = doc.node(top).parent;
    for _ in 0..MAX_LEVELS {
        if a == NONE
            || doc
                .tag(a)
                .is_none_or(|t| matches!(t, Tag::Body | Tag::Html))
        {
            break;
        }
        let i = a as usize;
        if stats.excluded[i]
            || stats.link_density(a) > 0.3
            || (para[i] as f32) < 0.55 * stats.text_chars[i] as f32
        {
            break;
        }
        // What adopting `a` would add: paragraphs, almost free of links
        // (teaser lists have a linked headline over each excerpt).
        let b = best as usize;
        let held = para[b];
        let extra_para = para[i].saturating_sub(held);
        let extra_text = stats.text_chars[i].saturating_sub(stats.text_chars[b]);
        let extra_links = stats.link_chars[i].saturating_sub(stats.link_chars[b]);
        if extra_para >= 200
            && extra_para * 10 >= held * 7
            && extra_links * 100 <= extra_text * 15
            && extra_para * 10 >= extra_text * 7
        {
            best = a;
        }
        a = doc.node(a).parent;
    }
    best
}

/// Articles broken into sections by wide figures or pull quotes put their
/// parts in separate containers a few levels apart: adds the strong,
/// link-free candidates that share a near ancestor with the top one.
fn add_distant_sections(
    doc: &Document<'_>,
    stats: &Stats,
    candidates: &[NodeId],
    score: &[f32],
    top: NodeId,
    selected: &mut Vec<NodeId>,
) {
    const MAX_LEVELS_UP: usize = 4;
    const MAX_EXTRA_SECTIONS: usize = 8;
    let top_score = score[top as usize];
    let mut top_ancestors = Vec::new();
    let mut a = doc.node(top).parent;
    while a != NONE && top_ancestors.len() < MAX_LEVELS_UP {
        if doc.tag(a).is_none_or(|t| t == Tag::Body) {
            break;
        }
        top_ancestors.push(a);
        a = doc.node(a).parent;
    }
    let Some(&scope) = top_ancestors.last() else {
        return;
    };
    let mut extra: Vec<NodeId> = candidates
        .iter()
        .copied()
        .filter(|&c| {
            stats.text_chars[c as usize] >= 500
                && score[c as usize] >= top_score * 0.3
                && stats.link_density(c) < 0.2
                && is_ancestor(doc, scope, c)
                && !is_ancestor(doc, c, top)
                && !is_ancestor(doc, top, c)
                && !selected
                    .iter()
                    .any(|&s| is_ancestor(doc, s, c) || is_ancestor(doc, c, s))
        })
        .collect();
    // The strongest few only: bounds the work on pages made of hundreds
    // of similar sections.
    extra.sort_by(|&a, &b| {
        score[b as usize]
            .total_cmp(&score[a as usize])
            .then(a.cmp(&b))
    });
    extra.truncate(MAX_EXTRA_SECTIONS);
    // Keep the outermost of nested extras.
    extra.sort_unstable();
    let mut kept: Vec<NodeId> = Vec::new();
    for c in extra {
        if !kept
            .iter()
            .any(|&k| is_ancestor(doc, k, c) || is_ancestor(doc, c, k))
        {
            kept.push(c);
        } else if let Some(slot) = kept.iter_mut().find(|k| is_ancestor(doc, c, **k)) {
            *slot = c;
        }
    }
    if kept.is_empty() {
        return;
    }
    selected.extend(kept);
    // Document order: node ids are assigned in document order.
    selected.sort_unstable();
}

/// The paragraph `id` amounts to: itself if it is a `<p>` or holds no
/// blocks, or the one paragraph inside its chain of single-child wrappers.
fn as_paragraph(doc: &Document<'_>, stats: &Stats, mut id: NodeId) -> Option<NodeId> {
    for _ in 0..8 {
        if stats.excluded[id as usize] {
            return None;
        }
        let tag = doc.tag(id)?;
        let plain_block = matches!(tag, Tag::Div | Tag::Section | Tag::Center | Tag::Blockquote);
        if tag == Tag::P || (plain_block && !stats.has_block_descendant[id as usize]) {
            return Some(id);
        }
        let mut content_children = doc
            .children(id)
            .filter(|&c| !stats.excluded[c as usize] && stats.text_chars[c as usize] > 0);
        let only = content_children.next()?;
        if content_children.next().is_some()
            || stats.text_chars[only as usize] != stats.text_chars[id as usize]
        {
            return None;
        }
        id = only;
    }
    None
}

fn initial_score(tag: Tag, hints: &ClassHints) -> f32 {
    let by_tag = match tag {
        Tag::Div | Tag::Article | Tag::Section | Tag::Main => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::Ol | Tag::Ul | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => {
            -3.0
        }
        Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6 | Tag::Th => -5.0,
        _ => 0.0,
    };
    by_tag + hints.weight
}

fn is_ancestor(doc: &Document<'_>, ancestor: NodeId, mut node: NodeId) -> bool {
    while node != NONE {
        if node == ancestor {
            return true;
        }
        node = doc.node(node).parent;
    }
    false
}

/// `tag.class#id` path of an element, for reports.
pub fn describe(doc: &Document<'_>, id: NodeId) -> String {
    let mut parts = Vec::new();
    let mut n = id;
    while n != NONE && n != ROOT && parts.len() < 12 {
        let mut part = doc.element_name(n).unwrap_or("#text").to_string();
        if let Some(class) = doc.attr(n, "class") {
            part.push('.');
            part.push_str(&class.split_ascii_whitespace().collect::<Vec<_>>().join("."));
        }
        if let Some(ident) = doc.attr(n, "id") {
            part.push('#');
            part.push_str(ident);
        }
        parts.push(part);
        n = doc.node(n).parent;
    }
    parts.reverse();
    format!("[{id}] {}", parts.join(" > "))
}

#[cfg(test)]
mod tests {
    use super::is_clock_time;

    #[test]
    fn clock_times() {
        for time in [
            "9:41",
            "09:56 Traffic",
            "21:05",
            "10:30:00",
            "9.41pm",
            "9.41 a.m. x",
        ] {
            assert!(is_clock_time(time), "{time}");
        }
        for not in [
            "3.25 per cent",
            "24:00",
            "9:61",
            "12:1",
            "123:45",
            "2019",
            "Live",
            "9.41",
        ] {
            assert!(!is_clock_time(not), "{not}");
        }
    }
}
