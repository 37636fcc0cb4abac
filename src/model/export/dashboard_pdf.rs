//! The campaign dashboard as a printed report (A4 portrait, French or English): title with the
//! campaign and the date, the totals, each goal with a progress bar and "on track / behind", a
//! chart of doors knocked per day and one of the cumulative knocks against the goals' lines,
//! then the tables by operation, team, volunteer and precinct, continued on further pages under
//! their heading, with "page i/n" on every page. The pages are walk-sheet [`Mark`]s written by
//! the walk sheets' krilla writer ([`crate::model::export::sheets::pdf::write_pages`]).

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::export::font::{Weight, text_width};
use crate::model::export::layout::{Rect, Shape, format_number};
use crate::model::export::sheets::layout::{
    GREY, INK, Mark, PAGE_H, PAGE_W, SheetPage, fit_text, text,
};
use crate::model::export::sheets::pdf::write_pages;
use crate::model::export::sheets::texts::SheetLang;
use crate::model::format::{format_date, group_thousands};
use crate::model::progress::Progress;
use crate::model::results::coverage::{
    Dashboard, DashboardFilter, GoalProgress, NO_OPERATION, SeriesRow,
};

const MARGIN: f32 = 36.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// The lowest baseline of the content (the footer sits below).
const BOTTOM: f32 = PAGE_H - MARGIN - 14.0;
const ROW_H: f32 = 14.0;
const TABLE_SIZE: f32 = 8.5;
const CHART_H: f32 = 120.0;

const LIGHT: [u8; 3] = [240, 240, 240];
const RULE: [u8; 3] = [190, 190, 190];
const GREEN: [u8; 3] = [26, 152, 80];
const RED: [u8; 3] = [200, 40, 30];
const ORANGE: [u8; 3] = [240, 140, 30];
const BLUE: [u8; 3] = [49, 104, 170];
const PURPLE: [u8; 3] = [120, 80, 160];

/// What `porte dashboard --pdf` and the dashboard window's "Export PDF…" wrote.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DashboardPdfReport {
    pub path: PathBuf,
    pub pages: usize,
    pub bytes: u64,
    pub elapsed_ms: u128,
}

/// "12 345" (French, no-break space) or "12,345".
pub fn integer(n: i64, lang: SheetLang) -> String {
    group_thousands(n, lang.pick("\u{a0}", ","))
}

/// A share (0..1) as "52,3 %" or "52.3%".
pub fn percent(share: f64, lang: SheetLang) -> String {
    format!(
        "{}{}",
        format_number(share * 100.0, 1, lang.french()),
        lang.pick("\u{a0}%", "%")
    )
}

/// "14/03" or "Mar 14": the date labels of the charts' axis.
pub fn short_date(d: NaiveDate, lang: SheetLang) -> String {
    if lang.french() {
        d.format("%d/%m").to_string()
    } else {
        d.format("%b %-d").to_string()
    }
}

/// A round step (1, 2 or 5 × 10ⁿ, at least 1) giving at most 5 intervals up to `max`.
pub fn nice_step(max: i64) -> i64 {
    let max = max.max(1);
    let mut p = 1;
    loop {
        for k in [1, 2, 5] {
            if max <= 5 * k * p {
                return k * p;
            }
        }
        p *= 10;
    }
}

/// The words of the report.
struct Words {
    lang: SheetLang,
}

impl Words {
    fn metric(&self, metric: &str) -> &'static str {
        let l = self.lang;
        match metric {
            "doors_opened" => l.pick("portes ouvertes", "doors opened"),
            "contacts" => l.pick("contacts", "contacts"),
            _ => l.pick("portes frappées", "doors knocked"),
        }
    }

    fn status(&self, g: &GoalProgress) -> Option<(&'static str, [u8; 3])> {
        let l = self.lang;
        match g.on_track {
            Some(true) => Some((l.pick("dans les temps", "on track"), GREEN)),
            Some(false) => Some((l.pick("en retard", "behind"), RED)),
            None if g.share >= 1.0 => Some((l.pick("atteint", "met"), GREEN)),
            None => None,
        }
    }
}

/// Pages filled from the top down; a block that does not fit starts a new page.
struct Flow {
    pages: Vec<SheetPage>,
    y: f32,
}

impl Flow {
    fn new() -> Flow {
        Flow {
            pages: vec![SheetPage::default()],
            y: MARGIN,
        }
    }

