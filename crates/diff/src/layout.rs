//! How a diff is laid out for reading, whatever renders it (the web
//! interface's HTML, the terminal's text): its rows in reading order, with
//! a row where each moved paragraph used to stand, and which runs of
//! unchanged rows are folded away.

use crate::diff::{FieldDiff, ParagraphDiff, PieceOp};

/// Unchanged paragraphs kept visible on each side of a change; longer
/// unchanged runs are folded.
pub const CONTEXT: usize = 1;

/// A row of the aligned diff: a paragraph's diff, or the place a moved
/// paragraph left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Row<'a> {
    Para(&'a ParagraphDiff),
    MovedAway { old_index: usize, new_index: usize },
}

impl Row<'_> {
    /// Anything but an unchanged paragraph.
    pub fn changed(&self) -> bool {
        !matches!(self, Row::Para(ParagraphDiff::Equal { .. }))
    }
}

/// The rows in reading order, with a `MovedAway` row where each moved
/// paragraph used to stand (after the last row of an earlier old
/// paragraph).
pub fn rows(paragraphs: &[ParagraphDiff]) -> Vec<Row<'_>> {
    let mut out: Vec<Row<'_>> = paragraphs.iter().map(Row::Para).collect();
    let moves: Vec<(usize, usize)> = paragraphs
        .iter()
        .filter_map(|p| match p {
            ParagraphDiff::Move {
                old_index,
                new_index,
                ..
            } => Some((*old_index, *new_index)),
            _ => None,
        })
        .collect();
    for (old_index, new_index) in moves {
        let after = out.iter().rposition(|r| match r {
            Row::Para(ParagraphDiff::Move { .. }) => false,
            Row::Para(p) => p.old_index().is_some_and(|o| o < old_index),
            Row::MovedAway { old_index: o, .. } => *o < old_index,
        });
        let at = after.map_or(0, |i| i + 1);
        out.insert(
            at,
            Row::MovedAway {
                old_index,
                new_index,
            },
        );
    }
    out
}

/// A row shown, or a run of unchanged rows folded away.
#[derive(Debug, Clone, PartialEq)]
pub enum Block<'a> {
    Row(Row<'a>),
    Fold(Vec<Row<'a>>),
}

/// Changed rows with [`CONTEXT`] unchanged neighbours stay visible; longer
/// unchanged runs fold (a run of one is shown: folding it hides nothing).
pub fn blocks<'a>(rows: &[Row<'a>]) -> Vec<Block<'a>> {
    let n = rows.len();
    let visible = |i: usize| {
        let lo = i.saturating_sub(CONTEXT);
        let hi = (i + CONTEXT).min(n.saturating_sub(1));
        (lo..=hi).any(|k| rows[k].changed())
    };
    fn flush<'a>(run: &mut Vec<Row<'a>>, out: &mut Vec<Block<'a>>) {
        let taken = std::mem::take(run);
        match taken.as_slice() {
            [] => {}
            [one] => out.push(Block::Row(*one)),
            _ => out.push(Block::Fold(taken)),
        }
    }
    let mut out = Vec::new();
    let mut run: Vec<Row<'a>> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if visible(i) {
            flush(&mut run, &mut out);
            out.push(Block::Row(*row));
        } else {
            run.push(*row);
        }
    }
    flush(&mut run, &mut out);
    out
}

impl FieldDiff {
    /// The old and the new line of a one-line field (headline, byline),
    /// for showing them whole.
    pub fn sides(&self) -> (String, String) {
        let join = |own: PieceOp| -> String {
            self.pieces
                .iter()
                .filter(|p| p.op == PieceOp::Equal || p.op == own)
                .map(|p| p.text.as_str())
                .collect()
        };
        (join(PieceOp::Delete), join(PieceOp::Insert))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ArticleText, diff};

    #[test]
    fn a_move_leaves_a_row_where_it_stood_and_long_unchanged_runs_fold() {
        let paras: Vec<String> = (0..8)
            .map(|i| format!("Paragraph {i} of the story."))
            .collect();
        let mut moved = paras.clone();
        let last = moved.remove(1);
        moved.push(last);
        let d = diff(
            &ArticleText::new("T", "", &paras),
            &ArticleText::new("T", "", &moved),
        );
        let shape: Vec<String> = blocks(&rows(&d.paragraphs))
            .iter()
            .map(|b| match b {
                Block::Fold(rows) => format!("fold {}", rows.len()),
                Block::Row(Row::MovedAway {
                    old_index,
                    new_index,
                }) => {
                    format!("away {old_index}→{new_index}")
                }
                Block::Row(Row::Para(p)) => format!("{:?} {:?}", p.old_index(), p.new_index()),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "Some(0) Some(0)",
                "away 1→7",
                "Some(2) Some(1)",
                "fold 4",
                "Some(7) Some(6)",
                "Some(1) Some(7)",
            ]
        );
        assert_eq!(d.title.sides(), ("T".to_string(), "T".to_string()));
    }
}
