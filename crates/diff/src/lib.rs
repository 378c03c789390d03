//! Versions and diffs: what counts as an article's text, when a new text is a
//! new version, and what changed between two versions.
//!
//! - [`text`]: the canonical text of a version (title, byline, paragraphs),
//!   its normalisation, its hash and its whitespace/punctuation-blind
//!   fingerprint.
//! - [`change`]: classifies a freshly extracted text against the versions
//!   already kept: unchanged, a revert to an earlier version (flip-flop), a
//!   new version, or a new but minor one.
//! - [`diff`]: aligns paragraphs, then compares words inside changed
//!   paragraphs, and renders the result as `[-old-]{+new+}` text or JSON.

pub mod change;
pub mod diff;
pub mod text;

pub use change::{Classification, KnownVersion, classify};
pub use diff::{Diff, FieldDiff, ParagraphDiff, Piece, PieceOp, diff};
pub use text::{ArticleText, TextHash};
