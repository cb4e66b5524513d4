//! Finds mentions of actors (or topics) in text by their names and aliases,
//! whole words only, leftmost-longest. Case-aware: an alias with a capital
//! letter must match as written ("US" is not "us"), an all-lowercase one
//! matches in any case ("security guarantees" at the start of a sentence).
//!
//! A briefing's own few actors are looked for with one substring search per
//! name, which costs next to nothing to set up; many names at once (every
//! actor of the archive) go into one automaton.

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem::Finder;

/// A mention of an actor at `start..end` (byte offsets) of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub actor: usize,
    pub start: usize,
    pub end: usize,
}

/// Up to this many spellings are searched for one by one.
const FEW: usize = 16;

/// The searcher of every alias of some actors.
#[derive(Debug, Clone)]
pub struct MentionMatcher {
    engine: Engine,
    /// Pattern index → actor index.
    owners: Vec<usize>,
    /// Pattern index → the alias, when it must match exactly as written.
    exact: Vec<Option<Box<str>>>,
}

#[derive(Debug, Clone)]
enum Engine {
    /// One finder per pattern, over the text in ASCII lower case.
    Few(Vec<Finder<'static>>),
    Many(AhoCorasick),
}

impl MentionMatcher {
    /// Builds the matcher from `(actor, alias)` pairs.
    pub fn new<'a>(aliases: impl IntoIterator<Item = (usize, &'a str)>) -> MentionMatcher {
        MentionMatcher::with_engine(aliases, None)
    }

    /// `many`: use the automaton (or not) whatever the number of patterns.
    fn with_engine<'a>(aliases: impl IntoIterator<Item = (usize, &'a str)>, many: Option<bool>) -> MentionMatcher {
        // One pattern per spelling ignoring case, the all-lowercase one kept
        // when there are several: one pattern is reported per place, and it
        // must not be the stricter one.
        let mut by_spelling: Vec<(String, usize, &str)> = Vec::new();
        for (owner, alias) in aliases.into_iter().filter(|(_, alias)| !alias.trim().is_empty()) {
            let folded = alias.to_ascii_lowercase();
            match by_spelling.iter_mut().find(|(f, _, _)| *f == folded) {
                Some(entry) if alias == folded => *entry = (folded, owner, alias),
                Some(_) => {}
                None => by_spelling.push((folded, owner, alias)),
            }
        }
        let exact =
            by_spelling.iter().map(|(_, _, a)| a.chars().any(char::is_uppercase).then(|| Box::from(*a))).collect();
        let owners = by_spelling.iter().map(|(_, o, _)| *o).collect();
        let engine = if !many.unwrap_or(by_spelling.len() > FEW) {
            Engine::Few(by_spelling.iter().map(|(folded, _, _)| Finder::new(folded.as_bytes()).into_owned()).collect())
        } else {
            let patterns: Vec<&str> = by_spelling.iter().map(|(_, _, a)| *a).collect();
            Engine::Many(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(&patterns)
                    .expect("alias patterns are plain strings, which always compile"),
            )
        };
        MentionMatcher { engine, owners, exact }
    }

    /// Every whole-word mention in `text`, left to right, not overlapping.
    pub fn find(&self, text: &str) -> impl Iterator<Item = Mention> + use<'_> {
        // (start, end, pattern), leftmost-longest, before the word and case checks.
        let chosen: Vec<(usize, usize, usize)> = match &self.engine {
            Engine::Few(finders) => leftmost_longest(finders, text),
            Engine::Many(automaton) => {
                automaton.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize())).collect()
            }
        };
        chosen
            .into_iter()
            .filter(|&(start, end, _)| is_whole_word(text, start, end))
            .filter(|&(start, end, p)| self.exact[p].as_deref().is_none_or(|alias| &text[start..end] == alias))
            .map(|(start, end, p)| Mention { actor: self.owners[p], start, end })
            .collect::<Vec<_>>()
            .into_iter()
    }
}

/// What an automaton finds leftmost-longest, from every place each pattern
/// occurs (overlaps included): the earliest start, the longest there, then
/// on from its end.
fn leftmost_longest(finders: &[Finder<'static>], text: &str) -> Vec<(usize, usize, usize)> {
    if finders.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let folded = text.to_ascii_lowercase();
    let mut found = Vec::new();
    for (p, finder) in finders.iter().enumerate() {
        let len = finder.needle().len();
        let mut at = 0;
        while let Some(i) = finder.find(&folded.as_bytes()[at..]) {
            found.push((at + i, at + i + len, p));
            at += i + 1;
        }
    }
    found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut end = 0;
    found.retain(|m| {
        let keep = m.0 >= end;
        if keep {
            end = m.1;
        }
        keep
    });
    found
}

/// True when `text[start..end]` is not glued to letters or digits on either side.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> MentionMatcher {
        MentionMatcher::new([(0, "NATO"), (1, "US"), (2, "Zelenskyy"), (2, "Volodymyr Zelenskyy"), (3, "Kyiv")])
    }

    fn actors(text: &str) -> Vec<usize> {
        matcher().find(text).map(|m| m.actor).collect()
    }

    #[test]
    fn whole_words_only_and_case_as_written() {
        assert_eq!(actors("NATO and the US; NATOs, us, focus"), vec![0, 1]);
        assert_eq!(actors("Kyiv’s"), vec![3]);
    }

    #[test]
    fn lowercase_aliases_match_in_any_case() {
        let matcher = MentionMatcher::new([(0, "Security guarantees"), (0, "security guarantees"), (1, "NATO")]);
        let found: Vec<_> =
            matcher.find("Security guarantees, nato, NATO security guarantees").map(|m| m.actor).collect();
        assert_eq!(found, vec![0, 1, 0]);
    }

    #[test]
    fn longest_alias_wins() {
        let found: Vec<_> = matcher().find("President Volodymyr Zelenskyy said").collect();
        assert_eq!(found, vec![Mention { actor: 2, start: 10, end: 29 }]);
    }

    #[test]
    fn empty_matcher_finds_nothing() {
        assert_eq!(MentionMatcher::new([]).find("NATO").count(), 0);
    }

    /// Both engines find the same mentions: random texts over a small
    /// alphabet that makes overlaps, shared prefixes and case clashes common.
    #[test]
    fn substring_search_finds_what_the_automaton_finds() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let letters = ["a", "A", "b", " ", " ", "é"];
        let word = |next: &mut dyn FnMut(usize) -> usize, len: usize| -> String {
            (0..len).map(|_| letters[next(letters.len())]).collect()
        };
        for _ in 0..5000 {
            let count = 1 + next(6);
            let aliases: Vec<(usize, String)> = (0..count)
                .map(|i| {
                    let len = 1 + next(4);
                    (i % 3, word(&mut next, len))
                })
                .collect();
            let pairs: Vec<(usize, &str)> = aliases.iter().map(|(o, a)| (*o, a.as_str())).collect();
            let (few, many) = (
                MentionMatcher::with_engine(pairs.clone(), Some(false)),
                MentionMatcher::with_engine(pairs, Some(true)),
            );
            for _ in 0..20 {
                let len = next(24);
                let text = word(&mut next, len);
                let found = |m: &MentionMatcher| m.find(&text).collect::<Vec<_>>();
                assert_eq!(found(&few), found(&many), "{aliases:?} in {text:?}");
            }
        }
    }
}
