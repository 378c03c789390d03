//! The diff card of a known change, checked as a reader would see it: a
//! PNG of the stated size; red strike-through pixels exactly over the
//! removed words' boxes (as the layout computed them) and nowhere else;
//! green text over the added words and nowhere else; the whole card close
//! to a golden image; the text read back by OCR (tesseract); the alt text
//! in full. Then long and hostile input: wrapped, cut with an ellipsis,
//! never a panic.
//!
//! Without tesseract the OCR test says so loudly and passes, unless
//! `REDLINE_REQUIRE_TESSERACT=1` (CI sets it), when it fails.
//! `REDLINE_UPDATE_GOLDEN=1` rewrites the golden image.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use redline_card::paint::{ADDED_BACKGROUND, ADDED_TEXT, REMOVED_BACKGROUND, STRIKE, strike_rows};
use redline_card::{
    Card, HEIGHT, Item, Role, Segment, SegmentKind, WIDTH, alt_text, layout, render, render_layout,
};

fn known() -> Card {
    Card {
        source: "BBC News".into(),
        site_name: "redline.example.org".into(),
        headline_before: "Minister resigns over expenses claims".into(),
        headline_after: "Minister resigns after expenses inquiry".into(),
        sentences: vec![
            vec![
                Segment::new(SegmentKind::Same, "Police said "),
                Segment::new(SegmentKind::Removed, "about a dozen"),
                Segment::new(SegmentKind::Added, "12"),
                Segment::new(
                    SegmentKind::Same,
                    " people were arrested at the protest on Saturday.",
                ),
            ],
            vec![
                Segment::new(SegmentKind::Same, "The march was "),
                Segment::new(SegmentKind::Removed, "peaceful"),
                Segment::new(SegmentKind::Added, "largely peaceful, with some clashes"),
                Segment::new(SegmentKind::Same, " near the station."),
            ],
        ],
        elapsed: "about 9 hours later".into(),
    }
}

/// A decoded PNG: width, height, RGB pixels.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Image {
    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }
}

fn decode(png_bytes: &[u8]) -> Image {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(
        (info.color_type, info.bit_depth),
        (png::ColorType::Rgba, png::BitDepth::Eight)
    );
    let rgb = buf[..info.buffer_size()]
        .chunks_exact(4)
        .map(|p| {
            assert_eq!(p[3], 255, "the card is opaque");
            [p[0], p[1], p[2]]
        })
        .collect();
    Image {
        width: info.width,
        height: info.height,
        rgb,
    }
}

fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u32::from(x.abs_diff(y)))
        .max()
        .unwrap_or(0)
}

/// The whole pixels an item's strike-through covers: (left, right, top,
/// bottom), right and bottom exclusive.
fn strike_box(item: &Item) -> (u32, u32, u32, u32) {
    let (top, thickness) = strike_rows(item.baseline, item.size);
    (
        item.rect.x.round() as u32,
        (item.rect.x + item.rect.width).round() as u32,
        top as u32,
        (top + thickness) as u32,
    )
}

fn find<'a>(items: &'a [Item], role: Role, text: &str) -> &'a Item {
    items
        .iter()
        .find(|i| i.role == role && i.text == text)
        .unwrap_or_else(|| panic!("no {role:?} run {text:?} in {items:#?}"))
}

#[test]
fn a_card_is_a_png_of_the_stated_size() {
    let png_bytes = render(&known()).expect("a card");
    assert_eq!(&png_bytes[..8], b"\x89PNG\r\n\x1a\n");
    let image = decode(&png_bytes);
    assert_eq!((image.width, image.height), (1200, 675));
    assert_eq!((WIDTH, HEIGHT), (1200, 675));
}

