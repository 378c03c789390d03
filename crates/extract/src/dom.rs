//! The document tree: an arena of nodes borrowing their names, attribute
//! values and text from the page source, plus the tag vocabulary the parser
//! and the extractor reason about. Nothing here recurses, so any depth of
//! tree is safe to walk.

use std::borrow::Cow;

use crate::entities::decode_entities;

/// Index of a node in [`Document::nodes`].
pub type NodeId = u32;
/// "No node" in the tree links.
pub const NONE: NodeId = u32::MAX;
/// The document node, the root of every tree.
pub const ROOT: NodeId = 0;

macro_rules! tags {
    ($($variant:ident = $name:literal,)*) => {
        /// The HTML elements the parser and extractor know by name; all
        /// others are [`Tag::Other`] and keep their name in the node.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tag { $($variant,)* Other }

        impl Tag {
            /// The tag for an element name, ASCII case-insensitively.
            pub fn from_name(name: &str) -> Tag {
                let bytes = name.as_bytes();
                if bytes.len() > 12 {
                    return Tag::Other;
                }
                let mut buf = [0u8; 12];
                for (slot, b) in buf.iter_mut().zip(bytes) {
                    *slot = b.to_ascii_lowercase();
                }
                match &buf[..bytes.len()] {
                    $(n if n == $name.as_bytes() => Tag::$variant,)*
                    _ => Tag::Other,
                }
            }

            /// The lower-case name of a known tag (`""` for [`Tag::Other`]).
            pub fn name(self) -> &'static str {
                match self { $(Tag::$variant => $name,)* Tag::Other => "" }
            }
        }
    };
}

tags! {
    Html = "html", Head = "head", Body = "body", Title = "title", Meta = "meta",
    Link = "link", Base = "base", Script = "script", Style = "style",
    Noscript = "noscript", Template = "template", Textarea = "textarea",
    Xmp = "xmp", Iframe = "iframe", Noembed = "noembed", Noframes = "noframes",
    Plaintext = "plaintext", Svg = "svg", Math = "math", P = "p", Div = "div",
    Span = "span", A = "a", B = "b", I = "i", Em = "em", Strong = "strong",
    U = "u", S = "s", Small = "small", Sub = "sub", Sup = "sup", Mark = "mark",
    Q = "q", Cite = "cite", Abbr = "abbr", Code = "code", Time = "time",
    Font = "font", Br = "br", Wbr = "wbr", Hr = "hr", Img = "img",
    Picture = "picture", Source = "source", Video = "video", Audio = "audio",
    Canvas = "canvas", Embed = "embed", Object = "object", Param = "param",
    Input = "input", Button = "button", Select = "select", Option = "option",
    Optgroup = "optgroup", Form = "form", Label = "label",
    Fieldset = "fieldset", Legend = "legend", H1 = "h1", H2 = "h2", H3 = "h3",
    H4 = "h4", H5 = "h5", H6 = "h6", Ul = "ul", Ol = "ol", Li = "li", Dl = "dl",
    Dt = "dt", Dd = "dd", Menu = "menu", Dir = "dir", Table = "table",
    Caption = "caption", Thead = "thead", Tbody = "tbody", Tfoot = "tfoot",
    Tr = "tr", Td = "td", Th = "th", Col = "col", Colgroup = "colgroup",
    Blockquote = "blockquote", Pre = "pre", Listing = "listing",
    Address = "address", Article = "article", Aside = "aside",
    Section = "section", Nav = "nav", Header = "header", Footer = "footer",
    Main = "main", Figure = "figure", Figcaption = "figcaption",
    Details = "details", Summary = "summary", Dialog = "dialog",
    Center = "center", Hgroup = "hgroup", Area = "area", Map = "map",
    Track = "track", Keygen = "keygen", Applet = "applet", Marquee = "marquee",
    Frameset = "frameset", Frame = "frame", Nobr = "nobr", Tt = "tt",
    Big = "big", Strike = "strike", Ins = "ins", Del = "del", Dfn = "dfn",
    Kbd = "kbd", Samp = "samp", Var = "var", Bdi = "bdi", Bdo = "bdo",
    Ruby = "ruby", Rt = "rt", Rp = "rp", Data = "data", Output = "output",
    Progress = "progress", Meter = "meter", Image = "image",
}

