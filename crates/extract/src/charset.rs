//! Charset detection and decoding of fetched pages: byte-order mark, then
//! the Content-Type header, then a `<meta>` prescan of the first 1024 bytes,
//! then statistical detection (chardetng). Never fails: undecodable bytes
//! become U+FFFD.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How many bytes the `<meta>` prescan looks at (as in the HTML standard).
const PRESCAN_BYTES: usize = 1024;

/// Decodes a page's bytes to text. See the module documentation for the
/// order in which the charset is decided.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_without_bom(encoding, &bytes[bom_len..]);
    }
    let declared = content_type
        .and_then(charset_from_content_type)
        .or_else(|| prescan_meta(&bytes[..bytes.len().min(PRESCAN_BYTES)]));
    let encoding = match declared {
        // A page declared UTF-8 that is mostly not UTF-8 is a legacy page
        // with a wrong declaration (common with copied templates); a few bad
        // sequences in a UTF-8 page are just damage.
        Some(enc) if enc == UTF_8 && mostly_not_utf8(bytes) => detect(bytes),
        // The reverse, as common (a CMS moved to UTF-8, the template kept
        // its gb2312 or iso-8859-1 label): bytes that are UTF-8, with
        // multi-byte characters and (almost) no invalid sequence, are
        // UTF-8 whatever the label says. Text in a legacy encoding is
        // almost never valid UTF-8 by accident: its non-ASCII bytes stand
        // alone or in pairs UTF-8 rejects.
        Some(enc) if enc != UTF_8 && is_utf8_with_multibyte(bytes) => UTF_8,
        Some(enc) => enc,
        None => detect(bytes),
    };
    decode_without_bom(encoding, bytes)
}

fn decode_without_bom(encoding: &'static Encoding, bytes: &[u8]) -> String {
    let (text, _had_errors) = encoding.decode_without_bom_handling(bytes);
    text.into_owned()
}

/// The encoding named by a Content-Type header's `charset` parameter, if
/// it names one `encoding_rs` knows. UTF-16 labels mean UTF-8 in HTML (a
/// UTF-16 page would have had a BOM).
fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = lower[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_ascii_whitespace())
        .unwrap_or(rest.len());
    encoding_for_label(&rest[..end])
}

fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label.trim().as_bytes())?;
    Some(match encoding.name() {
        "UTF-16LE" | "UTF-16BE" => UTF_8,
        "x-user-defined" => WINDOWS_1252,
        _ => encoding,
    })
}

/// Finds `<meta charset=...>` or `<meta http-equiv=content-type
/// content="...; charset=...">` in the page's first bytes.
fn prescan_meta(head: &[u8]) -> Option<&'static Encoding> {
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let mut search = 0;
    while let Some(i) = lower[search..].find("<meta") {
        let start = search + i + "<meta".len();
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        search = end;
        if let Some(enc) = meta_attr(tag, "charset").and_then(encoding_for_label) {
            return Some(enc);
        }
        let is_content_type =
            meta_attr(tag, "http-equiv").is_some_and(|v| v.trim() == "content-type");
        if is_content_type
            && let Some(enc) = meta_attr(tag, "content").and_then(charset_from_content_type)
        {
            return Some(enc);
        }
    }
    None
}

/// The value of attribute `name` in the (lower-cased) inside of a tag.
fn meta_attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut search = 0;
    while let Some(i) = tag[search..].find(name) {
        let at = search + i;
        search = at + name.len();
        let preceded_ok = at == 0
            || matches!(
                tag.as_bytes()[at - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\''
            );
        if !preceded_ok {
            continue;
        }
        let rest = tag[search..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => {
                let inner = &rest[1..];
                &inner[..inner.find(q as char).unwrap_or(inner.len())]
            }
            _ => {
                &rest[..rest
                    .find(|c: char| c.is_ascii_whitespace() || c == '/')
                    .unwrap_or(rest.len())]
            }
        };
        return Some(value);
    }
    None
}

