//! The pages in a real browser: headless Chromium driven over WebDriver
//! (Debian's `chromium` and `chromium-driver`). Opens the latest changes,
//! follows a link to an article and on to a diff, checks that both columns
//! and a highlighted change are visible and that a folded run opens, and
//! saves screenshots under the target directory.
//!
//! Without a browser the test says so loudly and passes, unless
//! `REDLINE_REQUIRE_BROWSER=1` (CI sets it), when it fails.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_binary(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p));
    }
    candidates.iter().map(PathBuf::from).find(|p| p.exists())
}

/// A minimal blocking HTTP/1.1 JSON client for the WebDriver protocol.
struct Driver {
    port: u16,
    session: String,
}

fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .map_err(|e| e.to_string())?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    // Read the head, then exactly Content-Length bytes (chromedriver keeps
    // the connection open whatever the request says).
    let mut raw = Vec::new();
    let mut buf = [0u8; 16384];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the answer".into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(length) => {
            while raw.len() < head_end + length {
                let n = stream.read(&mut buf).map_err(|e| e.to_string())?;
                if n == 0 {
                    break;
                }
                raw.extend_from_slice(&buf[..n]);
            }
        }
        None => {
            stream.read_to_end(&mut raw).map_err(|e| e.to_string())?;
        }
    }
    let body_raw = String::from_utf8_lossy(&raw[head_end..]).into_owned();
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(&body_raw)
    } else {
        body_raw
    };
    let value: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
    if let Some(err) = value["value"]["error"].as_str() {
        return Err(format!("{err}: {}", value["value"]["message"]));
    }
    Ok(value["value"].clone())
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

impl Driver {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        http(self.port, method, &path, body.as_ref())
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn find_all(&self, css: &str) -> Vec<String> {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_array()
            .unwrap()
            .iter()
            .map(|e| e[ELEMENT].as_str().unwrap().to_string())
            .collect()
    }

