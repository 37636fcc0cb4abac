//! Streets: OpenStreetMap ways tagged `highway=*` (from .osm XML or .osm.pbf) with their class,
//! name, node ids and WGS84 line, and a walkability decision from a parameterised policy.
//!
//! Every street keeps its ordered OSM node ids, so the street graph (ways split at shared nodes)
//! can be built from the campaign file without reading the OSM file again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use geo_types::{Coord, LineString};
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ImportError, ModelError, ModelResult};
use crate::model::import::Issue;
use crate::model::import::osm::{self, OsmElement, OsmFormat, Tags};
use crate::model::progress::Progress;
use crate::model::storage;

/// Which `highway=*` ways Porte keeps, and which of those a canvasser can walk.
///
/// A way is **skipped** when its `highway` value is in neither list (`proposed`, `construction`,
/// `platform`, `bus_stop`...: not a street). A kept way is **walkable** when its class is in
/// `walkable_highways`, unless `foot=no` (or `access` in `closed_access` without a `foot` value
/// in `foot_allowed`). A class in `drivable_only_highways` (motorways, trunks and their links) is
/// kept for the map but never walkable, unless `foot` is in `foot_allowed` and
/// `foot_overrides_class` is set.
#[derive(Clone, Debug, Serialize)]
pub struct WalkPolicy {
    pub walkable_highways: Vec<String>,
    pub drivable_only_highways: Vec<String>,
    /// `access=*` values that close a way to walkers (`private`, `no`).
    pub closed_access: Vec<String>,
    /// `foot=*` values that open a way to walkers (`yes`, `designated`, `permissive`).
    pub foot_allowed: Vec<String>,
    pub foot_overrides_class: bool,
}

impl Default for WalkPolicy {
    fn default() -> Self {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
        WalkPolicy {
            walkable_highways: v(&[
                "footway",
                "path",
                "pedestrian",
                "steps",
                "living_street",
                "residential",
                "service",
                "unclassified",
                "tertiary",
                "tertiary_link",
                "secondary",
                "secondary_link",
                "primary",
                "primary_link",
                "track",
                "cycleway",
                "bridleway",
                "corridor",
                "road",
            ]),
            drivable_only_highways: v(&["motorway", "motorway_link", "trunk", "trunk_link"]),
            closed_access: v(&["private", "no"]),
            foot_allowed: v(&["yes", "designated", "permissive"]),
            foot_overrides_class: false,
        }
    }
}

/// What the policy says of one way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WayDecision {
    /// Not a street: left out, with the reason.
    Skip(String),
    /// A street; `Err(reason)` when it cannot be walked.
    Keep { walkable: Result<(), String> },
}

impl WalkPolicy {
    /// Decides a way from its tags (`None` when it has no `highway` tag).
    pub fn decide(&self, tags: &Tags<'_>) -> Option<WayDecision> {
        let highway = osm::tag(tags, "highway")?;
        let has = |list: &[String], v: Option<&str>| v.is_some_and(|v| list.iter().any(|x| x == v));
        let foot = osm::tag(tags, "foot");
        let foot_allowed = has(&self.foot_allowed, foot);
        let drivable_only = has(&self.drivable_only_highways, Some(highway));
        if !drivable_only && !has(&self.walkable_highways, Some(highway)) {
            return Some(WayDecision::Skip(format!(
                "highway={highway} is not a street"
            )));
        }
        let walkable = if drivable_only && !(self.foot_overrides_class && foot_allowed) {
            Err(format!("highway={highway}"))
        } else if foot == Some("no") {
            Err("foot=no".to_string())
        } else if let Some(access) = osm::tag(tags, "access")
            && has(&self.closed_access, Some(access))
            && !foot_allowed
        {
            Err(format!("access={access}"))
        } else {
            Ok(())
        };
        Some(WayDecision::Keep { walkable })
    }
}

