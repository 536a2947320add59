//! Files and folders a killed run leaves behind: temp files of atomic writes, build
//! folders of imports and exports, and an old export set aside during a replace. Each name
//! carries the writer's process id, so the next run can clean (or restore) only those
//! whose writer is dead.

use std::path::Path;

/// Temp files of [`super::write_atomic`]: `.safeaware-tmp-<pid>-<random>`.
pub const TEMP_PREFIX: &str = ".safeaware-tmp-";
/// Build folders of imports and exports: `.safeaware-build-<pid>-<random>`.
pub const BUILD_PREFIX: &str = ".safeaware-build-";
/// A replaced target set aside: `.safeaware-old-<pid>-<target name>`.
pub const OLD_PREFIX: &str = ".safeaware-old-";

/// `prefix` followed by this process's id, for a name [`clean_stale`] can attribute.
pub fn owned_prefix(prefix: &str) -> String {
    format!("{prefix}{}-", std::process::id())
}

/// Whether a process with this id is running (on this host). Unknown means alive.
fn is_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        if pid <= 0 {
            return true;
        }
        // SAFETY: signal 0 only checks that the process exists; nothing is sent.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The pid and the rest of a leftover's name, when it has `prefix` and a dead owner.
fn dead_owner<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = name.strip_prefix(prefix)?;
    let (pid, tail) = rest.split_once('-')?;
    let pid: u32 = pid.parse().ok()?;
    (pid != std::process::id() && !is_alive(pid)).then_some(tail)
}

/// Cleans the leftovers of dead runs in `dir`: removes temp files and build folders, and
/// puts a set-aside old target back when its target is missing (the run died between its
/// renames), else removes it. Best effort: returns what it did, one line each.
pub fn clean_stale(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut done = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if dead_owner(&name, TEMP_PREFIX).is_some() {
            if std::fs::remove_file(&path).is_ok() {
                done.push(format!("removed the temp file {name} of a killed run"));
            }
        } else if dead_owner(&name, BUILD_PREFIX).is_some() {
            if std::fs::remove_dir_all(&path).is_ok() {
                done.push(format!("removed the build folder {name} of a killed run"));
            }
        } else if let Some(target) = dead_owner(&name, OLD_PREFIX) {
            let target_path = dir.join(target);
            if !target.is_empty() && std::fs::symlink_metadata(&target_path).is_err() {
                if std::fs::rename(&path, &target_path).is_ok() {
                    done.push(format!("restored {target} from a killed replace"));
                }
            } else if std::fs::remove_dir_all(&path).is_ok() {
                done.push(format!("removed {name}, left by a killed replace"));
            }
        }
    }
    if !done.is_empty() {
        let _ = super::sync_dir(dir);
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The id of a process that has exited.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    #[test]
    fn leftovers_of_dead_runs_are_cleaned_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dead_pid();
        let d = dir.path();
        std::fs::write(d.join(format!("{TEMP_PREFIX}{dead}-abc")), "x").unwrap();
        std::fs::create_dir(d.join(format!("{BUILD_PREFIX}{dead}-abc"))).unwrap();
        std::fs::create_dir(d.join(format!("{OLD_PREFIX}{dead}-export"))).unwrap();
        std::fs::write(d.join(format!("{OLD_PREFIX}{dead}-export/manifest.json")), "{}").unwrap();
        let mine = format!("{}abc", owned_prefix(TEMP_PREFIX));
        std::fs::write(d.join(&mine), "x").unwrap();
        std::fs::write(d.join(format!("{TEMP_PREFIX}1-abc")), "init is alive").unwrap();
        let done = clean_stale(d);
        assert_eq!(done.len(), 3, "{done:?}");
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let mut expected = vec![format!("{TEMP_PREFIX}1-abc"), mine, "export".to_string()];
        expected.sort();
        assert_eq!(names, expected);
        assert!(d.join("export/manifest.json").is_file(), "the old export is back");
    }
}
