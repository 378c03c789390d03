//! The command line, run as a user would: the `redline` binary against the
//! simulated newsroom, reading what it prints.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::json;

use redline_newsroom::{ArticleStatus, Edit, Layout, NewArticle, Newsroom, NewsroomConfig};

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
    let number: Vec<u64> = out
        .lines()
        .map(|l| {
            l.split(": #")
                .nth(1)
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap()
        })
        .collect();
    assert_eq!(
        out,
        format!(
            "{}: #{} new version 1 (+5 -30 words; notable 43): Lede changed · 1 paragraph (30 \
             words) cut · 1 paragraph (5 words) added\n\
             {}: #{} gone (HTTP 404): removed from the site; checked daily in case it comes \
             back\n\
             {}: #{} unchanged\n",
            urls[0], number[0], urls[1], number[1], urls[2], number[2]
        )
    );

    // The removed article comes back; another now redirects elsewhere.
    s.room.set_status(ids[1], ArticleStatus::Live).unwrap();
    s.room
        .set_status(ids[2], ArticleStatus::Moved(ids[0]))
        .unwrap();
    let third = s.redline(&args);
    assert!(third.status.success(), "{}", stderr(&third));
    assert_eq!(
        stdout(&third),
        format!(
            "{}: #{} unchanged\n\
             {}: #{} back on the site after a removal, showing version 0\n\
             {}: #{} redirected to a different page ({}); checked daily in case the article \
             comes back\n",
            urls[0], number[0], urls[1], number[1], urls[2], number[2], urls[0]
        )
    );
    let json = s.redline(&[&args[..], &["--json"]].concat());
    let lines: Vec<serde_json::Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            json!({"article": number[0], "url": urls[0], "result": "unchanged"}),
            json!({"article": number[1], "url": urls[1], "result": "unchanged"}),
            json!({"article": number[2], "url": urls[2], "result": "redirected", "to": urls[0]}),
        ]
    );
    // The redirect is one change however often it is seen.
    let history = s.redline(&["history", &urls[2]]);
    // The address is the newsroom's (its port varies), the times are now.
    let host = urls[0].split('/').nth(2).unwrap();
    assert_eq!(
        without_times(&stdout(&history)).replace(host, "HOST"),
        format!(
            "#{} http://HOST/news/politics/the-opposition-party-defends-the-school-funding-formula-3.html (outlet0, gone; changed once)
VERSION  SEEN                  MINOR  WORDS       TITLE
0        YYYY-MM-DD HH:MM UTC         first seen  The opposition party defends the school funding formula amid criticism

SEEN                  CHANGE      LEVEL     SUMMARY                                                                 LABELS
YYYY-MM-DD HH:MM UTC  redirected  major 70  Now redirects to HOST/news/world/inside-the-fight-over-the…
",
            number[2]
        )
    );

    let bad = s.redline(&[
        "check",
        "--source",
        "outlet0",
        &s.room.fault_url("status/500"),
    ]);
    assert!(!bad.status.success());
    assert_eq!(
        stdout(&bad),
        format!(
            "{}: #{} error: server error (HTTP 500) after 1 attempt; it will be retried at its \
             next check\n",
            s.room.fault_url("status/500"),
            number.iter().max().unwrap() + 1
        )
    );
    assert!(
        stderr(&bad).contains("HTTP 500"),
        "the log says it too: {}",
        stderr(&bad)
    );

    let unknown = s.redline(&["check", "https://elsewhere.example/story"]);
    assert!(!unknown.status.success());
    assert_eq!(
        stdout(&unknown),
        "https://elsewhere.example/story: error: no source's article_url pattern matches it; \
         name one with --source\n"
    );
}

