//! Campaign-level turf tests on hand-made fixtures: doors placed in metres around a point of
//! Paris, one square precinct, then cuts and edits through the public `Campaign` API.

use std::collections::{HashMap, HashSet};

use geo_types::{Coord, MultiPolygon, polygon};

use crate::model::campaign::Campaign;
use crate::model::progress::NoProgress;
use crate::model::storage;
use crate::model::storage::addresses::NewAddress;
use crate::model::storage::precincts::NewPrecinct;
use crate::model::turfs::frame::LocalFrame;
use crate::model::turfs::{CutReport, CutRequest, CutTarget, TurfStatus, VertexRef};

const ORIGIN: Coord<f64> = Coord { x: 2.35, y: 48.85 };

fn frame() -> LocalFrame {
    LocalFrame::new(ORIGIN)
}

/// A campaign with one precinct "P" (square `side_m`) and doors (x, y, street, number) in metres.
fn fixture(side_m: f64, doors: &[(f64, f64, &str, u32)]) -> (tempfile::TempDir, Campaign) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Campaign::open(dir.path().join("t.gpkg")).unwrap();
    let f = frame();
    let w = |x: f64, y: f64| f.to_wgs84(Coord { x, y });
    let square = MultiPolygon(vec![polygon![
        w(0.0, 0.0),
        w(side_m, 0.0),
        w(side_m, side_m),
        w(0.0, side_m)
    ]]);
    let addrs: Vec<NewAddress> = doors
        .iter()
        .map(|(x, y, street, n)| NewAddress {
            pos_wgs84: w(*x, *y),
            number: n.to_string(),
            suffix: None,
            street: street.to_string(),
            postcode: None,
            city: None,
            source_id: None,
        })
        .collect();
    c.in_transaction(|tx| {
        storage::precincts::replace_all(
            tx,
            &[NewPrecinct {
                code: "P",
                name: None,
                source_feature: 1,
                attributes_json: "{}".into(),
                geom_wgs84: &square,
            }],
        )?;
        storage::addresses::insert_batch(
            tx,
            "test",
            &addrs,
            &vec![Some("P"); addrs.len()],
            &NoProgress,
        )
    })
    .unwrap();
    (dir, c)
}

fn cut(c: &mut Campaign, target: CutTarget, replace: bool) -> CutReport {
    c.cut_turfs(
        &CutRequest {
            precincts: vec!["P".into()],
            area_wgs84: None,
            target,
            replace,
            name_prefix: None,
        },
        None,
        &[],
        &NoProgress,
    )
    .unwrap()
}

/// Every door fid of the campaign is in exactly one turf.
fn assert_doors_once(c: &Campaign) {
    let all: HashSet<i64> = storage::doors::all(c.connection())
        .unwrap()
        .iter()
        .map(|d| d.fid)
        .collect();
    let mut seen = HashSet::new();
    for t in c.turfs().unwrap() {
        for d in t.door_ids {
            assert!(seen.insert(d), "door {d} in two turfs");
        }
    }
    assert_eq!(seen, all, "every door in one turf");
}

/// A 20 × 20 grid of doors 20 m apart, streets by row.
fn grid_doors() -> Vec<(f64, f64, &'static str, u32)> {
    const STREETS: [&str; 20] = [
        "Rue 0", "Rue 1", "Rue 2", "Rue 3", "Rue 4", "Rue 5", "Rue 6", "Rue 7", "Rue 8", "Rue 9",
        "Rue 10", "Rue 11", "Rue 12", "Rue 13", "Rue 14", "Rue 15", "Rue 16", "Rue 17", "Rue 18",
        "Rue 19",
    ];
    let mut v = Vec::new();
    for (j, street) in STREETS.iter().enumerate() {
        for i in 0..20 {
            v.push((
                10.0 + i as f64 * 20.0,
                10.0 + j as f64 * 20.0,
                *street,
                i as u32 + 1,
            ));
        }
    }
    v
}

