//! Turning a subtree into paragraphs of plain text: block boundaries split
//! paragraphs, inline elements join without adding or losing spaces,
//! references are decoded and whitespace collapsed; rows of value cells
//! are one paragraph. Also the comma count the scorer uses.

use crate::dom::{Document, NONE, NodeData, NodeId, Tag, push_collapsed};

/// One paragraph of extracted text with the facts the clean-up needs.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub text: String,
    /// Characters of the text that were inside links.
    pub link_chars: usize,
    /// The text is (or is in) a heading, not inside a list item.
    pub heading: bool,
}

/// A walk event: entering an element (return whether to descend), leaving
/// it, or a text node.
pub enum Event {
    Enter(NodeId),
    Exit(NodeId),
    Text(NodeId),
}

/// A link in a heading that points into the page (`<h2><a
/// href="#costs">Costs</a></h2>`): the heading's permalink, which renderers
/// of Markdown, documentation sites and many blogs wrap around every
/// subhead. It is not a link away from the text, so its words are not
/// link text (a table of contents, a list of such links, still is).
pub fn is_heading_permalink(doc: &Document<'_>, id: NodeId, in_heading: bool) -> bool {
    in_heading
        && doc.tag(id) == Some(Tag::A)
        && doc
            .attr(id, "href")
            .is_some_and(|href| href.trim_start().starts_with('#'))
}

/// Walks the subtree under `root` (not `root` itself) without recursion.
/// `visit` returns `false` on [`Event::Enter`] to skip an element's
/// children (its `Exit` still follows).
pub fn walk(doc: &Document<'_>, root: NodeId, mut visit: impl FnMut(Event) -> bool) {
    let mut id = doc.node(root).first_child;
    while id != NONE {
        let node = doc.node(id);
        let descend = match node.data {
            NodeData::Text { .. } => {
                visit(Event::Text(id));
                false
            }
            _ => visit(Event::Enter(id)) && node.first_child != NONE,
        };
        if descend {
            id = node.first_child;
            continue;
        }
        if matches!(node.data, NodeData::Element { .. }) {
            visit(Event::Exit(id));
        }
        // Advance: next sibling, else leave parents until one has a sibling.
        loop {
            let n = doc.node(id);
            if n.next_sibling != NONE {
                id = n.next_sibling;
                break;
            }
            id = n.parent;
            if id == root || id == NONE {
                return;
            }
            visit(Event::Exit(id));
        }
    }
}

/// Collects the paragraphs under `root`; `keep(id)` decides, for each
/// element, whether it and its subtree are part of the text.
pub fn blocks(
    doc: &Document<'_>,
    root: NodeId,
    mut keep: impl FnMut(NodeId) -> bool,
) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current = Block::default();
    let mut link_depth = 0usize;
    let mut heading_depth = 0usize;
    let mut item_depth = 0usize;
    // The element whose subtree `keep` refused (its Exit still comes).
    let mut skipped: Option<NodeId> = None;
    // Table cells are words of their row, not paragraphs of their own.
    let separate = |current: &mut Block| {
        if !current.text.is_empty() && !current.text.ends_with(' ') {
            current.text.push(' ');
        }
    };
    let flush = |current: &mut Block, out: &mut Vec<Block>| {
        let trimmed = current.text.trim_end().len();
        current.text.truncate(trimmed);
        if !current.text.is_empty() {
            let link_chars = current.link_chars.min(current.text.chars().count());
            out.push(Block {
                text: std::mem::take(&mut current.text),
                link_chars,
                heading: current.heading,
            });
        }
        current.text.clear();
        current.link_chars = 0;
        current.heading = false;
    };
    walk(doc, root, |event| match event {
        Event::Enter(id) => {
            let tag = doc.tag(id).unwrap_or(Tag::Other);
            if !keep(id) {
                // A dropped block still separates the text around it.
                if tag.is_block() {
                    flush(&mut current, &mut out);
                }
                skipped = Some(id);
                return false;
            }
            if tag.is_heading() {
                heading_depth += 1;
            } else if tag == Tag::Li {
                item_depth += 1;
            }
            if is_data_cell(doc, id, tag) {
                separate(&mut current);
            } else if tag.is_block() {
                flush(&mut current, &mut out);
            } else if tag == Tag::A && !is_heading_permalink(doc, id, heading_depth > 0) {
                link_depth += 1;
            }
            true
        }
        Event::Exit(id) => {
            if skipped == Some(id) {
                skipped = None;
                return true;
            }
            let tag = doc.tag(id).unwrap_or(Tag::Other);
            if is_data_cell(doc, id, tag) {
                separate(&mut current);
            } else if tag.is_block() {
                flush(&mut current, &mut out);
            } else if tag == Tag::A && !is_heading_permalink(doc, id, heading_depth > 0) {
                link_depth = link_depth.saturating_sub(1);
            }
            if tag.is_heading() {
                heading_depth = heading_depth.saturating_sub(1);
            } else if tag == Tag::Li {
                item_depth = item_depth.saturating_sub(1);
            }
            true
        }
        Event::Text(id) => {
            if let NodeData::Text { text, raw } = doc.node(id).data {
                let appended = push_collapsed(&mut current.text, text, raw);
                if link_depth > 0 {
                    current.link_chars += appended;
                }
                if heading_depth > 0 && item_depth == 0 && appended > 0 {
                    current.heading = true;
                }
            }
            true
        }
    });
    flush(&mut current, &mut out);
    out
}

/// A table cell holding a value (short text, no blocks) rather than a
/// piece of page layout. Looks at no more of the cell than it needs to.
fn is_data_cell(doc: &Document<'_>, id: NodeId, tag: Tag) -> bool {
    const MAX_CELL_TEXT: usize = 150;
    if !matches!(tag, Tag::Td | Tag::Th) {
        return false;
    }
    let mut text = 0;
    for node in doc.descendants(id) {
        match doc.node(node).data {
            NodeData::Text { text: t, .. } => {
                text += t.trim().len();
                if text > MAX_CELL_TEXT {
                    return false;
                }
            }
            NodeData::Element { tag, .. } if tag.is_block() => return false,
            _ => {}
        }
    }
    true
}

/// A comma of any script: Latin, full-width, ideographic, Arabic.
pub fn is_comma(c: char) -> bool {
    matches!(c, ',' | '，' | '、' | '،')
}
