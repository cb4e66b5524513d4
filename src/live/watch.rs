//! Watching the site's sources with notify: `content/`, `themes/`,
//! `templates/`, `static/`, `sources/` and `dossier.yaml`. Events are
//! debounced and then coalesced until the files have been quiet for a
//! moment, so a burst of saves (a `git checkout`, a sync) is one rebuild.
//! Editors' swap, backup and lock files and the output folder are ignored.

use crate::error::{Error, Result};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long the files must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(120);
/// The folders of a site whose changes matter.
const WATCHED: &[&str] = &["content", "themes", "templates", "static", "sources"];

/// What changed since the last batch.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Something the site is built from changed.
    pub site: bool,
    /// Files that appeared in `sources/`, to offer for import.
    pub new_sources: Vec<PathBuf>,
    /// The files and folders the events named, relative to the root, so a
    /// rebuild need not check the others; `None` when the watcher lost
    /// track and everything must be checked.
    pub changed: Option<Vec<PathBuf>>,
}

/// A running watch on one site.
pub struct Watcher {
    root: PathBuf,
    out: PathBuf,
    events: Receiver<DebounceEventResult>,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

impl Watcher {
    pub fn start(root: &Path, out: &Path) -> Result<Watcher> {
        let (tx, events) = channel();
        let mut debouncer = new_debouncer(Duration::from_millis(40), None, tx)
            .map_err(|e| Error::invalid(format!("cannot watch the site: {e}")))?;
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let out = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
        // The root itself only for `dossier.yaml` and folders created later.
        debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|e| Error::invalid(format!("cannot watch `{}`: {e}", root.display())))?;
        let mut watcher = Watcher { root, out, events, debouncer };
        for name in WATCHED {
            watcher.watch_folder(name);
        }
        Ok(watcher)
    }

    fn watch_folder(&mut self, name: &str) {
        let dir = self.root.join(name);
        if dir.is_dir() {
            let _ = self.debouncer.watch(&dir, RecursiveMode::Recursive);
        }
    }

    /// Waits for the next change that matters, then until the files are
    /// quiet; `None` when the watch ended.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch { changed: Some(Vec::new()), ..Batch::default() };
        loop {
            let result = if batch.site || !batch.new_sources.is_empty() {
                match self.events.recv_timeout(QUIET) {
                    Ok(result) => result,
                    Err(RecvTimeoutError::Timeout) => return Some(batch),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            } else {
                self.events.recv().ok()?
            };
            let Ok(events) = result else {
                // The watcher lost track (e.g. an overflow): rebuild, checking everything.
                batch.site = true;
                batch.changed = None;
                continue;
            };
            for event in events {
                // Reading a file (which every rebuild does) is not a change.
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    continue;
                }
                let created = matches!(event.kind, notify::EventKind::Create(_));
                for path in &event.paths {
                    self.classify(path, created, &mut batch);
                }
            }
        }
    }

    fn classify(&mut self, path: &Path, created: bool, batch: &mut Batch) {
        if path.starts_with(&self.out) || ignored(path) {
            return;
        }
        let Ok(relative) = path.strip_prefix(&self.root) else { return };
        let mut parts = relative.components();
        let Some(first) = parts.next().and_then(|c| c.as_os_str().to_str()) else { return };
        let nested = parts.next().is_some();
        if !nested {
            if first == crate::config::CONFIG_FILE {
                batch.site = true;
            } else if WATCHED.contains(&first) {
                // A watched folder made after the watch began, or removed.
                if created {
                    self.watch_folder(first);
                }
                batch.site = true;
                // A content folder's files were not named one by one: the
                // load checks them all. A theme folder's are found by the
                // theme's own check of its files, so the load needs no more.
                match batch.changed.as_mut() {
                    Some(changed) if first != "content" => changed.push(relative.to_path_buf()),
                    _ => batch.changed = None,
                }
            }
            return;
        }
        if first == "sources" {
            let importable =
                path.extension().and_then(|e| e.to_str()).is_some_and(|e| crate::import::EXTENSIONS.contains(&e));
            if created && importable && path.is_file() && !batch.new_sources.iter().any(|p| p == path) {
                batch.new_sources.push(path.to_path_buf());
            }
        } else if WATCHED.contains(&first) {
            batch.site = true;
            // Repeats are dropped by the load, which looks paths up in a set.
            if let Some(changed) = batch.changed.as_mut() {
                changed.push(relative.to_path_buf());
            }
        }
    }
}

/// Editors' swap, backup and lock files, hidden files and our own temporaries.
fn ignored(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".dossier-tmp")
        || name.ends_with(".import-tmp")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::ignored;
    use std::path::Path;

    #[test]
    fn editor_files_are_ignored() {
        for name in [".summit.md.swp", "summit.md~", "4913", ".#summit.md", "summit.dossier-tmp"] {
            assert!(ignored(Path::new("content/briefings").join(name).as_path()), "{name}");
        }
        assert!(!ignored(Path::new("content/briefings/summit.md")));
    }
}
