//! Generic body detection: which part of a page is the article. A
//! readability-class scorer: paragraphs vote for their ancestors with their
//! length and punctuation, class/id names and link density weigh the
//! candidates, and the best candidate's siblings that look like more of the
//! same are kept. No per-site code.

use crate::dom::{Document, NONE, NodeData, NodeId, ROOT, Tag};
use crate::hints::{ClassHints, class_hints};
use crate::text::count_commas;

/// Per-node facts computed once per page, indexed by [`NodeId`].
pub struct Stats {
    /// The node is not content at all (script, navigation, hidden, ...).
    pub excluded: Vec<bool>,
    /// Visible characters of text under the node (whitespace excluded).
    pub text_chars: Vec<u32>,
    /// Of those, characters inside links.
    pub link_chars: Vec<u32>,
    pub commas: Vec<u32>,
    /// The node has a block-level element below it.
    pub has_block_descendant: Vec<bool>,
    /// Class/id hints, computed once per element.
    pub hints: Vec<ClassHints>,
}

impl Stats {
    pub fn compute(doc: &Document<'_>) -> Stats {
        let n = doc.nodes.len();
        let mut excluded = vec![false; n];
        let mut hints = vec![ClassHints::default(); n];
        for id in 1..n {
            let node = &doc.nodes[id];
            if node.parent == NONE {
                // Detached.
                excluded[id] = true;
                continue;
            }
            if excluded[node.parent as usize] {
                excluded[id] = true;
                continue;
            }
            if let NodeData::Element { tag, .. } = node.data {
                hints[id] = class_hints(doc, id as NodeId);
                excluded[id] = is_never_content(doc, id as NodeId, tag, &hints[id]);
            }
        }
        let mut text_chars = vec![0u32; n];
        let mut link_chars = vec![0u32; n];
        let mut commas = vec![0u32; n];
        let mut has_block_descendant = vec![false; n];
        for id in (1..n).rev() {
            if excluded[id] {
                continue;
            }
            let node = &doc.nodes[id];
            match node.data {
                NodeData::Text { text, .. } => {
                    text_chars[id] = text.chars().filter(|c| !c.is_whitespace()).count() as u32;
                    commas[id] = count_commas(text) as u32;
                }
                NodeData::Element { tag, .. } => {
                    if tag == Tag::A {
                        link_chars[id] = text_chars[id];
                    }
                }
                NodeData::Document => {}
            }
            let parent = node.parent as usize;
            text_chars[parent] += text_chars[id];
            link_chars[parent] += link_chars[id];
            commas[parent] += commas[id];
            if let NodeData::Element { tag, .. } = node.data
                && (has_block_descendant[id] || is_paragraph_container(tag))
            {
                has_block_descendant[parent] = true;
            }
        }
        Stats {
            excluded,
            text_chars,
            link_chars,
            commas,
            has_block_descendant,
            hints,
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

/// Elements that are never article text, whatever their content.
fn is_never_content(doc: &Document<'_>, id: NodeId, tag: Tag, hints: &ClassHints) -> bool {
    let by_tag = matches!(
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
            | Tag::Nav
            | Tag::Aside
            | Tag::Footer
            | Tag::Title
            | Tag::Video
            | Tag::Audio
            | Tag::Noembed
            | Tag::Noframes
            | Tag::Dialog
            | Tag::Meta
            | Tag::Link
    );
    by_tag || hints.hidden || hints.unlikely || is_hidden(doc, id)
}

fn is_hidden(doc: &Document<'_>, id: NodeId) -> bool {
    for attr in doc.attrs(id) {
        let name = attr.name;
        if name.eq_ignore_ascii_case("hidden") {
            return true;
        }
        if name.eq_ignore_ascii_case("style") {
            let style = attr.raw_value.to_ascii_lowercase();
            let compact: String = style.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("display:none") || compact.contains("visibility:hidden") {
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
        let is_paragraph = match tag {
            Tag::P | Tag::Pre | Tag::Td | Tag::Blockquote => true,
            Tag::Div | Tag::Section | Tag::Article | Tag::Li | Tag::Dd => {
                !stats.has_block_descendant[id]
            }
            _ => false,
        };
        if !is_paragraph {
            continue;
        }
        let chars = stats.text_chars[id];
        if chars < 25 {
            continue;
        }
        let content_score = 1.0 + stats.commas[id] as f32 + (chars as f32 / 100.0).floor().min(3.0);
        let mut ancestor = doc.node(id as NodeId).parent;
        let mut level = 0;
        while ancestor != NONE && ancestor != ROOT && level < 5 {
            if doc.tag(ancestor).is_none() {
                break;
            }
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
    let Some(mut top) = candidates.iter().copied().max_by(|&a, &b| {
        score[a as usize]
            .total_cmp(&score[b as usize])
            .then(b.cmp(&a))
    }) else {
        return Vec::new();
    };

    // Several strong candidates under one ancestor: the article is split
    // into sections and the ancestor holds all of it.
    let top_score = score[top as usize];
    let mut strong: Vec<NodeId> = candidates
        .iter()
        .copied()
        .filter(|&c| c != top && score[c as usize] >= top_score * 0.75)
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
    let mut parent = doc.node(top).parent;
    while parent != NONE && doc.tag(parent).is_some_and(|t| t != Tag::Body) {
        if !is_candidate[parent as usize] {
            parent = doc.node(parent).parent;
            continue;
        }
        let parent_score = score[parent as usize];
        if parent_score < last_score / 3.0 {
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
        let element_children = doc
            .children(parent)
            .filter(|&c| doc.tag(c).is_some())
            .count();
        if element_children != 1 {
            break;
        }
        top = parent;
    }

    // Siblings that look like more of the article.
    let top_score = score[top as usize];
    let threshold = (top_score * 0.2).max(10.0);
    let parent = doc.node(top).parent;
    if parent == NONE {
        return vec![top];
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
        if !top_class.is_empty() && doc.attr(sibling, "class") == Some(top_class) {
            bonus = top_score * 0.2;
        }
        if is_candidate[s] && score[s] + bonus >= threshold {
            selected.push(sibling);
            continue;
        }
        if doc.tag(sibling) == Some(Tag::P) {
            let chars = stats.text_chars[s];
            let density = stats.link_density(sibling);
            if chars > 80 && density < 0.25 {
                selected.push(sibling);
            } else if chars > 0 && chars <= 80 && density == 0.0 {
                let text = doc.text_content(sibling);
                if text.ends_with('.') || text.contains(". ") {
                    selected.push(sibling);
                }
            }
        }
    }
    selected
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
