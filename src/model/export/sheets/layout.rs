//! The pages of one walk sheet as data (A4 portrait, points, y down): the header, the turf map
//! beside the response-code legend and the talking points, the ordered door table continued on
//! following pages under a compact header, and on every page the data-protection footer and
//! "page i/n". [`super::pdf`] only paints the [`Mark`]s.

use crate::model::export::font::{Weight, text_width, wrap};
use crate::model::export::layout::{Rect, Shape, TextItem};
use crate::model::export::sheets::WalkSheet;
use crate::model::export::sheets::map::layout_turf_map;
use crate::model::export::sheets::texts::{Labels, SheetLang, format_km, format_minutes, labels};
use crate::model::routing::RouteMethod;

/// A4 portrait, points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 28.0;
/// Height of one door row.
pub const ROW_H: f32 = 16.0;
const TABLE_HEADER_H: f32 = 18.0;
/// The map on the first page.
const MAP_W: f32 = 330.0;
const MAP_H: f32 = 285.0;

pub const INK: [u8; 3] = [30, 30, 30];
pub const GREY: [u8; 3] = [105, 105, 105];
const LIGHT: [u8; 3] = [244, 244, 244];
const RULE: [u8; 3] = [170, 170, 170];
const WARN: [u8; 3] = [170, 40, 20];

/// One thing to paint.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// Closed rings (filled even-odd and/or outlined).
    Shape(Shape),
    /// An open polyline.
    Line {
        points: Vec<[f32; 2]>,
        rgb: [u8; 3],
        width: f32,
        /// Dash and gap lengths.
        dash: Option<[f32; 2]>,
    },
    Circle {
        center: [f32; 2],
        radius: f32,
        fill_rgb: Option<[u8; 3]>,
        stroke: Option<([u8; 3], f32)>,
    },
    Text(TextItem),
    /// Text turned `angle_deg` clockwise about its (x, y).
    RotatedText(TextItem, f32),
    /// Clip what follows to a rectangle, until [`Mark::EndClip`].
    Clip(Rect),
    EndClip,
}

/// One page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SheetPage {
    pub marks: Vec<Mark>,
    /// Stop numbers (1-based) in this page's door table.
    pub rows: Vec<usize>,
}

pub(crate) fn text(s: &str, x: f32, y: f32, size: f32, weight: Weight, rgb: [u8; 3]) -> Mark {
    Mark::Text(TextItem {
        text: s.to_owned(),
        x,
        y,
        size,
        weight,
        rgb,
    })
}

fn rect_mark(r: Rect, fill: Option<[u8; 3]>, stroke: Option<([u8; 3], f32)>) -> Mark {
    Mark::Shape(Shape {
        rings: vec![r.ring()],
        fill_rgb: fill,
        stroke,
    })
}

/// `s` shortened with "…" to fit `max_w`.
pub(crate) fn fit_text(s: &str, size: f32, weight: Weight, max_w: f32) -> String {
    if text_width(s, size, weight) <= max_w {
        return s.to_owned();
    }
    let mut chars: Vec<char> = s.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let t: String = chars.iter().collect::<String>().trim_end().to_owned() + "…";
        if text_width(&t, size, weight) <= max_w {
            return t;
        }
    }
    String::new()
}

/// Column widths of the door table (they sum to the text width).
fn column_widths() -> [f32; 11] {
    let box_w = 34.0;
    let fixed = 20.0 + 130.0 + 38.0 + 26.0 + 4.0 * box_w + 42.0 + 38.0;
    let notes = PAGE_W - 2.0 * MARGIN - fixed;
    [
        20.0, 130.0, 38.0, 26.0, box_w, box_w, box_w, box_w, 42.0, 38.0, notes,
    ]
}

/// The footer (notice and page number) height for `notice_lines` lines.
fn footer_top(notice_lines: usize) -> f32 {
    PAGE_H - MARGIN + 4.0 - notice_lines as f32 * 8.0 - 10.0
}

/// Where the door table starts on the first page and on the following ones.
fn table_tops() -> (f32, f32) {
    let first = MARGIN + header_height() + MAP_H + 14.0;
    let next = MARGIN + 30.0;
    (first, next)
}

