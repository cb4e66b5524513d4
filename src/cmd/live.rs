//! `dossier watch` and `dossier serve`: a first build, then one incremental
//! rebuild per burst of changes, each reported in one line; `serve` also
//! serves the output and tells open browsers to reload.

use crate::cli::{ImportArgs, ServeArgs, WatchArgs};
use crate::error::Result;
use crate::live::serve::{LiveState, Outcome, bind, handle, run};
use crate::live::{Batch, Rebuild, Session, Watcher};
use crate::site::BuildOptions;
use std::sync::{Arc, Mutex};

/// Held while a rebuild runs, so that Ctrl-C waits for it to finish instead
/// of leaving a half-written staging folder.
static REBUILDING: Mutex<()> = Mutex::new(());

pub fn watch(args: WatchArgs) -> Result<()> {
    let build = args.build;
    let out = build.out.unwrap_or_else(|| build.root.join("public"));
    let options = BuildOptions { root: build.root, out, base_url: build.base_url, drafts: build.drafts };
    let mut watcher = Watcher::start(&options.root, &options.out)?;
    let mut session = Session::new(options);
    let _ = ctrlc::set_handler(|| {
        let _rebuild = REBUILDING.lock();
        log::info!("stopped");
        std::process::exit(0);
    });
    rebuild(&mut session, None);
    log::info!("watching for changes (Ctrl-C to stop)");
    while let Some(batch) = watcher.next_batch() {
        on_batch(&batch, &mut session, args.import, None);
    }
    Ok(())
}

pub fn serve(args: ServeArgs) -> Result<()> {
    let listener = bind(args.bind, args.port)?;
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let host = if args.bind.is_ipv6() { format!("[{}]", args.bind) } else { args.bind.to_string() };
    let address = format!("http://{host}:{port}/");
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    // Links, feeds and canonical URLs point at the preview, not the published site.
    let options =
        BuildOptions { root: args.root, out: out.clone(), base_url: Some(address.clone()), drafts: args.drafts };
    let mut watcher = Watcher::start(&options.root, &options.out)?;
    let mut session = Session::new(options);
    let live = Arc::new(LiveState::default());
    rebuild(&mut session, Some(&live));
    std::fs::create_dir_all(&out)
        .map_err(|e| crate::error::Error::io(format!("cannot create `{}`", out.display()), e))?;
    let root =
        out.canonicalize().map_err(|e| crate::error::Error::io(format!("cannot open `{}`", out.display()), e))?;

    let stop = Arc::new(tokio::sync::Notify::new());
    {
        let stop = stop.clone();
        // `notify_one` keeps the wake-up if the server is not yet waiting.
        let _ = ctrlc::set_handler(move || stop.notify_one());
    }
    {
        let (live, import) = (live.clone(), args.import);
        std::thread::spawn(move || {
            while let Some(batch) = watcher.next_batch() {
                on_batch(&batch, &mut session, import, Some(&live));
            }
        });
    }
    log::info!("serving {address} (Ctrl-C to stop)");
    let answer = move |target: &str| handle(target, &root, &live);
    run(listener, Arc::new(answer), stop).map_err(|e| crate::error::Error::io("cannot serve", e))?;
    let _rebuild = REBUILDING.lock();
    log::info!("stopped");
    Ok(())
}

fn on_batch(batch: &Batch, session: &mut Session, import: bool, live: Option<&LiveState>) {
    if !batch.new_sources.is_empty() {
        let root = session.options().root.clone();
        if import {
            let args = ImportArgs {
                paths: batch.new_sources.clone(),
                root,
                date: None,
                dry_run: false,
                suggest_actors: false,
            };
            if let Err(error) = super::import::run(args) {
                crate::terminal::print_errors(&error);
            }
        } else {
            for path in &batch.new_sources {
                let shown = crate::error::relative_to(path, &std::path::absolute(&root).unwrap_or(root.clone()));
                log::info!("new source `{}`: import it with `dossier import {}`", shown.display(), shown.display());
            }
        }
    }
    if batch.site || (import && !batch.new_sources.is_empty()) {
        // An import may have rewritten files after the events were read.
        let imported = import && !batch.new_sources.is_empty();
        session.expect_changes(if imported { None } else { batch.changed.clone() });
        rebuild(session, live);
    }
}

/// Rebuilds, reports in one line, and tells the browsers.
fn rebuild(session: &mut Session, live: Option<&LiveState>) {
    let _rebuilding = REBUILDING.lock();
    match session.rebuild_for(live.map(|l| l as &dyn crate::live::Preview)) {
        Ok(report) => {
            for warning in &report.warnings {
                log::warn!("{warning}");
            }
            log::info!("{}", summary(&report));
            log::debug!("{}", report.times);
            // A rebuild that wrote nothing leaves the pages as they are,
            // unless they show the last rebuild's error.
            let wrote = report.changed + report.removed > 0;
            if let Some(live) = live.filter(|live| wrote || live.current().1.is_some()) {
                let outcome = if report.css_only { Outcome::Css } else { Outcome::Reload };
                live.publish(outcome, String::new());
            }
            // The index follows the reload: browsers need not wait for it.
            match session.update_search() {
                Ok(Some(update)) => {
                    log::info!(
                        "search index updated in {:.0} ms: {} written{}",
                        update.elapsed.as_secs_f64() * 1000.0,
                        plural(update.changed, "file", "files"),
                        if update.removed > 0 { format!(", {} removed", update.removed) } else { String::new() }
                    );
                    // A search page loaded before the update holds the old table of contents.
                    if let Some(live) = live.filter(|_| update.changed + update.removed > 0) {
                        live.publish(Outcome::Search, String::new());
                    }
                }
                Ok(None) => {}
                Err(error) => crate::terminal::print_errors(&error),
            }
        }
        Err(error) => {
            crate::terminal::print_errors(&error);
            if let Some(live) = live {
                live.publish(Outcome::Failed, error_text(&error));
            }
        }
    }
}

fn summary(report: &Rebuild) -> String {
    let ms = report.elapsed.as_secs_f64() * 1000.0;
    let ahead = report.ahead.map_or(String::new(), |(pages, after)| {
        format!(
            " ({} open in a browser shown after {:.0} ms)",
            plural(pages, "page", "pages"),
            after.as_secs_f64() * 1e3
        )
    });
    if report.full {
        return format!("built {} files in {ms:.0} ms{ahead}", report.files);
    }
    let mut line = format!("rebuilt in {ms:.0} ms: {} written", plural(report.changed, "file", "files"));
    if report.removed > 0 {
        line.push_str(&format!(", {} removed", report.removed));
    }
    line + &ahead
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// Every error of a failed rebuild, one per line, for the browser overlay.
fn error_text(error: &crate::error::Error) -> String {
    let list: Vec<&crate::error::Error> = match error {
        crate::error::Error::Many(list) => list.iter().collect(),
        single => vec![single],
    };
    list.iter()
        .map(|e| match e.help() {
            Some(help) => format!("error: {e}\n  help: {help}"),
            None => format!("error: {e}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
