//! The preview server: `public/` over HTTP on the loopback interface, with a
//! small script injected into every HTML response (never written to disk)
//! that waits for the next rebuild and then reloads the page, swaps the
//! stylesheets, or shows the build error over the page.

pub use super::http::run;
pub use super::state::{LiveState, Outcome};
use crate::error::{Error, Result};
use percent_encoding::percent_decode_str;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

/// Requests with longer targets are refused.
const MAX_URL: usize = 2048;
/// Where the live-reload endpoint lives; no site page can be there.
const LIVE_PREFIX: &str = "/__dossier/";

/// An answer: status, headers and the whole body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply { status, headers: Vec::new(), body }.with_header("Content-Type", content_type)
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", body.as_bytes().to_vec())
    }

    fn with_header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Binds the server, explaining a busy port.
pub fn bind(address: IpAddr, port: u16) -> Result<TcpListener> {
    let socket = SocketAddr::new(address, port);
    match TcpListener::bind(socket) {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let free = (port.saturating_add(1)..port.saturating_add(50))
                .find(|&p| TcpListener::bind(SocketAddr::new(address, p)).is_ok());
            let help = match free {
                Some(p) => format!("stop the program using it, or serve on another port: `--port {p}`"),
                None => "stop the program using it, or choose another port with `--port`".to_string(),
            };
            Err(Error::with_help(format!("port {port} on {address} is already in use"), help))
        }
        Err(e) => Err(Error::io(format!("cannot listen on {socket}"), e)),
    }
}

/// Answers a request for `url` from the files under `out` (canonical).
pub fn handle(url: &str, out: &Path, live: &LiveState) -> Reply {
    if url.len() > MAX_URL {
        Reply::text(414, "URI too long")
    } else if let Some(rest) = url.strip_prefix(LIVE_PREFIX) {
        live_response(rest, out, live)
    } else {
        match resolve(out, url) {
            Ok(Target::File(path)) => file_response(out, &path, 200, live),
            Ok(Target::Redirect(location)) => Reply::text(301, "moved").with_header("Location", &location),
            Err(404) => match out.join("404.html") {
                page if page.is_file() => file_response(out, &page, 404, live),
                _ => Reply::text(404, "not found"),
            },
            Err(status) => Reply::text(status, status_text(status)),
        }
    }
}

/// What a request names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
}

/// The file `url` names under `out`, which must be canonical: never outside
/// it, whether by `..`, encoded dots, backslashes or symbolic links.
pub fn resolve(out: &Path, url: &str) -> std::result::Result<Target, u16> {
    // An absolute-form target (`http://host/path`) names a path on this server.
    let url = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let path = url.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(400);
    }
    let decoded = percent_decode_str(path).decode_utf8().map_err(|_| 400u16)?;
    if decoded.contains(['\0', '\\']) {
        return Err(400);
    }
    let mut target = out.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Err(403),
            name => target.push(name),
        }
    }
    if target.is_dir() {
        if !path.ends_with('/') {
            return Ok(Target::Redirect(format!("{path}/")));
        }
        target.push("index.html");
    }
    let real = target.canonicalize().map_err(|_| 404u16)?;
    if !real.starts_with(out) {
        return Err(403);
    }
    if real.is_file() { Ok(Target::File(real)) } else { Err(404) }
}

/// The output path (`briefings/x/index.html`) of a file `resolve` found under `out`.
fn output_path(out: &Path, file: &Path) -> Option<String> {
    let parts: Vec<&str> = file.strip_prefix(out).ok()?.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    Some(parts.join("/"))
}

fn file_response(out: &Path, path: &Path, status: u16, live: &LiveState) -> Reply {
    // A page rendered ahead of the rebuild under way is newer than its file.
    let ahead = output_path(out, path).and_then(|p| live.ahead_page(&p));
    let Some(mut bytes) = ahead.or_else(|| std::fs::read(path).ok()) else { return Reply::text(404, "not found") };
    // Feeds are Atom, which file extensions cannot tell.
    let mime = if path.file_name().is_some_and(|n| n == "atom.xml") {
        "application/atom+xml".parse().expect("a valid MIME type")
    } else {
        mime_guess::from_path(path).first_or_octet_stream()
    };
    let html = mime.essence_str() == "text/html";
    if html {
        bytes = inject(bytes, live);
    }
    let essence = mime.essence_str();
    let textual = mime.type_() == "text" || ["xml", "json", "javascript"].iter().any(|t| essence.ends_with(t));
    let content_type =
        if textual { format!("{}; charset=utf-8", mime.essence_str()) } else { mime.essence_str().to_string() };
    Reply::new(status, &content_type, bytes)
        // Always ask again: a preview must never show a stale page.
        .with_header("Cache-Control", "no-cache")
}

