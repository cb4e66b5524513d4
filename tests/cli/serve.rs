//! `dossier serve` and `dossier watch` end to end: what the server answers,
//! what it refuses, and how rebuilds follow the files.

use crate::fixture::Fixture;
use crate::served::Served;
use std::process::Command;
use std::time::Duration;

const BRIEFING: &str = "content/briefings/kyiv-asks.md";

fn serve(fixture: &Fixture) -> Served {
    Served::start(fixture, &["serve", "--port", "0"])
}

fn edit(fixture: &Fixture, from: &str, to: &str) {
    let text = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    assert!(text.contains(from), "{from:?}");
    fixture.write(BRIEFING, &text.replacen(from, to, 1));
}

#[test]
fn pages_assets_and_missing_pages_are_served_with_the_reload_script_only_in_responses() {
    let fixture = Fixture::new("build/basic");
    let served = serve(&fixture);
    let home = served.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("Content-Type").as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("Cache-Control").as_deref(), Some("no-cache"));
    assert!(home.body.contains("/__dossier/wait?since="), "the live-reload script is injected");
    assert!(!fixture.public("index.html").contains("__dossier"), "and never written to public/");
    assert!(home.body.contains("http://127.0.0.1:"), "links point at the preview: {}", &home.body[..300]);

    let css = served.get("/style.css");
    assert_eq!((css.status, css.header("Content-Type").as_deref()), (200, Some("text/css; charset=utf-8")));
    let head = served.request("HEAD", "/style.css");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(served.get("/atom.xml").header("Content-Type").as_deref(), Some("application/atom+xml; charset=utf-8"));

    let missing = served.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"), "the theme's 404 page");
    let folder = served.get("/actors");
    assert_eq!((folder.status, folder.header("Location").as_deref()), (301, Some("/actors/")));
}

#[test]
fn requests_never_leave_the_output_folder() {
    let fixture = Fixture::new("build/basic");
    let served = serve(&fixture);
    std::os::unix::fs::symlink(fixture.path("dossier.yaml"), fixture.path("public/escape.yaml")).unwrap();
    for target in [
        "/../dossier.yaml",
        "/%2e%2e/dossier.yaml",
        "/%2E%2E%2Fdossier.yaml",
        "/briefings/../../dossier.yaml",
        "http://127.0.0.1/../dossier.yaml",
        "/escape.yaml",
    ] {
        let reply = served.get(target);
        assert_eq!(reply.status, 403, "{target}");
        assert!(!reply.body.contains("base_url"), "{target} leaked the file");
    }
    assert_eq!(served.get("/..%5cdossier.yaml").status, 400);
    assert_eq!(served.get("/etc/passwd").status, 404, "absolute paths are paths inside the site");
    assert_eq!(served.get("//etc/passwd").status, 404);
    assert_eq!(served.get(&format!("/{}", "a".repeat(5000))).status, 414);
    assert_eq!(served.get("/__dossier/other").status, 404);
}

/// A browser keeps its connections open between requests and opens new
/// ones in bursts; every request on every one of them is answered, however
/// many stay open idle.
#[test]
fn connections_held_open_never_keep_a_new_one_waiting() {
    use std::io::{Read, Write};
    let fixture = Fixture::new("build/basic");
    let served = serve(&fixture);
    let port = served.port;
    let mut held = Vec::new();
    for round in 0..30 {
        let burst: Vec<_> = (0..5)
            .map(|_| {
                std::thread::spawn(move || {
                    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
                    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                    stream.write_all(b"GET /style.css HTTP/1.1\r\nHost: preview\r\n\r\n").unwrap();
                    let mut start = [0u8; 12];
                    let answered = stream.read_exact(&mut start).is_ok() && &start == b"HTTP/1.1 200";
                    (stream, answered)
                })
            })
            .collect();
        for thread in burst {
            let (stream, answered) = thread.join().unwrap();
            assert!(answered, "a request on a new connection went unanswered in round {round}");
            // Kept open, idle, as a browser keeps it.
            held.push(stream);
        }
    }
}

