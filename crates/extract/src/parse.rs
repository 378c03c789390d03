//! A tolerant HTML parser: a single-pass tokenizer and a simplified HTML5
//! tree builder (implied end tags for p/li/dd/dt/td/th/tr/option, void
//! elements, raw-text elements, end tags that cannot close across block
//! boundaries) producing a [`Document`] arena that borrows from the source.
//!
//! It is not a full HTML5 parser (no adoption agency, no foster parenting),
//! which article text does not need; it is linear in the input, never
//! recurses, and caps tree depth like browsers do, so no input can make it
//! panic, loop or overflow the stack.

use crate::dom::{Attr, Document, NodeData, NodeId, ROOT, Tag};

/// Deeper elements are attached as siblings at this depth (Blink caps the
/// tree at 512 too). Bounds every stack search, so parsing stays linear.
pub const MAX_DEPTH: usize = 512;

/// Parses `html` into a document tree.
pub fn parse(html: &str) -> Document<'_> {
    let mut builder = TreeBuilder {
        doc: Document::new(),
        stack: vec![(ROOT, Tag::Other)],
        foreign_depth: 0,
        html: None,
        head: None,
        body: None,
        open_counts: [0; TAG_COUNT],
    };
    builder.doc.nodes.reserve(html.len() / 40);
    builder.doc.attrs.reserve(html.len() / 60);
    tokenize(html, &mut builder);
    builder.doc.place_streamed_segments();
    builder.doc
}

/// What the tokenizer produces.
enum Token<'a> {
    Text(&'a str),
    /// Raw text (contents of script/style/etc. or CDATA): no references.
    RawText(&'a str),
    End(&'a str),
}

fn tokenize<'a>(html: &'a str, builder: &mut TreeBuilder<'a>) {
    let bytes = html.as_bytes();
    let mut pos = 0;
    let mut attrs_buf: Vec<Attr<'a>> = Vec::new();
    while pos < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[pos..]).map(|i| pos + i) else {
            builder.token(Token::Text(&html[pos..]));
            break;
        };
        let after = lt + 1;
        let next = bytes.get(after).copied();
        match next {
            Some(b'!') => {
                if lt > pos {
                    builder.token(Token::Text(&html[pos..lt]));
                }
                let body = &bytes[after + 1..];
                if body.starts_with(b"--") {
                    // Comment: up to "-->" (or "<!-->" / "<!--->" forms).
                    let start = after + 3;
                    pos = if bytes[start..].starts_with(b">") {
                        start + 1
                    } else if bytes[start..].starts_with(b"->") {
                        start + 2
                    } else {
                        memchr::memmem::find(&bytes[start..], b"-->")
                            .map_or(bytes.len(), |i| start + i + 3)
                    };
                } else if body.starts_with(b"[CDATA[") {
                    let start = after + 8;
                    let end = memchr::memmem::find(&bytes[start..], b"]]>")
                        .map_or(bytes.len(), |i| start + i);
                    builder.token(Token::RawText(&html[start..end]));
                    pos = (end + 3).min(bytes.len());
                } else {
                    // Doctype or bogus comment: up to '>'.
                    pos = memchr::memchr(b'>', &bytes[after..])
                        .map_or(bytes.len(), |i| after + i + 1);
                }
            }
            Some(b'?') => {
                if lt > pos {
                    builder.token(Token::Text(&html[pos..lt]));
                }
                pos = memchr::memchr(b'>', &bytes[after..]).map_or(bytes.len(), |i| after + i + 1);
            }
            Some(b'/') => {
                if lt > pos {
                    builder.token(Token::Text(&html[pos..lt]));
                }
                let name_start = after + 1;
                match bytes.get(name_start) {
                    Some(b) if b.is_ascii_alphabetic() => {
                        let name_end = name_end(bytes, name_start);
                        let name = &html[name_start..name_end];
                        attrs_buf.clear();
                        let (end, _) = parse_attributes(html, name_end, &mut attrs_buf);
                        pos = end;
                        builder.token(Token::End(name));
                    }
                    Some(b'>') => pos = name_start + 1,
                    _ => {
                        pos = memchr::memchr(b'>', &bytes[after..])
                            .map_or(bytes.len(), |i| after + i + 1);
                    }
                }
            }
            Some(b) if b.is_ascii_alphabetic() => {
                if lt > pos {
                    builder.token(Token::Text(&html[pos..lt]));
                }
                let name_end = name_end(bytes, after);
                let name = &html[after..name_end];
                attrs_buf.clear();
                let (end, self_closing) = parse_attributes(html, name_end, &mut attrs_buf);
                pos = end;
                let tag = Tag::from_name(name);
                builder.start(name, &attrs_buf, self_closing);
                if tag.is_raw_text() && !builder.in_foreign() {
                    pos = raw_text(html, pos, name, builder);
                }
            }
            _ => {
                // A '<' that starts no tag is text; keep scanning after it.
                let text_end =
                    memchr::memchr(b'<', &bytes[after..]).map_or(bytes.len(), |i| after + i);
                builder.token(Token::Text(&html[pos..text_end]));
                pos = text_end;
            }
        }
    }
}

