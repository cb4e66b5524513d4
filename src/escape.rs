//! Escaping of text for HTML and XML, shared by the Markdown stage, the Tera
//! theme and the feeds, so every output escapes the same way.

/// Escapes text for HTML element content and quoted attributes. Unlike
/// Tera's default, `/` is left alone so URLs stay readable in the source.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    out
}

/// Escapes text for XML 1.0, which also forbids most control characters.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars().filter(|&c| (c as u32) >= 0x20 || matches!(c, '\t' | '\n' | '\r')) {
        push_escaped(&mut out, c);
    }
    out
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes_but_not_slashes() {
        assert_eq!(super::html("<a href=\"/x/\">'&'</a>"), "&lt;a href=&quot;/x/&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(super::xml("a\u{1}b\tc"), "ab\tc");
    }
}
