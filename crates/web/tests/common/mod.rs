//! A small newsroom history built through the Store API, shared by the
//! HTTP tests and the browser test.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use redline_diff::ArticleText;
use redline_store::{
    ArticleId, ChangeInfo, CheckOutcome, CheckRecord, HttpFacts, ListingKind, NewArticle,
    NewVersion, SourceSpec, prelude::*,
};

pub struct Fixture {
    pub _dir: tempfile::TempDir,
    /// SQLite, or PostgreSQL under `.ci/with-postgres`.
    pub store: Arc<dyn Store>,
    pub t0: DateTime<Utc>,
    /// Several versions; edits, a headline change, a minor change.
    pub edited: ArticleId,
    /// `<script>` in headline and body.
    pub hostile: ArticleId,
    /// Hidden by an administrator; holds the word "zanzibarian".
    pub hidden: ArticleId,
    /// One version, retired.
    pub retired: ArticleId,
    /// Removed from the site.
    pub gone: ArticleId,
    /// Went back to an earlier text.
    pub reverted: ArticleId,
    /// Its final URL is a `javascript:` URL.
    pub sneaky: ArticleId,
}

pub const EDITED_URL: &str = "https://daily.example/news/world/drones-over-the-border-1.html";

fn paragraphs(s: &str) -> Vec<&str> {
    s.split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

pub fn text(title: &str, body: &str) -> ArticleText {
    ArticleText::new(title, "By Ana Reporter", paragraphs(body))
}

struct Writer<'a> {
    store: &'a dyn Store,
    t0: DateTime<Utc>,
}

impl Writer<'_> {
    fn at(&self, hours: f64) -> DateTime<Utc> {
        self.t0 + chrono::Duration::milliseconds((hours * 3_600_000.0) as i64)
    }

    fn add(&self, source: &str, url: &str, hours: f64) -> ArticleId {
        self.store
            .add_articles(
                source,
                &[NewArticle {
                    url: url.into(),
                    title: None,
                    published: None,
                }],
                self.at(hours),
            )
            .unwrap()[0]
    }

    fn record(&self, id: ArticleId, hours: f64, outcome: CheckOutcome, retire: bool) {
        self.record_with(id, hours, outcome, retire, None);
    }

    fn record_with(
        &self,
        id: ArticleId,
        hours: f64,
        outcome: CheckOutcome,
        retire: bool,
        final_url: Option<&str>,
    ) {
        let expected = self.store.article(id).unwrap().unwrap().version_count;
        self.store
            .record_check(&CheckRecord {
                article: id,
                at: self.at(hours),
                expected_versions: expected,
                outcome,
                // Due in the future (relative to the real clock).
                next_check: Some(Utc::now() + chrono::Duration::minutes(47)),
                check_interval: Duration::from_secs(2820),
                retire,
                http: Some(HttpFacts {
                    final_url: final_url.map(str::to_string),
                    etag: None,
                    last_modified: None,
                }),
                aliases: vec![],
            })
            .unwrap();
    }

    fn version(&self, id: ArticleId, hours: f64, text: ArticleText, minor: bool) {
        let versions = self.store.versions(id).unwrap();
        let (added, removed, change) = match versions.last() {
            Some(last) => {
                let old = self.store.version(id, last.number).unwrap().unwrap();
                let d = redline_diff::diff(&old.text, &text);
                let a = redline_classify::assess(&old.text, &text, Default::default());
                (
                    d.words_added as u32,
                    d.words_removed as u32,
                    Some(ChangeInfo::from_assessment(&a)),
                )
            }
            None => (0, 0, None),
        };
        self.record(
            id,
            hours,
            CheckOutcome::NewVersion(NewVersion {
                change,
                restored: false,
                text,
                published: None,
                minor,
                words_added: added,
                words_removed: removed,
                capture: None,
            }),
            false,
        );
    }
}

const BODY_0: &str = "
BRUSSELS — Iran is directing surveillance drones over Iraq from an airfield in Baghdad and is secretly supplying Iraq with tons of military equipment, supplies and other assistance, American officials said.
Tehran has also deployed an intelligence unit there to intercept communications, the officials said.
The secret programs are part of a broader effort by Tehran to gather intelligence and help the government in its struggle against militants.
Gen. Qassim Suleimani has visited Iraq at least twice to help Iraqi military advisers plot strategy.
Transport planes have also been making two daily flights of military equipment and supplies to Baghdad.
“It’s a substantial amount,” said an American official, who declined to be identified.
The officials spoke on the condition of anonymity because the programs are classified.
Both countries have small numbers of military advisers in Iraq.
The State Department declined to comment on the reports.
Analysts said the effort was likely to continue for months.
";

