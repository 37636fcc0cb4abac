//! The app's side of contacts and data protection: the Contacts tab's commands and the
//! "Person's data" window (access and erasure), and what re-reads people after a change.

use super::*;

impl PorteApp {
    /// Applies a command of the Contacts tab or its windows; a contact written makes the panels
    /// that show people read again.
    pub(super) fn apply_contacts(&mut self, ctx: &Context, command: ContactsCommand) {
        let t = self.t();
        let env = ContactsEnv {
            campaign_path: self.campaign.as_ref().map(|v| v.path.as_path()),
            running_job: self.job.as_ref().map(|j| j.label.as_str()),
        };
        let applied = self.contacts.apply(ctx, t, command, &env);
        if let Some(status) = applied.status {
            self.status = status;
        }
        if applied.changed {
            self.people_changed();
        }
    }

    /// Applies a command of the "Person's data" window (its search and erasure run on its job).
    pub(super) fn apply_person(&mut self, ctx: &Context, command: PersonCommand) {
        let t = self.t();
        let env = PersonEnv {
            campaign_path: self.campaign.as_ref().map(|v| v.path.as_path()),
            running_job: self.job.as_ref().map(|j| j.label.as_str()),
        };
        if let Some(status) = self.person.apply(ctx, t, command, &env) {
            self.status = status;
        }
    }

    /// Polls the person window's job; after an erasure every panel showing people reads again.
    pub(super) fn poll_person(&mut self) {
        let Some(polled) = self.person.poll(self.t()) else {
            return;
        };
        if let Some(status) = polled.status {
            self.status = status;
        }
        if polled.erased {
            // The volunteer window may be on the volunteer just erased.
            self.volunteers.form.open = false;
            self.people_changed();
        }
    }

    /// People were added, changed or erased: the roster, the Operations tab (and the teams on
    /// the map), the Results totals and the contacts are read again.
    pub(super) fn people_changed(&mut self) {
        self.volunteers.roster.stale = true;
        self.results.stale = true;
        self.dashboard.stale = true;
        self.contacts.tab.stale = true;
        self.reload_operations();
    }
}
