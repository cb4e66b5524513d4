//! Inverts the pages' word counts into the files the browser reads:
//!
//! - `search/index.json`: page count, the term chunks (first stem and file
//!   name of each), the pair shard count, and every facet value with its
//!   name and count.
//! - `search/terms/<hash>.bin`: stems in order, each with the written words
//!   that stem to it (for prefix search as you type) and its postings: page
//!   id gaps and a BM25 weight byte. Chunk boundaries are chosen by the stems
//!   themselves, not by sizes, so an edit changes only the chunks of the
//!   words it touched; files are named by their content.
//! - `search/pairs/<bits>-<i>.bin`: pages holding each pair of stems that
//!   follow each other, by pair hash, for phrase queries.
//! - `search/facets/<facet>/<value>.bin`: the pages of one actor, topic,
//!   year or kind, as id gaps or a bitset, whichever is smaller.
//!
//! Numbers are LEB128 varints. `static/search.js` reads all of these.

use super::doc::{DocTerms, Kind};
use super::vocab::{Vocab, fnv1a, vocab};
use crate::render::RenderedPage;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Lengths are rounded to steps of this ratio before weighting, so a small
/// edit rarely changes a page's weights (and the chunks holding them).
const LENGTH_STEP: f64 = 1.1;
/// Term chunks aim at this size; a query downloads one chunk per word.
const CHUNK_TARGET: usize = 16 * 1024;
/// A chunk is cut here whatever its stems, so no query downloads much more
/// than the target; such a cut moves boundaries only up to the next stem that cuts.
const CHUNK_MAX: usize = 32 * 1024;
/// Pair shards aim at this size.
const PAIR_SHARD_TARGET: usize = 16 * 1024;

/// Display names of facet values: slug → name.
pub struct FacetNames<'a> {
    pub actors: &'a BTreeMap<&'a str, &'a str>,
    pub topics: &'a BTreeMap<&'a str, &'a str>,
}

/// Every index file for `docs`, in page id order.
pub fn index_files(docs: &[Arc<DocTerms>], names: &FacetNames) -> Vec<RenderedPage> {
    let started = std::time::Instant::now();
    let vocab = vocab();
    let postings = invert(docs, &vocab);
    let inverted = started.elapsed();
    let (chunks, mut files) = term_chunks(&postings, &vocab);
    drop(vocab);
    let chunked = started.elapsed();
    let (pair_bits, pair_files) = pair_shards(docs);
    files.extend(pair_files);
    let paired = started.elapsed();
    let (facets, facet_files) = facets(docs, names);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    log::debug!(
        "search index: inverted at {:.1} ms, term chunks at {:.1} ms, pair shards at {:.1} ms, facets at {:.1} ms",
        ms(inverted),
        ms(chunked),
        ms(paired),
        ms(started.elapsed())
    );
    files.extend(facet_files);
    let meta = Meta { version: 1, docs: docs.len(), chunks, pair_bits, facets };
    files.push(RenderedPage::new("search/index.json", serde_json::to_vec(&meta).expect("the index meta serialises")));
    files
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    docs: usize,
    /// First stem and file name of each term chunk, in stem order.
    chunks: Vec<(String, String)>,
    pair_bits: u32,
    facets: BTreeMap<&'static str, Vec<(String, String, usize)>>,
}

/// Postings of each present stem: (word ids seen, (page << 8 | weight) by page).
struct Postings {
    stems: Vec<(u32, Vec<u32>)>,
    words: Vec<Vec<u32>>,
}

fn quantize(length: f64) -> f64 {
    LENGTH_STEP.powi((length.max(1.0).ln() / LENGTH_STEP.ln()).round() as i32)
}

/// Actor and topic pages are short and mostly names: without this they
/// would rank above the briefings that discuss a word at length.
const PROFILE_PRIOR: f64 = 0.7;

/// BM25's term-frequency part as a byte; the client multiplies by the idf.
/// Pages shorter than the average briefing count as that long, so a profile
/// of two lines does not win on one incidental word.
pub fn weight(count: u32, length: u32, average: f64, kind: Kind) -> u8 {
    let tf = f64::from(count);
    let length = f64::from(length).max(average);
    let norm = K1 * (1.0 - B + B * quantize(length) / quantize(average));
    let prior = if kind == Kind::Briefing { 1.0 } else { PROFILE_PRIOR };
    let w = prior * tf * (K1 + 1.0) / (tf + norm);
    (w / (K1 + 1.0) * 255.0).round().clamp(1.0, 255.0) as u8
}

