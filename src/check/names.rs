//! Names: actors and topics named without a profile, slugs so alike that
//! one is probably a typo of the other, and actors a briefing names in its
//! text without listing them.

use super::{Finding, Severity, line_of};
use crate::error::did_you_mean;
use crate::model::Archive;
use crate::site::Prepared;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Actors and topics that briefings list but no profile describes.
pub fn missing_profiles(site: &Prepared) -> Vec<Finding> {
    let (archive, index) = (&site.archive, &site.index);
    let mut findings = Vec::new();
    for (kind, folder, entries) in [("actor", "actors", &index.actors), ("topic", "topics", &index.topics)] {
        let profiled: Vec<&str> = entries
            .iter()
            .filter(|e| e.term.profile.is_some())
            .flat_map(|e| e.term.aliases.iter().map(String::as_str))
            .collect();
        for entry in entries.iter().filter(|e| e.term.profile.is_none()) {
            let Some(&first) = entry.briefings.last() else { continue };
            let briefing = &archive.briefings[first];
            let name = &entry.term.name;
            let line = line_of(&site.root.join(&briefing.path), |l| l.contains(name.as_str()));
            let hint = match did_you_mean(name, profiled.iter().copied()) {
                Some(close) => format!("; did you mean `{close}`?"),
                None => format!("; add `content/{folder}/{}.md`", entry.term.slug),
            };
            let count = entry.briefings.len();
            let briefings = if count == 1 { "1 briefing".to_string() } else { format!("{count} briefings") };
            findings.push(Finding::new(
                Severity::Warning,
                "missing-profile",
                Some(&briefing.path),
                line,
                format!("{kind} `{name}` is listed by {briefings} but has no profile{hint}"),
            ));
        }
    }
    findings
}

/// Slugs of the same kind that differ by a letter or two.
pub fn near_duplicate_slugs(archive: &Archive) -> Vec<Finding> {
    let mut findings = Vec::new();
    let kinds: [(&str, Vec<(&str, &Path)>); 3] = [
        ("briefing", archive.briefings.iter().map(|b| (b.slug.as_str(), b.path.as_path())).collect()),
        ("actor", archive.actors.iter().map(|a| (a.slug.as_str(), a.path.as_path())).collect()),
        ("topic", archive.topics.iter().map(|t| (t.slug.as_str(), t.path.as_path())).collect()),
    ];
    for (kind, slugs) in kinds {
        // Typos rarely touch the first letters; comparing within groups
        // sharing them keeps this linear in practice.
        let mut groups: BTreeMap<String, Vec<(&str, &Path)>> = BTreeMap::new();
        for (slug, path) in slugs {
            groups.entry(slug.chars().take(3).collect()).or_default().push((slug, path));
        }
        for group in groups.values() {
            for (i, &(a, path)) in group.iter().enumerate() {
                for &(b, _) in &group[i + 1..] {
                    if alike(a, b) {
                        findings.push(Finding::new(
                            Severity::Warning,
                            "near-duplicate-slug",
                            Some(path),
                            None,
                            format!("{kind} `{a}` is very like `{b}`; did you mean one of them?"),
                        ));
                    }
                }
            }
        }
    }
    findings
}

/// Two slugs a letter or two apart, long enough for that to look like a slip.
fn alike(a: &str, b: &str) -> bool {
    let shorter = a.len().min(b.len());
    shorter >= 5 && a.len().abs_diff(b.len()) <= 2 && strsim::levenshtein(a, b) <= if shorter >= 12 { 2 } else { 1 }
}

/// Actors a briefing's text names (by name or alias) that its `actors` does not list.
pub fn unlinked_mentions(site: &Prepared) -> Vec<Finding> {
    let (archive, index) = (&site.archive, &site.index);
    let matcher = index.mention_matcher();
    (0..archive.briefings.len())
        .into_par_iter()
        .flat_map_iter(|b| {
            let briefing = &archive.briefings[b];
            let listed = &index.briefings[b].actors;
            let mut seen = Vec::new();
            for mention in matcher.find(&briefing.body) {
                if !listed.contains(&mention.actor) && !seen.iter().any(|(a, _, _)| *a == mention.actor) {
                    seen.push((mention.actor, mention.start, &briefing.body[mention.start..mention.end]));
                }
            }
            seen.into_iter().map(move |(actor, at, text)| {
                let line = briefing.body_line + briefing.body[..at].matches('\n').count();
                let entry = &index.actors[actor];
                Finding::new(
                    Severity::Warning,
                    "unlinked-mention",
                    Some(&briefing.path),
                    Some(line),
                    format!(
                        "“{text}” names {} (`{}`), which the briefing's `actors` does not list",
                        entry.term.name, entry.term.slug
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn alike_slugs_are_a_letter_or_two_apart() {
        assert!(super::alike("ukraine-talks", "ukraine-talk"));
        assert!(super::alike("zelenskyy", "zelenskky"));
        assert!(!super::alike("nato", "nata"), "too short to tell");
        assert!(!super::alike("security-guarantees", "security-guarantees-for-kyiv"));
    }
}