#[test]
fn a_grid_is_cut_into_balanced_compact_contiguous_turfs() {
    let (_d, mut c) = fixture(400.0, &grid_doors());
    let r = cut(&mut c, CutTarget::DoorsPerTurf(50), false);
    assert_eq!(r.turfs.len(), 8);
    assert_eq!(r.doors, 400);
    assert!(r.doors_ratio <= 1.2, "{r:#?}");
    assert!(r.all_contiguous, "{r:#?}");
    assert!(
        r.compactness_min > 0.3 && r.compactness_mean > 0.4,
        "{r:#?}"
    );
    assert_doors_once(&c);
    // The turfs tile the precinct.
    let total: f64 = r.turfs.iter().map(|t| t.area_m2).sum();
    assert!((total - 160_000.0).abs() < 16.0, "{total}");
    let listed = c.turfs().unwrap();
    assert!(
        listed
            .iter()
            .all(|t| t.minutes > 0.0 && t.precincts == ["P"])
    );
}

#[test]
fn both_sides_of_a_short_street_stay_in_one_turf() {
    // Four parallel east-west streets 60 m apart, 12 houses per side every 8 m (x = 10..98).
    // Each street is one 90 m segment: its 48 doors (both sides) must land in one turf.
    let names = ["Rue A", "Rue B", "Rue C", "Rue D"];
    let mut doors = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let y = 30.0 + k as f64 * 60.0;
        for i in 0..12 {
            let x = 10.0 + i as f64 * 8.0;
            doors.push((x, y - 6.0, *name, 2 * i as u32 + 1));
            doors.push((x, y + 6.0, *name, 2 * i as u32 + 2));
        }
    }
    let (_d, mut c) = fixture(250.0, &doors);
    let r = cut(&mut c, CutTarget::Turfs(2), false);
    assert_eq!(r.turfs.len(), 2);
    assert_eq!((r.doors_min, r.doors_max), (48, 48), "{r:#?}");
    let all = storage::doors::all(c.connection()).unwrap();
    let street_of: HashMap<i64, String> = all.iter().map(|d| (d.fid, d.street.clone())).collect();
    let mut turf_of_street: HashMap<&String, HashSet<i64>> = HashMap::new();
    let turfs = c.turfs().unwrap();
    for t in &turfs {
        for d in &t.door_ids {
            turf_of_street
                .entry(&street_of[d])
                .or_default()
                .insert(t.id);
        }
    }
    assert_eq!(turf_of_street.len(), 4);
    for (street, turfs) in turf_of_street {
        assert_eq!(turfs.len(), 1, "{street} is split between turfs {turfs:?}");
    }
}

#[test]
fn a_building_with_several_doors_is_never_split() {
    // 30 single houses and one 25-door building in the middle of a 100 m square.
    let mut doors: Vec<(f64, f64, &str, u32)> = (0..30)
        .map(|i| {
            (
                5.0 + (i % 6) as f64 * 18.0,
                5.0 + (i / 6) as f64 * 20.0,
                "Rue X",
                i as u32 + 1,
            )
        })
        .collect();
    for _ in 0..25 {
        doors.push((50.0, 52.0, "Rue Y", 7));
    }
    let (_d, mut c) = fixture(110.0, &doors);
    let r = cut(&mut c, CutTarget::Turfs(2), false);
    assert_eq!(r.doors, 55);
    let all = storage::doors::all(c.connection()).unwrap();
    let big: HashSet<i64> = all
        .iter()
        .filter(|d| d.street == "Rue Y")
        .map(|d| d.fid)
        .collect();
    let holders: Vec<usize> = c
        .turfs()
        .unwrap()
        .iter()
        .map(|t| t.door_ids.iter().filter(|d| big.contains(d)).count())
        .filter(|&n| n > 0)
        .collect();
    assert_eq!(holders, vec![25], "the building is whole in one turf");
    assert_doors_once(&c);
}

fn square_ring(x: f64, y: f64, s: f64) -> Vec<Coord<f64>> {
    let f = frame();
    [(x, y), (x + s, y), (x + s, y + s), (x, y + s)]
        .iter()
        .map(|&(x, y)| f.to_wgs84(Coord { x, y }))
        .collect()
}

