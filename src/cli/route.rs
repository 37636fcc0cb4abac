//! `porte route CAMPAIGN --turf ID [--start LON,LAT] [--zigzag] [--return] [--json]`: the walking
//! route of a turf (street graph or street order), its length, time and door order.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::model::Campaign;
use crate::model::routing::{Route, RouteMethod, RouteOptions, SideMode};

#[derive(Args, Debug)]
pub struct RouteArgs {
    /// Campaign file.
    pub campaign: PathBuf,
    /// Turf id (see `porte turfs list`).
    #[arg(long)]
    pub turf: i64,
    /// Start point LON,LAT (default: the door nearest the turf's centre).
    #[arg(long, value_name = "LON,LAT")]
    pub start: Option<String>,
    /// Cross back and forth on every street instead of walking one side then the other.
    #[arg(long)]
    pub zigzag: bool,
    /// Zig-zag residential streets only (busier streets are walked one side then the other).
    #[arg(long, conflicts_with = "zigzag")]
    pub zigzag_residential: bool,
    /// Come back to the start at the end.
    #[arg(long = "return")]
    pub return_to_start: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct StopReport<'a> {
    order: usize,
    address_fid: i64,
    number: String,
    street: &'a str,
    side: Option<&'a str>,
    leg_m: f64,
}

#[derive(Serialize)]
struct RouteReport<'a> {
    turf_id: i64,
    method: RouteMethod,
    length_m: f64,
    doors: usize,
    minutes: f64,
    start: [f64; 2],
    order: Vec<StopReport<'a>>,
    notes: &'a [String],
}

/// Parses `LON,LAT` (WGS84 degrees).
pub fn parse_lon_lat(s: &str) -> anyhow::Result<geo_types::Point<f64>> {
    let bad = || anyhow::anyhow!("--start {s}: expected LON,LAT in degrees, e.g. 7.42,43.73");
    let (lon, lat) = s.split_once(',').ok_or_else(bad)?;
    let (lon, lat): (f64, f64) = (
        lon.trim().parse().map_err(|_| bad())?,
        lat.trim().parse().map_err(|_| bad())?,
    );
    if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
        return Err(bad());
    }
    Ok(geo_types::Point::new(lon, lat))
}

fn report(r: &Route) -> RouteReport<'_> {
    RouteReport {
        turf_id: r.turf_id,
        method: r.method,
        length_m: (r.length_m * 10.0).round() / 10.0,
        doors: r.stops.len(),
        minutes: (r.minutes * 10.0).round() / 10.0,
        start: [r.start_wgs84.x(), r.start_wgs84.y()],
        order: r
            .stops
            .iter()
            .map(|s| StopReport {
                order: s.order,
                address_fid: s.address_fid,
                number: format!("{}{}", s.number, s.suffix.as_deref().unwrap_or("")),
                street: &s.street,
                side: s.side.as_deref(),
                leg_m: (s.leg_m * 10.0).round() / 10.0,
            })
            .collect(),
        notes: &r.notes,
    }
}

pub fn run(args: RouteArgs) -> anyhow::Result<()> {
    let options = RouteOptions {
        start_wgs84: args.start.as_deref().map(parse_lon_lat).transpose()?,
        return_to_start: args.return_to_start,
        side_mode: if args.zigzag {
            SideMode::ZigZag
        } else {
            SideMode::OneSideThenOther
        },
        zigzag_residential: args.zigzag_residential,
    };
    let c = Campaign::open(&args.campaign)?;
    let route = c.route_turf(args.turf, &options)?;
    let rep = report(&route);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rep)?);
        return Ok(());
    }
    println!(
        "turf {}: {} doors, {:.0} m, {:.0} min ({})",
        rep.turf_id,
        rep.doors,
        rep.length_m,
        rep.minutes,
        match rep.method {
            RouteMethod::StreetGraph => "street graph",
            RouteMethod::StreetOrder => "street order",
        }
    );
    for n in rep.notes {
        println!("note: {n}");
    }
    for s in &rep.order {
        println!(
            "{:>4}. {} {}{}  (+{:.0} m)",
            s.order,
            s.number,
            s.street,
            s.side.map(|x| format!(", {x}")).unwrap_or_default(),
            s.leg_m
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_parses_or_names_the_problem() {
        let p = parse_lon_lat(" 7.42, 43.73").unwrap();
        assert_eq!((p.x(), p.y()), (7.42, 43.73));
        for bad in ["7.42", "a,b", "200,10"] {
            let e = parse_lon_lat(bad).unwrap_err().to_string();
            assert!(e.contains("LON,LAT"), "{e}");
        }
    }
}
