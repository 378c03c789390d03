//! Sentence-level alignment of two versions (Spangher et al., NAACL 2022):
//! sentences are matched to their most similar counterpart in the other
//! version above a threshold, in both directions (so splits and merges
//! show), and moves are the matched pairs whose order crosses others.

use std::ops::Range;

use redline_diff::diff::word_diff;
use redline_diff::{ArticleText, Piece};
use serde::Serialize;

use crate::sentences::{self, Sentence};
use crate::words::{self, FastMap};

/// What happened to one sentence (or a group of them, for a split or a
/// merge).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// A sentence only in the new version.
    Addition,
    /// A sentence only in the old version.
    Deletion,
    /// A sentence changed in place; the pieces hold the word-level diff.
    Edit,
    /// A sentence (possibly edited too) now stands elsewhere.
    Move,
    /// One old sentence became several new ones.
    Split,
    /// Several old sentences became one.
    Merge,
}

/// One edit action. Sentence indexes count over the whole body of each
/// version (0-based); paragraph indexes are those of the version's
/// paragraphs (0-based).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    #[serde(rename = "type")]
    pub kind: ActionKind,
    /// The (first) old sentence, if any.
    pub old_index: Option<usize>,
    /// The (first) new sentence, if any.
    pub new_index: Option<usize>,
    /// The old sentence(s), joined by a space; empty for an addition.
    pub old_text: String,
    /// The new sentence(s), joined by a space; empty for a deletion.
    pub new_text: String,
    /// The paragraph of the old sentence, if any.
    pub old_paragraph: Option<usize>,
    /// The paragraph of the new sentence, if any.
    pub new_paragraph: Option<usize>,
    /// The word-level diff of old and new text (edits, moves with edits,
    /// splits, merges); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pieces: Vec<Piece>,
}

/// The lowest Dice similarity (over lower-cased word bags) at which two
/// sentences count as one sentence edited.
pub const THRESHOLD: f32 = 0.45;
/// A sentence joins a split or a merge when at least this share of its
/// words is in the sentence on the other side.
const CONTAINMENT: f32 = 0.75;
/// At most this many sentence pairs are compared by similarity; past it
/// each unmatched sentence is compared only with those near its position.
pub const MAX_CELLS: usize = 200_000;
/// Past this many matched pairs, moves are found as the complement of a
/// longest increasing subsequence instead of by dropping crossings one by
/// one (which is quadratic).
const MAX_GREEDY_PAIRS: usize = 2_000;

/// The edit actions that turn `old` into `new`'s body. Sentences equal in
/// both and in order give no action.
pub fn align(old: &ArticleText, new: &ArticleText) -> Vec<Action> {
    let a = sentences::split(&old.paragraphs);
    let b = sentences::split(&new.paragraphs);
    align_sentences(&a, &b)
}

/// Old sentences matched to new ones: a pair, a split (one old, several
/// new) or a merge (several old, one new).
#[derive(Debug, Clone)]
struct Group {
    old: Range<usize>,
    new: Range<usize>,
    exact: bool,
}

/// A candidate pair and its similarity.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f32,
    old: usize,
    new: usize,
}

