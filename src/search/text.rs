//! Text → index terms: the normalisation the browser client repeats
//! (`static/search/text.js`), so a query finds what the build indexed.
//! Words are UAX #29 word segments, folded to lowercase without
//! diacritics, stop words dropped, then stemmed with Snowball English
//! (Porter2) so that "guarantees" finds "guarantee".

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Words longer than this are noise (URLs, hashes) and are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// Common English words that carry no meaning of their own. The client has
/// the same list; phrases skip them but keep their place.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before", "being",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "each", "for", "from", "had", "has", "have",
    "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may", "more", "most", "no", "not",
    "of", "on", "one", "only", "or", "other", "our", "out", "over", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to", "under", "up",
    "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "will", "with", "would", "you",
    "your",
];

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// A word as the index compares it: lowercase, diacritics removed,
/// typographic apostrophes made straight. Empty when nothing is left.
pub fn normalize(word: &str) -> String {
    let folded: String = word
        .nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(|c| if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02bc}') { '\'' } else { c })
        .collect();
    let lower = folded.to_lowercase();
    lower.trim_matches('\'').to_string()
}

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Whether a normalised word goes into the index: not empty, not a stop word.
pub fn is_indexed(word: &str) -> bool {
    !word.is_empty() && !is_stop_word(word)
}

/// The stem of a normalised word.
pub fn stem(word: &str) -> String {
    STEMMER.stem(word).into_owned()
}

/// One word of a text: its normalised form and place among the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'t> {
    /// The word as written.
    pub raw: &'t str,
    /// Position among all words, stop words included (phrases need gaps).
    pub position: u32,
}

/// The word segments of `text`, in order, each with its position. Segments
/// are split again at full stops and colons, which UAX #29 keeps inside
/// words ("example.org") but browsers' segmenters do not.
pub fn words(text: &str) -> impl Iterator<Item = Word<'_>> {
    text.unicode_words()
        .flat_map(|segment| segment.split(['.', ':']))
        .filter(|w| w.chars().any(char::is_alphanumeric) && w.chars().count() <= MAX_WORD_CHARS)
        .enumerate()
        .map(|(i, raw)| Word { raw, position: i as u32 })
}

/// The index terms of a query or text: normalised, stop words out, stemmed.
pub fn terms(text: &str) -> Vec<String> {
    words(text)
        .filter_map(|w| {
            let word = normalize(w.raw);
            is_indexed(&word).then(|| stem(&word))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn words_fold_case_diacritics_and_apostrophes() {
        assert_eq!(normalize("Erdoğan"), "erdogan");
        assert_eq!(normalize("MÜLLER"), "muller");
        assert_eq!(normalize("Ukraine\u{2019}s"), "ukraine's");
        assert_eq!(normalize("'tis'"), "tis");
        assert_eq!(normalize("''"), "");
    }

    #[test]
    fn word_forms_share_a_stem() {
        assert_eq!(terms("guarantee"), terms("guarantees"));
        assert_eq!(terms("Security guarantees"), vec!["secur", "guarante"]);
        assert_eq!(terms("Ukraine's"), terms("Ukraine"));
    }

    #[test]
    fn stop_words_are_dropped_but_keep_their_place() {
        assert_eq!(terms("the memorandum of Budapest"), vec!["memorandum", "budapest"]);
        let positions: Vec<u32> = words("the memorandum of Budapest").map(|w| w.position).collect();
        assert_eq!(positions, vec![0, 1, 2, 3]);
    }

    #[test]
    fn segments_follow_unicode_word_boundaries() {
        let raw: Vec<&str> = words("U.S. officials, 3,000 troops — can't (2025) example.org").map(|w| w.raw).collect();
        assert_eq!(raw, vec!["U", "S", "officials", "3,000", "troops", "can't", "2025", "example", "org"]);
    }
}