/// The page with the live-reload script before `</body>`.
fn inject(bytes: Vec<u8>, live: &LiveState) -> Vec<u8> {
    let (build, failure) = live.current();
    let failed = failure.map_or("null".into(), |message| serde_json::to_string(&message).unwrap_or_default());
    let script = format!("<script>{}</script>", SCRIPT.replace("BUILD", &build.to_string()).replace("FAILED", &failed));
    let text = String::from_utf8_lossy(&bytes);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// The browser side: wait for the next rebuild, then act on it.
const SCRIPT: &str = r#"(() => {
  let build = BUILD;
  const show = (message) => {
    let box = document.getElementById("dossier-build-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "dossier-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;border-radius:8px;background:#2a0d0d;color:#ffe4e4;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;box-shadow:0 6px 30px rgba(0,0,0,.45)";
      document.body.appendChild(box);
    }
    box.textContent = "The last rebuild failed; the page shows the previous build.\n\n" + message;
  };
  const restyle = () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("v", String(Date.now()));
      link.href = url.href;
    }
  };
  const page = encodeURIComponent(location.pathname);
  const wait = () => fetch("/__dossier/wait?since=" + build + "&page=" + page, { cache: "no-store" })
    .then((r) => r.json())
    .then((s) => {
      if (s.build !== build) {
        build = s.build;
        if (s.outcome === "failed") show(s.message);
        else if (s.outcome === "css" && !document.getElementById("dossier-build-error")) restyle();
        else if (s.outcome === "search") {
          if (performance.getEntriesByType("resource").some((r) => r.name.endsWith("/search/index.json"))) { location.reload(); return; }
        }
        // Rendered ahead of a full rebuild: this page reloads now, the others when it ends.
        else if (s.outcome === "ahead") { if (s.yours) { location.reload(); return; } }
        else if (!s.yours) { location.reload(); return; }
      }
      wait();
    })
    .catch(() => setTimeout(wait, 1000));
  const failed = FAILED;
  if (failed !== null) show(failed);
  wait();
})();"#;

fn live_response(rest: &str, out: &Path, live: &LiveState) -> Reply {
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != "wait" {
        return Reply::text(404, "not found");
    }
    let param = |name: &str| query.split('&').find_map(|p| p.strip_prefix(name)?.strip_prefix('='));
    let since = param("since").and_then(|n| n.parse().ok()).unwrap_or(0);
    // The page the browser shows, as the output file it was served from.
    let page =
        param("page").and_then(|p| percent_decode_str(p).decode_utf8().ok()).and_then(|p| match resolve(out, &p) {
            Ok(Target::File(file)) => output_path(out, &file),
            _ => None,
        });
    let told = live.wait_after(since, page.as_deref());
    let body = serde_json::json!({
        "build": told.build,
        "outcome": told.outcome.as_str(),
        "message": told.message,
        "yours": told.yours,
    })
    .to_string();
    Reply::new(200, "application/json", body.into_bytes()).with_header("Cache-Control", "no-store")
}

fn status_text(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        403 => "forbidden",
        _ => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_stay_inside_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("briefings/a")).unwrap();
        std::fs::write(out.join("briefings/a/index.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt")).unwrap();
        let out = out.canonicalize().unwrap();
        let file = |p: &str| Target::File(out.join(p).canonicalize().unwrap());
        assert_eq!(resolve(&out, "/briefings/a/"), Ok(file("briefings/a/index.html")));
        assert_eq!(resolve(&out, "/briefings/a/?x=1#y"), Ok(file("briefings/a/index.html")));
        assert_eq!(resolve(&out, "/briefings/a"), Ok(Target::Redirect("/briefings/a/".into())));
        assert_eq!(resolve(&out, "http://127.0.0.1:1111/briefings/a/index.html"), Ok(file("briefings/a/index.html")));
        assert_eq!(resolve(&out, "/../secret.txt"), Err(403));
        assert_eq!(resolve(&out, "/%2e%2e/secret.txt"), Err(403));
        assert_eq!(resolve(&out, "/briefings/%2E%2E/%2e%2e/secret.txt"), Err(403));
        assert_eq!(resolve(&out, "/..%5csecret.txt"), Err(400));
        assert_eq!(resolve(&out, "/link.txt"), Err(403), "a symbolic link out of the folder");
        assert_eq!(resolve(&out, "/%ff"), Err(400));
        assert_eq!(resolve(&out, "/nothing-here"), Err(404));
        assert_eq!(resolve(&out, "relative"), Err(400));
    }
}
