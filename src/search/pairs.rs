//! The pair shards, `search/pairs/<bits>-<i>.bin`: for each pair of stems
//! that follow each other, the pages holding it, by pair hash; a phrase
//! query fetches the shards of its pairs. A shard holds hash gaps, each with
//! its page count and page id gaps.
//!
//! Shards are kept encoded between rebuilds: an edit decodes, changes and
//! re-encodes only the shards of the pairs it added or removed.

use super::doc::DocTerms;
use super::encode::{read_varint, varint};
use super::terms::merge_diff;
use crate::render::RenderedPage;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Pair shards aim at this size.
const PAIR_SHARD_TARGET: usize = 16 * 1024;
/// The postings of one group of shards in memory at once, at most about this.
const GROUP_BYTES: usize = 16 << 20;

pub struct Pairs {
    /// Shard count as a power of two; the top bits of a hash pick its shard.
    pub bits: u32,
    shards: Vec<Vec<u8>>,
}

/// The shard count (as a power of two) for the pages' pair postings: about
/// two bytes a posting, moving only at powers of two.
pub fn shard_bits(docs: &[Arc<DocTerms>]) -> u32 {
    bits_for(total_pairs(docs))
}

fn total_pairs(docs: &[Arc<DocTerms>]) -> usize {
    docs.iter().map(|d| d.pairs.len()).sum()
}

fn bits_for(total: usize) -> u32 {
    (total * 2 / PAIR_SHARD_TARGET).max(1).next_power_of_two().trailing_zeros()
}

impl Pairs {
    fn shard_of(&self, hash: u32) -> usize {
        if self.bits == 0 { 0 } else { (hash >> (32 - self.bits)) as usize }
    }

    pub fn build(docs: &[Arc<DocTerms>]) -> Pairs {
        let total = total_pairs(docs);
        let bits = bits_for(total);
        let count = 1usize << bits;
        let mut pairs = Pairs { bits, shards: Vec::new() };
        // Shards are made a group at a time, so only a group's postings are in
        // memory at once; each page's pairs are sorted, so a group's are a
        // slice. Groups are few: each is a pass over every page's pairs.
        let groups = (total * 8 / GROUP_BYTES).clamp(1, count).next_power_of_two().min(count);
        let per_group = count / groups;
        pairs.shards = (0..groups)
            .into_par_iter()
            .flat_map_iter(|group| {
                let first = group * per_group;
                let mut by_shard: Vec<Vec<u64>> = vec![Vec::new(); per_group];
                for (id, doc) in docs.iter().enumerate() {
                    let start = doc.pairs.partition_point(|&hash| pairs.shard_of(hash) < first);
                    for &hash in &doc.pairs[start..] {
                        let Some(shard) = by_shard.get_mut(pairs.shard_of(hash) - first) else { break };
                        shard.push((u64::from(hash) << 32) | id as u64);
                    }
                }
                by_shard.into_iter().map(encode)
            })
            .collect();
        pairs
    }

    /// Takes page `id`'s pairs from `old` to `new`.
    pub fn replace(&mut self, id: u32, old: &DocTerms, new: &DocTerms) {
        let keyed = |doc: &DocTerms| doc.pairs.iter().map(|&h| (h, ())).collect::<Vec<_>>();
        let mut by_shard: BTreeMap<usize, Vec<(u64, bool)>> = BTreeMap::new();
        for (hash, present) in merge_diff(&keyed(old), &keyed(new)) {
            let posting = (u64::from(hash) << 32) | u64::from(id);
            by_shard.entry(self.shard_of(hash)).or_default().push((posting, present.is_some()));
        }
        for (shard, changes) in by_shard {
            let mut postings = decode(&self.shards[shard]);
            for (posting, present) in changes {
                match (postings.binary_search(&posting), present) {
                    (Err(i), true) => postings.insert(i, posting),
                    (Ok(i), false) => _ = postings.remove(i),
                    _ => {}
                }
            }
            self.shards[shard] = encode(postings);
        }
    }

    /// The shard files; shards no pair falls in have none.
    pub fn files(&self) -> Vec<RenderedPage> {
        self.shards
            .iter()
            .enumerate()
            .filter(|(_, bytes)| !bytes.is_empty())
            .map(|(i, bytes)| RenderedPage::new(format!("search/pairs/{}-{i}.bin", self.bits), bytes.clone()))
            .collect()
    }
}

/// A shard from its `hash << 32 | page` postings.
fn encode(mut pairs: Vec<u64>) -> Vec<u8> {
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

/// The postings of an encoded shard, sorted.
fn decode(bytes: &[u8]) -> Vec<u64> {
    let mut pairs = Vec::with_capacity(bytes.len() / 2);
    let (mut at, mut hash) = (0, 0u32);
    while at < bytes.len() {
        hash += read_varint(bytes, &mut at);
        let count = read_varint(bytes, &mut at);
        let mut page = 0u32;
        for _ in 0..count {
            page += read_varint(bytes, &mut at);
            pairs.push((u64::from(hash) << 32) | u64::from(page));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_decode_to_what_was_encoded() {
        let pairs = vec![(5u64 << 32) | 1, (5 << 32) | 7, (9 << 32) | 2, (0xffff_ffff << 32) | 300];
        assert_eq!(decode(&encode(pairs.clone())), pairs);
    }
}
