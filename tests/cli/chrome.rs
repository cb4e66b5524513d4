//! Headless Chromium driven over WebDriver (chromedriver), for what only a
//! real browser shows: live reload, search.

use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A chromedriver process and one headless Chromium session on it.
pub struct Browser {
    _turn: MutexGuard<'static, ()>,
    driver: Child,
    base: String,
    session: String,
}

impl Browser {
    pub fn start() -> Browser {
        // Two headless Chromiums starting together on this machine can leave
        // one's first page hanging; the tests take turns.
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
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
            // chromedriver's own wait for a load sometimes never returns while
            // the page long-polls `dossier serve`; `open` waits instead.
            "pageLoadStrategy": "none",
            "timeouts": { "script": 20000 },
            "goog:chromeOptions": { "binary": chromium(), "args": args }
        } } });
        let reply: Value =
            ureq::post(&format!("{base}/session")).send_json(&capabilities).unwrap().body_mut().read_json().unwrap();
        let session = reply["value"]["sessionId"].as_str().expect("a WebDriver session").to_string();
        Browser { _turn: turn, driver, base, session }
    }

    pub fn command(&self, path: &str, body: Value) -> Value {
        self.try_command(path, body).unwrap_or_else(|error| panic!("WebDriver {path}: {error}"))
    }

    /// A WebDriver command, or the error it answered with.
    fn try_command(&self, path: &str, body: Value) -> Result<Value, Value> {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        let mut response = ureq::post(&url)
            .config()
            .http_status_as_error(false)
            .build()
            .send_json(&body)
            .expect("chromedriver answers");
        let ok = response.status().is_success();
        let reply: Value = response.body_mut().read_json().unwrap();
        if ok { Ok(reply["value"].clone()) } else { Err(reply["value"].clone()) }
    }

    /// Goes to `url` and waits until the page has loaded.
    pub fn open(&self, url: &str) {
        self.command("url", json!({ "url": url }));
        let wanted = serde_json::to_string(url).unwrap();
        self.until(
            &format!("return location.href === {wanted} && document.readyState === 'complete'"),
            &format!("{url} loaded"),
        );
    }

    pub fn eval(&self, script: &str) -> Value {
        self.command("execute/sync", json!({ "script": script, "args": [] }))
    }

    /// Runs `script` as an async function body: what its promise resolves to.
    pub fn eval_async(&self, script: &str) -> Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1]; (async () => {{ {script} }})().then(done, e => done('error: ' + e))"
        );
        self.command("execute/async", json!({ "script": wrapped, "args": [] }))
    }

    /// Evaluates `script` until it returns `true`, for up to 30 s (a loaded
    /// 2-core machine can take several seconds to start the browser).
    pub fn until(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        // A script error (the page is between two loads) counts as not yet.
        while self.try_command("execute/sync", json!({ "script": script, "args": [] })) != Ok(json!(true)) {
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