/// The paragraphs of the article `history_and_diff_…` edits.
const STORY: [&str; 8] = [
    "The city council voted on Tuesday to approve a new bridge across the harbour, ending a decade of debate over how to link the two halves of the port.",
    "Construction is expected to begin next spring and to last about three years, according to the council's planning department.",
    "The bridge will carry two lanes of traffic, a cycle path and a footpath, and will open in the middle to let tall ships through.",
    "Councillors approved the plan by 31 votes to 12 after a debate that lasted more than four hours.",
    "Opponents argued that the cost, estimated at 240 million pounds, would strain the city's finances for a generation.",
    "Supporters said the bridge would cut journey times across the harbour from forty minutes to five.",
    "The harbour master said shipping would be disrupted for several weeks while the central span is lifted into place.",
    "A public consultation on the design of the approach roads will open next month.",
];

/// `out` with every "2026-12-01 22:50 UTC" written as "YYYY-MM-DD HH:MM UTC".
fn without_times(out: &str) -> String {
    regex::Regex::new(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC")
        .unwrap()
        .replace_all(out, "YYYY-MM-DD HH:MM UTC")
        .into_owned()
}

/// `value` with every RFC 3339 time written as "TIME".
fn json_without_times(value: &mut serde_json::Value) {
    let time =
        regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$").unwrap();
    match value {
        serde_json::Value::String(s) if time.is_match(s) => *s = "TIME".into(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(json_without_times),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(json_without_times),
        _ => {}
    }
}

#[test]
fn history_and_diff_show_the_versions_and_the_changed_words() {
    let s = Setup::new(1);
    let id = s
        .room
        .add_article(NewArticle {
            section: Some("politics".into()),
            headline: Some("Council approves harbour bridge".into()),
            byline: Some("Ana Lima".into()),
            paragraphs: Some(STORY.iter().map(|p| p.to_string()).collect()),
            layout: Some(Layout::Ledger),
            ..Default::default()
        })
        .unwrap();
    let url = s.room.article_url(id);
    let first = s.redline(&["check", &url]);
    assert!(first.status.success(), "{}", stderr(&first));
    let n = stdout(&first)
        .split('#')
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .unwrap()
        .to_string();

    let one = s.redline(&["diff", &n]);
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(
        without_times(&stdout(&one)),
        "article #1 has one version so far (version 0, seen YYYY-MM-DD HH:MM UTC): \
         nothing to compare yet\n"
    );
    let one_json = s.redline(&["diff", &n, "--json"]);
    assert!(one_json.status.success());
    assert_eq!(stdout(&one_json), "", "no half-empty diff for JSON readers");
    assert_eq!(
        without_times(&stderr(&one_json)),
        "article #1 has one version so far (version 0, seen YYYY-MM-DD HH:MM UTC): nothing to \
         compare yet\n"
    );

    // An edit (the headline and two numbers), then the site goes back to
    // the first text: two changes, two versions.
    let edit = |headline: &str, paragraph: &str| {
        s.room.edit(id, Edit::SetHeadline(headline.into())).unwrap();
        s.room
            .edit(
                id,
                Edit::ReplaceParagraph {
                    paragraph: 3,
                    text: paragraph.into(),
                },
            )
            .unwrap();
        let check = s.redline(&["check", &url]);
        assert!(check.status.success(), "{}", stderr(&check));
        stdout(&check)
    };
    assert_eq!(
        edit(
            "Council approves harbour bridge after four-hour debate",
            "Councillors approved the plan by 29 votes to 14 after a debate that lasted \
             more than four hours.",
        ),
        format!(
            "{url}: #1 new version 1 (+6 -2 words; major 65): Headline rewritten · 31 → 29, \
             12 → 14\n"
        )
    );
    assert_eq!(
        edit("Council approves harbour bridge", STORY[3]),
        format!("{url}: #1 reverted to the text of version 0\n")
    );

    let history = s.redline(&["history", &url]);
    assert!(history.status.success(), "{}", stderr(&history));
    assert_eq!(
        without_times(&stdout(&history)),
        format!(
            "#1 {url} (outlet0, active; changed twice)
VERSION   SEEN                  MINOR  WORDS       TITLE
0 (live)  YYYY-MM-DD HH:MM UTC         first seen  Council approves harbour bridge
1         YYYY-MM-DD HH:MM UTC         +6 -2       Council approves harbour bridge after four-hour debate

SEEN                  CHANGE        LEVEL     SUMMARY                                LABELS
YYYY-MM-DD HH:MM UTC  0 → 1         major 65  Headline rewritten · 31 → 29, 12 → 14  headline, number, stealth
YYYY-MM-DD HH:MM UTC  revert 1 → 0  major 65  Headline rewritten · 29 → 31, 14 → 12  headline, number, stealth
"
        )
    );

    // The text diff: headline as whole lines, one paragraph of context
    // around the change, the unchanged runs folded.
    let expected_diff = "--- version 0  YYYY-MM-DD HH:MM UTC
+++ version 1  YYYY-MM-DD HH:MM UTC  (+6 -2 words)
major 65: Headline rewritten · 31 → 29, 12 → 14  [headline, number, stealth]

[-Council approves harbour bridge-]
{+Council approves harbour bridge after four-hour debate+}
Ana Lima

  … 2 unchanged paragraphs …

The bridge will carry two lanes of traffic, a cycle path and a footpath, and will open in the middle to let tall ships through.

Councillors approved the plan by [-31-]{+29+} votes to [-12-]{+14+} after a debate that lasted more than four hours.

Opponents argued that the cost, estimated at 240 million pounds, would strain the city's finances for a generation.

  … 3 unchanged paragraphs …
";
    let diff = s.redline(&["diff", &url, "--color", "never"]);
    assert!(diff.status.success(), "{}", stderr(&diff));
    assert_eq!(without_times(&stdout(&diff)), expected_diff);
    // `auto` colours a terminal only: this stdout is a pipe.
    let auto = s.redline(&["diff", &n]);
    assert_eq!(without_times(&stdout(&auto)), expected_diff);
    let coloured = s.redline(&["diff", &n, "--from", "0", "--to", "1", "--color", "always"]);
    let coloured = without_times(&stdout(&coloured));
    let (red, green, bold, dim, off) = ("\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m");
    assert_eq!(
        coloured.lines().skip(2).take(9).collect::<Vec<_>>(),
        [
            format!(
                "{bold}major 65: Headline rewritten · 31 → 29, 12 → 14  [headline, number, stealth]{off}"
            ),
            String::new(),
            format!("{red}[-Council approves harbour bridge-]{off}"),
            format!("{green}{{+Council approves harbour bridge after four-hour debate+}}{off}"),
            "Ana Lima".into(),
            String::new(),
            format!("{dim}  … 2 unchanged paragraphs …{off}"),
            String::new(),
            STORY[2].into(),
        ]
    );
    assert!(coloured.contains(&format!(
        "Councillors approved the plan by {red}[-31-]{off}{green}{{+29+}}{off} votes to \
         {red}[-12-]{off}{green}{{+14+}}{off} after"
    )));

    // JSON: the API's shape, `html` relative to the web interface.
    let json = s.redline(&["diff", &n, "--json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let mut value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("diff JSON");
    json_without_times(&mut value);
    let equal = |i: usize| json!({"op": "equal", "old_index": i, "new_index": i, "text": STORY[i]});
    let numbers = json!([
        {"op": "equal", "text": "Councillors approved the plan by "},
        {"op": "delete", "text": "31"},
        {"op": "insert", "text": "29"},
        {"op": "equal", "text": " votes to "},
        {"op": "delete", "text": "12"},
        {"op": "insert", "text": "14"},
        {"op": "equal", "text": " after a debate that lasted more than four hours."},
    ]);
    assert_eq!(
        value,
        json!({
            "article_id": 1,
            "from": {"number": 0, "seen_at": "TIME", "title": "Council approves harbour bridge"},
            "to": {
                "number": 1,
                "seen_at": "TIME",
                "title": "Council approves harbour bridge after four-hour debate",
            },
            "html": "/articles/1/diff/0/1",
            "kind": "edit",
            "labels": ["headline", "number", "stealth"],
            "significance": 65,
            "level": "major",
            "summary": "Headline rewritten · 31 → 29, 12 → 14",
            "features": [
                {"name": "headline rewritten", "points": 30},
                {"name": "numbers changed: 31 → 29, 12 → 14", "points": 25},
                {"name": "no correction note", "points": 10},
            ],
            "actions": [{
                "type": "edit",
                "old_index": 3,
                "new_index": 3,
                "old_text": STORY[3],
                "new_text": "Councillors approved the plan by 29 votes to 14 after a debate that \
                             lasted more than four hours.",
                "old_paragraph": 3,
                "new_paragraph": 3,
                "pieces": numbers,
            }],
            "title": {
                "changed": true,
                "pieces": [
                    {"op": "equal", "text": "Council approves harbour bridge"},
                    {"op": "insert", "text": " after four-hour debate"},
                ],
            },
            "byline": {"changed": false, "pieces": [{"op": "equal", "text": "Ana Lima"}]},
            "paragraphs": [
                equal(0),
                equal(1),
                equal(2),
                {"op": "change", "old_index": 3, "new_index": 3, "pieces": numbers},
                equal(4),
                equal(5),
                equal(6),
                equal(7),
            ],
            "words_added": 6,
            "words_removed": 2,
        })
    );
    // `--format json` is the same as `--json`.
    let format = s.redline(&["diff", &n, "--format", "json"]);
    let mut same: serde_json::Value = serde_json::from_slice(&format.stdout).unwrap();
    json_without_times(&mut same);
    assert_eq!(same, value);

    // The same count of changes everywhere: the article list and its JSON.
    let articles = stdout(&s.redline(&["articles"]));
    let table: Vec<Vec<&str>> = articles
        .lines()
        .map(|l| {
            l.split("  ")
                .filter(|c| !c.is_empty())
                .map(str::trim)
                .collect()
        })
        .collect();
    assert_eq!(table.len(), 2, "{articles}");
    assert_eq!(
        &table[0][..5],
        ["ID", "SOURCE", "STATUS", "VERSIONS", "CHANGES"]
    );
    assert_eq!(
        &table[1][..5],
        ["1", "outlet0", "active", "2", "2"],
        "{articles}"
    );
    let sources = stdout(&s.redline(&["sources"]));
    let table: Vec<Vec<&str>> = sources
        .lines()
        .map(|l| l.split_whitespace().take(5).collect())
        .collect();
    assert_eq!(
        table,
        [
            ["SOURCE", "ARTICLES", "ACTIVE", "CHANGED", "VERSIONS"],
            ["outlet0", "1", "1", "1", "2"]
        ],
        "{sources}"
    );
    let listed: serde_json::Value =
        serde_json::from_slice(&s.redline(&["articles", "--json"]).stdout).unwrap();
    assert_eq!(listed[0]["changes"], 2);
    assert_eq!(listed[0]["version_count"], 2);

    let out_of_range = s.redline(&["diff", "1", "--to", "5"]);
    assert!(!out_of_range.status.success());
    assert_eq!(
        stderr(&out_of_range),
        "error: article #1 has versions 0 to 1; there is no version 5\n"
    );

    let history_json = s.redline(&["history", &url, "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&history_json.stdout).unwrap();
    assert_eq!(value["versions"].as_array().unwrap().len(), 2);
    assert_eq!(value["article"]["changes"], 2);
    let kinds: Vec<&serde_json::Value> = value["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["kind"])
        .collect();
    assert_eq!(kinds, [&json!("edit"), &json!("revert")]);
}

/// Runs `redline args…` with its stdout a pipe that is closed after the
/// first few bytes (or, with `read: false`, before anything is written).
fn closed_early(dir: &Path, args: &[&str], read: bool) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("redline runs");
    let mut out = child.stdout.take().unwrap();
    if read {
        let mut first = [0u8; 8];
        out.read_exact(&mut first).expect("some output");
    }
    drop(out);
    child.wait_with_output().expect("redline ends")
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    // Many copies of one page: far more output than a pipe holds, so
    // writing must meet the closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    let paragraph = "<p>The storm reached the coast on Monday night, bringing winds of up to \
                     90mph and heavy rain to the region.</p>";
    std::fs::write(
        &page,
        format!(
            "<html><body><article><h1>Storm</h1>{}</article></body></html>",
            paragraph.repeat(20)
        ),
    )
    .unwrap();
    let page = page.to_str().unwrap().to_string();
    let mut args = vec!["extract"];
    args.extend(std::iter::repeat_n(page.as_str(), 300));
    let out = closed_early(dir.path(), &args, true);
    assert!(out.status.success(), "{:?} {}", out.status, stderr(&out));
    assert_eq!(stderr(&out), "");

    let s = Setup::new(1);
    let url = s.room.article_url(s.room.article_ids()[0]);
    assert!(s.redline(&["check", &url]).status.success());
    let config = s.config();
    let config = config.to_str().unwrap();
    for command in [
        &["history", "1"][..],
        &["history", "1", "--json"],
        &["diff", "1"],
        &["articles"],
        &["sources", "--json"],
    ] {
        let args = [&["--config", config][..], command].concat();
        let out = closed_early(s.dir.path(), &args, false);
        assert!(
            out.status.success(),
            "{command:?}: {:?} {}",
            out.status,
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        assert_eq!(stderr(&out), "", "{command:?}");
    }
}

#[test]
fn crawl_once_sources_and_articles() {
    let s = Setup::new(5);
    let crawl = s.redline(&["crawl", "--once"]);
    assert!(crawl.status.success(), "{}", stderr(&crawl));

    let sources = s.redline(&["sources", "--json"]);
    let mut value: serde_json::Value = serde_json::from_slice(&sources.stdout).unwrap();
    json_without_times(&mut value);
    assert_eq!(
        value,
        json!([{
            "name": "outlet0", "title": "outlet0", "articles": 5, "active": 5, "retired": 0,
            "gone": 0, "versions": 5, "changed_articles": 0, "checks": 5, "errors": 0,
            "last_change": null, "first_seen": "TIME", "last_check": "TIME", "next_check": "TIME"
        }])
    );

    let articles = s.redline(&["articles", "--source", "outlet0"]);
    // Five articles first seen together: their order among themselves is
    // the moment each was seen, so the rows are compared as a set.
    let out = without_times(&stdout(&articles));
    let out = regex::Regex::new(r"in 1[45]m")
        .unwrap()
        .replace_all(&out, "in 15m");
    let mut lines: Vec<&str> = out.lines().collect();
    lines[1..].sort();
    assert_eq!(
        lines,
        [
            "ID  SOURCE   STATUS  VERSIONS  CHANGES  FIRST SEEN            LAST CHANGED  LAST CHECK  NEXT CHECK  TITLE / URL",
            "1   outlet0  active  1         0        YYYY-MM-DD HH:MM UTC  -             now         in 15m      The Northern Rail Authority to defend wage growth after weaker than e…",
            "2   outlet0  active  1         0        YYYY-MM-DD HH:MM UTC  -             now         in 15m      Inside the fight over the summer festival",
            "3   outlet0  active  1         0        YYYY-MM-DD HH:MM UTC  -             now         in 15m      The opposition party defends the school funding formula amid criticism",
            "4   outlet0  active  1         0        YYYY-MM-DD HH:MM UTC  -             now         in 15m      Why the satellite broadband scheme matters more than ever",
            "5   outlet0  active  1         0        YYYY-MM-DD HH:MM UTC  -             now         in 15m      Inside the fight over the regional trade agreement",
        ]
    );

    let bad_status = s.redline(&["articles", "--status", "sleeping"]);
    assert!(!bad_status.status.success());
    assert_eq!(
        stderr(&bad_status),
        "error: unknown status \"sleeping\": use active, retired, gone or merged\n"
    );
}

#[test]
fn store_copy_copies_a_database_and_redline_database_url_reads_the_copy() {
    let s = Setup::new(3);
    let crawl = s.redline(&["crawl", "--once"]);
    assert!(crawl.status.success(), "{}", stderr(&crawl));
    let copy = s.redline(&["store", "copy", "redline.db", "copy.db"]);
    assert!(copy.status.success(), "{}", stderr(&copy));
    assert_eq!(
        stdout(&copy),
        "copied redline.db into copy.db
sources       1 rows
listings      1 rows
articles      3 rows
article_urls  3 rows
versions      3 rows
events        6 rows
site_changes  0 rows
changes       0 rows
verified: every table has the same rows and content hash on both sides
"
    );
    assert_eq!(stderr(&copy), "");

    // The copy, named by REDLINE_DATABASE_URL over the configuration's
    // database, reads as the original.
    let read = |database: Option<&str>, args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
        command
            .args([&["--config", s.config().to_str().unwrap()], args].concat())
            .current_dir(s.dir.path())
            .env_remove("REDLINE_LOG")
            .env_remove("REDLINE_DATABASE_URL");
        if let Some(database) = database {
            command.env("REDLINE_DATABASE_URL", database);
        }
        command.output().unwrap()
    };
    for args in [&["articles", "--json"][..], &["history", "1", "--json"]] {
        let original = read(None, args);
        let copied = read(Some("copy.db"), args);
        assert!(original.status.success(), "{}", stderr(&original));
        assert_eq!(stdout(&copied), stdout(&original), "{args:?}");
    }
    let empty = read(Some("other.db"), &["articles", "--json"]);
    assert_eq!(
        stdout(&empty),
        "[]\n",
        "another database is another database"
    );

    let refused = read(Some("mysql://root@db.example/news"), &["articles"]);
    assert!(!refused.status.success());
    assert_eq!(
        stderr(&refused),
        "error: invalid configuration in the environment: REDLINE_DATABASE_URL: mysql:// is \
         not a database redline can use: give a SQLite file's path such as \"redline.db\", or \
         a PostgreSQL URL such as \"postgres://redline:PASSWORD@localhost:5432/redline\"\n"
    );
    let again = s.redline(&["store", "copy", "redline.db", "redline.db"]);
    assert!(!again.status.success());
    assert_eq!(
        stderr(&again),
        "error: cannot copy redline.db into redline.db: redline.db is both the source and the \
         target of the copy: name two databases\n"
    );
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
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot read {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let text = "The storm reached the coast on Monday night, bringing winds of up to 90mph and \
                heavy rain to the region.\n\nThousands of homes were left without power as \
                engineers worked through the night to restore supplies.";
    assert_eq!(
        lines,
        [&page, &gz].map(|file| json!({
            "byline": null, "file": file.to_str().unwrap(), "published": null,
            "text": text, "title": "Storm hits coast"
        }))
    );
}

#[test]
fn a_bad_configuration_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("redline.toml");
    std::fs::write(&config, "[crawl]\nper_host_delay = \"soon\"\n").unwrap();
    let out = redline_in(dir.path(), &["sources"]);
    assert!(!out.status.success());
    assert_eq!(
        stderr(&out),
        "error: invalid configuration in redline.toml: TOML parse error at line 2, column 18
  |
2 | per_host_delay = \"soon\"
  |                  ^^^^^^
invalid duration \"soon\" (expected number at 0); write it like \"500ms\", \"30m\", \"1h\" or \"2d\"
"
    );
    let out = redline_in(dir.path(), &["--config", "/nonexistent.toml", "sources"]);
    assert_eq!(
        stderr(&out),
        "error: cannot read the configuration file /nonexistent.toml: No such file or directory \
         (os error 2)\n"
    );
}
