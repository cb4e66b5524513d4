//! One searchable page — a briefing, an actor or a topic — reduced to what
//! the index needs: weighted word counts, the pairs of words that follow
//! each other (for phrases), and its facets. Made in the render workers
//! from text already in memory.

use super::text::words as words_of;
use super::vocab::{pair_hash, with_lookup};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::cell::RefCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Briefing,
    Actor,
    Topic,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Briefing, Kind::Actor, Kind::Topic];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Briefing => "briefing",
            Kind::Actor => "actor",
            Kind::Topic => "topic",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Kind::Briefing => "Briefings",
            Kind::Actor => "Actors",
            Kind::Topic => "Topics",
        }
    }
}

thread_local! {
    /// Weighted counts by word id, all zero between pages.
    static COUNTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// A page as the index reads it.
#[derive(Debug, Clone, Serialize)]
pub struct DocSource<'a> {
    #[serde(rename = "k")]
    pub kind: Kind,
    #[serde(rename = "u")]
    pub url: &'a str,
    #[serde(rename = "t")]
    pub title: &'a str,
    #[serde(rename = "d", skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(rename = "s")]
    pub summary: &'a str,
    /// Other names that weigh like the title: an actor's aliases.
    #[serde(rename = "n", skip_serializing_if = "<[_]>::is_empty")]
    pub names: &'a [String],
    /// Words that point to it without naming it (topic keywords): they weigh like text.
    #[serde(rename = "w", skip_serializing_if = "<[_]>::is_empty")]
    pub keywords: &'a [String],
    /// The text a reader sees, blocks separated by newlines.
    #[serde(rename = "x")]
    pub text: &'a str,
    /// Slugs and names of the actors and topics it is filed under.
    #[serde(rename = "a")]
    pub actors: Vec<(&'a str, &'a str)>,
    #[serde(rename = "o")]
    pub topics: Vec<(&'a str, &'a str)>,
}

/// How much a word counts in each field: titles and names most.
const TITLE_WEIGHT: u16 = 5;
const SUMMARY_WEIGHT: u16 = 2;
const TEXT_WEIGHT: u16 = 1;

/// What the index keeps of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTerms {
    pub kind: Kind,
    pub year: Option<i32>,
    pub actors: Vec<Box<str>>,
    pub topics: Vec<Box<str>>,
    /// Indexed words (stop words out), unweighted.
    pub length: u32,
    /// Word id and weighted count (at most 255) as `id << 8 | count`, by word id.
    pub words: Vec<u32>,
    /// Hashes of the stem pairs that follow each other, sorted, once each.
    pub pairs: Vec<u32>,
}

impl DocTerms {
    /// The record of a page that is not indexed: the site has no search.
    pub fn none(kind: Kind) -> DocTerms {
        DocTerms {
            kind,
            year: None,
            actors: Vec::new(),
            topics: Vec::new(),
            length: 0,
            words: Vec::new(),
            pairs: Vec::new(),
        }
    }
}

impl DocSource<'_> {
    /// Fingerprint of everything the index and the page's search file hold of it.
    pub fn key(&self) -> u64 {
        let mut hash = crate::memo::HashWriter::new();
        let _ = serde_json::to_writer(&mut hash, self);
        hash.finish()
    }

    /// The page's search file: what results show, and the text excerpts come from.
    pub fn json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a search document serialises")
    }

    pub fn terms(&self) -> DocTerms {
        let mut stems: Vec<Option<u32>> = Vec::with_capacity(self.text.len() / 8);
        let mut length = 0u32;
        let names = std::iter::once(self.title).chain(self.names.iter().map(String::as_str));
        let keywords = self.keywords.iter().map(|k| (k.as_str(), TEXT_WEIGHT));
        let fields = names
            .map(|t| (t, TITLE_WEIGHT))
            .chain([(self.summary, SUMMARY_WEIGHT), (self.text, TEXT_WEIGHT)])
            .chain(keywords);
        let mut words: Vec<u32> = Vec::with_capacity(self.text.len() / 16);
        // Counts by word id in a dense table the thread keeps: ids are small,
        // and a page touches only its own words, which are zeroed again after.
        COUNTS.with(|counts| {
            let counts = &mut *counts.borrow_mut();
            // Stem hashes per field, with a break between fields so no pair spans two.
            with_lookup(|lookup| {
                for (text, weight) in fields {
                    for word in words_of(text) {
                        if let Some(id) = lookup(word.raw) {
                            length += 1;
                            let w = id.word as usize;
                            if w >= counts.len() {
                                counts.resize(w + 1024, 0);
                            }
                            if counts[w] == 0 {
                                words.push(id.word);
                            }
                            counts[w] = counts[w].saturating_add(weight);
                            stems.push(Some(id.stem_hash));
                        }
                    }
                    stems.push(None);
                }
            });
            words.sort_unstable();
            for w in &mut words {
                let count = std::mem::take(&mut counts[*w as usize]);
                *w = (*w << 8) | u32::from(count.min(255));
            }
        });
        let mut pairs: Vec<u32> = stems.windows(2).filter_map(|w| Some(pair_hash(w[0]?, w[1]?))).collect();
        pairs.sort_unstable();
        pairs.dedup();
        DocTerms {
            kind: self.kind,
            year: self.date.map(|d| d.year()),
            actors: self.actors.iter().map(|&(slug, _)| slug.into()).collect(),
            topics: self.topics.iter().map(|&(slug, _)| slug.into()).collect(),
            length,
            words,
            pairs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::vocab::vocab;

    fn source<'a>(title: &'a str, text: &'a str) -> DocSource<'a> {
        DocSource {
            kind: Kind::Briefing,
            url: "/briefings/x/",
            title,
            date: NaiveDate::from_ymd_opt(2025, 2, 3),
            summary: "",
            names: &[],
            keywords: &[],
            text,
            actors: vec![("germany", "Germany")],
            topics: vec![],
        }
    }

    #[test]
    fn title_words_weigh_more_and_stop_words_do_not_count() {
        let terms = source("Budapest", "The Budapest memorandum of 1994.").terms();
        let vocab = vocab();
        let weight =
            |w: &str| terms.words.iter().find(|&&p| &*vocab.words[(p >> 8) as usize] == w).map(|&p| (p & 0xff) as u16);
        assert_eq!(weight("budapest"), Some(TITLE_WEIGHT + TEXT_WEIGHT));
        assert_eq!(weight("memorandum"), Some(TEXT_WEIGHT));
        assert_eq!(weight("the"), None);
        assert_eq!(terms.length, 4);
        assert_eq!(terms.year, Some(2025));
    }

    #[test]
    fn pairs_skip_stop_words_but_not_field_breaks() {
        let terms = source("Budapest", "memorandum of understanding").terms();
        let vocab = vocab();
        let hash = |a: &str, b: &str| {
            let stem = |w: &str| vocab.stem_hashes[vocab.stems.iter().position(|s| &**s == w).unwrap()];
            pair_hash(stem(a), stem(b))
        };
        assert!(terms.pairs.contains(&hash("memorandum", "understand")));
        assert!(!terms.pairs.contains(&hash("budapest", "memorandum")));
        assert_eq!(terms.pairs.len(), 1);
    }
}
