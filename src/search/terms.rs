//! The term chunks, `search/terms/<hash>.bin`: stems in order, each with the
//! written words that stem to it (for prefix search as you type) and its
//! postings, page id gaps with a BM25 weight byte. Chunk boundaries are
//! chosen by the stems themselves, not by sizes, so an edit changes only the
//! chunks of the words it touched; files are named by their content.
//!
//! The postings are kept between rebuilds: an edit moves only the edited
//! page's postings and re-encodes only the stems they belong to.

use super::doc::{DocTerms, Kind};
use super::encode::{bytes, varint};
use super::vocab::{Vocab, fnv1a};
use crate::render::RenderedPage;
use std::sync::Arc;

/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Lengths are rounded to steps of this ratio before weighting, so a small
/// edit rarely changes a page's weights (and the chunks holding them).
const LENGTH_STEP: f64 = 1.1;
/// Term chunks aim at this size; a query downloads one chunk per word.
const CHUNK_TARGET: usize = 16 * 1024;
/// A chunk is cut before a stem that would take it past this, whatever the
/// stems, so a query downloads at most this much per word (or one stem's
/// entry alone); such a cut moves boundaries only up to the next stem that cuts.
const CHUNK_MAX: usize = 24 * 1024;
/// Actor and topic pages are short and mostly names: without this they
/// would rank above the briefings that discuss a word at length.
const PROFILE_PRIOR: f64 = 0.7;

fn quantize(length: f64) -> f64 {
    LENGTH_STEP.powi((length.max(1.0).ln() / LENGTH_STEP.ln()).round() as i32)
}

/// The length weights are normalised by: the average briefing's, rounded
/// like every length, so that it moves only when the archive changes a lot.
pub fn average_length(docs: &[Arc<DocTerms>]) -> f64 {
    let (sum, count) = docs
        .iter()
        .filter(|d| d.kind == Kind::Briefing)
        .fold((0.0, 0usize), |(sum, count), d| (sum + f64::from(d.length), count + 1));
    quantize(sum / count.max(1) as f64)
}

