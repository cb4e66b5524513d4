//! Stage 5, write: pages → the output folder, atomically. Pages go into a
//! staging folder beside it, which replaces the old site in one swap only
//! when every page is written; a failed build leaves the old site as it was.
//!
//! The site a swap replaces is kept beside the output as the spare
//! (`.public.spare`), and the next build stages into it: a file whose bytes
//! did not change since the spare was the site is left where it is, one
//! that equals the current site's is hard-linked from it (keeping its inode
//! and modification time), and only new bytes are written. A rebuild that
//! changes little touches few files, which on disk is most of its time.

mod manifest;

use crate::error::{Error, Result};
use crate::render::RenderedPage;
use manifest::{Manifest, ManifestEntry};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::Write;
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
    /// The site in `out`, as its manifest records it.
    previous: Manifest,
    /// What the staging folder held when the build began: the spare site,
    /// or nothing.
    spare: Manifest,
    /// Every file in the spare, listed while pages render: the manifest
    /// does not know files put there by hand, which must not outlive it.
    spare_files: Option<std::thread::JoinHandle<Vec<String>>>,
    next: Mutex<Vec<(String, ManifestEntry)>>,
    /// Folders made so far: many files share one, and asking the file
    /// system again for each costs more than the lookup.
    folders: Mutex<HashSet<PathBuf>>,
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
            // Left by a build that was cut off: what it holds is unknown.
            remove_tree(&staging)
                .map_err(|e| Error::io(format!("cannot clear the leftover `{}`", staging.display()), e))?;
        }
        let spare = take_spare(out, &staging);
        let spare_files = if spare.is_empty() {
            std::fs::create_dir_all(&staging)
                .map_err(|e| Error::io(format!("cannot create `{}`", staging.display()), e))?;
            None
        } else {
            let root = staging.clone();
            Some(std::thread::spawn(move || list_files(&root)))
        };
        Ok(Staging {
            out: out.to_path_buf(),
            staging,
            manifest_path,
            previous,
            spare,
            spare_files,
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
        let hash = xxhash_rust::xxh3::xxh3_64(&page.bytes);
        let len = page.bytes.len() as u64;
        let same = |entry: &&ManifestEntry| entry.hash == hash && entry.len == len;
        if self.previous.get(&page.path).filter(same).is_some() {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        } else {
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        let kept = self.spare.get(&page.path).filter(same).filter(|entry| entry.matches_file(&target));
        let entry = match kept {
            Some(entry) => entry.clone(),
            None => self.place(&page.path, &target, &page.bytes, hash)?,
        };
        self.next.lock().expect("no writer panics holding the lock").push((page.path.clone(), entry));
        Ok(())
    }

    /// Puts `bytes` at `target` in the staging folder, where the spare may
    /// hold an older file: hard-linked from the current site when it has
    /// these bytes, written otherwise. What was there goes first, since it
    /// may be a link to a file of the current site, which must not change.
    fn place(&self, path: &str, target: &Path, bytes: &[u8], hash: u64) -> Result<ManifestEntry> {
        self.make_parent(target)?;
        if !self.spare.is_empty() {
            clear(target).map_err(|e| Error::io(format!("cannot replace `{}`", target.display()), e))?;
        }
        let old = self.out.join(path);
        let linked = self
            .previous
            .get(path)
            .filter(|entry| entry.hash == hash && entry.len == bytes.len() as u64)
            .filter(|entry| entry.matches_file(&old))
            .filter(|_| std::fs::hard_link(&old, target).is_ok());
        if let Some(entry) = linked {
            return Ok(entry.clone());
        }
        let write = || {
            let mut file = std::fs::File::create(target)?;
            file.write_all(bytes)?;
            file.metadata()
        };
        let meta = write().map_err(|e| Error::io(format!("cannot write `{}`", target.display()), e))?;
        Ok(ManifestEntry::of_written(&meta, hash, bytes.len() as u64))
    }

    fn make_parent(&self, target: &Path) -> Result<()> {
        let Some(parent) = target.parent() else { return Ok(()) };
        if self.folders.lock().expect("no writer panics holding the lock").contains(parent) {
            return Ok(());
        }
        if std::fs::create_dir_all(parent).is_err() {
            // The spare may have a file where this site has a folder.
            for folder in parent.ancestors().take_while(|f| *f != self.staging) {
                if folder.is_file() {
                    let _ = std::fs::remove_file(folder);
                }
            }
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create `{}`", parent.display()), e))?;
        }
        self.folders.lock().expect("no writer panics holding the lock").insert(parent.to_path_buf());
        Ok(())
    }

    /// Swaps the staging folder in for the old site, which becomes the spare.
    pub fn commit(mut self) -> Result<WriteStats> {
        let entries = std::mem::take(&mut *self.next.lock().expect("no writer panics holding the lock"));
        if let Some(listing) = self.spare_files.take() {
            let made: HashSet<&str> = entries.iter().map(|(path, _)| path.as_str()).collect();
            let listed = listing.join().unwrap_or_default();
            let held = self.spare.paths().chain(listed.iter().map(String::as_str));
            // What the spare held that this site does not have; a path that
            // is a folder now is not a file to remove.
            for path in held.filter(|path| !made.contains(path)) {
                let _ = remove_file_in(&self.staging, path);
            }
        }
        if self.out.exists() {
            swap(&self.staging, &self.out)?;
            // The old site now sits at the staging path; its manifest goes
            // first, so that a spare is never without one. The new site is
            // in place, so failing to keep the old one is not a failed build.
            let spare = sibling(&self.out, "spare");
            let kept = self.previous.write(&sibling(&self.out, "spare-manifest")).is_ok()
                && std::fs::rename(&self.staging, &spare).is_ok();
            if !kept && let Err(e) = remove_tree(&self.staging) {
                log::warn!(
                    "could not remove the previous site at `{}` ({e}); the next build will",
                    self.staging.display()
                );
            }
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
        if let Some(listing) = self.spare_files.take() {
            let _ = listing.join();
        }
        if !self.committed {
            // An abandoned build leaves no trace; the old site was never touched.
            let _ = remove_tree(&self.staging);
        }
    }
}

/// Moves the spare site, if there is one with its manifest, to the staging
/// path and returns the manifest; an empty manifest when there is none.
/// The manifest file goes, since the folder is about to change.
fn take_spare(out: &Path, staging: &Path) -> Manifest {
    let (spare, spare_manifest) = (sibling(out, "spare"), sibling(out, "spare-manifest"));
    let manifest = Manifest::read(&spare_manifest);
    let _ = std::fs::remove_file(&spare_manifest);
    if !spare.is_dir() {
        return Manifest::default();
    }
    if !manifest.is_empty() && std::fs::rename(&spare, staging).is_ok() {
        return manifest;
    }
    let _ = remove_tree(&spare);
    Manifest::default()
}

/// Removes what is at `path`, file or folder, if anything.
fn clear(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => remove_tree(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// The paths of the files under `root`, relative to it.
fn list_files(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .flatten()
        .filter(|entry| !entry.file_type().is_dir())
        .filter_map(|entry| Some(entry.path().strip_prefix(root).ok()?.to_str()?.to_string()))
        .collect()
}

/// Removes the file at `path` under `root` if it is there, and the folders
/// that leaves empty.
fn remove_file_in(root: &Path, path: &str) -> std::io::Result<()> {
    let file = root.join(path);
    match std::fs::remove_file(&file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    // A folder that still holds files stays, and stops the climb.
    for folder in file.ancestors().skip(1).take_while(|f| *f != root) {
        if std::fs::remove_dir(folder).is_err() {
            break;
        }
    }
    Ok(())
}

/// Removes a folder tree, retrying briefly: a removal can race with a
/// process still closing files in it.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    let mut attempt = 0;
    loop {
        match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(_) if attempt < 4 => std::thread::sleep(std::time::Duration::from_millis(20)),
            result => return result,
        }
        attempt += 1;
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
        remove_file_in(out, path).map_err(|e| Error::io(format!("cannot remove `{}`", out.join(path).display()), e))?;
    }
    Manifest::append(&sibling(out, "manifest"), &written, gone)?;
    Ok(WriteStats { written: changed.len(), unchanged: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::os::unix::fs::MetadataExt;

    fn build(out: &Path, files: &[(&str, &str)]) -> WriteStats {
        let staging = Staging::begin(out).unwrap();
        for (path, text) in files {
            staging.put(&RenderedPage::new(*path, text.as_bytes().to_vec())).unwrap();
        }
        staging.commit().unwrap()
    }

    /// Every file under `dir`, by path, with its text.
    fn tree(dir: &Path) -> BTreeMap<String, String> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let path = e.path().strip_prefix(dir).unwrap().to_str().unwrap().to_string();
                (path, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect()
    }

    fn files(site: &[(&str, &str)]) -> BTreeMap<String, String> {
        site.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
    }

    fn inode(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().ino()
    }

    #[test]
    fn each_build_leaves_its_files_and_keeps_the_one_before_as_the_spare() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join(".public.spare");
        // Each build stages into the site two builds before it: the third
        // has a folder where that one had a file, the fourth the reverse.
        let sites: [&[(&str, &str)]; 4] = [
            &[("index.html", "one"), ("a/index.html", "a1"), ("b", "b is a file")],
            &[("index.html", "two"), ("a/index.html", "a1"), ("b/index.html", "b is a folder"), ("c.txt", "c")],
            &[("index.html", "one"), ("a/index.html", "a3"), ("b/index.html", "b is a folder again")],
            &[("index.html", "two"), ("a/index.html", "a1"), ("b", "b is a file"), ("c.txt", "c")],
        ];
        let mut first_a = 0;
        for (n, site) in sites.iter().enumerate() {
            if n == 2 {
                // Put there by hand: the next build drops it, and it must
                // not come back when this site, kept as the spare, is reused.
                std::fs::write(out.join("by-hand.txt"), "x").unwrap();
            }
            let stats = build(&out, site);
            assert_eq!(tree(&out), files(site), "site {n}");
            assert!(!dir.path().join(".public.staging").exists());
            if n > 0 {
                let mut before = files(sites[n - 1]);
                if n == 2 {
                    before.insert("by-hand.txt".into(), "x".into());
                }
                assert_eq!(tree(&spare), before, "the spare after site {n} is site {}", n - 1);
            }
            match n {
                0 => first_a = inode(&out.join("a/index.html")),
                1 => {
                    assert_eq!(stats, WriteStats { written: 3, unchanged: 1 });
                    assert_eq!(inode(&out.join("a/index.html")), first_a, "unchanged bytes keep their file");
                }
                // Site 1's `a/index.html` is kept from the spare.
                3 => assert_eq!(inode(&out.join("a/index.html")), first_a),
                _ => {}
            }
        }
    }

    #[test]
    fn an_abandoned_build_leaves_the_site_and_no_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "one")]);
        build(&out, &[("index.html", "two")]);
        let staging = Staging::begin(&out).unwrap();
        staging.put(&RenderedPage::new("index.html", b"three".to_vec())).unwrap();
        drop(staging);
        assert_eq!(tree(&out), files(&[("index.html", "two")]));
        assert!(!dir.path().join(".public.staging").exists());
        build(&out, &[("index.html", "four"), ("new.html", "new")]);
        assert_eq!(tree(&out), files(&[("index.html", "four"), ("new.html", "new")]));
        assert_eq!(tree(&dir.path().join(".public.spare")), files(&[("index.html", "two")]));
    }

    #[test]
    fn a_spare_without_its_manifest_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        build(&out, &[("index.html", "one"), ("old.html", "old")]);
        build(&out, &[("index.html", "two")]);
        std::fs::remove_file(dir.path().join(".public.spare-manifest")).unwrap();
        build(&out, &[("index.html", "one")]);
        assert_eq!(tree(&out), files(&[("index.html", "one")]));
        assert_eq!(tree(&dir.path().join(".public.spare")), files(&[("index.html", "two")]));
    }
}
