//! Inverts the pages' records into the files the browser reads, and keeps
//! what it made so that a rebuild updates the index instead of making it
//! again:
//!
//! - `search/index.json`: page count, briefing count, the term chunks (first stem and file
//!   name of each), the pair shard count, and every facet value with its
//!   name and count;
//! - `search/terms/<hash>.bin` ([`terms`](super::terms));
//! - `search/pairs/<bits>-<i>.bin` ([`pairs`](super::pairs));
//! - `search/facets/<facet>/<value>.bin` ([`facets`](super::facets)).
//!
//! Numbers are LEB128 varints. `static/search.js` reads all of these.

use super::doc::{DocTerms, Kind};
use super::facets::{FacetLists, FacetNames, facets, same_facets};
use super::pairs::{Pairs, shard_bits};
use super::terms::{Terms, average_length};
use super::vocab::vocab;
use crate::render::RenderedPage;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

/// The index of a set of pages, ready to be updated.
pub struct SearchIndex {
    docs: Vec<Arc<DocTerms>>,
    names: FacetNames,
    average: f64,
    terms: Terms,
    pairs: Pairs,
    facets: (FacetLists, Vec<RenderedPage>),
    /// Every file last made, by path, with the hash of its bytes.
    made: HashMap<String, u64>,
}

/// What an update changed in the index files.
#[derive(Debug, Default)]
pub struct IndexChanges {
    pub changed: Vec<RenderedPage>,
    pub gone: Vec<String>,
}

/// Values of each facet in the table of contents: those the filter chips
/// show at first, and two more, so a short list is shown whole.
const LISTED_VALUES: usize = 8;

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    /// Pages before the first actor's or topic's: the briefings, whose
    /// search files are named by id (the others' by slug, from `docs/terms.json`).
    briefings: usize,
    /// First stem and file name of each term chunk, in stem order.
    chunks: Vec<(String, String)>,
    pair_bits: u32,
    /// The most common values of each facet, and how many there are.
    facets: BTreeMap<&'static str, &'a [(String, String, usize)]>,
    facet_values: BTreeMap<&'static str, usize>,
}

impl SearchIndex {
    /// The index of `docs`, whose page ids are their positions, and its files.
    pub fn build(docs: Vec<Arc<DocTerms>>, names: FacetNames) -> (SearchIndex, Vec<RenderedPage>) {
        let started = Instant::now();
        let average = average_length(&docs);
        let ((terms, inverted), (pairs, paired)) = rayon::join(
            || (Terms::build(&docs, &vocab(), average), started.elapsed()),
            || (Pairs::build(&docs), started.elapsed()),
        );
        let facets = facets(&docs, &names);
        let mut index = SearchIndex { docs, names, average, terms, pairs, facets, made: HashMap::new() };
        let files = index.files();
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        log::debug!(
            "search index: terms at {:.1} ms, pair shards at {:.1} ms, files at {:.1} ms",
            ms(inverted),
            ms(paired),
            ms(started.elapsed())
        );
        index.made = files.iter().map(|f| (f.path.clone(), xxhash_rust::xxh3::xxh3_64(&f.bytes))).collect();
        (index, files)
    }

    /// Brings the index up to `docs`: only the pages whose records changed
    /// are moved, and only the files whose bytes changed are returned. When
    /// the page count, the average length or the shard count moved, every
    /// weight or shard would change: the index is made again.
    pub fn update(&mut self, docs: Vec<Arc<DocTerms>>, names: FacetNames) -> IndexChanges {
        let average = average_length(&docs);
        let same_shape =
            docs.len() == self.docs.len() && average == self.average && shard_bits(&docs) == self.pairs.bits;
        let before = std::mem::take(&mut self.made);
        let files = if same_shape {
            let mut facets_changed = names != self.names;
            {
                let vocab = vocab();
                for (id, (old, new)) in self.docs.iter().zip(&docs).enumerate() {
                    if Arc::ptr_eq(old, new) || old == new {
                        continue;
                    }
                    self.terms.replace(id as u32, old, new, &vocab, average);
                    self.pairs.replace(id as u32, old, new);
                    facets_changed |= !same_facets(old, new);
                }
            }
            if facets_changed {
                self.facets = facets(&docs, &names);
            }
            self.docs = docs;
            self.names = names;
            self.files()
        } else {
            let (index, files) = SearchIndex::build(docs, names);
            *self = index;
            files
        };
        let mut made: HashMap<String, u64> = HashMap::with_capacity(files.len());
        let mut changes = IndexChanges::default();
        for file in files {
            let hash = xxhash_rust::xxh3::xxh3_64(&file.bytes);
            if before.get(&file.path) != Some(&hash) {
                made.insert(file.path.clone(), hash);
                changes.changed.push(file);
            } else {
                made.insert(file.path, hash);
            }
        }
        changes.gone = before.keys().filter(|path| !made.contains_key(*path)).cloned().collect();
        changes.gone.sort();
        self.made = made;
        changes
    }

    /// Every index file, from the current state.
    fn files(&self) -> Vec<RenderedPage> {
        let (chunks, mut files) = self.terms.chunks(&vocab());
        files.extend(self.pairs.files());
        files.extend(self.facets.1.iter().cloned());
        let lists = &self.facets.0;
        let meta = Meta {
            version: 2,
            docs: self.docs.len(),
            briefings: self.docs.iter().take_while(|d| d.kind == Kind::Briefing).count(),
            chunks,
            pair_bits: self.pairs.bits,
            facets: lists.iter().map(|(facet, list)| (*facet, &list[..list.len().min(LISTED_VALUES)])).collect(),
            facet_values: lists.iter().map(|(facet, list)| (*facet, list.len())).collect(),
        };
        files.push(RenderedPage::new(
            "search/index.json",
            serde_json::to_vec(&meta).expect("the index meta serialises"),
        ));
        files
    }
}
