//! Loading and scoring of the labelled pairs in this folder, shared by the
//! benchmark (`benches/labels.rs`) and the test of the targets
//! (`tests/eval.rs`), which include this file with `#[path]`.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::time::Instant;

use redline_classify::{Context, Label, Level, assess};
use redline_diff::ArticleText;
use serde::Deserialize;

/// The files read, relative to the crate.
pub const FILES: [&str; 2] = ["eval/pairs.jsonl", "eval/handwritten.jsonl"];

/// The targets: (label, minimum precision and recall).
pub const TARGETS: [(Label, f64); 9] = [
    (Label::Headline, 0.9),
    (Label::Byline, 0.9),
    (Label::Number, 0.9),
    (Label::Quote, 0.9),
    (Label::Correction, 0.9),
    (Label::Move, 0.9),
    (Label::Style, 0.9),
    (Label::Attribution, 0.8),
    (Label::Name, 0.8),
];

#[derive(Debug, Deserialize)]
pub struct Text {
    pub title: String,
    pub byline: String,
    pub paragraphs: Vec<String>,
}

impl Text {
    pub fn article(&self) -> ArticleText {
        ArticleText::new(&self.title, &self.byline, &self.paragraphs)
    }
}

/// One labelled pair, as a line of the JSONL files.
#[derive(Debug, Deserialize)]
pub struct Pair {
    pub id: String,
    pub intention: String,
    pub origin: String,
    #[serde(default)]
    pub live: bool,
    pub old: Text,
    pub new: Text,
    pub labels: Vec<String>,
    pub rank: u8,
    #[serde(default)]
    pub note: String,
}

impl Pair {
    pub fn expected(&self) -> Vec<Label> {
        let mut out: Vec<Label> = self
            .labels
            .iter()
            .map(|l| Label::parse(l).unwrap_or_else(|| panic!("{}: unknown label {l:?}", self.id)))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn paragraphs(&self) -> usize {
        self.old.paragraphs.len().max(self.new.paragraphs.len())
    }
}

/// Reads every pair of [`FILES`].
pub fn load() -> Vec<Pair> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let paths: Vec<String> = FILES.iter().map(|f| format!("{dir}/{f}")).collect();
    load_files(&paths)
}

/// Reads every pair of the given JSONL files.
pub fn load_files(paths: &[String]) -> Vec<Pair> {
    let mut pairs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let pair: Pair =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
            pairs.push(pair);
        }
    }
    pairs
}

/// What the classifier said about one pair.
#[derive(Debug)]
pub struct Outcome {
    pub id: String,
    pub intention: String,
    pub paragraphs: usize,
    pub expected: Vec<Label>,
    pub got: Vec<Label>,
    pub rank: u8,
    pub significance: u8,
    pub level: Level,
    /// Time of one assessment, in microseconds (the mean of the runs).
    pub micros: f64,
    /// The classifier panicked on this pair (the message); `got` is empty.
    pub panic: Option<String>,
}

/// Assesses every pair `runs` times (at least once) and keeps the result
/// and the mean time. A panic in the classifier is caught and recorded
/// against its pair, so that one bug does not hide the rest of the report.
pub fn run(pairs: &[Pair], runs: usize) -> Vec<Outcome> {
    let runs = runs.max(1);
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let out = pairs
        .iter()
        .map(|p| {
            let (old, new) = (p.old.article(), p.new.article());
            let context = Context { live: p.live };
            let start = Instant::now();
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                let mut assessment = assess(&old, &new, context);
                for _ in 1..runs {
                    assessment = std::hint::black_box(assess(&old, &new, context));
                }
                assessment
            }));
            let micros = start.elapsed().as_secs_f64() * 1e6 / runs as f64;
            let (got, significance, panic) = match result {
                Ok(a) => (a.labels, a.significance, None),
                Err(e) => {
                    let msg = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| "panic".to_string());
                    (Vec::new(), 0, Some(msg))
                }
            };
            Outcome {
                id: p.id.clone(),
                intention: p.intention.clone(),
                paragraphs: p.paragraphs(),
                expected: p.expected(),
                got,
                rank: p.rank,
                significance,
                level: Level::of(significance),
                micros,
                panic,
            }
        })
        .collect();
    std::panic::set_hook(hook);
    out
}

/// The counts for one label.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn support(&self) -> usize {
        self.tp + self.fn_
    }

    /// 1 when nothing was predicted and nothing expected.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