/// BM25's term-frequency part as a byte; the client multiplies by the idf.
/// Pages shorter than the average briefing count as that long, so a profile
/// of two lines does not win on one incidental word. `average` is rounded.
pub fn weight(count: u32, length: u32, average: f64, kind: Kind) -> u8 {
    let tf = f64::from(count);
    let length = quantize(f64::from(length)).max(average);
    let norm = K1 * (1.0 - B + B * length / average);
    let prior = if kind == Kind::Briefing { 1.0 } else { PROFILE_PRIOR };
    let w = prior * tf * (K1 + 1.0) / (tf + norm);
    (w / (K1 + 1.0) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// A page's stems with their weights, by stem id.
fn stem_weights(doc: &DocTerms, vocab: &Vocab, average: f64) -> Vec<(u32, u8)> {
    let mut counts: Vec<(u32, u32)> =
        doc.words.iter().map(|&packed| (vocab.word_stems[(packed >> 8) as usize], packed & 0xff)).collect();
    counts.sort_unstable_by_key(|&(stem, _)| stem);
    let mut weights: Vec<(u32, u8)> = Vec::with_capacity(counts.len());
    let mut i = 0;
    while i < counts.len() {
        let stem = counts[i].0;
        let mut count = 0;
        while i < counts.len() && counts[i].0 == stem {
            count += counts[i].1;
            i += 1;
        }
        weights.push((stem, weight(count, doc.length, average, doc.kind)));
    }
    weights
}

/// Every stem's postings and encoded entry, kept to be updated in place.
pub struct Terms {
    /// `page << 8 | weight` by page, for each stem id.
    postings: Vec<Vec<u32>>,
    /// Written words of each stem that some page holds, and on how many pages each word is.
    forms: Vec<Vec<u32>>,
    word_pages: Vec<u32>,
    /// Each stem's bytes in its chunk; empty for stems no page holds.
    entries: Vec<Vec<u8>>,
    /// Stems some page holds, in the order of their text.
    order: Vec<u32>,
}

impl Terms {
    /// Inverts `docs`, whose ids are their positions.
    pub fn build(docs: &[Arc<DocTerms>], vocab: &Vocab, average: f64) -> Terms {
        let mut terms = Terms {
            postings: vec![Vec::new(); vocab.stems.len()],
            forms: vec![Vec::new(); vocab.stems.len()],
            word_pages: vec![0; vocab.words.len()],
            entries: Vec::new(),
            order: Vec::new(),
        };
        for (id, doc) in docs.iter().enumerate() {
            for (stem, weight) in stem_weights(doc, vocab, average) {
                terms.postings[stem as usize].push(((id as u32) << 8) | u32::from(weight));
            }
            for &packed in &doc.words {
                terms.add_word(packed >> 8, vocab);
            }
        }
        // One thread: `vocab` is held under the process's lock, and a thread
        // waiting for parallel work takes up other jobs meanwhile, such as
        // another site's build asking for that lock. The index is made while
        // list pages render, which keep the other cores busy.
        terms.entries = (0..vocab.stems.len() as u32).map(|s| terms.entry(s, vocab)).collect();
        terms.order = (0..vocab.stems.len() as u32).filter(|&s| !terms.postings[s as usize].is_empty()).collect();
        terms.order.sort_unstable_by(|&a, &b| vocab.stems[a as usize].cmp(&vocab.stems[b as usize]));
        terms
    }

    /// Counts a page holding `word`; true when it is the first.
    fn add_word(&mut self, word: u32, vocab: &Vocab) -> bool {
        let count = &mut self.word_pages[word as usize];
        *count += 1;
        if *count == 1 {
            self.forms[vocab.word_stems[word as usize] as usize].push(word);
        }
        *count == 1
    }

    /// Takes page `id`'s postings from `old` to `new`, and re-encodes the
    /// stems whose postings or written forms changed.
    pub fn replace(&mut self, id: u32, old: &DocTerms, new: &DocTerms, vocab: &Vocab, average: f64) {
        // Words and stems first seen by this rebuild have no slot yet.
        self.postings.resize_with(vocab.stems.len(), Vec::new);
        self.forms.resize_with(vocab.stems.len(), Vec::new);
        self.entries.resize_with(vocab.stems.len(), Vec::new);
        self.word_pages.resize(vocab.words.len(), 0);
        let mut dirty: Vec<u32> = Vec::new();
        let (before, after) = (stem_weights(old, vocab, average), stem_weights(new, vocab, average));
        for (stem, weight) in merge_diff(&before, &after) {
            let postings = &mut self.postings[stem as usize];
            let at = postings.binary_search_by_key(&id, |p| p >> 8);
            match (at, weight) {
                (Ok(i), Some(w)) => postings[i] = (id << 8) | u32::from(w),
                (Ok(i), None) => _ = postings.remove(i),
                (Err(i), Some(w)) => postings.insert(i, (id << 8) | u32::from(w)),
                (Err(_), None) => {}
            }
            dirty.push(stem);
        }
        let ids = |doc: &DocTerms| doc.words.iter().map(|p| (p >> 8, ())).collect::<Vec<_>>();
        for (word, present) in merge_diff(&ids(old), &ids(new)) {
            let stem = vocab.word_stems[word as usize];
            if present.is_some() {
                if self.add_word(word, vocab) {
                    dirty.push(stem);
                }
            } else {
                let count = &mut self.word_pages[word as usize];
                *count -= 1;
                if *count == 0 {
                    self.forms[stem as usize].retain(|&w| w != word);
                    dirty.push(stem);
                }
            }
        }
        dirty.sort_unstable();
        dirty.dedup();
        for stem in dirty {
            let was_present = !self.entries[stem as usize].is_empty();
            self.entries[stem as usize] = self.entry(stem, vocab);
            let present = !self.entries[stem as usize].is_empty();
            if was_present != present {
                let text = &vocab.stems[stem as usize];
                let at = self.order.binary_search_by(|&s| vocab.stems[s as usize].cmp(text));
                match (at, present) {
                    (Err(i), true) => self.order.insert(i, stem),
                    (Ok(i), false) => _ = self.order.remove(i),
                    _ => {}
                }
            }
        }
    }

    /// Stem `stem`'s bytes: its text, its written forms as shared-prefix
    /// lengths and rests, and its postings. Empty when no page holds it.
    fn entry(&self, stem: u32, vocab: &Vocab) -> Vec<u8> {
        let postings = &self.postings[stem as usize];
        if postings.is_empty() {
            return Vec::new();
        }
        let text = vocab.stems[stem as usize].as_bytes();
        let mut out = Vec::with_capacity(16 + postings.len() * 2);
        bytes(&mut out, text);
        let mut forms: Vec<&[u8]> =
            self.forms[stem as usize].iter().map(|&w| vocab.words[w as usize].as_bytes()).collect();
        forms.sort_unstable();
        varint(&mut out, forms.len() as u32);
        for form in forms {
            let shared = form.iter().zip(text).take_while(|(a, b)| a == b).count();
            varint(&mut out, shared as u32);
            bytes(&mut out, &form[shared..]);
        }
        varint(&mut out, postings.len() as u32);
        let mut last = 0;
        for &posting in postings {
            let doc = posting >> 8;
            varint(&mut out, doc - last);
            out.push(posting as u8);
            last = doc;
        }
        out
    }

    /// The chunk files, and the first stem and file name of each.
    pub fn chunks(&self, vocab: &Vocab) -> (Vec<(String, String)>, Vec<RenderedPage>) {
        let total: usize = self.order.iter().map(|&s| self.entries[s as usize].len()).sum();
        // A chunk ends after a stem whose hash has its low bits clear: about one
        // stem in `span`, whatever the sizes, so boundaries stay put under edits.
        let span = (CHUNK_TARGET * self.order.len() / total.max(1)).max(1).next_power_of_two() as u32;
        let mut chunks = Vec::new();
        let mut files = Vec::new();
        let mut current: Vec<u8> = Vec::new();
        let mut first: Option<u32> = None;
        let mut flush = |current: &mut Vec<u8>, first: &mut Option<u32>| {
            let name = format!("{:012x}", xxhash_rust::xxh3::xxh3_64(current) >> 16);
            let first_stem = vocab.stems[first.take().expect("a chunk has a first stem") as usize].to_string();
            chunks.push((first_stem, name.clone()));
            files.push(RenderedPage::new(format!("search/terms/{name}.bin"), std::mem::take(current)));
        };
        for (i, &stem) in self.order.iter().enumerate() {
            let entry = &self.entries[stem as usize];
            // A stem that would take the chunk past the limit starts the next one.
            if !current.is_empty() && current.len() + entry.len() > CHUNK_MAX {
                flush(&mut current, &mut first);
            }
            first.get_or_insert(stem);
            current.extend_from_slice(entry);
            let text = vocab.stems[stem as usize].as_bytes();
            if fnv1a(text) & (span - 1) == 0 || i + 1 == self.order.len() {
                flush(&mut current, &mut first);
            }
        }
        (chunks, files)
    }
}

/// Walks two lists sorted by key and yields each key whose value differs,
/// with its value in `after` (`None` when it is only in `before`).
pub fn merge_diff<K: Ord + Copy, V: PartialEq + Copy>(before: &[(K, V)], after: &[(K, V)]) -> Vec<(K, Option<V>)> {
    let (mut i, mut j) = (0, 0);
    let mut changes = Vec::new();
    while i < before.len() || j < after.len() {
        match (before.get(i), after.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                if a.1 != b.1 {
                    changes.push((b.0, Some(b.1)));
                }
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                changes.push((a.0, None));
                i += 1;
            }
            (Some(a), None) => {
                changes.push((a.0, None));
                i += 1;
            }
            (_, Some(b)) => {
                changes.push((b.0, Some(b.1)));
                j += 1;
            }
            (None, None) => unreachable!("the loop stops when both are done"),
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_saturate_and_favour_short_pages() {
        let w = |count, length, average: f64| weight(count, length, quantize(average), Kind::Briefing);
        assert!(w(1, 100, 100.0) < w(3, 100, 100.0));
        assert!(w(3, 100, 100.0) < w(30, 100, 100.0));
        assert!(w(2, 100, 100.0) > w(2, 400, 100.0));
        assert!(w(1000, 100, 100.0) >= 254);
        // A one-word edit does not move a weight.
        assert_eq!(w(2, 700, 650.0), w(2, 701, 650.0));
        // Pages shorter than the average are not favoured.
        assert_eq!(w(1, 5, 100.0), w(1, 100, 100.0));
        assert!(weight(1, 100, 100.0, Kind::Topic) < w(1, 100, 100.0));
    }

    #[test]
    fn merge_diff_names_what_was_added_changed_and_removed() {
        let before = [(1, 'a'), (2, 'b'), (4, 'd')];
        let after = [(2, 'B'), (3, 'c'), (4, 'd'), (5, 'e')];
        assert_eq!(merge_diff(&before, &after), vec![(1, None), (2, Some('B')), (3, Some('c')), (5, Some('e'))]);
    }
}
