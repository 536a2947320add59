//! Who holds a dataset's write lock: plain data, so that both the store (which takes
//! the lock) and the error type (which reports it) can name it.

use serde::{Deserialize, Serialize};

/// Who holds (or last held) a dataset's lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    /// Process id of the holder.
    pub pid: u32,
    /// Host name of the holder.
    pub host: String,
    /// When it took the lock, seconds since the Unix epoch.
    pub since: u64,
}
