//! Source files → text, by format: plain text as is; a saved web page through
//! a readability extractor (the article body, without navigation, ads and
//! footers) and then to Markdown; Markdown with or without front matter.

use super::dates::parse_timestamp;
use crate::error::{Error, Location, Result};
use chrono::NaiveDate;
use std::path::Path;

/// The formats `dossier import` reads, by file extension.
pub const EXTENSIONS: &[&str] = &["txt", "html", "htm", "md", "markdown"];

/// A source file's text and what its metadata says.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub text: String,
    /// The text is Markdown rather than plain text.
    pub markdown: bool,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub url: Option<String>,
    pub publisher: Option<String>,
}

/// Reads `bytes`, the contents of `path` (shown as `shown` in errors).
pub fn read_source(path: &Path, shown: &Path, bytes: &[u8]) -> Result<Raw> {
    let text = crate::load::utf8_text(bytes, shown)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => read_html(&text, shown),
        "md" | "markdown" => Ok(read_markdown(&text)),
        _ => Ok(Raw { text, ..Raw::default() }),
    }
}

fn read_html(html: &str, shown: &Path) -> Result<Raw> {
    let document = dom_query::Document::from(html);
    let meta = |selector: &str| {
        let found = document.select(selector);
        let value = found.attr("content").or_else(|| found.attr("href"))?;
        let value = value.trim().to_string();
        (!value.is_empty()).then_some(value)
    };
    let url = meta(r#"link[rel="canonical"]"#).or_else(|| meta(r#"meta[property="og:url"]"#));
    let publisher = meta(r#"meta[property="og:site_name"]"#).or_else(|| meta(r#"meta[name="publisher"]"#));
    let published = meta(r#"meta[property="article:published_time"]"#)
        .or_else(|| meta(r#"meta[name="date"]"#))
        .or_else(|| document.select("time[datetime]").attr("datetime").map(|d| d.to_string()));

    let mut readability = dom_smoothie::Readability::new(html, url.as_deref(), None).map_err(|e| {
        Error::with_help(format!("cannot read the web page: {e}"), "save the page as HTML again")
            .at(Location::new(shown, 1, 1))
    })?;
    let article = readability.parse().map_err(|e| {
        Error::with_help(
            format!("no article text found in the web page ({e})"),
            "save the article's own page, or copy its text into a .txt file",
        )
        .at(Location::new(shown, 1, 1))
    })?;
    let markdown = htmd::convert(&article.content).map_err(|e| {
        Error::with_help(format!("cannot convert the article to Markdown: {e}"), "copy its text into a .txt file")
            .at(Location::new(shown, 1, 1))
    })?;
    let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
    let date = article.published_time.as_deref().or(published.as_deref()).and_then(parse_timestamp);
    Ok(Raw {
        text: markdown,
        markdown: true,
        title,
        date,
        url: url.or(article.url),
        publisher: article.site_name.or(publisher),
    })
}

/// Markdown, optionally with front matter giving `title`, `date`, `url`
/// (or `link`/`source`) and `publisher` (or `site`).
fn read_markdown(text: &str) -> Raw {
    let Ok(split) = crate::load::split_front_matter(text) else {
        return Raw { text: text.to_string(), markdown: true, ..Raw::default() };
    };
    let values: serde_yaml::Mapping = serde_yaml::from_str(split.yaml).unwrap_or_default();
    let field = |keys: &[&str]| {
        keys.iter().find_map(|k| values.get(*k).and_then(serde_yaml::Value::as_str)).map(|s| s.trim().to_string())
    };
    Raw {
        text: split.body.to_string(),
        markdown: true,
        title: field(&["title"]),
        date: field(&["date", "published"]).as_deref().and_then(parse_timestamp),
        url: field(&["url", "link", "source"]),
        publisher: field(&["publisher", "site"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_pages_give_their_article_and_metadata() {
        let html = r#"<!doctype html><html><head><title>Talks resume | The Daily</title>
            <link rel="canonical" href="https://daily.example/talks">
            <meta property="og:site_name" content="The Daily">
            <meta property="article:published_time" content="2025-03-04T08:00:00Z"></head>
            <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <article><h1>Talks resume</h1>
            <p>Negotiators met in Geneva on Tuesday to resume talks on a ceasefire, the first meeting in months, and both sides said the mood was constructive.</p>
            <p>Officials said a second round would follow next week, with security guarantees on the agenda and observers from several states present.</p>
            <p>Neither side gave details of the proposals, but diplomats said the draft ran to twenty pages and covered prisoner exchanges.</p>
            </article><footer>© The Daily. Subscribe now.</footer></body></html>"#;
        let raw = read_source(Path::new("a.html"), Path::new("a.html"), html.as_bytes()).unwrap();
        assert!(raw.markdown);
        assert_eq!(raw.url.as_deref(), Some("https://daily.example/talks"));
        assert_eq!(raw.publisher.as_deref(), Some("The Daily"));
        assert_eq!(raw.date, NaiveDate::from_ymd_opt(2025, 3, 4));
        assert!(raw.text.contains("Negotiators met in Geneva"), "{}", raw.text);
        assert!(!raw.text.contains("World") && !raw.text.contains("Subscribe"), "{}", raw.text);
    }

    #[test]
    fn markdown_front_matter_is_read_leniently() {
        let raw = read_markdown("---\ntitle: A title\ndate: 2024-05-06\nurl: https://x.example/a\n---\nBody.\n");
        assert_eq!(raw.title.as_deref(), Some("A title"));
        assert_eq!(raw.date, NaiveDate::from_ymd_opt(2024, 5, 6));
        assert_eq!(raw.text, "Body.\n");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let error =
            read_source(Path::new("a.txt"), Path::new("sources/a.txt"), b"line one\nbad \xff byte").unwrap_err();
        assert!(error.to_string().contains("sources/a.txt:2"), "{error}");
    }
}