pub fn counts(outcomes: &[Outcome]) -> BTreeMap<Label, Counts> {
    let mut out: BTreeMap<Label, Counts> =
        Label::ALL.iter().map(|&l| (l, Counts::default())).collect();
    for o in outcomes {
        for &l in &Label::ALL {
            let (e, g) = (o.expected.contains(&l), o.got.contains(&l));
            let c = out.get_mut(&l).expect("every label");
            match (e, g) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (false, false) => {}
            }
        }
    }
    out
}

pub fn target(label: Label) -> Option<f64> {
    TARGETS.iter().find(|(l, _)| *l == label).map(|&(_, t)| t)
}

/// The labels whose precision or recall is under target, with both.
pub fn failures(outcomes: &[Outcome]) -> Vec<(Label, f64, f64, f64)> {
    counts(outcomes)
        .into_iter()
        .filter_map(|(l, c)| {
            let t = target(l)?;
            (c.precision() < t || c.recall() < t).then(|| (l, c.precision(), c.recall(), t))
        })
        .collect()
}

/// The per-label table, in Markdown.
pub fn label_table(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    s.push_str("| label | support | TP | FP | FN | precision | recall | F1 | target | met |\n");
    s.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
    let all = counts(outcomes);
    let mut total = Counts::default();
    for (l, c) in &all {
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn_ += c.fn_;
        let (t, met) = match target(*l) {
            Some(t) => (
                format!("{t:.1}"),
                if c.precision() >= t && c.recall() >= t {
                    "yes"
                } else {
                    "**no**"
                },
            ),
            None => ("–".to_string(), ""),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {t} | {met} |",
            l.as_str(),
            c.support(),
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall(),
            c.f1()
        );
    }
    let _ = writeln!(
        s,
        "| *all (micro)* | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} | | |",
        total.support(),
        total.tp,
        total.fp,
        total.fn_,
        total.precision(),
        total.recall(),
        total.f1()
    );
    let exact = outcomes.iter().filter(|o| o.expected == o.got).count();
    let _ = writeln!(
        s,
        "\nExact label set: {exact} of {} pairs ({:.1} %).",
        outcomes.len(),
        100.0 * exact as f64 / outcomes.len().max(1) as f64
    );
    s
}

/// Spearman's rank correlation (ties get their mean rank); 0 when either
/// side is constant.
pub fn spearman(xs: &[f64], ys: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            let mean = (i + j) as f64 / 2.0 + 1.0;
            for &k in &idx[i..=j] {
                r[k] = mean;
            }
            i = j + 1;
        }
        r
    }
    let (rx, ry) = (ranks(xs), ranks(ys));
    let n = rx.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// The significance section: Spearman and the level-by-rank confusion.
pub fn significance_table(outcomes: &[Outcome]) -> String {
    let xs: Vec<f64> = outcomes.iter().map(|o| o.significance as f64).collect();
    let ys: Vec<f64> = outcomes.iter().map(|o| o.rank as f64).collect();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Spearman rank correlation of significance (0–100) with the expected rank (1–5): {:.3}\n",
        spearman(&xs, &ys)
    );
    s.push_str("| level \\ rank | 1 | 2 | 3 | 4 | 5 |\n|---|---:|---:|---:|---:|---:|\n");
    for level in Level::ALL {
        let _ = write!(s, "| {} |", level.as_str());
        for rank in 1..=5 {
            let n = outcomes
                .iter()
                .filter(|o| o.level == level && o.rank == rank)
                .count();
            let _ = write!(s, " {n} |");
        }
        s.push('\n');
    }
    let mut means = String::new();
    for rank in 1..=5u8 {
        let v: Vec<f64> = outcomes
            .iter()
            .filter(|o| o.rank == rank)
            .map(|o| o.significance as f64)
            .collect();
        if !v.is_empty() {
            let _ = write!(
                means,
                " rank {rank}: {:.1};",
                v.iter().sum::<f64>() / v.len() as f64
            );
        }
    }
    let _ = writeln!(
        s,
        "\nMean significance by rank:{}",
        means.trim_end_matches(';')
    );
    s
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// Per-pair timing: all pairs, and those of about 20 paragraphs.
pub fn timing_table(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    s.push_str("| pairs | n | median µs | p99 µs | max µs |\n|---|---:|---:|---:|---:|\n");
    type Keep = fn(&Outcome) -> bool;
    let rows: [(&str, Keep); 2] = [
        ("all", |_| true),
        ("18–22 paragraphs", |o| (18..=22).contains(&o.paragraphs)),
    ];
    for (name, keep) in rows {
        let mut v: Vec<f64> = outcomes
            .iter()
            .filter(|o| keep(o))
            .map(|o| o.micros)
            .collect();
        v.sort_by(f64::total_cmp);
        let _ = writeln!(
            s,
            "| {name} | {} | {:.1} | {:.1} | {:.1} |",
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.99),
            v.last().copied().unwrap_or(0.0)
        );
    }
    s
}

