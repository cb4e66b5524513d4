//! `sitemap.xml` (sitemaps.org protocol 0.9).

use crate::escape::xml as escape;
use chrono::NaiveDate;
use std::fmt::Write;

/// A sitemap of absolute URLs, with `lastmod` where a date is known.
pub fn render_sitemap(urls: &[(String, Option<NaiveDate>)]) -> String {
    let mut xml = String::with_capacity(128 + urls.len() * 96);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, date) in urls {
        let _ = write!(xml, "  <url><loc>{}</loc>", escape(url));
        if let Some(date) = date {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
