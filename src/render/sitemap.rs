//! `sitemap.xml` (sitemaps.org protocol 0.9).

use crate::escape::xml as escape;
use chrono::{Datelike, NaiveDate};

/// A sitemap of absolute URLs, with `lastmod` where a date is known, written
/// as it is given: an archive's sitemap lists tens of thousands of pages.
pub struct Sitemap {
    xml: String,
    /// The site's address, escaped once: every URL starts with it.
    origin: String,
}

impl Sitemap {
    /// A sitemap of pages under `origin` (`https://example.org/archive/`).
    pub fn new(origin: &str, pages: usize) -> Sitemap {
        let origin = escape(origin);
        let mut xml = String::with_capacity(128 + pages * (origin.len() + 64));
        xml.push_str(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        Sitemap { xml, origin }
    }

    /// The page at `origin` followed by `parts`, e.g. `["actors/", slug, "/"]`.
    pub fn page(&mut self, parts: &[&str], date: Option<NaiveDate>) {
        self.xml.push_str("  <url><loc>");
        self.xml.push_str(&self.origin);
        for part in parts {
            if part.bytes().all(|b| b.is_ascii_alphanumeric() || b"-/._".contains(&b)) {
                self.xml.push_str(part);
            } else {
                self.xml.push_str(&escape(part));
            }
        }
        self.xml.push_str("</loc>");
        if let Some(date) = date {
            self.xml.push_str("<lastmod>");
            push_date(&mut self.xml, date);
            self.xml.push_str("</lastmod>");
        }
        self.xml.push_str("</url>\n");
    }

    pub fn finish(mut self) -> String {
        self.xml.push_str("</urlset>\n");
        self.xml
    }
}

/// `2025-08-16`, as `NaiveDate` shows years 0–9999, without the formatter.
fn push_date(out: &mut String, date: NaiveDate) {
    let (year, month, day) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&year) {
        out.push_str(&date.to_string());
        return;
    }
    let mut buf = [b'0'; 10];
    let mut put = |at: usize, n: u32, width: usize| {
        let mut n = n;
        for i in (0..width).rev() {
            buf[at + i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, year as u32, 4);
    put(5, month, 2);
    put(8, day, 2);
    buf[4] = b'-';
    buf[7] = b'-';
    out.push_str(std::str::from_utf8(&buf).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_escaped_and_dates_written_as_chrono_does() {
        let mut sitemap = Sitemap::new("https://example.org/a&b/", 2);
        let date = NaiveDate::from_ymd_opt(987, 3, 4).unwrap();
        sitemap.page(&["briefings/", "x-1", "/"], Some(date));
        sitemap.page(&["q?a=1&b=2"], None);
        let xml = sitemap.finish();
        assert!(xml.contains("<loc>https://example.org/a&amp;b/briefings/x-1/</loc><lastmod>0987-03-04</lastmod>"));
        assert!(xml.contains("<loc>https://example.org/a&amp;b/q?a=1&amp;b=2</loc></url>"));
        assert_eq!(format!("{date}"), "0987-03-04");
    }
}