fn header_height() -> f32 {
    68.0
}

/// Door rows that fit on the first page and on each following page.
pub fn rows_per_page(notice_lines: usize) -> (usize, usize) {
    let bottom = footer_top(notice_lines) - 6.0;
    let (first, next) = table_tops();
    let fit = |top: f32| (((bottom - top - TABLE_HEADER_H) / ROW_H).floor().max(1.0)) as usize;
    (fit(first), fit(next))
}

/// How many pages the door table needs for `doors` rows.
pub fn table_pages(doors: usize, notice_lines: usize) -> usize {
    let (first, next) = rows_per_page(notice_lines);
    if doors <= first {
        1
    } else {
        1 + (doors - first).div_ceil(next)
    }
}

/// The notice wrapped for the footer.
fn notice_lines(notice: &str) -> Vec<String> {
    wrap(notice, 6.3, Weight::Regular, PAGE_W - 2.0 * MARGIN)
}

/// Lays out one walk sheet.
pub fn layout_sheet(sheet: &WalkSheet, lang: SheetLang) -> Vec<SheetPage> {
    let l = labels(lang);
    let notice = notice_lines(&sheet.privacy_notice);
    let (rows_first, rows_next) = rows_per_page(notice.len());
    let (top_first, top_next) = table_tops();
    let footer = footer_top(notice.len());
    let stops = &sheet.route.stops;

    let mut pages: Vec<SheetPage> = Vec::new();
    let mut page = SheetPage::default();
    header(&mut page.marks, sheet, lang, &l);
    let map_frame = Rect {
        x: MARGIN,
        y: MARGIN + header_height(),
        w: MAP_W,
        h: MAP_H,
    };
    page.marks.extend(layout_turf_map(sheet, map_frame, &l));
    let column = Rect {
        x: MARGIN + MAP_W + 12.0,
        y: map_frame.y,
        w: PAGE_W - 2.0 * MARGIN - MAP_W - 12.0,
        h: MAP_H,
    };
    let overflow = side_column(&mut page.marks, sheet, &l, column);

    // The door table.
    let mut next = 0;
    let mut top = top_first;
    let mut capacity = rows_first;
    loop {
        let end = (next + capacity).min(stops.len());
        let y_end = door_table(&mut page, sheet, &l, next..end, top);
        if stops.is_empty() {
            page.marks.push(text(
                l.no_doors,
                MARGIN,
                y_end + 14.0,
                9.0,
                Weight::Regular,
                GREY,
            ));
        }
        next = end;
        if next >= stops.len() {
            // Talking points that did not fit beside the map, after the table.
            let mut y = y_end + 20.0;
            if !overflow.is_empty() {
                let lines: Vec<String> = overflow
                    .iter()
                    .flat_map(|p| wrap(p, 8.5, Weight::Regular, PAGE_W - 2.0 * MARGIN))
                    .collect();
                let need = 14.0 + lines.len() as f32 * 11.0;
                if y + need > footer - 6.0 {
                    pages.push(std::mem::take(&mut page));
                    compact_header(&mut page.marks, sheet, &l);
                    y = top_next + 6.0;
                }
                page.marks
                    .push(text(l.talking_cont, MARGIN, y, 9.5, Weight::Bold, INK));
                y += 14.0;
                for line in &lines {
                    page.marks
                        .push(text(line, MARGIN, y, 8.5, Weight::Regular, INK));
                    y += 11.0;
                }
            }
            pages.push(page);
            break;
        }
        pages.push(std::mem::take(&mut page));
        compact_header(&mut page.marks, sheet, &l);
        top = top_next;
        capacity = rows_next;
    }

    // Footer on every page, now that the count is known.
    let n = pages.len();
    for (i, p) in pages.iter_mut().enumerate() {
        p.marks.push(Mark::Line {
            points: vec![[MARGIN, footer], [PAGE_W - MARGIN, footer]],
            rgb: RULE,
            width: 0.5,
            dash: None,
        });
        for (k, line) in notice.iter().enumerate() {
            p.marks.push(text(
                line,
                MARGIN,
                footer + 9.0 + k as f32 * 8.0,
                6.3,
                Weight::Regular,
                GREY,
            ));
        }
        let page_no = format!("{} · {} {}/{}", sheet.header.turf, l.page, i + 1, n);
        let w = text_width(&page_no, 7.5, Weight::Regular);
        p.marks.push(text(
            &page_no,
            PAGE_W - MARGIN - w,
            PAGE_H - MARGIN + 4.0,
            7.5,
            Weight::Regular,
            INK,
        ));
        let made = "Porte";
        p.marks.push(text(
            made,
            MARGIN,
            PAGE_H - MARGIN + 4.0,
            7.5,
            Weight::Regular,
            GREY,
        ));
    }
    pages
}

