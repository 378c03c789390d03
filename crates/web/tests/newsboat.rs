mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redline_store::Store;

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "nb"];
        args.extend_from_slice(keys);
        let out = self.run(&args);
        assert!(out.status.success(), "tmux send-keys: {out:?}");
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", "nb"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "newsboat did not show {what} within 20 s; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn newsboat_reads_an_articles_feed() {
    if on_path("newsboat").is_none() || on_path("tmux").is_none() {
        if std::env::var("REDLINE_REQUIRE_NEWSBOAT").as_deref() == Ok("1") {
            panic!("REDLINE_REQUIRE_NEWSBOAT=1 but newsboat or tmux is missing");
        }
        eprintln!("SKIPPED");
        return;
    }
    let f = common::fixture();
    let store = f.store.clone() as Arc<dyn Store>;
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

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let url = format!("{base}/articles/{}/feed.rss", f.edited);
    std::fs::write(d.join("urls"), format!("{url}\n")).unwrap();
    std::fs::write(
        d.join("config"),
        "auto-reload no\nshow-read-feeds yes\nconfirm-exit no\nhtml-renderer internal\n",
    )
    .unwrap();
    let tmux = Tmux {
        socket: d.join("tmux.sock"),
    };
    let cmd = format!(
        "newsboat -u {} -c {} -C {}",
        d.join("urls").display(),
        d.join("cache.db").display(),
        d.join("config").display()
    );
    let out = Command::new("tmux")
        .arg("-S")
        .arg(&tmux.socket)
        .args(["-f", "/dev/null", "new-session", "-d", "-s", "nb", "-x", "200", "-y", "60", &cmd])
        .env("HOME", d)
        .env("TERM", "xterm-256color")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::thread::sleep(Duration::from_secs(2));
    eprintln!("{}", tmux.screen());
    tmux.keys(&["r"]);
    let s = tmux.wait_for("the feed", |s| s.contains("redline: changes"));
    eprintln!("{s}");
    tmux.keys(&["Enter"]);
    std::thread::sleep(Duration::from_secs(1));
    eprintln!("{}", tmux.screen());
    tmux.keys(&["Enter"]);
    std::thread::sleep(Duration::from_secs(1));
    eprintln!("{}", tmux.screen());
    tmux.keys(&["q", "j", "Enter"]);
    std::thread::sleep(Duration::from_secs(1));
    eprintln!("{}", tmux.screen());
    tmux.keys(&["q", "j", "Enter"]);
    std::thread::sleep(Duration::from_secs(1));
    eprintln!("{}", tmux.screen());
    let _ = Path::new("");
    drop(tmux);
    let _ = stop.send(());
    server.join().unwrap();
}
