//! Whitespace-separated words, as `str::split_whitespace` gives them, found
//! by looking at bytes: prose is nearly all ASCII, and every paragraph's
//! words are walked twice (its id, the reading time).

/// Bit `b` is set for each ASCII byte `char::is_whitespace` holds for:
/// space and \t \n \x0b \x0c \r.
const ASCII_SPACES: u128 = 1 << b' ' | 1 << b'\t' | 1 << b'\n' | 1 << 0x0b | 1 << 0x0c | 1 << b'\r';

/// Calls `f` with each word of `text` between Unicode whitespace.
pub fn each_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        loop {
            if at >= bytes.len() {
                return;
            }
            match space_len(text, at) {
                0 => break,
                len => at += len,
            }
        }
        let start = at;
        at += 1;
        while at < bytes.len() && space_len(text, at) == 0 {
            at += 1;
        }
        f(&text[start..at]);
    }
}

/// The length of the whitespace character starting at byte `at`; 0 for
/// any other byte, a continuation byte of a longer character included.
#[inline(always)]
fn space_len(text: &str, at: usize) -> usize {
    match text.as_bytes()[at] {
        byte @ 0..0x80 => ((ASCII_SPACES >> byte) & 1) as usize,
        // Every other whitespace character (U+0085, U+00A0, U+1680,
        // U+2000–U+205F, U+3000) starts with one of these bytes.
        0xc2 | 0xe1 | 0xe2 | 0xe3 => {
            let c = text[at..].chars().next().expect("a lead byte starts a character");
            if c.is_whitespace() { c.len_utf8() } else { 0 }
        }
        _ => 0,
    }
}

/// How many words `text` has.
pub fn count_words(text: &str) -> usize {
    let trimmed = text.trim_matches(' ');
    if trimmed.is_empty() {
        return 0;
    }
    if is_plain(trimmed) {
        return spaces(trimmed.as_bytes()) + 1;
    }
    let mut count = 0;
    each_word(text, |_| count += 1);
    count
}

/// How many bytes of `bytes` are spaces, counted in runs of at most 255 so
/// that each fits a byte: the compiler adds a vector of bytes at a time,
/// not one number per byte.
fn spaces(bytes: &[u8]) -> usize {
    let run = |run: &[u8]| run.iter().fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b' ')));
    bytes.chunks(255).map(|chunk| usize::from(run(chunk))).sum()
}

/// Whether `text` is already its words joined by single spaces: no other
/// whitespace, and no space at either end or beside another. Most prose
/// is, and this check, unlike splitting, runs many bytes at a time.
pub fn is_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return false };
    // Bytes that are, or may start, whitespace other than a space:
    // \t to \r, and the lead bytes of U+0085 … U+3000.
    let other = |b: u8| b.wrapping_sub(b'\t') < 5 || b == 0xc2 || b.wrapping_sub(0xe1) < 3;
    let odd = bytes.iter().fold(false, |found, &b| found | other(b));
    let doubled = bytes.iter().zip(&bytes[1..]).fold(false, |found, (&a, &b)| found | (a == b' ' && b == b' '));
    first != b' ' && last != b' ' && !odd && !doubled
}

#[cfg(test)]
mod tests {
    use super::each_word;

    #[test]
    fn splits_as_split_whitespace_does() {
        for text in [
            "",
            "   ",
            "one",
            "  two words ",
            "tab\tnew\nline\x0bvertical\x0cfeed\rreturn",
            "non\u{a0}breaking\u{2003}em\u{3000}ideographic\u{85}next",
            "Zürich – «quoted» 東京\u{200b}zero-width",
            "plain words in a row",
            " spaced  out ",
            "ogham\u{1680}line\u{2028}para\u{2029}math\u{205f}end…\u{2026}",
        ] {
            let mut words = Vec::new();
            each_word(text, |w| words.push(w));
            assert_eq!(words, text.split_whitespace().collect::<Vec<_>>(), "{text:?}");
            assert_eq!(super::count_words(text), words.len());
            if super::is_plain(text) {
                assert_eq!(words.join(" "), text);
            }
        }
    }

    /// Counted in runs of 255 bytes: the count holds across their ends.
    #[test]
    fn long_plain_text_is_counted_whole() {
        for words in [1, 63, 64, 65, 127, 128, 129, 1000] {
            let text = vec!["abc"; words].join(" ");
            assert_eq!(super::count_words(&text), words, "{words}");
            let text = vec!["a"; words].join(" ");
            assert_eq!(super::count_words(&text), words, "{words}");
        }
    }
}
