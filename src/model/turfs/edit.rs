//! The turf operations the GUI and the CLI share, on [`Campaign`]: list, create from a drawn
//! ring, vertex edits, move, reshape, delete, rename, status, colour, undo and redo. Every edit
//! is one transaction that also records the affected turfs before and after it, so undo/redo
//! (Ctrl+Z / Ctrl+Shift+Z in the GUI) survive a restart. A new or reshaped turf is clipped to
//! the area the other turfs leave free, and its doors are recomputed (doors other turfs hold
//! stay with them).

use std::collections::{BTreeSet, HashSet};

use geo::InteriorPoint;
use geo_types::{Coord, MultiPolygon};
use serde::Serialize;

use crate::model::campaign::Campaign;
use crate::model::error::{ModelError, ModelResult};
use crate::model::spatial::PrecinctLocator;
use crate::model::storage;
use crate::model::turfs::doors::doors_inside;
use crate::model::turfs::frame::area_m2;
use crate::model::turfs::shape::{self, CheckedShape, VertexRef};
use crate::model::turfs::{PALETTE, Turf, TurfStatus, WalkingModel, parse_colour};

/// What an edit did.
#[derive(Clone, Debug, Serialize)]
pub struct TurfEditOutcome {
    /// The turf after the edit (`None` after a delete).
    #[serde(skip)]
    pub turf: Option<Turf>,
    pub turf_id: i64,
    pub doors: usize,
    pub area_m2: f64,
    /// Surface cut away because other turfs already covered it, square metres.
    pub clipped_m2: f64,
    /// The turfs it was clipped against.
    pub clipped_by: Vec<i64>,
    /// Why the outline had to be repaired, when it had to.
    pub repaired: Option<String>,
    /// A sentence for the user when the edit was clipped or repaired.
    pub notice: Option<String>,
}

/// What Ctrl+Z and Ctrl+Shift+Z would do now.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TurfHistory {
    /// Label of the edit undo would revert.
    pub undo: Option<String>,
    /// Label of the edit redo would make again.
    pub redo: Option<String>,
}

/// A turf as `porte turfs list` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct TurfSummary {
    pub id: i64,
    pub name: String,
    pub doors: usize,
    pub area_m2: f64,
    pub precincts: Vec<String>,
    pub minutes: f64,
    pub path_m: f64,
    pub status: TurfStatus,
    pub colour: String,
}

impl Turf {
    pub fn summary(&self) -> TurfSummary {
        TurfSummary {
            id: self.id,
            name: self.name.clone(),
            doors: self.doors(),
            area_m2: self.area_m2,
            precincts: self.precincts.clone(),
            minutes: self.minutes,
            path_m: self.path_m,
            status: self.status,
            colour: self.colour.clone(),
        }
    }
}

impl Campaign {
    /// Every turf, by id.
    pub fn turfs(&self) -> ModelResult<Vec<Turf>> {
        storage::turfs::load_all(&self.conn)
    }

    /// Turf `id`, or an error naming it.
    pub fn turf(&self, id: i64) -> ModelResult<Turf> {
        storage::turfs::load(&self.conn, id)?
            .ok_or_else(|| ModelError::Invalid(format!("no turf {id} in the campaign")))
    }

    /// The walking-time parameters (defaults until saved).
    pub fn walking_model(&self) -> ModelResult<WalkingModel> {
        storage::turfs::load_walking_model(&self.conn)
    }

    /// Saves the walking-time parameters and re-estimates every turf's path and minutes.
    pub fn save_walking_model(&mut self, m: &WalkingModel) -> ModelResult<()> {
        m.check().map_err(ModelError::Invalid)?;
        let old = self.walking_model()?;
        self.in_transaction(|tx| {
            storage::turfs::save_walking_model(tx, m)?;
            for mut t in storage::turfs::load_all(tx)? {
                t.path_m *= m.detour_factor / old.detour_factor;
                t.minutes = m.minutes(t.doors(), t.path_m);
                storage::turfs::write(tx, &t)?;
            }
            Ok(())
        })
    }

    /// What undo and redo would do now.
    pub fn turf_history(&self) -> ModelResult<TurfHistory> {
        Ok(TurfHistory {
            undo: storage::turfs::last_done(&self.conn)?.map(|e| e.1),
            redo: storage::turfs::first_undone(&self.conn)?.map(|e| e.1),
        })
    }

