//! Character references (`&amp;`, `&#8217;`, `&#x2014;`, `&nbsp`): decoding
//! text and attribute values the way browsers do, including the legacy
//! names accepted without a semicolon.

use std::borrow::Cow;

use crate::entities_table::ENTITIES;

/// Decodes the character references in `s`; borrows when there are none.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    loop {
        // `rest` starts with '&'.
        let after = &rest[1..];
        match decode_one(after) {
            Some((consumed, text)) => {
                push_reference(&mut out, text);
                rest = &after[consumed..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
        match memchr::memchr(b'&', rest.as_bytes()) {
            Some(i) => {
                out.push_str(&rest[..i]);
                rest = &rest[i..];
            }
            None => {
                out.push_str(rest);
                return Cow::Owned(out);
            }
        }
    }
}

enum Decoded {
    Char(char),
    Str(&'static str),
}

fn push_reference(out: &mut String, d: Decoded) {
    match d {
        Decoded::Char(c) => out.push(c),
        Decoded::Str(s) => out.push_str(s),
    }
}

/// Decodes the reference that follows an `&`: (bytes consumed, text).
fn decode_one(s: &str) -> Option<(usize, Decoded)> {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (hex, digits_start) = match bytes.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let mut end = digits_start;
        let mut value: u32 = 0;
        while let Some(&b) = bytes.get(end) {
            let digit = if hex {
                (b as char).to_digit(16)
            } else {
                (b as char).to_digit(10)
            };
            let Some(d) = digit else { break };
            value = value
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            end += 1;
        }
        if end == digits_start {
            return None;
        }
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        return Some((end, Decoded::Char(numeric_char(value))));
    }
    // Named: the longest alphanumeric run (names are at most 32 bytes).
    let run = bytes
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if run == 0 {
        return None;
    }
    if bytes.get(run) == Some(&b';')
        && let Some(v) = lookup(&s[..=run])
    {
        return Some((run + 1, Decoded::Str(v)));
    }
    // Legacy names without a semicolon: the longest known prefix.
    for len in (2..=run.min(6)).rev() {
        if let Some(v) = lookup(&s[..len]) {
            return Some((len, Decoded::Str(v)));
        }
    }
    None
}

fn lookup(name: &str) -> Option<&'static str> {
    ENTITIES
        .binary_search_by(|(n, _)| (*n).cmp(name))
        .ok()
        .map(|i| ENTITIES[i].1)
}

/// A numeric reference's character, with the HTML5 replacements for the
/// C1 range (pages written in windows-1252 use `&#150;` for a dash).
fn numeric_char(value: u32) -> char {
    const C1: [char; 32] = [
        '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}',
        '\u{8f}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}',
        '\u{178}',
    ];
    match value {
        0 => '\u{fffd}',
        0x80..=0x9f => C1[(value - 0x80) as usize],
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::decode_entities;

    #[test]
    fn decodes_named_numeric_and_legacy_references() {
        assert_eq!(decode_entities("a &amp; b"), "a & b");
        assert_eq!(
            decode_entities("&#8217;&#x2014;&#X41;"),
            "\u{2019}\u{2014}A"
        );
        assert_eq!(decode_entities("caf&eacute; &hellip;"), "café …");
        assert_eq!(decode_entities("a&nbspb"), "a\u{a0}b");
        assert_eq!(decode_entities("&#150;"), "\u{2013}");
        assert_eq!(decode_entities("&#0;&#99999999999;"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn leaves_unknown_and_bare_ampersands() {
        assert_eq!(
            decode_entities("AT&T & co &nosuch; &"),
            "AT&T & co &nosuch; &"
        );
        assert_eq!(decode_entities("&#;&#x;"), "&#;&#x;");
    }
}