/// The first page's header.
fn header(marks: &mut Vec<Mark>, sheet: &WalkSheet, lang: SheetLang, l: &Labels) {
    let h = &sheet.header;
    let full_w = PAGE_W - 2.0 * MARGIN;
    let campaign = fit_text(&h.campaign, 8.0, Weight::Regular, 200.0);
    let cw = text_width(&campaign, 8.0, Weight::Regular);
    marks.push(text(
        &campaign,
        PAGE_W - MARGIN - cw,
        MARGIN + 8.0,
        8.0,
        Weight::Regular,
        GREY,
    ));
    let title = if h.operation.is_empty() {
        h.turf.clone()
    } else {
        format!("{} — {}", h.turf, h.operation)
    };
    let title = fit_text(&title, 16.0, Weight::Bold, full_w - cw - 10.0);
    marks.push(text(&title, MARGIN, MARGIN + 14.0, 16.0, Weight::Bold, INK));
    let when = [h.date.as_str(), h.window.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let mut y = MARGIN + 30.0;
    if !when.is_empty() {
        marks.push(text(&when, MARGIN, y, 10.5, Weight::Bold, INK));
    }
    let route = &sheet.route;
    let summary = format!(
        "{} {} · {} · ~{} {}",
        route.stops.len(),
        l.doors,
        format_km(route.length_m, lang),
        format_minutes(route.minutes),
        l.walk
    );
    let sw = text_width(&summary, 9.5, Weight::Regular);
    marks.push(text(
        &summary,
        PAGE_W - MARGIN - sw,
        y,
        9.5,
        Weight::Regular,
        INK,
    ));
    y += 14.0;
    let team = if h.team.is_empty() {
        l.no_team
    } else {
        h.team.as_str()
    };
    let mut x = MARGIN;
    for (label, value) in [
        (l.team, team),
        (l.meeting, h.meeting_point.as_str()),
        (l.contact, h.contact_phone.as_str()),
    ] {
        if value.is_empty() {
            continue;
        }
        let lab = format!("{label} : ");
        let lab = if lang.french() {
            lab
        } else {
            lab.replace(" : ", ": ")
        };
        let lw = text_width(&lab, 9.0, Weight::Bold);
        let v = fit_text(value, 9.0, Weight::Regular, 210.0);
        let vw = text_width(&v, 9.0, Weight::Regular);
        if x + lw + vw > PAGE_W - MARGIN {
            x = MARGIN;
            y += 12.0;
        }
        marks.push(text(&lab, x, y, 9.0, Weight::Bold, INK));
        marks.push(text(&v, x + lw, y, 9.0, Weight::Regular, INK));
        x += lw + vw + 16.0;
    }
    y += 13.0;
    let mut notes: Vec<String> = Vec::new();
    if route.method == RouteMethod::StreetOrder {
        notes.push(l.street_order.to_owned());
    }
    if !notes.is_empty() {
        let line = fit_text(&notes.join(" · "), 8.5, Weight::Bold, full_w);
        marks.push(text(&line, MARGIN, y, 8.5, Weight::Bold, WARN));
    }
}

/// The compact header of the following pages.
fn compact_header(marks: &mut Vec<Mark>, sheet: &WalkSheet, l: &Labels) {
    let h = &sheet.header;
    let team = if h.team.is_empty() {
        l.no_team
    } else {
        &h.team
    };
    let parts: Vec<&str> = [h.turf.as_str(), h.operation.as_str(), h.date.as_str(), team]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let line = fit_text(
        &parts.join(" · "),
        10.0,
        Weight::Bold,
        PAGE_W - 2.0 * MARGIN,
    );
    marks.push(text(&line, MARGIN, MARGIN + 10.0, 10.0, Weight::Bold, INK));
    marks.push(Mark::Line {
        points: vec![[MARGIN, MARGIN + 16.0], [PAGE_W - MARGIN, MARGIN + 16.0]],
        rgb: RULE,
        width: 0.5,
        dash: None,
    });
}

/// The legend and the talking points beside the map; returns the talking-point lines that did
/// not fit (printed after the table).
fn side_column(marks: &mut Vec<Mark>, sheet: &WalkSheet, l: &Labels, r: Rect) -> Vec<String> {
    let mut y = r.y + 10.0;
    marks.push(text(l.legend_title, r.x, y, 9.5, Weight::Bold, INK));
    y += 12.0;
    for entry in l.legend {
        for line in wrap(entry, 7.5, Weight::Regular, r.w) {
            marks.push(text(&line, r.x, y, 7.5, Weight::Regular, INK));
            y += 9.5;
        }
    }
    y += 8.0;
    marks.push(text(l.talking_title, r.x, y, 9.5, Weight::Bold, INK));
    y += 12.0;
    let bottom = r.y + r.h;
    for (i, point) in sheet.talking_points.iter().enumerate() {
        let lines = wrap(point, 7.5, Weight::Regular, r.w - 8.0);
        if y + (lines.len() as f32 - 1.0) * 9.5 > bottom {
            // This point and the next ones go after the table.
            return sheet.talking_points[i..]
                .iter()
                .map(|p| format!("• {p}"))
                .collect();
        }
        for (k, line) in lines.iter().enumerate() {
            let line = if k == 0 {
                format!("• {line}")
            } else {
                format!("  {line}")
            };
            marks.push(text(&line, r.x, y, 7.5, Weight::Regular, INK));
            y += 9.5;
        }
    }
    Vec::new()
}

/// The door table's header row and `range` of stops from `top`; returns the y of its bottom.
fn door_table(
    page: &mut SheetPage,
    sheet: &WalkSheet,
    l: &Labels,
    range: std::ops::Range<usize>,
    top: f32,
) -> f32 {
    let widths = column_widths();
    let xs: Vec<f32> = widths
        .iter()
        .scan(MARGIN, |x, w| {
            let x0 = *x;
            *x += w;
            Some(x0)
        })
        .collect();
    let table_w = PAGE_W - 2.0 * MARGIN;
    let marks = &mut page.marks;
    marks.push(rect_mark(
        Rect {
            x: MARGIN,
            y: top,
            w: table_w,
            h: TABLE_HEADER_H,
        },
        Some([225, 225, 225]),
        None,
    ));
    for (i, label) in l.columns.iter().enumerate() {
        let room = widths[i] - 3.0;
        // One line at 7 pt when it fits, else two lines ("Not / home"), shrunk if need be.
        let lines = if text_width(label, 7.0, Weight::Bold) <= room {
            vec![label.to_string()]
        } else {
            wrap(label, 6.5, Weight::Bold, room)
        };
        let two = lines.len() > 1;
        for (k, line) in lines.iter().take(2).enumerate() {
            let natural: f32 = if two { 6.5 } else { 7.0 };
            let size = natural.min(room / text_width(line, 1.0, Weight::Bold).max(0.01));
            let w = text_width(line, size, Weight::Bold);
            let x = if (4..10).contains(&i) {
                xs[i] + (widths[i] - w) / 2.0
            } else {
                xs[i] + 2.0
            };
            let y = if two {
                top + 7.8 + 7.2 * k as f32
            } else {
                top + 12.0
            };
            marks.push(text(line, x, y, size, Weight::Bold, INK));
        }
    }
    let mut y = top + TABLE_HEADER_H;
    let stops = &sheet.route.stops;
    let first = range.start;
    for k in range {
        let s = &stops[k];
        if k % 2 == 1 {
            marks.push(rect_mark(
                Rect {
                    x: MARGIN,
                    y,
                    w: table_w,
                    h: ROW_H,
                },
                Some(LIGHT),
                None,
            ));
        }
        let base = y + ROW_H - 4.5;
        marks.push(text(
            &s.order.to_string(),
            xs[0] + 2.0,
            base,
            8.0,
            Weight::Bold,
            INK,
        ));
        let same_street = k > first && stops[k - 1].street == s.street;
        let street = fit_text(&s.street, 8.0, Weight::Regular, widths[1] - 4.0);
        marks.push(text(
            &street,
            xs[1] + 2.0,
            base,
            8.0,
            Weight::Regular,
            if same_street { GREY } else { INK },
        ));
        let number = match &s.suffix {
            Some(x) if !x.trim().is_empty() => format!("{} {}", s.number, x.trim()),
            _ => s.number.clone(),
        };
        let number = fit_text(&number, 8.5, Weight::Bold, widths[2] - 4.0);
        marks.push(text(&number, xs[2] + 2.0, base, 8.5, Weight::Bold, INK));
        let side = match s.side.as_deref() {
            Some("left") => l.left,
            Some("right") => l.right,
            _ => "–",
        };
        marks.push(text(side, xs[3] + 8.0, base, 8.0, Weight::Regular, INK));
        for c in 4..10 {
            let b = 8.5;
            marks.push(rect_mark(
                Rect {
                    x: xs[c] + (widths[c] - b) / 2.0,
                    y: y + (ROW_H - b) / 2.0,
                    w: b,
                    h: b,
                },
                Some([255, 255, 255]),
                Some((INK, 0.6)),
            ));
        }
        page.rows.push(s.order);
        y += ROW_H;
        marks.push(Mark::Line {
            points: vec![[MARGIN, y], [MARGIN + table_w, y]],
            rgb: [205, 205, 205],
            width: 0.3,
            dash: None,
        });
    }
    // Column rules.
    for (i, x) in xs.iter().enumerate().skip(1) {
        if i >= 4 {
            marks.push(Mark::Line {
                points: vec![[*x, top], [*x, y]],
                rgb: [205, 205, 205],
                width: 0.3,
                dash: None,
            });
        }
    }
    marks.push(rect_mark(
        Rect {
            x: MARGIN,
            y: top,
            w: table_w,
            h: y - top,
        },
        None,
        Some((RULE, 0.6)),
    ));
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::sheets::tests::sample_sheet;

    #[test]
    fn a_120_door_turf_pages_as_computed_and_every_door_is_listed_once() {
        let sheet = sample_sheet(120, RouteMethod::StreetGraph);
        let pages = layout_sheet(&sheet, SheetLang::Fr);
        let notice = notice_lines(&sheet.privacy_notice).len();
        let (first, next) = rows_per_page(notice);
        assert!(first >= 15 && next >= 40, "{first} {next}");
        assert_eq!(pages.len(), table_pages(120, notice));
        assert_eq!(pages.len(), 1 + (120 - first).div_ceil(next));
        assert_eq!(pages[0].rows.len(), first);
        let all: Vec<usize> = pages.iter().flat_map(|p| p.rows.clone()).collect();
        assert_eq!(all, (1..=120).collect::<Vec<_>>());
        // Nothing is drawn below the page or into the footer's notice, and each page says i/n.
        let foot = footer_top(notice);
        for (i, p) in pages.iter().enumerate() {
            let tag = format!("{} {}/{}", labels(SheetLang::Fr).page, i + 1, pages.len());
            assert!(
                p.marks
                    .iter()
                    .any(|m| matches!(m, Mark::Text(t) if t.text.ends_with(&tag))),
                "page {i} has {tag}"
            );
            for m in &p.marks {
                if let Mark::Shape(s) = m {
                    for pt in s.rings.iter().flatten() {
                        assert!(pt[1] <= foot + 0.01, "shape below the footer line: {pt:?}");
                    }
                }
            }
        }
        // A short turf fits on one page; a turf with no door still gets its page.
        assert_eq!(
            layout_sheet(
                &sample_sheet(first, RouteMethod::StreetGraph),
                SheetLang::Fr
            )
            .len(),
            1
        );
        assert_eq!(
            layout_sheet(&sample_sheet(0, RouteMethod::StreetGraph), SheetLang::En).len(),
            1
        );
    }

    #[test]
    fn street_order_routes_say_so_in_the_header() {
        let has = |pages: &[SheetPage], s: &str| {
            pages[0]
                .marks
                .iter()
                .any(|m| matches!(m, Mark::Text(t) if t.text.contains(s)))
        };
        let fr = layout_sheet(&sample_sheet(10, RouteMethod::StreetOrder), SheetLang::Fr);
        assert!(has(&fr, "Ordre par rue et numéros (pas de réseau de rues)"));
        assert!(has(&fr, "samedi 14 mars 2026"));
        let graph = layout_sheet(&sample_sheet(10, RouteMethod::StreetGraph), SheetLang::Fr);
        assert!(!has(&graph, "pas de réseau"));
        let en = layout_sheet(&sample_sheet(10, RouteMethod::StreetOrder), SheetLang::En);
        assert!(has(&en, "no street network") && has(&en, "Come back"));
    }

    #[test]
    fn talking_points_that_do_not_fit_beside_the_map_follow_the_table_once() {
        let mut sheet = sample_sheet(30, RouteMethod::StreetGraph);
        sheet.talking_points = (1..=14)
            .map(|i| format!("Point {i} : rappeler le programme du quartier et la date du scrutin"))
            .collect();
        let pages = layout_sheet(&sheet, SheetLang::Fr);
        let texts: Vec<&str> = pages
            .iter()
            .flat_map(|p| &p.marks)
            .filter_map(|m| match m {
                Mark::Text(t) => Some(t.text.as_str()),
                _ => None,
            })
            .collect();
        for i in 1..=14 {
            let tag = format!("• Point {i} :");
            assert_eq!(
                texts.iter().filter(|t| t.starts_with(&tag)).count(),
                1,
                "{tag}"
            );
        }
        assert_eq!(
            texts
                .iter()
                .filter(|t| **t == "Argumentaire (suite)")
                .count(),
            1
        );
    }

    #[test]
    fn column_headers_fit_their_columns_in_both_languages() {
        let widths = column_widths();
        let top = table_tops().0;
        assert!((widths.iter().sum::<f32>() - (PAGE_W - 2.0 * MARGIN)).abs() < 0.01);
        for lang in [SheetLang::Fr, SheetLang::En] {
            let pages = layout_sheet(&sample_sheet(3, RouteMethod::StreetGraph), lang);
            let l = labels(lang);
            let mut x0 = MARGIN;
            for (label, w) in l.columns.iter().zip(widths) {
                // Every word of the label is printed whole, inside its column.
                for word in label.split_whitespace() {
                    let t = pages[0]
                        .marks
                        .iter()
                        .find_map(|m| match m {
                            Mark::Text(t)
                                if t.text.split_whitespace().any(|x| x == word)
                                    && t.x >= x0
                                    && t.x < x0 + w
                                    && t.y > top
                                    && t.y < top + TABLE_HEADER_H =>
                            {
                                Some(t)
                            }
                            _ => None,
                        })
                        .unwrap_or_else(|| panic!("{label} is printed in its column"));
                    assert!(
                        t.x + text_width(&t.text, t.size, t.weight) <= x0 + w + 0.01,
                        "{label}: {t:?} in {x0}+{w}"
                    );
                }
                x0 += w;
            }
        }
    }

    #[test]
    fn long_text_is_shortened_with_an_ellipsis() {
        let s = fit_text(
            "Avenue du Général-de-Gaulle prolongée",
            8.0,
            Weight::Regular,
            60.0,
        );
        assert!(
            s.ends_with('…') && text_width(&s, 8.0, Weight::Regular) <= 60.0,
            "{s}"
        );
        assert_eq!(fit_text("Rue", 8.0, Weight::Regular, 60.0), "Rue");
    }
}