#[test]
fn the_known_card_lays_out_as_expected() {
    let layout = layout(&known()).expect("a layout");
    let runs: Vec<(Role, &str)> = layout
        .items
        .iter()
        .map(|i| (i.role, i.text.as_str()))
        .collect();
    assert_eq!(
        runs,
        [
            (Role::Source, "BBC News"),
            (
                Role::HeadlineBefore,
                "Minister resigns over expenses claims"
            ),
            (
                Role::HeadlineAfter,
                "Minister resigns after expenses inquiry"
            ),
            (Role::Same, "Police said"),
            (Role::Removed, "about a dozen"),
            (Role::Added, "12"),
            (Role::Same, "people were arrested at the protest on"),
            (Role::Same, "Saturday."),
            (Role::Same, "The march was"),
            (Role::Removed, "peaceful"),
            (Role::Added, "largely peaceful, with some clashes"),
            (Role::Same, "near"),
            (Role::Same, "the station."),
            (Role::SiteName, "redline.example.org"),
            (Role::Elapsed, "Changed about 9 hours later"),
        ]
    );
    // Every run inside the card's margins, none overlapping another.
    for (i, a) in layout.items.iter().enumerate() {
        let r = a.rect;
        assert!(r.x >= 64.0 && r.x + r.width <= 1136.5, "{a:?}");
        assert!(r.y >= 10.0 && r.y + r.height <= 675.0, "{a:?}");
        for b in &layout.items[i + 1..] {
            let s = b.rect;
            let apart = r.x + r.width <= s.x
                || s.x + s.width <= r.x
                || r.y + r.height <= s.y
                || s.y + s.height <= r.y;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn removed_words_are_struck_in_red_exactly_over_their_boxes() {
    let card = known();
    let layout = layout(&card).expect("a layout");
    let image = decode(&render_layout(&layout).expect("a card"));
    let struck: Vec<(u32, u32, u32, u32)> = layout
        .items
        .iter()
        .filter(|i| i.role.struck())
        .map(strike_box)
        .collect();
    assert_eq!(struck.len(), 3, "the old headline and two removals");
    // The strike covers each struck run from end to end...
    for &(left, right, top, bottom) in &struck {
        assert!(right > left + 20 && bottom > top);
        for y in top..bottom {
            for x in left..right {
                assert_eq!(image.at(x, y), STRIKE, "({x}, {y})");
            }
        }
        // ...and stops there: the pixels either side are not struck.
        assert_ne!(image.at(left - 1, top), STRIKE);
        assert_ne!(image.at(right, top), STRIKE);
    }
    // No strike colour anywhere else.
    for y in 0..image.height {
        for x in 0..image.width {
            if image.at(x, y) == STRIKE {
                assert!(
                    struck
                        .iter()
                        .any(|&(l, r, t, b)| (l..r).contains(&x) && (t..b).contains(&y)),
                    "strike colour at ({x}, {y}) outside the removed runs"
                );
            }
        }
    }
    // The removed words are drawn (dark red) on their highlight.
    let dozen = find(&layout.items, Role::Removed, "about a dozen");
    let (mut text, mut background) = (0, 0);
    let r = dozen.rect;
    for y in r.y as u32..(r.y + r.height) as u32 {
        for x in r.x as u32..(r.x + r.width) as u32 {
            let p = image.at(x, y);
            text += u32::from(distance(p, redline_card::paint::REMOVED_TEXT) <= 24);
            background += u32::from(p == REMOVED_BACKGROUND);
        }
    }
    assert!(text > 150 && background > 2000, "{text} {background}");
}

#[test]
fn added_words_are_green_over_their_boxes_and_nowhere_else() {
    let layout = layout(&known()).expect("a layout");
    let image = decode(&render_layout(&layout).expect("a card"));
    let green: Vec<&Item> = layout
        .items
        .iter()
        .filter(|i| matches!(i.role, Role::Added | Role::HeadlineAfter))
        .collect();
    assert_eq!(green.len(), 3);
    let inside = |item: &Item, x: u32, y: u32, pad: f32| {
        let r = item.rect;
        (x as f32) >= r.x - pad
            && (x as f32) < r.x + r.width + pad
            && (y as f32) >= r.y - pad
            && (y as f32) < r.y + r.height + pad
    };
    let mut counts = vec![(0u32, 0u32); green.len()];
    for y in 0..image.height {
        for x in 0..image.width {
            let p = image.at(x, y);
            let is_text = distance(p, ADDED_TEXT) <= 24;
            let is_background = p == ADDED_BACKGROUND;
            if !(is_text || is_background) {
                continue;
            }
            let Some(k) = green.iter().position(|i| inside(i, x, y, 4.0)) else {
                panic!("green at ({x}, {y}) outside the added runs");
            };
            counts[k].0 += u32::from(is_text);
            counts[k].1 += u32::from(is_background);
        }
    }
    let twelve = green.iter().position(|i| i.text == "12").expect("12");
    assert!(counts[twelve].0 > 60, "{counts:?}");
    assert!(counts[twelve].1 > 300, "{counts:?}");
    for (item, (text, _)) in green.iter().zip(&counts) {
        assert!(*text > 60, "{item:?}: {counts:?}");
    }
}

fn golden_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/known-card.png")
}

#[test]
fn the_known_card_matches_its_golden_image() {
    let png_bytes = render(&known()).expect("a card");
    let path = golden_path();
    if std::env::var("REDLINE_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, &png_bytes).expect("write the golden image");
    }
    let golden = decode(&std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (REDLINE_UPDATE_GOLDEN=1 writes it)",
            path.display()
        )
    }));
    let card = decode(&png_bytes);
    assert_eq!((card.width, card.height), (golden.width, golden.height));
    // Anti-aliasing may differ by a shade across builds; a misplaced word
    // changes thousands of pixels.
    let differing = card
        .rgb
        .iter()
        .zip(&golden.rgb)
        .filter(|(a, b)| distance(**a, **b) > 32)
        .count();
    assert!(
        differing <= 200,
        "{differing} pixels differ from {} (REDLINE_UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}

#[test]
fn the_alt_text_reads_the_change() {
    assert_eq!(
        alt_text(&known()),
        "BBC News, about 9 hours later. \
         Headline before: Minister resigns over expenses claims. \
         Headline after: Minister resigns after expenses inquiry. \
         Before: Police said about a dozen people were arrested at the protest on Saturday. \
         After: Police said 12 people were arrested at the protest on Saturday. \
         Before: The march was peaceful near the station. \
         After: The march was largely peaceful, with some clashes near the station. \
         Shown by redline.example.org."
    );
    let added = Card {
        headline_before: "Same".into(),
        headline_after: "Same".into(),
        sentences: vec![
            vec![Segment::new(
                SegmentKind::Added,
                "A correction was appended",
            )],
            vec![Segment::new(SegmentKind::Removed, "Gone?")],
        ],
        ..known()
    };
    assert_eq!(
        alt_text(&added),
        "BBC News, about 9 hours later. Headline: Same. \
         Added: A correction was appended. Removed: Gone? Shown by redline.example.org."
    );
    let long = Card {
        sentences: vec![vec![Segment::new(SegmentKind::Added, "word ".repeat(1000))]],
        ..known()
    };
    // Cut after the last whole word that fits in 1,500 characters.
    let mut want = "BBC News, about 9 hours later. \
                    Headline before: Minister resigns over expenses claims. \
                    Headline after: Minister resigns after expenses inquiry. Added: word"
        .to_string();
    while want.chars().count() + " word…".chars().count() <= 1500 {
        want.push_str(" word");
    }
    want.push('…');
    assert_eq!(alt_text(&long), want);
}

#[test]
fn long_text_is_wrapped_and_cut_with_an_ellipsis() {
    let words = "the quick brown fox jumps over the lazy dog ".repeat(40);
    let card = Card {
        source: "A source with a very long name ".repeat(10),
        site_name: "a-very-long-site-name.example.org".repeat(5),
        headline_before: words.clone(),
        headline_after: format!("{words} again"),
        sentences: vec![
            vec![
                Segment::new(SegmentKind::Same, words.clone()),
                Segment::new(SegmentKind::Removed, "eleven"),
                Segment::new(SegmentKind::Added, "twelve"),
                Segment::new(SegmentKind::Same, format!(" {words}")),
            ],
            vec![Segment::new(SegmentKind::Added, words.clone())],
        ],
        elapsed: "about 3 days later".into(),
    };
    let layout = layout(&card).expect("a layout");
    let lines = |role: Role| {
        let mut ys: Vec<i64> = layout
            .items
            .iter()
            .filter(|i| i.role == role)
            .map(|i| i.baseline as i64)
            .collect();
        ys.dedup();
        ys.len()
    };
    assert_eq!(lines(Role::Source), 1);
    assert_eq!(lines(Role::HeadlineBefore), 2);
    assert_eq!(lines(Role::HeadlineAfter), 2);
    assert_eq!(lines(Role::SiteName), 1);
    for role in [
        Role::Source,
        Role::HeadlineBefore,
        Role::HeadlineAfter,
        Role::SiteName,
    ] {
        let last = layout
            .items
            .iter()
            .rfind(|i| i.role == role)
            .expect("a run");
        assert!(last.text.ends_with('…'), "{last:?}");
    }
    // The sentence starts a few words before its change, which shows.
    let first = layout
        .items
        .iter()
        .find(|i| matches!(i.role, Role::Same | Role::Removed | Role::Added))
        .expect("a sentence");
    assert_eq!(first.text, "… jumps over the lazy dog");
    // A name without spaces is cut inside its one word.
    find(
        &layout.items,
        Role::SiteName,
        "a-very-long-site-name.exampl…",
    );
    find(&layout.items, Role::Removed, "eleven");
    find(&layout.items, Role::Added, "twelve");
    for item in &layout.items {
        assert!(item.rect.x + item.rect.width <= 1136.5, "{item:?}");
        assert!(item.rect.y + item.rect.height <= 675.0, "{item:?}");
    }
    let png_bytes = render_layout(&layout).expect("a card");
    assert_eq!(decode(&png_bytes).width, 1200);
    // For a person to look at.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("card-ocr");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    std::fs::write(dir.join("long-card.png"), png_bytes).expect("write the card");
}

/// Text from fetched pages: every script, marks, emoji, controls,
/// direction overrides, words longer than a line, nothing at all.
const HOSTILE: &[&str] = &[
    "",
    " ",
    "\u{0}\u{1}\u{7f}\u{202e}\u{2066}\u{feff}\u{200b}",
    "مرحبا بالعالم، هذا نص عربي طويل",
    "שלום עולם",
    "日本語の見出しが変わりました。東京で会議",
    "한국어 제목",
    "हिन्दी में शीर्षक",
    "e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}",
    "👩‍👩‍👧‍👦🇬🇧🏳️‍🌈 emoji",
    "\u{10FFFF}\u{E000}\u{FFFD}\u{FFFF}",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "https://example.org/a/very/long/path/without/any/spaces/at/all/that/goes/on/and/on/and/on/forever.html",
];

#[test]
fn hostile_text_renders() {
    for text in HOSTILE {
        let t = text.to_string();
        let card = Card {
            source: t.clone(),
            site_name: t.clone(),
            headline_before: t.clone(),
            headline_after: format!("{t}{t}"),
            sentences: vec![vec![
                Segment::new(SegmentKind::Same, t.clone()),
                Segment::new(SegmentKind::Removed, t.clone()),
                Segment::new(SegmentKind::Added, t.repeat(3)),
            ]],
            elapsed: format!("{t} later"),
        };
        let image = decode(&render(&card).expect("a card"));
        assert_eq!((image.width, image.height), (1200, 675), "{text:?}");
        let _ = alt_text(&card);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_text_renders(
        texts in proptest::collection::vec(any::<String>(), 4),
        kinds in proptest::collection::vec(0u8..3, 0..8),
        secs in any::<u64>(),
    ) {
        let segments = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let kind = match k {
                    0 => SegmentKind::Same,
                    1 => SegmentKind::Removed,
                    _ => SegmentKind::Added,
                };
                Segment::new(kind, texts[i % 4].clone())
            })
            .collect();
        let card = Card {
            source: texts[0].clone(),
            site_name: texts[1].clone(),
            headline_before: texts[2].clone(),
            headline_after: texts[3].clone(),
            sentences: vec![segments],
            elapsed: format!("about {secs} years later"),
        };
        let png_bytes = render(&card).expect("a card");
        prop_assert_eq!(&png_bytes[..4], b"\x89PNG");
        prop_assert!(alt_text(&card).chars().count() <= 1500);
    }
}

