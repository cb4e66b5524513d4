//! `dossier check`: everything the build validates, and what a build lets
//! pass but an editor wants to know: broken links between pages, names
//! without a profile, near-duplicate slugs, sources imported twice,
//! annotations whose passage is lost or ambiguous, and actors named in a
//! briefing that does not list them.

mod links;
mod names;

use crate::annotation::Anchor;
use crate::error::{Error, Result};
use crate::markdown::{MarkdownOptions, render_markdown};
use crate::site::{BuildOptions, Prepared, StageTimes, prepare};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How serious a finding is: errors fail the check, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located where possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name for tools, e.g. `broken-link`.
    pub kind: &'static str,
    pub file: Option<PathBuf>,
    /// 1-based; absent when the problem is not on one line.
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    fn new(severity: Severity, kind: &'static str, file: Option<&Path>, line: Option<usize>, message: String) -> Self {
        Finding { severity, kind, file: file.map(Path::to_path_buf), line, message }
    }
}

/// What a check found, errors first, then by file and line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    fn new(mut findings: Vec<Finding>) -> Report {
        findings
            .sort_by(|a, b| (a.severity, &a.file, a.line, &a.message).cmp(&(b.severity, &b.file, b.line, &b.message)));
        findings.dedup();
        let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
        Report { errors, warnings: findings.len() - errors, findings }
    }
}

/// Checks the site under `options.root`.
pub fn check_site(options: &BuildOptions) -> Result<Report> {
    let site = match prepare(options, &mut StageTimes::default()) {
        Ok(site) => site,
        Err(error) => return Ok(Report::new(error.into_list().into_iter().map(build_finding).collect())),
    };
    let mut findings = Vec::new();
    findings.extend(annotation_findings(&site));
    findings.extend(links::broken_links(&site));
    findings.extend(names::missing_profiles(&site));
    findings.extend(names::near_duplicate_slugs(&site.archive));
    findings.extend(names::unlinked_mentions(&site));
    findings.extend(duplicate_sources(&site));
    Ok(Report::new(findings))
}

/// A build error as a finding; its location, when it has one, split out.
fn build_finding(error: Error) -> Finding {
    let (file, line, message) = match &error {
        Error::At { location, error } => (
            Some(location.path.clone()),
            (location.line > 0).then_some(location.line),
            match error.help() {
                Some(help) => format!("{error} ({help})"),
                None => error.to_string(),
            },
        ),
        other => (None, None, other.to_string()),
    };
    Finding { severity: Severity::Error, kind: "build", file, line, message }
}

/// Lost and ambiguous passages fail the check; moved ones ask for a look.
fn annotation_findings(site: &Prepared) -> Vec<Finding> {
    site.archive
        .briefings
        .par_iter()
        .filter(|b| !b.annotations.is_empty())
        .flat_map_iter(|briefing| {
            let options =
                MarkdownOptions { base_path: "/", mentions: None, annotations: &briefing.annotations, block_ids: true };
            let anchors = render_markdown(&briefing.body, &options).anchors;
            let line = line_of(&site.root.join(&briefing.path), |l| l.starts_with("annotations:"));
            briefing
                .annotations
                .iter()
                .zip(anchors)
                .enumerate()
                .filter_map(|(i, (annotation, anchor))| {
                    let problem = anchor.problem()?;
                    let (severity, kind) = match anchor {
                        Anchor::Moved(..) => (Severity::Warning, "moved-annotation"),
                        Anchor::Ambiguous(..) => (Severity::Error, "ambiguous-annotation"),
                        _ => (Severity::Error, "orphaned-annotation"),
                    };
                    let quote = crate::markdown::shorten(&annotation.quote, 0, 60);
                    let message = format!("annotation {} (“{quote}”): {problem}", i + 1);
                    Some(Finding::new(severity, kind, Some(&briefing.path), line, message))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The first line of a file that `wanted` accepts, to point the editor there.
fn line_of(path: &Path, wanted: impl Fn(&str) -> bool) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().position(wanted).map(|i| i + 1)
}

/// The same source file imported into two briefings.
fn duplicate_sources(site: &Prepared) -> Vec<Finding> {
    let mut by_hash: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for briefing in &site.archive.briefings {
        if let Some(hash) = briefing.source.as_ref().and_then(|s| s.sha256.as_deref()) {
            by_hash.entry(hash).or_default().push(&briefing.path);
        }
    }
    by_hash
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(hash, paths)| {
            let others: Vec<String> = paths[1..].iter().map(|p| format!("`{}`", p.display())).collect();
            Finding::new(
                Severity::Error,
                "duplicate-source",
                Some(paths[0]),
                None,
                format!(
                    "the same source (sha256 {}…) was imported again as {}",
                    &hash[..12.min(hash.len())],
                    others.join(", ")
                ),
            )
        })
        .collect()
}
