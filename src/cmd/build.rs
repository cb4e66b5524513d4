//! `dossier build`: the whole pipeline, one summary line.

use crate::cli::BuildArgs;
use crate::error::Result;
use crate::site::{BuildOptions, BuildReport, build_site};

/// Builds the site and prints what was made.
pub fn run(args: BuildArgs) -> Result<()> {
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    let options = BuildOptions { root: args.root, out, base_url: args.base_url, drafts: args.drafts };
    let report = build_site(&options)?;
    for warning in &report.warnings {
        log::warn!("{warning}");
    }
    log::info!("{}", summary(&report, &options));
    log::debug!("{}", report.times);
    Ok(())
}

fn summary(report: &BuildReport, options: &BuildOptions) -> String {
    format!(
        "built {} briefings, {} actors, {} topics: {} pages and {} feeds into {} ({} files written, {} unchanged) in {:.0} ms",
        report.briefings,
        report.actors,
        report.topics,
        report.pages,
        report.feeds,
        options.out.display(),
        report.write.written,
        report.write.unchanged,
        ms(report.elapsed)
    )
}

fn ms(duration: std::time::Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
