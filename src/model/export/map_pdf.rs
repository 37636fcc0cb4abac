//! The PDF renderer of an exported map: the [`MapLayout`] written with krilla as vector paths
//! (even-odd fills, outlines) and real text in DejaVu Sans, embedded as a subset so accents print
//! and the file stays small. [`PdfFonts`], [`draw_shape`] and [`draw_text`] are the PDF basics
//! other printed documents (walk sheets) reuse.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::model::error::{ModelError, ModelResult};
use crate::model::export::MapExport;
use crate::model::export::font::{Weight, glyph_run};
use crate::model::export::layout::{MapLayout, Paper, Shape, TextItem, layout_map};

/// A rendered PDF.
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub width_pt: f32,
    pub height_pt: f32,
    pub precincts_drawn: usize,
}

/// DejaVu Sans regular and bold, ready for krilla (subset on write).
#[derive(Clone)]
pub struct PdfFonts {
    regular: Font,
    bold: Font,
}

impl PdfFonts {
    pub fn new() -> ModelResult<PdfFonts> {
        let load = |w: Weight| {
            Font::new(w.font_bytes().into(), 0)
                .ok_or_else(|| ModelError::Invalid("the bundled DejaVu Sans does not load".into()))
        };
        Ok(PdfFonts {
            regular: load(Weight::Regular)?,
            bold: load(Weight::Bold)?,
        })
    }

    fn get(&self, w: Weight) -> Font {
        match w {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        }
    }
}

fn colour(c: [u8; 3]) -> rgb::Color {
    rgb::Color::new(c[0], c[1], c[2])
}

/// Fills (even-odd) and/or strokes a shape.
pub fn draw_shape(surface: &mut Surface<'_>, shape: &Shape) {
    let mut pb = PathBuilder::new();
    for ring in &shape.rings {
        let mut points = ring.iter();
        let Some(first) = points.next() else {
            continue;
        };
        pb.move_to(first[0], first[1]);
        for p in points {
            pb.line_to(p[0], p[1]);
        }
        pb.close();
    }
    let Some(path) = pb.finish() else {
        return;
    };
    surface.set_fill(shape.fill_rgb.map(|c| Fill {
        paint: colour(c).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::EvenOdd,
    }));
    surface.set_stroke(shape.stroke.map(|(c, width)| Stroke {
        paint: colour(c).into(),
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        ..Stroke::default()
    }));
    surface.draw_path(&path);
}

/// Draws one line of text (selectable and searchable in the PDF).
pub fn draw_text(surface: &mut Surface<'_>, fonts: &PdfFonts, t: &TextItem) {
    let glyphs: Vec<KrillaGlyph> = glyph_run(&t.text, t.weight)
        .into_iter()
        .map(|g| KrillaGlyph {
            glyph_id: GlyphId::new(g.glyph_id),
            text_range: g.text_range,
            x_advance: g.advance_em,
            x_offset: 0.0,
            y_offset: 0.0,
            y_advance: 0.0,
            location: None,
        })
        .collect();
    if glyphs.is_empty() {
        return;
    }
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: colour(t.rgb).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }));
    surface.draw_glyphs(
        Point::from_xy(t.x, t.y),
        &glyphs,
        fonts.get(t.weight),
        &t.text,
        t.size,
        false,
    );
}

/// Writes `layout` as a one-page PDF (page units = points).
pub fn layout_pdf(layout: &MapLayout, title: &str) -> ModelResult<Vec<u8>> {
    let fonts = PdfFonts::new()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Porte".to_owned()),
    );
    let settings = PageSettings::from_wh(layout.width, layout.height).ok_or_else(|| {
        ModelError::Invalid(format!(
            "bad PDF page size {} × {}",
            layout.width, layout.height
        ))
    })?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    for shape in &layout.shapes {
        draw_shape(&mut surface, shape);
    }
    for t in &layout.texts {
        draw_text(&mut surface, &fonts, t);
    }
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| ModelError::Invalid(format!("cannot write the PDF: {e:?}")))
}

/// Renders `map` on one landscape page of `paper`.
pub fn render_pdf(map: &MapExport, paper: Paper) -> ModelResult<RenderedPdf> {
    let [w, h] = paper.size_pt();
    let layout = layout_map(map, w, h)?;
    let bytes = layout_pdf(&layout, &map.texts.title)?;
    Ok(RenderedPdf {
        bytes,
        width_pt: w,
        height_pt: h,
        precincts_drawn: layout.precincts_drawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::tests::two_squares;

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn the_pdf_is_a_small_pdf_with_an_embedded_subset_font() {
        let pdf = render_pdf(&two_squares(), Paper::A4).unwrap();
        let b = &pdf.bytes;
        assert!(b.starts_with(b"%PDF-"), "{:?}", &b[..8]);
        assert!(
            contains(b, b"/FontFile2"),
            "a TrueType font program is embedded"
        );
        assert!(contains(b, b"DejaVuSans"), "the font is DejaVu Sans");
        assert!(contains(b, b"/ToUnicode"), "text maps back to Unicode");
        eprintln!("two-square map PDF: {:.1} KB", b.len() as f64 / 1024.0);
        assert!(
            b.len() < 60_000,
            "subset fonts keep it small: {} bytes",
            b.len()
        );
        assert_eq!((pdf.width_pt, pdf.height_pt), (841.89, 595.28));
        let a3 = render_pdf(&two_squares(), Paper::A3).unwrap();
        assert_eq!(a3.width_pt, 1190.55);
    }
}
