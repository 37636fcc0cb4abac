//! Background jobs: a thread + a channel + shared progress + cancel, waking the UI with
//! `ctx.request_repaint()` when progress moves or the job ends, so the window never freezes.
//!
//! A [`Job`] is polled once per frame by the app; the worker closure gets a [`SharedProgress`] to
//! pass to the model (which checks it for cancellation and rolls back on cancel).

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::model::Progress;
use crate::model::progress::SharedProgress;

/// Progress that also wakes the UI whenever the model reports a step.
struct RepaintingProgress {
    shared: Arc<SharedProgress>,
    ctx: egui::Context,
}

impl Progress for RepaintingProgress {
    fn set(&self, fraction: f32, stage: &str) {
        self.shared.set(fraction, stage);
        // Coalesced by egui: at most one repaint per frame, whatever the call rate.
        self.ctx.request_repaint_after(Duration::from_millis(30));
    }
    fn is_cancelled(&self) -> bool {
        self.shared.is_cancelled()
    }
}

/// What polling a job found.
pub enum JobPoll<T> {
    /// Still running.
    Running,
    /// Finished with this output (the job is then spent).
    Done(T),
    /// The worker panicked or vanished without an answer.
    Lost,
}

/// Polls a file dialog running on a job (rfd blocks its thread): when it ends, the job is
/// dropped and the chosen file, if any, is written into `path`.
pub fn poll_file_pick(pick: &mut Option<Job<Option<std::path::PathBuf>>>, path: &mut String) {
    let Some(job) = pick else { return };
    match job.poll() {
        JobPoll::Running => {}
        JobPoll::Done(chosen) => {
            *pick = None;
            if let Some(chosen) = chosen {
                *path = chosen.display().to_string();
            }
        }
        JobPoll::Lost => *pick = None,
    }
}

/// One piece of slow work running on its own thread.
pub struct Job<T> {
    /// Short label shown next to the progress bar, e.g. "Importing results".
    pub label: String,
    progress: Arc<SharedProgress>,
    receiver: Receiver<T>,
    handle: Option<JoinHandle<()>>,
    finished: bool,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread. It receives the job's progress (pass it to the model) and
    /// its output comes back through [`Job::poll`]; the UI is repainted when it is ready.
    pub fn spawn(
        label: impl Into<String>,
        ctx: &egui::Context,
        work: impl FnOnce(&dyn Progress) -> T + Send + 'static,
    ) -> Job<T> {
        let label = label.into();
        let progress = Arc::new(SharedProgress::default());
        let (sender, receiver) = mpsc::channel();
        let worker_progress = RepaintingProgress {
            shared: Arc::clone(&progress),
            ctx: ctx.clone(),
        };
        let ctx = ctx.clone();
        let handle = std::thread::Builder::new()
            .name(format!("porte job: {label}"))
            .spawn(move || {
                let out = work(&worker_progress);
                // The receiver is gone only when the app dropped the job; nothing to tell then.
                let _ = sender.send(out);
                ctx.request_repaint();
            })
            .expect("cannot start a thread");
        Job {
            label,
            progress,
            receiver,
            handle: Some(handle),
            finished: false,
        }
    }
}

impl<T> Job<T> {
    /// Non-blocking: the output when the worker is done.
    pub fn poll(&mut self) -> JobPoll<T> {
        if self.finished {
            return JobPoll::Lost;
        }
        match self.receiver.try_recv() {
            Ok(out) => {
                self.finished = true;
                if let Some(h) = self.handle.take() {
                    let _ = h.join();
                }
                JobPoll::Done(out)
            }
            Err(TryRecvError::Empty) => JobPoll::Running,
            Err(TryRecvError::Disconnected) => {
                self.finished = true;
                JobPoll::Lost
            }
        }
    }

    /// Fraction done in 0..=1, as last reported by the model.
    pub fn fraction(&self) -> f32 {
        self.progress.fraction()
    }

    /// The model's current stage label (may be empty).
    pub fn stage(&self) -> String {
        self.progress.stage()
    }

    /// Asks the worker to stop; the model returns `Cancelled` at its next check and rolls back.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    pub fn is_cancel_requested(&self) -> bool {
        self.progress.is_cancelled()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T>(job: &mut Job<T>) -> T {
        let start = std::time::Instant::now();
        loop {
            match job.poll() {
                JobPoll::Done(out) => return out,
                JobPoll::Lost => panic!("job lost"),
                JobPoll::Running => {
                    assert!(start.elapsed() < Duration::from_secs(10), "job never ended");
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
    }

    #[test]
    fn a_job_reports_progress_and_stops_when_cancelled() {
        let ctx = egui::Context::default();
        let mut job = Job::spawn("spin", &ctx, |progress| {
            progress.set(0.25, "spinning");
            let mut turns = 0u64;
            while !progress.is_cancelled() {
                turns += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            turns
        });
        while job.stage().is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(job.fraction(), 0.25);
        assert_eq!(job.stage(), "spinning");
        assert!(matches!(job.poll(), JobPoll::Running));
        job.cancel();
        assert!(job.is_cancel_requested());
        wait(&mut job);
        assert!(
            matches!(job.poll(), JobPoll::Lost),
            "a finished job is spent"
        );
    }

    #[test]
    fn a_panicking_job_is_lost_not_hung() {
        let ctx = egui::Context::default();
        let mut job: Job<()> = Job::spawn("boom", &ctx, |_| panic!("boom"));
        let start = std::time::Instant::now();
        loop {
            match job.poll() {
                JobPoll::Lost => break,
                JobPoll::Done(()) => panic!("cannot finish"),
                JobPoll::Running => {
                    assert!(start.elapsed() < Duration::from_secs(10));
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        }
    }
}
