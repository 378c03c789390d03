//! The bundled fonts (DejaVu Sans, regular and bold, compiled into the
//! binary: nothing is read from the system) and what the card does with
//! them: shaping a run of text into positioned glyphs with HarfRust, and
//! drawing glyph outlines with skrifa into tiny-skia paths.
//!
//! A character the font lacks shapes to glyph 0, the font's "missing
//! glyph" box: any text renders, some of it as boxes.

use std::collections::HashMap;
use std::sync::OnceLock;

use harfrust::{Buffer, Direction, ShapeOptions, ShaperFont};
use skrifa::{DrawMemory, Font, GlyphId, PathSink, ScalerFont};
use tiny_skia::PathBuilder;

use crate::CardError;

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Which of the two bundled faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Face {
    Regular,
    Bold,
}

/// The two faces, parsed once per process.
pub(crate) struct Fonts {
    regular: Font,
    bold: Font,
}

/// One glyph of a shaped run, its origin relative to the run's origin on
/// the baseline, in pixels (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub id: u32,
    pub x: f32,
    pub y: f32,
}

/// A run of text shaped at one size: its glyphs and its advance width.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Shaped {
    pub glyphs: Vec<Glyph>,
    pub width: f32,
}

impl Fonts {
    /// The bundled fonts (parsed on first use).
    pub fn get() -> Result<&'static Fonts, CardError> {
        static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
        FONTS
            .get_or_init(|| {
                Some(Fonts {
                    regular: Font::new(REGULAR, 0)?,
                    bold: Font::new(BOLD, 0)?,
                })
            })
            .as_ref()
            .ok_or(CardError::Font)
    }

    fn font(&self, face: Face) -> &Font {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Shapes `text` (one line, no breaks) in `face` at `size` pixels per
    /// em. Script and direction are guessed from the text; a right-to-left
    /// run comes out in visual order.
    pub fn shape(&self, face: Face, size: f32, text: &str) -> Result<Shaped, CardError> {
        if text.is_empty() {
            return Ok(Shaped::default());
        }
        let font = self.font(face);
        let shaper = ShaperFont::new(font);
        let mut buffer = Buffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        if buffer.direction() == Direction::Invalid {
            buffer.set_direction(Direction::LeftToRight);
        }
        harfrust::shape(&shaper, &mut buffer, ShapeOptions::new())
            .map_err(|e| CardError::Shape(e.to_string()))?;
        let scale = size / f32::from(font.units_per_em().max(1));
        let mut x = 0.0;
        let mut glyphs = Vec::with_capacity(buffer.len());
        for (info, pos) in buffer.glyph_infos().iter().zip(buffer.glyph_positions()) {
            glyphs.push(Glyph {
                id: info.glyph_id,
                x: x + pos.x_offset as f32 * scale,
                y: -(pos.y_offset as f32) * scale,
            });
            x += pos.x_advance as f32 * scale;
        }
        Ok(Shaped {
            glyphs,
            width: x.max(0.0),
        })
    }
}

/// Draws glyph outlines into paths, one scaler per face and size.
pub(crate) struct Painter<'f> {
    fonts: &'f Fonts,
    scalers: HashMap<(Face, u32), ScalerFont>,
}

impl<'f> Painter<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Painter {
            fonts,
            scalers: HashMap::new(),
        }
    }

    /// Adds the outline of `glyph` at (`x`, `baseline`) to `path`. A glyph
    /// without an outline (a space) or one that fails to draw adds nothing.
    pub fn outline(
        &mut self,
        face: Face,
        size: f32,
        glyph: u32,
        x: f32,
        baseline: f32,
        path: &mut PathBuilder,
    ) {
        let fonts = self.fonts;
        let scaler = self
            .scalers
            .entry((face, size.to_bits()))
            .or_insert_with(|| ScalerFont::unhinted(fonts.font(face).clone(), Some(size)));
        let Some(outline) = scaler.outline(GlyphId::new(glyph)) else {
            return;
        };
        let mut sink = Sink {
            path,
            x,
            y: baseline,
        };
        // A malformed glyph draws nothing rather than failing the card.
        let _ = outline.draw(DrawMemory::Scratch, &mut sink);
    }
}

/// Moves font coordinates (y up) to the pixmap's (y down) at an origin.
struct Sink<'a> {
    path: &'a mut PathBuilder,
    x: f32,
    y: f32,
}

impl PathSink for Sink<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to(self.x + x, self.y - y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to(self.x + x, self.y - y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.path
            .quad_to(self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.path.cubic_to(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        );
    }

    fn close(&mut self) {
        self.path.close();
    }
}
