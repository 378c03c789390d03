//! A throwaway PostgreSQL cluster for the conformance suite: `initdb` and
//! `pg_ctl` in a temporary directory, listening on loopback only on a free
//! port, with a password (SCRAM) for TCP connections so that wrong
//! credentials can be tested. One cluster per test binary, stopped and
//! removed when dropped (also when the suite panics).
//!
//! PostgreSQL refuses to run as root: when the tests run as root (as CI
//! does), the cluster runs as the unprivileged user `nobody` through
//! `runuser`, its directory handed to that user.
//!
//! The binaries are found through `REDLINE_PG_BINDIR`, then
//! `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`
//! (Debian's layout). Missing binaries are an error that says how to
//! install them, never a silent skip.

use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The superuser of the cluster and its password.
pub const USER: &str = "redline";
pub const PASSWORD: &str = "conformance-suite";

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// Run PostgreSQL's programs as this user (when the tests run as root).
    as_user: Option<String>,
    pub port: u16,
}

fn install_hint() -> String {
    "Install PostgreSQL's server (Debian: apt-get install postgresql), or set \
     REDLINE_PG_BINDIR to the folder holding initdb and pg_ctl. Run only the SQLite half \
     with `cargo test -p redline-store --test conformance -- sqlite/`."
        .into()
}

/// The folder of `initdb` and `pg_ctl`.
fn find_bindir() -> Result<PathBuf, String> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("REDLINE_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        return if has_tools(&dir) {
            Ok(dir)
        } else {
            Err(format!(
                "REDLINE_PG_BINDIR={} holds no initdb and pg_ctl. {}",
                dir.display(),
                install_hint()
            ))
        };
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_tools(&dir) {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    candidates.sort();
    candidates.pop().map(|(_, dir)| dir).ok_or_else(|| {
        format!(
            "the PostgreSQL half of the conformance suite needs initdb and pg_ctl, and none \
             were found (not via pg_config --bindir, not in /usr/lib/postgresql/*/bin). {}",
            install_hint()
        )
    })
}

/// The uid and gid of `name`, from /etc/passwd.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.len() > 3 && fields[0] == name)
            .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
            .flatten()
    })
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

impl Cluster {
    /// Creates and starts a cluster.
    pub fn start() -> Result<Cluster, String> {
        let bin = find_bindir()?;
        let root = std::fs::metadata("/proc/self")
            .map(|m| m.uid() == 0)
            .unwrap_or(false);
        let dir = tempfile::Builder::new()
            .prefix("redline-pg-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let as_user = if root {
            let (uid, gid) = user_ids("nobody").ok_or(
                "the tests run as root, and PostgreSQL refuses to: the cluster runs as the \
                 user nobody, which this machine lacks; run the tests as an ordinary user",
            )?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| format!("cannot hand {} to nobody: {e}", dir.path().display()))?;
            Some("nobody".to_string())
        } else {
            None
        };
        let mut cluster = Cluster {
            dir,
            bin,
            as_user,
            port: 0,
        };
        let pwfile = cluster.dir.path().join("password");
        std::fs::write(&pwfile, PASSWORD).map_err(|e| e.to_string())?;
        if let Some((uid, gid)) = cluster.as_user.as_deref().and_then(user_ids) {
            std::os::unix::fs::chown(&pwfile, Some(uid), Some(gid)).map_err(|e| e.to_string())?;
        }
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                USER,
                "--pwfile",
                &pwfile.display().to_string(),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
        )?;
        // A port can be taken between our look and the server's bind: try
        // a few.
        let mut last = String::new();
        for _ in 0..5 {
            cluster.port = free_port()?;
            let options = format!(
                "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                cluster.port,
                cluster.dir.path().display()
            );
            let log = cluster.dir.path().join("server.log").display().to_string();
            match cluster.run(
                "pg_ctl",
                &[
                    "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start",
                ],
            ) {
                Ok(()) => return Ok(cluster),
                Err(e) => {
                    let server_log = std::fs::read_to_string(&log).unwrap_or_default();
                    last = format!("{e}\nserver log:\n{server_log}");
                }
            }
        }
        Err(format!("the PostgreSQL server did not start: {last}"))
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// Runs one of PostgreSQL's programs (as `nobody` when we are root).
    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin.join(program);
        let mut command = match &self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&path);
                c
            }
            None => Command::new(&path),
        };
        command.args(args).current_dir(self.dir.path());
        let out = command.output().map_err(|e| {
            format!(
                "cannot run {}{}: {e}",
                path.display(),
                if self.as_user.is_some() {
                    " through runuser (util-linux)"
                } else {
                    ""
                }
            )
        })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// The URL of database `db` with the cluster's credentials.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{USER}:{PASSWORD}@127.0.0.1:{}/{db}", self.port)
    }

    /// Creates an empty database; its URL.
    pub fn create_database(&self, name: &str) -> String {
        let mut admin = ::postgres::Client::connect(&self.url("postgres"), ::postgres::NoTls)
            .expect("connect to the test cluster");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create a test database");
        self.url(name)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        if let Err(e) = self.run("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]) {
            eprintln!("stopping the test cluster: {e}");
        }
    }
}
