//! Where everything goes on the card: the text broken into words, shaped,
//! wrapped to the card's width, cut with an ellipsis where it does not fit
//! its lines, and placed as runs (a run: consecutive words of one role on
//! one line, so a removed phrase is one box, struck through end to end).
//!
//! From the top: the source's name; the headline (or the old one struck
//! through above the new one); a rule; the changed sentences; a rule; the
//! time between the versions and this redline's site name.

use crate::font::{Face, Fonts, Glyph, Shaped};
use crate::text::{
    MAX_LEAD_CHARS, MAX_LINE_CHARS, MAX_SEGMENT_CHARS, MAX_SEGMENTS, MAX_SENTENCE_CHARS,
    MAX_SENTENCES, clean_into, clean_line, headline_changed,
};
use crate::{Card, CardError, SegmentKind};

/// The card's width in pixels.
pub const WIDTH: u32 = 1200;
/// The card's height in pixels.
pub const HEIGHT: u32 = 675;

/// Left and right margin.
const PAD: f32 = 64.0;
const CONTENT: f32 = WIDTH as f32 - 2.0 * PAD;
/// The accent bar across the top.
pub(crate) const BAR: f32 = 10.0;
/// The font's ascent and descent, in ems (DejaVu Sans: 1901 and 483 of
/// 2048 units).
const ASCENT: f32 = 0.928;
const DESCENT: f32 = 0.236;
/// The words of a sentence kept before its first change when the sentence
/// is too long to show whole.
const CONTEXT_WORDS: usize = 5;
const ELLIPSIS: &str = "…";

/// What a run of text is on the card; each has its own colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The source's name, at the top.
    Source,
    /// The headline, where it did not change.
    Headline,
    /// The old headline, struck through.
    HeadlineBefore,
    /// The new headline.
    HeadlineAfter,
    /// Words of a sentence in both versions.
    Same,
    /// Words only in the old version, struck through in red.
    Removed,
    /// Words only in the new version, in green.
    Added,
    /// The time between the versions.
    Elapsed,
    /// This redline's site name.
    SiteName,
}

impl Role {
    /// The face and size (pixels per em) of the role, and the height of
    /// its lines.
    fn style(self) -> (Face, f32, f32) {
        match self {
            Role::Source => (Face::Bold, 28.0, 38.0),
            Role::Headline => (Face::Bold, 42.0, 52.0),
            Role::HeadlineBefore => (Face::Regular, 30.0, 40.0),
            Role::HeadlineAfter => (Face::Bold, 38.0, 48.0),
            Role::Same | Role::Removed | Role::Added => (Face::Regular, 31.0, 46.0),
            Role::Elapsed => (Face::Regular, 26.0, 36.0),
            Role::SiteName => (Face::Bold, 26.0, 36.0),
        }
    }

    /// Whether the role is drawn struck through.
    pub fn struck(self) -> bool {
        matches!(self, Role::Removed | Role::HeadlineBefore)
    }
}

/// A rectangle in pixels, from the card's top left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// One run of text placed on the card.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub role: Role,
    /// The run's text as shown (single spaces, an ellipsis where cut).
    pub text: String,
    /// From the ascent to the descent of the font, across the run's
    /// advance.
    pub rect: Rect,
    /// The y of the run's baseline.
    pub baseline: f32,
    pub(crate) face: Face,
    /// The font size, in pixels per em.
    pub size: f32,
    /// Glyph origins: x absolute, y relative to the baseline.
    pub(crate) glyphs: Vec<Glyph>,
}

/// Everything on a card, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub items: Vec<Item>,
    /// The horizontal rules (below the headline, above the footer).
    pub rules: Vec<Rect>,
}

/// A run of one role inside a word, shaped.
#[derive(Debug, Clone)]
struct Part {
    role: Role,
    text: String,
    shaped: Shaped,
}

/// Text between two spaces: one or more parts glued together ("re" +
/// "election" where only a prefix changed).
#[derive(Debug, Clone)]
struct Word {
    parts: Vec<Part>,
}

impl Word {
    fn width(&self) -> f32 {
        self.parts.iter().map(|p| p.shaped.width).sum()
    }
}

/// Shapes and places text in one face and size.
struct Block<'f> {
    fonts: &'f Fonts,
    face: Face,
    size: f32,
    line_height: f32,
    space: f32,
}