fn invert(docs: &[Arc<DocTerms>], vocab: &Vocab) -> Postings {
    let briefings: Vec<f64> = docs.iter().filter(|d| d.kind == Kind::Briefing).map(|d| f64::from(d.length)).collect();
    let average = briefings.iter().sum::<f64>() / briefings.len().max(1) as f64;
    let mut by_stem: Vec<Vec<u32>> = vec![Vec::new(); vocab.stems.len()];
    let mut words: Vec<Vec<u32>> = vec![Vec::new(); vocab.stems.len()];
    let mut seen = vec![false; vocab.words.len()];
    let mut counts: Vec<(u32, u32)> = Vec::new();
    for (id, doc) in docs.iter().enumerate() {
        counts.clear();
        counts.extend(doc.words.iter().map(|&packed| {
            let (w, c) = (packed >> 8, packed & 0xff);
            if !std::mem::replace(&mut seen[w as usize], true) {
                words[vocab.word_stems[w as usize] as usize].push(w);
            }
            (vocab.word_stems[w as usize], c)
        }));
        counts.sort_unstable_by_key(|&(stem, _)| stem);
        let mut i = 0;
        while i < counts.len() {
            let stem = counts[i].0;
            let mut count = 0;
            while i < counts.len() && counts[i].0 == stem {
                count += counts[i].1;
                i += 1;
            }
            by_stem[stem as usize].push(((id as u32) << 8) | u32::from(weight(count, doc.length, average, doc.kind)));
        }
    }
    let stems = by_stem.into_iter().enumerate().filter(|(_, p)| !p.is_empty()).map(|(s, p)| (s as u32, p)).collect();
    Postings { stems, words }
}

pub fn varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn bytes(out: &mut Vec<u8>, text: &[u8]) {
    varint(out, text.len() as u32);
    out.extend_from_slice(text);
}

fn term_chunks(postings: &Postings, vocab: &Vocab) -> (Vec<(String, String)>, Vec<RenderedPage>) {
    let mut stems: Vec<&(u32, Vec<u32>)> = postings.stems.iter().collect();
    stems.sort_unstable_by(|a, b| vocab.stems[a.0 as usize].cmp(&vocab.stems[b.0 as usize]));
    let entries: Vec<Vec<u8>> = stems
        .par_iter()
        .map(|(stem, docs)| {
            let text = vocab.stems[*stem as usize].as_bytes();
            let mut out = Vec::with_capacity(16 + docs.len() * 2);
            bytes(&mut out, text);
            let mut forms: Vec<&[u8]> =
                postings.words[*stem as usize].iter().map(|&w| vocab.words[w as usize].as_bytes()).collect();
            forms.sort_unstable();
            varint(&mut out, forms.len() as u32);
            for form in forms {
                let shared = form.iter().zip(text).take_while(|(a, b)| a == b).count();
                varint(&mut out, shared as u32);
                bytes(&mut out, &form[shared..]);
            }
            varint(&mut out, docs.len() as u32);
            let mut last = 0;
            for &posting in docs {
                let doc = posting >> 8;
                varint(&mut out, doc - last);
                out.push(posting as u8);
                last = doc;
            }
            out
        })
        .collect();
    let total: usize = entries.iter().map(Vec::len).sum();
    // A chunk ends after a stem whose hash has its low bits clear: about one
    // stem in `span`, whatever the sizes, so boundaries stay put under edits.
    let span = (CHUNK_TARGET * entries.len() / total.max(1)).max(1).next_power_of_two() as u32;
    let mut chunks = Vec::new();
    let mut files = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut first: Option<usize> = None;
    for (i, entry) in entries.iter().enumerate() {
        first.get_or_insert(i);
        current.extend_from_slice(entry);
        let stem = vocab.stems[stems[i].0 as usize].as_bytes();
        if fnv1a(stem) & (span - 1) == 0 || current.len() >= CHUNK_MAX || i + 1 == entries.len() {
            let name = format!("{:012x}", xxhash_rust::xxh3::xxh3_64(&current) >> 16);
            let first_stem = vocab.stems[stems[first.take().expect("a chunk has a first stem")].0 as usize].to_string();
            chunks.push((first_stem, name.clone()));
            files.push(RenderedPage::new(format!("search/terms/{name}.bin"), std::mem::take(&mut current)));
        }
    }
    (chunks, files)
}