/// A street read from OSM, about to be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NewStreet {
    pub osm_id: i64,
    pub name: Option<String>,
    pub highway: String,
    pub walkable: bool,
    /// The way's node ids, in order; one per vertex of `line_wgs84`.
    pub node_ids: Vec<i64>,
    pub line_wgs84: LineString<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StreetImportReport {
    pub file: String,
    pub format: OsmFormat,
    /// Every way of the file.
    pub ways_read: usize,
    /// Ways tagged `highway=*`.
    pub highway_ways: usize,
    /// Streets stored (walkable or not).
    pub kept: usize,
    pub walkable: usize,
    /// Kept but not walkable, by reason (`highway=motorway`, `foot=no`, `access=private`).
    pub not_walkable: BTreeMap<String, usize>,
    /// `highway=*` ways left out, by reason (`highway=proposed is not a street`).
    pub skipped: BTreeMap<String, usize>,
    /// Ways with fewer than two nodes in the file (first 100 listed in `issues`).
    pub bad_geometry: usize,
    /// Streets per highway class.
    pub by_highway: BTreeMap<String, usize>,
    /// Distinct nodes of the kept streets, and those shared by two streets or more (junctions).
    pub nodes: usize,
    pub shared_nodes: usize,
    /// Streets of the previous import, replaced by these.
    pub replaced: usize,
    pub issues: Vec<Issue>,
    pub warnings: Vec<String>,
    pub policy: WalkPolicy,
}

const MAX_LISTED_ISSUES: usize = 100;

/// Reads the streets of an OSM file; the report's `replaced` is left at 0.
pub fn read(
    path: &Path,
    policy: &WalkPolicy,
    progress: &dyn Progress,
) -> ModelResult<(Vec<NewStreet>, StreetImportReport)> {
    struct PendingWay {
        osm_id: i64,
        name: Option<String>,
        highway: String,
        /// Why it cannot be walked (`None`: walkable).
        closed_because: Option<String>,
        node_ids: Vec<i64>,
    }
    let mut node_pos: HashMap<i64, Coord<f64>> = HashMap::new();
    let mut pending: Vec<PendingWay> = Vec::new();
    let mut seen_ways: HashSet<i64> = HashSet::new();
    let mut report = StreetImportReport {
        file: path.display().to_string(),
        format: OsmFormat::Xml,
        ways_read: 0,
        highway_ways: 0,
        kept: 0,
        walkable: 0,
        not_walkable: BTreeMap::new(),
        skipped: BTreeMap::new(),
        bad_geometry: 0,
        by_highway: BTreeMap::new(),
        nodes: 0,
        shared_nodes: 0,
        replaced: 0,
        issues: Vec::new(),
        warnings: Vec::new(),
        policy: policy.clone(),
    };
    let mut duplicates = 0usize;
    let summary = osm::for_each_element(path, progress, |el| match el {
        OsmElement::Node { id, pos_wgs84, .. } => {
            node_pos.insert(id, pos_wgs84);
        }
        OsmElement::Way { id, node_ids, tags } => {
            report.ways_read += 1;
            let Some(decision) = policy.decide(tags) else {
                return;
            };
            report.highway_ways += 1;
            match decision {
                WayDecision::Skip(reason) => *report.skipped.entry(reason).or_default() += 1,
                WayDecision::Keep { walkable } => {
                    if !seen_ways.insert(id) {
                        duplicates += 1;
                        return;
                    }
                    pending.push(PendingWay {
                        osm_id: id,
                        name: osm::tag(tags, "name").map(str::to_string),
                        highway: osm::tag(tags, "highway").unwrap_or_default().to_string(),
                        closed_because: walkable.err(),
                        node_ids: node_ids.to_vec(),
                    });
                }
            }
        }
        OsmElement::Relation { .. } => {}
    })?;
    report.format = summary.format.unwrap_or(OsmFormat::Xml);
    if summary.damaged > 0 {
        report.warnings.push(format!(
            "{} damaged OSM objects skipped (the first are listed)",
            summary.damaged
        ));
        report.issues.extend(summary.issues);
    }
    if duplicates > 0 {
        report.warnings.push(format!(
            "{duplicates} ways appear twice; the first copy is kept"
        ));
    }
    progress.set(0.5, "building street lines");
    let mut streets = Vec::with_capacity(pending.len());
    let mut missing_nodes = 0usize;
    for w in pending {
        // Nodes outside the extract are dropped (ways cut at its border keep their inside part).
        let (node_ids, coords): (Vec<i64>, Vec<Coord<f64>>) = w
            .node_ids
            .iter()
            .filter_map(|id| node_pos.get(id).map(|c| (*id, *c)))
            .unzip();
        missing_nodes += w.node_ids.len() - node_ids.len();
        if node_ids.len() < 2 {
            report.bad_geometry += 1;
            if report.issues.len() < MAX_LISTED_ISSUES {
                report.issues.push(Issue {
                    location: format!("way/{}", w.osm_id),
                    message: format!(
                        "{} of its {} nodes in the file: not a line",
                        node_ids.len(),
                        w.node_ids.len()
                    ),
                    action: "skipped".into(),
                });
            }
            continue;
        }
        if let Some(reason) = w.closed_because.clone() {
            *report.not_walkable.entry(reason).or_default() += 1;
        }
        streets.push(NewStreet {
            osm_id: w.osm_id,
            name: w.name,
            highway: w.highway,
            walkable: w.closed_because.is_none(),
            node_ids,
            line_wgs84: LineString::new(coords),
        });
    }
    if missing_nodes > 0 {
        report.warnings.push(format!(
            "{missing_nodes} node references point outside the file; those ways are cut at its edge"
        ));
    }
    let mut node_uses: HashMap<i64, u32> = HashMap::new();
    for s in &streets {
        *report.by_highway.entry(s.highway.clone()).or_default() += 1;
        if s.walkable {
            report.walkable += 1;
        }
        // A closed way touches its first node twice: count each node once per street.
        let mut ids: Vec<i64> = s.node_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            *node_uses.entry(id).or_default() += 1;
        }
    }
    report.kept = streets.len();
    report.nodes = node_uses.len();
    report.shared_nodes = node_uses.values().filter(|n| **n > 1).count();
    Ok((streets, report))
}