impl Tag {
    /// Elements that never have content (no end tag).
    pub fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Keygen
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
                | Tag::Frame
                | Tag::Image
        )
    }

    /// Elements whose content is raw text up to their end tag.
    pub fn is_raw_text(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Textarea
                | Tag::Title
                | Tag::Xmp
                | Tag::Iframe
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Noscript
                | Tag::Plaintext
        )
    }

    /// Elements whose start tag closes an open `<p>` (HTML5 tree building).
    pub fn closes_p(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Center
                | Tag::Details
                | Tag::Dialog
                | Tag::Dir
                | Tag::Div
                | Tag::Dl
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Header
                | Tag::Hgroup
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Section
                | Tag::Summary
                | Tag::Ul
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Pre
                | Tag::Listing
                | Tag::Form
                | Tag::Table
                | Tag::Hr
                | Tag::Xmp
                | Tag::Plaintext
                | Tag::Li
                | Tag::Dd
                | Tag::Dt
        )
    }

    /// The HTML5 "special" category: an end tag of an ordinary (inline)
    /// element never closes one of these.
    pub fn is_special(self) -> bool {
        self.closes_p()
            || matches!(
                self,
                Tag::Applet
                    | Tag::Area
                    | Tag::Base
                    | Tag::Body
                    | Tag::Br
                    | Tag::Button
                    | Tag::Caption
                    | Tag::Col
                    | Tag::Colgroup
                    | Tag::Embed
                    | Tag::Frame
                    | Tag::Frameset
                    | Tag::Head
                    | Tag::Html
                    | Tag::Iframe
                    | Tag::Img
                    | Tag::Input
                    | Tag::Link
                    | Tag::Marquee
                    | Tag::Meta
                    | Tag::Noembed
                    | Tag::Noframes
                    | Tag::Noscript
                    | Tag::Object
                    | Tag::Param
                    | Tag::Script
                    | Tag::Select
                    | Tag::Source
                    | Tag::Style
                    | Tag::Table
                    | Tag::Tbody
                    | Tag::Td
                    | Tag::Template
                    | Tag::Textarea
                    | Tag::Tfoot
                    | Tag::Th
                    | Tag::Thead
                    | Tag::Title
                    | Tag::Tr
                    | Tag::Track
                    | Tag::Wbr
            )
    }

    /// Elements that are laid out as blocks: their boundaries separate
    /// paragraphs of text.
    pub fn is_block(self) -> bool {
        self.closes_p()
            || matches!(
                self,
                Tag::Html
                    | Tag::Body
                    | Tag::Br
                    | Tag::Table
                    | Tag::Caption
                    | Tag::Thead
                    | Tag::Tbody
                    | Tag::Tfoot
                    | Tag::Tr
                    | Tag::Td
                    | Tag::Th
                    | Tag::Legend
                    | Tag::Option
                    | Tag::Select
                    | Tag::Textarea
                    | Tag::Video
                    | Tag::Audio
                    | Tag::Iframe
                    | Tag::Canvas
                    | Tag::Object
                    | Tag::Embed
                    | Tag::Noscript
                    | Tag::Frameset
                    | Tag::Frame
            )
    }

    pub fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }
}

/// One attribute, as written: the value still has its entities.
#[derive(Debug, Clone, Copy)]
pub struct Attr<'a> {
    pub name: &'a str,
    pub raw_value: &'a str,
}

impl<'a> Attr<'a> {
    /// The value with character references decoded.
    pub fn value(&self) -> Cow<'a, str> {
        decode_entities(self.raw_value)
    }
}

#[derive(Debug, Clone)]
pub enum NodeData<'a> {
    Document,
    Element {
        tag: Tag,
        /// The name as written (use [`Tag`] unless the tag is `Other`).
        name: &'a str,
        /// Range into [`Document::attrs`].
        attrs_start: u32,
        attrs_end: u32,
    },
    /// Text as written in the source; `raw` text (script, CDATA) has no
    /// character references to decode.
    Text {
        text: &'a str,
        raw: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub prev_sibling: NodeId,
    pub next_sibling: NodeId,
    pub data: NodeData<'a>,
}

/// A parsed page: node 0 is the document; text and attribute values borrow
/// from the source.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub nodes: Vec<Node<'a>>,
    pub attrs: Vec<Attr<'a>>,
}

impl<'a> Document<'a> {
    pub fn new() -> Self {
        Document {
            nodes: vec![Node {
                parent: NONE,
                first_child: NONE,
                last_child: NONE,
                prev_sibling: NONE,
                next_sibling: NONE,
                data: NodeData::Document,
            }],
            attrs: Vec::new(),
        }
    }