/// The end of a tag name starting at `start`.
fn name_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len()
        && !matches!(
            bytes[i],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'
        )
    {
        i += 1;
    }
    i
}

/// Parses attributes from `pos` up to and including the closing `>`.
/// Returns the position after the tag and whether it ended with `/>`.
fn parse_attributes<'a>(html: &'a str, mut pos: usize, out: &mut Vec<Attr<'a>>) -> (usize, bool) {
    let bytes = html.as_bytes();
    let len = bytes.len();
    loop {
        while pos < len && matches!(bytes[pos], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
            pos += 1;
        }
        if pos >= len {
            return (len, false);
        }
        match bytes[pos] {
            b'>' => return (pos + 1, false),
            b'/' => {
                pos += 1;
                if bytes.get(pos) == Some(&b'>') {
                    return (pos + 1, true);
                }
                continue;
            }
            _ => {}
        }
        // Attribute name: up to whitespace, '/', '>', '=' (a leading '=' is
        // part of the name, as in browsers).
        let name_start = pos;
        pos += 1;
        while pos < len
            && !matches!(
                bytes[pos],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
            )
        {
            pos += 1;
        }
        let name = &html[name_start..pos];
        let mut value_pos = pos;
        while value_pos < len && matches!(bytes[value_pos], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
        {
            value_pos += 1;
        }
        let mut raw_value = "";
        if value_pos < len && bytes[value_pos] == b'=' {
            pos = value_pos + 1;
            while pos < len && matches!(bytes[pos], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
                pos += 1;
            }
            match bytes.get(pos) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = pos + 1;
                    let end = memchr::memchr(q, &bytes[start..]).map_or(len, |i| start + i);
                    raw_value = &html[start..end];
                    pos = (end + 1).min(len);
                }
                Some(_) => {
                    let start = pos;
                    while pos < len
                        && !matches!(bytes[pos], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>')
                    {
                        pos += 1;
                    }
                    raw_value = &html[start..pos];
                }
                None => {}
            }
        }
        if !out.iter().any(|a| a.name.eq_ignore_ascii_case(name)) {
            out.push(Attr { name, raw_value });
        }
    }
}

/// Emits the raw text of a script/style/etc. element starting at `pos`, and
/// its end tag. Returns the position after the end tag.
fn raw_text<'a>(html: &'a str, pos: usize, name: &'a str, builder: &mut TreeBuilder<'a>) -> usize {
    let bytes = html.as_bytes();
    let name_bytes = name.as_bytes();
    let mut search = pos;
    while let Some(i) = memchr::memmem::find(&bytes[search..], b"</") {
        let at = search + i;
        let name_start = at + 2;
        let name_stop = name_start + name_bytes.len();
        if name_stop <= bytes.len()
            && bytes[name_start..name_stop].eq_ignore_ascii_case(name_bytes)
            && matches!(
                bytes.get(name_stop),
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
            )
        {
            if at > pos {
                builder.token(Token::RawText(&html[pos..at]));
            }
            let mut scratch = Vec::new();
            let (end, _) = parse_attributes(html, name_stop, &mut scratch);
            builder.token(Token::End(&html[name_start..name_stop]));
            return end;
        }
        search = at + 2;
    }
    if pos < bytes.len() {
        builder.token(Token::RawText(&html[pos..]));
    }
    builder.token(Token::End(name));
    bytes.len()
}