/// [`align`] on sentences already split.
pub fn align_sentences(a: &[Sentence<'_>], b: &[Sentence<'_>]) -> Vec<Action> {
    let (na, nb) = (a.len(), b.len());
    let mut prefix = 0;
    while prefix < na && prefix < nb && a[prefix].text == b[prefix].text {
        prefix += 1;
    }
    let mut suffix = 0;
    while suffix < na - prefix
        && suffix < nb - prefix
        && a[na - 1 - suffix].text == b[nb - 1 - suffix].text
    {
        suffix += 1;
    }
    let old_mid = prefix..na - suffix;
    let new_mid = prefix..nb - suffix;

    let mut old_used = vec![false; na];
    let mut new_used = vec![false; nb];
    let mut groups: Vec<Group> = Vec::new();

    // Exact matches first.
    for (i, j) in exact_pairs(a, b, old_mid.clone(), new_mid.clone()) {
        old_used[i] = true;
        new_used[j] = true;
        groups.push(Group {
            old: i..i + 1,
            new: j..j + 1,
            exact: true,
        });
    }

    // The rest by similarity.
    let uo: Vec<usize> = old_mid.clone().filter(|&i| !old_used[i]).collect();
    let un: Vec<usize> = new_mid.clone().filter(|&j| !new_used[j]).collect();
    let mut a_bags: Vec<Vec<u64>> = vec![Vec::new(); na];
    let mut b_bags: Vec<Vec<u64>> = vec![Vec::new(); nb];
    for &i in &uo {
        a_bags[i] = words::bag(a[i].text);
    }
    for &j in &un {
        b_bags[j] = words::bag(b[j].text);
    }
    let candidates = candidates(&uo, &un, &a_bags, &b_bags);
    let mut best_fwd: Vec<Option<Candidate>> = vec![None; na];
    let mut best_bwd: Vec<Option<Candidate>> = vec![None; nb];
    for c in &candidates {
        if best_fwd[c.old].is_none_or(|x| c.score > x.score) {
            best_fwd[c.old] = Some(*c);
        }
        if best_bwd[c.new].is_none_or(|x| c.score > x.score) {
            best_bwd[c.new] = Some(*c);
        }
    }
    // Splits: an old sentence whose best match, and its free neighbours
    // mostly made of its words, together resemble it better.
    let splits = runs(
        &uo,
        (&a_bags, &b_bags),
        (&mut old_used, &mut new_used),
        |i| best_fwd[i].map(|c| (c.new, c.score)),
        |j| best_bwd[j].map(|c| c.old),
        new_mid.clone(),
    );
    for (i, new) in splits {
        groups.push(Group {
            old: i..i + 1,
            new,
            exact: false,
        });
    }
    // Merges: the same, the other way round.
    let merges = runs(
        &un,
        (&b_bags, &a_bags),
        (&mut new_used, &mut old_used),
        |j| best_bwd[j].map(|c| (c.old, c.score)),
        |i| best_fwd[i].map(|c| c.new),
        old_mid.clone(),
    );
    for (j, old) in merges {
        groups.push(Group {
            old,
            new: j..j + 1,
            exact: false,
        });
    }
    // One-to-one edits, most similar first.
    for c in &candidates {
        if !old_used[c.old] && !new_used[c.new] {
            old_used[c.old] = true;
            new_used[c.new] = true;
            groups.push(Group {
                old: c.old..c.old + 1,
                new: c.new..c.new + 1,
                exact: false,
            });
        }
    }

    // A sentence cut from, or added to, a quotation of several sentences
    // whose other sentences were edited belongs to that edit: the quote
    // changed, whatever the marks ("…" or „…“) and however long the
    // attribution after it.
    for g in groups.iter_mut().filter(|g| !g.exact) {
        if g.new.len() == 1 {
            g.old = within_quote(a, g.old.clone(), &mut old_used, old_mid.clone());
        }
        if g.old.len() == 1 {
            g.new = within_quote(b, g.new.clone(), &mut new_used, new_mid.clone());
        }
    }
    // A quotation of several sentences, none matched, that one sentence on
    // the other side is mostly made of: the quotation trimmed to it (or
    // grown from it).
    for (old, j) in quoted_runs(a, &old_used, old_mid.clone(), b, &b_bags, &new_used) {
        old.clone().for_each(|i| old_used[i] = true);
        new_used[j] = true;
        groups.push(Group {
            old,
            new: j..j + 1,
            exact: false,
        });
    }
    for (new, i) in quoted_runs(b, &new_used, new_mid.clone(), a, &a_bags, &old_used) {
        new.clone().for_each(|j| new_used[j] = true);
        old_used[i] = true;
        groups.push(Group {
            old: i..i + 1,
            new,
            exact: false,
        });
    }

    groups.sort_by_key(|g| g.old.start);
    let moved = moves(&groups, a);
    build_actions(a, b, &groups, &moved, prefix, suffix, &old_used, &new_used)
}