#[test]
fn a_busy_port_gets_a_clear_message() {
    let fixture = Fixture::new("build/basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let stderr = fixture.run(&["serve", "--port", &port]).failure(1).stderr();
    assert!(stderr.starts_with(&format!("error: port {port} on 127.0.0.1 is already in use")), "{stderr}");
    assert!(stderr.contains("--port "), "{stderr}");
}

#[test]
fn saves_rebuild_bad_saves_keep_the_server_up_and_browsers_hear_of_both() {
    let fixture = Fixture::new("build/basic");
    let mut served = serve(&fixture);
    edit(&fixture, "more systems were needed", "more systems were needed urgently");
    let line = served.wait_for(|l| l.starts_with("rebuilt"));
    assert!(line.contains("written"), "{line}");
    assert!(served.get("/briefings/kyiv-asks/").body.contains("needed urgently"));
    let poll = served.get("/__dossier/wait?since=0").body;
    assert!(poll.contains("\"outcome\":\"reload\""), "{poll}");

    fixture.write("content/briefings/broken.md", "---\ntitle: [unclosed\n---\n");
    served.wait_for(|l| l.starts_with("error: content/briefings/broken.md:3:1"));
    let poll = served.get("/__dossier/wait?since=1").body;
    assert!(poll.contains("\"outcome\":\"failed\"") && poll.contains("broken.md:3:1"), "{poll}");
    let page = served.get("/briefings/kyiv-asks/");
    assert_eq!(page.status, 200, "the previous build is still served");
    assert!(page.body.contains("The last rebuild failed"), "a page loaded now shows the error too");

    std::fs::remove_file(fixture.path("content/briefings/broken.md")).unwrap();
    served.wait_for(|l| l.starts_with("rebuilt"));
    // A save can reach the watcher as two batches, each a failed rebuild:
    // follow the builds until the good one.
    let mut since = 1;
    let poll = loop {
        let poll: serde_json::Value =
            serde_json::from_str(&served.get(&format!("/__dossier/wait?since={since}")).body).unwrap();
        if poll["outcome"] != "failed" {
            break poll;
        }
        since = poll["build"].as_u64().unwrap();
    };
    assert_eq!(poll["outcome"], "reload", "{poll}");
}

#[test]
fn a_burst_of_500_changes_is_one_rebuild() {
    let fixture = Fixture::new("build/basic");
    let mut served = Served::start(&fixture, &["watch"]);
    for i in 0..500 {
        fixture.write(
            &format!("content/briefings/burst-{i:03}.md"),
            &format!("---\ntitle: \"Burst {i}\"\n---\nText {i}.\n"),
        );
    }
    served.wait_for(|l| l.starts_with("rebuilt"));
    served.settle(Duration::from_secs(2));
    assert_eq!(served.count("rebuilt"), 1, "{:?}", served.log);
    assert!(fixture.path("public/briefings/burst-499/index.html").is_file());
    assert!(served.log.iter().any(|l| l.contains("500 files") || l.contains("written")), "{:?}", served.log);
}

#[test]
fn files_deleted_mid_build_and_editor_temporaries_leave_a_site_like_a_full_build() {
    let fixture = Fixture::new("build/basic");
    let mut served = Served::start(&fixture, &["watch"]);
    for i in 0..20 {
        let rel = format!("content/briefings/fleeting-{i}.md");
        fixture.write(&rel, "---\ntitle: \"Fleeting\"\n---\nGone soon.\n");
        std::thread::sleep(Duration::from_millis(i * 7));
        std::fs::remove_file(fixture.path(&rel)).unwrap();
    }
    fixture.write("content/briefings/.kyiv-asks.md.swp", "binary junk");
    fixture.write("content/briefings/kyiv-asks.md~", "backup");
    served.settle(Duration::from_millis(1500));
    assert!(!fixture.path("public/briefings/fleeting-0").exists());
    fixture.run(&["build", "--quiet", "--out", "full"]).success();
    let list = |dir: &str| {
        let root = fixture.path(dir);
        let mut files: Vec<String> = walkdir::WalkDir::new(&root)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&root).unwrap().to_string_lossy().into_owned())
            .collect();
        files.sort();
        files
    };
    assert_eq!(list("public"), list("full"), "log: {:?}", served.log);
}

