//! Phone-ready exports of a turf's route: GPX 1.1 (the walked track and one numbered waypoint
//! per door, for OsmAnd, Organic Maps and the like), a GeoJSON FeatureCollection (the route line
//! and the stops) and a CSV of the ordered doors with empty outcome columns to fill in.

use serde_json::{Value, json};

use crate::model::routing::{Route, RouteStop};

/// "12 bis Rue X".
pub fn stop_address(s: &RouteStop) -> String {
    let number = match s.suffix.as_deref().map(str::trim) {
        Some(x) if !x.is_empty() => format!("{} {x}", s.number),
        _ => s.number.clone(),
    };
    [number.trim(), s.street.trim()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The route as GPX 1.1: metadata, one `wpt` per stop (name = its number), one `trk`.
pub fn route_gpx(route: &Route, turf_name: &str) -> String {
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str(
        "<gpx version=\"1.1\" creator=\"Porte\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n",
    );
    s.push_str(&format!(
        "  <metadata><name>{}</name><desc>{} doors, {:.0} m, {:.0} min</desc></metadata>\n",
        xml_escape(turf_name),
        route.stops.len(),
        route.length_m,
        route.minutes
    ));
    for st in &route.stops {
        s.push_str(&format!(
            "  <wpt lat=\"{:.7}\" lon=\"{:.7}\"><name>{}</name><desc>{}</desc><type>door</type></wpt>\n",
            st.pos_wgs84.y(),
            st.pos_wgs84.x(),
            st.order,
            xml_escape(&stop_address(st))
        ));
    }
    s.push_str(&format!(
        "  <trk><name>{}</name><trkseg>\n",
        xml_escape(turf_name)
    ));
    for c in &route.path_wgs84.0 {
        s.push_str(&format!(
            "    <trkpt lat=\"{:.7}\" lon=\"{:.7}\"/>\n",
            c.y, c.x
        ));
    }
    s.push_str("  </trkseg></trk>\n</gpx>\n");
    s
}

fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// The route as a GeoJSON FeatureCollection: the line first, then one point per stop.
pub fn route_geojson(route: &Route, turf_name: &str) -> Value {
    let mut features = vec![json!({
        "type": "Feature",
        "geometry": {
            "type": "LineString",
            "coordinates": route.path_wgs84.0.iter().map(|c| [round7(c.x), round7(c.y)]).collect::<Vec<_>>(),
        },
        "properties": {
            "kind": "route",
            "turf_id": route.turf_id,
            "turf": turf_name,
            "method": route.method,
            "doors": route.stops.len(),
            "length_m": (route.length_m * 10.0).round() / 10.0,
            "minutes": (route.minutes * 10.0).round() / 10.0,
        },
    })];
    features.extend(route.stops.iter().map(|s| {
        json!({
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round7(s.pos_wgs84.x()), round7(s.pos_wgs84.y())],
            },
            "properties": {
                "kind": "stop",
                "order": s.order,
                "address_fid": s.address_fid,
                "number": s.number,
                "suffix": s.suffix,
                "street": s.street,
                "side": s.side,
                "leg_m": (s.leg_m * 10.0).round() / 10.0,
            },
        })
    }));
    json!({ "type": "FeatureCollection", "features": features })
}

/// Header of the ordered-doors CSV.
pub const DOORS_CSV_HEADER: [&str; 12] = [
    "turf_id",
    "order",
    "address_fid",
    "number",
    "suffix",
    "street",
    "side",
    "lon",
    "lat",
    "outcome",
    "contact",
    "note",
];

/// The ordered doors as CSV (comma-separated, UTF-8), outcome columns left empty.
pub fn route_csv(route: &Route) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(DOORS_CSV_HEADER);
    for s in &route.stops {
        let _ = w.write_record([
            route.turf_id.to_string(),
            s.order.to_string(),
            s.address_fid.to_string(),
            s.number.clone(),
            s.suffix.clone().unwrap_or_default(),
            s.street.clone(),
            s.side.clone().unwrap_or_default(),
            format!("{:.7}", s.pos_wgs84.x()),
            format!("{:.7}", s.pos_wgs84.y()),
            String::new(),
            String::new(),
            String::new(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::export::sheets::tests::sample_route;
    use crate::model::routing::RouteMethod;
    use quick_xml::events::Event;

    #[test]
    fn gpx_is_well_formed_with_one_waypoint_per_door() {
        let mut route = sample_route(23, RouteMethod::StreetGraph);
        route.stops[0].street = "Rue <Tom & \"Jerry\">".into();
        let gpx = route_gpx(&route, "Secteur 3 · Église");
        let mut reader = quick_xml::Reader::from_str(&gpx);
        let (mut wpt, mut trkpt, mut depth, mut names) = (0, 0, 0i32, Vec::new());
        let (mut in_wpt, mut in_wpt_name) = (false, false);
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    depth += 1;
                    match e.name().as_ref() {
                        b"wpt" => {
                            wpt += 1;
                            in_wpt = true;
                        }
                        b"name" if in_wpt => in_wpt_name = true,
                        _ => {}
                    }
                }
                Event::Empty(e) if e.name().as_ref() == b"trkpt" => trkpt += 1,
                Event::Text(t) if in_wpt_name => {
                    names.push(String::from_utf8_lossy(&t).into_owned());
                    in_wpt_name = false;
                }
                Event::End(e) => {
                    depth -= 1;
                    in_wpt_name = false;
                    if e.name().as_ref() == b"wpt" {
                        in_wpt = false;
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        assert_eq!(wpt, 23);
        assert_eq!(trkpt, route.path_wgs84.0.len());
        assert_eq!(names.first().map(String::as_str), Some("1"));
        assert_eq!(names.last().map(String::as_str), Some("23"));
        assert!(gpx.contains("Rue &lt;Tom &amp; &quot;Jerry&quot;&gt;"));
    }

    #[test]
    fn geojson_and_csv_list_the_doors_in_order() {
        let route = sample_route(5, RouteMethod::StreetOrder);
        let gj = route_geojson(&route, "T");
        let f = gj["features"].as_array().unwrap();
        assert_eq!(f.len(), 6);
        assert_eq!(f[0]["geometry"]["type"], "LineString");
        assert_eq!(f[0]["properties"]["method"], "street_order");
        assert_eq!(f[5]["properties"]["order"], 5);
        gj.to_string()
            .parse::<geojson::GeoJson>()
            .expect("valid GeoJSON");
        let csv = route_csv(&route);
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>(),
            DOORS_CSV_HEADER
        );
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(&rows[2][1], "3");
        assert_eq!(&rows[2][2], "1002");
        assert_eq!(&rows[3][4], "bis");
        assert!(rows.iter().all(|r| r[9].is_empty() && r[11].is_empty()));
    }
}
