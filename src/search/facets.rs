//! The facet files, `search/facets/<facet>/<value>.bin`: the pages of one
//! actor, topic, year or page kind, as id gaps or a bitset, whichever is
//! smaller; and `search/facets/<facet>.json`, every value of a facet with
//! its name and page count, most common first. The index's table of
//! contents holds only the first few of each, which is what the filter
//! chips show until a reader asks for all.

use super::doc::{DocTerms, Kind};
use super::encode::varint;
use crate::render::RenderedPage;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Display names of facet values: slug → name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetNames {
    pub actors: BTreeMap<String, String>,
    pub topics: BTreeMap<String, String>,
}

/// Each facet's values: value, name and page count.
pub type FacetLists = BTreeMap<&'static str, Vec<(String, String, usize)>>;

/// True when the two records file a page under the same facet values.
pub fn same_facets(a: &DocTerms, b: &DocTerms) -> bool {
    (a.kind, a.year, &a.actors, &a.topics) == (b.kind, b.year, &b.actors, &b.topics)
}

pub fn facets(docs: &[Arc<DocTerms>], names: &FacetNames) -> (FacetLists, Vec<RenderedPage>) {
    let mut values: BTreeMap<(&'static str, &str), Vec<u32>> = BTreeMap::new();
    let years: Vec<String> = docs.iter().map(|d| d.year.map(|y| y.to_string()).unwrap_or_default()).collect();
    for (id, (doc, year)) in docs.iter().zip(&years).enumerate() {
        let id = id as u32;
        values.entry(("kind", doc.kind.as_str())).or_default().push(id);
        if doc.year.is_some() {
            values.entry(("year", year)).or_default().push(id);
        }
        for actor in &doc.actors {
            values.entry(("actor", actor)).or_default().push(id);
        }
        for topic in &doc.topics {
            values.entry(("topic", topic)).or_default().push(id);
        }
    }
    let mut lists = FacetLists::new();
    let mut files = Vec::with_capacity(values.len());
    for ((facet, value), ids) in values {
        let name = match facet {
            "kind" => Kind::ALL.iter().find(|k| k.as_str() == value).map_or(value, |k| k.plural()),
            "actor" => names.actors.get(value).map_or(value, String::as_str),
            "topic" => names.topics.get(value).map_or(value, String::as_str),
            _ => value,
        };
        files.push(RenderedPage::new(format!("search/facets/{facet}/{value}.bin"), doc_set(&ids, docs.len())));
        lists.entry(facet).or_default().push((value.to_string(), name.to_string(), ids.len()));
    }
    for (facet, list) in lists.iter_mut() {
        match *facet {
            "year" => list.sort_by(|a, b| b.0.cmp(&a.0)),
            "kind" => {}
            _ => list.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.1.cmp(&b.1))),
        }
        let json = serde_json::to_vec(list).expect("a facet list serialises");
        files.push(RenderedPage::new(format!("search/facets/{facet}.json"), json));
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
    fn doc_sets_pick_the_smaller_encoding() {
        assert_eq!(doc_set(&[3, 5, 300], 1000), vec![0, 3, 2, 167, 2]);
        let dense: Vec<u32> = (0..100).collect();
        let set = doc_set(&dense, 100);
        assert_eq!(set[0], 1);
        assert_eq!(set.len(), 1 + 13);
        assert_eq!(set[1], 0xff);
    }
}
