//! Drawing a [`Layout`] into pixels and encoding them as PNG: the
//! background, the accent bar and rules, each run's highlight, its glyphs
//! and (for removed text) the strike-through line, with the colours of
//! each [`Role`].

use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Rect as SkRect, Transform};

use crate::CardError;
use crate::font::{Fonts, Painter};
use crate::layout::{BAR, HEIGHT, Layout, Role, WIDTH};

/// An opaque colour as red, green, blue.
pub type Rgb = [u8; 3];

/// The card's background.
pub const BACKGROUND: Rgb = [0xff, 0xff, 0xff];
/// The accent bar across the top, and the site name.
pub const ACCENT: Rgb = [0xb3, 0x1d, 0x28];
/// The rules.
pub const RULE: Rgb = [0xd0, 0xd7, 0xde];
/// Ordinary text.
pub const TEXT: Rgb = [0x1f, 0x23, 0x28];
/// The source's name and the time between versions.
pub const MUTED: Rgb = [0x57, 0x60, 0x6a];
/// Removed words and the old headline.
pub const REMOVED_TEXT: Rgb = [0x82, 0x07, 0x1e];
/// Behind removed words.
pub const REMOVED_BACKGROUND: Rgb = [0xff, 0xeb, 0xe9];
/// The line through removed words and the old headline.
pub const STRIKE: Rgb = [0xd1, 0x24, 0x2f];
/// Added words and the new headline.
pub const ADDED_TEXT: Rgb = [0x11, 0x63, 0x29];
/// Behind added words.
pub const ADDED_BACKGROUND: Rgb = [0xda, 0xfb, 0xe1];
/// How far a highlight reaches left and right of its words, in pixels.
pub const HIGHLIGHT_PAD: f32 = 3.0;

impl Role {
    /// The colour of the role's text.
    pub fn color(self) -> Rgb {
        match self {
            Role::Source | Role::Elapsed => MUTED,
            Role::Headline | Role::Same => TEXT,
            Role::HeadlineBefore | Role::Removed => REMOVED_TEXT,
            Role::HeadlineAfter | Role::Added => ADDED_TEXT,
            Role::SiteName => ACCENT,
        }
    }

    /// The colour behind the role's text, if any.
    pub fn background(self) -> Option<Rgb> {
        match self {
            Role::Removed => Some(REMOVED_BACKGROUND),
            Role::Added => Some(ADDED_BACKGROUND),
            _ => None,
        }
    }
}

/// The strike-through of a run whose baseline is at `baseline` in text
/// of `size` pixels: its top row and its thickness, in whole pixels.
pub fn strike_rows(baseline: f32, size: f32) -> (f32, f32) {
    let thickness = (size * 0.075).round().max(2.0);
    (
        (baseline - size * 0.30 - thickness / 2.0).round(),
        thickness,
    )
}

fn paint(rgb: Rgb, anti_alias: bool) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255));
    p.anti_alias = anti_alias;
    p
}

fn fill_rect(pixmap: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, rgb: Rgb) {
    if let Some(r) = SkRect::from_xywh(x, y, w, h) {
        pixmap.fill_rect(r, &paint(rgb, false), Transform::identity(), None);
    }
}

/// The layout drawn, as PNG bytes.
pub fn render_layout(layout: &Layout) -> Result<Vec<u8>, CardError> {
    let fonts = Fonts::get()?;
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or(CardError::Canvas)?;
    pixmap.fill(Color::from_rgba8(
        BACKGROUND[0],
        BACKGROUND[1],
        BACKGROUND[2],
        255,
    ));
    fill_rect(&mut pixmap, 0.0, 0.0, WIDTH as f32, BAR, ACCENT);
    for r in &layout.rules {
        fill_rect(&mut pixmap, r.x, r.y, r.width, r.height, RULE);
    }
    let mut painter = Painter::new(fonts);
    for item in &layout.items {
        if let Some(bg) = item.role.background() {
            let r = item.rect;
            fill_rect(
                &mut pixmap,
                (r.x - HIGHLIGHT_PAD).round(),
                r.y.round(),
                (r.width + 2.0 * HIGHLIGHT_PAD).round(),
                r.height.round(),
                bg,
            );
        }
        let mut path = PathBuilder::new();
        for g in &item.glyphs {
            painter.outline(
                item.face,
                item.size,
                g.id,
                g.x,
                item.baseline + g.y,
                &mut path,
            );
        }
        if let Some(path) = path.finish() {
            pixmap.fill_path(
                &path,
                &paint(item.role.color(), true),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        if item.role.struck() {
            let (top, thickness) = strike_rows(item.baseline, item.size);
            let (left, right) = (item.rect.x.round(), (item.rect.x + item.rect.width).round());
            fill_rect(&mut pixmap, left, top, right - left, thickness, STRIKE);
        }
    }
    pixmap
        .encode_png()
        .map_err(|e| CardError::Encode(e.to_string()))
}