fn pair_shards(docs: &[Arc<DocTerms>]) -> (u32, Vec<RenderedPage>) {
    let total: usize = docs.iter().map(|d| d.pairs.len()).sum();
    // About two bytes a posting; shard counts move only at powers of two.
    let shards = (total * 2 / PAIR_SHARD_TARGET).max(1).next_power_of_two();
    let bits = shards.trailing_zeros();
    let shard_of = |hash: u32| if bits == 0 { 0 } else { (hash >> (32 - bits)) as usize };
    // Shards are made a group at a time, so only a group's postings are in
    // memory at once; each page's pairs are sorted, so a group's are a slice.
    let groups = shards.min(32);
    let per_group = shards / groups;
    let files = (0..groups)
        .into_par_iter()
        .flat_map_iter(|group| {
            let first = group * per_group;
            let mut by_shard: Vec<Vec<u64>> = vec![Vec::new(); per_group];
            for (id, doc) in docs.iter().enumerate() {
                let start = doc.pairs.partition_point(|&hash| shard_of(hash) < first);
                for &hash in &doc.pairs[start..] {
                    let Some(shard) = by_shard.get_mut(shard_of(hash) - first) else { break };
                    shard.push((u64::from(hash) << 32) | id as u64);
                }
            }
            by_shard.into_iter().enumerate().filter(|(_, pairs)| !pairs.is_empty()).map(move |(i, pairs)| {
                RenderedPage::new(format!("search/pairs/{bits}-{}.bin", first + i), encode_pairs(pairs))
            })
        })
        .collect();
    (bits, files)
}

/// A pair shard: hash gaps, each with its page count and page id gaps.
fn encode_pairs(mut pairs: Vec<u64>) -> Vec<u8> {
    pairs.sort_unstable();
    let mut out = Vec::with_capacity(pairs.len() * 2);
    let mut last_hash = 0u32;
    let mut at = 0;
    while at < pairs.len() {
        let hash = (pairs[at] >> 32) as u32;
        let end = at + pairs[at..].iter().take_while(|&&p| (p >> 32) as u32 == hash).count();
        varint(&mut out, hash - last_hash);
        varint(&mut out, (end - at) as u32);
        let mut last = 0u32;
        for &pair in &pairs[at..end] {
            varint(&mut out, pair as u32 - last);
            last = pair as u32;
        }
        last_hash = hash;
        at = end;
    }
    out
}

type FacetList = Vec<(String, String, usize)>;

fn facets(docs: &[Arc<DocTerms>], names: &FacetNames) -> (BTreeMap<&'static str, FacetList>, Vec<RenderedPage>) {
    let mut values: BTreeMap<(&'static str, String), Vec<u32>> = BTreeMap::new();
    for (id, doc) in docs.iter().enumerate() {
        let id = id as u32;
        values.entry(("kind", doc.kind.as_str().to_string())).or_default().push(id);
        if let Some(year) = doc.year {
            values.entry(("year", year.to_string())).or_default().push(id);
        }
        for actor in &doc.actors {
            values.entry(("actor", actor.to_string())).or_default().push(id);
        }
        for topic in &doc.topics {
            values.entry(("topic", topic.to_string())).or_default().push(id);
        }
    }
    let mut lists: BTreeMap<&'static str, FacetList> = BTreeMap::new();
    let mut files = Vec::with_capacity(values.len());
    for ((facet, value), ids) in values {
        let name = match facet {
            "kind" => Kind::ALL.iter().find(|k| k.as_str() == value).map_or(value.clone(), |k| k.plural().into()),
            "actor" => names.actors.get(value.as_str()).map_or(value.clone(), |n| n.to_string()),
            "topic" => names.topics.get(value.as_str()).map_or(value.clone(), |n| n.to_string()),
            _ => value.clone(),
        };
        files.push(RenderedPage::new(format!("search/facets/{facet}/{value}.bin"), doc_set(&ids, docs.len())));
        lists.entry(facet).or_default().push((value, name, ids.len()));
    }
    for (facet, list) in lists.iter_mut() {
        match *facet {
            "year" => list.sort_by(|a, b| b.0.cmp(&a.0)),
            "kind" => {}
            _ => list.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1))),
        }
    }
    (lists, files)
}

/// A set of page ids: `0` then id gaps, or `1` then a bitset, whichever is smaller.
fn doc_set(ids: &[u32], total: usize) -> Vec<u8> {
    let mut gaps = vec![0u8];
    let mut last = 0;
    for (i, &id) in ids.iter().enumerate() {
        varint(&mut gaps, if i == 0 { id } else { id - last });
        last = id;
    }
    let bitset_len = 1 + total.div_ceil(8);
    if gaps.len() <= bitset_len {
        return gaps;
    }
    let mut bits = vec![0u8; bitset_len];
    bits[0] = 1;
    for &id in ids {
        bits[1 + id as usize / 8] |= 1 << (id % 8);
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_saturate_and_favour_short_pages() {
        let w = |count, length, average| weight(count, length, average, Kind::Briefing);
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
    fn doc_sets_pick_the_smaller_encoding() {
        assert_eq!(doc_set(&[3, 5, 300], 1000), vec![0, 3, 2, 167, 2]);
        let dense: Vec<u32> = (0..100).collect();
        let set = doc_set(&dense, 100);
        assert_eq!(set[0], 1);
        assert_eq!(set.len(), 1 + 13);
        assert_eq!(set[1], 0xff);
    }

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        varint(&mut out, 127);
        varint(&mut out, 300);
        assert_eq!(out, vec![127, 0xac, 0x02]);
    }
}