struct TreeBuilder<'a> {
    doc: Document<'a>,
    /// Open elements, innermost last; the document is at the bottom.
    stack: Vec<(NodeId, Tag)>,
    /// Open `<svg>`/`<math>` elements: inside them `/>` closes a tag.
    foreign_depth: usize,
    html: Option<NodeId>,
    head: Option<NodeId>,
    body: Option<NodeId>,
    /// How many elements of each known tag are open: most implied-end-tag
    /// searches end at once because none is.
    open_counts: [u32; TAG_COUNT],
}

const TAG_COUNT: usize = Tag::Other as usize + 1;

impl<'a> TreeBuilder<'a> {
    fn in_foreign(&self) -> bool {
        self.foreign_depth > 0
    }

    fn current(&self) -> NodeId {
        self.stack.last().map_or(ROOT, |&(id, _)| id)
    }

    fn token(&mut self, token: Token<'a>) {
        match token {
            Token::Text(text) => self.text(text, false),
            Token::RawText(text) => self.text(text, true),
            Token::End(name) => self.end(name),
        }
    }

    fn text(&mut self, text: &'a str, raw: bool) {
        if text.is_empty() {
            return;
        }
        let parent = self.current();
        // Merge with a preceding text sibling when they are adjacent in the
        // source (text split by a dropped comment stays two nodes, which is
        // harmless).
        self.doc.append(parent, NodeData::Text { text, raw });
    }

