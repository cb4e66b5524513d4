//! `dossier import`: raw source articles → briefings in `content/briefings/`.
//!
//! Each source is read by format ([`read`]), shaped into title, date and
//! blocks with the publisher's furniture removed ([`article`], [`clean`],
//! [`prose`]), tagged with the actors and topics the profiles know
//! ([`tagging`]), and written, or merged into the briefing it produced before
//! without losing the analyst's work ([`merge`]).

mod article;
mod clean;
mod dates;
mod merge;
mod prose;
mod read;
mod tagging;

pub use clean::{DEFAULT_STRIP, Rules};
pub use read::EXTENSIONS;
pub use tagging::Candidate;

use crate::config::Config;
use crate::error::{Error, Location, Result, collect_all, relative_to};
use crate::load::{ContentKind, Loaded, find_content, load_file};
use crate::model::{Archive, Slug, Source};
use chrono::NaiveDate;
use merge::Generated;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// Files or folders to import.
    pub paths: Vec<PathBuf>,
    /// The date of every imported article, when the text states none.
    pub date: Option<NaiveDate>,
    /// Work out and report the changes, write nothing.
    pub dry_run: bool,
}

/// What happened to one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
    /// Not imported, and why.
    Skipped(String),
}

/// The import of one source file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The source, relative to the site root.
    pub source: PathBuf,
    /// The briefing written, relative to the site root.
    pub briefing: PathBuf,
    pub outcome: Outcome,
    /// Fields kept as the analyst edited them.
    pub kept: Vec<&'static str>,
    /// Annotations whose quote no longer matches the body.
    pub unmatched: Vec<String>,
    /// The source was copied into `sources/` first.
    pub copied: bool,
    /// The briefing's text before and after, when it changed.
    pub change: Option<(String, String)>,
}

/// A name no profile knows, with the briefings it occurs in.
#[derive(Debug, Clone)]
pub struct CandidateReport {
    pub candidate: Candidate,
    pub briefings: Vec<Slug>,
}

/// Everything an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    pub candidates: Vec<CandidateReport>,
}

/// Where briefings live, relative to the site root.
const BRIEFINGS: &str = "content/briefings";
/// Where raw sources live, relative to the site root.
const SOURCES: &str = "sources";
/// Longest summary written, in characters.
const SUMMARY_CHARS: usize = 300;

/// A briefing already in the archive that records where it came from.
#[derive(Debug)]
struct Existing {
    path: PathBuf,
    file: Option<String>,
    sha256: Option<String>,
}