/// tesseract's path, or None (a loud notice) where it is not installed
/// and not required.
fn tesseract() -> Option<PathBuf> {
    let found = ["/usr/bin/tesseract", "/usr/local/bin/tesseract"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    if found.is_none() {
        if std::env::var("REDLINE_REQUIRE_TESSERACT").as_deref() == Ok("1") {
            panic!(
                "REDLINE_REQUIRE_TESSERACT=1 but tesseract is missing (apt-get install tesseract-ocr)"
            );
        }
        eprintln!();
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        eprintln!("!! SKIPPED the card OCR test: /usr/bin/tesseract missing");
        eprintln!("!! (apt-get install tesseract-ocr; REDLINE_REQUIRE_TESSERACT=1 to fail)");
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    }
    found
}

/// The card with its struck runs painted over in the background colour,
/// as PNG: OCR cannot read through a strike-through (a person can), so
/// the struck words are checked by their pixels above and the rest of the
/// card by OCR.
fn without_struck_runs(card: &Card) -> Vec<u8> {
    let layout = layout(card).expect("a layout");
    let image = decode(&render_layout(&layout).expect("a card"));
    let mut rgba: Vec<u8> = image
        .rgb
        .iter()
        .flat_map(|p| [p[0], p[1], p[2], 255])
        .collect();
    for item in layout.items.iter().filter(|i| i.role.struck()) {
        let r = item.rect;
        let pad = redline_card::paint::HIGHLIGHT_PAD + 1.0;
        for y in (r.y - 1.0) as u32..(r.y + r.height + 1.0) as u32 {
            for x in (r.x - pad) as u32..(r.x + r.width + pad) as u32 {
                let i = ((y * image.width + x) * 4) as usize;
                rgba[i..i + 3].copy_from_slice(&redline_card::paint::BACKGROUND);
            }
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width, image.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("a PNG header");
    writer.write_image_data(&rgba).expect("PNG data");
    writer.finish().expect("a PNG");
    out
}

#[test]
fn ocr_reads_the_known_card() {
    let Some(tesseract) = tesseract() else {
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("card-ocr");
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let path = dir.join("known-card-unstruck.png");
    std::fs::write(&path, without_struck_runs(&known())).expect("write the card");
    let out = Command::new(tesseract)
        .arg(&path)
        .arg("stdout")
        .args(["-l", "eng", "--psm", "4"])
        .output()
        .expect("tesseract runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        lines,
        [
            "BBC News",
            "Minister resigns after expenses inquiry",
            "Police said 12 people were arrested at the protest on",
            "Saturday.",
            "The march was largely peaceful, with some clashes near",
            "the station.",
            "Changed about 9 hours later redline.example.org",
        ],
        "{text}"
    );
}
