//! The app's side of field results: a turf's tally, a door's visit and its contact, the themes,
//! and the results import window.

use super::*;

impl PorteApp {
    /// Records a turf's tally through the model (one transaction, refused while a job writes the
    /// campaign); the model's refusal is shown in the tab. Then the totals are read again and
    /// the coverage map recoloured.
    pub(super) fn record_tally(&mut self, tally: crate::model::results::Tally) {
        let t = self.t();
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        if let Some(job) = &self.job {
            self.results.error = Some(fill(t.wait_for_job, &[&job.label]));
            return;
        }
        match Campaign::open(&path).and_then(|mut c| c.record_tally(&tally)) {
            Ok(stored) => {
                let name = self
                    .campaign
                    .as_ref()
                    .and_then(|v| v.turfs.iter().find(|x| x.id == stored.turf_id))
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| stored.turf_id.to_string());
                let notice = fill(t.results_recorded, &[&name, &stored.tallied_on]);
                self.results.error = None;
                self.results.clear_counts();
                self.results.notice = Some(notice.clone());
                self.status = notice;
                self.results.stale = true;
                self.dashboard.stale = true;
                self.results.refresh(&path);
                if self.colour.variable == Variable::Coverage || self.compare.on {
                    self.recolor();
                }
            }
            Err(e) => {
                self.results.error = Some(e.to_string());
                self.results.notice = None;
            }
        }
    }
}

impl PorteApp {
    /// Records one door's visit and its contact through the model (one transaction, refused
    /// while a job writes the campaign); the door entry moves to the next door, the totals are
    /// read again and the coverage map recoloured. The model's refusal is shown in the tab.
    pub(super) fn record_visit(&mut self, record: crate::ui::panels::door_entry::DoorRecord) {
        let t = self.t();
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        if let Some(job) = &self.job {
            self.results.doors.error = Some(fill(t.wait_for_job, &[&job.label]));
            return;
        }
        match Campaign::open(&path)
            .and_then(|mut c| c.record_door_result(&record.visit, record.contact.as_ref()))
        {
            Ok(_) => {
                self.status = self.results.doors.recorded(t, &path, &record);
                self.results_changed(&path);
            }
            Err(e) => {
                self.results.doors.error = Some(e.to_string());
                self.results.doors.notice = None;
            }
        }
    }

    /// The totals, the door list and the coverage colours after results changed.
    pub(super) fn results_changed(&mut self, path: &Path) {
        self.results.stale = true;
        self.dashboard.stale = true;
        self.results.refresh(path);
        // The coverage map, its turfs and the side-by-side gaps follow the results.
        if self.colour.variable == Variable::Coverage || self.compare.on {
            self.recolor();
        }
    }

    pub(super) fn apply_result_theme(
        &mut self,
        command: crate::ui::panels::door_entry::ThemeCommand,
    ) {
        let t = self.t();
        let Some(path) = self.campaign_path().map(Path::to_path_buf) else {
            return;
        };
        if let Some(job) = &self.job {
            self.results.doors.error = Some(fill(t.wait_for_job, &[&job.label]));
            return;
        }
        match crate::ui::panels::door_entry::apply_theme(&path, t, &command) {
            Ok(status) => {
                if matches!(command, crate::ui::panels::door_entry::ThemeCommand::Add(_)) {
                    self.results.doors.new_theme.clear();
                }
                self.results.doors.error = None;
                self.results.doors.stale = true;
                self.status = status;
            }
            Err(e) => self.results.doors.error = Some(e),
        }
    }

    pub(super) fn apply_results_import(
        &mut self,
        ctx: &Context,
        command: crate::ui::panels::results_import_window::ResultsImportCommand,
    ) {
        let t = self.t();
        let path = self.campaign_path().map(Path::to_path_buf);
        let running = self.job.as_ref().map(|j| j.label.clone());
        let status =
            self.results
                .import
                .apply(ctx, t, command, path.as_deref(), running.as_deref());
        if let (Some(status), Some(path)) = (status, path) {
            self.status = status;
            self.results_changed(&path);
        }
    }
}