    /// A new turf from a drawn ring (lon/lat; closed or not), made valid and clipped to the free
    /// area. `name` defaults to "Turf N".
    pub fn create_turf(
        &mut self,
        ring_wgs84: &[Coord<f64>],
        name: Option<&str>,
    ) -> ModelResult<TurfEditOutcome> {
        let shape = shape::polygon_from_ring(ring_wgs84)?;
        let next: i64 = self.conn.query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'turfs'), 0) + 1",
            [],
            |r| r.get(0),
        )?;
        let name = match name.map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => format!("Turf {next}"),
        };
        let base = Turf {
            id: 0,
            name: name.clone(),
            geom_wgs84: MultiPolygon(vec![]),
            status: TurfStatus::Planned,
            colour: PALETTE[(next as usize - 1) % PALETTE.len()].to_string(),
            precincts: Vec::new(),
            door_ids: Vec::new(),
            area_m2: 0.0,
            path_m: 0.0,
            minutes: 0.0,
        };
        self.commit_shape(&format!("draw {name}"), None, base, shape)
    }

    /// Moves one vertex of turf `id` to `to_wgs84`.
    pub fn move_turf_vertex(
        &mut self,
        id: i64,
        at: VertexRef,
        to_wgs84: Coord<f64>,
    ) -> ModelResult<TurfEditOutcome> {
        let t = self.turf(id)?;
        let s = shape::move_vertex(&t.geom_wgs84, at, to_wgs84)?;
        self.commit_shape(
            &format!("move a vertex of {}", t.name),
            Some(t.clone()),
            t,
            s,
        )
    }

    /// Inserts a vertex on the edge after `after` (it becomes vertex `after.vertex + 1`).
    pub fn insert_turf_vertex(
        &mut self,
        id: i64,
        after: VertexRef,
        pos_wgs84: Coord<f64>,
    ) -> ModelResult<TurfEditOutcome> {
        let t = self.turf(id)?;
        let s = shape::insert_vertex(&t.geom_wgs84, after, pos_wgs84)?;
        self.commit_shape(
            &format!("add a vertex to {}", t.name),
            Some(t.clone()),
            t,
            s,
        )
    }

    /// Deletes one vertex (a ring keeps at least 3).
    pub fn delete_turf_vertex(&mut self, id: i64, at: VertexRef) -> ModelResult<TurfEditOutcome> {
        let t = self.turf(id)?;
        let s = shape::delete_vertex(&t.geom_wgs84, at)?;
        self.commit_shape(
            &format!("delete a vertex of {}", t.name),
            Some(t.clone()),
            t,
            s,
        )
    }

    /// Moves turf `id` by `delta_wgs84` (degrees of longitude and latitude).
    pub fn translate_turf(
        &mut self,
        id: i64,
        delta_wgs84: Coord<f64>,
    ) -> ModelResult<TurfEditOutcome> {
        let t = self.turf(id)?;
        let s = shape::translate(&t.geom_wgs84, delta_wgs84)?;
        self.commit_shape(&format!("move {}", t.name), Some(t.clone()), t, s)
    }

    /// Replaces the outline of turf `id` (e.g. after snapping to precinct or street lines).
    pub fn reshape_turf(
        &mut self,
        id: i64,
        geom_wgs84: MultiPolygon<f64>,
    ) -> ModelResult<TurfEditOutcome> {
        let t = self.turf(id)?;
        let s = shape::make_valid(geom_wgs84)?;
        self.commit_shape(&format!("reshape {}", t.name), Some(t.clone()), t, s)
    }

    /// Deletes turf `id` (undoable).
    pub fn delete_turf(&mut self, id: i64) -> ModelResult<()> {
        let t = self.turf(id)?;
        self.in_transaction(|tx| {
            storage::turfs::delete(tx, id)?;
            storage::turfs::record_edit(
                tx,
                &format!("delete {}", t.name),
                &[(id, Some(t.clone()))],
                &[(id, None)],
            )?;
            storage::turfs::refresh_extent(tx)
        })
    }

    pub fn rename_turf(&mut self, id: i64, name: &str) -> ModelResult<()> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ModelError::Invalid("a turf needs a name".into()));
        }
        self.edit_attributes(id, |t| {
            let label = format!("rename {} to {name}", t.name);
            t.name = name.to_string();
            label
        })
    }

    pub fn set_turf_status(&mut self, id: i64, status: TurfStatus) -> ModelResult<()> {
        self.edit_attributes(id, |t| {
            t.status = status;
            format!("mark {} {}", t.name, status.as_str())
        })
    }

    /// Sets the colour (`#rrggbb`).
    pub fn set_turf_colour(&mut self, id: i64, colour: &str) -> ModelResult<()> {
        let c = parse_colour(colour)
            .ok_or_else(|| ModelError::Invalid(format!("colour {colour:?}: expected #rrggbb")))?;
        self.edit_attributes(id, |t| {
            t.colour = c;
            format!("recolour {}", t.name)
        })
    }

    /// Reverts the last edit; returns its label, or `None` when there is nothing to undo.
    pub fn undo_turf_edit(&mut self) -> ModelResult<Option<String>> {
        self.in_transaction(|tx| {
            let Some((edit, label)) = storage::turfs::last_done(tx)? else {
                return Ok(None);
            };
            apply_states(tx, storage::turfs::edit_states(tx, edit, "before")?)?;
            storage::turfs::set_undone(tx, edit, true)?;
            Ok(Some(label))
        })
    }

    /// Makes the last undone edit again; returns its label, or `None` when there is none.
    pub fn redo_turf_edit(&mut self) -> ModelResult<Option<String>> {
        self.in_transaction(|tx| {
            let Some((edit, label)) = storage::turfs::first_undone(tx)? else {
                return Ok(None);
            };
            apply_states(tx, storage::turfs::edit_states(tx, edit, "after")?)?;
            storage::turfs::set_undone(tx, edit, false)?;
            Ok(Some(label))
        })
    }

    /// Recomputes every turf's doors from its outline (after addresses were re-imported);
    /// returns how many doors the turfs hold. Not an undoable edit.
    pub fn refresh_turf_doors(&mut self) -> ModelResult<usize> {
        self.in_transaction(|tx| {
            let doors = storage::doors::all(tx)?;
            let walking = storage::turfs::load_walking_model(tx)?;
            let precincts = storage::precincts::load_all(tx)?;
            tx.execute("DELETE FROM turf_doors", [])?;
            let mut claimed = HashSet::new();
            let mut total = 0;
            for mut t in storage::turfs::load_all(tx)? {
                fill_doors(&mut t, &doors, &claimed, &walking, &precincts);
                claimed.extend(t.door_ids.iter().copied());
                total += t.doors();
                storage::turfs::write(tx, &t)?;
            }
            Ok(total)
        })
    }

    fn edit_attributes(&mut self, id: i64, f: impl FnOnce(&mut Turf) -> String) -> ModelResult<()> {
        let before = self.turf(id)?;
        let mut after = before.clone();
        let label = f(&mut after);
        self.in_transaction(|tx| {
            storage::turfs::write(tx, &after)?;
            storage::turfs::record_edit(
                tx,
                &label,
                &[(id, Some(before))],
                &[(id, Some(after.clone()))],
            )?;
            Ok(())
        })
    }

    /// Clips `shape` to the free area, recomputes doors, precincts and walking time, writes the
    /// turf (new when `before` is `None`) and records the edit, in one transaction.
    fn commit_shape(
        &mut self,
        label: &str,
        before: Option<Turf>,
        mut turf: Turf,
        shape: CheckedShape,
    ) -> ModelResult<TurfEditOutcome> {
        let id = before.as_ref().map(|t| t.id);
        self.in_transaction(|tx| {
            let others: Vec<Turf> = storage::turfs::load_all(tx)?
                .into_iter()
                .filter(|t| Some(t.id) != id)
                .collect();
            let geoms: Vec<&MultiPolygon<f64>> = others.iter().map(|t| &t.geom_wgs84).collect();
            let drawn_m2 = area_m2(&shape.geom_wgs84);
            let clipped = shape::clip_to_free(&shape.geom_wgs84, &geoms);
            let kept_m2 = area_m2(&clipped);
            let clipped_m2 = (drawn_m2 - kept_m2).max(0.0);
            let clipped_by: Vec<i64> = if clipped_m2 >= shape::MIN_AREA_M2 {
                use geo::Intersects;
                others
                    .iter()
                    .filter(|t| t.geom_wgs84.intersects(&shape.geom_wgs84))
                    .map(|t| t.id)
                    .collect()
            } else {
                Vec::new()
            };
            if clipped.0.is_empty() {
                return Err(ModelError::Invalid(format!(
                    "the turf lies entirely inside other turfs ({})",
                    clipped_by
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            turf.geom_wgs84 = clipped;
            let doors = storage::doors::all(tx)?;
            let claimed = storage::turfs::claimed_doors(tx, id)?;
            let walking = storage::turfs::load_walking_model(tx)?;
            let precincts = storage::precincts::load_all(tx)?;
            fill_doors(&mut turf, &doors, &claimed, &walking, &precincts);
            turf.id = storage::turfs::write(tx, &turf)?;
            storage::turfs::record_edit(
                tx,
                label,
                &[(turf.id, before.clone())],
                &[(turf.id, Some(turf.clone()))],
            )?;
            storage::turfs::refresh_extent(tx)?;
            let mut notes = Vec::new();
            if let Some(why) = &shape.repaired {
                notes.push(format!(
                    "the outline crossed itself ({why}) and was repaired"
                ));
            }
            if clipped_m2 >= shape::MIN_AREA_M2 {
                notes.push(format!(
                    "{:.0} m² ({:.0} %) overlapping turf(s) {} was left out: turfs do not overlap",
                    clipped_m2,
                    100.0 * clipped_m2 / drawn_m2.max(f64::MIN_POSITIVE),
                    clipped_by
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            Ok(TurfEditOutcome {
                turf_id: turf.id,
                doors: turf.doors(),
                area_m2: turf.area_m2,
                turf: Some(turf.clone()),
                clipped_m2,
                clipped_by,
                repaired: shape.repaired.clone(),
                notice: (!notes.is_empty()).then(|| notes.join("; ")),
            })
        })
    }
}

/// Sets a turf's doors (those inside and not `claimed`), precincts, area, path and minutes.
fn fill_doors(
    t: &mut Turf,
    doors: &[crate::model::turfs::Door],
    claimed: &HashSet<i64>,
    walking: &WalkingModel,
    precincts: &[crate::model::precinct::Precinct],
) {
    let inside: Vec<usize> = doors_inside(doors, &t.geom_wgs84)
        .into_iter()
        .filter(|&i| !claimed.contains(&doors[i].fid))
        .collect();
    t.door_ids = inside.iter().map(|&i| doors[i].fid).collect();
    t.door_ids.sort_unstable();
    let mut codes: BTreeSet<String> = inside
        .iter()
        .filter_map(|&i| doors[i].precinct_code.clone())
        .collect();
    if codes.is_empty()
        && let Some(p) = t.geom_wgs84.interior_point()
    {
        let locator = PrecinctLocator::new(precincts.iter().map(|p| &p.geom_wgs84).collect());
        if let Some(k) = locator.locate(p.0) {
            codes.insert(precincts[k].code.clone());
        }
    }
    t.precincts = codes.into_iter().collect();
    t.area_m2 = area_m2(&t.geom_wgs84);
    let stops: HashSet<(u64, u64)> = inside
        .iter()
        .map(|&i| {
            (
                doors[i].pos_wgs84.x.to_bits(),
                doors[i].pos_wgs84.y.to_bits(),
            )
        })
        .collect();
    t.path_m = walking.path_m(stops.len(), t.area_m2);
    t.minutes = walking.minutes(t.doors(), t.path_m);
}

/// Writes the turfs of one side of an edit (absent ones deleted first, so their doors are free).
fn apply_states(
    tx: &rusqlite::Connection,
    mut states: Vec<storage::turfs::TurfState>,
) -> ModelResult<()> {
    states.sort_by_key(|(_, t)| t.is_some());
    for (id, t) in &states {
        match t {
            None => storage::turfs::delete(tx, *id)?,
            Some(t) => {
                storage::turfs::write(tx, t)?;
            }
        }
    }
    storage::turfs::refresh_extent(tx)
}