#[test]
fn a_templates_folder_made_and_removed_while_watching_takes_effect() {
    let fixture = Fixture::new("build/basic");
    let mut watching = Served::start(&fixture, &["watch"]);
    let not_found = "{% extends \"base.html\" %}{% block main %}<h1>Nothing here</h1>{% endblock main %}";
    fixture.write("templates/404.html", not_found);
    // A content edit in the same moment is read too.
    let path = "content/briefings/kyiv-asks.md";
    let text = std::fs::read_to_string(fixture.path(path)).unwrap();
    fixture.write(path, &text.replace("Keir Giles called", "Analyst Keir Giles called"));
    watching.wait_for(|l| l.starts_with("rebuilt"));
    watching.settle(Duration::from_millis(800));
    assert!(fixture.public("404.html").contains("Nothing here"));
    assert!(fixture.public("briefings/kyiv-asks/index.html").contains("Analyst "));
    std::fs::remove_dir_all(fixture.path("templates")).unwrap();
    watching.wait_for(|l| l.starts_with("rebuilt"));
    watching.settle(Duration::from_millis(800));
    assert!(!fixture.public("404.html").contains("Nothing here"), "{:?}", watching.log);
}

#[test]
fn new_sources_are_offered_for_import_or_imported() {
    let fixture = Fixture::new("build/basic");
    let article = "Talks resume in Geneva\n\nGENEVA, March 3, 2025 — Delegations met again on Monday to discuss a ceasefire, officials said.\n";
    std::fs::create_dir_all(fixture.path("sources")).unwrap();
    let mut watching = Served::start(&fixture, &["watch"]);
    fixture.write("sources/geneva.txt", article);
    let offer = watching.wait_for(|l| l.starts_with("new source"));
    assert_eq!(offer, "new source `sources/geneva.txt`: import it with `dossier import sources/geneva.txt`");
    drop(watching);

    let mut importing = Served::start(&fixture, &["watch", "--import"]);
    fixture.write("sources/geneva-2.txt", &article.replace("Monday", "Tuesday"));
    importing.wait_for(|l| l.starts_with("rebuilt"));
    let page = fixture.public("briefings/talks-resume-in-geneva/index.html");
    assert!(page.contains("Delegations met again on Tuesday"), "{page}");
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let fixture = Fixture::new("build/basic");
    let mut served = serve(&fixture);
    let pid = served.pid().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    served.wait_for(|l| l == "stopped");
    assert_eq!(served.wait_exit(), Some(0));
    assert!(!fixture.path(".public.staging").exists());
}

#[test]
fn ctrl_c_stops_watching_cleanly() {
    let fixture = Fixture::new("build/basic");
    let mut watching = Served::start(&fixture, &["watch"]);
    assert!(Command::new("kill").args(["-INT", &watching.pid().to_string()]).status().unwrap().success());
    watching.wait_for(|l| l == "stopped");
    assert_eq!(watching.wait_exit(), Some(0));
}

#[test]
fn a_template_edit_shows_the_open_page_first_and_it_needs_no_second_reload() {
    let fixture = Fixture::new("build/basic");
    let mut served = serve(&fixture);
    let port = served.port;
    let base = dossier::render::default_theme_files().iter().find(|(p, _)| *p == "templates/base.html").unwrap().1;
    let edited = String::from_utf8(base.to_vec()).unwrap().replace("Skip to content", "Skip to the text");
    // A browser shows a briefing while the base template, read by every page, is edited.
    let ahead = told_while(port, "/briefings/kyiv-asks/", || fixture.write("templates/base.html", &edited));
    assert_eq!((&ahead["outcome"], &ahead["yours"]), (&"ahead".into(), &true.into()), "{ahead}");
    let line = served.wait_for(|l| l.starts_with("built"));
    assert!(line.contains("(1 page open in a browser shown after"), "{line}");
    assert!(fixture.public("briefings/kyiv-asks/index.html").contains("Skip to the text"));
    assert!(served.get("/briefings/kyiv-asks/").body.contains("Skip to the text"));

    // When the rebuild ends, that page, reloaded already, stays; the others reload.
    let shown = ahead["build"].as_u64().unwrap();
    let end = poll(port, shown, "/briefings/kyiv-asks/");
    assert_eq!((&end["outcome"], &end["yours"]), (&"reload".into(), &true.into()), "{end}");
    assert_eq!(poll(port, shown, "/actors/")["yours"], false);
    assert_eq!(poll(port, shown - 1, "/briefings/kyiv-asks/")["yours"], false, "a browser that missed it reloads");
}