pub fn edited_texts() -> Vec<(ArticleText, bool)> {
    let v0 = text(
        "Iran Secretly Sending Drones and Supplies Into Iraq",
        BODY_0,
    );
    let body1 = BODY_0.replace(
        "is secretly supplying Iraq with tons of military equipment, supplies and other assistance, American officials said.",
        "is supplying Iraqi forces with tons of military equipment and other supplies, according to American officials.",
    );
    let v1 = text(
        "Iran Secretly Sending Drones and Supplies Into Iraq",
        &body1,
    );
    let body2 = body1.replace(
        "Analysts said the effort was likely to continue for months.",
        "Analysts said the effort was likely to continue for months.\nSecretary of State John Kerry highlighted some of the potential risks on Wednesday.",
    );
    let v2 = text(
        "Iran Sending Drones and Supplies Into Iraq, U.S. Officials Say",
        &body2,
    );
    let body3 = body2.replace("the officials said.", "the officials said!");
    let v3 = text(
        "Iran Sending Drones and Supplies Into Iraq, U.S. Officials Say",
        &body3,
    );
    vec![(v0, false), (v1, false), (v2, false), (v3, true)]
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = redline_store::open(&redline_store::testing::database(dir.path()), 8).unwrap();
    let t0 = Utc::now() - chrono::Duration::days(10);
    store
        .sync_sources(
            &[
                SourceSpec {
                    name: "daily".into(),
                    title: "The Daily Example".into(),
                    listings: vec![(ListingKind::Feed, "https://daily.example/feed.xml".into())],
                    ..Default::default()
                },
                SourceSpec {
                    name: "herald".into(),
                    title: "Herald & <Tribune>".into(),
                    listings: vec![(ListingKind::Page, "https://herald.example/".into())],
                    ..Default::default()
                },
            ],
            t0,
        )
        .unwrap();
    let w = Writer {
        store: store.as_ref(),
        t0,
    };

    let edited = w.add("daily", EDITED_URL, 0.0);
    let mut hours = 0.0;
    for (i, (t, minor)) in edited_texts().into_iter().enumerate() {
        hours += [0.0, 9.2, 30.0, 2.0][i];
        w.version(edited, hours, t, minor);
    }

    let hostile = w.add("daily", "https://daily.example/news/hostile-2.html", 1.0);
    w.version(
        hostile,
        1.0,
        text(
            "<script>alert('headline')</script> Mayor resigns",
            "The mayor resigned on Monday.\n<script>alert(\"body\")</script> said the statement.\nCouncil members met in the evening.",
        ),
        false,
    );
    w.version(
        hostile,
        5.0,
        text(
            "<script>alert('headline')</script> Mayor resigns after vote",
            "The mayor resigned on Tuesday.\n<script>alert(\"body\")</script> <img src=x onerror=alert(1)> said the statement.\nCouncil members met in the evening.",
        ),
        false,
    );

    let hidden = w.add("herald", "https://herald.example/2026/takedown-story/", 2.0);
    w.version(
        hidden,
        2.0,
        text(
            "A zanzibarian businessman sues",
            "The zanzibarian businessman filed a claim.\nLawyers declined to comment.",
        ),
        false,
    );
    w.version(
        hidden,
        20.0,
        text(
            "A zanzibarian businessman sues the paper",
            "The zanzibarian businessman filed a claim on Friday.\nLawyers declined to comment.",
        ),
        false,
    );
    store.set_hidden(hidden, true).unwrap();

    let retired = w.add("herald", "https://herald.example/2026/quiet-story/", 3.0);
    w.version(
        retired,
        3.0,
        text(
            "Harbour reopens after storm",
            "The harbour reopened on Sunday.\nFishing boats returned.",
        ),
        false,
    );
    w.record(retired, 100.0, CheckOutcome::Unchanged, true);

    let gone = w.add("herald", "https://herald.example/2026/removed-story/", 4.0);
    w.version(
        gone,
        4.0,
        text(
            "Minister denies report",
            "The minister denied the report.\nAides said little.",
        ),
        false,
    );
    w.version(
        gone,
        6.0,
        text(
            "Minister denies report on budget",
            "The minister denied the report on the budget.\nAides said little.",
        ),
        false,
    );
    let change = ChangeInfo::from_event(&redline_classify::events::removed(404));
    w.record(
        gone,
        50.0,
        CheckOutcome::Gone {
            status: 404,
            change,
        },
        false,
    );

    let reverted = w.add("daily", "https://daily.example/news/flipflop-3.html", 5.0);
    w.version(
        reverted,
        5.0,
        text(
            "Storm warning issued",
            "A storm warning was issued.\nSchools will close.",
        ),
        false,
    );
    w.version(
        reverted,
        7.0,
        text(
            "Storm warning lifted",
            "The storm warning was lifted.\nSchools will open.",
        ),
        false,
    );
    w.version(
        reverted,
        8.0,
        text(
            "Storm warning issued again",
            "A storm warning was issued again.\nSchools will close.",
        ),
        false,
    );
    let (live, back) = (
        w.store.version(reverted, 2).unwrap().unwrap(),
        w.store.version(reverted, 1).unwrap().unwrap(),
    );
    let change = ChangeInfo::from_assessment(&redline_classify::assess(
        &live.text,
        &back.text,
        Default::default(),
    ));
    w.record(
        reverted,
        9.0,
        CheckOutcome::Reverted { to: 1, change },
        false,
    );

    let sneaky = w.add("daily", "https://daily.example/news/sneaky-4.html", 6.0);
    w.record_with(
        sneaky,
        6.0,
        CheckOutcome::NewVersion(NewVersion {
            change: None,
            restored: false,
            text: text("Ordinary story", "Nothing to see.\nReally."),
            published: None,
            minor: false,
            words_added: 0,
            words_removed: 0,
            capture: None,
        }),
        false,
        Some("javascript:alert(document.cookie)"),
    );

    Fixture {
        _dir: dir,
        store,
        t0,
        edited,
        hostile,
        hidden,
        retired,
        gone,
        reverted,
        sneaky,
    }
}
