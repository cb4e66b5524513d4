//! Passages of a briefing as a reader sees them: quotes are matched against
//! the body's plain text, tolerant of whitespace and of typographic quotes
//! and dashes, so that re-typing a passage still finds it.

/// `text` with runs of whitespace made one space and curly quotes and
/// dashes made plain.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '‘' | '’' | '‚' | '′' => '\'',
            '“' | '”' | '„' | '″' => '"',
            '‐' | '‑' | '‒' | '–' | '—' | '―' => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
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
}