#[test]
fn a_drawn_turf_overlapping_another_is_clipped_with_a_notice() {
    let (_d, mut c) = fixture(400.0, &grid_doors());
    let a = c
        .create_turf(&square_ring(0.0, 0.0, 100.0), Some("A"))
        .unwrap();
    assert_eq!(a.doors, 25);
    assert!(a.notice.is_none() && a.clipped_m2 == 0.0);
    let b = c.create_turf(&square_ring(50.0, 0.0, 100.0), None).unwrap();
    assert!((b.clipped_m2 - 5_000.0).abs() < 1.0, "{b:?}");
    assert_eq!(b.clipped_by, vec![a.turf_id]);
    assert!(
        b.notice.as_deref().unwrap().contains("5000 m²"),
        "{:?}",
        b.notice
    );
    assert!((b.area_m2 - 5_000.0).abs() < 1.0);
    assert_eq!(
        b.doors, 15,
        "x = 110, 130 and 150 (on the edge) × 5 rows: none of A's"
    );
    let tb = c.turf(b.turf_id).unwrap();
    assert_eq!(tb.name, format!("Turf {}", b.turf_id));
    // A turf entirely inside another is refused, and nothing is written.
    let e = c
        .create_turf(&square_ring(10.0, 10.0, 20.0), None)
        .unwrap_err();
    assert!(e.to_string().contains("entirely inside"), "{e}");
    assert_eq!(c.turfs().unwrap().len(), 2);
    // A cut of the precinct without replace keeps to the free area.
    let r = cut(&mut c, CutTarget::Turfs(4), false);
    assert_eq!(r.doors_in_other_turfs, 40);
    assert_eq!(r.doors, 360);
    assert!((r.clipped_m2 - 15_000.0).abs() < 2.0, "{}", r.clipped_m2);
    assert_doors_once(&c);
}

#[test]
fn edits_undo_and_redo_round_trip_and_survive_reopening() {
    let (dir, mut c) = fixture(400.0, &grid_doors());
    let a = c
        .create_turf(&square_ring(0.0, 0.0, 100.0), Some("A"))
        .unwrap();
    let id = a.turf_id;
    let original = c.turf(id).unwrap();
    // Drag the top-right corner (vertex 2) out to 140 m: more doors.
    let f = frame();
    let at = VertexRef {
        polygon: 0,
        ring: 0,
        vertex: 2,
    };
    let moved = c
        .move_turf_vertex(id, at, f.to_wgs84(Coord { x: 140.0, y: 140.0 }))
        .unwrap();
    assert!(moved.doors > 25, "{}", moved.doors);
    c.rename_turf(id, "North").unwrap();
    c.set_turf_status(id, TurfStatus::Assigned).unwrap();
    c.set_turf_colour(id, "#AA0000").unwrap();
    assert!(c.set_turf_colour(id, "red").is_err());
    let edited = c.turf(id).unwrap();
    assert_eq!(
        (edited.name.as_str(), edited.status, edited.colour.as_str()),
        ("North", TurfStatus::Assigned, "#aa0000")
    );
    c.translate_turf(id, Coord { x: 0.0001, y: 0.0 }).unwrap();
    c.delete_turf(id).unwrap();
    assert!(c.turfs().unwrap().is_empty());
    assert_eq!(
        c.turf_history().unwrap().undo.as_deref(),
        Some("delete North")
    );
    // Undo everything, across a reopen.
    drop(c);
    let mut c = Campaign::open(dir.path().join("t.gpkg")).unwrap();
    assert_eq!(c.undo_turf_edit().unwrap().as_deref(), Some("delete North"));
    assert_eq!(c.turf(id).unwrap().name, "North");
    for _ in 0..5 {
        assert!(c.undo_turf_edit().unwrap().is_some());
    }
    assert_eq!(c.turf(id).unwrap(), original, "back to the drawn square");
    assert_eq!(c.undo_turf_edit().unwrap().as_deref(), Some("draw A"));
    assert!(c.turfs().unwrap().is_empty());
    assert_eq!(c.undo_turf_edit().unwrap(), None);
    assert_eq!(c.turf_history().unwrap().redo.as_deref(), Some("draw A"));
    // Redo it all.
    for _ in 0..7 {
        assert!(c.redo_turf_edit().unwrap().is_some());
    }
    assert_eq!(c.redo_turf_edit().unwrap(), None);
    assert!(c.turfs().unwrap().is_empty(), "the delete was redone too");
    c.undo_turf_edit().unwrap();
    assert_eq!(c.turf(id).unwrap(), {
        let mut t = c.turf(id).unwrap();
        t.name = "North".into();
        t
    });
    // A new edit drops the redo branch.
    c.rename_turf(id, "South").unwrap();
    assert_eq!(c.turf_history().unwrap().redo, None);
    assert_doors_in_at_most_one(&c);
}

