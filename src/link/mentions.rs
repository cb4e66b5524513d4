//! Finds mentions of actors (or topics) in text by their names and aliases:
//! one multi-pattern automaton over every alias, whole words only. Case-aware:
//! an alias with a capital letter must match as written ("US" is not "us"),
//! an all-lowercase one matches in any case ("security guarantees" at the
//! start of a sentence).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// A mention of an actor at `start..end` (byte offsets) of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub actor: usize,
    pub start: usize,
    pub end: usize,
}

/// An automaton over every alias of every actor.
#[derive(Debug, Clone)]
pub struct MentionMatcher {
    automaton: Option<AhoCorasick>,
    /// Pattern index → actor index.
    owners: Vec<usize>,
    /// Pattern index → the alias, when it must match exactly as written.
    exact: Vec<Option<Box<str>>>,
}

impl MentionMatcher {
    /// Builds the matcher from `(actor, alias)` pairs.
    pub fn new<'a>(aliases: impl IntoIterator<Item = (usize, &'a str)>) -> MentionMatcher {
        // One pattern per spelling ignoring case, the all-lowercase one kept
        // when there are several: the automaton reports only one pattern per
        // place, and it must not be the stricter one.
        let mut by_spelling: Vec<(String, usize, &str)> = Vec::new();
        for (owner, alias) in aliases.into_iter().filter(|(_, alias)| !alias.trim().is_empty()) {
            let folded = alias.to_ascii_lowercase();
            match by_spelling.iter_mut().find(|(f, _, _)| *f == folded) {
                Some(entry) if alias == folded => *entry = (folded, owner, alias),
                Some(_) => {}
                None => by_spelling.push((folded, owner, alias)),
            }
        }
        let (owners, patterns): (Vec<usize>, Vec<&str>) = by_spelling.into_iter().map(|(_, o, a)| (o, a)).unzip();
        let exact = patterns.iter().map(|p| p.chars().any(char::is_uppercase).then(|| Box::from(*p))).collect();
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .ascii_case_insensitive(true)
                .build(&patterns)
                .expect("alias patterns are plain strings, which always compile")
        });
        MentionMatcher { automaton, owners, exact }
    }

    /// Every whole-word mention in `text`, left to right, not overlapping.
    pub fn find<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Mention> + 't {
        self.automaton
            .iter()
            .flat_map(move |automaton| automaton.find_iter(text))
            .filter(move |m| is_whole_word(text, m.start(), m.end()))
            .filter(move |m| self.exact[m.pattern().as_usize()].as_deref().is_none_or(|p| &text[m.range()] == p))
            .map(move |m| Mention { actor: self.owners[m.pattern().as_usize()], start: m.start(), end: m.end() })
    }
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
}