/// Guesses the encoding of undeclared bytes: UTF-8 if they are valid UTF-8,
/// otherwise chardetng's best guess.
fn detect(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// More invalid UTF-8 sequences than valid multi-byte characters.
fn mostly_not_utf8(bytes: &[u8]) -> bool {
    let (invalid, valid_multibyte) = utf8_counts(bytes);
    invalid > valid_multibyte
}

/// Valid UTF-8 with multi-byte characters, allowing one damaged sequence
/// in a hundred characters (a cut-off last character, a stray byte).
fn is_utf8_with_multibyte(bytes: &[u8]) -> bool {
    if bytes.is_ascii() {
        return false;
    }
    let (invalid, valid_multibyte) = utf8_counts(bytes);
    valid_multibyte > 0 && invalid * 100 <= valid_multibyte
}

/// (invalid sequences, valid multi-byte characters) of `bytes` read as
/// UTF-8; a sequence cut off at the very end does not count.
fn utf8_counts(bytes: &[u8]) -> (usize, usize) {
    let mut rest = bytes;
    let mut invalid = 0usize;
    let mut valid_multibyte = 0usize;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                valid_multibyte += valid.bytes().filter(|&b| b >= 0xc0).count();
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                valid_multibyte += valid.iter().filter(|&&b| b >= 0xc0).count();
                // A sequence cut off by the end of the bytes (a truncated
                // response) is not evidence against UTF-8.
                if e.error_len().is_some() {
                    invalid += 1;
                }
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = &after[skip.min(after.len())..];
            }
        }
    }
    (invalid, valid_multibyte)
}

#[cfg(test)]
mod tests {
    use super::decode_html;

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = vec![0xef, 0xbb, 0xbf];
        bytes.extend_from_slice("<meta charset=windows-1252>café".as_bytes());
        assert_eq!(
            decode_html(&bytes, Some("text/html; charset=iso-8859-2")),
            "<meta charset=windows-1252>café"
        );
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_html(&utf16, None), "hé");
    }

    #[test]
    fn header_charset_beats_meta() {
        // 0xE9 is é in windows-1252 and И in KOI8-R.
        let bytes = b"<meta charset=koi8-r><p>caf\xe9</p>";
        assert_eq!(
            decode_html(bytes, Some("text/html; charset=\"ISO-8859-1\"")),
            "<meta charset=koi8-r><p>café</p>"
        );
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        let bytes = b"<html><head><meta charset=\"koi8-r\"></head><p>\xe9</p>";
        assert!(decode_html(bytes, Some("text/html")).ends_with("<p>И</p>"));
        let bytes = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>\xc0</p>";
        assert!(decode_html(bytes, None).ends_with("<p>А</p>"));
    }

    #[test]
    fn meta_after_first_1024_bytes_is_not_seen() {
        let mut bytes = b"<!-- ".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 1100));
        bytes.extend_from_slice(b" --><meta charset=koi8-r><p>na\xefve caf\xe9 d\xe9j\xe0 vu, \xe9t\xe9 \xe0 la cr\xe8me br\xfbl\xe9e</p>");
        let text = decode_html(&bytes, None);
        assert!(text.contains("naïve café déjà vu"), "{text}");
    }

    #[test]
    fn undeclared_windows_1252_is_detected() {
        let bytes = b"<html><body><p>Le gar\xe7on a d\xe9j\xe0 servi le caf\xe9 \x96 \x93tr\xe8s bien\x94, dit-il \xe0 la cr\xe8me.</p></body></html>";
        let text = decode_html(bytes, None);
        assert!(
            text.contains("garçon a déjà servi le café – “très bien”"),
            "{text}"
        );
    }

    #[test]
    fn undeclared_utf8_stays_utf8() {
        let html = "<p>Zoë’s naïve café — “quoted”</p>";
        assert_eq!(decode_html(html.as_bytes(), None), html);
    }

    #[test]
    fn unknown_label_is_ignored() {
        let bytes = "<meta charset=\"no-such-charset\"><p>café</p>".as_bytes();
        assert_eq!(
            decode_html(bytes, Some("text/html; charset=bogus")),
            "<meta charset=\"no-such-charset\"><p>café</p>"
        );
    }

    #[test]
    fn utf8_label_on_a_legacy_page_is_overruled() {
        let bytes = b"<meta charset=utf-8><p>Le gar\xe7on a d\xe9j\xe0 servi le caf\xe9 \xe0 la cr\xe8me.</p>";
        assert!(decode_html(bytes, None).contains("garçon a déjà servi le café"));
    }

    #[test]
    fn damaged_utf8_stays_utf8() {
        let mut bytes = "<meta charset=utf-8><p>café naïve déjà "
            .as_bytes()
            .to_vec();
        bytes.push(0xff);
        let text = decode_html(&bytes, None);
        assert!(text.contains("café naïve déjà \u{fffd}"), "{text}");
    }
}