/// Imports every source under `options.paths`.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let root = &options.root;
    let config = Config::load(root)?;
    let rules = Rules::new(&config.import.strip)?;
    let profiles = load_profiles(root)?;
    let tagger = tagging::Tagger::new(&profiles);
    let mut existing = existing_briefings(root)?;
    let sources = expand(root, &options.paths)?;

    let mut report = ImportReport::default();
    let mut claimed: HashSet<PathBuf> = existing.iter().map(|e| e.path.clone()).collect();
    let mut candidates: BTreeMap<String, CandidateReport> = BTreeMap::new();
    for source in sources {
        let bytes = std::fs::read(&source)
            .map_err(|e| Error::io(format!("cannot read `{}`", relative_to(&source, root).display()), e))?;
        let sha256 = hex(&Sha256::digest(&bytes));
        let (provenance, copy_from) = provenance(root, &source, &sha256, &bytes)?;
        let shown = PathBuf::from(&provenance);
        let same_text = existing.iter().find(|e| e.sha256.as_deref() == Some(sha256.as_str()));
        if let Some(other) = same_text.filter(|e| e.file.as_deref() != Some(provenance.as_str())) {
            let reason = match &other.file {
                Some(file) => format!("the same text as `{file}`, already imported"),
                None => "the same text as a briefing already imported".to_string(),
            };
            report.files.push(skipped(shown, other.path.clone(), reason));
            continue;
        }
        let target = existing.iter().find(|e| e.file.as_deref() == Some(provenance.as_str())).map(|e| e.path.clone());

        let raw = read::read_source(&source, &shown, &bytes)?;
        let shaped = article::shape(&raw.text, raw.markdown, raw.title.as_deref(), &rules);
        if shaped.blocks.is_empty() {
            return Err(Error::with_help(
                "no article text left after removing the page furniture",
                "check the file holds the article, or loosen `import.strip` in dossier.yaml",
            )
            .at(Location::new(&shown, 1, 1)));
        }
        let body = article::to_markdown(&shaped);
        let plain = crate::markdown::plain_text(&body);
        let summary = lead_summary(&shaped);
        // The title and summary weigh twice: a topic they name is the article's.
        let tags = tagger.tag(&format!("{}\n{summary}", shaped.title), &plain);
        let generated = Generated {
            title: shaped.title.clone(),
            date: options.date.or(raw.date).or(shaped.stated_date),
            summary,
            source: Source {
                file: Some(provenance.clone()),
                sha256: Some(sha256.clone()),
                url: raw.url.clone(),
                publisher: raw.publisher.clone(),
                imported: None,
            },
            topics: tags.topics,
            actors: tags.actors,
            body,
        };

        let briefing = match target {
            Some(path) => path,
            None => free_path(root, &slug_for(&shaped.title), &claimed),
        };
        claimed.insert(briefing.clone());
        let slug = Slug::from_text(&briefing.file_stem().unwrap_or_default().to_string_lossy());
        for candidate in tagger.candidates(&format!("{}\n\n{plain}", shaped.title)) {
            let entry = candidates.entry(candidate.name.clone()).or_insert(CandidateReport {
                candidate: Candidate { mentions: 0, ..candidate.clone() },
                briefings: vec![],
            });
            entry.candidate.mentions += candidate.mentions;
            entry.candidate.kind = entry.candidate.kind.or(candidate.kind);
            entry.briefings.push(slug.clone());
        }

        let full_path = root.join(&briefing);
        let before = match std::fs::read_to_string(&full_path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(format!("cannot read `{}`", briefing.display()), e)),
        };
        let (after, kept, unmatched) = match &before {
            Some(text) => {
                let merged = merge::merge(text, &briefing, &generated, &tagger)?;
                (merged.text, merged.kept, merged.unmatched)
            }
            None => (merge::new_file(&generated), vec![], vec![]),
        };
        let outcome = match &before {
            None => Outcome::Created,
            Some(text) if *text == after => Outcome::Unchanged,
            Some(_) => Outcome::Updated,
        };
        if !options.dry_run {
            if let Some(from) = &copy_from {
                crate::write::replace_file(
                    &root.join(&provenance),
                    &std::fs::read(from).map_err(|e| Error::io("cannot copy the source", e))?,
                )?;
            }
            if outcome != Outcome::Unchanged {
                crate::write::replace_file(&full_path, after.as_bytes())?;
            }
        }
        existing.push(Existing { path: briefing.clone(), file: Some(provenance), sha256: Some(sha256) });
        let change = (outcome != Outcome::Unchanged).then(|| (before.unwrap_or_default(), after));
        report.files.push(FileReport {
            source: shown,
            briefing,
            outcome,
            kept,
            unmatched,
            copied: copy_from.is_some(),
            change,
        });
    }
    report.candidates = candidates.into_values().collect();
    report.candidates.sort_by(|a, b| {
        b.candidate.mentions.cmp(&a.candidate.mentions).then_with(|| a.candidate.name.cmp(&b.candidate.name))
    });
    Ok(report)
}

fn skipped(source: PathBuf, briefing: PathBuf, reason: String) -> FileReport {
    FileReport {
        source,
        briefing,
        outcome: Outcome::Skipped(reason),
        kept: vec![],
        unmatched: vec![],
        copied: false,
        change: None,
    }
}

/// The actor and topic profiles, which say what to look for.
fn load_profiles(root: &Path) -> Result<Archive> {
    let files: Vec<_> = find_content(root)?.into_iter().filter(|f| f.kind != ContentKind::Briefing).collect();
    let mut archive = Archive::default();
    for loaded in collect_all(files.iter().map(load_file))? {
        match loaded {
            Loaded::Actor(actor) => archive.actors.push(actor),
            Loaded::Topic(topic) => archive.topics.push(topic),
            Loaded::Briefing(_) => {}
        }
    }
    Ok(archive)
}

/// The briefings already written, with the source each came from. A briefing
/// whose front matter cannot be read stops the import: it might be the one
/// an import would update.
fn existing_briefings(root: &Path) -> Result<Vec<Existing>> {
    let files: Vec<_> = find_content(root)?.into_iter().filter(|f| f.kind == ContentKind::Briefing).collect();
    collect_all(files.iter().map(|file| {
        let text = std::fs::read_to_string(&file.path)
            .map_err(|e| Error::io(format!("cannot read `{}`", file.relative.display()), e))?;
        let (_, values) = merge::front_matter_of(&text, &file.relative)?;
        let field =
            |name: &str| values.get("source").and_then(|s| s.get(name)).and_then(|v| v.as_str()).map(str::to_string);
        Ok(Existing { path: file.relative.clone(), file: field("file"), sha256: field("sha256") })
    }))
}