fn assert_doors_in_at_most_one(c: &Campaign) {
    let mut seen = HashSet::new();
    for t in c.turfs().unwrap() {
        for d in t.door_ids {
            assert!(seen.insert(d), "door {d} in two turfs");
        }
    }
}

#[test]
fn a_cut_with_replace_is_one_undoable_edit_and_a_filter_drops_doors() {
    let (_d, mut c) = fixture(400.0, &grid_doors());
    let first = cut(&mut c, CutTarget::Turfs(4), false);
    let first_ids: Vec<i64> = first.turfs.iter().map(|t| t.id).collect();
    let e = c
        .cut_turfs(
            &CutRequest {
                precincts: vec!["P".into()],
                area_wgs84: None,
                target: CutTarget::Turfs(4),
                replace: false,
                name_prefix: None,
            },
            None,
            &[],
            &NoProgress,
        )
        .unwrap_err();
    assert!(e.to_string().contains("already covered"), "{e}");
    let second = cut(&mut c, CutTarget::DoorsPerTurf(40), true);
    assert_eq!(second.replaced, first_ids);
    assert_eq!(second.turfs.len(), 10);
    assert_doors_once(&c);
    c.undo_turf_edit().unwrap();
    let ids: Vec<i64> = c.turfs().unwrap().iter().map(|t| t.id).collect();
    assert_eq!(ids, first_ids, "undo restores the first cut");
    assert_doors_once(&c);
    // Only odd house numbers count.
    let odd = |d: &crate::model::turfs::Door| d.number.parse::<u32>().is_ok_and(|n| n % 2 == 1);
    let r = c
        .cut_turfs(
            &CutRequest {
                precincts: vec!["P".into()],
                area_wgs84: None,
                target: CutTarget::Turfs(2),
                replace: true,
                name_prefix: Some("Odd".into()),
            },
            Some(&odd),
            &[],
            &NoProgress,
        )
        .unwrap();
    assert_eq!((r.doors, r.doors_filtered_out), (200, 200));
    assert_eq!(r.turfs[0].name, "Odd · 1");
    let unknown = c.cut_turfs(
        &CutRequest {
            precincts: vec!["ZZ".into()],
            area_wgs84: None,
            target: CutTarget::Turfs(2),
            replace: true,
            name_prefix: None,
        },
        None,
        &[],
        &NoProgress,
    );
    assert!(unknown.unwrap_err().to_string().contains("no precinct ZZ"));
}

#[test]
fn a_barrier_line_is_not_crossed_when_avoidable() {
    // A 20 × 20 grid split at x = 200 by a major road: 2 turfs must be its two halves.
    let (_d, mut c) = fixture(400.0, &grid_doors());
    let f = frame();
    let road = geo_types::LineString::new(vec![
        f.to_wgs84(Coord { x: 200.0, y: -10.0 }),
        f.to_wgs84(Coord { x: 200.0, y: 410.0 }),
    ]);
    // Balance favours a horizontal cut as much as a vertical one; the road decides.
    let r = c
        .cut_turfs(
            &CutRequest {
                precincts: vec!["P".into()],
                area_wgs84: None,
                target: CutTarget::Turfs(2),
                replace: false,
                name_prefix: None,
            },
            None,
            &[road],
            &NoProgress,
        )
        .unwrap();
    assert_eq!(r.barriers, 1);
    let doors = storage::doors::all(c.connection()).unwrap();
    let x_of: HashMap<i64, f64> = doors
        .iter()
        .map(|d| (d.fid, f.to_m(d.pos_wgs84).x))
        .collect();
    for t in c.turfs().unwrap() {
        let west = t.door_ids.iter().filter(|d| x_of[d] < 200.0).count();
        assert!(
            west == 0 || west == t.doors(),
            "{} straddles the road",
            t.name
        );
    }
}
