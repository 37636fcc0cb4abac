//! The PNG renderer of an exported map: the [`MapLayout`] rasterised with tiny-skia
//! (anti-aliased even-odd fills so holes stay empty, outlines, text from DejaVu Sans outlines).

use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, Transform,
};

use crate::model::error::{ModelError, ModelResult};
use crate::model::export::MapExport;
use crate::model::export::font::draw_text_outline;
use crate::model::export::layout::{MapLayout, a_series_height, layout_map};

/// Narrowest and widest PNG Porte writes, in pixels.
pub const MIN_WIDTH_PX: u32 = 400;
pub const MAX_WIDTH_PX: u32 = 12_000;

/// A rendered PNG.
pub struct RenderedPng {
    pub bytes: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub precincts_drawn: usize,
}

fn paint(rgb: [u8; 3]) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255));
    p.anti_alias = true;
    p
}

fn rings_path(rings: &[Vec<[f32; 2]>]) -> Option<tiny_skia::Path> {
    let mut pb = PathBuilder::new();
    for ring in rings {
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
    pb.finish()
}

/// Collects glyph outlines into a tiny-skia path.
struct SkiaPen(PathBuilder);

impl skrifa::outline::OutlinePen for SkiaPen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// Paints `layout` on a pixmap of its size (one page unit = one pixel).
pub fn paint_layout(layout: &MapLayout) -> ModelResult<Pixmap> {
    let (w, h) = (layout.width.round() as u32, layout.height.round() as u32);
    let mut pixmap = Pixmap::new(w, h)
        .ok_or_else(|| ModelError::Invalid(format!("cannot allocate a {w} × {h} image")))?;
    let [r, g, b] = layout.background_rgb;
    pixmap.fill(Color::from_rgba8(r, g, b, 255));
    for shape in &layout.shapes {
        let Some(path) = rings_path(&shape.rings) else {
            continue;
        };
        if let Some(fill) = shape.fill_rgb {
            pixmap.fill_path(
                &path,
                &paint(fill),
                FillRule::EvenOdd,
                Transform::identity(),
                None,
            );
        }
        if let Some((rgb, width)) = shape.stroke {
            let stroke = Stroke {
                width,
                line_cap: LineCap::Round,
                line_join: LineJoin::Round,
                ..Stroke::default()
            };
            pixmap.stroke_path(&path, &paint(rgb), &stroke, Transform::identity(), None);
        }
    }
    for t in &layout.texts {
        let mut pen = SkiaPen(PathBuilder::new());
        draw_text_outline(&t.text, t.size, t.weight, t.x, t.y, &mut pen);
        if let Some(path) = pen.0.finish() {
            pixmap.fill_path(
                &path,
                &paint(t.rgb),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
    }
    Ok(pixmap)
}

/// Renders `map` as a PNG `width_px` wide (A-series landscape ratio).
pub fn render_png(map: &MapExport, width_px: u32) -> ModelResult<RenderedPng> {
    if !(MIN_WIDTH_PX..=MAX_WIDTH_PX).contains(&width_px) {
        return Err(ModelError::Invalid(format!(
            "a PNG width of {width_px} px: choose between {MIN_WIDTH_PX} and {MAX_WIDTH_PX}"
        )));
    }
    let width = width_px as f32;
    let layout = layout_map(map, width, a_series_height(width))?;
    let pixmap = paint_layout(&layout)?;
    let bytes = pixmap
        .encode_png()
        .map_err(|e| ModelError::Invalid(format!("cannot encode the PNG: {e}")))?;
    Ok(RenderedPng {
        bytes,
        width_px: pixmap.width(),
        height_px: pixmap.height(),
        precincts_drawn: layout.precincts_drawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::tests::two_squares;
    use crate::model::export::{NO_DATA_RGB, layout::layout_map};

    fn pixel(p: &Pixmap, x: f32, y: f32) -> [u8; 3] {
        let c = p.pixel(x.round() as u32, y.round() as u32).unwrap();
        [c.red(), c.green(), c.blue()]
    }

    #[test]
    fn the_png_decodes_to_the_requested_size() {
        let png = render_png(&two_squares(), 1200).unwrap();
        let decoded = Pixmap::decode_png(&png.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (1200, 849));
        assert_eq!((png.width_px, png.height_px), (1200, 849));
        assert!(png.bytes.starts_with(b"\x89PNG"));
        assert!(render_png(&two_squares(), 50).is_err());
    }

    #[test]
    fn precinct_interiors_holes_and_legend_swatches_have_their_colours() {
        let map = two_squares();
        let layout = layout_map(&map, 1200.0, 849.0).unwrap();
        let pixmap = paint_layout(&layout).unwrap();
        // Interior points of the precincts (away from the outlines and the hole).
        let left = layout.fit.project(2.0015, 45.0085);
        let right = layout.fit.project(2.015, 45.005);
        let below = layout.fit.project(2.0025, 44.9975);
        let hole = layout.fit.project(2.005, 45.005);
        assert_eq!(pixel(&pixmap, left[0], left[1]), [255, 237, 160]);
        assert_eq!(pixel(&pixmap, right[0], right[1]), [240, 59, 32]);
        assert_eq!(pixel(&pixmap, below[0], below[1]), NO_DATA_RGB);
        assert_eq!(
            pixel(&pixmap, hole[0], hole[1]),
            [255, 255, 255],
            "holes stay empty"
        );
        // Every legend swatch shows its colour at its centre.
        assert_eq!(layout.legend_rows.len(), 3);
        for row in &layout.legend_rows {
            let [x, y] = row.swatch.center();
            assert_eq!(pixel(&pixmap, x, y), row.fill_rgb, "{}", row.label);
        }
        // Text was drawn: the title's line has dark pixels.
        let title = &layout.texts[0];
        let dark = (title.x as u32..(title.x + 200.0) as u32)
            .flat_map(|x| ((title.y - title.size) as u32..title.y as u32).map(move |y| (x, y)))
            .filter(|&(x, y)| pixmap.pixel(x, y).unwrap().red() < 100)
            .count();
        assert!(dark > 100, "title pixels: {dark}");
    }
}