    fn push(&mut self, mark: Mark) {
        self.pages
            .last_mut()
            .expect("a flow has a page")
            .marks
            .push(mark);
    }

    /// Starts a new page unless `height` more fits on this one; true when it started one.
    fn need(&mut self, height: f32) -> bool {
        if self.y + height <= BOTTOM {
            return false;
        }
        self.pages.push(SheetPage::default());
        self.y = MARGIN;
        true
    }

    fn heading(&mut self, s: &str) {
        self.need(18.0 + 3.0 * ROW_H);
        self.y += 14.0;
        self.push(text(s, MARGIN, self.y, 12.0, Weight::Bold, INK));
        self.y += 8.0;
    }
}

fn rect(r: Rect, fill: Option<[u8; 3]>, stroke: Option<([u8; 3], f32)>) -> Mark {
    Mark::Shape(Shape {
        rings: vec![r.ring()],
        fill_rgb: fill,
        stroke,
    })
}

/// Right-aligned text ending at `right`.
fn right_text(s: &str, right: f32, y: f32, size: f32, weight: Weight, rgb: [u8; 3]) -> Mark {
    text(s, right - text_width(s, size, weight), y, size, weight, rgb)
}

fn totals(f: &mut Flow, d: &Dashboard, lang: SheetLang) {
    let coverage = if d.doors > 0 {
        d.knocked as f64 / d.doors as f64
    } else {
        0.0
    };
    let boxes = [
        (lang.pick("Portes", "Doors"), integer(d.doors, lang)),
        (lang.pick("Frappées", "Knocked"), integer(d.knocked, lang)),
        (lang.pick("Ouvertes", "Opened"), integer(d.opened, lang)),
        (lang.pick("Contacts", "Contacts"), integer(d.contacts, lang)),
        (lang.pick("Refus", "Refusals"), integer(d.refusals, lang)),
        (lang.pick("Couverture", "Coverage"), percent(coverage, lang)),
    ];
    let gap = 6.0;
    let w = (CONTENT_W - gap * (boxes.len() - 1) as f32) / boxes.len() as f32;
    let h = 40.0;
    for (i, (label, value)) in boxes.iter().enumerate() {
        let x = MARGIN + i as f32 * (w + gap);
        f.push(rect(
            Rect { x, y: f.y, w, h },
            Some(LIGHT),
            Some((RULE, 0.6)),
        ));
        f.push(text(label, x + 6.0, f.y + 12.0, 8.0, Weight::Regular, GREY));
        let size = 14.0;
        let value = fit_text(value, size, Weight::Bold, w - 12.0);
        f.push(text(&value, x + 6.0, f.y + 32.0, size, Weight::Bold, INK));
    }
    f.y += h;
}

/// The progress bar of a goal: its frame and the filled part (capped at the frame).
pub fn progress_bar(x: f32, y: f32, w: f32, h: f32, share: f64, rgb: [u8; 3]) -> [Mark; 2] {
    let filled = (share.clamp(0.0, 1.0) as f32) * w;
    [
        rect(Rect { x, y, w: filled, h }, Some(rgb), None),
        rect(Rect { x, y, w, h }, None, Some((GREY, 0.6))),
    ]
}

