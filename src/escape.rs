//! Escaping of text for HTML and XML, shared by the Markdown stage, the Tera
//! theme and the feeds, so every output escapes the same way.

/// Escapes text for HTML element content and quoted attributes. Unlike
/// Tera's default, `/` is left alone so URLs stay readable in the source.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// [`html`], written to `out`: the theme's escaper.
pub fn write_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escaped_pieces(text, |piece| out.write_all(piece.as_bytes()))
}

/// Escapes text for XML 1.0, which also forbids most control characters.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for run in text.split(|c: char| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) {
        push_escaped(&mut out, run);
    }
    out
}

/// Appends `text` escaped.
fn push_escaped(out: &mut String, text: &str) {
    let _ = escaped_pieces(text, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// Gives `text` escaped to `emit`, piece by piece. Runs with nothing to
/// escape are given whole: most text has none, and a page's every variable
/// passes through here, so text is looked at eight bytes at a time.
fn escaped_pieces<E>(text: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        if let Some(word) = bytes.get(at..at + 8) {
            let word = u64::from_ne_bytes(word.try_into().expect("eight bytes"));
            if !holds_special(word) {
                at += 8;
                continue;
            }
        }
        let end = bytes.len().min(at + 8);
        for (i, &byte) in bytes.iter().enumerate().take(end).skip(at) {
            let Some(entity) = entity(byte) else { continue };
            // The five are ASCII, so `i` is on a character boundary.
            emit(&text[start..i])?;
            emit(entity)?;
            start = i + 1;
        }
        at = end;
    }
    emit(&text[start..])
}

/// Whether any of the eight bytes of `word` must be escaped. A byte equal
/// to `c` is a zero byte of `word ^ c…c`, and a word has a zero byte just
/// when `(x - 0x01…01) & !x & 0x80…80` is not 0. Setting bit 0 makes `&`
/// (0x26) and `'` (0x27) both 0x27, and no other byte; setting bit 1
/// makes `<` (0x3c) and `>` (0x3e) both 0x3e, and no other byte.
#[inline(always)]
fn holds_special(word: u64) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let equal = |x: u64, c: u8| zero_byte(x ^ (ONES * u64::from(c)));
    (equal(word | ONES, 0x27) | equal(word | (ONES << 1), 0x3e) | equal(word, b'"')) != 0
}

/// The entity standing for `byte`, when it must be escaped.
fn entity(byte: u8) -> Option<&'static str> {
    Some(match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes_but_not_slashes() {
        assert_eq!(super::html("<a href=\"/x/\">'&'</a>"), "&lt;a href=&quot;/x/&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(super::xml("a\u{1}b\tc"), "ab\tc");
        assert_eq!(super::html("« é<ü> »"), "« é&lt;ü&gt; »");
        assert_eq!(super::xml("\u{1}<é>\u{2}"), "&lt;é&gt;");
    }

    /// The word test agrees with the byte test for every byte in every
    /// place, beside every neighbour (a borrow runs from a zero byte upward).
    #[test]
    fn the_word_test_agrees_with_the_byte_test() {
        for byte in 0..=255u8 {
            for neighbour in 0..=255u8 {
                for place in 0..8 {
                    let mut bytes = [neighbour; 8];
                    bytes[place] = byte;
                    let expected = bytes.iter().any(|&b| super::entity(b).is_some());
                    assert_eq!(super::holds_special(u64::from_ne_bytes(bytes)), expected, "{bytes:?}");
                }
            }
        }
    }

    #[test]
    fn finds_every_special_byte_wherever_it_falls() {
        let naive = |text: &str| {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        let pieces = ["a", "é", "&", "<", ">", "\"", "'", "€", "\u{7f}", "\u{80}", "\u{ff}", "0123456789abcdef"];
        for length in 0..40 {
            for seed in 0..pieces.len() * 3 {
                let text: String = (0..length).map(|i| pieces[(seed * 7 + i * i * 3 + i) % pieces.len()]).collect();
                assert_eq!(super::html(&text), naive(&text), "{text:?}");
                let mut written = Vec::new();
                super::write_html(&text, &mut written).unwrap();
                assert_eq!(String::from_utf8(written).unwrap(), naive(&text), "{text:?}");
            }
        }
    }
}
