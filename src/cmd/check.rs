//! `dossier check`: every finding, then a count; exit code 1 on any error.

use crate::check::{Report, Severity, check_site};
use crate::cli::{CheckArgs, Format};
use crate::error::{Error, Result};
use crate::site::BuildOptions;

/// Checks the site and prints what it found.
pub fn run(args: CheckArgs) -> Result<()> {
    let out = args.root.join("public");
    let options = BuildOptions { root: args.root, out, base_url: None, drafts: args.drafts };
    let report = check_site(&options)?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&report).expect("findings serialise")),
        Format::Text => print_text(&report),
    }
    if report.errors > 0 {
        return Err(Error::with_help(
            format!("check failed: {}", counts(&report)),
            "fix the errors above; warnings alone do not fail the check",
        ));
    }
    log::info!("check passed: {}", counts(&report));
    Ok(())
}

fn print_text(report: &Report) {
    for finding in &report.findings {
        let place = match (&finding.file, finding.line) {
            (Some(file), Some(line)) => format!("{}:{line}: ", file.display()),
            (Some(file), None) => format!("{}: ", file.display()),
            _ => String::new(),
        };
        match finding.severity {
            Severity::Error => log::error!("{place}{}", finding.message),
            Severity::Warning => log::warn!("{place}{}", finding.message),
        }
    }
}

fn counts(report: &Report) -> String {
    let plural = |n: usize, word: &str| if n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
    format!("{}, {}", plural(report.errors, "error"), plural(report.warnings, "warning"))
}