impl<'f> Block<'f> {
    fn new(fonts: &'f Fonts, role: Role) -> Result<Self, CardError> {
        let (face, size, line_height) = role.style();
        let space = fonts.shape(face, size, " ")?.width;
        Ok(Block {
            fonts,
            face,
            size,
            line_height,
            space,
        })
    }

    fn part(&self, role: Role, text: String) -> Result<Part, CardError> {
        let shaped = self.fonts.shape(self.face, self.size, &text)?;
        Ok(Part { role, text, shaped })
    }

    /// The words of `pieces` (text with its role; spaces separate words).
    /// A removal and an addition that touch become two words.
    fn words(&self, pieces: &[(Role, String)]) -> Result<Vec<Word>, CardError> {
        let mut words = Vec::new();
        let mut parts: Vec<(Role, String)> = Vec::new();
        let mut flush = |parts: &mut Vec<(Role, String)>| -> Result<(), CardError> {
            if !parts.is_empty() {
                let shaped = parts
                    .drain(..)
                    .map(|(role, text)| self.part(role, text))
                    .collect::<Result<Vec<_>, _>>()?;
                words.push(Word { parts: shaped });
            }
            Ok(())
        };
        for (role, text) in pieces {
            for c in text.chars() {
                if c == ' ' {
                    flush(&mut parts)?;
                    continue;
                }
                match parts.last_mut() {
                    Some((r, t)) if r == role => t.push(c),
                    Some((r, _))
                        if matches!(
                            (*r, *role),
                            (Role::Removed, Role::Added) | (Role::Added, Role::Removed)
                        ) =>
                    {
                        flush(&mut parts)?;
                        parts.push((*role, c.to_string()));
                    }
                    _ => parts.push((*role, c.to_string())),
                }
            }
        }
        flush(&mut parts)?;
        Ok(words)
    }

