//! Significance: an integer from 0 to 100 computed by a deterministic
//! formula from a change's labels and the amount changed, and the features
//! that gave it, largest first.
//!
//! The score is the sum of the points below, capped at 100. Style (spelling,
//! capitalisation, punctuation, whitespace) weighs nothing, so a change that
//! is only style scores 0.
//!
//! | feature | points |
//! | --- | --- |
//! | headline rewritten (half or more of its words replaced) | 30 |
//! | headline changed | 20 |
//! | social headline (`og:title`) rewritten | 15 |
//! | social headline changed | 10 |
//! | most of the text rewritten (`rewrite`) | 30 |
//! | lede changed | 15 |
//! | number changed | 20, +5 for each further number, at most 30 |
//! | quote removed | 20, +5 for each further one, at most 30 |
//! | quote changed | 15 |
//! | quote added | 10 |
//! | attribution changed | 15 |
//! | name changed | 15 |
//! | text cut | 10, +1 per 10 words, at most 30 |
//! | text added | 5, +1 per 20 words, at most 20 |
//! | correction note added or changed: one that admits an error ("Correction:", "misstated") | 25 |
//! | an update note added or changed (no error admitted) | 20 |
//! | a fact corrected: a number, name, attribution or quote changed with a note admitting an error | 15 |
//! | byline changed | 10 |
//! | sentences moved | 5 per sentence, at most 15 |
//! | words changed inside sentences (5 or more) | 1 per 5 words, at most 15 |
//! | new posts on a live page | 20 for the first post of 8 words or more, +5 for each further one, +3 for each shorter post, at most 35 |
//! | no correction note (`stealth`) | 10 |
//! | spelling, case and punctuation only (a `style`-only change) | 0 |
//!
//! Levels: minor under 20, notable 20 to 59, major 60 and over.

use redline_diff::ArticleText;
use serde::Serialize;

use crate::analysis::{Analysis, Field, NoteChange, analyse};
use crate::words;
use crate::{Action, Context, Label};

/// The three levels shown as badges.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Under 20.
    Minor,
    /// 20 to 59.
    Notable,
    /// 60 and over.
    Major,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Minor, Level::Notable, Level::Major];

    pub fn of(significance: u8) -> Level {
        match significance {
            0..20 => Level::Minor,
            20..60 => Level::Notable,
            _ => Level::Major,
        }
    }

    /// The lowest significance of the level.
    pub fn floor(self) -> u8 {
        match self {
            Level::Minor => 0,
            Level::Notable => 20,
            Level::Major => 60,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Minor => "minor",
            Level::Notable => "notable",
            Level::Major => "major",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// One part of the score: what was found and the points it gave.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Feature {
    /// Plain words, e.g. "headline rewritten", "a number changed (243 → 234)".
    pub name: String,
    pub points: u8,
}

/// The significance of a change and the features that gave it, largest
/// first.
pub fn score(
    old: &ArticleText,
    new: &ArticleText,
    actions: &[Action],
    labels: &[Label],
) -> (u8, Vec<Feature>) {
    let live = labels.contains(&Label::Live);
    score_of(&analyse(old, new, actions, Context { live }), labels)
}

fn capped(base: usize, extra: usize, max: usize) -> u8 {
    (base + extra).min(max) as u8
}

/// [`score`] of an analysed change.
pub(crate) fn score_of(an: &Analysis, labels: &[Label]) -> (u8, Vec<Feature>) {
    let mut features: Vec<Feature> = Vec::new();
    let mut add = |points: u8, name: String| features.push(Feature { name, points });
    match an.headline {
        Some(Field::Changed { rewritten: true }) => add(30, "headline rewritten".into()),
        Some(Field::Changed { rewritten: false }) => add(20, "headline changed".into()),
        _ => {}
    }
    match an.social_headline {
        Some(Field::Changed { rewritten: true }) => add(15, "social headline rewritten".into()),
        Some(Field::Changed { rewritten: false }) => add(10, "social headline changed".into()),
        _ => {}
    }
    if an.rewrite {
        add(30, "most of the text rewritten".into());
    }
    if an.lede {
        add(15, "lede changed".into());
    }
    if !an.numbers.is_empty() {
        let n = an.numbers.len();
        let what = if n == 1 {
            "number changed"
        } else {
            "numbers changed"
        };
        add(
            capped(20, 5 * (n - 1), 30),
            format!("{what}: {}", an.numbers_phrase(3)),
        );
    }
    let counted = |n: usize, one: &str, many: &str| {
        if n == 1 {
            one.to_string()
        } else {
            format!("{n} {many}")
        }
    };
    if an.quotes_removed > 0 {
        let n = an.quotes_removed;
        add(
            capped(20, 5 * (n - 1), 30),
            counted(n, "quote removed", "quotes removed"),
        );
    }
    if an.quotes_changed > 0 {
        add(
            15,
            counted(an.quotes_changed, "quote changed", "quotes changed"),
        );
    }
    if an.quotes_added > 0 {
        add(10, counted(an.quotes_added, "quote added", "quotes added"));
    }
    if an.attribution {
        add(15, "attribution changed".into());
    }
    if let Some((o, n)) = an.names.first() {
        add(15, format!("name changed: {o} → {n}"));
    }
    if an.cut.sentences > 0 {
        add(
            capped(10, an.cut.words / 10, 30),
            format!("{} cut", an.cut.phrase()),
        );
    }
    if an.added.sentences > 0 {
        add(
            capped(5, an.added.words / 20, 20),
            format!("{} added", an.added.phrase()),
        );
    }
    if let Some(note) = an.note {
        add(
            if an.admits_error { 25 } else { 20 },
            note_phrase(note).into(),
        );
        let fact = !an.numbers.is_empty()
            || !an.names.is_empty()
            || an.attribution
            || an.quotes_changed + an.quotes_removed > 0;
        if an.admits_error && fact {
            add(15, "a fact corrected".into());
        }
    }
    if matches!(an.byline, Some(Field::Changed { .. })) {
        add(10, "byline changed".into());
    }
    if an.moved.sentences > 0 {
        let n = an.moved.sentences;
        add(
            capped(0, 5 * n, 15),
            counted(n, "1 sentence moved", "sentences moved"),
        );
    }
    if an.words_changed >= 5 {
        add(
            capped(0, an.words_changed / 5, 15),
            format!("{} words changed", an.words_changed),
        );
    }
    if !an.live_posts.is_empty() {
        let n = an.live_posts.len();
        let full = an
            .live_posts
            .iter()
            .filter(|p| words::words(p).count() >= 8)
            .count();
        let points = match full {
            0 => 0,
            f => 20 + 5 * (f - 1),
        } + 3 * (n - full);
        add(capped(0, points, 35), counted(n, "1 new post", "new posts"));
    }
    if labels.contains(&Label::Stealth) {
        add(10, "no correction note".into());
    }
    if labels == [Label::Style] {
        add(0, "spelling, case and punctuation only".into());
    }
    // Largest first; equal points keep the order above.
    features.sort_by_key(|f| std::cmp::Reverse(f.points));
    let total: usize = features.iter().map(|f| usize::from(f.points)).sum();
    (total.min(100) as u8, features)
}

/// How a correction note is described.
pub(crate) fn note_phrase(note: NoteChange) -> &'static str {
    match note {
        NoteChange::Appended => "correction appended",
        NoteChange::Added => "correction added",
        NoteChange::Changed => "correction changed",
    }
}
