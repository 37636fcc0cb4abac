//! The page of an exported map as data: page size, the map frame and the fit of the precincts'
//! bounding box in Web Mercator, the title and subtitle, the legend (swatch, class bounds, count,
//! a "no data" row), a scale bar in metres and the source footer. Everything is in page units
//! (pixels for the PNG, points for the PDF) with y pointing down, so both renderers only paint
//! [`MapLayout::shapes`] then [`MapLayout::texts`].

use geo_types::MultiPolygon;

use crate::model::error::{ModelError, ModelResult};
use crate::model::export::MapExport;
use crate::model::export::font::{Weight, text_width, wrap};
use crate::model::scoring::Legend;

/// Earth radius of Web Mercator (EPSG:3857), metres.
const MERCATOR_RADIUS_M: f64 = 6_378_137.0;

/// A paper size for the PDF, landscape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim().to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "a3" => Some(Paper::A3),
            _ => None,
        }
    }

    /// Landscape width and height in PDF points (1/72 inch).
    pub fn size_pt(self) -> [f32; 2] {
        match self {
            Paper::A4 => [841.89, 595.28],
            Paper::A3 => [1190.55, 841.89],
        }
    }
}

/// Height of a landscape page `width` wide with the A-series ratio (√2).
pub fn a_series_height(width: f32) -> f32 {
    (width / std::f32::consts::SQRT_2).round()
}

/// Closed rings of points in page units.
pub type Rings = Vec<Vec<[f32; 2]>>;

/// An axis-aligned rectangle in page units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    /// The rectangle as a closed ring.
    pub fn ring(&self) -> Vec<[f32; 2]> {
        let (x0, y0, x1, y1) = (self.x, self.y, self.x + self.w, self.y + self.h);
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
    }

    pub fn center(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }
}

/// A filled and/or outlined path: rings filled with the even-odd rule (holes stay empty).
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub rings: Rings,
    pub fill_rgb: Option<[u8; 3]>,
    /// Outline colour and width in page units.
    pub stroke: Option<([u8; 3], f32)>,
}

/// One line of text; `x` is its left end, `y` its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct TextItem {
    pub text: String,
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub weight: Weight,
    pub rgb: [u8; 3],
}

/// How the precincts' bounding box sits in the map frame: page = offset + scale × Web Mercator
/// metres (y flipped).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MercatorFit {
    /// Page units per Web Mercator metre.
    pub scale: f64,
    /// Web Mercator metres of the page point (`origin_page`).
    pub origin_merc: [f64; 2],
    pub origin_page: [f64; 2],
    /// Ground metres per Web Mercator metre at the map's centre (cos of its latitude).
    pub ground_per_merc: f64,
}

impl MercatorFit {
    /// The page point of a WGS84 lon/lat (degrees).
    pub fn project(&self, lon: f64, lat: f64) -> [f32; 2] {
        let [mx, my] = mercator(lon, lat);
        [
            (self.origin_page[0] + (mx - self.origin_merc[0]) * self.scale) as f32,
            (self.origin_page[1] - (my - self.origin_merc[1]) * self.scale) as f32,
        ]
    }

    /// Ground metres per page unit at the map's centre.
    pub fn metres_per_unit(&self) -> f64 {
        self.ground_per_merc / self.scale
    }
}

/// Web Mercator metres of a lon/lat in degrees (latitude clamped to ±85.05°).
pub fn mercator(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    [
        MERCATOR_RADIUS_M * lon.to_radians(),
        MERCATOR_RADIUS_M * (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln(),
    ]
}

/// One row of the legend as laid out.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendRow {
    pub swatch: Rect,
    pub fill_rgb: [u8; 3],
    /// "45.2 – 52.1", or the "no data" text.
    pub label: String,
    pub count: usize,
    pub no_data: bool,
}

/// The scale bar: `length_m` metres drawn `bar.w` units long.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScaleBar {
    pub bar: Rect,
    pub length_m: f64,
}

/// The whole page, ready to paint.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLayout {
    pub width: f32,
    pub height: f32,
    pub background_rgb: [u8; 3],
    pub map_frame: Rect,
    pub fit: MercatorFit,
    pub legend_rows: Vec<LegendRow>,
    pub scale_bar: ScaleBar,
    /// In paint order: the precincts, then the frame, the legend swatches and the scale bar.
    pub shapes: Vec<Shape>,
    pub texts: Vec<TextItem>,
    /// How many precincts were drawn (those with a geometry).
    pub precincts_drawn: usize,
}

