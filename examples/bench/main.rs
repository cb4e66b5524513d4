//! The benchmark: generated archives of 1,000 and 10,000 briefings built by
//! Dossier (full builds, one-edit rebuilds in `dossier watch` and `dossier
//! serve`) and, where they are installed, by Hugo and Zola on the same
//! articles, run by turns; then the bundled archive's cold build. Prints a
//! Markdown report.
//!
//! ```sh
//! cargo build --release && cargo run --release --example bench -- \
//!     [--sizes 1000,10000] [--runs 3] [--work target/bench] [--gen-corpus PATH/gen_corpus.py]
//! ```
//!
//! `--gen-corpus` writes the archives with that script (`--n N --out DIR
//! --flavor dossier|hugo|zola`) instead of the bench's own generator.

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

/// Where the archives come from.
enum Source {
    /// The bench's own generator, `corpus.rs`.
    Bench,
    /// A script writing the same articles for each tool, such as `gen_corpus.py`.
    Script(PathBuf),
}

/// Which tool's site to write.
#[derive(Debug, Clone, Copy)]
enum Flavor {
    Dossier,
    Hugo,
    Zola,
}

/// The runs of one build, made by turns with the others'.
#[derive(Default)]
struct Series(Vec<Cost>);

impl Series {
    fn median(&self) -> Cost {
        let mut sorted = self.0.clone();
        sorted.sort_by(|a, b| a.wall.total_cmp(&b.wall));
        sorted[sorted.len() / 2].clone()
    }

    /// How many times longer than `other` this build took: the median of
    /// the runs' ratios, each run against the one made beside it, and their range.
    fn ratio(&self, other: &Series) -> String {
        let mut ratios: Vec<f64> = self.0.iter().zip(&other.0).map(|(a, b)| a.wall / b.wall).collect();
        ratios.sort_by(f64::total_cmp);
        format!("**{:.1}×** (runs: {:.1}–{:.1}×)", ratios[ratios.len() / 2], ratios[0], ratios[ratios.len() - 1])
    }

    fn row(&self, what: &str, output: Option<&Path>) {
        let cost = self.median();
        let output = output.map_or(String::new(), |dir| {
            format!("{:.0} MiB in {} files", size_of(dir) as f64 / 1048576.0, count_files(dir))
        });
        println!("| {what} | {:.2} s | {:.2} s | {:.0} MiB | {output} |", cost.wall, cost.cpu, cost.memory);
    }
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
    let source = match option("--gen-corpus") {
        Some(script) => Source::Script(std::fs::canonicalize(script).expect("the corpus script exists")),
        None => Source::Bench,
    };
    let dossier = std::fs::canonicalize("target/release/dossier").expect("build first: cargo build --release");
    let hugo = which("hugo");
    let zola = which("zola");
    let timer = which("time").filter(|t| Command::new(t).args(["-f", "%e", "true"]).output().is_ok());

