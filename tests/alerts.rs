//! Alerts end to end: `redline crawl` with `[[alert]]` rules watches the
//! simulated newsroom while its articles are edited in several ways, and
//! a webhook receiver on loopback (this file's, checking each request as
//! the webhook format documents it) takes the deliveries.
//!
//! - Every matching change is delivered once, with a valid signature, and
//!   none of the others; one alert's secret comes from the environment.
//! - The crawler is SIGKILLed while its deliveries are in flight (the
//!   receiver holds them unanswered): after a restart each is delivered
//!   again, with the same delivery id, and acknowledged once.
//! - A flood of 200 changes to one alert gives `max_per_hour` messages
//!   and one digest; the same paragraph added to many articles (a site
//!   change) gives one message for the site change.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::crash::settled;
use hmac::{Hmac, KeyInit, Mac};
use redline_newsroom::{ArticleStatus as RoomStatus, Edit, Newsroom, NewsroomConfig};
use redline_store::{ChangeQuery, SqliteStore, prelude::*};
use serde_json::Value;
use sha2::Sha256;

mod common;

/// One request the receiver took.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
    /// Answered 200.
    acked: bool,
    /// When it arrived.
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Holds every request unanswered until the mode changes, then closes
    /// the connection without an answer.
    Hang,
    /// Answers 200.
    Ok,
}

struct Receiver {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    log: Arc<Mutex<Vec<Received>>>,
}

fn read_request(stream: &mut TcpStream) -> Option<(String, BTreeMap<String, String>, Vec<u8>)> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let request_line = lines.next()?;
    let mut parts = request_line.split(' ');
    assert_eq!(parts.next(), Some("POST"), "a webhook delivery is a POST");
    let path = parts.next()?.to_string();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers.get("content-length")?.parse().ok()?;
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Some((path, headers, body))
}

/// What the receiver answers, standing in for Mastodon's and Bluesky's
/// calls as their documentation gives the answers (the fields redline
/// reads); an empty body elsewhere.
fn service_answer(path: &str) -> &'static str {
    match path {
        "/api/v2/media" => r#"{"id":"m1","type":"image"}"#,
        "/api/v1/statuses" => r#"{"id":"s1"}"#,
        "/xrpc/com.atproto.server.createSession" => {
            r#"{"accessJwt":"jwt-1","refreshJwt":"jwt-r","handle":"redline.test","did":"did:plc:test"}"#
        }
        "/xrpc/com.atproto.repo.uploadBlob" => {
            r#"{"blob":{"$type":"blob","ref":{"$link":"bafkreitest"},"mimeType":"image/png","size":1}}"#
        }
        "/xrpc/com.atproto.repo.createRecord" => {
            r#"{"uri":"at://did:plc:test/app.bsky.feed.post/3k","cid":"bafytest"}"#
        }
        _ => "",
    }
}

impl Receiver {
    fn start(mode: Mode) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(Mutex::new(mode));
        let log = Arc::new(Mutex::new(Vec::new()));
        let (m, l) = (mode.clone(), log.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (m, l) = (m.clone(), l.clone());
                std::thread::spawn(move || {
                    let Some((path, headers, body)) = read_request(&mut stream) else {
                        return;
                    };
                    let answer = service_answer(&path);
                    let index = {
                        let mut log = l.lock().unwrap();
                        log.push(Received {
                            path,
                            headers,
                            body,
                            acked: false,
                            at: chrono::Utc::now(),
                        });
                        log.len() - 1
                    };
                    if *m.lock().unwrap() == Mode::Hang {
                        while *m.lock().unwrap() == Mode::Hang {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        return; // closed unanswered
                    }
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         content-length: {}\r\nconnection: close\r\n\r\n{answer}",
                        answer.len()
                    );
                    if stream.write_all(response.as_bytes()).is_ok() && stream.flush().is_ok() {
                        l.lock().unwrap()[index].acked = true;
                    }
                });
            }
        });
        Receiver { port, mode, log }
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

