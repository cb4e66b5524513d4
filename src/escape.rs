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
/// passes through here.
fn escaped_pieces<E>(text: &str, mut emit: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let Some(entity) = entity(byte) else { continue };
        // The five are ASCII, so `i` is on a character boundary.
        emit(&text[start..i])?;
        emit(entity)?;
        start = i + 1;
    }
    emit(&text[start..])
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
