//! A synthetic quarter for the turf benchmark and tests: one square precinct with a street grid
//! and doors on both sides of every street (some buildings with several doors), deterministic.

use geo_types::{Coord, MultiPolygon, polygon};

use crate::model::campaign::Campaign;
use crate::model::error::ModelResult;
use crate::model::progress::NoProgress;
use crate::model::storage;
use crate::model::storage::addresses::NewAddress;
use crate::model::storage::precincts::NewPrecinct;
use crate::model::turfs::frame::LocalFrame;

/// The precinct code of the synthetic quarter.
pub const SYNTHETIC_PRECINCT: &str = "Q-1";

/// Fills `campaign` (replacing its precincts) with one square precinct holding exactly `doors`
/// doors along a grid of streets 100 m apart, houses every 12 m on both sides, every fifth
/// building with three doors. Returns the precinct code.
pub fn build_synthetic_quarter(campaign: &mut Campaign, doors: usize) -> ModelResult<String> {
    let origin = Coord { x: 2.35, y: 48.85 };
    let frame = LocalFrame::new(origin);
    let block = 100.0;
    let mut side_m = block;
    let out = loop {
        let out = grid_doors(&frame, side_m, block, doors);
        if out.len() == doors {
            break out;
        }
        side_m += block;
    };
    let corner = |x: f64, y: f64| frame.to_wgs84(Coord { x, y });
    let (a, b, c, d) = (
        corner(0.0, 0.0),
        corner(side_m, 0.0),
        corner(side_m, side_m),
        corner(0.0, side_m),
    );
    let square = MultiPolygon(vec![polygon![a, b, c, d]]);
    campaign.in_transaction(|tx| {
        storage::precincts::replace_all(
            tx,
            &[NewPrecinct {
                code: SYNTHETIC_PRECINCT,
                name: Some("Synthetic quarter"),
                source_feature: 1,
                attributes_json: "{}".into(),
                geom_wgs84: &square,
            }],
        )?;
        storage::addresses::delete_source(tx, "synthetic")?;
        let codes = vec![Some(SYNTHETIC_PRECINCT); out.len()];
        storage::addresses::insert_batch(tx, "synthetic", &out, &codes, &NoProgress)?;
        Ok(())
    })?;
    Ok(SYNTHETIC_PRECINCT.to_string())
}

/// Adds (replacing the campaign's streets) the street grid the synthetic quarter's doors stand
/// along: residential ways every 100 m across the precinct's square, "Rue N" east–west and
/// "Avenue N" north–south, meeting at shared node ids. Returns how many streets.
pub fn add_synthetic_streets(campaign: &mut Campaign) -> ModelResult<usize> {
    use crate::model::import::streets::NewStreet;
    let origin = Coord { x: 2.35, y: 48.85 };
    let frame = LocalFrame::new(origin);
    let block = 100.0;
    let square = campaign
        .precincts()?
        .into_iter()
        .find(|p| p.code == SYNTHETIC_PRECINCT)
        .ok_or_else(|| {
            crate::model::error::ModelError::Invalid(format!(
                "no synthetic precinct {SYNTHETIC_PRECINCT}: build the quarter first"
            ))
        })?;
    let side_m = geo::BoundingRect::bounding_rect(&square.geom_wgs84)
        .map(|r| frame.to_m(r.max()).x)
        .unwrap_or(block);
    let lines = (side_m / block).round() as i64;
    let node = |i: i64, j: i64| 1_000_000 + i * 1_000 + j;
    let mut streets = Vec::new();
    for horizontal in [true, false] {
        for line in 0..=lines {
            let (mut pts, mut ids) = (Vec::new(), Vec::new());
            for k in 0..=lines {
                let (x, y) = if horizontal {
                    (k as f64 * block, line as f64 * block)
                } else {
                    (line as f64 * block, k as f64 * block)
                };
                pts.push(frame.to_wgs84(Coord { x, y }));
                ids.push(if horizontal {
                    node(k, line)
                } else {
                    node(line, k)
                });
            }
            streets.push(NewStreet {
                osm_id: streets.len() as i64 + 1,
                name: Some(if horizontal {
                    format!("Rue {}", line + 1)
                } else {
                    format!("Avenue {}", line + 1)
                }),
                highway: "residential".into(),
                walkable: true,
                node_ids: ids,
                line_wgs84: geo_types::LineString(pts),
            });
        }
    }
    campaign.in_transaction(|tx| {
        storage::streets::delete_all(tx)?;
        storage::streets::insert_batch(tx, &streets, &NoProgress)?;
        let bbox = storage::streets::extent(tx)?;
        storage::gpkg::refresh_extent(tx, "streets", bbox)?;
        Ok(())
    })?;
    Ok(streets.len())
}

/// Doors along a grid of streets `block` apart over a `side_m` square, at most `limit`.
fn grid_doors(frame: &LocalFrame, side_m: f64, block: f64, limit: usize) -> Vec<NewAddress> {
    let mut out: Vec<NewAddress> = Vec::with_capacity(limit);
    let mut building = 0usize;
    for horizontal in [true, false] {
        let mut line = 0;
        while (line as f64) * block <= side_m {
            let along_street = line as f64 * block;
            let street = if horizontal {
                format!("Rue {}", line + 1)
            } else {
                format!("Avenue {}", line + 1)
            };
            let mut number = [1u32, 2u32];
            let mut s = 6.0;
            while s < side_m - 6.0 {
                let in_block = s % block;
                if !(8.0..=block - 8.0).contains(&in_block) {
                    s += 12.0;
                    continue;
                }
                for (side, offset) in [(0, -7.0), (1, 7.0)] {
                    let (x, y) = if horizontal {
                        (s, along_street + offset)
                    } else {
                        (along_street + offset, s)
                    };
                    if !(1.0..side_m - 1.0).contains(&x) || !(1.0..side_m - 1.0).contains(&y) {
                        continue;
                    }
                    building += 1;
                    let n = if building.is_multiple_of(5) { 3 } else { 1 };
                    for _ in 0..n {
                        if out.len() == limit {
                            return out;
                        }
                        out.push(NewAddress {
                            pos_wgs84: frame.to_wgs84(Coord { x, y }),
                            number: number[side].to_string(),
                            suffix: None,
                            street: street.clone(),
                            postcode: Some("75000".into()),
                            city: Some("Synthetic".into()),
                            source_id: Some(format!("syn-{}", out.len())),
                        });
                    }
                    number[side] += 2;
                }
                s += 12.0;
            }
            line += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quarter_has_the_doors_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Campaign::open(dir.path().join("q.gpkg")).unwrap();
        let code = build_synthetic_quarter(&mut c, 5000).unwrap();
        let (all, inside) = storage::addresses::counts(c.connection()).unwrap();
        assert_eq!((all, inside), (5000, 5000));
        assert_eq!(c.precincts().unwrap()[0].code, code);
        // 5,000 doors need a 1,200 m square: 13 streets each way, meeting at shared nodes.
        assert_eq!(add_synthetic_streets(&mut c).unwrap(), 26);
        let streets = c.streets().unwrap();
        let shared = streets[0]
            .node_ids
            .iter()
            .filter(|id| streets[13..].iter().any(|s| s.node_ids.contains(id)))
            .count();
        assert_eq!(shared, 13);
    }
}
