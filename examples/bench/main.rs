//! The benchmark: generated archives of 1,000 and 10,000 briefings built by
//! Dossier (full builds, one-edit rebuilds in `dossier watch`) and, where it
//! is installed, by Hugo on the same articles; then the bundled archive's
//! cold build. Prints a Markdown report.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench -- [--sizes 1000,10000] [--runs 3]
//! ```

mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

/// What one timed run of a command cost.
#[derive(Debug, Clone, Default)]
struct Cost {
    wall: f64,
    cpu: f64,
    /// Peak resident memory, MiB.
    memory: f64,
    stderr: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<usize> = option("--sizes")
        .unwrap_or_else(|| "1000,10000".into())
        .split(',')
        .map(|s| s.parse().expect("a size"))
        .collect();
    let runs: usize = option("--runs").map_or(3, |r| r.parse().expect("a number of runs"));
    let work = PathBuf::from(option("--work").unwrap_or_else(|| "target/bench".into()));
    let dossier = std::fs::canonicalize("target/release/dossier").expect("build first: cargo build --release");
    let hugo = which("hugo");
    let timer = which("time").filter(|t| Command::new(t).args(["-f", "%e", "true"]).output().is_ok());

    println!("# Dossier benchmark\n");
    println!(
        "Machine: {} cores; {runs} runs each, medians.",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    if hugo.is_none() {
        println!("Hugo is not installed: no side-by-side figures.");
    }
    let zola = which("zola");
    if zola.is_none() {
        println!("Zola is not installed: no side-by-side figures.");
    }
    for &n in &sizes {
        let site = work.join(format!("dossier-{n}"));
        generate(&site, n, corpus::write_dossier);
        println!("## {n} briefings\n");
        let full: Vec<Cost> = (0..runs)
            .map(|_| {
                clean(&site);
                timed(timer.as_deref(), &dossier, &["build", "-v", "--root", site.to_str().unwrap()])
            })
            .collect();
        let dossier_cost = median_cost(&full);
        println!("| | wall | CPU | peak memory | output |\n|---|---|---|---|---|");
        println!(
            "| Dossier full build | {:.2} s | {:.2} s | {:.0} MiB | {:.0} MiB in {} files |",
            dossier_cost.wall,
            dossier_cost.cpu,
            dossier_cost.memory,
            size_of(&site.join("public")) as f64 / 1048576.0,
            count_files(&site.join("public"))
        );
        // `dossier build` again over its own output, nothing changed: the
        // first of these leaves the spare site the others stage into.
        let again: Vec<Cost> = (0..=runs)
            .map(|_| timed(timer.as_deref(), &dossier, &["build", "-v", "--root", site.to_str().unwrap()]))
            .skip(1)
            .collect();
        let again = median_cost(&again);
        println!(
            "| Dossier full build over its previous output, nothing changed | {:.2} s | {:.2} s | {:.0} MiB | |",
            again.wall, again.cpu, again.memory
        );
        // The same archive with `search: false` in its config: every page,
        // feed, sitemap and picture, without the search records and index.
        let config = site.join("dossier.yaml");
        let original = std::fs::read_to_string(&config).unwrap();
        std::fs::write(&config, format!("{original}search: false\n")).unwrap();
        let bare: Vec<Cost> = (0..runs)
            .map(|_| {
                clean(&site);
                timed(timer.as_deref(), &dossier, &["build", "-v", "--root", site.to_str().unwrap()])
            })
            .collect();
        std::fs::write(&config, original).unwrap();
        clean(&site);
        let bare = median_cost(&bare);
        println!(
            "| Dossier full build without search (`search: false`) | {:.2} s | {:.2} s | {:.0} MiB | |",
            bare.wall, bare.cpu, bare.memory
        );
        if let Some(hugo) = &hugo {
            let hugo_site = work.join(format!("hugo-{n}"));
            generate(&hugo_site, n, corpus::write_hugo);
            let costs: Vec<Cost> = (0..runs)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(hugo_site.join("public"));
                    timed(timer.as_deref(), hugo, &["--quiet", "-s", hugo_site.to_str().unwrap()])
                })
                .collect();
            let h = median_cost(&costs);
            println!(
                "| Hugo full build | {:.2} s | {:.2} s | {:.0} MiB | {:.0} MiB |",
                h.wall,
                h.cpu,
                h.memory,
                size_of(&hugo_site.join("public")) as f64 / 1048576.0
            );
            println!("\nHugo / Dossier wall-time ratio: **{:.1}×**.", h.wall / dossier_cost.wall);
        }
        if let Some(zola) = &zola {
            let zola_site = work.join(format!("zola-{n}"));
            generate(&zola_site, n, corpus::write_zola);
            // Its search index on (as Dossier's), then off (as `search: false`).
            for (index, dossier) in [(true, &dossier_cost), (false, &bare)] {
                std::fs::write(zola_site.join("config.toml"), corpus::zola_config(index)).unwrap();
                let out = zola_site.join("public");
                let costs: Vec<Cost> = (0..runs)
                    .map(|_| {
                        let _ = std::fs::remove_dir_all(&out);
                        let args = [
                            "--root",
                            zola_site.to_str().unwrap(),
                            "build",
                            "--force",
                            "--output-dir",
                            out.to_str().unwrap(),
                        ];
                        timed(timer.as_deref(), zola, &args)
                    })
                    .collect();
                let z = median_cost(&costs);
                let what = if index { "its search index on" } else { "its search index off" };
                println!(
                    "| Zola full build, {what} | {:.2} s | {:.2} s | {:.0} MiB | {:.0} MiB |",
                    z.wall,
                    z.cpu,
                    z.memory,
                    size_of(&out) as f64 / 1048576.0
                );
                let against = if index { "Dossier with search" } else { "Dossier with `search: false`" };
                println!("\nZola / {against} wall-time ratio: **{:.1}×**.\n", z.wall / dossier.wall);
            }
        }
        let stages = dossier_cost.stderr.lines().find(|l| l.starts_with("stages:")).unwrap_or("").to_string();
        println!("\nDossier stages (last run): {stages}\n");
        let rebuilds = rebuild_times(&dossier, &site);
        println!(
            "| one-edit rebuild in `dossier watch` | time | files written | search index update, after the reload | index files written |\n|---|---|---|---|---|"
        );
        for (what, line) in rebuilds {
            println!("| {what} | {line} |");
        }
        println!("\n{}\n", ahead_time(&dossier, &site));
    }
    let bundled: Vec<Cost> = (0..10)
        .map(|_| {
            let out = work.join("bundled");
            clean_out(&out);
            timed(None, &dossier, &["build", "--quiet", "--out", out.to_str().unwrap()])
        })
        .collect();
    println!(
        "## Bundled archive\n\nCold build (new process, empty output): {:.0} ms median of 10.",
        median_cost(&bundled).wall * 1000.0
    );
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