fn names(labels: &[Label]) -> String {
    labels
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The most frequent confusions: (label, missed or spurious, count).
pub fn confusions(outcomes: &[Outcome]) -> String {
    let mut missed: BTreeMap<Label, usize> = BTreeMap::new();
    let mut spurious: BTreeMap<Label, usize> = BTreeMap::new();
    for o in outcomes {
        for l in &o.expected {
            if !o.got.contains(l) {
                *missed.entry(*l).or_default() += 1;
            }
        }
        for l in &o.got {
            if !o.expected.contains(l) {
                *spurious.entry(*l).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<(usize, String)> = missed
        .iter()
        .map(|(l, n)| (*n, format!("{} missed", l.as_str())))
        .chain(
            spurious
                .iter()
                .map(|(l, n)| (*n, format!("{} spurious", l.as_str()))),
        )
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut s = String::from("Most frequent errors:");
    for (n, what) in rows.iter().take(10) {
        let _ = write!(s, " {what} {n};");
    }
    s.trim_end_matches(';').to_string() + "\n"
}

/// Every pair whose label set is not the expected one.
pub fn misses(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    for o in outcomes.iter().filter(|o| o.expected != o.got) {
        let _ = writeln!(
            s,
            "{:<6} {:<40} expected [{}] got [{}] (rank {}, significance {})",
            o.id,
            o.intention,
            names(&o.expected),
            names(&o.got),
            o.rank,
            o.significance
        );
    }
    s
}

/// Exact-match rate and micro precision/recall of the generated pairs
/// (`g…`) and of the hand-written ones (`h…`) apart, and the exact-match
/// rate per intention (a pair counts for each of its intentions).
pub fn breakdown_table(outcomes: &[Outcome]) -> String {
    let mut s = String::from(
        "| set | pairs | exact | micro precision | micro recall |\n|---|---:|---:|---:|---:|\n",
    );
    for (name, prefix) in [("generated", 'g'), ("hand-written", 'h')] {
        let part: Vec<&Outcome> = outcomes
            .iter()
            .filter(|o| o.id.starts_with(prefix))
            .collect();
        let exact = part.iter().filter(|o| o.expected == o.got).count();
        let mut total = Counts::default();
        for o in &part {
            total.tp += o.expected.iter().filter(|l| o.got.contains(l)).count();
            total.fn_ += o.expected.iter().filter(|l| !o.got.contains(l)).count();
            total.fp += o.got.iter().filter(|l| !o.expected.contains(l)).count();
        }
        let _ = writeln!(
            s,
            "| {name} | {} | {exact} | {:.3} | {:.3} |",
            part.len(),
            total.precision(),
            total.recall()
        );
    }
    let mut by: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for o in outcomes {
        for i in o.intention.split('+') {
            let e = by.entry(i).or_default();
            e.0 += 1;
            e.1 += usize::from(o.expected == o.got);
        }
    }
    s.push_str("\n| intention | pairs | exact label set |\n|---|---:|---:|\n");
    for (i, (n, exact)) in by {
        let _ = writeln!(
            s,
            "| {i} | {n} | {exact} ({:.0} %) |",
            100.0 * exact as f64 / n as f64
        );
    }
    s
}

/// The whole report: labels, significance, errors and (if measured) timing.
pub fn report(outcomes: &[Outcome], with_timing: bool) -> String {
    let mut s = format!("{} pairs\n\n", outcomes.len());
    s.push_str(&label_table(outcomes));
    s.push('\n');
    s.push_str(&breakdown_table(outcomes));
    s.push('\n');
    s.push_str(&significance_table(outcomes));
    s.push('\n');
    s.push_str(&confusions(outcomes));
    let panics: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.panic.as_ref().map(|m| format!("{} ({m})", o.id)))
        .collect();
    if !panics.is_empty() {
        let _ = writeln!(
            s,
            "\nThe classifier panicked on {} pairs: {}",
            panics.len(),
            panics.join("; ")
        );
    }
    if with_timing {
        s.push('\n');
        s.push_str(&timing_table(outcomes));
    }
    s
}
