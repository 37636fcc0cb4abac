//! Walking routes: a sample-city turf through `porte route --json` (street graph), Monaco's real
//! streets with doors placed beside them, and a campaign without streets (street order + note).

use crate::common;

use std::collections::HashSet;

use common::{run_porte, shared_data, temp_campaign};
use geo_types::{Coord, MultiPolygon, polygon};
use porte::model::routing::{RouteMethod, RouteOptions};
use porte::model::storage;
use porte::model::storage::addresses::NewAddress;
use porte::model::turfs::frame::LocalFrame;
use porte::model::turfs::{Turf, TurfStatus};
use porte::model::{Campaign, NoProgress};

/// Runs `porte route … --json` and parses it.
fn route_json(args: &[&str]) -> serde_json::Value {
    let (ok, out, err) = run_porte(args);
    assert!(ok, "porte {args:?} failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The address fids of a `porte route --json` order, checked to hold `want` exactly once each.
fn assert_every_door_once(v: &serde_json::Value, want: &[i64]) {
    let order = v["order"].as_array().expect("order");
    let fids: Vec<i64> = order
        .iter()
        .map(|s| s["address_fid"].as_i64().unwrap())
        .collect();
    let unique: HashSet<i64> = fids.iter().copied().collect();
    assert_eq!(unique.len(), fids.len(), "a door twice: {fids:?}");
    assert_eq!(unique, want.iter().copied().collect::<HashSet<_>>());
    for (k, s) in order.iter().enumerate() {
        assert_eq!(s["order"].as_u64().unwrap() as usize, k + 1);
        assert!(s["leg_m"].as_f64().unwrap() >= 0.0);
    }
    assert_eq!(v["doors"].as_u64().unwrap() as usize, want.len());
}

/// A turf holding `door_ids` drawn as a square around them, written straight to storage.
fn write_turf(c: &Campaign, door_ids: Vec<i64>, box_wgs84: [f64; 4]) -> i64 {
    let [x0, y0, x1, y1] = box_wgs84;
    let t = Turf {
        id: 0,
        name: "Drawn".into(),
        geom_wgs84: MultiPolygon(vec![
            polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)],
        ]),
        status: TurfStatus::Planned,
        colour: "#336699".into(),
        precincts: Vec::new(),
        door_ids,
        area_m2: 0.0,
        path_m: 0.0,
        minutes: 0.0,
    };
    storage::turfs::write(c.connection(), &t).unwrap()
}

#[test]
fn a_sample_city_turf_is_routed_on_its_streets_through_the_cli() {
    let (_dir, path) = temp_campaign();
    let p = path.to_str().unwrap();
    let (ok, _, err) = run_porte(&["sample-city", "build", p, "--json"]);
    assert!(ok, "{err}");
    let turf = common::cut_first_precinct(&path, 120);
    assert!(turf.doors() > 20, "{}", turf.doors());
    let id = turf.id.to_string();
    let v = route_json(&["route", p, "--turf", &id, "--json"]);
    assert_eq!(v["method"], "street_graph", "{v}");
    assert_every_door_once(&v, &turf.door_ids);
    let length = v["length_m"].as_f64().unwrap();
    assert!(length > 0.0 && v["minutes"].as_f64().unwrap() > 0.0, "{v}");
    // Open walk: the legs add up to the length; every door has a side.
    let legs: f64 = v["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["leg_m"].as_f64().unwrap())
        .sum();
    assert!(
        (legs - length).abs() < 0.1 * turf.doors() as f64,
        "{legs} vs {length}"
    );
    assert!(
        v["order"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["side"] == "left" || s["side"] == "right")
    );
    // Coming back to the start is longer; zig-zag is not longer than one side then the other
    // (both up to the heuristic's margin: the search is time-capped on a loaded machine).
    let back = route_json(&["route", p, "--turf", &id, "--return", "--json"]);
    assert_every_door_once(&back, &turf.door_ids);
    assert!(back["length_m"].as_f64().unwrap() >= length * 0.95);
    let zig = route_json(&["route", p, "--turf", &id, "--zigzag", "--json"]);
    assert_every_door_once(&zig, &turf.door_ids);
    assert!(
        zig["length_m"].as_f64().unwrap() <= length * 1.05,
        "{zig} vs {length}"
    );
    // An operation's turfs are routed from its meeting point: the first leg starts there.
    let mut c = Campaign::open(&path).unwrap();
    let meeting = c.turf(turf.id).unwrap().geom_wgs84.0[0].exterior().0[0];
    let op = c
        .create_operation(&porte::model::operations::OperationDraft {
            name: "Samedi".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            start: chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(12, 30, 0).unwrap(),
            meeting_point: "Corner".into(),
            meeting_wgs84: Some(geo_types::Point(meeting)),
            contact_phone: String::new(),
            notes: String::new(),
        })
        .unwrap();
    c.add_operation_turfs(op, &[turf.id]).unwrap();
    let routes = c.route_operation_turfs(op).unwrap();
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0].start_wgs84.0, meeting);
    assert_eq!(routes[0].stops.len(), turf.doors());
    assert_eq!(routes[0].path_wgs84.0[0], meeting);
    drop(c);
    // Bad input is named.
    let (ok, _, err) = run_porte(&["route", p, "--turf", "99999", "--json"]);
    assert!(!ok && err.contains("no turf 99999"), "{err}");
    let (ok, _, err) = run_porte(&["route", p, "--turf", &id, "--start", "x", "--json"]);
    assert!(!ok && err.contains("LON,LAT"), "{err}");
}