impl Campaign {
    /// Imports the streets of an OSM file (.osm, .osm.gz, .osm.pbf), replacing the campaign's
    /// previous streets, with the default [`WalkPolicy`]. One transaction; cancellable.
    pub fn import_streets(
        &mut self,
        file: &Path,
        progress: &dyn Progress,
    ) -> ModelResult<StreetImportReport> {
        self.import_streets_with(file, &WalkPolicy::default(), progress)
    }

    /// [`Campaign::import_streets`] with a chosen walkability policy.
    pub fn import_streets_with(
        &mut self,
        file: &Path,
        policy: &WalkPolicy,
        progress: &dyn Progress,
    ) -> ModelResult<StreetImportReport> {
        progress.set(0.0, "reading streets");
        let (streets, mut report) = read(file, policy, progress)?;
        if streets.is_empty() {
            return Err(ImportError::format(
                file,
                "",
                format!(
                    "no street (way tagged highway=*) among {} ways",
                    report.ways_read
                ),
            )
            .into());
        }
        if progress.is_cancelled() {
            return Err(ModelError::Cancelled);
        }
        progress.set(0.6, "saving streets");
        self.in_transaction(|tx| {
            report.replaced = storage::streets::delete_all(tx)?;
            storage::streets::insert_batch(tx, &streets, progress)?;
            let bbox = storage::streets::extent(tx)?;
            storage::gpkg::refresh_extent(tx, "streets", bbox)?;
            storage::import_log::append(tx, "streets", &report.file, &report)?;
            Ok(())
        })?;
        progress.set(1.0, "done");
        Ok(report)
    }

