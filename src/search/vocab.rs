//! Every word the build has indexed, interned once per process: a body's
//! words become small ids, so per-briefing records stay compact and the
//! costly normalising and stemming run once per distinct spelling. Ids are
//! internal; everything written is ordered by the words themselves, so the
//! output does not depend on which thread saw a word first.

use super::text::{is_indexed, normalize, stem};
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::sync::{LazyLock, Mutex, MutexGuard};

/// A written word's ids: its normalised form and its stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordId {
    pub word: u32,
    pub stem: u32,
    /// The stem's hash, from which phrase pair keys are made.
    pub stem_hash: u32,
}

#[derive(Debug, Default)]
pub struct Vocab {
    word_ids: HashMap<Box<str>, u32>,
    stem_ids: HashMap<Box<str>, u32>,
    /// Normalised words by id, and the stem of each.
    pub words: Vec<Box<str>>,
    pub word_stems: Vec<u32>,
    /// Stems by id, and the hash the client computes for each (phrase pairs).
    pub stems: Vec<Box<str>>,
    pub stem_hashes: Vec<u32>,
}

static VOCAB: LazyLock<Mutex<Vocab>> = LazyLock::new(Mutex::default);

/// The process's vocabulary, for reading ids back into words.
pub fn vocab() -> MutexGuard<'static, Vocab> {
    VOCAB.lock().expect("no panic holding the lock")
}

/// A written word short enough to be held inline, as a cache key: found
/// without following a pointer, and compared as three integers rather
/// than by a call to compare bytes.
type ShortKey = [u64; 3];

fn short_key(raw: &str) -> Option<ShortKey> {
    let bytes = raw.as_bytes();
    let mut key = [0u8; 24];
    (bytes.len() < key.len()).then(|| {
        key[..bytes.len()].copy_from_slice(bytes);
        key[23] = bytes.len() as u8;
        let word = |i: usize| u64::from_le_bytes(key[i..i + 8].try_into().expect("eight bytes"));
        [word(0), word(8), word(16)]
    })
}

/// Written word → ids; `None` for stop words. Spares the lock and the
/// stemmer for every word a thread has seen before.
#[derive(Default)]
struct Seen {
    short: HashMap<ShortKey, Option<WordId>>,
    long: HashMap<Box<str>, Option<WordId>>,
}

thread_local! {
    static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
}

/// Runs `f` with a lookup of written words: for a page's many words, the
/// thread's cache is reached once rather than once a word.
pub fn with_lookup<R>(f: impl FnOnce(&mut dyn FnMut(&str) -> Option<WordId>) -> R) -> R {
    SEEN.with(|seen| {
        let seen = &mut *seen.borrow_mut();
        f(&mut |raw| {
            let key = short_key(raw);
            let found = match key {
                Some(key) => seen.short.get(&key),
                None => seen.long.get(raw),
            };
            if let Some(&found) = found {
                return found;
            }
            let word = normalize(raw);
            let id = is_indexed(&word).then(|| intern(word));
            match key {
                Some(key) => seen.short.insert(key, id),
                None => seen.long.insert(raw.into(), id),
            };
            id
        })
    })
}

fn intern(word: String) -> WordId {
    let mut vocab = vocab();
    if let Some(&w) = vocab.word_ids.get(word.as_str()) {
        let stem = vocab.word_stems[w as usize];
        return WordId { word: w, stem, stem_hash: vocab.stem_hashes[stem as usize] };
    }
    let stem_text = stem(&word);
    let stem_id = match vocab.stem_ids.get(stem_text.as_str()) {
        Some(&s) => s,
        None => {
            let s = vocab.stems.len() as u32;
            vocab.stem_hashes.push(fnv1a(stem_text.as_bytes()));
            vocab.stem_ids.insert(stem_text.clone().into(), s);
            vocab.stems.push(stem_text.into());
            s
        }
    };
    let w = vocab.words.len() as u32;
    vocab.word_ids.insert(word.clone().into(), w);
    vocab.words.push(word.into());
    vocab.word_stems.push(stem_id);
    WordId { word: w, stem: stem_id, stem_hash: vocab.stem_hashes[stem_id as usize] }
}

/// 32-bit FNV-1a: simple enough for the client to compute the same.
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| (h ^ b as u32).wrapping_mul(0x0100_0193))
}

/// The key of two stems following each other, from their hashes.
pub fn pair_hash(first: u32, second: u32) -> u32 {
    first.wrapping_mul(0x9e37_79b1) ^ second
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(raw: &str) -> Option<WordId> {
        with_lookup(|lookup| lookup(raw))
    }

    #[test]
    fn spellings_of_one_word_share_ids_and_forms_share_a_stem() {
        let a = lookup("Guarantees").unwrap();
        assert_eq!(lookup("guarantees"), Some(a));
        let b = lookup("guarantee").unwrap();
        assert_ne!(a.word, b.word);
        assert_eq!(a.stem, b.stem);
        assert!(lookup("The").is_none());
        let vocab = vocab();
        assert_eq!(&*vocab.words[a.word as usize], "guarantees");
        assert_eq!(&*vocab.stems[a.stem as usize], "guarante");
    }

    #[test]
    fn the_hash_is_fnv1a() {
        assert_eq!(fnv1a(b""), 0x811c9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c292c);
    }
}