/// Generates the site unless a complete one of the same size is there.
fn generate(dir: &Path, n: usize, write: fn(&Path, usize)) {
    let marker = dir.join(".generated");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(&n.to_string()) {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let started = Instant::now();
    write(dir, n);
    std::fs::write(&marker, n.to_string()).unwrap();
    eprintln!("generated {} in {:.1} s", dir.display(), started.elapsed().as_secs_f64());
}

/// Removes a build's output and what Dossier keeps beside it (manifests,
/// the spare site), so that the next build starts cold.
fn clean(site: &Path) {
    clean_out(&site.join("public"));
}

fn clean_out(out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let name = out.file_name().unwrap().to_str().unwrap();
    for entry in std::fs::read_dir(out.parent().unwrap()).into_iter().flatten().flatten() {
        if entry.file_name().to_str().is_some_and(|n| n.starts_with(&format!(".{name}."))) {
            let path = entry.path();
            let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
        }
    }
}

/// Runs a command, through GNU time when there is one for CPU and memory.
fn timed(timer: Option<&Path>, program: &Path, args: &[&str]) -> Cost {
    let started = Instant::now();
    let output = match timer {
        Some(time) => Command::new(time).args(["-f", "@@ %U %S %M"]).arg(program).args(args).output(),
        None => Command::new(program).args(args).output(),
    }
    .expect("the command runs");
    let wall = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{} failed:\n{stderr}", program.display());
    let mut cost = Cost { wall, stderr: stderr.clone(), ..Cost::default() };
    if let Some(line) = stderr.lines().rev().find(|l| l.starts_with("@@ ")) {
        let numbers: Vec<f64> = line[3..].split(' ').filter_map(|n| n.parse().ok()).collect();
        if numbers.len() == 3 {
            cost.cpu = numbers[0] + numbers[1];
            cost.memory = numbers[2] / 1024.0;
        }
    }
    cost
}

fn median_cost(costs: &[Cost]) -> Cost {
    let mut sorted = costs.to_vec();
    sorted.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    sorted[sorted.len() / 2].clone()
}

fn size_of(dir: &Path) -> u64 {
    walk(dir).iter().map(|p| p.metadata().map_or(0, |m| m.len())).sum()
}

fn count_files(dir: &Path) -> usize {
    walk(dir).len()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    files
}

/// One-edit rebuilds in a running `dossier watch`: a body edit (three
/// times), an actor added in front matter and removed again, a summary
/// edit, a page template edit, a base template edit.
fn rebuild_times(dossier: &Path, site: &Path) -> Vec<(&'static str, String)> {
    /// Stops the watch even when the benchmark panics.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Command::new(dossier)
        .args(["watch", "--root", site.to_str().unwrap()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = channel();
    let stderr = child.stderr.take().unwrap();
    let _stop = Stop(child);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = |prefixes: &[&str]| loop {
        let line = rx.recv_timeout(Duration::from_secs(300)).expect("dossier watch answers");
        if prefixes.iter().any(|p| line.starts_with(p)) {
            return line;
        }
    };
    next(&["watching"]);
    let briefing =
        std::fs::read_dir(site.join("content/briefings")).unwrap().flatten().map(|e| e.path()).min().unwrap();
    let original = std::fs::read_to_string(&briefing).unwrap();
    let mut results = Vec::new();
    // A rebuild's line, then the search index update that follows the reload.
    let edited = || {
        let rebuilt = tidy(&next(&["rebuilt", "built", "error"]));
        let index = next(&["search index updated", "error"]);
        format!("{rebuilt} | {}", index.trim_start_matches("search index updated in ").replace(": ", " | "))
    };
    for i in 0..3 {
        std::fs::write(&briefing, format!("{original}\nAn added paragraph, edit {i}.\n")).unwrap();
        results.push(("body edit", edited()));
    }
    std::fs::write(&briefing, original.replacen("actors: [", "actors: [\"Brand New Envoy\", ", 1)).unwrap();
    results.push(("actor added in front matter", edited()));
    std::fs::write(&briefing, &original).unwrap();
    results.push(("that actor removed again", edited()));
    std::fs::write(&briefing, original.replacen("summary: \"", "summary: \"Edited: ", 1)).unwrap();
    results.push(("summary edit", edited()));
    std::fs::write(&briefing, &original).unwrap();
    edited();
    // Newest of all: every home page and the pages of its terms move by one.
    let added = site.join("content/briefings/zz-bench-added.md");
    std::fs::write(&added, newest_briefing(&original)).unwrap();
    results.push(("briefing added, the newest (every page checked)", edited()));
    std::fs::remove_file(&added).unwrap();
    results.push(("that briefing removed again", edited()));
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Not here</h1>{% endblock main %}",
    )
    .unwrap();
    results.push(("page template edit (404.html)", edited()));
    // Every page extends the base template.
    let base = dossier::render::default_theme_files().iter().find(|(p, _)| *p == "templates/base.html").unwrap().1;
    let base = String::from_utf8(base.to_vec()).unwrap().replace("</footer>", "<p>Edited.</p></footer>");
    std::fs::write(templates.join("base.html"), base).unwrap();
    let full = tidy(&next(&["rebuilt", "built", "error"]));
    results.push(("base template edit (everything re-rendered)", format!("{full} | with the pages | ")));
    std::fs::remove_dir_all(&templates).unwrap();
    let _ = next(&["rebuilt", "built", "error"]);
    results
}

/// `briefing` dated after every other, under another title.
fn newest_briefing(briefing: &str) -> String {
    briefing
        .lines()
        .map(|line| match line {
            l if l.starts_with("date:") => "date: 2099-01-01".to_string(),
            l if l.starts_with("title:") => "title: \"An added briefing\"".to_string(),
            l => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// In a running `dossier serve`, with a page open (a waiting live-reload
/// request): a base template edit with a briefing page open, and the newest
/// briefing added with the home page open. When that page is shown, and
/// when the whole site is written.
fn ahead_time(dossier: &Path, site: &Path) -> String {
    let mut child = Command::new(dossier)
        .args(["serve", "--port", "0", "--root", site.to_str().unwrap()])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines().map_while(Result::ok);
    let port: u16 = lines
        .find_map(|l| l.strip_prefix("serving http://127.0.0.1:")?.split('/').next()?.parse().ok())
        .expect("dossier serve says where it serves");
    let get = move |target: String| {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    };
    let build_now = || {
        let reply = get("/__dossier/wait?since=0".into());
        reply.split("\"build\":").nth(1).and_then(|b| b.split([',', '}']).next()?.parse::<u64>().ok()).unwrap()
    };
    let open = |page: String| {
        let build = build_now();
        let waiting = std::thread::spawn(move || get(format!("/__dossier/wait?since={build}&page={page}")));
        std::thread::sleep(Duration::from_secs(1));
        waiting
    };
    let slug =
        std::fs::read_dir(site.join("public/briefings")).unwrap().flatten().map(|e| e.file_name()).min().unwrap();
    let waiting = open(format!("%2Fbriefings%2F{}%2F", slug.to_str().unwrap()));
    let templates = site.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let base = dossier::render::default_theme_files().iter().find(|(p, _)| *p == "templates/base.html").unwrap().1;
    let base = String::from_utf8(base.to_vec()).unwrap().replace("</footer>", "<p>Edited.</p></footer>");
    std::fs::write(templates.join("base.html"), base).unwrap();
    let built = lines.find(|l| l.starts_with("built") || l.starts_with("error")).unwrap_or_default();
    let told = waiting.join().unwrap();
    std::fs::remove_dir_all(&templates).unwrap();
    let _ = lines.find(|l| l.starts_with("rebuilt") || l.starts_with("built"));
    assert!(told.contains("\"ahead\""), "the open page was shown ahead: {told}");

    let first = std::fs::read_dir(site.join("content/briefings")).unwrap().flatten().map(|e| e.path()).min().unwrap();
    let added = site.join("content/briefings/zz-bench-added.md");
    let waiting = open("%2F".into());
    std::fs::write(&added, newest_briefing(&std::fs::read_to_string(first).unwrap())).unwrap();
    let rebuilt = lines.find(|l| l.starts_with("rebuilt") || l.starts_with("error")).unwrap_or_default();
    let told = waiting.join().unwrap();
    std::fs::remove_file(&added).unwrap();
    let _ = lines.find(|l| l.starts_with("rebuilt"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(told.contains("\"ahead\""), "the home page was shown ahead: {told}");
    format!(
        "In `dossier serve`, a base template edit with a briefing page open: {built}.\n\n\
         The newest briefing added with the home page open: {rebuilt}."
    )
}

/// "rebuilt in 41 ms: 4 files written" → "41 ms | 4".
fn tidy(line: &str) -> String {
    let rest = line.trim_start_matches("rebuilt in ").trim_start_matches("built ");
    match rest.split_once(": ") {
        Some((time, files)) => format!(
            "{time} | {}",
            files.trim_end_matches(" written").trim_end_matches(" files").trim_end_matches(" file")
        ),
        // A full rebuild: "built 3344 files in 620 ms" → "620 ms | 3344".
        None => match rest.split_once(" files in ") {
            Some((files, time)) => format!("{time} | {files}"),
            None => rest.to_string(),
        },
    }
}
