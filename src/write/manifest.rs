//! The record of what the last build wrote (path, hash, size, mtime), kept
//! beside the output folder so unchanged files can be recognised without
//! reading them back.

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

    /// True when the file on disk is still the one recorded.
    pub fn matches_file(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|m| m.len() == self.len) && mtime(path) == Some(self.mtime)
    }
}

fn mtime(path: &Path) -> Option<u128> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(modified.duration_since(UNIX_EPOCH).ok()?.as_nanos())
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
        let entries = text.lines().filter_map(|line| {
            let mut parts = line.splitn(4, '\t');
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            let mtime = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), ManifestEntry { hash, len, mtime }))
        });
        Manifest(entries.collect())
    }

    pub fn from_entries(entries: Vec<(String, ManifestEntry)>) -> Manifest {
        Manifest(entries.into_iter().collect())
    }

    pub fn insert(&mut self, path: String, entry: ManifestEntry) {
        self.0.insert(path, entry);
    }

    pub fn remove(&mut self, path: &str) {
        self.0.remove(path);
    }

    pub fn get(&self, path: &str) -> Option<&ManifestEntry> {
        self.0.get(path)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let mut lines: Vec<String> =
            self.0.iter().map(|(file, e)| format!("{:016x}\t{}\t{}\t{file}", e.hash, e.len, e.mtime)).collect();
        lines.sort_unstable();
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(path, text).map_err(|e| Error::io(format!("cannot write `{}`", path.display()), e))
    }
}