    fn start(&mut self, name: &'a str, attrs: &[Attr<'a>], self_closing: bool) {
        let tag = Tag::from_name(name);
        match tag {
            Tag::Html if self.html.is_some() => {
                return;
            }
            Tag::Head if (self.head.is_some() || self.body.is_some()) => {
                return;
            }
            Tag::Body => {
                if self.body.is_some() {
                    return;
                }
                if let Some(i) = self.find_open(Tag::Head) {
                    self.truncate(i);
                }
            }
            _ => {}
        }
        if !self.in_foreign() {
            self.close_implied_by(tag);
        }
        if self.stack.len() >= MAX_DEPTH {
            self.pop();
        }
        let attrs_start = self.doc.attrs.len() as u32;
        self.doc.attrs.extend_from_slice(attrs);
        let attrs_end = self.doc.attrs.len() as u32;
        let parent = self.current();
        let id = self.doc.append(
            parent,
            NodeData::Element {
                tag,
                name,
                attrs_start,
                attrs_end,
            },
        );
        match tag {
            Tag::Html => self.html = Some(id),
            Tag::Head => self.head = Some(id),
            Tag::Body => self.body = Some(id),
            _ => {}
        }
        let foreign_root = matches!(tag, Tag::Svg | Tag::Math);
        let closes_now = tag.is_void() || (self_closing && (self.in_foreign() || foreign_root));
        if !closes_now {
            self.stack.push((id, tag));
            self.open_counts[tag as usize] += 1;
            if foreign_root {
                self.foreign_depth += 1;
            }
        }
    }

    /// The HTML5 implied end tags a start tag causes.
    fn close_implied_by(&mut self, tag: Tag) {
        if tag.closes_p() {
            self.close_in_scope(Tag::P, is_button_scope_boundary);
        }
        match tag {
            Tag::Li => self.close_list_item(&[Tag::Li]),
            Tag::Dd | Tag::Dt => self.close_list_item(&[Tag::Dd, Tag::Dt]),
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
                if self.stack.last().is_some_and(|&(_, t)| t.is_heading()) =>
            {
                self.pop();
            }
            Tag::Td | Tag::Th => {
                self.close_in_scope(Tag::Td, is_table_scope_boundary);
                self.close_in_scope(Tag::Th, is_table_scope_boundary);
            }
            Tag::Tr => {
                self.close_in_scope(Tag::Tr, is_table_scope_boundary);
            }
            Tag::Thead | Tag::Tbody | Tag::Tfoot => {
                for t in [Tag::Thead, Tag::Tbody, Tag::Tfoot] {
                    self.close_in_scope(t, is_table_scope_boundary);
                }
            }
            Tag::Option | Tag::Optgroup
                if self.stack.last().is_some_and(|&(_, t)| t == Tag::Option) =>
            {
                self.pop();
            }
            Tag::A => {
                self.close_in_scope(Tag::A, |t| t.is_special() && t != Tag::A);
            }
            Tag::Other => {}
            _ => {}
        }
    }

    /// A new `<li>` (or dd/dt) closes the open one unless a block other than
    /// address/div/p lies between.
    fn close_list_item(&mut self, items: &[Tag]) {
        for i in (1..self.stack.len()).rev() {
            let t = self.stack[i].1;
            if items.contains(&t) {
                self.truncate(i);
                return;
            }
            if t.is_special() && !matches!(t, Tag::Address | Tag::Div | Tag::P) {
                return;
            }
        }
    }

    /// Pops up to and including the innermost open `tag`, unless a boundary
    /// element comes first.
    fn close_in_scope(&mut self, tag: Tag, boundary: impl Fn(Tag) -> bool) -> bool {
        if tag != Tag::Other && self.open_counts[tag as usize] == 0 {
            return false;
        }
        for i in (1..self.stack.len()).rev() {
            let t = self.stack[i].1;
            if t == tag {
                self.truncate(i);
                return true;
            }
            if boundary(t) {
                return false;
            }
        }
        false
    }

    fn find_open(&self, tag: Tag) -> Option<usize> {
        (1..self.stack.len())
            .rev()
            .find(|&i| self.stack[i].1 == tag)
    }

    fn pop(&mut self) {
        if self.stack.len() > 1 {
            let (_, tag) = self.stack.pop().unwrap_or((ROOT, Tag::Other));
            self.open_counts[tag as usize] -= 1;
            if matches!(tag, Tag::Svg | Tag::Math) {
                self.foreign_depth = self.foreign_depth.saturating_sub(1);
            }
        }
    }

    fn truncate(&mut self, len: usize) {
        while self.stack.len() > len.max(1) {
            self.pop();
        }
    }

    fn end(&mut self, name: &str) {
        let tag = Tag::from_name(name);
        match tag {
            // Content after </body> or </html> still belongs to the body.
            Tag::Body | Tag::Html => {}
            Tag::Br => {
                // `</br>` is a `<br>` in browsers.
                self.start("br", &[], false);
            }
            Tag::P => {
                self.close_in_scope(Tag::P, is_button_scope_boundary);
            }
            Tag::Li => {
                self.close_in_scope(Tag::Li, |t| {
                    is_default_scope_boundary(t) || matches!(t, Tag::Ul | Tag::Ol)
                });
            }
            Tag::Other => {
                // Unknown (custom) elements: close the innermost with the same
                // name, not across special elements.
                for i in (1..self.stack.len()).rev() {
                    let (id, t) = self.stack[i];
                    if t == Tag::Other {
                        if let Some(open) = self.doc.element_name(id)
                            && open.eq_ignore_ascii_case(name)
                        {
                            self.truncate(i);
                            return;
                        }
                    } else if t.is_special() {
                        return;
                    }
                }
            }
            t if t.is_special() || matches!(t, Tag::Svg | Tag::Math) => {
                let boundary = |b: Tag| is_default_scope_boundary(b) && b != t;
                if t.is_heading() {
                    // Any open heading closes any heading end tag.
                    for i in (1..self.stack.len()).rev() {
                        let open = self.stack[i].1;
                        if open.is_heading() {
                            self.truncate(i);
                            return;
                        }
                        if boundary(open) {
                            return;
                        }
                    }
                    return;
                }
                self.close_in_scope(t, boundary);
            }
            t => {
                // Formatting and phrasing elements: not across special ones.
                self.close_in_scope(t, |b| b.is_special());
            }
        }
    }
}

fn is_default_scope_boundary(t: Tag) -> bool {
    matches!(
        t,
        Tag::Applet
            | Tag::Caption
            | Tag::Html
            | Tag::Table
            | Tag::Td
            | Tag::Th
            | Tag::Marquee
            | Tag::Object
            | Tag::Template
            | Tag::Svg
            | Tag::Math
    )
}

fn is_button_scope_boundary(t: Tag) -> bool {
    is_default_scope_boundary(t) || t == Tag::Button
}

