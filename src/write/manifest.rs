//! The record of what the last build wrote (path, hash, size, mtime), kept
//! beside the output folder so unchanged files can be recognised without
//! reading them back. A full build writes it whole; a rebuild appends the
//! entries it changed (a removal is `-` for a hash), later lines winning, so
//! a one-file edit does not rewrite a record of every file.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// One output file as the last build left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEntry {
    pub hash: u64,
    pub len: u64,
    /// Modification time in nanoseconds, to notice files changed behind our back.
    pub mtime: u128,
}

impl ManifestEntry {
    pub fn of_file(path: &Path, hash: u64, len: u64) -> ManifestEntry {
        ManifestEntry { hash, len, mtime: mtime(path).unwrap_or(0) }
    }

    /// The entry of a file just written, from its open handle's metadata:
    /// no second look-up of its path.
    pub fn of_written(meta: &std::fs::Metadata, hash: u64, len: u64) -> ManifestEntry {
        ManifestEntry { hash, len, mtime: modified(meta).unwrap_or(0) }
    }

    /// True when the file on disk is still the one recorded.
    pub fn matches_file(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.len() == self.len && modified(&m) == Some(self.mtime))
    }
}

/// The hash field of a line that removes its file.
const REMOVED: &str = "-";

fn line(file: &str, e: &ManifestEntry) -> String {
    format!("{:016x}\t{}\t{}\t{file}\n", e.hash, e.len, e.mtime)
}

fn mtime(path: &Path) -> Option<u128> {
    modified(&std::fs::metadata(path).ok()?)
}

fn modified(meta: &std::fs::Metadata) -> Option<u128> {
    Some(meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos())
}

/// Output path → entry.
#[derive(Debug, Default)]
pub struct Manifest(HashMap<String, ManifestEntry>);

impl Manifest {
    /// Reads a manifest; a missing or unreadable one is empty, which only costs rewriting.
    pub fn read(path: &Path) -> Manifest {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Manifest::default();
        };
        let mut manifest = Manifest::default();
        for line in text.lines() {
            let mut parts = line.splitn(4, '\t');
            let (Some(hash), Some(len), Some(mtime), Some(file)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if hash == REMOVED {
                manifest.0.remove(file);
                continue;
            }
            let (Ok(hash), Ok(len), Ok(mtime)) = (u64::from_str_radix(hash, 16), len.parse(), mtime.parse()) else {
                continue;
            };
            manifest.0.insert(file.to_string(), ManifestEntry { hash, len, mtime });
        }
        manifest
    }

    /// Adds a rebuild's changes to the manifest at `path`: an entry for each
    /// file written, a removal for each file no longer made.
    pub fn append(path: &Path, written: &[(String, ManifestEntry)], removed: &[String]) -> Result<()> {
        use std::io::Write;
        let mut text = String::new();
        for (file, e) in written {
            text.push_str(&line(file, e));
        }
        for file in removed {
            text.push_str(&format!("{REMOVED}\t0\t0\t{file}\n"));
        }
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| Error::io(format!("cannot write `{}`", path.display()), e))
    }

    pub fn from_entries(entries: Vec<(String, ManifestEntry)>) -> Manifest {
        Manifest(entries.into_iter().collect())
    }

    pub fn get(&self, path: &str) -> Option<&ManifestEntry> {
        self.0.get(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Writes the manifest whole, through a temporary file: a build cut
    /// off here leaves the old record, never half of one.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut lines: Vec<String> = self.0.iter().map(|(file, e)| line(file, e)).collect();
        lines.sort_unstable();
        super::replace_file(path, lines.concat().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appended_changes_win_over_earlier_lines() {
        let dir = std::env::temp_dir().join(format!("dossier-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("manifest");
        let entry = |hash| ManifestEntry { hash, len: 3, mtime: 7 };
        Manifest::from_entries(vec![("a".into(), entry(1)), ("b".into(), entry(2))]).write(&path).unwrap();
        Manifest::append(&path, &[("a".into(), entry(9)), ("c".into(), entry(3))], &["b".into()]).unwrap();
        let read = Manifest::read(&path);
        assert_eq!((read.get("a"), read.get("b"), read.get("c")), (Some(&entry(9)), None, Some(&entry(3))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
