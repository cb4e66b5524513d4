//! Live reload in a real browser: an open page of `dossier serve` follows
//! edits to its files.

use crate::chrome::Browser;
use crate::fixture::Fixture;
use crate::served::Served;
use serde_json::json;

#[test]
fn an_open_page_follows_edits_stylesheets_and_failed_builds_without_a_manual_reload() {
    let fixture = Fixture::new("build/basic");
    let mut served = Served::start(&fixture, &["serve", "--port", "0"]);
    let browser = Browser::start();
    browser.open(&format!("http://127.0.0.1:{}/briefings/kyiv-asks/", served.port));
    assert_eq!(browser.eval("return document.querySelector('h1').textContent"), json!("Kyiv asks for air defence"));

    // An edit to the briefing: the page reloads itself and shows it.
    browser.eval("window.dossierMarker = 1; return true");
    let text = std::fs::read_to_string(fixture.path("content/briefings/kyiv-asks.md")).unwrap();
    fixture.write("content/briefings/kyiv-asks.md", &text.replace("Kyiv asks for air defence", "Kyiv asks again"));
    served.wait_for(|l| l.starts_with("rebuilt"));
    browser.until("return document.querySelector('h1').textContent === 'Kyiv asks again'", "the new title");
    assert_eq!(browser.eval("return window.dossierMarker === undefined"), json!(true), "the page was reloaded");

    // A stylesheet edit: new styles without reloading the page.
    browser.eval("window.dossierMarker = 2; return true");
    fixture.write("static/style.css", "h1 { color: rgb(200, 0, 0); }\n");
    browser.until("return getComputedStyle(document.querySelector('h1')).color === 'rgb(200, 0, 0)'", "the new style");
    assert_eq!(browser.eval("return window.dossierMarker"), json!(2), "only the stylesheet was swapped");

    // A bad save: the error shows over the page, which stays; a good one clears it.
    fixture.write("content/briefings/broken.md", "---\ntitle: [unclosed\n---\n");
    browser.until(
        "const e = document.getElementById('dossier-build-error'); return !!e && e.textContent.includes('broken.md:3:1')",
        "the error overlay",
    );
    assert_eq!(browser.eval("return document.querySelector('h1').textContent"), json!("Kyiv asks again"));
    std::fs::remove_file(fixture.path("content/briefings/broken.md")).unwrap();
    browser.until(
        "return window.dossierMarker === undefined && !document.getElementById('dossier-build-error')",
        "the recovered page",
    );

    // A base template edit makes every page again: the open page is made
    // first and reloads before the rest of the site is written.
    browser.eval("window.dossierMarker = 3; return true");
    let base = dossier::render::default_theme_files().iter().find(|(p, _)| *p == "templates/base.html").unwrap().1;
    let edited = String::from_utf8(base.to_vec()).unwrap().replace("Skip to content", "Skip to the text");
    fixture.write("templates/base.html", &edited);
    served.wait_for(|l| l.contains("(1 page open in a browser shown after"));
    browser.until(
        "return window.dossierMarker === undefined && document.querySelector('.skip').textContent === 'Skip to the text'",
        "the page as the edited template makes it",
    );
}
