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
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(found) = find_special(&bytes[start..]) {
        let i = start + found;
        out.write_all(&bytes[start..i])?;
        out.write_all(entity(bytes[i]).expect("a special byte").as_bytes())?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Escapes text for XML 1.0, which also forbids most control characters.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for run in text.split(|c: char| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) {
        push_escaped(&mut out, run);
    }
    out
}

/// Appends `text` escaped. Runs with nothing to escape are copied whole:
/// most text has none, and a page's every variable passes through here.
fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(found) = find_special(&bytes[start..]) {
        let i = start + found;
        let entity = entity(bytes[i]).expect("a special byte");
        // The five are ASCII, so `i` is on a character boundary.
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// The place of the first byte of `bytes` that must be escaped. Eight bytes
/// are looked at at once: the theme escapes every variable of every page,
/// and most of that text has nothing to escape.
fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // A byte of `word` equal to `b` is a zero byte of `word ^ (b in every byte)`.
    let has = |word: u64, b: u8| {
        let x = word ^ (ONES * b as u64);
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        if has(word, b'&') || has(word, b'<') || has(word, b'>') || has(word, b'"') || has(word, b'\'') {
            return chunk.iter().position(|&b| entity(b).is_some()).map(|i| at + i);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| entity(b).is_some()).map(|i| at + i)
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

    #[test]
    fn finds_every_special_byte_wherever_it_falls_in_a_word() {
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
        let pieces = ["a", "é", "&", "<", ">", "\"", "'", "€", "\u{7f}", "\u{80}", "\u{ff}", "0123456"];
        for length in 0..20 {
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
