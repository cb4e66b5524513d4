//! Passages of a briefing as a reader sees them: quotes are matched against
//! the body's plain text, tolerant of whitespace and of typographic quotes
//! and dashes, so that re-typing a passage still finds it.

/// `text` with runs of whitespace made one space and curly quotes and
/// dashes made plain.
pub fn normalise(text: &str) -> String {
    normalise_mapped(text).0
}

/// [`normalise`], with the byte offset in `text` of every byte of the
/// result, plus one entry for its end: to map a match back to the original.
pub fn normalise_mapped(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let mut space = None;
    for (at, c) in text.char_indices() {
        let c = match c {
            '‘' | '’' | '‚' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            '‐' | '‑' | '‒' | '–' | '—' | '―' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !out.is_empty() && space.is_none() {
                space = Some(at);
            }
            continue;
        }
        if let Some(space_at) = space.take() {
            out.push(' ');
            map.push(space_at);
        }
        out.push(c);
        map.extend(std::iter::repeat_n(at, c.len_utf8()));
    }
    map.push(space.unwrap_or(text.len()));
    (out, map)
}

/// How many times `quote` occurs in `plain` (both compared normalised).
pub fn occurrences(plain: &str, quote: &str) -> usize {
    let quote = normalise(quote);
    if quote.is_empty() {
        return 0;
    }
    normalise(plain).match_indices(&quote).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_quotes_and_dashes_do_not_matter() {
        assert_eq!(normalise("  “NATO‑like”\n guarantees — now "), "\"NATO-like\" guarantees - now");
        assert_eq!(occurrences("He said “NATO-like” twice: “NATO-like”.", "\"NATO-like\""), 2);
        assert_eq!(occurrences("text", " "), 0);
    }

    /// Anchoring takes a text that `is_plain` accepts as its own normal
    /// form, map included: every character `normalise` replaces starts
    /// with a byte `is_plain` refuses.
    #[test]
    fn a_plain_text_is_its_own_normal_form() {
        let replaced = "‘’‚′“”„″‐‑‒–—― \t\n\u{a0}\u{85}\u{1680}\u{2003}\u{2028}\u{202f}\u{205f}\u{3000}";
        for c in replaced.chars() {
            let text = format!("a{c}b");
            assert!(!crate::markdown::words::is_plain(&text) || c == ' ', "{c:?}");
        }
        for text in ["plain words", "Zürich, Kraków and 東京: (quoted)", "it's 3.5% (or so)"] {
            assert!(crate::markdown::words::is_plain(text), "{text}");
            let (normal, map) = normalise_mapped(text);
            assert_eq!(normal, text);
            let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
            assert!(starts.iter().all(|&at| map[at] == at), "{text}");
        }
    }

    #[test]
    fn the_map_points_back_into_the_original() {
        let text = "  a\n\n “b” c ";
        let (plain, map) = normalise_mapped(text);
        assert_eq!(plain, "a \"b\" c");
        assert_eq!(map.len(), plain.len() + 1);
        let start = plain.find('"').unwrap();
        assert_eq!(&text[map[start]..map[start + 3]], "“b”");
        assert_eq!(map[plain.len()], text.len() - 1, "the end is where trailing space begins");
    }
}