#[test]
fn monaco_streets_route_doors_placed_beside_them() {
    let Some(pbf) = shared_data("osm/monaco-latest.osm.pbf") else {
        return;
    };
    let (_dir, path) = temp_campaign();
    let p = path.to_str().unwrap();
    let (ok, _, err) = run_porte(&["import", "streets", p, pbf.to_str().unwrap(), "--json"]);
    assert!(ok, "{err}");
    let c = Campaign::open(&path).unwrap();
    let streets = c.streets().unwrap();
    // A door 9 m off the middle of each of 60 named residential streets, numbered along.
    let mut doors = Vec::new();
    for s in streets
        .iter()
        .filter(|s| s.walkable && s.highway == "residential" && s.name.is_some())
        .take(60)
    {
        // The middle segment a → b, in metres from a.
        let pts = &s.line_wgs84.0;
        let k = (pts.len() - 1) / 2;
        let frame = LocalFrame::new(pts[k]);
        let bm = frame.to_m(pts[k + 1]);
        let len = bm.x.hypot(bm.y).max(1e-9);
        // Midpoint of the segment, 9 m to its left.
        let door = frame.to_wgs84(Coord {
            x: bm.x / 2.0 - 9.0 * bm.y / len,
            y: bm.y / 2.0 + 9.0 * bm.x / len,
        });
        doors.push(NewAddress {
            pos_wgs84: door,
            number: (doors.len() + 1).to_string(),
            suffix: None,
            street: s.name.clone().unwrap(),
            postcode: Some("98000".into()),
            city: Some("Monaco".into()),
            source_id: None,
        });
    }
    assert_eq!(doors.len(), 60);
    let codes = vec![None; doors.len()];
    storage::addresses::insert_batch(c.connection(), "test", &doors, &codes, &NoProgress).unwrap();
    let all = storage::doors::all(c.connection()).unwrap();
    let ids: Vec<i64> = all.iter().map(|d| d.fid).collect();
    let turf = write_turf(&c, ids.clone(), [7.40, 43.72, 7.44, 43.76]);
    drop(c);
    let v = route_json(&["route", p, "--turf", &turf.to_string(), "--json"]);
    assert_eq!(v["method"], "street_graph", "{v}");
    assert_every_door_once(&v, &ids);
    // The walk is at least the straight line through the doors (less the 9 m off the street at
    // each end of each leg).
    let c = Campaign::open(&path).unwrap();
    let route = c.route_turf(turf, &RouteOptions::default()).unwrap();
    assert_eq!(route.method, RouteMethod::StreetGraph);
    let frame = LocalFrame::new(route.start_wgs84.0);
    let mut straight = 0.0;
    let mut here = frame.to_m(route.start_wgs84.0);
    for s in &route.stops {
        let q = frame.to_m(s.pos_wgs84.0);
        straight += (q.x - here.x).hypot(q.y - here.y);
        here = q;
    }
    assert!(
        route.length_m + 18.0 * route.stops.len() as f64 >= straight,
        "{} vs straight {straight}",
        route.length_m
    );
    assert!(route.length_m > 1000.0, "{}", route.length_m);
    // The drawn path follows the streets: many more vertices than stops, and about as long.
    assert!(route.path_wgs84.0.len() > 2 * route.stops.len());
    let path_m: f64 = route
        .path_wgs84
        .0
        .windows(2)
        .map(|w| {
            let (a, b) = (frame.to_m(w[0]), frame.to_m(w[1]));
            (b.x - a.x).hypot(b.y - a.y)
        })
        .sum();
    assert!(
        (path_m - route.length_m).abs() < 0.05 * route.length_m + 50.0,
        "path {path_m} vs length {}",
        route.length_m
    );
    // A start point given on the command line is used.
    let v = route_json(&[
        "route",
        p,
        "--turf",
        &turf.to_string(),
        "--start",
        "7.4246,43.7384",
        "--json",
    ]);
    assert_eq!(v["start"][0].as_f64().unwrap(), 7.4246);
    assert_every_door_once(&v, &ids);
}

