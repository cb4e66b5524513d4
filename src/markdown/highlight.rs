//! Code-block highlighting with syntect, as CSS classes (`hl-…`) so that one
//! stylesheet (`highlight.css` in the theme) colours every page.

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The class prefix shared by the generated markup and the theme's stylesheet.
pub const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The syntax definitions, loaded on the first code block only: most briefings have none.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: std::sync::OnceLock<SyntaxSet> = std::sync::OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` as `lang`; `None` when the language is unknown or not given.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    if lang.is_empty() {
        return None;
    }
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes() {
        let html = highlight("key: value\n", "yaml").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "").is_none());
    }

    #[test]
    fn code_is_escaped() {
        let html = highlight("<script>\n", "yaml").unwrap();
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    /// The theme's stylesheet is generated from syntect's themes; this keeps it current.
    #[test]
    fn theme_stylesheet_matches_the_class_style() {
        let themes = syntect::highlighting::ThemeSet::load_defaults();
        let light =
            syntect::html::css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], CLASS_STYLE).unwrap();
        let dark =
            syntect::html::css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], CLASS_STYLE).unwrap();
        let expected = format!(
            "/* Generated from syntect's InspiredGitHub and base16-ocean.dark themes by a test in src/markdown/highlight.rs. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/highlight.css");
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        if actual != expected {
            std::fs::write(path, &expected).unwrap();
            panic!("themes/default/static/highlight.css was out of date and has been regenerated; commit it");
        }
    }
}