    println!("# Dossier benchmark\n");
    println!(
        "Machine: {} cores; {runs} runs each, every tool's build by turns with the others'; medians.",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    match &source {
        Source::Bench => println!("Articles: the bench's own generator."),
        Source::Script(script) => println!("Articles: `{}`.", script.display()),
    }
    if hugo.is_none() {
        println!("Hugo is not installed: no side-by-side figures.");
    }
    if zola.is_none() {
        println!("Zola is not installed: no side-by-side figures.");
    }
    for &n in &sizes {
        println!("\n## {n} briefings\n");
        let site = work.join(format!("dossier-{n}"));
        generate(&site, n, Flavor::Dossier, &source);
        let hugo_site = hugo.as_ref().map(|_| work.join(format!("hugo-{n}")));
        let zola_site = zola.as_ref().map(|_| work.join(format!("zola-{n}")));
        for (dir, flavor) in [(&hugo_site, Flavor::Hugo), (&zola_site, Flavor::Zola)] {
            if let Some(dir) = dir {
                generate(dir, n, flavor, &source);
            }
        }
        let root = site.to_str().unwrap();
        let config = DossierConfig::of(&site);
        let zola_config = zola_site.as_ref().map(|dir| std::fs::read_to_string(dir.join("config.toml")).unwrap());
        let (mut full, mut bare, mut hugo_runs) = (Series::default(), Series::default(), Series::default());
        let (mut zola_on, mut zola_off) = (Series::default(), Series::default());
        // By turns: the machine is shared, and its speed changes from one
        // minute to the next; each run of a tool is compared with the run
        // of Dossier made beside it.
        for _ in 0..runs {
            clean(&site);
            full.0.push(timed(timer.as_deref(), &dossier, &["build", "-v", "--root", root]));
            // Every page, feed, sitemap and picture, without the search records and index.
            config.write(false);
            clean(&site);
            bare.0.push(timed(timer.as_deref(), &dossier, &["build", "-v", "--root", root]));
            config.write(true);
            if let (Some(hugo), Some(dir)) = (&hugo, &hugo_site) {
                let _ = std::fs::remove_dir_all(dir.join("public"));
                hugo_runs.0.push(timed(timer.as_deref(), hugo, &["--quiet", "-s", dir.to_str().unwrap()]));
            }
            if let (Some(zola), Some(dir), Some(text)) = (&zola, &zola_site, &zola_config) {
                // Its search index on (as Dossier's), then off (as `search: false`).
                for (index, series) in [(true, &mut zola_on), (false, &mut zola_off)] {
                    std::fs::write(dir.join("config.toml"), with_zola_index(text, index)).unwrap();
                    let out = dir.join("public");
                    let _ = std::fs::remove_dir_all(&out);
                    let args =
                        ["--root", dir.to_str().unwrap(), "build", "--force", "--output-dir", out.to_str().unwrap()];
                    series.0.push(timed(timer.as_deref(), zola, &args));
                }
                std::fs::write(dir.join("config.toml"), text).unwrap();
            }
        }
        // `dossier build` again over its own output, nothing changed: the
        // first of these leaves the spare site the others stage into.
        let again = Series(
            (0..=runs).map(|_| timed(timer.as_deref(), &dossier, &["build", "-v", "--root", root])).skip(1).collect(),
        );
        println!("| | wall | CPU | peak memory | output |\n|---|---|---|---|---|");
        full.row("Dossier full build, search index included", Some(&site.join("public")));
        bare.row("Dossier full build without search (`search: false`)", None);
        again.row("Dossier full build over its previous output, nothing changed", None);
        if let Some(dir) = &hugo_site {
            hugo_runs.row("Hugo full build", Some(&dir.join("public")));
        }
        if let Some(dir) = &zola_site {
            zola_on.row("Zola full build, its search index on", None);
            zola_off.row("Zola full build, its search index off", Some(&dir.join("public")));
        }
        println!();
        if hugo_site.is_some() {
            println!("- Hugo / Dossier without search: {}", hugo_runs.ratio(&bare));
        }
        if zola_site.is_some() {
            println!("- Zola with its index / Dossier with search: {}", zola_on.ratio(&full));
            println!("- Zola without its index / Dossier without search: {}", zola_off.ratio(&bare));
        }
        let stages = full.median().stderr.lines().find(|l| l.starts_with("stages:")).unwrap_or("").to_string();
        println!("\nDossier stages (the median run with search): {stages}\n");
        let rebuilds = rebuild_times(&dossier, &site);
        println!(
            "| one-edit rebuild in `dossier watch` | time | files written | search index update, after the reload | index files written |\n|---|---|---|---|---|"
        );
        for (what, line) in rebuilds {
            println!("| {what} | {line} |");
        }
        println!("\n{}\n", ahead_time(&dossier, &site));
    }
    let bundled = Series(
        (0..10)
            .map(|_| {
                let out = work.join("bundled");
                clean_out(&out);
                timed(None, &dossier, &["build", "--quiet", "--out", out.to_str().unwrap()])
            })
            .collect(),
    );
    println!(
        "## Bundled archive\n\nCold build (new process, empty output): {:.0} ms median of 10.",
        bundled.median().wall * 1000.0
    );
}

/// A site's `dossier.yaml`, which the bench turns search off in and back on.
struct DossierConfig {
    path: PathBuf,
    /// As generated; `None` when there was none.
    text: Option<String>,
}

impl DossierConfig {
    fn of(site: &Path) -> DossierConfig {
        let path = site.join("dossier.yaml");
        DossierConfig { text: std::fs::read_to_string(&path).ok(), path }
    }

