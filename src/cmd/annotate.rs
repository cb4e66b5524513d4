//! `dossier annotate SLUG --quote … --note …`: adds a note to a briefing once
//! its passage is found exactly once.

use crate::annotation::{Anchor, Blocks, insert_annotation};
use crate::cli::AnnotateArgs;
use crate::error::{Error, Location, Result, did_you_mean};
use crate::load::{ContentKind, Loaded, parse_content, split_front_matter, utf8_text};
use crate::markdown::passage_blocks;
use crate::model::Annotation;
use std::path::{Path, PathBuf};

/// Adds the note and says where it went.
pub fn run(args: AnnotateArgs) -> Result<()> {
    let relative = PathBuf::from("content/briefings").join(format!("{}.md", args.slug));
    let path = args.root.join(&relative);
    let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => unknown_briefing(&args.root, &args.slug),
        _ => Error::io(format!("cannot read `{}`", relative.display()), e),
    })?;
    let text = utf8_text(&bytes, &relative)?;
    let Loaded::Briefing(briefing) = parse_content(ContentKind::Briefing, &relative, text)? else {
        unreachable!("parsed as a briefing")
    };
    let body = split_front_matter(text).map(|s| s.body).unwrap_or_default();
    let texts = passage_blocks(body);
    let blocks = Blocks::new(texts.iter().map(String::as_str));

    let mut annotation = Annotation {
        quote: args.quote.trim().to_string(),
        note: args.note.trim().to_string(),
        prefix: args.prefix,
        suffix: args.suffix,
        tags: args.tags,
        author: args.author,
        date: Some(args.date.unwrap_or_else(today).to_string()),
        position: None,
    };
    if annotation.note.is_empty() {
        return Err(Error::with_help("the note is empty", "write it with `--note \"…\"`"));
    }
    let span = match blocks.anchor(&annotation) {
        Anchor::Found(span) => span,
        other => return Err(refusal(&other, &annotation, &blocks, &texts, &relative)),
    };
    // The passage as the page shows it, not as typed.
    annotation.quote = texts[span.block][span.start..span.end].to_string();
    annotation.position = Some(span.position.0);
    // Notes are kept in reading order, so that their numbers follow the text.
    let index = briefing
        .annotations
        .iter()
        .position(|a| blocks.anchor(a).span().is_some_and(|s| s.position.0 > span.position.0))
        .unwrap_or(briefing.annotations.len());
    let edited = insert_annotation(text, &relative, &annotation, index)?;
    crate::write::replace_file(&path, edited.as_bytes())?;
    log::info!(
        "annotated `{}`: note {} of {} on “{}”",
        relative.display(),
        index + 1,
        briefing.annotations.len() + 1,
        crate::markdown::shorten(&annotation.quote, 0, 60)
    );
    Ok(())
}

/// Why the passage cannot be annotated, and what to do instead.
fn refusal(anchor: &Anchor, annotation: &Annotation, blocks: &Blocks, texts: &[String], path: &Path) -> Error {
    let at = Location::new(path, 0, 0);
    let context_given = annotation.prefix.is_some() || annotation.suffix.is_some();
    match anchor {
        Anchor::Ambiguous(_, count) => {
            let places: Vec<String> = blocks
                .contexts(&annotation.quote, 4)
                .into_iter()
                .map(|(before, after)| format!("`--prefix \"{before}\"` or `--suffix \"{after}\"`"))
                .collect();
            let fit = if context_given { ", and the prefix or suffix given does not pick one" } else { "" };
            Error::with_help(
                format!("the quote occurs {count} times in the briefing{fit}"),
                format!("pick one with the words around it: {}", places.join("; ")),
            )
            .at(at)
        }
        // The quote itself is there, once: only its context did not fit.
        Anchor::Moved(_, similarity) if *similarity >= 1.0 => Error::with_help(
            "the quote occurs, but not after the given prefix or before the given suffix",
            "copy the words just around the passage from the page, or leave `--prefix`/`--suffix` out",
        )
        .at(at),
        Anchor::Moved(span, _) => Error::with_help(
            "the quote occurs nowhere in the briefing",
            format!(
                "the closest passage is “{}”; whitespace, curly quotes and dashes may differ, words may not",
                &texts[span.block][span.start..span.end]
            ),
        )
        .at(at),
        Anchor::Orphan(crate::annotation::Lost::NotFound) => Error::with_help(
            "the quote occurs nowhere in the briefing",
            "copy the passage from the page; whitespace, curly quotes and dashes may differ, words may not",
        )
        .at(at),
        Anchor::Orphan(_) | Anchor::Found(_) => Error::with_help(
            format!("cannot annotate: {}", anchor.problem().unwrap_or_default()),
            "copy a passage from within one paragraph of the page",
        )
        .at(at),
    }
}

fn unknown_briefing(root: &Path, slug: &str) -> Error {
    let slugs: Vec<String> = std::fs::read_dir(root.join("content/briefings"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".md")).map(str::to_string))
        .collect();
    let help = match did_you_mean(slug, slugs.iter().map(String::as_str)) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "name the briefing by its file name under `content/briefings/`, without `.md`".to_string(),
    };
    Error::with_help(format!("there is no briefing `{slug}`"), help)
}

/// Today's date (UTC), from the system clock.
pub fn today() -> chrono::NaiveDate {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
    chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch is a date") + chrono::Days::new(days)
}