fn goals(f: &mut Flow, d: &Dashboard, words: &Words) {
    let lang = words.lang;
    f.heading(if d.filter.is_empty() {
        lang.pick("Objectifs", "Goals")
    } else {
        lang.pick("Objectifs (toute la campagne)", "Goals (whole campaign)")
    });
    if d.goals.is_empty() {
        f.y += ROW_H;
        f.push(text(
            lang.pick("Aucun objectif fixé.", "No goal set."),
            MARGIN,
            f.y,
            9.0,
            Weight::Regular,
            GREY,
        ));
        return;
    }
    for g in &d.goals {
        f.need(44.0);
        f.y += 14.0;
        let status = words.status(g);
        let status_w = status.map_or(0.0, |(s, _)| text_width(s, 10.0, Weight::Bold) + 8.0);
        let name = fit_text(&g.name, 10.0, Weight::Bold, CONTENT_W - status_w);
        f.push(text(&name, MARGIN, f.y, 10.0, Weight::Bold, INK));
        if let Some((s, rgb)) = status {
            f.push(right_text(
                s,
                MARGIN + CONTENT_W,
                f.y,
                10.0,
                Weight::Bold,
                rgb,
            ));
        }
        f.y += 5.0;
        let bar_w = 250.0;
        let colour = match g.on_track {
            Some(false) => ORANGE,
            _ if g.share >= 1.0 => GREEN,
            Some(true) => GREEN,
            None => BLUE,
        };
        for m in progress_bar(MARGIN, f.y, bar_w, 10.0, g.share, colour) {
            f.push(m);
        }
        let figures = format!(
            "{} / {} {} ({})",
            integer(g.value, lang),
            integer(g.target, lang),
            words.metric(&g.metric),
            percent(g.share, lang)
        );
        f.push(text(
            &fit_text(&figures, 9.0, Weight::Regular, CONTENT_W - bar_w - 10.0),
            MARGIN + bar_w + 10.0,
            f.y + 8.5,
            9.0,
            Weight::Regular,
            INK,
        ));
        f.y += 10.0;
        let mut notes = Vec::new();
        if let Some(due) = g.due_date.as_deref() {
            let due = NaiveDate::parse_from_str(due, "%Y-%m-%d")
                .map(|d| format_date(d, lang.french()))
                .unwrap_or_else(|_| due.to_owned());
            notes.push(format!("{} {due}", lang.pick("échéance :", "due")));
        }
        if let Some(e) = g.expected {
            notes.push(format!(
                "{} {}",
                lang.pick("attendu à ce jour :", "expected by today:"),
                integer(e, lang)
            ));
        }
        if !notes.is_empty() {
            f.y += 11.0;
            f.push(text(
                &notes.join(" · "),
                MARGIN,
                f.y,
                8.0,
                Weight::Regular,
                GREY,
            ));
        }
        f.y += 4.0;
    }
}

/// One series of a chart.
pub enum Series {
    /// One bar a day.
    Bars(Vec<(NaiveDate, i64)>, [u8; 3]),
    /// A polyline through the points (dashed when asked).
    Line(Vec<(NaiveDate, i64)>, [u8; 3], bool),
}

/// A chart's frame and how days and values map into it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartFrame {
    pub plot: Rect,
    pub first: NaiveDate,
    pub days: i64,
    pub y_max: i64,
}

impl ChartFrame {
    /// The x of the middle of `day`'s column.
    pub fn x(&self, day: NaiveDate) -> f32 {
        let i = (day - self.first).num_days() as f32 + 0.5;
        self.plot.x + self.plot.w * i / self.days as f32
    }

    pub fn y(&self, value: i64) -> f32 {
        self.plot.y + self.plot.h * (1.0 - value as f32 / self.y_max as f32)
    }
}

