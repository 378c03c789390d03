//! `redline`: the command-line interface. Each command reads the
//! configuration, opens what it needs and reports in plain text or JSON.

mod app;
mod cli;
mod diffview;
mod output;
mod progress;

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use clap::Parser;
use redline_config::Config;
use redline_store::{ArticleFilter, ArticleStatus, EventKind};
use serde_json::json;
use tokio::sync::watch;

use crate::cli::{AlertsCommand, Cli, ColorChoice, Command, DiffFormat, StoreCommand};
use crate::output::{
    Paint, StdoutClosed, Table, cut, note, opt_time, out, outln, relative, time, times,
};

/// Threads for blocking work (see `main`).
const BLOCKING_THREADS: usize = 8;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let long_running = matches!(
        cli.command,
        Command::Run | Command::Serve | Command::Crawl { .. }
    );
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "error",
        (false, 0) if long_running => "info",
        (false, 0) => "warn",
        (false, 1) => "debug",
        (false, _) => "trace",
    };
    let bar = progress::init_logging(level);
    // Store calls, extraction and archive writes run on the blocking pool;
    // a small pool keeps memory flat (every thread brings its own stack and
    // allocator arena) while still overlapping them with network I/O.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            note(&format!("error: cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(execute(cli, bar));
    match result {
        Ok(code) => code,
        // `redline … | head`: the reader has all it wanted.
        Err(e) if e.downcast_ref::<StdoutClosed>().is_some() => ExitCode::SUCCESS,
        Err(e) => {
            note(&format!("error: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli, bar: Option<indicatif::ProgressBar>) -> Result<ExitCode> {
    if let Command::Extract { files, .. } = &cli.command {
        return extract(files);
    }
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Run => run(&config, bar, true, true).await,
        Command::Serve => run(&config, bar, false, true).await,
        Command::Crawl { once: false } => run(&config, bar, true, false).await,
        Command::Crawl { once: true } => crawl_once(&config, bar).await,
        Command::Check {
            urls,
            source,
            output,
        } => check(&config, &urls, source.as_deref(), output.json).await,
        Command::Sources { output } => sources(&config, output.json),
        Command::Articles {
            source,
            status,
            changed,
            limit,
            output,
        } => articles(&config, source, status, changed, limit, output.json),
        Command::History { article, output } => history(&config, &article, output.json),
        Command::Diff {
            article,
            from,
            to,
            output,
            format,
            color,
        } => {
            let as_json = output.json || format == Some(DiffFormat::Json);
            diff(&config, &article, from, to, as_json, color)
        }
        Command::Reextract {
            source,
            since,
            output,
        } => reextract(&config, source.as_deref(), since.as_deref(), output.json),
        Command::Alerts { command, output } => alerts(&config, command, output.json).await,
        Command::Store {
            command: StoreCommand::Copy { from, to, output },
        } => store_copy(&from, &to, bar, output.json).await,
        Command::Extract { .. } => unreachable!("handled above"),
    }
}

/// `redline store copy FROM TO`.
async fn store_copy(
    from: &str,
    to: &str,
    bar: Option<indicatif::ProgressBar>,
    as_json: bool,
) -> Result<ExitCode> {
    let database = |text: &str, name: &str| {
        redline_config::Database::parse(text)
            .map_err(|e| anyhow::anyhow!("{name} {e}"))
            .with_context(|| format!("cannot copy: {name} is not a database"))
    };
    let (from, to) = (database(from, "FROM")?, database(to, "TO")?);
    let (from_name, to_name) = (from.to_string(), to.to_string());
    let what = format!("{from_name} into {to_name}");
    let report = tokio::task::spawn_blocking(move || {
        let mut progress = |p: redline_store::copy::Progress| {
            if let Some(bar) = &bar {
                bar.set_message(match p {
                    redline_store::copy::Progress::Copying { table, rows } => {
                        format!("copying {table}: {rows} rows")
                    }
                    redline_store::copy::Progress::Verifying { table } => {
                        format!("verifying {table}")
                    }
                });
            }
        };
        redline_store::copy_database(&from, &to, &mut progress)
    })
    .await
    .context("the copy stopped unexpectedly")?
    .map_err(|e| {
        let hint = if e.is_transient() {
            "; once that is fixed, run the same command again: the copy resumes where it stopped"
        } else {
            ""
        };
        anyhow::Error::new(e).context(format!("cannot copy {what}{hint}"))
    })?;
    if as_json {
        let tables: Vec<serde_json::Value> = report
            .tables
            .iter()
            .map(|t| json!({"table": t.table, "rows": t.rows, "copied": t.copied}))
            .collect();
        let value = json!({"from": from_name, "to": to_name, "tables": tables, "verified": true});
        outln!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        outln!("copied {what}\n{report}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A date (midnight UTC) or an RFC 3339 time from the command line.
fn parse_since(raw: &str) -> Result<chrono::DateTime<Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .with_context(|| {
            format!("--since must be a date (2026-03-04) or an RFC 3339 time, not {raw:?}")
        })
}

fn reextract(
    config: &Config,
    source: Option<&str>,
    since: Option<&str>,
    as_json: bool,
) -> Result<ExitCode> {
    let since = since.map(parse_since).transpose()?;
    let store = app::open_store(config)?;
    if let Some(name) = source
        && !config.sources.iter().any(|s| s.name == name)
    {
        let names: Vec<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
        bail!(
            "there is no source named {name:?} in the configuration (sources: {})",
            names.join(", ")
        );
    }
    let mut extractors = std::collections::HashMap::new();
    for s in &config.sources {
        extractors.insert(s.name.clone(), redline_crawl::extractor_for(s)?);
    }
    let generic = redline_extract::Extractor::new();
    let (mut rebuilt, mut unchanged, mut before, mut after) = (0u64, 0u64, 0u64, 0u64);
    let mut unreadable = Vec::new();
    let now = Utc::now();
    // The list is read whole first: a rebuild can move an article in the
    // list's order (by last change), which paging would trip over.
    let mut all = Vec::new();
    loop {
        let page = store.articles(&ArticleFilter {
            source: source.map(str::to_string),
            limit: 500,
            offset: all.len(),
            ..Default::default()
        })?;
        if page.is_empty() {
            break;
        }
        all.extend(page);
    }
    {
        for article in &all {
            let extractor = extractors.get(&article.source).unwrap_or(&generic);
            let outcome = redline_crawl::reextract::reextract_article(
                store.as_ref(),
                &config.storage.archive,
                extractor,
                config.crawl.max_body.0,
                article,
                since,
                now,
                &mut unreadable,
            )
            .with_context(|| format!("re-extracting article #{}", article.id))?;
            match outcome {
                redline_crawl::reextract::Reextracted::Unchanged { .. } => unchanged += 1,
                redline_crawl::reextract::Reextracted::Rebuilt {
                    before: b,
                    after: a,
                    ..
                } => {
                    rebuilt += 1;
                    before += u64::from(b);
                    after += u64::from(a);
                    if !as_json {
                        outln!("#{} {}: {b} versions became {a}", article.id, article.url);
                    }
                }
            }
        }
    }
    for problem in &unreadable {
        eprintln!("warning: {problem}; that version kept its text");
    }
    if as_json {
        let value = json!({
            "articles_rebuilt": rebuilt,
            "articles_unchanged": unchanged,
            "versions_before": before,
            "versions_after": after,
            "unreadable_captures": unreadable,
        });
        outln!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        outln!(
            "{rebuilt} articles rebuilt ({before} versions became {after}), {unchanged} unchanged{}",
            if unreadable.is_empty() {
                String::new()
            } else {
                format!(", {} captures unreadable", unreadable.len())
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Resolves when the process is asked to stop (Ctrl-C or SIGTERM).
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

async fn run(
    config: &Config,
    bar: Option<indicatif::ProgressBar>,
    crawl: bool,
    serve: bool,
) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    let (stop, stopped) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let mut status_line = None;
    if serve {
        let listen = &config.server.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| {
                format!("cannot listen on {listen} (set [server] listen in the configuration)")
            })?;
        tracing::info!("serving on http://{listen}/");
        let web = redline_web::WebConfig {
            admin_token: std::env::var("REDLINE_ADMIN_TOKEN")
                .ok()
                .filter(|t| !t.trim().is_empty())
                .or_else(|| config.server.admin_token.clone()),
            base_url: config.server.base_url.clone(),
            archive_dir: Some(config.storage.archive.clone()),
        };
        let mut stopped = stopped.clone();
        let store = store.clone();
        tasks.spawn(async move {
            let until = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            redline_web::serve(listener, store, web, until)
                .await
                .context("the web server failed")
        });
    }
    if crawl {
        let crawler = app::crawler(config, store.clone()).await?;
        tracing::info!(
            sources = config.sources.len(),
            database = %config.storage.database,
            "crawling"
        );
        let watched = crawler.clone();
        status_line = progress::show_stats(bar, move || {
            progress::describe(watched.stats(), watched.storage_paused())
        });
        let stopped_crawl = stopped.clone();
        tasks.spawn(async move {
            crawler
                .run(stopped_crawl)
                .await
                .context("the crawler failed")
        });
        if let Some(worker) = app::alert_worker(config, store.clone())? {
            tracing::info!(alerts = config.alerts.len(), "sending alerts");
            let mut stopped = stopped.clone();
            tasks.spawn(async move {
                worker
                    .run(async move {
                        let _ = stopped.wait_for(|s| *s).await;
                    })
                    .await;
                Ok(())
            });
        }
    }
    // The first task to end (or Ctrl-C) stops the others; every task is
    // then waited for, so the crawler finishes its checks in flight even
    // when the web server failed, and the first error is what is reported.
    let mut first_error = None;
    tokio::select! {
        _ = shutdown_signal() => {
            tracing::info!("stopping (press Ctrl-C again to abort)");
        }
        Some(finished) = tasks.join_next() => {
            first_error = task_outcome(finished).err();
        }
    }
    let _ = stop.send(true);
    let drain = async {
        while let Some(done) = tasks.join_next().await {
            if let Err(e) = task_outcome(done) {
                tracing::error!("{e:#}");
                first_error.get_or_insert(e);
            }
        }
    };
    tokio::select! {
        _ = drain => {}
        _ = shutdown_signal() => bail!("aborted"),
    }
    if let Some(line) = status_line {
        line.abort();
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// `redline alerts`: each alert's status; `redline alerts test NAME`.
async fn alerts(
    config: &Config,
    command: Option<AlertsCommand>,
    as_json: bool,
) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    if let Some(AlertsCommand::Test { name, output }) = command {
        let as_json = as_json || output.json;
        if config.alert(&name).is_none() {
            bail!("no alert is called {name:?}: the configuration's [[alert]] rules name them");
        }
        let Some(worker) = app::alert_worker(config, store)? else {
            bail!("no [[alert]] is configured");
        };
        let id = worker.test(&name).await?;
        if as_json {
            outln!(
                "{}",
                json!({"alert": name, "delivery_id": id, "sent": true})
            );
        } else {
            outln!("sent a test message through alert {name} (delivery {id})");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let status = store.alert_status()?;
    let rows: Vec<(String, &'static str, redline_store::AlertStatus)> = config
        .alerts
        .iter()
        .map(|a| {
            let s = status
                .iter()
                .find(|s| s.alert == a.name)
                .cloned()
                .unwrap_or_else(|| redline_store::AlertStatus {
                    alert: a.name.clone(),
                    ..Default::default()
                });
            (a.name.clone(), a.channel.as_str(), s)
        })
        .collect();
    if as_json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(name, channel, s)| {
                json!({
                    "alert": name,
                    "channel": channel,
                    "sent": s.sent,
                    "messages": s.messages,
                    "queued": s.queued,
                    "failing": s.failing,
                    "failed": s.failed,
                    "last_sent": s.last_sent.map(|t| t.to_rfc3339()),
                    "last_error": s.last_error,
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        outln!("no [[alert]] is configured");
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{:<20} {:<9} {:>6} {:>8} {:>6} {:>7} {:>7}  {:<20} LAST ERROR",
        "ALERT",
        "CHANNEL",
        "SENT",
        "MESSAGES",
        "QUEUED",
        "FAILING",
        "FAILED",
        "LAST SENT"
    );
    for (name, channel, s) in rows {
        outln!(
            "{:<20} {:<9} {:>6} {:>8} {:>6} {:>7} {:>7}  {:<20} {}",
            output::clean(&name),
            channel,
            s.sent,
            s.messages,
            s.queued,
            s.failing,
            s.failed,
            s.last_sent.map_or("-".to_string(), time),
            output::clean(s.last_error.as_deref().unwrap_or("-"))
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn task_outcome(joined: Result<Result<()>, tokio::task::JoinError>) -> Result<()> {
    joined.context("a task of redline panicked (a bug: please report it)")?
}

async fn crawl_once(config: &Config, bar: Option<indicatif::ProgressBar>) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    let crawler = app::crawler(config, store).await?;
    let watched = crawler.clone();
    let status_line = progress::show_stats(bar, move || {
        progress::describe(watched.stats(), watched.storage_paused())
    });
    tokio::select! {
        result = crawler.run_once() => result?,
        _ = shutdown_signal() => bail!("interrupted"),
    }
    if let Some(line) = status_line {
        line.abort();
    }
    note(&progress::describe(crawler.stats(), false));
    Ok(ExitCode::SUCCESS)
}

async fn check(
    config: &Config,
    urls: &[String],
    source: Option<&str>,
    as_json: bool,
) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    let crawler = app::crawler(config, store).await?;
    let reports = crawler.check_urls(urls, source).await;
    let mut failed = false;
    for (url, report) in urls.iter().zip(reports) {
        match report {
            Ok(report) => {
                failed |= matches!(report.result, redline_crawl::CheckResult::Failed { .. });
                if as_json {
                    outln!("{}", serde_json::to_string(&report)?);
                } else {
                    outln!("{url}: #{} {}", report.article, report.result);
                }
            }
            Err(e) => {
                failed = true;
                // The line names the URL already.
                let error = match &e {
                    redline_crawl::CrawlError::BadUrl { reason, .. } => reason.clone(),
                    other => other.to_string(),
                };
                if as_json {
                    let line = json!({"url": url, "result": "failed", "error": error});
                    outln!("{line}");
                } else {
                    outln!("{url}: error: {error}");
                }
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn sources(config: &Config, as_json: bool) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    store.sync_sources(&redline_crawl::source_specs(config), Utc::now())?;
    let summaries = store.sources()?;
    if as_json {
        outln!("{}", serde_json::to_string_pretty(&summaries)?);
        return Ok(ExitCode::SUCCESS);
    }
    let listings = store.listings()?;
    let mut table = Table::new(&[
        "SOURCE",
        "ARTICLES",
        "ACTIVE",
        "CHANGED",
        "VERSIONS",
        "CHECKS",
        "ERRORS",
        "FIRST SEEN",
        "LAST CHANGE",
        "LAST CHECK",
        "NEXT CHECK",
        "LISTINGS",
        "TITLE",
    ]);
    let now = Utc::now();
    for s in &summaries {
        let own: Vec<_> = listings.iter().filter(|l| l.source == s.name).collect();
        let failing = own.iter().filter(|l| l.last_error.is_some()).count();
        let listings = if failing > 0 {
            format!("{} ({failing} failing)", own.len())
        } else {
            own.len().to_string()
        };
        table.row(vec![
            s.name.clone(),
            s.articles.to_string(),
            s.active.to_string(),
            s.changed_articles.to_string(),
            s.versions.to_string(),
            s.checks.to_string(),
            s.errors.to_string(),
            opt_time(s.first_seen),
            opt_time(s.last_change),
            relative(s.last_check, now),
            relative(s.next_check, now),
            listings,
            s.title.clone(),
        ]);
    }
    out!("{}", table.render());
    for l in listings.iter().filter(|l| l.last_error.is_some()) {
        note(&format!(
            "warning: {} listing {} fails: {}",
            l.source,
            l.url,
            l.last_error.as_deref().unwrap_or_default()
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn articles(
    config: &Config,
    source: Option<String>,
    status: Option<String>,
    changed_only: bool,
    limit: usize,
    as_json: bool,
) -> Result<ExitCode> {
    let status = match status.as_deref() {
        None => None,
        Some(s) => Some(ArticleStatus::parse(s).with_context(|| {
            format!("unknown status {s:?}: use active, retired, gone or merged")
        })?),
    };
    let store = app::open_store(config)?;
    let list = store.articles(&ArticleFilter {
        source,
        status,
        changed_only,
        limit,
        offset: 0,
    })?;
    if as_json {
        outln!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(ExitCode::SUCCESS);
    }
    let now = Utc::now();
    let mut table = Table::new(&[
        "ID",
        "SOURCE",
        "STATUS",
        "VERSIONS",
        "CHANGES",
        "FIRST SEEN",
        "LAST CHANGED",
        "LAST CHECK",
        "NEXT CHECK",
        "TITLE / URL",
    ]);
    for a in &list {
        let label = a.title.as_deref().unwrap_or(&a.url);
        table.row(vec![
            a.id.to_string(),
            a.source.clone(),
            a.status.as_str().to_string(),
            a.version_count.to_string(),
            a.changes().to_string(),
            time(a.first_seen),
            opt_time(a.last_changed.filter(|_| a.changes() > 0)),
            relative(a.last_checked, now),
            relative(a.next_check, now),
            cut(label, 70),
        ]);
    }
    out!("{}", table.render());
    Ok(ExitCode::SUCCESS)
}

fn history(config: &Config, reference: &str, as_json: bool) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    let article = app::find_article(store.as_ref(), reference)?;
    let versions = store.versions(article.id)?;
    let events = store.events(article.id)?;
    let mut changes = store.changes(&redline_store::ChangeQuery::of_article(article.id))?;
    changes.reverse();
    if as_json {
        let changes: Vec<_> = changes
            .iter()
            .map(|c| {
                json!({
                    "kind": c.kind,
                    "from": c.from,
                    "to": c.number,
                    "seen_at": c.seen_at,
                    "labels": c.labels,
                    "significance": c.significance,
                    "level": c.level(),
                    "summary": c.summary,
                    "minor": c.minor,
                    "site_change": c.site_change,
                    "detail": c.detail,
                })
            })
            .collect();
        let value = json!({
            "article": article,
            "versions": versions,
            "changes": changes,
            "events": events,
        });
        outln!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    let changed = match article.changes() {
        0 => "not changed since first seen".to_string(),
        n => format!("changed {}", times(n)),
    };
    outln!(
        "#{} {} ({}, {}; {changed})",
        article.id,
        output::clean(&article.url),
        article.source,
        article.status.as_str()
    );
    let mut table = Table::new(&["VERSION", "SEEN", "MINOR", "WORDS", "TITLE"]);
    for v in &versions {
        let live = if article.live_version == Some(v.number) && article.version_count > 1 {
            " (live)"
        } else {
            ""
        };
        table.row(vec![
            format!("{}{live}", v.number),
            time(v.seen_at),
            if v.minor { "minor" } else { "" }.into(),
            if v.number == 0 {
                "first seen".into()
            } else {
                format!("+{} -{}", v.words_added, v.words_removed)
            },
            cut(&v.title, 80),
        ]);
    }
    out!("{}", table.render());
    if !changes.is_empty() {
        outln!();
        let mut table = Table::new(&["SEEN", "CHANGE", "LEVEL", "SUMMARY", "LABELS"]);
        for c in &changes {
            let labels: Vec<&str> = c.labels.iter().map(|l| l.as_str()).collect();
            use redline_store::ChangeKind as K;
            table.row(vec![
                time(c.seen_at),
                match c.kind {
                    K::Edit => format!("{} → {}", c.from, c.number),
                    K::Revert => format!("revert {} → {}", c.from, c.number),
                    K::Restored if c.from != c.number => {
                        format!("restored {} → {}", c.from, c.number)
                    }
                    K::Restored | K::Removed | K::Redirected => c.kind.as_str().to_string(),
                },
                format!("{} {}", c.level().as_str(), c.significance),
                cut(&c.summary, 70),
                labels.join(", "),
            ]);
        }
        out!("{}", table.render());
    }
    // Reverts, removals, redirects and returns are changes, listed above;
    // what else happened to the article follows.
    let notable: Vec<_> = events
        .iter()
        .filter_map(|e| {
            let what = match e.kind {
                EventKind::Retired => "retired: unchanged too long, no longer checked",
                EventKind::Merged => "merged: the same article as another one, no longer checked",
                EventKind::Error => "check failed",
                EventKind::Rebuilt => "history rebuilt",
                _ => return None,
            };
            Some(match &e.detail {
                Some(detail) => format!("{}  {what}: {}", time(e.at), output::clean(detail)),
                None => format!("{}  {what}", time(e.at)),
            })
        })
        .collect();
    if !notable.is_empty() {
        outln!();
        for line in notable {
            outln!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn diff(
    config: &Config,
    reference: &str,
    from: Option<u32>,
    to: Option<u32>,
    as_json: bool,
    color: ColorChoice,
) -> Result<ExitCode> {
    let store = app::open_store(config)?;
    let article = app::find_article(store.as_ref(), reference)?;
    let count = article.version_count;
    if count == 0 {
        bail!(
            "article #{} has no version yet: it was never fetched successfully",
            article.id
        );
    }
    let to = to.unwrap_or(count - 1);
    let from = from.unwrap_or(to.saturating_sub(1));
    for n in [to, from] {
        if n >= count {
            bail!(
                "article #{} has versions 0 to {}; there is no version {n}",
                article.id,
                count - 1
            );
        }
    }
    let load = |n: u32| -> Result<redline_store::Version> {
        store
            .version(article.id, n)?
            .with_context(|| format!("version {n} of article #{} is missing", article.id))
    };
    if count == 1 {
        let only = load(0)?;
        let message = format!(
            "article #{} has one version so far (version 0, seen {}): nothing to compare yet",
            article.id,
            time(only.meta.seen_at)
        );
        // JSON readers get no half-empty diff: the note goes to stderr.
        if as_json {
            note(&message);
        } else {
            outln!("{message}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (old, new) = (load(from)?, load(to)?);
    let d = redline_diff::diff(&old.text, &new.text);
    // Assessed as the web interface assesses it: the texts the diff rebuilds.
    let a = redline_web::assessment(&d, &article.url);
    if as_json {
        // The API's shape: the command line has no base URL, so `html` is
        // relative to the web interface.
        let value = redline_web::api::DiffJson::new("", article.id, &old.meta, &new.meta, &a, &d);
        outln!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(ExitCode::SUCCESS);
    }
    let paint = Paint::for_stdout(color);
    let revert = if from > to {
        "  (back to an earlier text)"
    } else {
        ""
    };
    outln!("--- version {from}  {}", time(old.meta.seen_at));
    outln!(
        "+++ version {to}  {}  (+{} -{} words){revert}",
        time(new.meta.seen_at),
        d.words_added,
        d.words_removed
    );
    let labels: Vec<&str> = a.labels.iter().map(|l| l.as_str()).collect();
    let summary = format!(
        "{} {}: {}{}",
        a.level().as_str(),
        a.significance,
        a.summary,
        if labels.is_empty() {
            String::new()
        } else {
            format!("  [{}]", labels.join(", "))
        }
    );
    outln!("{}", paint.bold(&output::clean(&summary)));
    outln!();
    out!("{}", diffview::render(&d, paint));
    Ok(ExitCode::SUCCESS)
}

/// Largest saved page `extract` reads.
const MAX_PAGE_BYTES: u64 = 64 << 20;

fn read_page(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    let gzipped = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let read = if gzipped {
        flate2::read::MultiGzDecoder::new(file)
            .take(MAX_PAGE_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        file.take(MAX_PAGE_BYTES + 1).read_to_end(&mut bytes)
    };
    read?;
    if bytes.len() as u64 > MAX_PAGE_BYTES {
        bail!("larger than {} MB", MAX_PAGE_BYTES >> 20);
    }
    Ok(bytes)
}

fn extract(files: &[std::path::PathBuf]) -> Result<ExitCode> {
    let extractor = redline_extract::Extractor::new();
    let mut failed = false;
    for path in files {
        let bytes = match read_page(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                note(&format!("error: cannot read {}: {e}", path.display()));
                failed = true;
                continue;
            }
        };
        let html = redline_extract::decode_html(&bytes, None);
        let article = extractor.extract(&html);
        let line = json!({
            "file": path.display().to_string(),
            "title": article.title,
            "byline": article.byline,
            "published": article.published.map(|p| p.to_rfc3339()),
            "text": article.paragraphs.join("\n\n"),
        });
        outln!("{line}");
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