/// The source files named by `paths`: files as given, folders searched for
/// the formats the importer reads.
fn expand(root: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let path = if path.is_absolute() || path.exists() { path.clone() } else { root.join(path) };
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&path)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file() && readable(e.path()))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            if !readable(&path) {
                return Err(Error::with_help(
                    format!("cannot import `{}`: not a file type the importer reads", path.display()),
                    format!("import .{} files", EXTENSIONS.join(", .")),
                ));
            }
            files.push(path);
        } else {
            return Err(Error::with_help(
                format!("`{}` does not exist", path.display()),
                "give a file or folder to import",
            ));
        }
    }
    Ok(files)
}

fn readable(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Where the source is kept, relative to the root (with `/`), and the file
/// to copy there when it lives outside the archive.
fn provenance(root: &Path, source: &Path, sha256: &str, bytes: &[u8]) -> Result<(String, Option<PathBuf>)> {
    let canonical_root = root.canonicalize().map_err(|e| Error::io("cannot find the site folder", e))?;
    let canonical = source.canonicalize().map_err(|e| Error::io(format!("cannot find `{}`", source.display()), e))?;
    if let Ok(inside) = canonical.strip_prefix(&canonical_root) {
        return Ok((slashed(inside), None));
    }
    let name = source.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "source.txt".into());
    let mut kept = Path::new(SOURCES).join(&name);
    if let Ok(present) = std::fs::read(root.join(&kept))
        && present != bytes
    {
        let stem = Path::new(&name).file_stem().unwrap_or_default().to_string_lossy().to_string();
        let extension = Path::new(&name).extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
        kept = Path::new(SOURCES).join(format!("{stem}-{}{extension}", &sha256[..8]));
    }
    Ok((slashed(&kept), Some(source.to_path_buf())))
}

fn slashed(path: &Path) -> String {
    path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// A slug from the headline: its part before a colon when that says enough,
/// at most eight words.
fn slug_for(title: &str) -> Slug {
    let head = title.split([':', '—', '|']).next().filter(|h| h.split_whitespace().count() >= 3).unwrap_or(title);
    let slug = Slug::from_text(head);
    let words: Vec<&str> = slug.as_str().split('-').take(8).collect();
    let mut words = words.as_slice();
    while let [rest @ .., last] = words
        && !rest.is_empty()
        && [
            "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "what", "about", "against", "from",
            "by", "at", "as", "over", "after", "amid", "into", "than",
        ]
        .contains(last)
    {
        words = rest;
    }
    let slug = Slug::from_text(&words.join("-"));
    if slug.is_empty() { Slug::from_text("briefing") } else { slug }
}

/// `content/briefings/<slug>.md`, or `<slug>-2.md`… when taken by another briefing.
fn free_path(root: &Path, slug: &Slug, claimed: &HashSet<PathBuf>) -> PathBuf {
    (1..)
        .map(|n| {
            let name = if n == 1 { format!("{slug}.md") } else { format!("{slug}-{n}.md") };
            Path::new(BRIEFINGS).join(name)
        })
        .find(|path| !claimed.contains(path) && !root.join(path).exists())
        .expect("some suffix is free")
}

/// The summary: from the first paragraph, else the first quote or list item.
fn lead_summary(shaped: &article::Article) -> String {
    let plain = |text: &str| if shaped.markdown { crate::markdown::plain_text(text) } else { text.to_string() };
    let lead = shaped
        .blocks
        .iter()
        .find_map(|b| match b {
            article::Block::Paragraph(p) => Some(plain(p)),
            _ => None,
        })
        .or_else(|| {
            shaped.blocks.iter().find_map(|b| match b {
                article::Block::Quote { text, .. } => Some(plain(text)),
                article::Block::List(items) => items.first().map(|i| plain(i)),
                _ => None,
            })
        })
        .unwrap_or_default();
    prose::summary_of(&lead, SUMMARY_CHARS)
}

/// Writes through a temporary file and a rename, so a file is never half-written.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_the_headline() {
        assert_eq!(
            slug_for("Ukraine Security Guarantees and NATO Roles: A Strategic Overview").as_str(),
            "ukraine-security-guarantees-and-nato-roles"
        );
        assert_eq!(
            slug_for("Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?").as_str(),
            "instead-of-nato-like-security-guarantees-for-ukraine"
        );
        assert_eq!(slug_for("—").as_str(), "briefing");
    }
}