    /// `word` cut into pieces no wider than `max`, at character
    /// boundaries (a long URL, a language written without spaces).
    fn split_long(&self, word: Word, max: f32) -> Result<Vec<Word>, CardError> {
        if word.width() <= max {
            return Ok(vec![word]);
        }
        let mut out: Vec<Vec<(Role, String)>> = vec![Vec::new()];
        let mut width = 0.0;
        for part in word.parts {
            for c in part.text.chars() {
                let mut buf = [0u8; 4];
                let w = self
                    .fonts
                    .shape(self.face, self.size, c.encode_utf8(&mut buf))?;
                if width + w.width > max && width > 0.0 {
                    out.push(Vec::new());
                    width = 0.0;
                }
                width += w.width;
                if let Some(current) = out.last_mut() {
                    match current.last_mut() {
                        Some((r, t)) if *r == part.role => t.push(c),
                        _ => current.push((part.role, c.to_string())),
                    }
                }
            }
        }
        out.into_iter()
            .filter(|p| !p.is_empty())
            .map(|pieces| {
                let parts = pieces
                    .into_iter()
                    .map(|(role, text)| self.part(role, text))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Word { parts })
            })
            .collect()
    }

    /// Greedy line breaking at spaces.
    fn wrap(&self, words: Vec<Word>, max: f32) -> Result<Vec<Vec<Word>>, CardError> {
        let mut lines: Vec<Vec<Word>> = Vec::new();
        let mut line: Vec<Word> = Vec::new();
        let mut width = 0.0;
        for word in words {
            for word in self.split_long(word, max)? {
                let w = word.width();
                let needed = if line.is_empty() {
                    w
                } else {
                    width + self.space + w
                };
                if needed > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    width = w;
                } else {
                    width = needed;
                }
                line.push(word);
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        Ok(lines)
    }

    fn line_width(&self, line: &[Word]) -> f32 {
        let words: f32 = line.iter().map(Word::width).sum();
        words + self.space * line.len().saturating_sub(1) as f32
    }

    /// `words` in at most `max_lines` lines of `max` pixels, the last one
    /// ending in an ellipsis (of role `base`) where words were left out.
    fn fit(
        &self,
        words: Vec<Word>,
        max: f32,
        max_lines: usize,
        base: Role,
    ) -> Result<Vec<Vec<Word>>, CardError> {
        let mut lines = self.wrap(words, max)?;
        if lines.len() <= max_lines {
            return Ok(lines);
        }
        lines.truncate(max_lines);
        let ellipsis = self.part(base, ELLIPSIS.into())?;
        let Some(last) = lines.last_mut() else {
            return Ok(lines);
        };
        while self.line_width(last) + ellipsis.shaped.width > max {
            let Some(word) = last.pop() else { break };
            if last.is_empty() {
                // One word filled the line: keep what fits of it.
                let room = (max - ellipsis.shaped.width).max(0.0);
                if let Some(first) = self.split_long(word, room)?.into_iter().next()
                    && first.width() <= room
                {
                    last.push(first);
                }
                break;
            }
        }
        match last.last_mut() {
            Some(word) => word.parts.push(ellipsis),
            None => last.push(Word {
                parts: vec![ellipsis],
            }),
        }
        Ok(lines)
    }

    /// Places `lines` from `top` at `x`, as runs; returns the y below them.
    fn place(&self, lines: Vec<Vec<Word>>, x: f32, top: f32, items: &mut Vec<Item>) -> f32 {
        let mut y = top;
        for line in lines {
            let baseline = (y
                + (self.line_height - (ASCENT + DESCENT) * self.size) / 2.0
                + ASCENT * self.size)
                .round();
            let mut cursor = x;
            let mut run: Option<Item> = None;
            let mut flush = |run: &mut Option<Item>, end: f32| {
                if let Some(mut item) = run.take() {
                    item.rect.width = end - item.rect.x;
                    items.push(item);
                }
            };
            for (i, word) in line.into_iter().enumerate() {
                if i > 0 {
                    let joins = run
                        .as_ref()
                        .zip(word.parts.first())
                        .is_some_and(|(r, p)| r.role == p.role);
                    if joins {
                        if let Some(r) = run.as_mut() {
                            r.text.push(' ');
                        }
                    } else {
                        flush(&mut run, cursor);
                    }
                    cursor += self.space;
                }
                for part in word.parts {
                    if run.as_ref().is_some_and(|r| r.role != part.role) {
                        flush(&mut run, cursor);
                    }
                    let item = run.get_or_insert_with(|| Item {
                        role: part.role,
                        text: String::new(),
                        rect: Rect {
                            x: cursor,
                            y: baseline - ASCENT * self.size,
                            width: 0.0,
                            height: (ASCENT + DESCENT) * self.size,
                        },
                        baseline,
                        face: self.face,
                        size: self.size,
                        glyphs: Vec::new(),
                    });
                    item.text.push_str(&part.text);
                    item.glyphs.extend(part.shaped.glyphs.iter().map(|g| Glyph {
                        x: g.x + cursor,
                        ..*g
                    }));
                    cursor += part.shaped.width;
                }
            }
            flush(&mut run, cursor);
            y += self.line_height;
        }
        y
    }

    /// One line of `role` text, cut with an ellipsis to `max`; its width
    /// and lines.
    fn one_line(
        &self,
        role: Role,
        text: &str,
        max: f32,
    ) -> Result<(f32, Vec<Vec<Word>>), CardError> {
        let words = self.words(&[(role, text.to_string())])?;
        let lines = self.fit(words, max, 1, role)?;
        let width = lines.first().map_or(0.0, |l| self.line_width(l));
        Ok((width, lines))
    }
}

/// The roles and cleaned text of a sentence's segments, each bounded: a
/// long run of text before the first change keeps its end, after "…"
/// (from a word's start), any other its start (the card cuts it further).
fn sentence_pieces(segments: &[crate::Segment]) -> Vec<(Role, String)> {
    let mut budget = MAX_SENTENCE_CHARS;
    let mut pieces = Vec::new();
    for (i, s) in segments.iter().take(MAX_SEGMENTS).enumerate() {
        let role = match s.kind {
            SegmentKind::Same => Role::Same,
            SegmentKind::Removed => Role::Removed,
            SegmentKind::Added => Role::Added,
        };
        let lead = i == 0 && role == Role::Same;
        let count = s.text.chars().count();
        let raw = if lead && count > MAX_LEAD_CHARS {
            let start = s
                .text
                .char_indices()
                .nth(count - MAX_LEAD_CHARS)
                .map_or(0, |(b, _)| b);
            let tail = &s.text[start..];
            // From the next word on.
            let word = tail.find(char::is_whitespace).unwrap_or(0);
            format!("{ELLIPSIS} {}", &tail[word..])
        } else {
            s.text.clone()
        };
        let mut text = String::new();
        let mut limit = MAX_SEGMENT_CHARS.min(budget);
        clean_into(&raw, &mut limit, &mut text);
        budget -= MAX_SEGMENT_CHARS.min(budget) - limit;
        if !text.is_empty() {
            pieces.push((role, text));
        }
    }
    pieces
}

