//! Search, as a reader uses it: the bundled archive served on loopback and
//! queried in headless Chromium; and the index files themselves.

use crate::chrome::Browser;
use crate::fixture::Fixture;
use crate::served::Served;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

fn bundled() -> Fixture {
    Fixture::copy_of(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Opens `/search/?query` and waits until the status line reports results.
fn search(browser: &Browser, port: u16, query: &str) {
    browser.open(&format!("http://127.0.0.1:{port}/search/?{query}"));
    browser.until("return /result/.test(document.getElementById('search-status').textContent)", "results");
}

fn results(browser: &Browser) -> Vec<String> {
    let links = browser.eval(
        "return [...document.querySelectorAll('#search-results .result-title a')].map(a => new URL(a.href).pathname)",
    );
    serde_json::from_value(links).unwrap()
}

fn count(browser: &Browser) -> usize {
    let status = browser.eval("return document.getElementById('search-status').textContent");
    status.as_str().unwrap().split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn a_reader_finds_briefings_by_word_filter_phrase_and_alias_and_can_share_the_url() {
    let fixture = bundled();
    let served = Served::start(&fixture, &["serve", "--port", "0"]);
    let browser = Browser::start();
    let port = served.port;

    // A word in exactly one seed briefing: that briefing first, its word marked.
    search(&browser, port, "q=budapest");
    let found = results(&browser);
    assert_eq!(found[0], "/briefings/ukraine-explores-security-guarantees-with-western-allies/");
    let excerpt = browser.eval("return document.querySelector('#search-results .result-excerpt').innerHTML");
    assert!(excerpt.as_str().unwrap().contains("<mark>Budapest</mark>"), "{excerpt}");

    // Word forms: "guarantee" finds pages saying "guarantees".
    search(&browser, port, "q=guarantee");
    let broad = count(&browser);
    assert!(broad >= 5, "{broad}");

    // A filter narrows the results, and the URL carries it.
    browser.eval("document.querySelector('input[name=year][value=\"2025\"]').click(); return true");
    browser.until("return location.search.includes('year=2025')", "the filter in the URL");
    browser.until("return document.getElementById('search-status').textContent.startsWith('1 result')", "one result");
    assert_eq!(results(&browser), vec!["/briefings/instead-of-nato-like-security-guarantees-for-ukraine/"]);
    let label = browser.eval("return document.querySelector('label[for=\"f-year-2025\"]').textContent");
    assert_eq!(label, json!("2025 1"));

    // The shared URL restores query and filter.
    let url = browser.eval("return location.href").as_str().unwrap().to_string();
    browser.open("about:blank");
    browser.open(&url);
    browser.until("return /result/.test(document.getElementById('search-status').textContent)", "results");
    assert_eq!(browser.eval("return document.getElementById('search-q').value"), json!("guarantee"));
    assert_eq!(browser.eval("return document.getElementById('f-year-2025').checked"), json!(true));
    assert_eq!(count(&browser), 1);

    // Two filters from different facets combine with AND.
    search(&browser, port, "q=ukraine&actor=germany&kind=briefing");
    assert_eq!(results(&browser), vec!["/briefings/ukraine-security-guarantees-and-nato-roles/"]);
    search(&browser, port, "q=ukraine&actor=russia");
    let one_filter = count(&browser);
    search(&browser, port, "q=ukraine&actor=russia&kind=briefing");
    let two_filters = results(&browser);
    assert!(two_filters.iter().all(|r| r.starts_with("/briefings/")), "{two_filters:?}");
    assert!(count(&browser) < one_filter);

    // A value the index's table of contents does not list (Poland is the
    // ninth actor) still shows as a checked filter, named, and "All"
    // brings every actor.
    search(&browser, port, "q=ukraine&actor=poland");
    assert_eq!(browser.eval("return document.getElementById('f-actor-poland').checked"), json!(true));
    let label = browser.eval("return document.querySelector('label[for=\"f-actor-poland\"]').textContent");
    assert!(label.as_str().unwrap().starts_with("Poland "), "{label}");
    let chips =
        browser.eval("return [...document.querySelectorAll('#search-results .chips a')].map(a => a.textContent)");
    assert!(chips.as_array().unwrap().iter().any(|c| c == "Poland"), "{chips}");
    browser.eval("document.querySelector('.facet-more[data-facet=actor]').click(); return true");
    browser.until("return document.querySelectorAll('input[name=actor]').length === 11", "every actor");

    // A phrase: only pages with the words side by side.
    search(&browser, port, "q=european+allies");
    let apart = count(&browser);
    search(&browser, port, "q=%22european+allies%22");
    let together = results(&browser);
    assert!(apart >= 3 && together.len() == 1, "{apart} with the words, {together:?} with the phrase");
    let excerpt = browser.eval("return document.querySelector('#search-results .result-excerpt').innerHTML");
    assert!(excerpt.as_str().unwrap().to_lowercase().contains("<mark>european</mark> <mark>allies</mark>"));

    // An actor found by an alias that is not its name.
    search(&browser, port, "q=Zelensky");
    assert_eq!(results(&browser)[0], "/actors/volodymyr-zelenskyy/");

    // Typing: the last word matches as a prefix, and the URL follows.
    browser.open(&format!("http://127.0.0.1:{port}/search/"));
    browser.until("return !!document.querySelector('#search-filters fieldset')", "the filters");
    browser.eval(
        "const q = document.getElementById('search-q'); q.value = 'budap'; q.dispatchEvent(new Event('input')); return true",
    );
    browser.until("return document.querySelectorAll('#search-results li').length > 0", "results as you type");
    assert_eq!(results(&browser)[0], "/briefings/ukraine-explores-security-guarantees-with-western-allies/");
    assert_eq!(browser.eval("return location.search"), json!("?q=budap"));

    // Every page's header search lands on the search page with the query.
    browser.open(&format!("http://127.0.0.1:{port}/actors/"));
    browser.eval(
        "const f = document.querySelector('.site-search'); f.querySelector('input').value = 'budapest'; f.submit(); return true",
    );
    browser.until(
        "return location.pathname === '/search/' && document.querySelectorAll('#search-results li').length > 0",
        "the search page",
    );
}

/// Every distinct word of the bundled archive and the test fixtures (raw articles among them), plus hard cases.
fn vocabulary() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    for dir in ["content", "tests/fixtures"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            text.push('\n');
        }
    }
    text.push_str(
        "Erdoğan MÜLLER Ukraine’s U.S. can't 3,000 2025 naïve café skies dying generously communism arsenal \
         Zelenskyy's ‘quoted’ O'Neill e-mail co-operation Größe straße",
    );
    let mut words: Vec<String> = text.split(|c: char| c.is_whitespace()).map(str::to_string).collect();
    words.sort();
    words.dedup();
    words
}

#[test]
fn the_browser_analyses_text_exactly_as_the_build() {
    let fixture = bundled();
    let served = Served::start(&fixture, &["serve", "--port", "0"]);
    let browser = Browser::start();
    browser.open(&format!("http://127.0.0.1:{}/search/", served.port));
    let words = vocabulary();
    let script = format!(
        "const t = await import('/search/text.js'); return {}.map(w => t.terms(w).join(' '));",
        serde_json::to_string(&words).unwrap()
    );
    let client: Vec<String> = serde_json::from_value(browser.eval_async(&script)).unwrap();
    let build: Vec<String> = words.iter().map(|w| dossier::search::text::terms(w).join(" ")).collect();
    let differ: Vec<(&String, &String, &String)> =
        words.iter().zip(&build).zip(&client).filter(|((_, b), c)| b != c).map(|((w, b), c)| (w, b, c)).collect();
    assert!(words.len() > 1500, "{} words", words.len());
    assert!(differ.is_empty(), "word, build, browser: {differ:?}");
}

/// The search files of a built site, by path.
fn search_files(site: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site.join("search"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(site).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn an_edit_rewrites_only_the_index_files_it_touches_and_matches_a_full_build() {
    let fixture = bundled();
    let mut served = Served::start(&fixture, &["watch"]);
    let before = search_files(&fixture.path("public"));
    let path = "content/briefings/ukraine-nato-involvement-and-the-war.md";
    let text = std::fs::read_to_string(fixture.path(path)).unwrap();
    fixture.write(path, &format!("{text}\nThe zeppelin question stays open.\n"));
    served.wait_for(|l| l.starts_with("rebuilt"));
    // Browsers are told of the rebuild first; the index follows.
    served.wait_for(|l| l.starts_with("search index updated"));
    let after = search_files(&fixture.path("public"));
    let changed: Vec<&String> = after.keys().filter(|p| before.get(*p) != after.get(*p)).collect();
    assert!(changed.iter().any(|p| p.starts_with("search/docs/")), "{changed:?}");
    assert!(changed.len() <= 6, "{changed:?}");

    let full = Fixture::copy_of(&fixture.root);
    let _ = std::fs::remove_dir_all(full.path("public"));
    full.run(&["build"]).success();
    assert_eq!(search_files(&full.path("public")), after);
}

#[test]
fn the_index_has_every_page_and_facet() {
    let fixture = bundled();
    fixture.run(&["build"]).success();
    let meta: Value = serde_json::from_str(&fixture.public("search/index.json")).unwrap();
    let pages = 5 + 11 + 6;
    assert_eq!(meta["docs"], json!(pages));
    assert_eq!(meta["briefings"], json!(5));
    // Briefings' search files are named by id; actors' and topics' by slug,
    // listed in id order by the term table.
    let table: Value = serde_json::from_str(&fixture.public("search/docs/terms.json")).unwrap();
    let slugs = |folder: &str| -> Vec<String> {
        table[folder].as_array().unwrap().iter().map(|s| format!("{folder}/{}", s.as_str().unwrap())).collect()
    };
    let files: Vec<String> = (0..5).map(|id| id.to_string()).chain(slugs("actors")).chain(slugs("topics")).collect();
    assert_eq!(files.len(), pages);
    for (id, file) in files.iter().enumerate() {
        let doc: Value = serde_json::from_str(&fixture.public(&format!("search/docs/{file}.json"))).unwrap();
        let url = doc["u"].as_str().unwrap();
        assert!(url.starts_with('/'), "{doc}");
        let kind = ["briefing", "actor", "topic"][usize::from(id >= 5) + usize::from(id >= 5 + 11)];
        assert_eq!(doc["k"], json!(kind), "{file}");
        if id >= 5 {
            assert!(url.ends_with(&format!("{file}/")), "{file}: {url}");
        }
    }
    let kinds: Vec<(String, String, usize)> = serde_json::from_value(meta["facets"]["kind"].clone()).unwrap();
    assert_eq!(
        kinds,
        vec![
            ("actor".into(), "Actors".into(), 11),
            ("briefing".into(), "Briefings".into(), 5),
            ("topic".into(), "Topics".into(), 6)
        ]
    );
    // The table of contents lists the most common values; each facet's file lists all.
    assert_eq!(meta["facet_values"]["actor"], json!(11));
    let listed = meta["facets"]["actor"].as_array().unwrap();
    assert_eq!(listed.len(), 8);
    let actors: Value = serde_json::from_str(&fixture.public("search/facets/actor.json")).unwrap();
    assert_eq!(actors.as_array().unwrap().len(), 11);
    assert_eq!(&actors.as_array().unwrap()[..8], listed.as_slice());
    let germany = actors.as_array().unwrap().iter().find(|v| v[0] == "germany").unwrap().clone();
    assert_eq!(germany, json!(["germany", "Germany", 2]));
    for chunk in meta["chunks"].as_array().unwrap() {
        assert!(fixture.path(&format!("public/search/terms/{}.bin", chunk[1].as_str().unwrap())).exists());
    }
}
