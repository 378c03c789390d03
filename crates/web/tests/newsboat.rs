//! The feeds in a real text-only feed reader: newsboat (Debian's
//! `newsboat`), run inside tmux. The fixture is served on loopback; newsboat
//! subscribes to the edited article's RSS and Atom feeds through its own
//! urls, config and cache files, reloads them, and opens the entries for
//! the headline rewrite (1→2) and the lede edit (0→1) of each. What
//! newsboat puts on the screen for an entry is compared, line for line,
//! with what a reader should see: "Headline was: …" and "Now: …" on lines
//! of their own, "Removed: …" and "Added: …" spelled out, and removed and
//! added words apart ("supplying Iraq Iraqi forces", never "IraqIraqi").
//! Only the entry's title and its first line (the classifier's summary and
//! score) are taken from the Atom feed itself; every other line is written
//! out here.
//!
//! Without newsboat or tmux the test says so loudly and passes, unless
//! `REDLINE_REQUIRE_NEWSBOAT=1` (CI sets it), when it fails.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The pane is this wide, so newsboat wraps none of the entry's lines and
/// each line on the screen is one line of its rendering.
const WIDTH: &str = "1000";
const HEIGHT: &str = "60";
/// How long any one wait for newsboat lasts.
const WAIT: Duration = Duration::from_secs(20);

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A tmux server of our own (its socket in the test's temporary
/// directory), killed with everything in it when dropped.
struct Tmux {
    socket: PathBuf,
}

const SESSION: &str = "newsboat";

impl Tmux {
    fn command(&self) -> Command {
        let mut c = Command::new("tmux");
        c.arg("-S").arg(&self.socket);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run tmux")
    }

    /// Starts `program` in a detached session of the given size, with
    /// `HOME` (and the XDG directories) under `home` and no proxy.
    fn start(&self, home: &Path, program: &str) {
        let out = self
            .command()
            .args(["-f", "/dev/null", "new-session", "-d", "-s", SESSION])
            .args(["-x", WIDTH, "-y", HEIGHT, program])
            .env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("TERM", "xterm-256color")
            .env("TZ", "UTC")
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env_remove("TMUX")
            .env_remove("http_proxy")
            .env_remove("https_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("HTTPS_PROXY")
            .env_remove("all_proxy")
            .env_remove("ALL_PROXY")
            .output()
            .expect("start tmux");
        assert!(out.status.success(), "tmux new-session: {out:?}");
    }

    /// Types keys (tmux key names: "Enter", "q", ":").
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", SESSION];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "tmux send-keys {keys:?}: {out:?}");
    }

    /// The screen as text, trailing blanks trimmed by tmux.
    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", SESSION]);
        assert!(out.status.success(), "tmux capture-pane: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `ok` holds, for at most [`WAIT`]. Every
    /// second without it, newsboat is asked to redraw (Ctrl-L): on a busy
    /// machine curses may leave a line half-updated that it only repaints
    /// then.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        let mut redraw = Instant::now() + Duration::from_secs(1);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "newsboat did not show {what} within {WAIT:?}; the screen:\n{s}"
            );
            if Instant::now() >= redraw {
                self.keys(&["C-l"]);
                redraw = Instant::now() + Duration::from_secs(1);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The last line with anything on it: newsboat's prompt or key help.
    fn bottom(screen: &str) -> &str {
        screen
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }

    /// Moves newsboat's cursor to entry `n` of the list on the screen
    /// through its `:N` command, and waits until the command has run.
    fn goto(&self, n: usize) {
        self.keys(&[":"]);
        self.wait_for("its command prompt", |s| Self::bottom(s).starts_with(':'));
        let n = n.to_string();
        self.keys(&[&n]);
        self.wait_for("the number typed", |s| Self::bottom(s) == format!(":{n}"));
        self.keys(&["Enter"]);
        self.wait_for("the key help after the command", |s| {
            Self::bottom(s).starts_with("q:Quit")
        });
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// A GET over loopback, the body of a 200 answer.
fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "GET {path}: {head}");
    body.to_string()
}

/// An entry as newsboat shows it: the lines below the title bar, down to the
/// end of its links, each with its runs of blanks made one space.
fn entry_lines(screen: &str) -> Vec<String> {
    let mut lines: Vec<String> = screen
        .lines()
        .skip(1)
        .take_while(|l| *l != "~" && !l.starts_with("q:Quit"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Written to the process's own stderr, which the test harness does not
/// capture, so the skip shows in every run.
fn loud_skip(why: &str) {
    let bar = "!".repeat(80);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\n!! SKIPPED the newsboat test: {why}\n\
         !! (apt-get install newsboat tmux; REDLINE_REQUIRE_NEWSBOAT=1 to fail)\n{bar}"
    );
}

#[test]
fn newsboat_shows_an_articles_changes_in_plain_text() {
    let missing: Vec<&str> = ["newsboat", "tmux"]
        .into_iter()
        .filter(|p| on_path(p).is_none())
        .collect();
    if !missing.is_empty() {
        let why = format!("{} not found on PATH", missing.join(" and "));
        if std::env::var("REDLINE_REQUIRE_NEWSBOAT").as_deref() == Ok("1") {
            panic!("REDLINE_REQUIRE_NEWSBOAT=1 but {why} (apt-get install newsboat tmux)");
        }
        loud_skip(&why);
        return;
    }

    // The server, on a runtime of its own: dropping the runtime at the end
    // of the test (or when an assertion fails) stops it.
    let f = common::fixture();
    let store = f.store.clone();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let base = format!("http://{addr}");
    rt.spawn(redline_web::serve(
        listener,
        store,
        redline_web::WebConfig::default(),
        std::future::pending(),
    ));

    // What the feed says of each change besides the diff (the summary and
    // significance come from the classifier): the reader must show it as is.
    let id = f.edited;
    let atom = get(&addr, &format!("/articles/{id}/feed.atom"));
    let parsed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    let feed_title = parsed.title.as_ref().unwrap().content.clone();
    let entry = |pair: &str| {
        let link = format!("{base}/articles/{id}/diff/{pair}");
        let e = parsed
            .entries
            .iter()
            .find(|e| e.id == link)
            .unwrap_or_else(|| panic!("no entry for {link} in\n{atom}"));
        (
            link,
            e.title.as_ref().unwrap().content.clone(),
            e.summary.as_ref().unwrap().content.clone(),
            e.published
                .unwrap()
                .format("%a, %d %b %Y %H:%M:%S %z")
                .to_string(),
            e.authors[0].name.clone().unwrap(),
        )
    };

    // newsboat's own files, all in a temporary directory.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let feeds = [
        format!("{base}/articles/{id}/feed.rss"),
        format!("{base}/articles/{id}/feed.atom"),
    ];
    std::fs::write(d.join("urls"), feeds.join("\n") + "\n").unwrap();
    std::fs::write(
        d.join("config"),
        "auto-reload no\n\
         refresh-on-startup no\n\
         show-read-feeds yes\n\
         show-read-articles yes\n\
         confirm-exit no\n\
         html-renderer internal\n\
         text-width 0\n\
         use-proxy no\n\
         download-timeout 10\n\
         download-retries 1\n\
         reload-threads 1\n\
         datetime-format \"%b %d\"\n",
    )
    .unwrap();
    let tmux = Tmux {
        socket: d.join("tmux.sock"),
    };
    tmux.start(
        d,
        &format!(
            "newsboat -u '{}' -c '{}' -C '{}'",
            d.join("urls").display(),
            d.join("cache.db").display(),
            d.join("config").display()
        ),
    );
    tmux.wait_for("its list of feeds", |s| s.contains("Your feeds"));
    tmux.keys(&["R"]);
    let list = tmux.wait_for("both feeds loaded, 3 entries each", |s| {
        s.lines().filter(|l| l.contains("(3/3)")).count() == 2
    });
    assert!(list.contains(&feed_title), "{list}");

    let mut seen = Vec::new();
    for (n, feed) in feeds.iter().enumerate() {
        let atom = feed.ends_with(".atom");
        tmux.goto(n + 1);
        tmux.keys(&["Enter"]);
        let items = tmux.wait_for(&format!("the entries of {feed}"), |s| {
            s.lines().next().is_some_and(|l| l.ends_with(feed.as_str())) && s.contains("   3 ")
        });

        for pair in ["1/2", "0/1"] {
            let (link, title, summary, date, author) = entry(pair);
            // The entry's place in newsboat's list, by its title.
            let line = items
                .lines()
                .find(|l| l.ends_with(&title))
                .unwrap_or_else(|| panic!("no entry titled {title:?} in\n{items}"));
            let number: usize = line.split_whitespace().next().unwrap().parse().unwrap();
            tmux.goto(number);
            tmux.keys(&["Enter"]);
            let screen = tmux.wait_for(&format!("the entry for {pair} of {feed}"), |s| {
                s.lines()
                    .next()
                    .is_some_and(|l| l.contains(&format!("Article '{title}'")))
                    && s.contains(&format!("[1]: {link} (link)"))
            });
            let body: &[&str] = if pair == "1/2" {
                &[
                    "Headline was: Iran Secretly Sending Drones and Supplies Into Iraq",
                    "Now: Iran Sending Drones and Supplies Into Iraq, U.S. Officials Say",
                    "",
                    "…",
                    "",
                    "Added (paragraph 11): Secretary of State John Kerry highlighted some of \
                     the potential risks on Wednesday.",
                ]
            } else {
                &[
                    "Changed (paragraph 1): BRUSSELS — Iran is directing surveillance drones \
                     over Iraq from an airfield in Baghdad and is secretly supplying Iraq Iraqi \
                     forces with tons of military equipment, supplies and other assistance, \
                     supplies, according to American officials said.",
                    "",
                    "Removed: “secretly”, “Iraq”, “, supplies”, “assistance,”, “said” · \
                     Added: “Iraqi forces”, “supplies, according to”",
                ]
            };
            let mut expected = vec![format!("Feed: {feed_title}"), format!("Title: {title}")];
            if atom {
                expected.push(format!("Author: {author}"));
            }
            expected.extend([
                format!("Date: {date}"),
                format!("Link: {link}"),
                String::new(),
                summary,
                String::new(),
            ]);
            expected.extend(body.iter().map(|l| l.to_string()));
            expected.extend([
                String::new(),
                "See this change side by side[1]".into(),
                String::new(),
                "Links:".into(),
                format!("[1]: {link} (link)"),
            ]);
            let got = entry_lines(&screen);
            assert_eq!(
                got, expected,
                "newsboat's rendering of {pair} in {feed}; the screen:\n{screen}"
            );
            let text = got.join("\n");
            for glued in ["Iraqwith", "IraqIraqi", "secretlysupplying", "WednesdaySee"] {
                assert!(!text.contains(glued), "{glued:?} in\n{text}");
            }
            seen.push(text);
            tmux.keys(&["q"]);
            tmux.wait_for(&format!("the entries of {feed} again"), |s| {
                s.lines().next().is_some_and(|l| l.ends_with(feed.as_str()))
            });
        }
        tmux.keys(&["q"]);
        tmux.wait_for("its list of feeds again", |s| s.contains("Your feeds"));
    }
    eprintln!(
        "newsboat showed, for the 0→1 change in the RSS feed:\n{}",
        seen[1]
    );

    drop(tmux);
    drop(rt);
}
