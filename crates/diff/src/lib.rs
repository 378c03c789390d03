//! Versions and diffs: what counts as an article's text, when a new text is a
//! new version, and what changed between two versions.
//!
//! - [`text`]: the canonical text of a version (title, byline, paragraphs),
//!   its normalisation, its hash and its whitespace/punctuation-blind
//!   fingerprint.
//! - [`change`]: classifies a freshly extracted text against the versions
//!   already kept: unchanged, a revert to an earlier version (flip-flop), a
//!   new version, or a new but minor one.
//! - [`layout`]: the diff's rows in reading order (moves included) and
//!   which unchanged runs fold, for every renderer.
//! - [`diff`]: aligns paragraphs, then compares words inside changed
//!   paragraphs (a paragraph that changed place is a move), and renders the
//!   result as `[-old-]{+new+}` text or JSON.

#![forbid(unsafe_code)]

pub mod change;
pub mod diff;
pub mod layout;
pub mod text;

/// Time one diff (or one [`ArticleText::common_with`]) may spend aligning
/// sequences. Myers' algorithm is O(N·D): two long texts that share words
/// but little order (a hostile or broken page) can otherwise take many
/// seconds of CPU on a shared worker. Past the deadline `similar` settles for
/// a coarser alignment that is still a correct diff (it rebuilds both sides),
/// so only readability suffers, and only on texts no one reads word by word.
pub const DIFF_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The deadline for a diff starting now (`None`, no deadline, only if the
/// clock cannot represent it).
fn deadline() -> Option<std::time::Instant> {
    std::time::Instant::now().checked_add(DIFF_TIME_LIMIT)
}

pub use change::{Classification, KnownVersion, classify};
pub use diff::{Diff, FieldDiff, ParagraphDiff, Piece, PieceOp, diff};
pub use text::{ArticleText, Identity, TextHash};
