//! Diff cards: a PNG image of one change of an article, 1200×675, for
//! social posts and link previews, and its alt text.
//!
//! A card shows the source's name, the headline (the old one struck
//! through above the new one when it changed), the most significant
//! changed sentence or two with removed words struck through in red and
//! added words in green, the time between the versions ("Changed about 9
//! hours later") and the site name of this redline. Long text is wrapped
//! and cut with an ellipsis; any text renders (characters the bundled font
//! lacks as boxes), and no input makes it panic.
//!
//! The input is a plain [`Card`], so this crate knows nothing of the
//! store: the caller picks the sentences. Rendering is in-process: text
//! shaped by HarfRust, outlines from skrifa, rasterised and encoded by
//! tiny-skia, in the bundled DejaVu Sans (`fonts/`, under the Bitstream
//! Vera licence with DejaVu's changes in the public domain; see
//! `fonts/LICENSE-DejaVu.txt`).
//!
//! - `font`: the bundled fonts, shaping and glyph outlines.
//! - [`layout`]: where everything goes.
//! - [`paint`]: pixels and PNG.
//! - `text`: cleaning input, the time in words, the alt text.

#![forbid(unsafe_code)]

mod font;
pub mod layout;
pub mod paint;
mod text;

pub use layout::{HEIGHT, Item, Layout, Rect, Role, WIDTH, layout};
pub use paint::render_layout;
pub use text::{MAX_ALT_CHARS, alt_text};

/// One change, as a card shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Card {
    /// The source's name ("BBC News").
    pub source: String,
    /// This redline's name, shown in the corner ("redline.example.org").
    pub site_name: String,
    /// The headline of the older version.
    pub headline_before: String,
    /// The headline of the newer version (the same text when it did not
    /// change).
    pub headline_after: String,
    /// The changed sentences to show, most significant first: each the
    /// segments of its word-level diff. The first two are shown (as much
    /// of them as fits).
    pub sentences: Vec<Vec<Segment>>,
    /// The time between the two versions in words, as the web interface
    /// says it ("about 9 hours later": `redline_web::time::later`), so a
    /// card and its page never disagree.
    pub elapsed: String,
}

/// A run of a sentence: in both versions, or only in the old or the new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    /// The text, spaces included as they stand between the runs.
    pub text: String,
}

impl Segment {
    pub fn new(kind: SegmentKind, text: impl Into<String>) -> Self {
        Segment {
            kind,
            text: text.into(),
        }
    }
}

/// Which version a [`Segment`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SegmentKind {
    /// Both.
    Same,
    /// The old one only: struck through in red.
    Removed,
    /// The new one only: in green.
    Added,
}

/// Why a card could not be rendered. None of these comes from the card's
/// text: they mean the build or the machine is broken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CardError {
    #[error("the bundled font could not be read")]
    Font,
    #[error("text could not be shaped: {0}")]
    Shape(String),
    #[error("the canvas could not be allocated")]
    Canvas,
    #[error("the card could not be encoded as PNG: {0}")]
    Encode(String),
}

/// The card as PNG bytes, [`WIDTH`]×[`HEIGHT`].
pub fn render(card: &Card) -> Result<Vec<u8>, CardError> {
    render_layout(&layout(card)?)
}