fn start_crawler(config: &Path, log: &Path, env: &[(&str, &str)]) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_redline"));
    command
        .args(["--config", config.to_str().unwrap(), "crawl"])
        .env("REDLINE_LOG", "warn,redline_alert=info")
        .env_remove("REDLINE_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(log);
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().expect("redline starts")
}

fn wait_for(what: &str, log: &Path, timeout: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < timeout,
            "timed out waiting for {what}; the crawler's log:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// Checks a delivery as the webhook format documents it; returns its JSON.
fn checked(r: &Received, secret: &str) -> Value {
    assert_eq!(
        r.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    assert_eq!(
        r.headers.get("x-redline-signature"),
        Some(&signature(secret, &r.body)),
        "the signature of {} holds",
        r.path
    );
    let json: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        json["delivery_id"].as_str(),
        r.headers.get("x-redline-delivery").map(String::as_str)
    );
    json
}

fn room(articles: usize) -> Newsroom {
    Newsroom::start_detached(NewsroomConfig {
        articles,
        outlets: 1,
        seed: 11,
        ..Default::default()
    })
    .unwrap()
}

const SCHEDULE: &str = "[schedule]\nafter_change = \"1s\"\nbackoff = 1.0\nmax_interval = \"1s\"\n";

/// Starts the crawler and waits until it has stored every article.
fn first_crawl(
    config: &Path,
    log: &Path,
    env: &[(&str, &str)],
    room: &Newsroom,
    db: &Path,
) -> Child {
    let crawler = start_crawler(config, log, env);
    wait_for("the first crawl", log, Duration::from_secs(60), || {
        all_settled(room, db)
    });
    crawler
}

/// Every article of the room stored.
fn all_settled(room: &Newsroom, db: &Path) -> bool {
    db.exists()
        && SqliteStore::open(db)
            .map(|s| settled(room, &s).len() == room.article_ids().len())
            .unwrap_or(false)
}

fn changes(db: &Path) -> Vec<redline_store::Change> {
    SqliteStore::open(db)
        .unwrap()
        .changes(&ChangeQuery {
            include_minor: true,
            include_site_changes: true,
            limit: 10_000,
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn matching_changes_are_delivered_once_signed_even_across_a_sigkill() {
    let room = room(12);
    let ids = room.article_ids();
    let receiver = Receiver::start(Mode::Hang);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("redline.db");
    let log = dir.path().join("crawler.log");
    let watched = room.article_url(ids[2]);
    let config = common::write_config(
        dir.path(),
        dir.path(),
        &format!(
            "id = \"alerts-test\"\nfeed_interval = \"1s\"\n{}",
            common::FAST_CRAWL
        ),
        &format!(
            "[server]\nbase_url = \"https://redline.example.org\"\n{SCHEDULE}{}\
             [[alert]]\nname = \"headlines\"\nchannel = \"webhook\"\nurl = \"{}\"\n\
             secret = \"headline-secret\"\nlabels = [\"headline\"]\n\
             [[alert]]\nname = \"watch\"\nchannel = \"webhook\"\nurl = \"{}\"\n\
             articles = [\"{watched}\"]\n\
             [[alert]]\nname = \"quoted\"\nchannel = \"webhook\"\nurl = \"{}\"\n\
             secret = \"quoted-secret\"\nquery = '\"council has since responded\"'\n",
            common::outlet_sources(&room),
            receiver.url("headlines"),
            receiver.url("watch"),
            receiver.url("quoted"),
        ),
    );
    // The watch list's secret comes from the environment only.
    let env = [("REDLINE_ALERT_WATCH_SECRET", "watch-secret-from-env")];
    let mut crawler = first_crawl(&config, &log, &env, &room, &db);

    // Edits of several kinds; three match an alert each.
    room.edit(
        ids[0],
        Edit::SetHeadline("Minister resigns after inquiry".into()),
    )
    .unwrap();
    room.edit(
        ids[1],
        Edit::ReplaceWord {
            paragraph: 0,
            word_index: 1,
            with: "reportedly".into(),
        },
    )
    .unwrap();
    room.edit(
        ids[2],
        Edit::ReplaceWord {
            paragraph: 0,
            word_index: 2,
            with: "allegedly".into(),
        },
    )
    .unwrap();
    let last = room.article(ids[3]).unwrap().paragraphs.len();
    room.edit(
        ids[3],
        Edit::AddParagraph {
            at: last,
            text: "Update: the council has since responded to the report.".into(),
        },
    )
    .unwrap();
    room.set_status(ids[4], RoomStatus::NotFound).unwrap();

    // The three deliveries reach the receiver, which holds them: the
    // crawler is killed while they are in flight, unacknowledged.
    wait_for(
        "three deliveries in flight",
        &log,
        Duration::from_secs(60),
        || receiver.received().len() >= 3,
    );
    wait_for(
        "the five changes stored",
        &log,
        Duration::from_secs(60),
        || changes(&db).len() == 5,
    );
    crawler.kill().unwrap(); // SIGKILL
    crawler.wait().unwrap();
    receiver.set(Mode::Ok);
    let in_flight = receiver.received();
    assert!(in_flight.iter().all(|r| !r.acked));

    let mut crawler = start_crawler(&config, &log, &env);
    wait_for(
        "the deliveries acknowledged",
        &log,
        Duration::from_secs(60),
        || receiver.received().iter().filter(|r| r.acked).count() >= 3,
    );
    // Nothing more comes.
    std::thread::sleep(Duration::from_secs(3));
    crawler.kill().unwrap();
    crawler.wait().unwrap();

    let stored = changes(&db);
    let key_of = |article_url: &str| {
        stored
            .iter()
            .find(|c| c.url == article_url)
            .map(|c| c.key)
            .unwrap()
    };
    let acked: Vec<Received> = receiver
        .received()
        .into_iter()
        .filter(|r| r.acked)
        .collect();
    let mut seen: Vec<(String, String, String, i64)> = acked
        .iter()
        .map(|r| {
            let secret = match r.path.as_str() {
                "/headlines" => "headline-secret",
                "/watch" => "watch-secret-from-env",
                "/quoted" => "quoted-secret",
                other => panic!("a delivery to {other}"),
            };
            let json = checked(r, secret);
            let change = &json["change"];
            (
                r.path.clone(),
                json["delivery_id"].as_str().unwrap().to_string(),
                change["url"].as_str().unwrap().to_string(),
                json["article"]["id"].as_i64().unwrap(),
            )
        })
        .collect();
    seen.sort();
    let article_id = |url: &str| stored.iter().find(|c| c.url == url).unwrap().article_id;
    let (u0, u2, u3) = (
        room.article_url(ids[0]),
        room.article_url(ids[2]),
        room.article_url(ids[3]),
    );
    let mut expected = vec![
        (
            "/headlines".to_string(),
            format!("headlines-{}", key_of(&u0)),
            u0.clone(),
            article_id(&u0),
        ),
        (
            "/quoted".to_string(),
            format!("quoted-{}", key_of(&u3)),
            u3.clone(),
            article_id(&u3),
        ),
        (
            "/watch".to_string(),
            format!("watch-{}", key_of(&u2)),
            u2.clone(),
            article_id(&u2),
        ),
    ];
    expected.sort();
    assert_eq!(seen, expected, "each matching change acknowledged once");
    // What was in flight at the kill was sent again under the same ids.
    let mut first: Vec<String> = in_flight
        .iter()
        .map(|r| r.headers["x-redline-delivery"].clone())
        .collect();
    first.sort();
    let mut again: Vec<String> = seen.iter().map(|s| s.1.clone()).collect();
    again.sort();
    assert_eq!(first, again);

    // One delivery's whole JSON, as documented.
    let headline = acked.iter().find(|r| r.path == "/headlines").unwrap();
    let json = checked(headline, "headline-secret");
    let id = article_id(&u0);
    let key = key_of(&u0);
    assert_eq!(json["alert"], "headlines");
    assert_eq!(json["kind"], "change");
    assert_eq!(json["test"], false);
    assert_eq!(
        json["diff_url"],
        format!("https://redline.example.org/articles/{id}/diff/0/1")
    );
    assert_eq!(
        json["card_url"],
        format!("https://redline.example.org/articles/{id}/diff/0/1.png")
    );
    assert_eq!(json["change"]["title"], "Minister resigns after inquiry");
    assert_eq!(json["change"]["kind"], "edit");
    assert_eq!(json["change"]["headline_changed"], true);
    assert!(
        json["change"]["labels"]
            .as_array()
            .unwrap()
            .contains(&Value::from("headline"))
    );
    assert_eq!(
        json["change"]["links"]["html"],
        format!("https://redline.example.org/articles/{id}/diff/0/1")
    );
    assert_eq!(json["article"]["url"], u0.as_str());
    assert_eq!(json["delivery_id"], format!("headlines-{key}"));

    // `redline alerts` says the same.
    let out = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["--config", config.to_str().unwrap(), "alerts", "--json"])
        .env("REDLINE_ALERT_WATCH_SECRET", "watch-secret-from-env")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut status: Value = serde_json::from_slice(&out.stdout).unwrap();
    for alert in status.as_array_mut().unwrap() {
        assert!(alert["last_sent"].is_string());
        alert["last_sent"] = Value::from("-");
    }
    let row = |name: &str| {
        serde_json::json!({
            "alert": name, "channel": "webhook", "sent": 1, "messages": 1, "queued": 0,
            "failing": 0, "failed": 0, "last_sent": "-", "last_error": null,
        })
    };
    assert_eq!(
        status,
        serde_json::json!([row("headlines"), row("watch"), row("quoted")])
    );
    // The secret never reaches the log.
    let logged = std::fs::read_to_string(&log).unwrap();
    for secret in ["headline-secret", "watch-secret-from-env", "quoted-secret"] {
        assert!(!logged.contains(secret), "{secret} in the log:\n{logged}");
    }
}

#[test]
fn a_flood_gives_at_most_max_per_hour_messages_and_a_site_change_one() {
    let room = room(60);
    let ids = room.article_ids();
    let receiver = Receiver::start(Mode::Ok);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("redline.db");
    let log = dir.path().join("crawler.log");
    let config = common::write_config(
        dir.path(),
        dir.path(),
        &format!("feed_interval = \"1s\"\n{}", common::FAST_CRAWL),
        &format!(
            "[server]\nbase_url = \"https://redline.example.org\"\n{SCHEDULE}{}\
             [[alert]]\nname = \"flood\"\nchannel = \"webhook\"\nurl = \"{}\"\n\
             secret = \"flood-secret\"\nmax_per_hour = 12\nquery = \"zqflood*\"\n\
             [[alert]]\nname = \"site\"\nchannel = \"webhook\"\nurl = \"{}\"\n\
             secret = \"site-secret\"\nquery = '\"publish the full report next month\"'\n",
            common::outlet_sources(&room),
            receiver.url("flood"),
            receiver.url("site"),
        ),
    );
    let mut crawler = first_crawl(&config, &log, &[], &room, &db);
    // 200 edits: each of the 50 first articles edited four times, one
    // edit stored before the next is made.
    let flood = &ids[..50];
    for round in 0..4 {
        for (i, id) in flood.iter().enumerate() {
            room.edit(
                *id,
                Edit::ReplaceWord {
                    paragraph: 0,
                    word_index: 1 + round,
                    with: format!("zqflood{round}x{i}"),
                },
            )
            .unwrap();
        }
        let want = 50 * (round + 1);
        wait_for("the flood stored", &log, Duration::from_secs(120), || {
            changes(&db).len() >= want
        });
    }
    // The same paragraph added to ten other articles: a site change.
    for id in &ids[50..60] {
        let at = room.article(*id).unwrap().paragraphs.len();
        room.edit(
            *id,
            Edit::AddParagraph {
                at,
                text:
                    "The ministry said on Tuesday that it would publish the full report next month."
                        .into(),
            },
        )
        .unwrap();
    }
    wait_for(
        "the site change stored",
        &log,
        Duration::from_secs(60),
        || changes(&db).len() >= 210,
    );
    // The digest gathers for ten seconds after the limit is reached.
    wait_for("the digest", &log, Duration::from_secs(60), || {
        receiver.received().iter().any(|r| {
            r.path == "/flood" && String::from_utf8_lossy(&r.body).contains("\"kind\":\"digest\"")
        })
    });
    std::thread::sleep(Duration::from_secs(2));
    crawler.kill().unwrap();
    crawler.wait().unwrap();

    let received = receiver.received();
    let flood_messages: Vec<Value> = received
        .iter()
        .filter(|r| r.path == "/flood")
        .map(|r| checked(r, "flood-secret"))
        .collect();
    let kinds: Vec<&str> = flood_messages
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    let mut expected = vec!["change"; 12];
    expected.push("digest");
    assert_eq!(kinds, expected, "max_per_hour messages, then one digest");
    // The delivery latency, for the README: from the check that stored a
    // change (its seen_at) to the webhook's receipt (printed, not asserted).
    let mut latencies: Vec<i64> = received
        .iter()
        .filter(|r| r.path == "/flood")
        .filter_map(|r| {
            let json: Value = serde_json::from_slice(&r.body).ok()?;
            let seen: chrono::DateTime<chrono::Utc> =
                json["change"]["seen_at"].as_str()?.parse().ok()?;
            Some((r.at - seen).num_milliseconds())
        })
        .collect();
    latencies.sort_unstable();
    eprintln!(
        "delivery latency (check to webhook), {} changes: min {} ms, median {} ms, max {} ms",
        latencies.len(),
        latencies[0],
        latencies[latencies.len() / 2],
        latencies[latencies.len() - 1]
    );
    let digest = flood_messages.last().unwrap();
    let digested = digest["total"].as_u64().unwrap();
    // Every flood change is sent alone, in the digest, or waiting for the
    // next hour.
    let out = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["--config", config.to_str().unwrap(), "alerts", "--json"])
        .output()
        .unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    let flood_status = &status[0];
    assert_eq!(flood_status["alert"], "flood");
    assert_eq!(flood_status["messages"], 13);
    let queued = flood_status["queued"].as_u64().unwrap();
    // The flood articles' changes (200 edits; a check may also have seen
    // an edit in two steps, which makes one more).
    let flood_urls: Vec<String> = flood.iter().map(|id| room.article_url(*id)).collect();
    let flood_changes = changes(&db)
        .iter()
        .filter(|c| flood_urls.contains(&c.url))
        .count() as u64;
    assert!(flood_changes >= 200);
    assert_eq!(12 + digested + queued, flood_changes, "{status}");
    assert_eq!(flood_status["sent"].as_u64().unwrap(), 12 + digested);
    assert!(digested > 0);

    // The site change: at most the first few alone (before the fifth made
    // it a site change), then one message for all of it.
    let site: Vec<Value> = received
        .iter()
        .filter(|r| r.path == "/site")
        .map(|r| checked(r, "site-secret"))
        .collect();
    let site_kinds: Vec<&str> = site.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    let grouped = site_kinds.iter().filter(|k| **k == "site_change").count();
    assert_eq!(grouped, 1, "{site_kinds:?}");
    assert!(site.len() <= 5, "{site_kinds:?}");
    let group = site.iter().find(|m| m["kind"] == "site_change").unwrap();
    assert!(group["site_change"]["articles"].as_u64().unwrap() >= 5);
}

fn header<'a>(r: &'a Received, name: &str) -> &'a str {
    r.headers.get(name).map(String::as_str).unwrap_or("")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `redline alerts test NAME` through Slack, Discord, Mastodon and Bluesky,
/// each against this file's receiver standing in for the service: the
/// requests are the ones the services document.
#[test]
fn each_channel_makes_the_requests_its_service_documents() {
    let room = room(3);
    let ids = room.article_ids();
    let receiver = Receiver::start(Mode::Ok);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("redline.db");
    let log = dir.path().join("crawler.log");
    let base = format!("http://127.0.0.1:{}", receiver.port);
    let config = common::write_config(
        dir.path(),
        dir.path(),
        &format!("feed_interval = \"1s\"\n{}", common::FAST_CRAWL),
        &format!(
            "[server]\nbase_url = \"https://redline.example.org\"\n{SCHEDULE}{}\
             [[alert]]\nname = \"slack\"\nchannel = \"slack\"\nurl = \"{base}/slack\"\n\
             [[alert]]\nname = \"discord\"\nchannel = \"discord\"\nurl = \"{base}/discord\"\n\
             [[alert]]\nname = \"mastodon\"\nchannel = \"mastodon\"\ninstance = \"{base}\"\n\
             token = \"mastodon-token\"\n\
             [[alert]]\nname = \"bluesky\"\nchannel = \"bluesky\"\nservice = \"{base}\"\n\
             handle = \"redline.test\"\napp_password = \"app-pass\"\n",
            common::outlet_sources(&room),
        ),
    );
    // Rules that match nothing a crawl finds: the messages come from
    // `alerts test` only.
    let config_text = std::fs::read_to_string(&config).unwrap();
    let config_text = config_text.replace(
        "[[alert]]\n",
        "[[alert]]\nsources = [\"outlet0\"]\nmin_significance = 100\n",
    );
    std::fs::write(&config, config_text).unwrap();
    let mut crawler = first_crawl(&config, &log, &[], &room, &db);
    room.edit(
        ids[0],
        Edit::SetHeadline("Minister <b>resigns</b> & @everyone".into()),
    )
    .unwrap();
    wait_for("the change stored", &log, Duration::from_secs(60), || {
        changes(&db).len() == 1
    });
    crawler.kill().unwrap();
    crawler.wait().unwrap();
    let change = &changes(&db)[0];
    let diff_url = format!(
        "https://redline.example.org/articles/{}/diff/0/1",
        change.article_id
    );
    let before = receiver.received().len();
    let mut ids_sent = BTreeMap::new();
    for name in ["slack", "discord", "mastodon", "bluesky"] {
        let out = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args([
                "--config",
                config.to_str().unwrap(),
                "alerts",
                "test",
                name,
                "--json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(answer["alert"], name);
        assert_eq!(answer["sent"], true);
        ids_sent.insert(name, answer["delivery_id"].as_str().unwrap().to_string());
    }
    let got: Vec<Received> = receiver.received()[before..].to_vec();
    let paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/slack",
            "/discord",
            "/api/v2/media",
            "/api/v1/statuses",
            "/xrpc/com.atproto.server.createSession",
            "/xrpc/com.atproto.repo.uploadBlob",
            "/xrpc/com.atproto.repo.createRecord",
        ]
    );
    let json = |r: &Received| -> Value { serde_json::from_slice(&r.body).unwrap() };

    // Slack: header, mrkdwn section with the text escaped, the diff button.
    let slack = json(&got[0]);
    assert_eq!(header(&got[0], "content-type"), "application/json");
    let section = slack["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(
        section.contains("Minister &lt;b&gt;resigns&lt;/b&gt; &amp; @everyone"),
        "{section}"
    );
    assert!(!section.contains('<'), "{section}");
    assert_eq!(slack["blocks"][0]["type"], "header");
    assert_eq!(slack["blocks"][1]["text"]["type"], "mrkdwn");
    assert_eq!(slack["blocks"][2]["elements"][0]["url"], diff_url.as_str());
    assert_eq!(slack["unfurl_links"], false);

    // Discord: mentions off, an embed linking the diff with the card.
    let discord = json(&got[1]);
    assert_eq!(
        discord["allowed_mentions"],
        serde_json::json!({"parse": []})
    );
    assert_eq!(discord["embeds"][0]["url"], diff_url.as_str());
    assert_eq!(
        discord["embeds"][0]["image"]["url"],
        format!("{diff_url}.png")
    );
    assert!(discord["content"].as_str().unwrap().starts_with("[test] "));

    // Mastodon: the card as media with its alt text, then the status.
    let media = &got[2];
    assert_eq!(header(media, "authorization"), "Bearer mastodon-token");
    assert!(header(media, "content-type").starts_with("multipart/form-data; boundary="));
    assert!(contains(
        &media.body,
        b"Content-Disposition: form-data; name=\"file\"; filename=\"change.png\""
    ));
    assert!(contains(&media.body, b"\x89PNG\r\n\x1a\n"));
    assert!(contains(&media.body, b"name=\"description\""));
    assert!(contains(
        &media.body,
        "Headline after: Minister <b>resigns</b> & @everyone".as_bytes()
    ));
    let status = json(&got[3]);
    assert_eq!(header(&got[3], "authorization"), "Bearer mastodon-token");
    assert_eq!(
        header(&got[3], "idempotency-key"),
        ids_sent["mastodon"].as_str()
    );
    assert_eq!(status["media_ids"], serde_json::json!(["m1"]));
    let text = status["status"].as_str().unwrap();
    assert!(text.ends_with(&diff_url), "{text}");
    assert!(text.starts_with("[test] "), "{text}");

    // Bluesky: a session, the blob, the post with the image and a facet
    // over the link.
    let session = json(&got[4]);
    assert_eq!(
        session,
        serde_json::json!({"identifier": "redline.test", "password": "app-pass"})
    );
    let blob = &got[5];
    assert_eq!(header(blob, "authorization"), "Bearer jwt-1");
    assert_eq!(header(blob, "content-type"), "image/png");
    assert!(blob.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    let create = json(&got[6]);
    assert_eq!(header(&got[6], "authorization"), "Bearer jwt-1");
    assert_eq!(create["repo"], "did:plc:test");
    assert_eq!(create["collection"], "app.bsky.feed.post");
    let record = &create["record"];
    assert_eq!(record["$type"], "app.bsky.feed.post");
    let text = record["text"].as_str().unwrap();
    assert!(text.chars().count() <= 300);
    let facet = &record["facets"][0];
    let (start, end) = (
        facet["index"]["byteStart"].as_u64().unwrap() as usize,
        facet["index"]["byteEnd"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text.as_bytes()[start..end], diff_url.as_bytes());
    assert_eq!(
        facet["features"][0]["$type"],
        "app.bsky.richtext.facet#link"
    );
    assert_eq!(facet["features"][0]["uri"], diff_url.as_str());
    let image = &record["embed"]["images"][0];
    assert_eq!(record["embed"]["$type"], "app.bsky.embed.images");
    assert_eq!(image["image"]["ref"]["$link"], "bafkreitest");
    assert_eq!(
        image["aspectRatio"],
        serde_json::json!({"width": 1200, "height": 675})
    );
    assert!(
        image["alt"]
            .as_str()
            .unwrap()
            .contains("Headline after: Minister <b>resigns</b> & @everyone")
    );
    // No secret in what was printed.
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(!logged.contains("mastodon-token") && !logged.contains("app-pass"));
}

/// The e-mail channel against a real SMTP server: aiosmtpd (Python, from
/// the virtual environment `.ci/run` makes: `REDLINE_PYTHON`) storing what
/// it receives in a maildir. Required when `REDLINE_REQUIRE_SMTP` is set
/// (CI); elsewhere a missing aiosmtpd is a loud skip.
#[test]
fn email_reaches_a_real_smtp_server_with_plain_and_html_parts() {
    let python = std::env::var("REDLINE_PYTHON").unwrap_or_else(|_| "python3".into());
    let has_aiosmtpd = Command::new(&python)
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_aiosmtpd {
        assert!(
            std::env::var_os("REDLINE_REQUIRE_SMTP").is_none(),
            "aiosmtpd is not installed for {python}, and REDLINE_REQUIRE_SMTP is set"
        );
        eprintln!("SKIPPED: aiosmtpd is not installed for {python}: no SMTP test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = Command::new(&python)
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "aiosmtpd did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let room = room(3);
    let ids = room.article_ids();
    let db = dir.path().join("redline.db");
    let log = dir.path().join("crawler.log");
    let config = common::write_config(
        dir.path(),
        dir.path(),
        &format!("feed_interval = \"1s\"\n{}", common::FAST_CRAWL),
        &format!(
            "[server]\nbase_url = \"https://redline.example.org\"\n{SCHEDULE}{}\
             [[alert]]\nname = \"desk\"\nchannel = \"email\"\n\
             from = \"redline@example.org\"\nto = [\"desk@example.org\", \"editor@example.org\"]\n\
             labels = [\"headline\"]\n",
            common::outlet_sources(&room),
        ),
    );
    let smtp = format!("smtp+plain://127.0.0.1:{port}");
    let env = [("REDLINE_ALERT_DESK_SMTP", smtp.as_str())];
    let mut crawler = first_crawl(&config, &log, &env, &room, &db);
    room.edit(
        ids[0],
        Edit::SetHeadline("Minister <b>resigns</b> after inquiry".into()),
    )
    .unwrap();
    let new_mail = maildir.join("new");
    wait_for("the e-mail", &log, Duration::from_secs(60), || {
        std::fs::read_dir(&new_mail).is_ok_and(|d| d.count() == 1)
    });
    std::thread::sleep(Duration::from_secs(2));
    crawler.kill().unwrap();
    crawler.wait().unwrap();
    server.kill().unwrap();
    server.wait().unwrap();

    let files: Vec<_> = std::fs::read_dir(&new_mail).unwrap().collect();
    assert_eq!(files.len(), 1, "one message for one change");
    let mail = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    let change = &changes(&db)[0];
    let key = change.key;
    let id = change.article_id;
    for line in [
        "From: redline@example.org".to_string(),
        "To: desk@example.org, editor@example.org".to_string(),
        format!("Message-ID: <desk-{key}@redline>"),
        "Content-Type: multipart/alternative;".to_string(),
        "Content-Type: text/plain; charset=utf-8".to_string(),
        "Content-Type: text/html; charset=utf-8".to_string(),
    ] {
        assert!(mail.contains(&line), "{line:?} in:\n{mail}");
    }
    let subject = mail
        .lines()
        .find(|l| l.starts_with("Subject: "))
        .unwrap_or_default();
    assert_eq!(
        subject,
        format!(
            "Subject: {}: {} ({}, {})",
            change.source_title,
            change.summary,
            change.level().as_str(),
            change.significance
        )
    );
    // Both parts, decoded, say what changed.
    let decoded = decode_parts(&mail);
    let plain = decoded.iter().find(|p| p.0 == "text/plain").unwrap();
    let html = decoded.iter().find(|p| p.0 == "text/html").unwrap();
    assert!(
        plain
            .1
            .contains("Headline after: Minister <b>resigns</b> after inquiry"),
        "{}",
        plain.1
    );
    assert!(plain.1.contains(&format!(
        "Diff: https://redline.example.org/articles/{id}/diff/0/1"
    )));
    assert!(plain.1.contains(&format!("delivery desk-{key}")));
    assert!(
        html.1.contains(
            "<ins style=\"color:#006400\">Minister &lt;b&gt;resigns&lt;/b&gt; after inquiry</ins>"
        ),
        "{}",
        html.1
    );
    assert!(!html.1.contains("<b>resigns"), "article text is escaped");
}

/// The parts of a multipart message, with quoted-printable and base64
/// undone: (content type, text).
fn decode_parts(mail: &str) -> Vec<(String, String)> {
    let boundary = mail
        .split("boundary=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a boundary");
    let mut parts = Vec::new();
    for part in mail.split(&format!("--{boundary}")).skip(1) {
        let Some((head, body)) = part
            .split_once("\r\n\r\n")
            .or_else(|| part.split_once("\n\n"))
        else {
            continue;
        };
        let head_lower = head.to_ascii_lowercase();
        let kind = if head_lower.contains("text/plain") {
            "text/plain"
        } else if head_lower.contains("text/html") {
            "text/html"
        } else {
            continue;
        };
        let text = if head_lower.contains("quoted-printable") {
            quoted_printable(body)
        } else if head_lower.contains("base64") {
            let joined: String = body.split_whitespace().collect();
            String::from_utf8(data_encoding::BASE64.decode(joined.as_bytes()).unwrap()).unwrap()
        } else {
            body.to_string()
        };
        parts.push((kind.to_string(), text));
    }
    parts
}

fn quoted_printable(s: &str) -> String {
    let mut out = Vec::new();
    let bytes = s.replace("=\r\n", "").replace("=\n", "");
    let b = bytes.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&bytes[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}
