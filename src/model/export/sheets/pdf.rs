//! Writes walk-sheet pages with krilla: shapes and text through the map export's
//! [`draw_shape`]/[`draw_text`] (DejaVu Sans subset, accents), plus open polylines, circles,
//! rotated street names and the map's clip. Many sheets share one document (one font subset).

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke, StrokeDash};
use krilla::surface::Surface;

use crate::model::error::{ModelError, ModelResult};
use crate::model::export::map_pdf::{PdfFonts, draw_shape, draw_text};
use crate::model::export::sheets::layout::{Mark, PAGE_H, PAGE_W, SheetPage};

fn colour(c: [u8; 3]) -> rgb::Color {
    rgb::Color::new(c[0], c[1], c[2])
}

fn stroke(c: [u8; 3], width: f32, dash: Option<[f32; 2]>) -> Stroke {
    Stroke {
        paint: colour(c).into(),
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash: dash.map(|[on, off]| StrokeDash {
            array: vec![on, off],
            offset: 0.0,
        }),
        ..Stroke::default()
    }
}

/// Paints one mark.
fn draw_mark(surface: &mut Surface<'_>, fonts: &PdfFonts, mark: &Mark) {
    match mark {
        Mark::Shape(s) => draw_shape(surface, s),
        Mark::Text(t) => draw_text(surface, fonts, t),
        Mark::RotatedText(t, angle) => {
            surface.push_transform(&Transform::from_rotate_at(*angle, t.x, t.y));
            draw_text(surface, fonts, t);
            surface.pop();
        }
        Mark::Line {
            points,
            rgb,
            width,
            dash,
        } => {
            let mut pb = PathBuilder::new();
            let mut it = points.iter();
            let Some(first) = it.next() else {
                return;
            };
            pb.move_to(first[0], first[1]);
            for p in it {
                pb.line_to(p[0], p[1]);
            }
            if let Some(path) = pb.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*rgb, *width, *dash)));
                surface.draw_path(&path);
            }
        }
        Mark::Circle {
            center,
            radius,
            fill_rgb,
            stroke: outline,
        } => {
            // Four cubic arcs (k = 0.5523 of the radius).
            let [cx, cy] = *center;
            let (r, k) = (*radius, radius * 0.552_284_8);
            let mut pb = PathBuilder::new();
            pb.move_to(cx + r, cy);
            pb.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
            pb.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
            pb.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
            pb.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
            pb.close();
            if let Some(path) = pb.finish() {
                surface.set_fill(fill_rgb.map(|c| Fill {
                    paint: colour(c).into(),
                    opacity: NormalizedF32::ONE,
                    rule: FillRule::NonZero,
                }));
                surface.set_stroke(outline.map(|(c, w)| stroke(c, w, None)));
                surface.draw_path(&path);
            }
        }
        Mark::Clip(r) => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = krilla::geom::Rect::from_xywh(r.x, r.y, r.w, r.h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.push_clip_path(&path, &FillRule::NonZero);
            } else {
                // Keep push/pop balanced.
                surface.push_opacity(NormalizedF32::ONE);
            }
        }
        Mark::EndClip => surface.pop(),
    }
}

/// Writes `pages` (A4 portrait) as one PDF.
pub fn write_pages(pages: &[SheetPage], title: &str) -> ModelResult<Vec<u8>> {
    let fonts = PdfFonts::new()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Porte".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| ModelError::Invalid("bad A4 page size".into()))?;
    for p in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for m in &p.marks {
            draw_mark(&mut surface, &fonts, m);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| ModelError::Invalid(format!("cannot write the PDF: {e:?}")))
}