/// Above this many pairs of occurrences of one repeated sentence, its
/// occurrences pair in order.
const MAX_REPEAT_PAIRS: usize = 10_000;

/// Sentences equal on both sides: a sentence that stands once on each side
/// pairs at once; the occurrences of a repeated one pair nearest in
/// relative position first.
fn exact_pairs(
    a: &[Sentence<'_>],
    b: &[Sentence<'_>],
    old: Range<usize>,
    new: Range<usize>,
) -> Vec<(usize, usize)> {
    let mut by_text: FastMap<&str, (Vec<usize>, Vec<usize>)> = FastMap::default();
    for i in old.clone() {
        by_text.entry(a[i].text).or_default().0.push(i);
    }
    for j in new.clone() {
        if let Some(e) = by_text.get_mut(b[j].text) {
            e.1.push(j);
        }
    }
    let (old_len, new_len) = (old.len().max(1), new.len().max(1));
    let mut out = Vec::new();
    for (olds, news) in by_text.into_values() {
        if olds.len() == 1 || news.len() == 1 || olds.len() * news.len() > MAX_REPEAT_PAIRS {
            if olds.len() * news.len() <= MAX_REPEAT_PAIRS && olds.len() != news.len() {
                // One side once: its nearest occurrence on the other.
                let distance = |i: usize, j: usize| {
                    ((i - old.start) * new_len).abs_diff((j - new.start) * old_len)
                };
                let best = olds
                    .iter()
                    .flat_map(|&i| news.iter().map(move |&j| (i, j)))
                    .min_by_key(|&(i, j)| distance(i, j));
                out.extend(best);
            } else {
                out.extend(olds.into_iter().zip(news));
            }
            continue;
        }
        let mut pairs: Vec<(usize, usize)> = olds
            .iter()
            .flat_map(|&i| news.iter().map(move |&j| (i, j)))
            .collect();
        pairs.sort_by_key(|&(i, j)| {
            (
                ((i - old.start) * new_len).abs_diff((j - new.start) * old_len),
                i,
                j,
            )
        });
        let (mut used_old, mut used_new) = (Vec::new(), Vec::new());
        for (i, j) in pairs {
            if !used_old.contains(&i) && !used_new.contains(&j) {
                used_old.push(i);
                used_new.push(j);
                out.push((i, j));
            }
        }
    }
    out
}

/// The candidate pairs at or above [`THRESHOLD`], most similar first (ties:
/// nearest in position, then reading order).
fn candidates(
    uo: &[usize],
    un: &[usize],
    a_bags: &[Vec<u64>],
    b_bags: &[Vec<u64>],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    if uo.is_empty() || un.is_empty() {
        return out;
    }
    let window = if uo.len() * un.len() <= MAX_CELLS {
        un.len()
    } else {
        (MAX_CELLS / uo.len() / 2).max(1)
    };
    for (r, &i) in uo.iter().enumerate() {
        let centre = r * un.len() / uo.len();
        let lo = centre.saturating_sub(window);
        let hi = (centre + window + 1).min(un.len());
        let x = &a_bags[i];
        for &j in &un[lo..hi] {
            let y = &b_bags[j];
            let total = x.len() + y.len();
            // Dice can be no higher than 2·min/total.
            if total == 0
                || (2 * x.len().min(y.len())) as f32 <= THRESHOLD * total as f32 - f32::EPSILON
            {
                continue;
            }
            let score = words::dice(x, y);
            if score >= THRESHOLD {
                out.push(Candidate {
                    score,
                    old: i,
                    new: j,
                });
            }
        }
    }
    out.sort_by(|p, q| {
        q.score
            .total_cmp(&p.score)
            .then(p.old.abs_diff(p.new).cmp(&q.old.abs_diff(q.new)))
            .then(p.old.cmp(&q.old))
            .then(p.new.cmp(&q.new))
    });
    out
}

/// Splits seen from the old side, or merges seen from the new: each
/// sentence of `from` whose best match on the other side (`best`: index and
/// similarity) has it as its own best match (`best_back`), and which grows
/// into a run of two or more (see [`grow`]). Marks what it takes as used.
fn runs(
    from: &[usize],
    (from_bags, to_bags): (&[Vec<u64>], &[Vec<u64>]),
    (from_used, to_used): (&mut [bool], &mut [bool]),
    best: impl Fn(usize) -> Option<(usize, f32)>,
    best_back: impl Fn(usize) -> Option<usize>,
    bounds: Range<usize>,
) -> Vec<(usize, Range<usize>)> {
    let mut out = Vec::new();
    for &i in from {
        let Some((j, score)) = best(i) else { continue };
        if from_used[i] || to_used[j] || best_back(j) != Some(i) {
            continue;
        }
        let run = grow(&from_bags[i], to_bags, to_used, j, bounds.clone(), score);
        if run.len() >= 2 {
            from_used[i] = true;
            run.clone().for_each(|k| to_used[k] = true);
            out.push((i, run));
        }
    }
    out
}

/// Grows the run `start..start+1` of sentences on one side with free
/// neighbours (inside `bounds`) that are mostly made of `target`'s words, as
/// long as the run as a whole resembles `target` better.
fn grow(
    target: &[u64],
    bags: &[Vec<u64>],
    used: &[bool],
    start: usize,
    bounds: Range<usize>,
    score: f32,
) -> Range<usize> {
    let mut run = start..start + 1;
    let mut best = score;
    let fits = |k: usize| {
        let bag = &bags[k];
        !used[k]
            && bag.len() >= 2
            && words::shared(bag, target) as f32 >= CONTAINMENT * bag.len() as f32
    };
    let dice_of = |r: &Range<usize>| {
        let parts: Vec<&[u64]> = r.clone().map(|k| bags[k].as_slice()).collect();
        words::dice(target, &words::merged(&parts))
    };
    loop {
        let mut grown = false;
        let right = (run.end < bounds.end).then(|| (run.start..run.end + 1, run.end));
        let left = (run.start > bounds.start).then(|| (run.start - 1..run.end, run.start - 1));
        for (wider, k) in [right, left].into_iter().flatten() {
            if !fits(k) {
                continue;
            }
            let d = dice_of(&wider);
            if d > best + 0.01 {
                best = d;
                run = wider;
                grown = true;
            }
        }
        if !grown {
            return run;
        }
    }
}

/// Runs of two or more free sentences of `s` (within `bounds`), in one
/// paragraph and one quotation, each with the free sentence of `t` that is
/// mostly made of the run's words (its best such match, at most one run
/// per sentence). Gives up past [`MAX_CELLS`] comparisons.
fn quoted_runs(
    s: &[Sentence<'_>],
    s_used: &[bool],
    bounds: Range<usize>,
    t: &[Sentence<'_>],
    t_bags: &[Vec<u64>],
    t_used: &[bool],
) -> Vec<(Range<usize>, usize)> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut scratch = s_used.to_vec();
    let mut i = bounds.start;
    while i < bounds.end {
        if s_used[i] {
            i += 1;
            continue;
        }
        let run = within_quote(s, i..i + 1, &mut scratch, i..bounds.end);
        i = run.end;
        if run.len() >= 2 {
            runs.push(run);
        }
    }
    let free: Vec<usize> = (0..t.len()).filter(|&j| !t_used[j]).collect();
    if runs.is_empty() || runs.len() * free.len() > MAX_CELLS {
        return Vec::new();
    }
    let mut taken = vec![false; t.len()];
    let mut out = Vec::new();
    for run in runs {
        let bag = words::bag(&joined(s, run.clone()));
        let parts: Vec<Vec<u64>> = run.clone().map(|k| words::bag(s[k].text)).collect();
        let best = free
            .iter()
            .filter(|&&j| !taken[j] && t_bags[j].len() >= 2)
            .map(|&j| {
                let b = &t_bags[j];
                (words::shared(b, &bag) as f32 / b.len() as f32, j)
            })
            .filter(|&(c, j)| {
                c >= CONTAINMENT
                    && parts
                        .iter()
                        .any(|p| words::shared(&t_bags[j], p) * 2 >= p.len().min(t_bags[j].len()))
            })
            .max_by(|x, y| x.0.total_cmp(&y.0));
        if let Some((_, j)) = best {
            taken[j] = true;
            out.push((run, j));
        }
    }
    out
}

/// `range` grown with the free sentences next to it in its paragraph that
/// belong to the same quotation (the boundary between them lies inside the
/// quotation marks); marks them used.
fn within_quote(
    s: &[Sentence<'_>],
    mut range: Range<usize>,
    used: &mut [bool],
    bounds: Range<usize>,
) -> Range<usize> {
    let quoted_after = |i: usize| {
        let p = s[i].paragraph;
        let first = (0..=i)
            .rev()
            .take_while(|&k| s[k].paragraph == p)
            .last()
            .unwrap_or(i);
        quote_open_after(s[first..=i].iter().map(|x| x.text))
    };
    while range.end < bounds.end
        && !used[range.end]
        && s[range.end].paragraph == s[range.end - 1].paragraph
        && quoted_after(range.end - 1)
    {
        used[range.end] = true;
        range.end += 1;
    }
    while range.start > bounds.start
        && !used[range.start - 1]
        && s[range.start - 1].paragraph == s[range.start].paragraph
        && quoted_after(range.start - 1)
    {
        used[range.start - 1] = true;
        range.start -= 1;
    }
    range
}

/// Whether a quotation is open at the end of these texts: “…”, „…“, «…»,
/// "…" (a straight mark opens after a space or at the start, and closes
/// otherwise).
fn quote_open_after<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    let mut open: Option<char> = None;
    for text in texts {
        let mut prev = ' ';
        for c in text.chars() {
            open = match (open, c) {
                (None, '“' | '„' | '«') => Some(c),
                (None, '"') if prev.is_whitespace() || "([—–-".contains(prev) => Some('"'),
                (Some('“'), '”') | (Some('„'), '“' | '”') | (Some('«'), '»') => None,
                (Some('"'), '"') => None,
                (o, _) => o,
            };
            prev = c;
        }
    }
    open.is_some()
}

/// Which groups (sorted by old position) moved: repeatedly drop the group
/// whose order crosses the most others (ties: fewer words, then later in
/// the old text) until none cross.
fn moves(groups: &[Group], a: &[Sentence<'_>]) -> Vec<bool> {
    let m = groups.len();
    let mut moved = vec![false; m];
    if m > MAX_GREEDY_PAIRS {
        for (k, in_lis) in longest_increasing(groups).into_iter().enumerate() {
            moved[k] = !in_lis;
        }
        return moved;
    }
    let mut crossings = vec![0u32; m];
    for x in 0..m {
        for y in x + 1..m {
            if groups[x].new.start > groups[y].new.start {
                crossings[x] += 1;
                crossings[y] += 1;
            }
        }
    }
    let size: Vec<usize> = groups
        .iter()
        .map(|g| g.old.clone().map(|i| words::words(a[i].text).count()).sum())
        .collect();
    loop {
        let pick = (0..m)
            .filter(|&x| !moved[x] && crossings[x] > 0)
            .max_by(|&x, &y| {
                crossings[x]
                    .cmp(&crossings[y])
                    .then(size[y].cmp(&size[x]))
                    .then(x.cmp(&y))
            });
        let Some(x) = pick else { return moved };
        moved[x] = true;
        for y in 0..m {
            if !moved[y] && (x < y) != (groups[x].new.start < groups[y].new.start) {
                crossings[y] -= 1;
            }
        }
    }
}

/// Marks the groups on one longest run whose new positions increase.
fn longest_increasing(groups: &[Group]) -> Vec<bool> {
    let m = groups.len();
    // tails[l]: index of the smallest tail of an increasing run of length l+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; m];
    for k in 0..m {
        let v = groups[k].new.start;
        let pos = tails.partition_point(|&t| groups[t].new.start < v);
        prev[k] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; m];
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        keep[k] = true;
        cur = prev[k];
    }
    keep
}

fn joined(s: &[Sentence<'_>], r: Range<usize>) -> String {
    s[r].iter().map(|x| x.text).collect::<Vec<_>>().join(" ")
}

#[allow(clippy::too_many_arguments)]
fn build_actions(
    a: &[Sentence<'_>],
    b: &[Sentence<'_>],
    groups: &[Group],
    moved: &[bool],
    prefix: usize,
    suffix: usize,
    old_used: &[bool],
    new_used: &[bool],
) -> Vec<Action> {
    let (na, nb) = (a.len(), b.len());
    // The new position of each old sentence that kept its place.
    let mut anchor: Vec<Option<usize>> = vec![None; na];
    for (i, slot) in anchor.iter_mut().enumerate().take(prefix) {
        *slot = Some(i);
    }
    for k in 0..suffix {
        anchor[na - 1 - k] = Some(nb - 1 - k);
    }
    let mut keyed: Vec<((usize, usize), Action)> = Vec::new();
    for (g, &is_moved) in groups.iter().zip(moved) {
        if !is_moved {
            for i in g.old.clone() {
                anchor[i] = Some(g.new.end - 1);
            }
        }
        let kind = if g.old.len() > 1 {
            ActionKind::Merge
        } else if g.new.len() > 1 {
            ActionKind::Split
        } else if is_moved {
            ActionKind::Move
        } else if g.exact {
            continue;
        } else {
            ActionKind::Edit
        };
        let old_text = joined(a, g.old.clone());
        let new_text = joined(b, g.new.clone());
        let pieces = if old_text == new_text {
            Vec::new()
        } else {
            word_diff(&old_text, &new_text)
        };
        let action = Action {
            kind,
            old_index: Some(g.old.start),
            new_index: Some(g.new.start),
            old_text,
            new_text,
            old_paragraph: Some(a[g.old.start].paragraph),
            new_paragraph: Some(b[g.new.start].paragraph),
            pieces,
        };
        keyed.push(((2 * g.new.start + 2, g.old.start), action));
    }
    for j in (0..nb).filter(|&j| j >= prefix && j < nb - suffix && !new_used[j]) {
        let action = Action {
            kind: ActionKind::Addition,
            old_index: None,
            new_index: Some(j),
            old_text: String::new(),
            new_text: b[j].text.to_string(),
            old_paragraph: None,
            new_paragraph: Some(b[j].paragraph),
            pieces: Vec::new(),
        };
        keyed.push(((2 * j + 2, 0), action));
    }
    let mut last_anchor: Option<usize> = None;
    for i in 0..na {
        if let Some(q) = anchor[i] {
            last_anchor = Some(q);
        }
        if i < prefix || i >= na - suffix || old_used[i] {
            continue;
        }
        let key = last_anchor.map_or(1, |q| 2 * q + 3);
        let action = Action {
            kind: ActionKind::Deletion,
            old_index: Some(i),
            new_index: None,
            old_text: a[i].text.to_string(),
            new_text: String::new(),
            old_paragraph: Some(a[i].paragraph),
            new_paragraph: None,
            pieces: Vec::new(),
        };
        keyed.push(((key, i), action));
    }
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redline_diff::PieceOp;

    fn text(paragraphs: &[&str]) -> ArticleText {
        ArticleText::new("Title", "", paragraphs)
    }

    fn action(
        kind: ActionKind,
        old: Option<(usize, usize)>,
        new: Option<(usize, usize)>,
        o: &str,
        n: &str,
    ) -> Action {
        Action {
            kind,
            old_index: old.map(|x| x.0),
            new_index: new.map(|x| x.0),
            old_text: o.into(),
            new_text: n.into(),
            old_paragraph: old.map(|x| x.1),
            new_paragraph: new.map(|x| x.1),
            pieces: Vec::new(),
        }
    }

    fn without_pieces(mut actions: Vec<Action>) -> Vec<Action> {
        actions.iter_mut().for_each(|a| a.pieces.clear());
        actions
    }

    #[test]
    fn identical_texts_give_no_actions() {
        let t = text(&["One sentence here. Another one.", "A second paragraph."]);
        assert_eq!(align(&t, &t), vec![]);
        assert_eq!(
            align(&ArticleText::default(), &ArticleText::default()),
            vec![]
        );
    }

    #[test]
    fn swapped_paragraphs_are_one_move() {
        let old = text(&[
            "The council met on Monday.",
            "The vote was close.",
            "Protesters gathered outside the hall.",
        ]);
        let new = text(&[
            "Protesters gathered outside the hall.",
            "The council met on Monday.",
            "The vote was close.",
        ]);
        let s = "Protesters gathered outside the hall.";
        assert_eq!(
            align(&old, &new),
            vec![action(ActionKind::Move, Some((2, 2)), Some((0, 0)), s, s)]
        );
    }

    #[test]
    fn an_edit_carries_its_word_diff() {
        let old = text(&[
            "The fire killed 243 people in the city on Monday.",
            "Rescue work goes on.",
        ]);
        let new = text(&[
            "The fire killed 234 people in the city on Monday.",
            "Rescue work goes on.",
        ]);
        let actions = align(&old, &new);
        assert_eq!(
            without_pieces(actions.clone()),
            vec![action(
                ActionKind::Edit,
                Some((0, 0)),
                Some((0, 0)),
                "The fire killed 243 people in the city on Monday.",
                "The fire killed 234 people in the city on Monday."
            )]
        );
        let changed: Vec<(PieceOp, &str)> = actions[0]
            .pieces
            .iter()
            .filter(|p| p.op != PieceOp::Equal)
            .map(|p| (p.op, p.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            vec![(PieceOp::Delete, "243"), (PieceOp::Insert, "234")]
        );
    }

    #[test]
    fn splits_and_merges() {
        let long = "The mayor resigned on Tuesday after weeks of pressure, and the council will choose a successor in March.";
        let a = "The mayor resigned on Tuesday after weeks of pressure.";
        let b = "The council will choose a successor in March.";
        let old = text(&["Intro stays.", long, "Outro stays."]);
        let new = text(&["Intro stays.", &format!("{a} {b}"), "Outro stays."]);
        let joined = format!("{a} {b}");
        assert_eq!(
            without_pieces(align(&old, &new)),
            vec![action(
                ActionKind::Split,
                Some((1, 1)),
                Some((1, 1)),
                long,
                &joined
            )]
        );
        assert_eq!(
            without_pieces(align(&new, &old)),
            vec![action(
                ActionKind::Merge,
                Some((1, 1)),
                Some((1, 1)),
                &joined,
                long
            )]
        );
    }

    #[test]
    fn additions_and_deletions_in_reading_order() {
        let old = text(&[
            "First stays.",
            "This paragraph is cut entirely.",
            "Last stays.",
        ]);
        let new = text(&[
            "First stays.",
            "Last stays.",
            "A brand new closing paragraph appears.",
        ]);
        assert_eq!(
            align(&old, &new),
            vec![
                action(
                    ActionKind::Deletion,
                    Some((1, 1)),
                    None,
                    "This paragraph is cut entirely.",
                    ""
                ),
                action(
                    ActionKind::Addition,
                    None,
                    Some((2, 2)),
                    "",
                    "A brand new closing paragraph appears."
                ),
            ]
        );
    }

    #[test]
    fn huge_inputs_stay_bounded() {
        let old: Vec<String> = (0..10_000)
            .map(|k| format!("Sentence number {k} talks about topic {}.", k % 97))
            .collect();
        let new: Vec<String> = (0..10_000)
            .map(|k| format!("Line {k} now covers subject {} instead.", k % 89))
            .collect();
        let (old, new) = (
            ArticleText::new("", "", &old),
            ArticleText::new("", "", &new),
        );
        let start = std::time::Instant::now();
        let actions = align(&old, &new);
        assert!(actions.len() >= 10_000);
        // Shuffled identical sentences: the move finder falls back to a
        // longest increasing subsequence.
        let mut shuffled = old.paragraphs.clone();
        shuffled.reverse();
        let moved = align(&old, &ArticleText::new("", "", &shuffled));
        assert_eq!(
            moved.iter().filter(|a| a.kind == ActionKind::Move).count(),
            9_999
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(20));
    }
}