    fn write(&self, search: bool) {
        match (&self.text, search) {
            (Some(text), true) => std::fs::write(&self.path, text).unwrap(),
            (None, true) => std::fs::remove_file(&self.path).unwrap(),
            (text, false) => {
                std::fs::write(&self.path, format!("{}search: false\n", text.as_deref().unwrap_or(""))).unwrap();
            }
        }
    }
}

/// Zola's `config.toml` with its search index on or off.
fn with_zola_index(config: &str, on: bool) -> String {
    assert!(config.contains("\nbuild_search_index = "), "Zola's config says whether it builds its index");
    config
        .lines()
        .map(|l| if l.starts_with("build_search_index") { format!("build_search_index = {on}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}

/// Generates the site unless a complete one of the same size and source is there.
fn generate(dir: &Path, n: usize, flavor: Flavor, source: &Source) {
    let marker = dir.join(".generated");
    let stamp = match source {
        Source::Bench => format!("{n}"),
        Source::Script(script) => format!("{n} {}", script.display()),
    };
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(&stamp) {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let started = Instant::now();
    match source {
        Source::Bench => match flavor {
            Flavor::Dossier => corpus::write_dossier(dir, n),
            Flavor::Hugo => corpus::write_hugo(dir, n),
            Flavor::Zola => corpus::write_zola(dir, n),
        },
        Source::Script(script) => {
            let flavor = format!("{flavor:?}").to_lowercase();
            let status = Command::new("python3")
                .arg(script)
                .args(["--n", &n.to_string(), "--flavor", &flavor, "--force", "--out"])
                .arg(dir)
                .stdout(Stdio::null())
                .status()
                .expect("python3 runs");
            assert!(status.success(), "{} failed", script.display());
        }
    }
    std::fs::write(&marker, stamp).unwrap();
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
/// times), an actor new to the archive and then the actor most briefings
/// name added in front matter and removed again, a summary edit, the newest
/// briefing added and removed, a page template edit, a base template edit.
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
    std::fs::write(&briefing, with_actor(&original, "Brand New Envoy")).unwrap();
    results.push(("actor new to the archive added in front matter", edited()));
    std::fs::write(&briefing, &original).unwrap();
    results.push(("that actor removed again", edited()));
    // The actor most briefings name, added to the first that does not:
    // every page of its list from that briefing's place on moves by one.
    let (hub, without) = most_named_actor(&site.join("content/briefings"));
    let before = std::fs::read_to_string(&without).unwrap();
    std::fs::write(&without, with_actor(&before, &hub)).unwrap();
    results.push(("the actor most briefings name added in front matter", edited()));
    std::fs::write(&without, &before).unwrap();
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

/// `briefing` with `actor` first among the actors its front matter names,
/// whether they are written as a flow list or a block list.
fn with_actor(briefing: &str, actor: &str) -> String {
    let quoted = serde_json::to_string(actor).unwrap();
    let edited = if briefing.contains("\nactors: [") {
        briefing.replacen("\nactors: [", &format!("\nactors: [{quoted}, "), 1)
    } else {
        briefing.replacen("\nactors:\n", &format!("\nactors:\n  - {quoted}\n"), 1)
    };
    assert_ne!(edited, briefing, "the briefing's front matter lists its actors");
    edited
}

/// The actor named in most briefings of `folder`, and the first briefing
/// (by file name) that does not name it.
fn most_named_actor(folder: &Path) -> (String, PathBuf) {
    #[derive(serde::Deserialize)]
    struct Front {
        #[serde(default)]
        actors: Vec<String>,
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    let fronts: Vec<Front> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let front = text.trim_start_matches("---\n").split("\n---\n").next().unwrap().to_string();
            serde_yaml::from_str(&front).unwrap()
        })
        .collect();
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for actor in fronts.iter().flat_map(|f| &f.actors) {
        *counts.entry(actor).or_default() += 1;
    }
    let hub = counts.iter().max_by_key(|&(name, count)| (count, std::cmp::Reverse(*name))).unwrap().0.to_string();
    let without = fronts.iter().position(|f| !f.actors.contains(&hub)).unwrap();
    (hub, files[without].clone())
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