    fn click(&self, element: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// (x, y, width, height) of an element.
    fn rect(&self, element: &str) -> (f64, f64, f64, f64) {
        let r = self.call("GET", &format!("/element/{element}/rect"), None);
        let f = |k: &str| r[k].as_f64().unwrap();
        (f("x"), f("y"), f("width"), f("height"))
    }

    fn displayed(&self, element: &str) -> bool {
        self.call("GET", &format!("/element/{element}/displayed"), None)
            .as_bool()
            .unwrap_or(false)
    }

    fn css(&self, element: &str, property: &str) -> String {
        self.call("GET", &format!("/element/{element}/css/{property}"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn text(&self, element: &str) -> String {
        self.call("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn resize(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        );
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.call("GET", "/screenshot", None);
        let png = data_encoding::BASE64
            .decode(b64.as_str().unwrap().as_bytes())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::write(path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
    }

    /// Scrolls an element into view before a screenshot.
    fn scroll_to(&self, element: &str) {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({
                "script": "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);",
                "args": [{ ELEMENT: element }],
            })),
        );
    }
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn browse_changes_article_and_diff() {
    let chromium = find_binary(
        "REDLINE_CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    );
    let chromedriver = find_binary("REDLINE_CHROMEDRIVER", &["/usr/bin/chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var("REDLINE_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "REDLINE_REQUIRE_BROWSER=1 but chromium or chromedriver is missing \
                 (apt-get install chromium chromium-driver)"
            );
        }
        eprintln!();
        eprintln!(
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        );
        eprintln!(
            "!! SKIPPED the browser test: /usr/bin/chromium or /usr/bin/chromedriver missing"
        );
        eprintln!(
            "!! (apt-get install chromium chromium-driver; REDLINE_REQUIRE_BROWSER=1 to fail)"
        );
        eprintln!(
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
        );
        return;
    };
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));

    // The server, on its own runtime.
    let f = common::fixture();
    let store = f.store.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            redline_web::serve(listener, store, redline_web::WebConfig::default(), async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
    });

    // chromedriver on a free loopback port.
    let port = free_port();
    let driver_log = out_dir.join("chromedriver.log");
    let _driver = KillOnDrop(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", driver_log.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if http(port, "GET", "/status", None).is_ok_and(|v| v["ready"] == true) {
            break;
        }
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tempfile::tempdir().unwrap();
    let session = http(
        port,
        "POST",
        "/session",
        Some(&json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium.display().to_string(),
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--hide-scrollbars",
                        format!("--user-data-dir={}", profile.path().display()),
                        "--window-size=1280,1000",
                    ],
                },
            }},
        })),
    )
    .expect("start a browser session");
    let d = Driver {
        port,
        session: session["sessionId"].as_str().unwrap().to_string(),
    };

    // The latest changes.
    d.goto(&format!("{base}/"));
    let headlines = d.find_all("li.change a.headline");
    assert!(headlines.len() >= 4, "changes listed: {}", headlines.len());
    let h1 = d.find("main h1");
    assert_eq!(d.text(&h1), "Latest changes");
    let footer = d.find("footer .totals");
    assert!(d.text(&footer).starts_with("Monitoring 6 articles"));
    d.screenshot(&out_dir.join("redline-changes.png"));

    // Follow the link to the edited article's history.
    let history = d.find(&format!("li.change a[href=\"/articles/{}\"]", f.edited));
    d.click(&history);
    assert!(
        d.url().ends_with(&format!("/articles/{}", f.edited)),
        "{}",
        d.url()
    );
    let summary = d.find("p.summary");
    assert!(d.text(&summary).contains("This article is from the source"));
    let rows = d.find_all("table.versions tbody tr");
    assert_eq!(rows.len(), 4);
    d.screenshot(&out_dir.join("redline-article.png"));

    // And on to the diff of its first change.
    let link = d.find(&format!("a[href=\"/articles/{}/diff/0/1\"]", f.edited));
    d.click(&link);
    assert!(
        d.url()
            .ends_with(&format!("/articles/{}/diff/0/1", f.edited)),
        "{}",
        d.url()
    );
    let heads = d.find_all(".diff.side .dhead h2.colhead");
    assert_eq!(heads.len(), 2);
    assert_eq!(d.text(&heads[0]), "Version 0");
    assert!(
        d.text(&heads[1])
            .starts_with("Version 1 (about 9 hours later)")
    );
    let changed = d.find(".diff.side .drow.chg");
    let old = d.find(".diff.side .drow.chg .cell.old");
    let new = d.find(".diff.side .drow.chg .cell.new");
    let (ox, oy, ow, oh) = d.rect(&old);
    let (nx, ny, nw, nh) = d.rect(&new);
    assert!(
        d.displayed(&old) && d.displayed(&new),
        "both columns visible"
    );
    assert!(
        ow > 300.0 && nw > 300.0 && oh > 20.0 && nh > 20.0,
        "column sizes {ow}x{oh} {nw}x{nh}"
    );
    assert!(
        nx > ox + ow - 2.0 && (ny - oy).abs() < 2.0,
        "side by side: {ox},{oy} {nx},{ny}"
    );
    let ins = d.find(".diff.side .drow.chg .cell.new ins");
    let del = d.find(".diff.side .drow.chg .cell.old del");
    assert!(
        d.displayed(&ins) && d.displayed(&del),
        "highlighted words visible"
    );
    let (_, _, iw, ih) = d.rect(&ins);
    assert!(iw > 5.0 && ih > 5.0);
    let bg = d.css(&ins, "background-color");
    assert!(
        !bg.is_empty() && bg != "rgba(0, 0, 0, 0)",
        "added words are highlighted: {bg}"
    );
    let del_bg = d.css(&del, "background-color");
    assert_ne!(bg, del_bg, "removed and added words look different");
    let _ = changed;
    d.scroll_to(&d.find(".diffbar"));
    d.screenshot(&out_dir.join("redline-diff.png"));
    // A folded run of unchanged paragraphs opens without JavaScript.
    let hidden_row = d.find("details.fold .drow");
    assert!(!d.displayed(&hidden_row), "folded rows start hidden");
    d.click(&d.find("details.fold > summary"));
    assert!(d.displayed(&hidden_row), "the fold opens");

    // The hatched "paragraph added" box fills the old column of its row
    // and nothing else: not the paragraph-number column, not the margin,
    // not the new column; at a desktop width and at a narrow one above
    // the phone layout.
    for width in [1280, 760] {
        d.resize(width, 900);
        d.goto(&format!("{base}/articles/{}/diff/1/2", f.edited));
        let diff = d.rect(&d.find(".diff.side"));
        let row = d.rect(&d.find(".diff.side .drow.ins"));
        let empty = d.find(".diff.side .drow.ins .cell.old.empty");
        assert_eq!(d.text(&empty), "paragraph added");
        let hatched = d.rect(&empty);
        let number = d.rect(&d.find(".diff.side .drow.ins > :first-child"));
        let added = d.rect(&d.find(".diff.side .drow.ins .cell.new"));
        let inside = |(x, y, w, h): (f64, f64, f64, f64),
                      (bx, by, bw, bh): (f64, f64, f64, f64)| {
            x >= bx - 0.5 && y >= by - 0.5 && x + w <= bx + bw + 0.5 && y + h <= by + bh + 0.5
        };
        assert!(
            inside(hatched, row) && inside(row, diff),
            "at {width}px the hatched box {hatched:?} stays in its row {row:?} and the diff {diff:?}"
        );
        assert!(
            hatched.0 >= number.0 + number.2 - 0.5 && hatched.0 + hatched.2 <= added.0 + 0.5,
            "at {width}px the hatched box {hatched:?} lies between the number column {number:?} \
             and the added paragraph {added:?}"
        );
        assert!(
            hatched.2 > 100.0,
            "at {width}px the hatched box is a column wide: {hatched:?}"
        );
    }
    d.screenshot(&out_dir.join("redline-diff-added.png"));

    // A phone: the columns stack and stay readable.
    d.resize(390, 844);
    d.goto(&format!("{base}/articles/{}/diff/1/2", f.edited));
    let old = d.find(".diff.side .drow.chg .cell.old");
    let new = d.find(".diff.side .drow.chg .cell.new");
    let (ox, oy, ow, _) = d.rect(&old);
    let (nx, ny, nw, _) = d.rect(&new);
    assert!((ox - nx).abs() < 2.0 && ny > oy, "stacked on a phone");
    assert!(
        ow > 250.0 && nw > 250.0,
        "readable width on a phone: {ow} {nw}"
    );
    d.screenshot(&out_dir.join("redline-diff-phone.png"));

    d.call("DELETE", "", None);
    let _ = stop.send(());
    server.join().unwrap();
}
