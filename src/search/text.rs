//! Text → index terms: the normalisation the browser client repeats
//! (`static/search/text.js`), so a query finds what the build indexed.
//! Words are UAX #29 word segments, folded to lowercase without
//! diacritics, stop words dropped, then stemmed with Snowball English
//! (Porter2) so that "guarantees" finds "guarantee".

use rust_stemmers::{Algorithm, Stemmer};
use std::iter::FlatMap;
use std::str::Split;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::{UnicodeSegmentation, UnicodeWords};

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
pub fn words(text: &str) -> Words<'_> {
    Words { text, at: 0, token_end: 0, unicode: None, position: 0 }
}

/// The iterator of [`words`]. No UAX #29 rule joins across ASCII
/// whitespace, so each run between spaces is segmented alone: plain ASCII
/// ones by the rules of `ascii_segment`, read in place, the rest by the
/// full algorithm.
pub struct Words<'t> {
    text: &'t str,
    /// Where the next ASCII segment is looked for, up to `token_end`.
    at: usize,
    token_end: usize,
    /// The segments of a token that is not plain ASCII.
    unicode: Option<UnicodeSegments<'t>>,
    position: u32,
}

/// A token's UAX #29 segments, split at full stops and colons.
type UnicodeSegments<'t> = FlatMap<UnicodeWords<'t>, Split<'t, [char; 2]>, fn(&'t str) -> Split<'t, [char; 2]>>;

fn split_stops(segment: &str) -> Split<'_, [char; 2]> {
    segment.split(['.', ':'])
}

impl<'t> Words<'t> {
    /// The next segment, words and the rest alike.
    fn next_segment(&mut self) -> Option<&'t str> {
        let bytes = self.text.as_bytes();
        loop {
            if let Some(segments) = &mut self.unicode {
                match segments.next() {
                    Some(segment) => return Some(segment),
                    None => self.unicode = None,
                }
            }
            if self.at < self.token_end {
                if let Some(segment) = self.ascii_segment() {
                    return Some(segment);
                }
                continue;
            }
            let mut i = self.token_end;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i == bytes.len() {
                return None;
            }
            let start = i;
            let mut ascii = true;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                ascii &= bytes[i].is_ascii();
                i += 1;
            }
            self.token_end = i;
            if ascii {
                self.at = start;
            } else {
                self.at = i;
                self.unicode =
                    Some(self.text[start..i].unicode_words().flat_map(split_stops as fn(&str) -> Split<'_, [char; 2]>));
            }
        }
    }

    /// The next UAX #29 segment of the ASCII token being read, holding
    /// letters, digits or `_`, already split at `.` and `:` — what
    /// `unicode_words` and that split give, without their tables.
    fn ascii_segment(&mut self) -> Option<&'t str> {
        let (bytes, end) = (self.text.as_bytes(), self.token_end);
        let class = |i: usize| if i < end { CLASSES[bytes[i] as usize] } else { Class::Other };
        let in_word = |c: Class| matches!(c, Class::Letter | Class::Digit | Class::Underscore);
        let mut i = self.at;
        while i < end && !in_word(class(i)) {
            i += 1;
        }
        if i == end {
            self.at = end;
            return None;
        }
        let start = i;
        i += 1;
        loop {
            let next = class(i);
            if in_word(next) {
                i += 1;
                continue;
            }
            let joins_through = matches!(
                (class(i - 1), next, class(i + 1)),
                (Class::Letter, Class::Apostrophe, Class::Letter)
                    | (Class::Digit, Class::NumberPunct | Class::Apostrophe, Class::Digit)
            );
            if !joins_through {
                break;
            }
            i += 2;
        }
        self.at = i;
        Some(&self.text[start..i])
    }
}

impl<'t> Iterator for Words<'t> {
    type Item = Word<'t>;

    fn next(&mut self) -> Option<Word<'t>> {
        loop {
            let raw = self.next_segment()?;
            let kept = raw.chars().any(char::is_alphanumeric)
                && (raw.len() <= MAX_WORD_CHARS || raw.chars().count() <= MAX_WORD_CHARS);
            if kept {
                self.position += 1;
                return Some(Word { raw, position: self.position - 1 });
            }
        }
    }
}

/// What UAX #29 word rules see of an ASCII byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    /// `_`, which joins anything it touches (WB13a, WB13b).
    Underscore,
    /// `'`: inside a word between two letters or two digits (WB6, WB7, WB11, WB12).
    Apostrophe,
    /// `,` and `;`: inside a number between two digits (WB11, WB12).
    NumberPunct,
    Other,
}

/// Each byte's class, looked up: every byte of every indexed text is.
static CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = match byte as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Underscore,
            b'\'' => Class::Apostrophe,
            b',' | b';' => Class::NumberPunct,
            _ => Class::Other,
        };
        byte += 1;
    }
    table
};

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

    /// Segments as the full algorithm makes them, for comparison.
    fn reference(text: &str) -> Vec<&str> {
        text.unicode_words()
            .flat_map(|segment| segment.split(['.', ':']))
            .filter(|w| w.chars().any(char::is_alphanumeric) && w.chars().count() <= MAX_WORD_CHARS)
            .collect()
    }

    #[test]
    fn the_fast_path_segments_as_unicode_does() {
        // Every string of up to four characters over an alphabet that meets
        // each rule, then longer pseudo-random ones.
        let alphabet: Vec<char> = "aZ1_',;.: -\n\"é’—".chars().collect();
        let mut level: Vec<String> = vec![String::new()];
        let mut texts: Vec<String> = Vec::new();
        for _ in 0..4 {
            level = level.iter().flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}"))).collect();
            texts.extend(level.iter().cloned());
        }
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let text: String = (0..24)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            texts.push(text);
        }
        for text in &texts {
            let fast: Vec<&str> = words(text).map(|w| w.raw).collect();
            assert_eq!(fast, reference(text), "segments of {text:?}");
        }
    }

    #[test]
    fn segments_follow_unicode_word_boundaries() {
        let raw: Vec<&str> = words("U.S. officials, 3,000 troops — can't (2025) example.org").map(|w| w.raw).collect();
        assert_eq!(raw, vec!["U", "S", "officials", "3,000", "troops", "can't", "2025", "example", "org"]);
    }
}