const INK: [u8; 3] = [33, 33, 33];
const GREY: [u8; 3] = [110, 110, 110];
const FRAME: [u8; 3] = [160, 160, 160];
const WHITE: [u8; 3] = [255, 255, 255];

/// A round length (1, 2 or 5 × 10ⁿ metres) no longer than `max_m`.
pub fn nice_length_m(max_m: f64) -> f64 {
    if max_m.is_nan() || max_m <= 0.0 {
        return 0.0;
    }
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|&l| l <= max_m)
        .unwrap_or(p)
}

/// "500 m", "2 km", "1.5 km".
pub fn format_length(m: f64) -> String {
    if m >= 1000.0 {
        let km = m / 1000.0;
        if km.fract() == 0.0 {
            format!("{km:.0} km")
        } else {
            format!("{km} km")
        }
    } else {
        format!("{m:.0} m")
    }
}

/// Decimals showing a legend's bounds: none for whole numbers or wide ranges, else 1 or 2.
pub fn legend_decimals(legend: &Legend) -> usize {
    let bounds = || legend.classes.iter().flat_map(|c| [c.lower, c.upper]);
    if bounds().all(|v| v.fract() == 0.0) {
        return 0;
    }
    let (lo, hi) = bounds().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    match hi - lo {
        s if s >= 100.0 => 0,
        s if s >= 10.0 => 1,
        _ => 2,
    }
}

/// `v` with `decimals` digits, a comma as decimal separator when asked.
pub fn format_number(v: f64, decimals: usize, decimal_comma: bool) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s == "-0" || s.starts_with("-0.") && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_owned()
    } else {
        s
    };
    if decimal_comma {
        s.replace('.', ",")
    } else {
        s
    }
}

fn rings_of(geom: &MultiPolygon<f64>, fit: &MercatorFit) -> Rings {
    let ring = |ls: &geo_types::LineString<f64>| -> Vec<[f32; 2]> {
        ls.0.iter().map(|c| fit.project(c.x, c.y)).collect()
    };
    geom.0
        .iter()
        .flat_map(|p| std::iter::once(ring(p.exterior())).chain(p.interiors().iter().map(ring)))
        .filter(|r| r.len() >= 3)
        .collect()
}