#[test]
fn without_streets_doors_are_ordered_by_street_and_numbers() {
    let (_dir, path) = temp_campaign();
    let c = Campaign::open(&path).unwrap();
    let frame = LocalFrame::new(Coord { x: 2.35, y: 48.85 });
    let mut doors = Vec::new();
    // Rue A along y = 0: odd numbers north, even south; Rue B 300 m away.
    for (street, y0) in [("Rue A", 0.0), ("Rue B", 300.0)] {
        for n in 1..=6u32 {
            let side = if n % 2 == 1 { 6.0 } else { -6.0 };
            doors.push(NewAddress {
                pos_wgs84: frame.to_wgs84(Coord {
                    x: ((n - 1) / 2) as f64 * 15.0,
                    y: y0 + side,
                }),
                number: n.to_string(),
                suffix: None,
                street: street.into(),
                postcode: None,
                city: None,
                source_id: None,
            });
        }
    }
    let codes = vec![None; doors.len()];
    storage::addresses::insert_batch(c.connection(), "test", &doors, &codes, &NoProgress).unwrap();
    let ids: Vec<i64> = storage::doors::all(c.connection())
        .unwrap()
        .iter()
        .map(|d| d.fid)
        .collect();
    let turf = write_turf(&c, ids.clone(), [2.349, 48.849, 2.352, 48.854]);
    drop(c);
    let p = path.to_str().unwrap();
    let start = frame.to_wgs84(Coord { x: -10.0, y: 3.0 });
    let start = format!("{},{}", start.x, start.y);
    let v = route_json(&[
        "route",
        p,
        "--turf",
        &turf.to_string(),
        "--start",
        &start,
        "--json",
    ]);
    assert_eq!(v["method"], "street_order");
    assert!(
        v["notes"][0]
            .as_str()
            .unwrap()
            .contains("no street graph: ordered by street and house numbers"),
        "{v}"
    );
    assert_every_door_once(&v, &ids);
    let walked: Vec<String> = v["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}{}",
                &s["street"].as_str().unwrap()[4..],
                s["number"].as_str().unwrap()
            )
        })
        .collect();
    // Rue A from the start (west end): odd up, even down; then Rue B from its nearer end (2).
    assert_eq!(&walked[..6], ["A1", "A3", "A5", "A6", "A4", "A2"]);
    assert_eq!(&walked[6..], ["B2", "B4", "B6", "B5", "B3", "B1"]);
    assert!(v["length_m"].as_f64().unwrap() > 300.0);
    assert!(v["minutes"].as_f64().unwrap() > 12.0 * 1.5);
    assert!(v["order"][0]["side"].is_null());
}
