//! Charsets: pages genuinely in ten legacy encodings (built with
//! `encoding_rs`) decode right whether their label is in the header, in a
//! `<meta>` or missing; UTF-8 bytes under a contradicting legacy label
//! (a CMS moved to UTF-8 and kept its template's gb2312 or iso-8859-1
//! label) are read as UTF-8. Each case asserts the whole extracted text.

use encoding_rs::Encoding;
use redline_extract::{Extractor, decode_html};

/// (label, paragraph in a language that encoding is used for).
const CASES: &[(&str, &str)] = &[
    (
        "windows-1252",
        "Le garçon a déjà servi le café à la crème brûlée, dit-il à l’hôtel.",
    ),
    (
        "iso-8859-1",
        "Die Bürger der Stadt müssen größere Straßen über den Fluß bauen.",
    ),
    (
        "iso-8859-2",
        "Zażółć gęślą jaźń, powiedział prezydent Łodzi w środę rano.",
    ),
    (
        "windows-1251",
        "Президент заявил, что новый мост через реку откроют в среду.",
    ),
    (
        "koi8-r",
        "Правительство утвердило бюджет города на следующий год.",
    ),
    (
        "gb2312",
        "市政府周二宣布，将在河边建设一座新的公园，工程明年春天开始。",
    ),
    (
        "big5",
        "市政府週二宣布，將在河邊建設一座新的公園，工程明年春天開始。",
    ),
    (
        "shift_jis",
        "市議会は火曜日、川沿いに新しい公園を建設することを決定した。",
    ),
    (
        "euc-jp",
        "東京都は来年の予算案を発表し、新しい図書館の建設を決めた。",
    ),
    (
        "euc-kr",
        "시의회는 화요일 강변에 새로운 공원을 짓기로 결정했다고 밝혔다.",
    ),
    (
        "windows-1253",
        "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας.",
    ),
    (
        "windows-1254",
        "Belediye başkanı, şehrin yeni köprüsünün çarşamba günü açılacağını söyledi.",
    ),
];

fn page(charset_meta: Option<&str>, paragraph: &str) -> String {
    let meta = charset_meta
        .map(|c| format!("<meta charset=\"{c}\">"))
        .unwrap_or_default();
    // Three copies, so detection of an undeclared page has enough text.
    format!(
        "<!DOCTYPE html><html><head>{meta}<title>Today's news</title></head><body>\
         <article><h1>The news of the day from the city</h1><p>{paragraph}</p><p>{paragraph} {paragraph}</p></article></body></html>"
    )
}

fn expected(paragraph: &str) -> Vec<String> {
    vec![paragraph.to_string(), format!("{paragraph} {paragraph}")]
}

fn encode(label: &str, text: &str) -> Vec<u8> {
    let encoding = Encoding::for_label(label.as_bytes()).expect("known label");
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(!unmappable, "{label} cannot encode the test text");
    bytes.into_owned()
}

fn text_of(bytes: &[u8], content_type: Option<&str>) -> Vec<String> {
    Extractor::new()
        .extract(&decode_html(bytes, content_type))
        .paragraphs
}

#[test]
fn pages_in_legacy_encodings_decode_by_header_and_by_meta() {
    for &(label, paragraph) in CASES {
        let by_meta = encode(label, &page(Some(label), paragraph));
        assert_eq!(
            text_of(&by_meta, None),
            expected(paragraph),
            "{label} by <meta>"
        );
        let by_header = encode(label, &page(None, paragraph));
        assert_eq!(
            text_of(&by_header, Some(&format!("text/html; charset={label}"))),
            expected(paragraph),
            "{label} by header"
        );
    }
}

#[test]
fn undeclared_legacy_pages_are_detected() {
    // Detection needs the script to be distinctive: the ones where it is.
    for &(label, paragraph) in CASES {
        if matches!(label, "iso-8859-1" | "windows-1252" | "iso-8859-2") {
            continue;
        }
        let bytes = encode(label, &page(None, paragraph));
        assert_eq!(
            text_of(&bytes, None),
            expected(paragraph),
            "{label} undeclared"
        );
    }
}

#[test]
fn utf8_bytes_under_a_legacy_label_are_utf8() {
    for &(label, paragraph) in CASES {
        // The label says legacy, the bytes are UTF-8: in the <meta> and in
        // the header.
        let html = page(Some(label), paragraph);
        assert_eq!(
            text_of(html.as_bytes(), None),
            expected(paragraph),
            "UTF-8 under <meta charset={label}>"
        );
        assert_eq!(
            text_of(
                page(None, paragraph).as_bytes(),
                Some(&format!("text/html; charset={label}"))
            ),
            expected(paragraph),
            "UTF-8 under Content-Type charset={label}"
        );
    }
}

#[test]
fn a_damaged_byte_in_a_utf8_page_under_a_legacy_label_stays_utf8() {
    let paragraph = "Le garçon a déjà servi le café à la crème brûlée, dit-il à l’hôtel.";
    let mut bytes = page(Some("iso-8859-1"), paragraph).into_bytes();
    // A stray byte at the very end (a truncated response).
    bytes.push(0xc3);
    assert_eq!(text_of(&bytes, None), expected(paragraph));
}

#[test]
fn legacy_bytes_that_are_not_utf8_keep_their_label() {
    // "é" alone (0xE9) is not UTF-8: the label stands.
    let bytes = b"<meta charset=iso-8859-1><p>Caf\xe9 cr\xe8me, d\xe9j\xe0 vu, na\xefve et tr\xe8s \xe9l\xe9gant.</p>";
    assert_eq!(
        text_of(bytes, None),
        vec!["Café crème, déjà vu, naïve et très élégant.".to_string()]
    );
}
