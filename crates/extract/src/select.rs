//! The CSS selector subset used by per-site rules: type (`div`, `*`),
//! `.class`, `#id`, `[attr]`, `[attr=value]` (also `~=`, `^=`, `$=`,
//! `*=`), compounds of those (`div.story#main`), the descendant (` `) and
//! child (`>`) combinators, and comma-separated lists. Anything else
//! (pseudo-classes, sibling combinators) is rejected with a reason.

use crate::dom::{Document, NONE, NodeId};

/// A parsed selector list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    alternatives: Vec<Complex>,
}

/// Compounds joined by combinators, stored right-most first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Complex {
    /// (compound, combinator linking it to the next entry to its left).
    parts: Vec<(Compound, Combinator)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combinator {
    Descendant,
    Child,
    /// The left-most compound has nothing to its left.
    None,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Compound {
    /// Lower-case element name; `None` for `*` or no type.
    element: Option<String>,
    ids: Vec<String>,
    classes: Vec<String>,
    attrs: Vec<AttrTest>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct AttrTest {
    name: String,
    op: AttrOp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum AttrOp {
    Exists,
    Equals(String),
    Includes(String),
    Prefix(String),
    Suffix(String),
    Contains(String),
}

/// Why a selector was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError(pub String);

impl Selector {
    /// Parses a selector list.
    pub fn parse(input: &str) -> Result<Selector, SelectorError> {
        let mut alternatives = Vec::new();
        for alternative in input.split(',') {
            alternatives.push(parse_complex(alternative.trim())?);
        }
        Ok(Selector { alternatives })
    }

    /// Whether element `id` matches.
    pub fn matches(&self, doc: &Document<'_>, id: NodeId) -> bool {
        doc.tag(id).is_some()
            && self
                .alternatives
                .iter()
                .any(|c| matches_complex(c, doc, id))
    }
}

fn parse_complex(input: &str) -> Result<Complex, SelectorError> {
    if input.is_empty() {
        return Err(SelectorError("empty selector".into()));
    }
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    let mut left_to_right: Vec<(Combinator, Compound)> = Vec::new();
    let mut pending = Combinator::None;
    while i < chars.len() {
        let mut saw_space = false;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
            saw_space = true;
        }
        if i >= chars.len() {
            break;
        }
        if chars[i] == '>' {
            if left_to_right.is_empty() {
                return Err(SelectorError("'>' with nothing on its left".into()));
            }
            pending = Combinator::Child;
            i += 1;
            continue;
        }
        if matches!(chars[i], '+' | '~') {
            return Err(SelectorError(format!(
                "sibling combinator '{}' is not supported",
                chars[i]
            )));
        }
        if !left_to_right.is_empty() && pending == Combinator::None {
            if !saw_space {
                return Err(SelectorError(format!("unexpected '{}'", chars[i])));
            }
            pending = Combinator::Descendant;
        }
        let (compound, next) = parse_compound(&chars, i)?;
        left_to_right.push((pending, compound));
        pending = Combinator::None;
        i = next;
    }
    if pending != Combinator::None {
        return Err(SelectorError("combinator with nothing on its right".into()));
    }
    if left_to_right.is_empty() {
        return Err(SelectorError("empty selector".into()));
    }
    // Store right-most first, each with the combinator to its left.
    let mut parts = Vec::with_capacity(left_to_right.len());
    for (combinator, compound) in left_to_right.into_iter().rev() {
        parts.push((compound, combinator));
    }
    Ok(Complex { parts })
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || !c.is_ascii()
}

fn read_ident(chars: &[char], mut i: usize) -> (String, usize) {
    let start = i;
    while i < chars.len() && (is_ident_char(chars[i]) || chars[i] == '\\') {
        if chars[i] == '\\' && i + 1 < chars.len() {
            i += 1;
        }
        i += 1;
    }
    let ident: String = chars[start..i].iter().filter(|&&c| c != '\\').collect();
    (ident, i)
}

fn parse_compound(chars: &[char], mut i: usize) -> Result<(Compound, usize), SelectorError> {
    let mut compound = Compound::default();
    let start = i;
    if chars[i] == '*' {
        i += 1;
    } else if is_ident_char(chars[i]) {
        let (name, next) = read_ident(chars, i);
        compound.element = Some(name.to_ascii_lowercase());
        i = next;
    }
    while i < chars.len() {
        match chars[i] {
            '.' | '#' => {
                let (name, next) = read_ident(chars, i + 1);
                if name.is_empty() {
                    return Err(SelectorError(format!("'{}' without a name", chars[i])));
                }
                if chars[i] == '.' {
                    compound.classes.push(name);
                } else {
                    compound.ids.push(name);
                }
                i = next;
            }
            '[' => {
                let close = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| i + p)
                    .ok_or_else(|| SelectorError("unclosed '['".into()))?;
                compound.attrs.push(parse_attr_test(
                    &chars[i + 1..close].iter().collect::<String>(),
                )?);
                i = close + 1;
            }
            ':' => return Err(SelectorError("pseudo-classes are not supported".into())),
            c if c.is_whitespace() || c == '>' || c == '+' || c == '~' => break,
            c => return Err(SelectorError(format!("unexpected '{c}'"))),
        }
    }
    if i == start {
        return Err(SelectorError(format!("unexpected '{}'", chars[i])));
    }
    Ok((compound, i))
}

fn parse_attr_test(inside: &str) -> Result<AttrTest, SelectorError> {
    let inside = inside.trim();
    let Some(eq) = inside.find('=') else {
        if inside.is_empty() || !inside.chars().all(is_ident_char) {
            return Err(SelectorError(format!("bad attribute selector [{inside}]")));
        }
        return Ok(AttrTest {
            name: inside.to_ascii_lowercase(),
            op: AttrOp::Exists,
        });
    };
    let (mut name, value) = (inside[..eq].trim(), inside[eq + 1..].trim());
    let mut op_char = None;
    if let Some(last) = name.chars().last()
        && matches!(last, '~' | '^' | '$' | '*' | '|')
    {
        op_char = Some(last);
        name = name[..name.len() - 1].trim();
    }
    if name.is_empty() || !name.chars().all(is_ident_char) {
        return Err(SelectorError(format!("bad attribute name in [{inside}]")));
    }
    let value = if (value.starts_with('"') && value.ends_with('"')
        || value.starts_with('\'') && value.ends_with('\''))
        && value.len() >= 2
    {
        value[1..value.len() - 1].to_string()
    } else if value.chars().all(is_ident_char) && !value.is_empty() {
        value.to_string()
    } else {
        return Err(SelectorError(format!("bad attribute value in [{inside}]")));
    };
    let op = match op_char {
        None => AttrOp::Equals(value),
        Some('~') => AttrOp::Includes(value),
        Some('^') => AttrOp::Prefix(value),
        Some('$') => AttrOp::Suffix(value),
        Some('*') => AttrOp::Contains(value),
        Some(c) => {
            return Err(SelectorError(format!(
                "attribute operator '{c}=' is not supported"
            )));
        }
    };
    Ok(AttrTest {
        name: name.to_ascii_lowercase(),
        op,
    })
}

fn matches_compound(compound: &Compound, doc: &Document<'_>, id: NodeId) -> bool {
    let Some(name) = doc.element_name(id) else {
        return false;
    };
    if let Some(element) = &compound.element
        && !name.eq_ignore_ascii_case(element)
    {
        return false;
    }
    if !compound.ids.is_empty() {
        let ident = doc.attr(id, "id").unwrap_or("");
        if !compound.ids.iter().all(|i| i == ident) {
            return false;
        }
    }
    if !compound.classes.is_empty() {
        let class = doc.attr(id, "class").unwrap_or("");
        if !compound
            .classes
            .iter()
            .all(|c| class.split_ascii_whitespace().any(|k| k == c))
        {
            return false;
        }
    }
    compound.attrs.iter().all(|test| {
        let Some(raw) = doc.attr(id, &test.name) else {
            return false;
        };
        let value = crate::entities::decode_entities(raw);
        match &test.op {
            AttrOp::Exists => true,
            AttrOp::Equals(v) => value == v.as_str(),
            AttrOp::Includes(v) => value.split_ascii_whitespace().any(|w| w == v),
            AttrOp::Prefix(v) => !v.is_empty() && value.starts_with(v.as_str()),
            AttrOp::Suffix(v) => !v.is_empty() && value.ends_with(v.as_str()),
            AttrOp::Contains(v) => !v.is_empty() && value.contains(v.as_str()),
        }
    })
}

/// Right-to-left matching with backtracking over descendant combinators.
///
/// A search over two kinds of state: `Matched(i, e)` (element `e` matches
/// part `i`) and `Seek(i, n)` (an element at or above `n` must match part
/// `i`). Each state is visited once, so a match costs at most
/// parts × ancestors steps however the page nests — without the memory,
/// `main div div p` on a few thousand nested `<div>`s retries the same
/// ancestors exponentially often. Ancestor chains are at most
/// [`crate::parse::MAX_DEPTH`] long and the search is iterative, so no
/// input can overflow the stack.
fn matches_complex(complex: &Complex, doc: &Document<'_>, id: NodeId) -> bool {
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum State {
        Matched(usize, NodeId),
        Seek(usize, NodeId),
    }
    let parts = &complex.parts;
    if !matches_compound(&parts[0].0, doc, id) {
        return false;
    }
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![State::Matched(0, id)];
    while let Some(state) = stack.pop() {
        if !seen.insert(state) {
            continue;
        }
        match state {
            State::Matched(index, element) => {
                let combinator = parts[index].1;
                if index + 1 == parts.len() || combinator == Combinator::None {
                    return true;
                }
                let parent = doc.node(element).parent;
                if parent == NONE {
                    continue;
                }
                match combinator {
                    Combinator::Child => {
                        if matches_compound(&parts[index + 1].0, doc, parent) {
                            stack.push(State::Matched(index + 1, parent));
                        }
                    }
                    Combinator::Descendant => stack.push(State::Seek(index + 1, parent)),
                    Combinator::None => return true,
                }
            }
            State::Seek(index, node) => {
                // Higher ancestors later; the nearest match is tried first.
                let parent = doc.node(node).parent;
                if parent != NONE {
                    stack.push(State::Seek(index, parent));
                }
                if matches_compound(&parts[index].0, doc, node) {
                    stack.push(State::Matched(index, node));
                }
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dom::ROOT;
    use crate::parse::parse;

    fn select(html: &str, selector: &str) -> Vec<String> {
        let doc = parse(html);
        let sel = Selector::parse(selector).unwrap();
        doc.descendants(ROOT)
            .filter(|&id| sel.matches(&doc, id))
            .map(|id| doc.text_content(id))
            .collect()
    }

    #[test]
    fn simple_selectors() {
        let html = r#"<div id=a class="x y">1</div><p class=x>2</p><span data-k=v>3</span><span data-k=w>4</span>"#;
        assert_eq!(select(html, "p"), ["2"]);
        assert_eq!(select(html, ".x"), ["1", "2"]);
        assert_eq!(select(html, "div.x.y#a"), ["1"]);
        assert_eq!(select(html, "[data-k]"), ["3", "4"]);
        assert_eq!(select(html, "[data-k=w]"), ["4"]);
        assert_eq!(select(html, "span[data-k='v'], #a"), ["1", "3"]);
        assert_eq!(select(html, "[class^=x]"), ["1", "2"]);
    }

    #[test]
    fn combinators() {
        let html = "<article><div><p>deep</p></div><p>direct</p></article><p>outside</p>";
        assert_eq!(select(html, "article p"), ["deep", "direct"]);
        assert_eq!(select(html, "article > p"), ["direct"]);
        assert_eq!(select(html, "article>div>p"), ["deep"]);
        // The document node is not an element: a top-level `p` has no parent to match.
        assert_eq!(select(html, "* > p"), ["deep", "direct"]);
    }

    #[test]
    fn rejects_unsupported_and_malformed() {
        for bad in [
            "",
            "a,",
            "p:first-child",
            "a + b",
            "a ~ b",
            "[",
            "[x=a b]",
            "> p",
            "p >",
            ".",
            "#",
            "a!b",
        ] {
            assert!(Selector::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
