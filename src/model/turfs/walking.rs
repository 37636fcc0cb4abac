//! The walking-time model of a turf, with its parameters stored in the campaign (`turf_settings`).
//!
//! `minutes = doors × minutes_per_door + path_m / walking_speed_m_per_min`, where the path through
//! the turf's `stops` distinct door positions (buildings) spread over `area_m2` is estimated with
//! the Beardwood–Halton–Hammersley law for the shortest tour through n points of an area A,
//! `0.7124 × √(n × A)`, times `detour_factor` because streets are not straight lines (about 1.3
//! in a street grid). With one stop or none the path is 0. The estimate is for planning (which
//! turf fits a two-hour outing), not a route: routing on the street graph comes with walk sheets.

use serde::{Deserialize, Serialize};

/// The Beardwood–Halton–Hammersley constant for the Euclidean plane.
pub const BHH_CONSTANT: f64 = 0.7124;

/// Parameters of the walking-time estimate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalkingModel {
    /// Time spent per door: knock, wait, talk or leave a leaflet (default 1.5).
    pub minutes_per_door: f64,
    /// Walking speed between doors, metres per minute (default 70, about 4.2 km/h).
    pub walking_speed_m_per_min: f64,
    /// Street path length over straight-line length (default 1.3).
    pub detour_factor: f64,
}

impl Default for WalkingModel {
    fn default() -> Self {
        WalkingModel {
            minutes_per_door: 1.5,
            walking_speed_m_per_min: 70.0,
            detour_factor: 1.3,
        }
    }
}

impl WalkingModel {
    /// Refuses parameters that would give a negative or infinite time.
    pub fn check(&self) -> Result<(), String> {
        let ok = |v: f64| v.is_finite() && v >= 0.0;
        if !ok(self.minutes_per_door) {
            return Err(format!(
                "minutes per door {} must be ≥ 0",
                self.minutes_per_door
            ));
        }
        if !(self.walking_speed_m_per_min.is_finite() && self.walking_speed_m_per_min > 0.0) {
            return Err(format!(
                "walking speed {} m/min must be > 0",
                self.walking_speed_m_per_min
            ));
        }
        if !(self.detour_factor.is_finite() && self.detour_factor >= 1.0) {
            return Err(format!("detour factor {} must be ≥ 1", self.detour_factor));
        }
        Ok(())
    }

    /// Estimated walking path through `stops` positions spread over `area_m2`, metres.
    pub fn path_m(&self, stops: usize, area_m2: f64) -> f64 {
        if stops < 2 || area_m2 <= 0.0 {
            return 0.0;
        }
        self.detour_factor * BHH_CONSTANT * (stops as f64 * area_m2).sqrt()
    }

    /// Estimated minutes to visit `doors` doors along a path of `path_m` metres.
    pub fn minutes(&self, doors: usize, path_m: f64) -> f64 {
        doors as f64 * self.minutes_per_door + path_m / self.walking_speed_m_per_min
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_formula() {
        let m = WalkingModel::default();
        // 100 stops over 200 m × 200 m: 1.3 × 0.7124 × √(100 × 40,000) = 1,852.24 m.
        let path = m.path_m(100, 40_000.0);
        assert!((path - 1852.24).abs() < 0.01, "{path}");
        // 120 doors × 1.5 + 1,852.24 / 70 = 206.46 minutes.
        assert!((m.minutes(120, path) - 206.46).abs() < 0.01);
        assert_eq!(m.path_m(1, 40_000.0), 0.0);
        assert!(m.check().is_ok());
        assert!(
            WalkingModel {
                walking_speed_m_per_min: 0.0,
                ..m
            }
            .check()
            .is_err()
        );
    }
}