/// Draws a chart over the days `first..=last` at the flow's position: value grid and labels,
/// date labels, the series, and a legend line.
pub fn chart(
    first: NaiveDate,
    last: NaiveDate,
    top: f32,
    series: &[(String, Series)],
    lang: SheetLang,
) -> (Vec<Mark>, ChartFrame) {
    let max = series
        .iter()
        .flat_map(|(_, s)| match s {
            Series::Bars(p, _) | Series::Line(p, _, _) => p.iter().map(|(_, v)| *v),
        })
        .max()
        .unwrap_or(0);
    let step = nice_step(max);
    let y_max = step * ((max.max(1) + step - 1) / step);
    let label_w = text_width(&integer(y_max, lang), 7.5, Weight::Regular) + 6.0;
    let frame = ChartFrame {
        plot: Rect {
            x: MARGIN + label_w,
            y: top,
            w: CONTENT_W - label_w,
            h: CHART_H,
        },
        first,
        days: (last - first).num_days().max(0) + 1,
        y_max,
    };
    let p = frame.plot;
    let mut marks = Vec::new();
    let mut v = 0;
    while v <= y_max {
        let y = frame.y(v);
        marks.push(Mark::Line {
            points: vec![[p.x, y], [p.x + p.w, y]],
            rgb: if v == 0 { GREY } else { LIGHT },
            width: 0.6,
            dash: None,
        });
        marks.push(right_text(
            &integer(v, lang),
            p.x - 4.0,
            y + 2.5,
            7.5,
            Weight::Regular,
            GREY,
        ));
        v += step;
    }
    // Date labels: the first and last days, and one between when there is room.
    let mut label_days = vec![first];
    if frame.days > 2 {
        label_days.push(first + chrono::Days::new((frame.days / 2) as u64));
    }
    if last > first {
        label_days.push(last);
    }
    for d in label_days {
        let s = short_date(d, lang);
        let w = text_width(&s, 7.5, Weight::Regular);
        let x = (frame.x(d) - w / 2.0).clamp(p.x, p.x + p.w - w);
        marks.push(text(&s, x, p.y + p.h + 10.0, 7.5, Weight::Regular, GREY));
    }
    let column_w = p.w / frame.days as f32;
    for (_, s) in series {
        match s {
            Series::Bars(points, rgb) => {
                let bar_w = (column_w * 0.7).clamp(0.8, 36.0);
                for (d, v) in points {
                    let y = frame.y(*v);
                    marks.push(rect(
                        Rect {
                            x: frame.x(*d) - bar_w / 2.0,
                            y,
                            w: bar_w,
                            h: p.y + p.h - y,
                        },
                        Some(*rgb),
                        None,
                    ));
                }
            }
            Series::Line(points, rgb, dashed) => {
                let points: Vec<[f32; 2]> = points
                    .iter()
                    .map(|(d, v)| [frame.x(*d), frame.y(*v)])
                    .collect();
                if points.len() == 1 {
                    marks.push(Mark::Circle {
                        center: points[0],
                        radius: 2.0,
                        fill_rgb: Some(*rgb),
                        stroke: None,
                    });
                }
                marks.push(Mark::Line {
                    points,
                    rgb: *rgb,
                    width: 1.5,
                    dash: dashed.then_some([4.0, 3.0]),
                });
            }
        }
    }
    marks.push(rect(p, None, Some((RULE, 0.6))));
    // Legend under the date labels.
    let mut x = p.x;
    let y = p.y + p.h + 22.0;
    for (name, s) in series {
        let (rgb, dashed) = match s {
            Series::Bars(_, rgb) => (*rgb, false),
            Series::Line(_, rgb, dashed) => (*rgb, *dashed),
        };
        marks.push(Mark::Line {
            points: vec![[x, y - 3.0], [x + 14.0, y - 3.0]],
            rgb,
            width: if matches!(s, Series::Bars(..)) {
                5.0
            } else {
                1.5
            },
            dash: dashed.then_some([3.0, 2.0]),
        });
        let name = fit_text(name, 8.0, Weight::Regular, 160.0);
        marks.push(text(&name, x + 18.0, y, 8.0, Weight::Regular, INK));
        x += 18.0 + text_width(&name, 8.0, Weight::Regular) + 14.0;
    }
    (marks, frame)
}