fn is_table_scope_boundary(t: Tag) -> bool {
    matches!(t, Tag::Html | Tag::Table | Tag::Template)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::NodeData;

    /// A compact rendering of the tree: `tag(children)` and `"text"`.
    fn outline(html: &str) -> String {
        let doc = parse(html);
        let mut out = String::new();
        render(&doc, ROOT, &mut out);
        out
    }

    fn render(doc: &Document<'_>, id: NodeId, out: &mut String) {
        for child in doc.children(id) {
            match doc.node(child).data {
                NodeData::Text { text, .. } => out.push_str(&format!("{:?}", text)),
                NodeData::Element { .. } => {
                    out.push_str(doc.element_name(child).unwrap_or("?"));
                    out.push('(');
                    render(doc, child, out);
                    out.push(')');
                }
                NodeData::Document => {}
            }
        }
    }

    #[test]
    fn implied_end_tags_for_paragraphs_and_list_items() {
        assert_eq!(outline("<p>a<p>b<div>c</div>"), r#"p("a")p("b")div("c")"#);
        assert_eq!(outline("<ul><li>a<li>b</ul>"), r#"ul(li("a")li("b"))"#);
        assert_eq!(
            outline("<table><tr><td>a<td>b<tr><td>c</table>"),
            r#"table(tr(td("a")td("b"))tr(td("c")))"#
        );
        assert_eq!(
            outline("<dl><dt>a<dd>b<dt>c</dl>"),
            r#"dl(dt("a")dd("b")dt("c"))"#
        );
    }

    #[test]
    fn inline_end_tags_do_not_cross_blocks() {
        assert_eq!(outline("<b><div>x</b>y</div>z"), r#"b(div("x""y")"z")"#);
        assert_eq!(outline("<div><span>a</div>b"), r#"div(span("a"))"b""#);
        assert_eq!(outline("<p>a</span>b</p>"), r#"p("a""b")"#);
    }

    #[test]
    fn raw_text_comments_cdata_and_doctype() {
        assert_eq!(
            outline("<!DOCTYPE html><script>if (a<b) x='</p>';</script><p>t"),
            r#"script("if (a<b) x='</p>';")p("t")"#
        );
        assert_eq!(outline("a<!-- <p>hidden</p> -->b"), r#""a""b""#);
        assert_eq!(outline("<style>p{}</STYLE >x"), r#"style("p{}")"x""#);
        assert_eq!(outline("x<![CDATA[<y>]]>z"), r#""x""<y>""z""#);
        assert_eq!(outline("a < b <3 c"), r#""a < b ""<3 c""#);
        assert_eq!(outline("<script>never closed"), r#"script("never closed")"#);
    }

    #[test]
    fn attributes_quoted_unquoted_and_odd() {
        let doc = parse(r#"<a href="x>y" class=big data-x='q"q' checked title=a&amp;b>t</a>"#);
        let a = doc.find_tag(Tag::A).unwrap();
        assert_eq!(doc.attr(a, "href"), Some("x>y"));
        assert_eq!(doc.attr(a, "class"), Some("big"));
        assert_eq!(doc.attr(a, "data-x"), Some("q\"q"));
        assert_eq!(doc.attr(a, "checked"), Some(""));
        assert_eq!(doc.attrs(a)[4].value(), "a&b");
    }

    #[test]
    fn void_and_self_closing() {
        assert_eq!(
            outline("<p>a<br>b<img src=x>c</p>"),
            r#"p("a"br()"b"img()"c")"#
        );
        // `<div/>` is not self-closing in HTML, but is in SVG.
        assert_eq!(outline("<div/>x</div>"), r#"div("x")"#);
        assert_eq!(outline("<svg><path/><g/></svg>y"), r#"svg(path()g())"y""#);
    }

    #[test]
    fn truncated_input_does_not_panic() {
        for html in [
            "<",
            "<a",
            "<a href=",
            "<a href=\"x",
            "</",
            "</a",
            "<!--",
            "<!",
            "<![CDATA[",
            "<?x",
            "&",
            "&#",
            "&#x",
            "<p>&am",
        ] {
            let _ = parse(html);
        }
    }

    #[test]
    fn depth_is_capped() {
        let html = "<div>".repeat(100_000);
        let doc = parse(&html);
        let mut max_depth = 0;
        for id in doc.descendants(ROOT) {
            let mut depth = 0;
            let mut n = id;
            while n != ROOT {
                n = doc.node(n).parent;
                depth += 1;
            }
            max_depth = max_depth.max(depth);
            if id > 2000 {
                break;
            }
        }
        assert!(max_depth <= MAX_DEPTH, "depth {max_depth}");
    }
}