    /// Adds `data` as the last child of `parent`.
    pub fn append(&mut self, parent: NodeId, data: NodeData<'a>) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let prev = self.nodes[parent as usize].last_child;
        self.nodes.push(Node {
            parent,
            first_child: NONE,
            last_child: NONE,
            prev_sibling: prev,
            next_sibling: NONE,
            data,
        });
        if prev == NONE {
            self.nodes[parent as usize].first_child = id;
        } else {
            self.nodes[prev as usize].next_sibling = id;
        }
        self.nodes[parent as usize].last_child = id;
        id
    }

    /// Unlinks `id` (and so its subtree) from the tree.
    pub fn detach(&mut self, id: NodeId) {
        let Node {
            parent,
            prev_sibling: prev,
            next_sibling: next,
            ..
        } = self.nodes[id as usize];
        if parent == NONE {
            return;
        }
        if prev == NONE {
            self.nodes[parent as usize].first_child = next;
        } else {
            self.nodes[prev as usize].next_sibling = next;
        }
        if next == NONE {
            self.nodes[parent as usize].last_child = prev;
        } else {
            self.nodes[next as usize].prev_sibling = prev;
        }
        let node = &mut self.nodes[id as usize];
        node.parent = NONE;
        node.prev_sibling = NONE;
        node.next_sibling = NONE;
    }

    /// Links the detached node `id` in just before `reference`.
    fn insert_before(&mut self, id: NodeId, reference: NodeId) {
        let parent = self.nodes[reference as usize].parent;
        let prev = self.nodes[reference as usize].prev_sibling;
        {
            let node = &mut self.nodes[id as usize];
            node.parent = parent;
            node.prev_sibling = prev;
            node.next_sibling = reference;
        }
        self.nodes[reference as usize].prev_sibling = id;
        if prev == NONE {
            self.nodes[parent as usize].first_child = id;
        } else {
            self.nodes[prev as usize].next_sibling = id;
        }
    }

    /// Puts React's streamed content where it belongs. A server rendering
    /// with streaming sends a placeholder `<template id="B:1">` (or
    /// `P:1`) where a part of the page goes and the part itself later, at
    /// the end of the document, in `<div hidden id="S:1">`, for a script
    /// to move into place. Moving it here gives the page in reading order,
    /// as a browser shows it, instead of an article scattered in hidden
    /// pieces after the footer. A part is moved only if it was written
    /// after the placeholder's parent (node ids stay larger than their
    /// parents', which the scorer's one-pass sums rely on).
    pub fn place_streamed_segments(&mut self) {
        let key = |v: &str, prefix: &str| -> Option<String> {
            v.strip_prefix(prefix)
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(str::to_ascii_lowercase)
        };
        let mut placeholders: std::collections::HashMap<String, NodeId> =
            std::collections::HashMap::new();
        let mut segments: Vec<(String, NodeId)> = Vec::new();
        for id in 1..self.nodes.len() as NodeId {
            if self.tag(id) == Some(Tag::Template)
                && let Some(k) = self
                    .attr(id, "id")
                    .and_then(|v| key(v, "B:").or_else(|| key(v, "P:")))
            {
                placeholders.entry(k).or_insert(id);
            }
        }
        if placeholders.is_empty() {
            return;
        }
        for id in 1..self.nodes.len() as NodeId {
            if self.tag(id) == Some(Tag::Div)
                && let Some(k) = self.attr(id, "id").and_then(|v| key(v, "S:"))
                && self.attr(id, "hidden").is_some()
            {
                segments.push((k, id));
            }
        }
        for (k, segment) in segments {
            let Some(&placeholder) = placeholders.get(&k) else {
                continue;
            };
            let target_parent = self.nodes[placeholder as usize].parent;
            if target_parent == NONE
                || target_parent >= segment
                || self.nodes[segment as usize].parent == NONE
            {
                continue;
            }
            // Not into itself: the placeholder must not be inside the part.
            let mut a = target_parent;
            let mut inside = false;
            while a != NONE {
                if a == segment {
                    inside = true;
                    break;
                }
                a = self.nodes[a as usize].parent;
            }
            if inside {
                continue;
            }
            let mut child = self.nodes[segment as usize].first_child;
            while child != NONE {
                let next = self.nodes[child as usize].next_sibling;
                self.detach(child);
                self.insert_before(child, placeholder);
                child = next;
            }
            self.detach(placeholder);
            self.detach(segment);
        }
    }

