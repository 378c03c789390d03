//! Development aid: `cargo run --release -p redline-extract --example inspect
//! -- ID_PREFIX|FILE.html [--no-strip]` prints how the extractor judged one benchmark
//! page: elements excluded, the body candidates and their scores, the
//! chosen elements, then the extracted article. `--no-strip` shows the
//! detection rerun that keeps elements with unlikely class names.

use std::io::Read;
use std::path::Path;

fn main() {
    let prefix = std::env::args()
        .nth(1)
        .expect("usage: inspect ID_PREFIX|FILE.html");
    let bytes = if prefix.ends_with(".html") {
        // A page saved elsewhere (e.g. a STABILITY_DUMP variant).
        std::fs::read(&prefix).expect("read page")
    } else {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/extraction-benchmark/html");
        let entry = std::fs::read_dir(&dir)
            .expect("benchmark pages")
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .expect("no page with that id prefix");
        let gz = std::fs::read(entry.path()).expect("read page");
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut bytes)
            .expect("gzip");
        bytes
    };
    let html = redline_extract::decode_html(&bytes, None);
    let strip_unlikely = std::env::args().nth(2).as_deref() != Some("--no-strip");
    print!("{}", redline_extract::explain(&html, strip_unlikely));
    let article = redline_extract::Extractor::new().extract(&html);
    println!(
        "title: {:?}\nbyline: {:?}\npublished: {:?}\ncanonical: {:?}",
        article.title, article.byline, article.published, article.canonical_url
    );
    println!(
        "og_title: {:?}\nld_headline: {:?}\nmodified: {:?}\nlive: {}\nblocked: {:?}\nstandfirst: {:?}",
        article.og_title,
        article.ld_headline,
        article.modified,
        article.live,
        article.blocked,
        article.standfirst
    );
    for p in &article.paragraphs {
        println!("| {p}");
    }
}
