//! Stage 5, write: pages → the output folder, atomically. Pages go into a
//! staging folder beside it, which replaces the old site in one swap only
//! when every page is written; a failed build leaves the old site as it was.
//! Files whose bytes did not change are hard-linked from the old site rather
//! than rewritten, so they keep their modification time.

mod manifest;

use crate::error::{Error, Result};
use crate::render::RenderedPage;
use manifest::{Manifest, ManifestEntry};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What a write did, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// An output folder being replaced.
pub struct Staging {
    out: PathBuf,
    staging: PathBuf,
    manifest_path: PathBuf,
    previous: Manifest,
    next: Mutex<Vec<(String, ManifestEntry)>>,
    /// Folders made so far: many files share one, and asking the file
    /// system again for each costs more than the lookup.
    folders: Mutex<std::collections::HashSet<PathBuf>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
}

/// The hidden sibling of `out` named `.{name}.{suffix}`.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out.file_name().map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{suffix}"))
}

impl Staging {
    /// Starts writing a new version of `out`.
    pub fn begin(out: &Path) -> Result<Staging> {
        let staging = sibling(out, "staging");
        let manifest_path = sibling(out, "manifest");
        let previous = Manifest::read(&manifest_path);
        if out.is_dir() && previous.is_empty() && !is_empty_dir(out)? {
            return Err(Error::with_help(
                format!("`{}` exists and was not written by Dossier", out.display()),
                "remove it, or build into another folder with `--out`",
            ));
        }
        if staging.exists() {
            std::fs::remove_dir_all(&staging)
                .map_err(|e| Error::io(format!("cannot clear the leftover `{}`", staging.display()), e))?;
        }
        std::fs::create_dir_all(&staging)
            .map_err(|e| Error::io(format!("cannot create `{}`", staging.display()), e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            manifest_path,
            previous,
            next: Mutex::new(Vec::new()),
            folders: Mutex::default(),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Adds a file; safe to call from many threads.
    pub fn put(&self, page: &RenderedPage) -> Result<()> {
        let target = self.staging.join(&page.path);
        if let Some(parent) = target.parent()
            && !self.folders.lock().expect("no writer panics holding the lock").contains(parent)
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create `{}`", parent.display()), e))?;
            self.folders.lock().expect("no writer panics holding the lock").insert(parent.to_path_buf());
        }
        let hash = xxhash_rust::xxh3::xxh3_64(&page.bytes);
        let old = self.out.join(&page.path);
        let reused = self
            .previous
            .get(&page.path)
            .filter(|entry| entry.hash == hash && entry.len == page.bytes.len() as u64)
            .and_then(|entry| entry.matches_file(&old).then_some(entry.clone()))
            .filter(|_| std::fs::hard_link(&old, &target).is_ok());
        let entry = match reused {
            Some(entry) => {
                self.unchanged.fetch_add(1, Ordering::Relaxed);
                entry
            }
            None => {
                std::fs::write(&target, &page.bytes)
                    .map_err(|e| Error::io(format!("cannot write `{}`", target.display()), e))?;
                self.written.fetch_add(1, Ordering::Relaxed);
                ManifestEntry::of_file(&target, hash, page.bytes.len() as u64)
            }
        };
        self.next.lock().expect("no writer panics holding the lock").push((page.path.clone(), entry));
        Ok(())
    }

    /// Swaps the staging folder in for the old site and removes the old one.
    pub fn commit(mut self) -> Result<WriteStats> {
        let entries = std::mem::take(&mut *self.next.lock().expect("no writer panics holding the lock"));
        if self.out.exists() {
            swap(&self.staging, &self.out)?;
            // The old site now sits at the staging path. The new one is in
            // place, so failing to remove the old one is not a failed build.
            remove_tree(&self.staging);
        } else {
            std::fs::rename(&self.staging, &self.out)
                .map_err(|e| Error::io(format!("cannot move the new site into `{}`", self.out.display()), e))?;
        }
        self.committed = true;
        Manifest::from_entries(entries).write(&self.manifest_path)?;
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // An abandoned build leaves no trace; the old site was never touched.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Removes a folder tree, retrying briefly: a removal can race with a
/// process still closing files in it. What is left, the next build clears.
fn remove_tree(path: &Path) {
    for attempt in 0..5 {
        match std::fs::remove_dir_all(path) {
            Ok(()) => return,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) if attempt == 4 => {
                log::warn!("could not remove the previous site at `{}` ({e}); the next build will", path.display())
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
}

/// Exchanges two folders in one step where the system allows it.
fn swap(staging: &Path, out: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let old = sibling(out, "old");
    let _ = std::fs::remove_dir_all(&old);
    std::fs::rename(out, &old).map_err(|e| Error::io(format!("cannot move `{}` aside", out.display()), e))?;
    std::fs::rename(staging, out)
        .map_err(|e| Error::io(format!("cannot move the new site into `{}`", out.display()), e))?;
    std::fs::rename(&old, staging).map_err(|e| Error::io(format!("cannot move `{}`", old.display()), e))
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(format!("cannot list `{}`", dir.display()), e))?;
    Ok(entries.next().is_none())
}

/// Writes a file of the archive (not of the output) through a temporary
/// file and a rename, so that an interrupted write never leaves half a file.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display().to_string();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(format!("cannot create `{}`", parent.display()), e))?;
    }
    // Named after the whole file name: `a.html` and `a.txt` get their own.
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".dossier-tmp");
    let temporary = std::path::PathBuf::from(temporary);
    std::fs::write(&temporary, bytes).map_err(|e| Error::io(format!("cannot write `{shown}`"), e))?;
    std::fs::rename(&temporary, path).map_err(|e| Error::io(format!("cannot write `{shown}`"), e))
}

/// Applies a rebuild's changes to `out` in place: each changed file is
/// replaced atomically, files no longer made are removed with the folders
/// they leave empty, and the manifest is brought up to date.
pub fn apply_changes(out: &Path, changed: &[RenderedPage], gone: &[String]) -> Result<WriteStats> {
    let written = changed
        .par_iter()
        .map(|page| {
            let target = out.join(&page.path);
            replace_file(&target, &page.bytes)?;
            let hash = xxhash_rust::xxh3::xxh3_64(&page.bytes);
            Ok((page.path.clone(), ManifestEntry::of_file(&target, hash, page.bytes.len() as u64)))
        })
        .collect::<Result<Vec<_>>>()?;
    for path in gone {
        let target = out.join(path);
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("cannot remove `{}`", target.display()), e)),
        }
        // Folders emptied by the removal go too; the first non-empty one stops it.
        let mut dir = target.parent();
        while let Some(d) = dir.filter(|d| *d != out) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Manifest::append(&sibling(out, "manifest"), &written, gone)?;
    Ok(WriteStats { written: changed.len(), unchanged: 0 })
}
