//! The command line, run as a user would: the `redline` binary against the
//! simulated newsroom, reading what it prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use redline_newsroom::{ArticleStatus, Edit, Newsroom, NewsroomConfig};

mod common;

struct Setup {
    room: Newsroom,
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(articles: usize) -> Setup {
        let room = Newsroom::start_detached(NewsroomConfig {
            articles,
            seed: 11,
            ..Default::default()
        })
        .expect("newsroom");
        let dir = tempfile::tempdir().unwrap();
        common::write_config(
            dir.path(),
            dir.path(),
            common::FAST_CRAWL,
            &common::outlet_sources(&room),
        );
        Setup { room, dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("redline.toml")
    }

    fn redline(&self, args: &[&str]) -> Output {
        redline_in(
            self.dir.path(),
            &[&["--config", self.config().to_str().unwrap()], args].concat(),
        )
    }
}

fn redline_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .current_dir(dir)
        .env_remove("REDLINE_LOG")
        .env_remove("RUST_LOG")
        .output()
        .expect("redline runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_reports_what_happened_to_each_article() {
    let s = Setup::new(3);
    let ids = s.room.article_ids();
    let urls: Vec<String> = ids.iter().map(|id| s.room.article_url(*id)).collect();
    let args: Vec<&str> = std::iter::once("check")
        .chain(urls.iter().map(String::as_str))
        .collect();

    let first = s.redline(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    let out = stdout(&first);
    assert_eq!(out.matches("new article (version 0)").count(), 3, "{out}");

    s.room
        .edit(
            ids[0],
            Edit::ReplaceParagraph {
                paragraph: 0,
                text: "An entirely new lead paragraph.".into(),
            },
        )
        .unwrap();
    s.room.set_status(ids[1], ArticleStatus::NotFound).unwrap();
    let second = s.redline(&args);
    let out = stdout(&second);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].contains("new version 1 (+"), "{out}");
    assert!(lines[1].contains("gone (HTTP 404)"), "{out}");
    assert!(lines[2].ends_with("unchanged"), "{out}");

    let bad = s.redline(&[
        "check",
        "--source",
        "outlet0",
        &s.room.fault_url("status/500"),
    ]);
    assert!(!bad.status.success());
    let out = stdout(&bad);
    assert!(out.contains("error: server error (HTTP 500)"), "{out}");
    assert!(
        stderr(&bad).contains("HTTP 500"),
        "the log says it too: {}",
        stderr(&bad)
    );

    let unknown = s.redline(&["check", "https://elsewhere.example/story"]);
    assert!(!unknown.status.success());
    assert!(
        stdout(&unknown).contains("--source"),
        "{}",
        stdout(&unknown)
    );
}

#[test]
fn history_and_diff_show_the_versions_and_the_changed_words() {
    let s = Setup::new(1);
    let id = s.room.article_ids()[0];
    let url = s.room.article_url(id);
    assert!(s.redline(&["check", &url]).status.success());
    let old_headline = s.room.article(id).unwrap().headline;
    s.room
        .edit(id, Edit::SetHeadline("A sharper headline".into()))
        .unwrap();
    assert!(s.redline(&["check", &url]).status.success());

    let history = s.redline(&["history", &url]);
    let out = stdout(&history);
    assert!(history.status.success(), "{}", stderr(&history));
    assert!(out.contains("changed 1 times"), "{out}");
    assert!(out.contains("A sharper headline"), "{out}");
    assert!(out.contains(&old_headline), "{out}");

    let diff = s.redline(&["diff", &url]);
    let out = stdout(&diff);
    assert!(out.starts_with("--- version 0"), "{out}");
    assert!(
        out.contains("{+A sharper headline+}") || out.contains("{+A sharper"),
        "{out}"
    );
    assert!(out.contains("[-"), "{out}");

    let json = s.redline(&["diff", "1", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("diff JSON");
    assert_eq!(value["diff"]["title"]["changed"], true);
    assert!(
        value["diff"]["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["op"] == "equal")
    );

    let out_of_range = s.redline(&["diff", "1", "--to", "5"]);
    assert!(!out_of_range.status.success());
    assert!(
        stderr(&out_of_range).contains("no version 5"),
        "{}",
        stderr(&out_of_range)
    );

    let history_json = s.redline(&["history", &url, "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&history_json.stdout).unwrap();
    assert_eq!(value["versions"].as_array().unwrap().len(), 2);
}

#[test]
fn crawl_once_sources_and_articles() {
    let s = Setup::new(5);
    let crawl = s.redline(&["crawl", "--once"]);
    assert!(crawl.status.success(), "{}", stderr(&crawl));

    let sources = s.redline(&["sources", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&sources.stdout).unwrap();
    assert_eq!(value[0]["name"], "outlet0");
    assert_eq!(value[0]["articles"], 5);
    assert_eq!(value[0]["versions"], 5);

    let articles = s.redline(&["articles", "--source", "outlet0"]);
    let out = stdout(&articles);
    assert_eq!(out.lines().count(), 6, "header and five articles: {out}");
    assert!(out.contains("active"));

    let bad_status = s.redline(&["articles", "--status", "sleeping"]);
    assert!(!bad_status.status.success());
    assert!(stderr(&bad_status).contains("active, retired, gone or merged"));
}

#[test]
fn extract_prints_one_json_object_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><head><title>Storm hits coast</title></head><body><article><h1>Storm hits coast</h1>\
         <p>The storm reached the coast on Monday night, bringing winds of up to 90mph and heavy rain to the region.</p>\
         <p>Thousands of homes were left without power as engineers worked through the night to restore supplies.</p>\
         </article></body></html>",
    )
    .unwrap();
    let gz = dir.path().join("page.html.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &std::fs::read(&page).unwrap()).unwrap();
    std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let missing = dir.path().join("missing.html");

    let out = redline_in(
        dir.path(),
        &[
            "extract",
            page.to_str().unwrap(),
            gz.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success(), "a missing file is an error");
    assert!(stderr(&out).contains("missing.html"));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_eq!(line["title"], "Storm hits coast");
        let text = line["text"].as_str().unwrap();
        assert!(text.starts_with("The storm reached the coast"), "{text}");
        assert_eq!(text.split("\n\n").count(), 2);
    }
}

#[test]
fn a_bad_configuration_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("redline.toml");
    std::fs::write(&config, "[crawl]\nper_host_delay = \"soon\"\n").unwrap();
    let out = redline_in(dir.path(), &["sources"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("per_host_delay") && err.contains("redline.toml"),
        "{err}"
    );
    let out = redline_in(dir.path(), &["--config", "/nonexistent.toml", "sources"]);
    assert!(stderr(&out).contains("/nonexistent.toml"));
}
