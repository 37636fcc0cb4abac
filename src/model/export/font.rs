//! The one typeface of exported maps, DejaVu Sans regular and bold (embedded from the `dejavu`
//! crate, so accents always render): glyph runs with advances for the layout and the PDF, and
//! glyph outlines (read with skrifa) for the PNG. No shaping beyond the character map: Latin
//! text with precomposed accents (é, è, ç, à...) needs none.

use std::ops::Range;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// Regular or bold DejaVu Sans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    /// The TrueType file of this weight.
    pub fn font_bytes(self) -> &'static [u8] {
        match self {
            Weight::Regular => dejavu::sans::regular(),
            Weight::Bold => dejavu::sans::bold(),
        }
    }

    fn font(self) -> FontRef<'static> {
        FontRef::new(self.font_bytes()).expect("the bundled DejaVu Sans parses")
    }
}

/// One glyph of a line of text, positioned in em units from the line's start.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedGlyph {
    pub glyph_id: u32,
    /// Byte range of the character it draws in the text.
    pub text_range: Range<usize>,
    /// Horizontal position of the glyph's origin, in em.
    pub x_em: f32,
    /// Advance width, in em.
    pub advance_em: f32,
}

/// The glyphs of `text` on one line (characters missing from the font draw as `.notdef`).
pub fn glyph_run(text: &str, weight: Weight) -> Vec<PlacedGlyph> {
    let font = weight.font();
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
    let upem = f32::from(
        font.metrics(Size::unscaled(), LocationRef::default())
            .units_per_em
            .max(1),
    );
    let mut x_em = 0.0;
    text.char_indices()
        .filter(|(_, c)| !c.is_control())
        .map(|(i, c)| {
            let gid = charmap.map(c).unwrap_or(GlyphId::NOTDEF);
            let advance_em = metrics.advance_width(gid).unwrap_or(0.0) / upem;
            let g = PlacedGlyph {
                glyph_id: gid.to_u32(),
                text_range: i..i + c.len_utf8(),
                x_em,
                advance_em,
            };
            x_em += advance_em;
            g
        })
        .collect()
}

/// Width of `text` at `size` (in the page's units).
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    glyph_run(text, weight)
        .last()
        .map_or(0.0, |g| (g.x_em + g.advance_em) * size)
}

/// Splits `text` into lines no wider than `max_width` at `size` (a single long word stays whole).
pub fn wrap(text: &str, size: f32, weight: Weight, max_width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size, weight) > max_width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws the outlines of `text` at `size` with its baseline starting at (`x`, `y`), y pointing
/// down, into `pen` (contours to fill with the non-zero rule).
pub fn draw_text_outline(
    text: &str,
    size: f32,
    weight: Weight,
    x: f32,
    y: f32,
    pen: &mut impl OutlinePen,
) {
    let font = weight.font();
    let outlines = font.outline_glyphs();
    for g in glyph_run(text, weight) {
        let Some(glyph) = outlines.get(GlyphId::new(g.glyph_id)) else {
            continue;
        };
        let mut placed = Placed {
            pen: &mut *pen,
            dx: x + g.x_em * size,
            dy: y,
        };
        // A glyph that fails to draw is left blank rather than failing the whole map.
        let _ = glyph.draw(
            DrawSettings::unhinted(Size::new(size), LocationRef::default()),
            &mut placed,
        );
    }
}

/// Moves a glyph's outline (y up, origin on the baseline) to its place on the page (y down).
struct Placed<'a, P: OutlinePen> {
    pen: &'a mut P,
    dx: f32,
    dy: f32,
}

impl<P: OutlinePen> OutlinePen for Placed<'_, P> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pen.move_to(self.dx + x, self.dy - y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.pen.line_to(self.dx + x, self.dy - y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.pen
            .quad_to(self.dx + cx0, self.dy - cy0, self.dx + x, self.dy - y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.pen.curve_to(
            self.dx + cx0,
            self.dy - cy0,
            self.dx + cx1,
            self.dy - cy1,
            self.dx + x,
            self.dy - y,
        );
    }
    fn close(&mut self) {
        self.pen.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_letters_are_in_the_font_and_have_width() {
        let run = glyph_run("Éé èçà", Weight::Regular);
        assert_eq!(run.len(), 6);
        assert!(run.iter().all(|g| g.glyph_id != 0), "{run:?}");
        assert!(
            text_width("Élection", 10.0, Weight::Bold)
                > text_width("Élection", 10.0, Weight::Regular)
        );
        assert_eq!(run[1].text_range, 2..4, "byte ranges follow UTF-8");
    }

    #[test]
    fn wrap_keeps_lines_under_the_width() {
        let lines = wrap(
            "Part des voix de la liste de gauche au premier tour",
            10.0,
            Weight::Regular,
            120.0,
        );
        assert!(lines.len() > 1);
        assert!(
            lines
                .iter()
                .all(|l| text_width(l, 10.0, Weight::Regular) <= 120.0)
        );
        assert_eq!(
            lines.join(" "),
            "Part des voix de la liste de gauche au premier tour"
        );
    }
}
