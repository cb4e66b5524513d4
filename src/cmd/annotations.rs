//! `dossier annotations export|import`: every note of the archive to and
//! from W3C Web Annotation JSON-LD.

use crate::annotation::w3c::{self, Exported, Imported};
use crate::annotation::{Anchor, Blocks, insert_annotation};
use crate::cli::{AnnotationsCommand, ExportArgs, ImportNotesArgs};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::load::{ContentKind, LoadOptions, Loaded, load_archive, parse_content, split_front_matter};
use crate::markdown::passage_blocks;
use crate::model::Annotation;
use crate::passage::normalise;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn run(command: AnnotationsCommand) -> Result<()> {
    match command {
        AnnotationsCommand::Export(args) => export(args),
        AnnotationsCommand::Import(args) => import(args),
    }
}

fn export(args: ExportArgs) -> Result<()> {
    let config = match &args.base_url {
        Some(url) => Config::load(&args.root)?.with_base_url(url)?,
        None => Config::load(&args.root)?,
    };
    let archive = load_archive(&args.root, LoadOptions { drafts: false })?;
    let site = format!("{}{}", config.origin_url(), config.base_path());
    let pages: Vec<String> = archive.briefings.iter().map(|b| format!("{site}briefings/{}/", b.slug)).collect();
    let mut notes = Vec::new();
    for (briefing, page) in archive.briefings.iter().zip(&pages) {
        if briefing.annotations.is_empty() {
            continue;
        }
        let texts = passage_blocks(&briefing.body);
        let blocks = Blocks::new(texts.iter().map(String::as_str));
        for (i, annotation) in briefing.annotations.iter().enumerate() {
            let position = blocks.anchor(annotation).span().map(|s| s.position);
            notes.push(Exported { annotation, page, number: i + 1, position });
        }
    }
    let document = w3c::collection(&format!("{site}annotations/"), &format!("{} — annotations", config.title), &notes);
    let json = serde_json::to_string_pretty(&document).expect("JSON values serialise") + "\n";
    match &args.out {
        Some(path) => {
            crate::write::replace_file(path, json.as_bytes())?;
            log::info!("exported {} notes to `{}`", notes.len(), path.display());
        }
        None => print!("{json}"),
    }
    Ok(())
}

fn import(args: ImportNotesArgs) -> Result<()> {
    let shown = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file).map_err(|e| Error::io(format!("cannot read `{shown}`"), e))?;
    let document: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::invalid(format!("`{shown}` is not JSON: {e}")).at(crate::error::Location::new(
            &args.file,
            e.line(),
            e.column(),
        ))
    })?;
    let (found, mut problems) = w3c::from_w3c(&document);
    let mut by_briefing: BTreeMap<String, Vec<Imported>> = BTreeMap::new();
    for imported in found {
        match slug_of(&imported.page) {
            Some(slug) => by_briefing.entry(slug).or_default().push(imported),
            None => problems.push(format!("`{}` is not the address of a briefing", imported.page)),
        }
    }
    let (mut added, mut present) = (0, 0);
    for (slug, notes) in by_briefing {
        let relative = PathBuf::from("content/briefings").join(format!("{slug}.md"));
        let path = args.root.join(&relative);
        let Ok(mut text) = std::fs::read_to_string(&path) else {
            problems.push(format!("no briefing `{slug}` for {}", notes_count(notes.len())));
            continue;
        };
        let body = split_front_matter(&text).map(|s| s.body.to_string()).unwrap_or_default();
        let texts = passage_blocks(&body);
        let blocks = Blocks::new(texts.iter().map(String::as_str));
        let before = added;
        for Imported { mut annotation, .. } in notes {
            let existing = existing_annotations(&text, &relative)?;
            if existing.iter().any(|a| same_note(a, &annotation)) {
                present += 1;
                continue;
            }
            let span = match blocks.anchor(&annotation) {
                Anchor::Found(span) => span,
                other => {
                    let problem = other.problem().unwrap_or_default();
                    problems.push(format!("`{}`, “{}”: {problem}", relative.display(), annotation.quote));
                    continue;
                }
            };
            annotation.position = Some(span.position.0);
            let index = existing
                .iter()
                .position(|a| blocks.anchor(a).span().is_some_and(|s| s.position.0 > span.position.0))
                .unwrap_or(existing.len());
            text = insert_annotation(&text, &relative, &annotation, index)?;
            added += 1;
        }
        if added > before {
            crate::write::replace_file(&path, text.as_bytes())?;
        }
    }
    for problem in &problems {
        log::error!("{problem}");
    }
    log::info!("imported {}; {present} were there already", notes_count(added));
    if !problems.is_empty() {
        return Err(Error::invalid(format!("{} of `{shown}` could not be imported", notes_count(problems.len()))));
    }
    Ok(())
}

fn notes_count(n: usize) -> String {
    if n == 1 { "1 note".to_string() } else { format!("{n} notes") }
}

/// The slug in a briefing's address: the segment after `briefings/`.
fn slug_of(page: &str) -> Option<String> {
    let path = page.split(['#', '?']).next()?;
    let after = &path[path.rfind("/briefings/")? + "/briefings/".len()..];
    let slug = after.trim_end_matches('/').trim_end_matches("/index.html");
    (!slug.is_empty() && !slug.contains('/')).then(|| slug.to_string())
}

fn existing_annotations(text: &str, relative: &std::path::Path) -> Result<Vec<Annotation>> {
    match parse_content(ContentKind::Briefing, relative, text)? {
        Loaded::Briefing(briefing) => Ok(briefing.annotations.clone()),
        _ => unreachable!("parsed as a briefing"),
    }
}

/// The same passage with the same note: importing it again adds nothing.
fn same_note(a: &Annotation, b: &Annotation) -> bool {
    normalise(&a.quote) == normalise(&b.quote) && normalise(&a.note) == normalise(&b.note)
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_come_from_briefing_addresses() {
        assert_eq!(super::slug_of("https://x.org/archive/briefings/summit/#annotation-2").as_deref(), Some("summit"));
        assert_eq!(super::slug_of("/briefings/summit/index.html").as_deref(), Some("summit"));
        assert_eq!(super::slug_of("https://x.org/actors/nato/"), None);
    }
}
