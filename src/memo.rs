//! What the previous build made, so that a rebuild redoes only what changed.
//! Every output is recorded with a fingerprint of exactly the data its
//! template received (for pages) or of its bytes (feeds, sitemap, assets):
//! a page is rendered again only when something it shows changed, and the
//! result cannot differ from a full build's. Rendered bodies are kept by a
//! fingerprint of what they are made from, so Markdown runs only for edited
//! briefings.

use crate::markdown::BodyHtml;
use crate::search::DocTerms;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex};

/// Output path → fingerprint, from the previous build and for the next.
#[derive(Debug, Default)]
pub struct Memo {
    previous: HashMap<String, u64>,
    next: Mutex<HashMap<String, u64>>,
    /// Rendered bodies by the fingerprint of what they are made from.
    pub bodies: Kept<BodyHtml>,
    /// Search records of pages, likewise.
    pub search: Kept<DocTerms>,
}

/// Values made by the previous build, by the fingerprint of their inputs;
/// those asked for again are carried on to the next build.
#[derive(Debug)]
pub struct Kept<T> {
    before: HashMap<u64, Arc<T>>,
    next: Mutex<HashMap<u64, Arc<T>>>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept { before: HashMap::new(), next: Mutex::default() }
    }
}

impl<T> Kept<T> {
    /// The value made from inputs with fingerprint `key`, if kept.
    pub fn get(&self, key: u64) -> Option<Arc<T>> {
        let value = self.before.get(&key).cloned()?;
        self.next.lock().expect("no panic holding the lock").insert(key, value.clone());
        Some(value)
    }

    pub fn keep(&self, key: u64, value: Arc<T>) {
        self.next.lock().expect("no panic holding the lock").insert(key, value);
    }

    fn retry(self) -> Kept<T> {
        Kept { before: self.before, next: Mutex::default() }
    }

    fn advance(self) -> Kept<T> {
        Kept { before: self.next.into_inner().expect("no panic holding the lock"), next: Mutex::default() }
    }

    /// After a rebuild that asked only for what it made again: what it
    /// asked for joins what was kept, less `replaced` (unless asked for).
    fn advance_edited(self, replaced: impl IntoIterator<Item = u64>) -> Kept<T> {
        let mut before = self.before;
        let next = self.next.into_inner().expect("no panic holding the lock");
        for key in replaced {
            if !next.contains_key(&key) {
                before.remove(&key);
            }
        }
        before.extend(next);
        Kept { before, next: Mutex::default() }
    }
}

impl Memo {
    /// A memo of nothing: every output counts as changed.
    pub fn empty() -> Memo {
        Memo::default()
    }

    /// Records `output` with `fingerprint`; true when the previous build
    /// made it from the same data, so it need not be made again.
    pub fn unchanged(&self, output: &str, fingerprint: u64) -> bool {
        self.next.lock().expect("no panic holding the lock").insert(output.to_string(), fingerprint);
        self.previous.get(output) == Some(&fingerprint)
    }

    /// Outputs of the previous build that this one did not make.
    pub fn gone(&self) -> Vec<String> {
        let next = self.next.lock().expect("no panic holding the lock");
        let mut gone: Vec<String> = self.previous.keys().filter(|p| !next.contains_key(*p)).cloned().collect();
        gone.sort();
        gone
    }

    /// The memo to retry with after a failed build: what the last good one made.
    pub fn retry(self) -> Memo {
        Memo {
            previous: self.previous,
            next: Mutex::default(),
            bodies: self.bodies.retry(),
            search: self.search.retry(),
        }
    }

    /// The memo after a rebuild that checked only some outputs: the others
    /// are as the previous build made them, less those `gone`.
    /// `replaced_bodies` are the keys of bodies it made anew in place of others.
    pub fn advance_edited(self, replaced_bodies: Vec<u64>, gone: &[String]) -> Memo {
        let mut previous = self.previous;
        let next = self.next.into_inner().expect("no panic holding the lock");
        // A search record is kept by the fingerprint of its file: a file
        // made again, or gone, leaves its old record behind.
        let mut replaced_search: Vec<u64> =
            next.iter().filter_map(|(path, print)| previous.get(path).filter(|&old| old != print).copied()).collect();
        replaced_search.extend(gone.iter().filter_map(|path| previous.remove(path)));
        previous.extend(next);
        Memo {
            previous,
            next: Mutex::default(),
            bodies: self.bodies.advance_edited(replaced_bodies),
            search: self.search.advance_edited(replaced_search),
        }
    }

    /// The memo for a build that makes every output again, but keeps the
    /// bodies and search records: no output counts as unchanged.
    pub fn forget_outputs(self) -> Memo {
        Memo { previous: HashMap::new(), ..self.retry() }
    }

    /// The memo for the build after this one: what this one made.
    pub fn advance(self) -> Memo {
        Memo {
            previous: self.next.into_inner().expect("no panic holding the lock"),
            next: Mutex::default(),
            bodies: self.bodies.advance(),
            search: self.search.advance(),
        }
    }
}

/// An `io::Write` that hashes what is written, to fingerprint serialised
/// data. Fingerprints are made of many pieces of a few bytes each, which
/// the streaming hasher takes one call at a time: they are gathered first
/// and hashed in long runs, which gives the same fingerprint.
pub struct HashWriter {
    hasher: xxhash_rust::xxh3::Xxh3,
    pending: Vec<u8>,
}

/// Bytes gathered before they are hashed.
const HASH_RUN: usize = 4096;

impl HashWriter {
    pub fn new() -> HashWriter {
        HashWriter { hasher: xxhash_rust::xxh3::Xxh3::new(), pending: Vec::with_capacity(256) }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        if self.pending.len() + bytes.len() > HASH_RUN {
            self.hasher.update(&self.pending);
            self.pending.clear();
            if bytes.len() > HASH_RUN {
                self.hasher.update(bytes);
                return;
            }
        }
        self.pending.extend_from_slice(bytes);
    }

    pub fn finish(&self) -> u64 {
        let mut hasher = self.hasher.clone();
        hasher.update(&self.pending);
        hasher.finish()
    }
}

impl Default for HashWriter {
    fn default() -> Self {
        HashWriter::new()
    }
}

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_unchanged_only_with_the_same_fingerprint() {
        let first = Memo::empty();
        assert!(!first.unchanged("a/index.html", 1));
        assert!(!first.unchanged("b/index.html", 2));
        let second = first.advance();
        assert!(second.unchanged("a/index.html", 1));
        assert!(!second.unchanged("b/index.html", 3));
        assert_eq!(second.gone(), Vec::<String>::new());
        let third = second.advance();
        assert!(third.unchanged("a/index.html", 1));
        assert_eq!(third.gone(), ["b/index.html"]);
    }

    #[test]
    fn a_fingerprint_is_the_hash_of_every_byte_written_however_they_came() {
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for piece in [1, 3, 8, 100, 4095, 4096, 4097, 9000] {
            let mut hash = HashWriter::new();
            bytes.chunks(piece).for_each(|chunk| hash.update(chunk));
            assert_eq!(hash.finish(), xxhash_rust::xxh3::xxh3_64(&bytes), "pieces of {piece} bytes");
        }
    }
}