fn parse(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn charts(f: &mut Flow, d: &Dashboard, words: &Words) {
    let lang = words.lang;
    let Some((first, last)) = d.chart_days() else {
        f.heading(lang.pick("Évolution", "Over time"));
        f.y += ROW_H;
        f.push(text(
            lang.pick("Aucun résultat enregistré.", "No result recorded yet."),
            MARGIN,
            f.y,
            9.0,
            Weight::Regular,
            GREY,
        ));
        return;
    };
    let per_day: Vec<(NaiveDate, i64)> = d
        .by_day
        .iter()
        .filter_map(|r| Some((parse(&r.key)?, r.knocked)))
        .collect();
    let chart_block = 14.0 + 8.0 + CHART_H + 34.0;
    f.need(chart_block);
    f.heading(lang.pick("Portes frappées par jour", "Doors knocked per day"));
    let last_result = per_day.last().map_or(first, |(d, _)| *d);
    let (marks, _) = chart(
        first,
        last_result.max(first),
        f.y,
        &[(
            lang.pick("portes frappées", "doors knocked").to_owned(),
            Series::Bars(per_day, BLUE),
        )],
        lang,
    );
    for m in marks {
        f.push(m);
    }
    f.y += CHART_H + 28.0;

    f.need(chart_block);
    f.heading(if d.filter.is_empty() {
        lang.pick(
            "Portes frappées en cumul et objectifs",
            "Cumulative doors knocked and goals",
        )
    } else {
        lang.pick("Portes frappées en cumul", "Cumulative doors knocked")
    });
    let cumulative: Vec<(NaiveDate, i64)> = d
        .cumulative_knocked()
        .into_iter()
        .filter_map(|(k, v)| Some((parse(&k)?, v)))
        .collect();
    let mut series = vec![(
        lang.pick("cumul frappées", "cumulative knocked").to_owned(),
        Series::Line(cumulative, BLUE, false),
    )];
    for (i, g) in d
        .goals
        .iter()
        .filter(|g| g.metric == "doors_knocked")
        .enumerate()
    {
        if let Some(line) = d.goal_line(g) {
            series.push((
                g.name.clone(),
                Series::Line(line.to_vec(), [PURPLE, ORANGE, GREEN, RED][i % 4], true),
            ));
        }
    }
    let (marks, _) = chart(first, last, f.y, &series, lang);
    for m in marks {
        f.push(m);
    }
    f.y += CHART_H + 28.0;
}

/// Column x positions of a table: the name column, then right edges of the four counts.
fn table_columns() -> (f32, [f32; 4]) {
    let right = MARGIN + CONTENT_W;
    let count_w = 62.0;
    let name_w = CONTENT_W - 4.0 * count_w;
    (
        name_w,
        [
            right - 3.0 * count_w,
            right - 2.0 * count_w,
            right - count_w,
            right,
        ],
    )
}

fn table_header(f: &mut Flow, lang: SheetLang) {
    let (_, cols) = table_columns();
    f.push(rect(
        Rect {
            x: MARGIN,
            y: f.y,
            w: CONTENT_W,
            h: ROW_H,
        },
        Some(LIGHT),
        None,
    ));
    let y = f.y + 10.0;
    let heads = [
        lang.pick("frappées", "knocked"),
        lang.pick("ouvertes", "opened"),
        lang.pick("contacts", "contacts"),
        lang.pick("% ouvertes", "% opened"),
    ];
    for (h, right) in heads.iter().zip(cols) {
        f.push(right_text(h, right - 4.0, y, 8.0, Weight::Bold, INK));
    }
    f.y += ROW_H;
}

/// A table of series rows under `title`, continued under "title (continued)" on further pages.
fn table(f: &mut Flow, title: &str, rows: &[SeriesRow], lang: SheetLang) {
    f.heading(title);
    table_header(f, lang);
    let (name_w, cols) = table_columns();
    if rows.is_empty() {
        f.y += 10.0;
        f.push(text(
            lang.pick("(aucun)", "(none)"),
            MARGIN + 4.0,
            f.y,
            TABLE_SIZE,
            Weight::Regular,
            GREY,
        ));
        f.y += 4.0;
        return;
    }
    for (i, r) in rows.iter().enumerate() {
        if f.need(ROW_H) {
            f.heading(&format!("{title} {}", lang.pick("(suite)", "(continued)")));
            table_header(f, lang);
        }
        if i % 2 == 1 {
            f.push(rect(
                Rect {
                    x: MARGIN,
                    y: f.y,
                    w: CONTENT_W,
                    h: ROW_H,
                },
                Some([250, 250, 250]),
                None,
            ));
        }
        let y = f.y + 10.0;
        let key = if r.key == NO_OPERATION {
            lang.pick("(sans opération)", "(no operation)")
        } else {
            r.display()
        };
        let name = fit_text(key, TABLE_SIZE, Weight::Regular, name_w - 8.0);
        f.push(text(
            &name,
            MARGIN + 4.0,
            y,
            TABLE_SIZE,
            Weight::Regular,
            INK,
        ));
        let share = if r.knocked > 0 {
            r.opened as f64 / r.knocked as f64
        } else {
            0.0
        };
        let cells = [
            integer(r.knocked, lang),
            integer(r.opened, lang),
            integer(r.contacts, lang),
            percent(share, lang),
        ];
        for (c, right) in cells.iter().zip(cols) {
            f.push(right_text(
                c,
                right - 4.0,
                y,
                TABLE_SIZE,
                Weight::Regular,
                INK,
            ));
        }
        f.y += ROW_H;
        f.push(Mark::Line {
            points: vec![[MARGIN, f.y], [MARGIN + CONTENT_W, f.y]],
            rgb: LIGHT,
            width: 0.5,
            dash: None,
        });
    }
}

/// "Samedi matin · 14/03/2026 – 15/03/2026": what a filtered dashboard counts (`operation`:
/// the filter's operation name); empty without a filter.
pub fn scope_text(filter: &DashboardFilter, operation: Option<&str>, lang: SheetLang) -> String {
    let day = |d: NaiveDate| {
        if lang.french() {
            d.format("%d/%m/%Y").to_string()
        } else {
            d.to_string()
        }
    };
    let mut parts = Vec::new();
    if filter.operation_id.is_some() {
        parts.push(operation.unwrap_or("?").to_owned());
    }
    match (filter.from, filter.to) {
        (Some(a), Some(b)) => parts.push(format!("{} – {}", day(a), day(b))),
        (Some(a), None) => parts.push(format!("{} {}", lang.pick("depuis le", "from"), day(a))),
        (None, Some(b)) => parts.push(format!("{} {}", lang.pick("jusqu’au", "until"), day(b))),
        (None, None) => {}
    }
    parts.join(" · ")
}

/// Lays the dashboard of `campaign` (its name) at `today` out on A4 pages; `scope` says what a
/// filtered dashboard counts (see [`scope_text`]; empty for the whole campaign).
pub fn layout_dashboard(
    d: &Dashboard,
    campaign: &str,
    scope: &str,
    today: NaiveDate,
    lang: SheetLang,
) -> Vec<SheetPage> {
    let words = Words { lang };
    let mut f = Flow::new();
    f.y += 18.0;
    f.push(text(
        lang.pick("Tableau de bord de la campagne", "Campaign dashboard"),
        MARGIN,
        f.y,
        18.0,
        Weight::Bold,
        INK,
    ));
    f.y += 16.0;
    let subtitle = [campaign, scope, &format_date(today, lang.french())]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ");
    f.push(text(
        &fit_text(&subtitle, 11.0, Weight::Regular, CONTENT_W),
        MARGIN,
        f.y,
        11.0,
        Weight::Regular,
        GREY,
    ));
    f.y += 12.0;
    totals(&mut f, d, lang);
    f.y += 6.0;
    goals(&mut f, d, &words);
    f.y += 6.0;
    charts(&mut f, d, &words);
    for (title, rows) in [
        (lang.pick("Par opération", "By operation"), &d.by_operation),
        (lang.pick("Par équipe", "By team"), &d.by_team),
        (lang.pick("Par bénévole", "By volunteer"), &d.by_volunteer),
        (
            lang.pick("Par bureau de vote", "By precinct"),
            &d.by_precinct,
        ),
    ] {
        f.y += 6.0;
        table(&mut f, title, rows, lang);
    }
    // Footer: the campaign and the date, and "page i/n".
    let n = f.pages.len();
    let footer = format!("Porte · {campaign} · {today}");
    for (i, page) in f.pages.iter_mut().enumerate() {
        let y = PAGE_H - MARGIN + 4.0;
        page.marks.push(text(
            &fit_text(&footer, 7.5, Weight::Regular, CONTENT_W - 80.0),
            MARGIN,
            y,
            7.5,
            Weight::Regular,
            GREY,
        ));
        page.marks.push(right_text(
            &format!("page {}/{n}", i + 1),
            MARGIN + CONTENT_W,
            y,
            7.5,
            Weight::Regular,
            GREY,
        ));
    }
    f.pages
}

/// The dashboard report as PDF bytes.
pub fn render_dashboard_pdf(
    d: &Dashboard,
    campaign: &str,
    scope: &str,
    today: NaiveDate,
    lang: SheetLang,
) -> ModelResult<(Vec<u8>, usize)> {
    let pages = layout_dashboard(d, campaign, scope, today, lang);
    let title = format!("{} — {campaign}", lang.pick("Tableau de bord", "Dashboard"));
    Ok((write_pages(&pages, &title)?, pages.len()))
}

/// Reads the campaign's dashboard at `today` (the results `filter` keeps) and writes its report
/// to `path`.
pub fn export_dashboard_pdf(
    campaign: &Campaign,
    path: &Path,
    lang: SheetLang,
    today: NaiveDate,
    filter: &DashboardFilter,
    progress: &dyn Progress,
) -> ModelResult<DashboardPdfReport> {
    let start = Instant::now();
    progress.set(0.05, "dashboard");
    let d = campaign.dashboard_filtered(today, filter)?;
    let operation = filter
        .operation_id
        .map(|id| campaign.operation(id).map(|op| op.name))
        .transpose()?;
    let scope = scope_text(filter, operation.as_deref(), lang);
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    progress.set(0.5, "PDF");
    let name = campaign
        .path()
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (bytes, pages) = render_dashboard_pdf(&d, &name, &scope, today, lang)?;
    if progress.is_cancelled() {
        return Err(ModelError::Cancelled);
    }
    std::fs::write(path, &bytes)
        .map_err(|e| ModelError::Invalid(format!("cannot write {}: {e}", path.display())))?;
    progress.set(1.0, "");
    Ok(DashboardPdfReport {
        path: path.to_owned(),
        pages,
        bytes: bytes.len() as u64,
        elapsed_ms: start.elapsed().as_millis(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::layout::TextItem;

    fn row(key: &str, knocked: i64) -> SeriesRow {
        SeriesRow {
            key: key.into(),
            label: None,
            knocked,
            opened: knocked / 2,
            contacts: knocked / 5,
        }
    }

    fn sample(volunteers: usize) -> Dashboard {
        Dashboard {
            doors: 1200,
            knocked: 95,
            opened: 40,
            contacts: 12,
            refusals: 7,
            by_operation: vec![row("Samedi matin", 60), row("Dimanche", 35)],
            by_team: vec![row("Samedi matin / team 1", 60)],
            by_volunteer: (0..volunteers)
                .map(|i| row(&format!("Bénévole {i:03}"), 10))
                .collect(),
            by_precinct: vec![row("4", 95)],
            by_day: vec![row("2026-03-14", 60), row("2026-03-15", 35)],
            goals: vec![GoalProgress {
                id: 1,
                name: "1000 portes".into(),
                metric: "doors_knocked".into(),
                target: 1000,
                due_date: Some("2026-03-31".into()),
                value: 95,
                share: 0.095,
                on_track: Some(false),
                expected: Some(59),
            }],
            first_day: Some("2026-03-14".into()),
            filter: Default::default(),
        }
    }

    fn texts(page: &SheetPage) -> Vec<&str> {
        page.marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text(TextItem { text, .. }) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    #[test]
    fn numbers_steps_and_dates() {
        assert_eq!(integer(1234567, SheetLang::En), "1,234,567");
        assert_eq!(integer(1234, SheetLang::Fr), "1\u{a0}234");
        assert_eq!(percent(0.5, SheetLang::Fr), "50,0\u{a0}%");
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(9), 2);
        assert_eq!(nice_step(95), 20);
        assert_eq!(nice_step(1000), 200);
        assert_eq!(short_date(day(3, 4), SheetLang::Fr), "04/03");
        assert_eq!(short_date(day(3, 4), SheetLang::En), "Mar 4");
    }

    #[test]
    fn the_progress_bar_fills_its_share_and_no_more() {
        let width = |m: &Mark| match m {
            Mark::Shape(s) => s.rings[0][1][0] - s.rings[0][0][0],
            _ => panic!("{m:?}"),
        };
        let [fill, frame] = progress_bar(10.0, 10.0, 200.0, 8.0, 0.25, GREEN);
        assert_eq!((width(&fill), width(&frame)), (50.0, 200.0));
        let [fill, _] = progress_bar(10.0, 10.0, 200.0, 8.0, 3.0, GREEN);
        assert_eq!(width(&fill), 200.0);
    }

    #[test]
    fn bars_and_lines_stay_in_the_chart_frame() {
        let (marks, frame) = chart(
            day(3, 14),
            day(3, 31),
            100.0,
            &[
                (
                    "a".into(),
                    Series::Bars(vec![(day(3, 14), 60), (day(3, 15), 35)], BLUE),
                ),
                (
                    "b".into(),
                    Series::Line(vec![(day(3, 14), 0), (day(3, 31), 1000)], RED, true),
                ),
            ],
            SheetLang::En,
        );
        assert_eq!(frame.days, 18);
        assert_eq!(frame.y_max, 1000);
        let p = frame.plot;
        assert!((frame.y(1000) - p.y).abs() < 1e-3 && (frame.y(0) - (p.y + p.h)).abs() < 1e-3);
        assert!(frame.x(day(3, 14)) > p.x && frame.x(day(3, 31)) < p.x + p.w);
        for m in &marks {
            if let Mark::Shape(s) = m {
                for q in s.rings.iter().flatten() {
                    assert!(q[0] >= p.x - 1e-3 && q[0] <= p.x + p.w + 1e-3, "{q:?}");
                    assert!(q[1] >= p.y - 1e-3 && q[1] <= p.y + p.h + 1e-3, "{q:?}");
                }
            }
        }
        let labels: Vec<&str> = marks
            .iter()
            .filter_map(|m| match m {
                Mark::Text(t) => Some(t.text.as_str()),
                _ => None,
            })
            .collect();
        assert!(
            labels.contains(&"Mar 14") && labels.contains(&"Mar 31"),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"1,000") && labels.contains(&"0"),
            "{labels:?}"
        );
    }

    #[test]
    fn long_tables_continue_on_numbered_pages() {
        let short = layout_dashboard(&sample(3), "ville", "", day(3, 15), SheetLang::En);
        let long = layout_dashboard(&sample(150), "ville", "", day(3, 15), SheetLang::En);
        assert!(
            long.len() > short.len() + 1,
            "{} vs {}",
            long.len(),
            short.len()
        );
        let n = long.len();
        for (i, page) in long.iter().enumerate() {
            let t = texts(page);
            assert!(t.contains(&format!("page {}/{n}", i + 1).as_str()), "{t:?}");
            for m in &page.marks {
                if let Mark::Text(x) = m {
                    assert!(x.y > 0.0 && x.y < PAGE_H && x.x >= 0.0, "{x:?}");
                    assert!(
                        x.x + text_width(&x.text, x.size, x.weight) <= PAGE_W,
                        "{x:?}"
                    );
                }
            }
        }
        let first = texts(&long[0]);
        assert!(first.contains(&"Campaign dashboard"), "{first:?}");
        assert!(
            first.contains(&"behind") && first.contains(&"95"),
            "{first:?}"
        );
        let all: Vec<&str> = long.iter().flat_map(texts).collect();
        assert!(
            all.contains(&"By volunteer (continued)"),
            "continued heading"
        );
        assert!(all.contains(&"Bénévole 149") && all.contains(&"By precinct"));
    }

    #[test]
    fn a_filtered_report_says_what_it_counts_and_draws_no_goal_line() {
        let filter = DashboardFilter {
            operation_id: Some(1),
            from: Some(day(3, 14)),
            to: Some(day(3, 15)),
        };
        assert_eq!(
            scope_text(&filter, Some("Samedi matin"), SheetLang::Fr),
            "Samedi matin · 14/03/2026 – 15/03/2026"
        );
        let from = DashboardFilter {
            from: Some(day(3, 14)),
            ..Default::default()
        };
        assert_eq!(scope_text(&from, None, SheetLang::En), "from 2026-03-14");
        assert_eq!(
            scope_text(&DashboardFilter::default(), None, SheetLang::En),
            ""
        );
        let mut d = sample(3);
        d.filter = filter;
        let scope = scope_text(&d.filter, Some("Samedi matin"), SheetLang::En);
        let pages = layout_dashboard(&d, "ville", &scope, day(3, 15), SheetLang::En);
        let t: Vec<&str> = pages.iter().flat_map(texts).collect();
        assert!(
            t.iter()
                .any(|s| s.starts_with("ville · Samedi matin · 2026-03-14 – 2026-03-15 · ")),
            "{t:?}"
        );
        assert!(t.contains(&"Goals (whole campaign)") && t.contains(&"Cumulative doors knocked"));
        // The goal's name in the goal list only: no pace line (nor its legend) in the chart.
        assert_eq!(
            t.iter().filter(|s| **s == "1000 portes").count(),
            1,
            "{t:?}"
        );
    }

    #[test]
    fn the_report_speaks_french_and_writes_a_pdf() {
        let pages = layout_dashboard(&sample(3), "ville", "", day(3, 15), SheetLang::Fr);
        let t: Vec<&str> = pages.iter().flat_map(texts).collect();
        for w in [
            "Tableau de bord de la campagne",
            "en retard",
            "Par bureau de vote",
        ] {
            assert!(t.contains(&w), "{w}: {t:?}");
        }
        assert!(
            t.iter().any(|s| s.contains("dimanche 15 mars 2026")),
            "{t:?}"
        );
        let mut empty = sample(0);
        empty.by_day.clear();
        empty.first_day = None;
        empty.goals.clear();
        let t: Vec<String> = layout_dashboard(&empty, "x", "", day(3, 15), SheetLang::En)
            .iter()
            .flat_map(|p| texts(p).into_iter().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        assert!(
            t.contains(&"No goal set.".to_owned())
                && t.contains(&"No result recorded yet.".to_owned())
        );
        let (bytes, n) =
            render_dashboard_pdf(&sample(3), "ville", "", day(3, 15), SheetLang::Fr).unwrap();
        assert!(bytes.starts_with(b"%PDF-") && n >= 1);
    }
}
