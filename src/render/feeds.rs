//! Atom 1.0 feeds (RFC 4287): the site's, and one per actor and per topic.

use crate::escape::xml as escape;
use chrono::NaiveDate;
use std::fmt::Write;

/// What a feed says about itself.
pub struct FeedHead<'a> {
    pub title: &'a str,
    pub language: &'a str,
    /// The feed's own absolute URL, which is also its id.
    pub self_url: &'a str,
    /// The HTML page the feed belongs to.
    pub page_url: &'a str,
    pub author: &'a str,
}

/// One briefing in a feed; only dated briefings appear, since Atom requires a date.
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub permalink: String,
    pub date: NaiveDate,
    pub summary: &'a str,
    pub categories: Vec<&'a str>,
}

/// The feed as XML; `updated` is the newest entry's date, so unchanged
/// content gives byte-identical feeds.
pub fn render_feed(head: &FeedHead, entries: &[FeedEntry]) -> String {
    let updated = entries.iter().map(|e| e.date).max().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    let mut xml = String::with_capacity(512 + entries.len() * 512);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n  <author><name>{}</name></author>\n  <generator>Dossier</generator>\n",
        escape(head.language),
        escape(head.title),
        escape(head.self_url),
        escape(head.page_url),
        escape(head.self_url),
        escape(head.author),
    );
    for entry in entries {
        let stamp = timestamp(entry.date);
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <id>{}</id>\n    <published>{stamp}</published>\n    <updated>{stamp}</updated>\n    <summary>{}</summary>\n",
            escape(entry.title),
            escape(&entry.permalink),
            escape(&entry.permalink),
            escape(entry.summary),
        );
        for category in &entry.categories {
            let _ = writeln!(xml, "    <category term=\"{}\"/>", escape(category));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

fn timestamp(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_dates_entries() {
        let head = FeedHead {
            title: "A & B",
            language: "en",
            self_url: "https://x.org/atom.xml",
            page_url: "https://x.org/",
            author: "X",
        };
        let entry = FeedEntry {
            title: "<script>",
            permalink: "https://x.org/briefings/a/".into(),
            date: NaiveDate::from_ymd_opt(2025, 8, 16).unwrap(),
            summary: "s",
            categories: vec!["NATO"],
        };
        let xml = render_feed(&head, &[entry]);
        assert!(xml.contains("<title>A &amp; B</title>"));
        assert!(xml.contains("<title>&lt;script&gt;</title>"));
        assert!(xml.contains("<updated>2025-08-16T00:00:00Z</updated>"));
        assert!(xml.contains("<category term=\"NATO\"/>"));
    }
}
