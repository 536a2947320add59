//! The library's error type: every variant names the file, and where it can the line,
//! column and item, so a curator can go straight to the problem.

use std::path::PathBuf;

/// What went wrong, with enough context to find and fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file is not well-formed; `line` and `column` are 1-based.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax {
        /// The file with the error.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// A file parses but its content breaks a rule (duplicate id, unsafe path ...).
    #[error("{}{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), item.as_ref().map(|i| format!(": item {i}")).unwrap_or_default())]
    Invalid {
        /// The file with the problem.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// The item id, when the problem belongs to one item.
        item: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// Another process holds the dataset's write lock.
    #[error("{}: dataset is locked by pid {} on {} since {}", path.display(), holder.pid, holder.host, crate::time::local(holder.since))]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Who holds it.
        holder: crate::model::LockHolder,
    },
    /// The user asked for something that cannot be done as asked (e.g. an existing target).
    #[error("{0}")]
    Refused(String),
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Adds the path to an I/O result.
pub(crate) trait IoContext<T> {
    /// Attaches `path` to the error.
    fn at(self, path: &std::path::Path) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, path: &std::path::Path) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}
