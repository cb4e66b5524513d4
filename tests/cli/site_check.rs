//! Checks of a built site as a reader's browser sees it: HTML that parses
//! without errors, internal links and fragments that resolve, well-formed XML.

use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every HTML file of the site, by path relative to the site root.
pub fn html_files(public: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(public).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Asserts that every page parses as HTML5 without a single parse error.
pub fn assert_valid_html(public: &Path) {
    for (path, text) in html_files(public) {
        let doc = Html::parse_document(&text);
        assert!(doc.errors.is_empty(), "{path}: HTML parse errors: {:?}", doc.errors);
        assert!(text.starts_with("<!DOCTYPE html>"), "{path}: no doctype");
    }
}

/// Asserts that every internal link and asset reference of every page
/// resolves to a file, and every `#fragment` to an id on the target page.
pub fn assert_links_resolve(public: &Path, base_path: &str) {
    let pages = html_files(public);
    let selector = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let id_selector = Selector::parse("[id]").unwrap();
    let ids: BTreeMap<String, BTreeSet<String>> = pages
        .iter()
        .map(|(path, text)| {
            let doc = Html::parse_document(text);
            (path.clone(), doc.select(&id_selector).map(|e| e.value().attr("id").unwrap().to_string()).collect())
        })
        .collect();
    let mut checked = 0;
    for (path, text) in &pages {
        let doc = Html::parse_document(text);
        for element in doc.select(&selector) {
            let target = element.value().attr("href").or(element.value().attr("src")).unwrap();
            if target.starts_with("http") || target.starts_with("//") || target.starts_with("mailto:") {
                continue;
            }
            let (file_part, fragment) = target.split_once('#').unwrap_or((target, ""));
            let file = if file_part.is_empty() {
                path.clone()
            } else {
                let rel = file_part
                    .strip_prefix(base_path)
                    .unwrap_or_else(|| panic!("{path}: link `{target}` is outside the base path {base_path}"));
                if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
            };
            assert!(public.join(&file).is_file(), "{path}: link `{target}` points at missing `{file}`");
            if !fragment.is_empty() {
                let known = ids.get(&file).is_some_and(|set| set.contains(fragment));
                assert!(known, "{path}: link `{target}` points at missing id `{fragment}` in `{file}`");
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no internal links were found to check");
}

/// Parses an XML file, failing the test when it is not well-formed.
pub fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// The text of every element matching `selector` in an HTML page.
pub fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}