#[test]
fn a_briefing_added_shows_on_the_open_page_before_every_page_is_checked() {
    let fixture = Fixture::new("build/basic");
    let mut served = serve(&fixture);
    let port = served.port;
    // A briefing added moves the timeline: every page is checked again, and
    // the home page a browser shows is made first.
    let ahead = told_while(port, "/", || {
        fixture.write(
            "content/briefings/ceasefire-talks.md",
            "---\ntitle: \"Ceasefire talks resume\"\ndate: 2025-06-01\nactors: [ukraine]\n---\nTalks resumed.\n",
        )
    });
    assert_eq!((&ahead["outcome"], &ahead["yours"]), (&"ahead".into(), &true.into()), "{ahead}");
    assert!(served.get("/").body.contains("Ceasefire talks resume"), "the open page is served as rendered ahead");
    let line = served.wait_for(|l| l.starts_with("rebuilt"));
    assert!(line.contains("(1 page open in a browser shown after"), "{line}");
    assert!(fixture.public("index.html").contains("Ceasefire talks resume"));
    assert!(fixture.public("briefings/ceasefire-talks/index.html").contains("Talks resumed."));

    // The home page, reloaded already, stays when the rebuild ends; a page
    // the rebuild changed reloads.
    let shown = ahead["build"].as_u64().unwrap();
    let end = poll(port, shown, "/");
    assert_eq!((&end["outcome"], &end["yours"]), (&"reload".into(), &true.into()), "{end}");
    assert_eq!(poll(port, shown, "/actors/ukraine/")["yours"], false);

    // An open page the new briefing leaves as it was is not rendered ahead.
    served.wait_for(|l| l.starts_with("search index updated"));
    let told = told_while(port, "/topics/", || {
        fixture
            .write("content/briefings/quiet-week.md", "---\ntitle: \"A quiet week\"\ndate: 2025-06-02\n---\nNothing.\n")
    });
    assert_eq!(told["outcome"], "reload", "{told}");
    let line = served.wait_for(|l| l.starts_with("rebuilt"));
    assert!(!line.contains("shown after"), "{line}");
}

/// What the live-reload endpoint tells a browser showing `page` of the
/// first event after `since`.
fn poll(port: u16, since: u64, page: &str) -> serde_json::Value {
    let target = format!("/__dossier/wait?since={since}&page={}", page.replace('/', "%2F"));
    serde_json::from_str(&crate::served::request(port, "GET", &target).body).unwrap()
}

/// What a browser showing `page` is told of the rebuild that `save` starts.
fn told_while<T>(port: u16, page: &str, save: impl FnOnce() -> T) -> serde_json::Value {
    let since = poll(port, 0, page)["build"].as_u64().unwrap();
    std::thread::scope(|scope| {
        let waiting = scope.spawn(|| poll(port, since, page));
        std::thread::sleep(Duration::from_millis(500));
        save();
        waiting.join().unwrap()
    })
}

#[test]
fn a_save_that_changes_no_output_reloads_no_browser() {
    let fixture = Fixture::new("build/basic");
    let mut served = serve(&fixture);
    let build = |served: &Served| {
        let poll: serde_json::Value = serde_json::from_str(&served.get("/__dossier/wait?since=0").body).unwrap();
        poll["build"].as_u64().unwrap()
    };
    let before = build(&served);
    let text = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    fixture.write(BRIEFING, &text);
    let line = served.wait_for(|l| l.starts_with("rebuilt"));
    assert!(line.contains(": 0 files written"), "{line}");
    assert_eq!(build(&served), before, "no event for browsers");
}