    /// Every street of the campaign, by OSM way id.
    pub fn streets(&self) -> ModelResult<Vec<storage::streets::Street>> {
        storage::streets::load_all(&self.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide(tags: &[(&str, &str)]) -> Option<WayDecision> {
        WalkPolicy::default().decide(tags)
    }
    fn walkable() -> Option<WayDecision> {
        Some(WayDecision::Keep { walkable: Ok(()) })
    }
    fn not_walkable(why: &str) -> Option<WayDecision> {
        Some(WayDecision::Keep {
            walkable: Err(why.into()),
        })
    }

    #[test]
    fn policy_walks_streets_and_paths_not_motorways() {
        for class in [
            "footway",
            "path",
            "pedestrian",
            "steps",
            "residential",
            "living_street",
            "service",
            "tertiary",
            "primary",
        ] {
            assert_eq!(decide(&[("highway", class)]), walkable(), "{class}");
        }
        for class in ["motorway", "motorway_link", "trunk", "trunk_link"] {
            assert_eq!(
                decide(&[("highway", class)]),
                not_walkable(&format!("highway={class}")),
                "{class}"
            );
        }
        assert_eq!(decide(&[("name", "Rue Haute")]), None);
        assert_eq!(
            decide(&[("highway", "proposed")]),
            Some(WayDecision::Skip("highway=proposed is not a street".into()))
        );
    }

    #[test]
    fn policy_reads_foot_and_access_tags() {
        assert_eq!(
            decide(&[("highway", "residential"), ("foot", "no")]),
            not_walkable("foot=no")
        );
        assert_eq!(
            decide(&[("highway", "service"), ("access", "private")]),
            not_walkable("access=private")
        );
        assert_eq!(
            decide(&[
                ("highway", "service"),
                ("access", "private"),
                ("foot", "yes")
            ]),
            walkable(),
            "foot=yes opens a private road to walkers"
        );
        assert_eq!(
            decide(&[("highway", "trunk"), ("foot", "yes")]),
            not_walkable("highway=trunk"),
            "the default policy never walks trunks"
        );
        let lenient = WalkPolicy {
            foot_overrides_class: true,
            ..WalkPolicy::default()
        };
        assert_eq!(
            lenient.decide(&[("highway", "trunk"), ("foot", "yes")]),
            walkable()
        );
        let strict = WalkPolicy {
            walkable_highways: vec!["footway".into()],
            ..WalkPolicy::default()
        };
        assert_eq!(
            strict.decide(&[("highway", "residential")]),
            Some(WayDecision::Skip(
                "highway=residential is not a street".into()
            ))
        );
    }

    #[test]
    fn xml_streets_keep_nodes_names_and_report_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mini.osm");
        std::fs::write(
            &path,
            r#"<?xml version="1.0"?>
<osm version="0.6">
 <node id="1" lat="48.0" lon="2.0"/><node id="2" lat="48.001" lon="2.0"/>
 <node id="3" lat="48.001" lon="2.001"/><node id="4" lat="48.002" lon="2.002"/>
 <way id="100"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="Rue de l'Église"/></way>
 <way id="101"><nd ref="2"/><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way>
 <way id="102"><nd ref="3"/><nd ref="1"/><tag k="highway" v="footway"/><tag k="foot" v="no"/></way>
 <way id="103"><nd ref="1"/><nd ref="4"/><tag k="highway" v="construction"/></way>
 <way id="104"><nd ref="4"/><nd ref="99"/><tag k="highway" v="path"/></way>
 <way id="105"><nd ref="1"/><nd ref="3"/><tag k="building" v="yes"/></way>
</osm>"#,
        )
        .unwrap();
        let (streets, report) =
            read(&path, &WalkPolicy::default(), &crate::model::NoProgress).unwrap();
        assert_eq!(report.ways_read, 6);
        assert_eq!(report.highway_ways, 5);
        assert_eq!(report.kept, 3);
        assert_eq!(report.walkable, 1);
        assert_eq!(report.bad_geometry, 1);
        assert_eq!(report.issues[0].location, "way/104");
        assert_eq!(
            report.skipped,
            BTreeMap::from([("highway=construction is not a street".to_string(), 1)])
        );
        assert_eq!(
            report.not_walkable,
            BTreeMap::from([
                ("foot=no".to_string(), 1),
                ("highway=motorway".to_string(), 1)
            ])
        );
        assert_eq!(report.nodes, 4);
        assert_eq!(report.shared_nodes, 3, "nodes 1, 2 and 3 join two streets");
        let rue = &streets[0];
        assert_eq!(rue.osm_id, 100);
        assert_eq!(rue.name.as_deref(), Some("Rue de l'Église"));
        assert_eq!(rue.node_ids, vec![1, 2]);
        assert_eq!(rue.line_wgs84.0[1], Coord { x: 2.0, y: 48.001 });
        assert!(rue.walkable);
        assert_eq!(streets[1].node_ids, vec![2, 3, 4]);
        assert!(!streets[1].walkable);
    }
}
