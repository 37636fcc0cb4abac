//! Progress on the terminal for long CLI imports: one line on stderr, rewritten in place, only
//! when stderr is a terminal (scripts and `--json` output stay clean).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use crate::model::Progress;

/// Prints "stage… 42 %" to stderr when it changes by a whole percent.
pub struct TerminalProgress {
    last: Mutex<(String, i32)>,
    enabled: bool,
}

impl TerminalProgress {
    pub fn new() -> Self {
        TerminalProgress {
            last: Mutex::new((String::new(), -1)),
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Default for TerminalProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for TerminalProgress {
    fn set(&self, fraction: f32, stage: &str) {
        if !self.enabled {
            return;
        }
        let percent = (fraction * 100.0).round() as i32;
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        if last.0 == stage && last.1 == percent {
            return;
        }
        *last = (stage.to_string(), percent);
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{stage}… {percent} %");
        if fraction >= 1.0 {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = err.flush();
    }
}

impl Drop for TerminalProgress {
    fn drop(&mut self) {
        if self.enabled {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
