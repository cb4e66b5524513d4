//! `dossier import`: one line per source, warnings for annotations that no
//! longer match, a diff with `--dry-run`, profile stubs with `--suggest-actors`.

use crate::cli::ImportArgs;
use crate::error::Result;
use crate::import::{CandidateReport, FileReport, ImportOptions, ImportReport, Outcome, import};
use crate::model::Slug;
use std::io::Write;

/// Imports the sources and prints what happened.
pub fn run(args: ImportArgs) -> Result<()> {
    let options = ImportOptions { root: args.root, paths: args.paths, date: args.date, dry_run: args.dry_run };
    let report = import(&options)?;
    let mut out = std::io::stdout().lock();
    for file in &report.files {
        log::info!("{}", file_line(file, options.dry_run));
        for quote in &file.unmatched {
            log::warn!(
                "{}: annotation no longer matches the text: \"{}\" (kept; fix its quote or the text)",
                file.briefing.display(),
                crate::markdown::shorten(quote, 0, 80)
            );
        }
        if options.dry_run
            && let Some((before, after)) = &file.change
        {
            let diff = similar::TextDiff::from_lines(before, after);
            let shown = file.briefing.display().to_string();
            let _ = write!(out, "{}", diff.unified_diff().context_radius(2).header(&shown, &shown));
        }
    }
    log::info!("{}", totals(&report, options.dry_run));
    if args.suggest_actors {
        for candidate in &report.candidates {
            let _ = write!(out, "{}", profile_stub(candidate));
        }
    } else if !report.candidates.is_empty() {
        let names: Vec<String> = report.candidates.iter().take(8).map(candidate_label).collect();
        let more = report.candidates.len().saturating_sub(8);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        log::info!(
            "names without an actor profile: {}{more} (run with --suggest-actors for profile stubs)",
            names.join(", ")
        );
    }
    Ok(())
}

fn file_line(file: &FileReport, dry_run: bool) -> String {
    let verb = |done: &str, would: &str| if dry_run { would.to_string() } else { done.to_string() };
    let briefing = file.briefing.display();
    let source = file.source.display();
    let copied = if file.copied { " (copied into sources/)" } else { "" };
    match &file.outcome {
        Outcome::Created => format!("{} {briefing} from {source}{copied}", verb("created", "would create")),
        Outcome::Updated if file.kept.is_empty() => {
            format!("{} {briefing} from {source}", verb("updated", "would update"))
        }
        Outcome::Updated => format!(
            "{} {briefing} from {source}, keeping your {}",
            verb("updated", "would update"),
            file.kept.join(", ")
        ),
        Outcome::Unchanged => format!("unchanged {briefing} ({source})"),
        Outcome::Skipped(reason) => format!("skipped {source}: {reason}"),
    }
}

fn totals(report: &ImportReport, dry_run: bool) -> String {
    let count = |wanted: fn(&Outcome) -> bool| report.files.iter().filter(|f| wanted(&f.outcome)).count();
    format!(
        "{} {} sources: {} created, {} updated, {} unchanged, {} skipped",
        if dry_run { "checked" } else { "imported" },
        report.files.len(),
        count(|o| *o == Outcome::Created),
        count(|o| *o == Outcome::Updated),
        count(|o| *o == Outcome::Unchanged),
        count(|o| matches!(o, Outcome::Skipped(_))),
    )
}

fn candidate_label(report: &CandidateReport) -> String {
    let kind = report.candidate.kind.map(|k| format!("{}, ", k.as_str())).unwrap_or_default();
    format!("{} ({kind}{}×)", report.candidate.name, report.candidate.mentions)
}

/// A profile the analyst can save as `content/actors/<slug>.md` and complete.
fn profile_stub(report: &CandidateReport) -> String {
    let candidate = &report.candidate;
    let slug = Slug::from_text(&candidate.name);
    let quoted = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let briefings: Vec<&str> = report.briefings.iter().map(Slug::as_str).collect();
    let kind = candidate.kind.map_or("person  # or state, organization, group".to_string(), |k| k.as_str().to_string());
    format!(
        "# content/actors/{slug}.md: {} mention(s) in {}\n---\nname: {}\nkind: {kind}\naliases: [{}]\n---\n\n",
        candidate.mentions,
        briefings.join(", "),
        quoted(&candidate.name),
        quoted(&candidate.name),
    )
}
