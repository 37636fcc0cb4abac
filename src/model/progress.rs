//! Progress reporting and cancellation for slow model work (imports, routing, exports).
//!
//! The GUI passes an implementation backed by atomics and a channel; the CLI passes [`NoProgress`]
//! or a terminal printer. Model functions call [`Progress::set`] now and then and stop with
//! [`crate::model::ModelError::Cancelled`] when [`Progress::is_cancelled`] turns true.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Receives progress from a slow model function and tells it whether to stop.
pub trait Progress: Sync {
    /// `fraction` in 0..=1 of the whole task; `stage` is a short human-readable label.
    fn set(&self, fraction: f32, stage: &str);
    /// True when the user asked to cancel; the model function then returns `Cancelled`.
    fn is_cancelled(&self) -> bool {
        false
    }
}

/// Progress sink that ignores everything and never cancels.
pub struct NoProgress;

impl Progress for NoProgress {
    fn set(&self, _fraction: f32, _stage: &str) {}
}

/// Thread-safe progress state shared between a worker thread and a UI (or a test).
#[derive(Default)]
pub struct SharedProgress {
    fraction_bits: AtomicU32,
    cancelled: AtomicBool,
    stage: Mutex<String>,
}

impl SharedProgress {
    pub fn fraction(&self) -> f32 {
        f32::from_bits(self.fraction_bits.load(Ordering::Relaxed))
    }
    pub fn stage(&self) -> String {
        self.stage.lock().map(|s| s.clone()).unwrap_or_default()
    }
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

impl Progress for SharedProgress {
    fn set(&self, fraction: f32, stage: &str) {
        self.fraction_bits
            .store(fraction.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
        if let Ok(mut s) = self.stage.lock()
            && s.as_str() != stage
        {
            *s = stage.to_owned();
        }
    }
    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}
