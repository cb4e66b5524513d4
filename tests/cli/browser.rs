//! Live reload in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) watches a page of `dossier serve` while its files change.

use crate::fixture::Fixture;
use crate::served::Served;
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver process and one headless Chromium session on it.
struct Browser {
    driver: Child,
    base: String,
    session: String,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (Debian: chromium-driver; .ci/run installs it)");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium(), "args": args }
        } } });
        let reply: Value =
            ureq::post(&format!("{base}/session")).send_json(&capabilities).unwrap().body_mut().read_json().unwrap();
        let session = reply["value"]["sessionId"].as_str().expect("a WebDriver session").to_string();
        Browser { driver, base, session }
    }

    fn command(&self, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        let reply: Value = ureq::post(&url).send_json(&body).unwrap().body_mut().read_json().unwrap();
        reply["value"].clone()
    }

    fn open(&self, url: &str) {
        self.command("url", json!({ "url": url }));
    }

    fn eval(&self, script: &str) -> Value {
        self.command("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Evaluates `script` until it returns `true`, for up to 15 s.
    fn until(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.eval(script) != json!(true) {
            assert!(Instant::now() < deadline, "the browser never saw {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The Chromium binary: Debian's `chromium`, or what `CHROMIUM` names.
fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists())
            .expect("Chromium is installed (Debian: chromium; .ci/run installs it)")
            .to_string()
    })
}

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
}
