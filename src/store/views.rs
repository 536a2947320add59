//! Saved views: named filter queries stored with the dataset (`views.ron`).

use super::{ron_format, write_atomic};
use crate::error::{IoContext, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// File name of the saved views inside a dataset folder.
pub const VIEWS_FILE: &str = "views.ron";

/// Reads the saved views (name -> query); a dataset without the file has none.
pub fn load_views(dir: &Path) -> Result<BTreeMap<String, String>> {
    let path = dir.join(VIEWS_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => ron_format::parse(&path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(e) => Err(e).at(&path),
    }
}

/// Replaces the saved views atomically.
pub fn save_views(lock: &super::DatasetLock, views: &BTreeMap<String, String>) -> Result<()> {
    write_atomic(
        &lock.dir().join(VIEWS_FILE),
        ron_format::to_string(views).as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_round_trip_and_default_to_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_views(dir.path()).unwrap().is_empty());
        let lock = crate::store::DatasetLock::acquire(dir.path()).unwrap();
        let views = BTreeMap::from([(
            "attack todo".to_string(),
            "subset:attack status:unreviewed".to_string(),
        )]);
        save_views(&lock, &views).unwrap();
        assert_eq!(load_views(dir.path()).unwrap(), views);
    }
}