/// Lays `map` out on a landscape page `width` × `height` units.
pub fn layout_map(map: &MapExport, width: f32, height: f32) -> ModelResult<MapLayout> {
    if !(width >= 100.0 && height >= 70.0) {
        return Err(ModelError::Invalid(format!(
            "a map page of {width} × {height} is too small (at least 100 × 70)"
        )));
    }
    let bbox = crate::model::precinct::bbox_of(map.polygons.iter().map(|p| &p.geom_wgs84))
        .ok_or_else(|| ModelError::Invalid("no precinct has a geometry to draw".into()))?;
    let u = width / 1000.0;
    let margin = 24.0 * u;
    let mut texts = Vec::new();
    let mut shapes = Vec::new();
    let text = |text: &str, x: f32, y: f32, size: f32, weight: Weight, rgb: [u8; 3]| TextItem {
        text: text.to_owned(),
        x,
        y,
        size,
        weight,
        rgb,
    };

    // Header: title and subtitle.
    let title_size = 20.0 * u;
    let subtitle_size = 12.0 * u;
    let mut y = margin + title_size;
    for line in wrap(
        &map.texts.title,
        title_size,
        Weight::Bold,
        width - 2.0 * margin,
    ) {
        texts.push(text(&line, margin, y, title_size, Weight::Bold, INK));
        y += title_size * 1.2;
    }
    y += subtitle_size * 0.2 - title_size * 0.2;
    if !map.texts.subtitle.is_empty() {
        texts.push(text(
            &map.texts.subtitle,
            margin,
            y,
            subtitle_size,
            Weight::Regular,
            GREY,
        ));
        y += subtitle_size;
    }
    let header_bottom = y + 14.0 * u;

    // Footer: the source line(s).
    let footer_size = 8.0 * u;
    let footer_lines = wrap(
        &map.texts.source,
        footer_size,
        Weight::Regular,
        width - 2.0 * margin,
    );
    let footer_top = height - margin - footer_lines.len() as f32 * footer_size * 1.3;
    for (i, line) in footer_lines.iter().enumerate() {
        let y = footer_top + footer_size * (1.0 + 1.3 * i as f32);
        texts.push(text(line, margin, y, footer_size, Weight::Regular, GREY));
    }

    // Legend column on the right, map frame on the left.
    let legend_w = 240.0 * u;
    let legend_x = width - margin - legend_w;
    let map_frame = Rect {
        x: margin,
        y: header_bottom,
        w: legend_x - 16.0 * u - margin,
        h: footer_top - 8.0 * u - header_bottom,
    };
    if map_frame.w <= 0.0 || map_frame.h <= 0.0 {
        return Err(ModelError::Invalid(format!(
            "a map page of {width} × {height} leaves no room for the map"
        )));
    }

    // Fit the bounding box in the frame (with padding), centred.
    let [min_x, min_y] = mercator(bbox[0], bbox[1]);
    let [max_x, max_y] = mercator(bbox[2], bbox[3]);
    let pad = 8.0 * u as f64;
    let (fw, fh) = (
        map_frame.w as f64 - 2.0 * pad,
        map_frame.h as f64 - 2.0 * pad,
    );
    let (dx, dy) = ((max_x - min_x).max(1e-6), (max_y - min_y).max(1e-6));
    let scale = (fw / dx).min(fh / dy);
    let center_lat = (bbox[1] + bbox[3]) / 2.0;
    let fit = MercatorFit {
        scale,
        origin_merc: [min_x, max_y],
        origin_page: [
            map_frame.x as f64 + pad + (fw - dx * scale) / 2.0,
            map_frame.y as f64 + pad + (fh - dy * scale) / 2.0,
        ],
        ground_per_merc: center_lat.to_radians().cos(),
    };

    // Precincts: fills first, then outlines on top so shared edges look even.
    let mut precincts_drawn = 0;
    let precinct_rings: Vec<(Rings, [u8; 3])> = map
        .polygons
        .iter()
        .map(|p| {
            (
                rings_of(&p.geom_wgs84, &fit),
                p.fill_rgb.unwrap_or(map.no_data_rgb),
            )
        })
        .filter(|(r, _)| !r.is_empty())
        .collect();
    for (rings, fill) in &precinct_rings {
        precincts_drawn += 1;
        shapes.push(Shape {
            rings: rings.clone(),
            fill_rgb: Some(*fill),
            stroke: None,
        });
    }
    let outline_w = 0.7 * u;
    for (rings, _) in precinct_rings {
        shapes.push(Shape {
            rings,
            fill_rgb: None,
            stroke: Some((map.outline_rgb, outline_w)),
        });
    }
    shapes.push(Shape {
        rings: vec![map_frame.ring()],
        fill_rgb: None,
        stroke: Some((FRAME, 0.8 * u)),
    });

    // Legend: heading, count column header, rows, then the scale bar.
    let heading_size = 12.0 * u;
    let row_size = 11.0 * u;
    let small = 9.0 * u;
    let mut y = header_bottom + heading_size;
    for line in wrap(
        &map.texts.legend_title,
        heading_size,
        Weight::Bold,
        legend_w,
    ) {
        texts.push(text(&line, legend_x, y, heading_size, Weight::Bold, INK));
        y += heading_size * 1.25;
    }
    let mut legend_rows = Vec::new();
    if let Some(legend) = &map.legend {
        let header_w = text_width(&map.texts.count_header, small, Weight::Regular);
        texts.push(text(
            &map.texts.count_header,
            legend_x + legend_w - header_w,
            y,
            small,
            Weight::Regular,
            GREY,
        ));
        y += 6.0 * u;
        let decimals = legend_decimals(legend);
        let n = |v: f64| format_number(v, decimals, map.texts.decimal_comma);
        let mut rows: Vec<(String, [u8; 3], usize, bool)> = legend
            .classes
            .iter()
            .map(|c| {
                (
                    format!("{} – {}", n(c.lower), n(c.upper)),
                    c.color_rgb,
                    c.count,
                    false,
                )
            })
            .collect();
        if legend.no_data > 0 {
            rows.push((
                map.texts.no_data.clone(),
                map.no_data_rgb,
                legend.no_data,
                true,
            ));
        }
        let row_h = 20.0 * u;
        for (label, fill_rgb, count, no_data) in rows {
            let swatch = Rect {
                x: legend_x,
                y: y + 3.0 * u,
                w: 26.0 * u,
                h: 14.0 * u,
            };
            shapes.push(Shape {
                rings: vec![swatch.ring()],
                fill_rgb: Some(fill_rgb),
                stroke: Some((map.outline_rgb, 0.6 * u)),
            });
            let baseline = swatch.y + swatch.h - 2.5 * u;
            texts.push(text(
                &label,
                legend_x + 34.0 * u,
                baseline,
                row_size,
                Weight::Regular,
                INK,
            ));
            let count_text = count.to_string();
            let cw = text_width(&count_text, row_size, Weight::Regular);
            texts.push(text(
                &count_text,
                legend_x + legend_w - cw,
                baseline,
                row_size,
                Weight::Regular,
                INK,
            ));
            legend_rows.push(LegendRow {
                swatch,
                fill_rgb,
                label,
                count,
                no_data,
            });
            y += row_h;
        }
        for note in &legend.notes {
            for line in wrap(note, small, Weight::Regular, legend_w) {
                y += small * 1.3;
                texts.push(text(&line, legend_x, y, small, Weight::Regular, GREY));
            }
        }
    }

    // Scale bar: a round length of at most 80 % of the legend column, in two halves.
    let max_units = legend_w * 0.8;
    let length_m = nice_length_m(max_units as f64 * fit.metres_per_unit());
    let bar_w = (length_m / fit.metres_per_unit()) as f32;
    let bar = Rect {
        x: legend_x,
        y: (y + 24.0 * u).max(map_frame.y + map_frame.h - 30.0 * u),
        w: bar_w,
        h: 5.0 * u,
    };
    let half = Rect {
        w: bar_w / 2.0,
        ..bar
    };
    shapes.push(Shape {
        rings: vec![bar.ring()],
        fill_rgb: Some(WHITE),
        stroke: Some((INK, 0.8 * u)),
    });
    shapes.push(Shape {
        rings: vec![half.ring()],
        fill_rgb: Some(INK),
        stroke: Some((INK, 0.8 * u)),
    });
    let label_y = bar.y + bar.h + small + 3.0 * u;
    texts.push(text("0", bar.x, label_y, small, Weight::Regular, INK));
    let len_text = format_length(length_m);
    let lw = text_width(&len_text, small, Weight::Regular);
    texts.push(text(
        &len_text,
        bar.x + bar.w - lw / 2.0,
        label_y,
        small,
        Weight::Regular,
        INK,
    ));

    Ok(MapLayout {
        width,
        height,
        background_rgb: WHITE,
        map_frame,
        fit,
        legend_rows,
        scale_bar: ScaleBar { bar, length_m },
        shapes,
        texts,
        precincts_drawn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::tests::two_squares;

    #[test]
    fn round_lengths_and_numbers() {
        assert_eq!(nice_length_m(730.0), 500.0);
        assert_eq!(nice_length_m(2400.0), 2000.0);
        assert_eq!(nice_length_m(99.0), 50.0);
        assert_eq!(format_length(500.0), "500 m");
        assert_eq!(format_length(2000.0), "2 km");
        assert_eq!(format_number(52.25, 1, true), "52,2");
        assert_eq!(format_number(-0.01, 1, false), "0.0");
    }

    #[test]
    fn the_map_fits_in_its_frame_and_the_scale_bar_measures_ground_metres() {
        let map = two_squares();
        let l = layout_map(&map, 1000.0, 707.0).unwrap();
        assert_eq!(l.precincts_drawn, 3);
        let f = l.map_frame;
        for s in l.shapes.iter().take(3) {
            for p in s.rings.iter().flatten() {
                assert!(p[0] >= f.x && p[0] <= f.x + f.w && p[1] >= f.y && p[1] <= f.y + f.h);
            }
        }
        // The bar's ground length over its page length equals the map's metres per unit.
        let m_per_unit = l.scale_bar.length_m / l.scale_bar.bar.w as f64;
        assert!((m_per_unit - l.fit.metres_per_unit()).abs() < 1e-6 * m_per_unit);
        // Two 0.01° squares side by side at 45°N: ~1575 m wide, the bar is a round length.
        assert!([100.0, 200.0, 500.0, 1000.0].contains(&l.scale_bar.length_m));
        // Legend: two classes and a no-data row.
        assert_eq!(l.legend_rows.len(), 3);
        assert!(l.legend_rows[2].no_data);
    }
}
