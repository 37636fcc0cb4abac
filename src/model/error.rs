//! Error types of the model layer. Messages name the file (last) and the row or feature when known.

use std::path::PathBuf;

/// A failure to read an input file. Partial problems (a few bad rows) are not errors: they are
/// collected in the import report; this is for files that cannot be used at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not in the expected format, or is damaged. `location` is e.g. "row 12" or
    /// "feature 3" (1-based), or empty when the whole file is at fault.
    #[error("{message}{}{} in {}", if location.is_empty() { "" } else { " at " }, location, path.display())]
    Format {
        path: PathBuf,
        location: String,
        message: String,
    },
    #[error("unsupported file {}: {message}", path.display())]
    Unsupported { path: PathBuf, message: String },
}

impl ImportError {
    pub fn format(
        path: &std::path::Path,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ImportError::Format {
            path: path.to_path_buf(),
            location: location.into(),
            message: message.into(),
        }
    }
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        ImportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Any failure of a model operation.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("campaign file {}: {source}", path.display())]
    Storage {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("campaign file {}: {message}", path.display())]
    Campaign { path: PathBuf, message: String },
    #[error("campaign database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("cancelled")]
    Cancelled,
    #[error("{0}")]
    Invalid(String),
}

pub type ModelResult<T> = Result<T, ModelError>;