/// Lays out `card`.
pub fn layout(card: &Card) -> Result<Layout, CardError> {
    let fonts = Fonts::get()?;
    let mut items = Vec::new();
    let mut rules = Vec::new();
    let mut y = BAR + 34.0;

    // The source.
    let source = clean_line(&card.source, MAX_LINE_CHARS);
    let block = Block::new(fonts, Role::Source)?;
    let (_, lines) = block.one_line(Role::Source, &source, CONTENT)?;
    y = block.place(lines, PAD, y, &mut items) + 10.0;

    // The headline, or the old and new ones.
    let before = clean_line(&card.headline_before, MAX_LINE_CHARS);
    let after = clean_line(&card.headline_after, MAX_LINE_CHARS);
    let has_sentences = card
        .sentences
        .iter()
        .take(MAX_SENTENCES)
        .any(|s| s.iter().any(|seg| !seg.text.trim().is_empty()));
    let head_lines = if has_sentences { 2 } else { 3 };
    let headlines: Vec<(Role, &str)> = if headline_changed(card) {
        vec![
            (Role::HeadlineBefore, &before),
            (Role::HeadlineAfter, &after),
        ]
    } else if after.is_empty() {
        vec![(Role::Headline, &before)]
    } else {
        vec![(Role::Headline, &after)]
    };
    for (i, (role, text)) in headlines.into_iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        if i > 0 {
            y += 6.0;
        }
        let block = Block::new(fonts, role)?;
        let words = block.words(&[(role, text.to_string())])?;
        let lines = block.fit(words, CONTENT, head_lines, role)?;
        y = block.place(lines, PAD, y, &mut items);
    }

    // The sentences, between two rules.
    y += 18.0;
    rules.push(Rect {
        x: PAD,
        y: y.round(),
        width: CONTENT,
        height: 2.0,
    });
    y += 22.0;
    let footer_top = HEIGHT as f32 - 40.0 - 36.0;
    let footer_rule = footer_top - 16.0;
    let bottom = footer_rule - 14.0;
    let block = Block::new(fonts, Role::Same)?;
    for segments in card.sentences.iter().take(MAX_SENTENCES) {
        let pieces = sentence_pieces(segments);
        let mut words = block.words(&pieces)?;
        if words.is_empty() {
            continue;
        }
        let room = ((bottom - y) / block.line_height).floor();
        if room < 1.0 {
            break;
        }
        let room = room as usize;
        let whole = block.wrap(words.clone(), CONTENT)?.len();
        let first_change = words
            .iter()
            .position(|w| w.parts.iter().any(|p| p.role != Role::Same));
        if whole > room
            && let Some(first) = first_change.filter(|&f| f > CONTEXT_WORDS)
        {
            // Too long to show whole: start a few words before the change.
            let mut rest = words.split_off(first - CONTEXT_WORDS);
            let lead = block.part(Role::Same, ELLIPSIS.into())?;
            rest.insert(0, Word { parts: vec![lead] });
            words = rest;
        }
        let lines = block.fit(words, CONTENT, room, Role::Same)?;
        y = block.place(lines, PAD, y, &mut items) + 12.0;
    }

    // The footer: the time between the versions, and this redline.
    rules.push(Rect {
        x: PAD,
        y: footer_rule,
        width: CONTENT,
        height: 2.0,
    });
    let site = clean_line(&card.site_name, MAX_LINE_CHARS);
    let site_block = Block::new(fonts, Role::SiteName)?;
    let (site_width, site_lines) = site_block.one_line(Role::SiteName, &site, CONTENT * 0.45)?;
    site_block.place(
        site_lines,
        PAD + CONTENT - site_width,
        footer_top,
        &mut items,
    );
    let elapsed = format!("Changed {}", clean_line(&card.elapsed, 80));
    let block = Block::new(fonts, Role::Elapsed)?;
    let (_, lines) = block.one_line(Role::Elapsed, &elapsed, CONTENT * 0.5)?;
    block.place(lines, PAD, footer_top, &mut items);

    Ok(Layout { items, rules })
}
