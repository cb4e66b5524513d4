//! Finds mentions of actors in text by their names and aliases: one
//! multi-pattern automaton over every alias, whole words only, case as written.

use aho_corasick::{AhoCorasick, MatchKind};

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
}

impl MentionMatcher {
    /// Builds the matcher from `(actor, alias)` pairs.
    pub fn new<'a>(aliases: impl IntoIterator<Item = (usize, &'a str)>) -> MentionMatcher {
        let (owners, patterns): (Vec<usize>, Vec<&str>) =
            aliases.into_iter().filter(|(_, alias)| !alias.trim().is_empty()).unzip();
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .expect("alias patterns are plain strings, which always compile")
        });
        MentionMatcher { automaton, owners }
    }

    /// Every whole-word mention in `text`, left to right, not overlapping.
    pub fn find<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Mention> + 't {
        self.automaton
            .iter()
            .flat_map(move |automaton| automaton.find_iter(text))
            .filter(move |m| is_whole_word(text, m.start(), m.end()))
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
    fn longest_alias_wins() {
        let found: Vec<_> = matcher().find("President Volodymyr Zelenskyy said").collect();
        assert_eq!(found, vec![Mention { actor: 2, start: 10, end: 29 }]);
    }

    #[test]
    fn empty_matcher_finds_nothing() {
        assert_eq!(MentionMatcher::new([]).find("NATO").count(), 0);
    }
}