    pub fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id as usize]
    }

    /// The tag of an element, `None` for text and the document.
    pub fn tag(&self, id: NodeId) -> Option<Tag> {
        match self.nodes[id as usize].data {
            NodeData::Element { tag, .. } => Some(tag),
            _ => None,
        }
    }

    /// The lower-case-insensitive element name as written (`None` if not an
    /// element).
    pub fn element_name(&self, id: NodeId) -> Option<&'a str> {
        match self.nodes[id as usize].data {
            NodeData::Element { tag, name, .. } => {
                Some(if tag == Tag::Other { name } else { tag.name() })
            }
            _ => None,
        }
    }

    pub fn attrs(&self, id: NodeId) -> &[Attr<'a>] {
        match self.nodes[id as usize].data {
            NodeData::Element {
                attrs_start,
                attrs_end,
                ..
            } => &self.attrs[attrs_start as usize..attrs_end as usize],
            _ => &[],
        }
    }

    /// The raw (entity-encoded) value of attribute `name` (lower case).
    pub fn attr(&self, id: NodeId, name: &str) -> Option<&'a str> {
        self.attrs(id)
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map(|a| a.raw_value)
    }

    /// Iterates the children of `id`.
    pub fn children(&self, id: NodeId) -> Children<'_, 'a> {
        Children {
            doc: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Iterates the subtree under `id` in document order (not `id` itself),
    /// without recursion.
    pub fn descendants(&self, id: NodeId) -> Descendants<'_, 'a> {
        Descendants {
            doc: self,
            root: id,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// The next node in document order after the subtree of `id`, staying
    /// within `root`.
    pub fn next_skipping_children(&self, mut id: NodeId, root: NodeId) -> NodeId {
        loop {
            if id == root {
                return NONE;
            }
            let node = &self.nodes[id as usize];
            if node.next_sibling != NONE {
                return node.next_sibling;
            }
            id = node.parent;
            if id == NONE {
                return NONE;
            }
        }
    }

    /// The next node in document order within `root`.
    pub fn next_in(&self, id: NodeId, root: NodeId) -> NodeId {
        let first = self.nodes[id as usize].first_child;
        if first != NONE {
            first
        } else {
            self.next_skipping_children(id, root)
        }
    }

    /// The first element with `tag` in document order.
    #[cfg(test)]
    pub fn find_tag(&self, tag: Tag) -> Option<NodeId> {
        self.descendants(ROOT).find(|&n| self.tag(n) == Some(tag))
    }

    /// Decoded text of the subtree, whitespace collapsed, with a space
    /// where a block element (or `<br>`) begins or ends.
    pub fn text_content(&self, id: NodeId) -> String {
        let mut out = String::new();
        if let NodeData::Text { text, raw } = self.nodes[id as usize].data {
            push_collapsed(&mut out, text, raw);
        }
        let separate = |out: &mut String, node: NodeId| {
            if self.tag(node).is_some_and(Tag::is_block) && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        };
        crate::text::walk(self, id, |event| {
            match event {
                crate::text::Event::Enter(node) | crate::text::Event::Exit(node) => {
                    separate(&mut out, node)
                }
                crate::text::Event::Text(node) => {
                    if let NodeData::Text { text, raw } = self.nodes[node as usize].data {
                        push_collapsed(&mut out, text, raw);
                    }
                }
            }
            true
        });
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

impl Default for Document<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// Appends `text` (decoding references unless `raw`) with runs of
/// whitespace collapsed to one space and no leading space on an empty or
/// space-terminated buffer. Returns the number of characters appended.
pub fn push_collapsed(out: &mut String, text: &str, raw: bool) -> usize {
    let decoded = if raw {
        Cow::Borrowed(text)
    } else {
        decode_entities(text)
    };
    let mut appended = 0;
    let mut pending_space = false;
    for c in decoded.chars() {
        if is_invisible(c) {
            continue;
        }
        if is_collapsible_space(c) {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
                appended += 1;
            }
            pending_space = false;
            out.push(c);
            appended += 1;
        }
    }
    if pending_space && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
        appended += 1;
    }
    appended
}

/// Whitespace that collapses in rendered text (no-break space included).
pub fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace()
}

/// Characters that render as nothing: zero-width space and joiners, byte
/// order marks, soft hyphens. Dropped, never turned into a space, because
/// pages put them inside words.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'
    )
}

pub struct Children<'d, 'a> {
    doc: &'d Document<'a>,
    next: NodeId,
}

impl Iterator for Children<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.doc.nodes[id as usize].next_sibling;
        Some(id)
    }
}

pub struct Descendants<'d, 'a> {
    doc: &'d Document<'a>,
    root: NodeId,
    next: NodeId,
}

impl Iterator for Descendants<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.doc.next_in(id, self.root);
        Some(id)
    }
}
