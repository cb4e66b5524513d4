//! Stage 1, load: `content/` → [`Archive`]. Every file is read and parsed in
//! parallel and every problem is collected, each with its file and line.

mod front_matter;
mod walk;

pub use front_matter::{Split, SplitError, split_front_matter};
pub use walk::{ContentFile, ContentKind, find_content};

use crate::error::{Error, Location, Result, collect_all};
use crate::model::{Actor, ActorKind, Annotation, Archive, Briefing, Slug, Source, Topic};
use crate::yaml::{Origin, key_line, parse_mapping};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Options of the load stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep briefings marked `draft: true`.
    pub drafts: bool,
}

/// Reads every content file under `root/content`.
pub fn load_archive(root: &Path, options: LoadOptions) -> Result<Archive> {
    load_archive_cached(root, options, None)
}

/// Parsed content files kept between builds: a file whose size and
/// modification time are unchanged is not read again.
#[derive(Default)]
pub struct LoadCache {
    files: Mutex<HashMap<PathBuf, Cached>>,
    /// The files (or folders) that changed since the last load, relative to
    /// the root, when a watcher knows them: the others are not even asked
    /// for their size and time. `None`: every file is checked.
    changed: Mutex<Option<Vec<PathBuf>>>,
    /// The archive the last load made, and whether drafts were kept: when
    /// the files named as changed are all files it was made from, it is
    /// patched instead of listing and assembling every file again.
    last: Mutex<Option<(bool, Archive)>>,
    /// The last load failed: files it was told of may not have been read,
    /// so the next checks every file's size and time.
    failed: std::sync::atomic::AtomicBool,
}

/// A parsed file with the modification time and size it was read at.
type Cached = (Option<SystemTime>, u64, Loaded);

impl LoadCache {
    /// Tells the next load which files changed (`None` when not known).
    pub fn expect_changes(&self, changed: Option<Vec<PathBuf>>) {
        *self.changed.lock().expect("no panic holding the lock") = changed;
    }

    fn get_or_load(&self, file: &ContentFile, changed: Option<&HashSet<PathBuf>>) -> Result<Loaded> {
        // A file changed when it, or a folder holding it, was named: a look-up
        // per folder level, so a burst of thousands of events stays cheap.
        if let Some(changed) = changed
            && !file.relative.ancestors().any(|a| changed.contains(a))
            && let Some((_, _, loaded)) = self.files.lock().expect("no panic holding the lock").get(&file.relative)
        {
            return Ok(loaded.clone());
        }
        let stamp = std::fs::metadata(&file.path).map(|m| (m.modified().ok(), m.len())).ok();
        if let Some((modified, len)) = stamp
            && let Some((m, l, loaded)) = self.files.lock().expect("no panic holding the lock").get(&file.relative)
            && (*m, *l) == (modified, len)
            && modified.is_some()
        {
            return Ok(loaded.clone());
        }
        let loaded = load_file(file)?;
        if let Some((modified, len)) = stamp {
            self.files
                .lock()
                .expect("no panic holding the lock")
                .insert(file.relative.clone(), (modified, len, loaded.clone()));
        }
        Ok(loaded)
    }

    /// `archive` with the files in `changed` read again: edited files
    /// replace what was read of them, new ones join, gone ones leave. `None`
    /// when a change needs the whole listing: a folder came or went, a file
    /// turned into something else, or a new file's slug is taken (the full
    /// load reports it).
    fn patch(
        &self,
        root: &Path,
        mut archive: Archive,
        changed: &[PathBuf],
        options: LoadOptions,
    ) -> Result<Option<Archive>> {
        let mut changed: Vec<&PathBuf> = changed.iter().filter(|p| p.starts_with("content")).collect();
        changed.sort();
        changed.dedup();
        for relative in changed {
            let before = self.files.lock().expect("no panic holding the lock").get(relative).map(|c| c.2.clone());
            if let Some(before) = &before {
                archive.remove(before);
            }
            let path = root.join(relative);
            let Ok(metadata) = std::fs::metadata(&path) else {
                if std::fs::symlink_metadata(&path).is_ok() {
                    // A dangling link: the full load reports it.
                    return Ok(None);
                }
                let mut files = self.files.lock().expect("no panic holding the lock");
                if before.is_none() && files.keys().any(|f| f.starts_with(relative)) {
                    // A folder went, and the files in it.
                    return Ok(None);
                }
                files.remove(relative);
                continue;
            };
            if !metadata.is_file() {
                return Ok(None);
            }
            let kind = match &before {
                Some(before) => before.kind(),
                None => match listed_kind(relative) {
                    Some(kind) => kind,
                    // Not a content file (an editor's temporary file, a note): the listing skips it too.
                    None => continue,
                },
            };
            let file = ContentFile { kind, path, relative: relative.clone() };
            let loaded = self.get_or_load(&file, None)?;
            if !archive.insert(loaded, options) {
                return Ok(None);
            }
        }
        Ok(Some(archive))
    }

    /// Forgets files that are gone.
    fn keep_only(&self, files: &[ContentFile]) {
        let present: std::collections::HashSet<&Path> = files.iter().map(|f| f.relative.as_path()).collect();
        self.files.lock().expect("no panic holding the lock").retain(|path, _| present.contains(path.as_path()));
    }
}

/// Files read and parsed in one piece of parallel work. Rayon stops
/// splitting work once each thread has a share, so without a bound the
/// last share could be a quarter of the archive, parsed while the other
/// thread waits.
const FILES_PER_JOB: usize = 16;

/// [`load_archive`], reusing what `cache` holds of unchanged files.
pub fn load_archive_cached(root: &Path, options: LoadOptions, cache: Option<&LoadCache>) -> Result<Archive> {
    let Some(cache) = cache else {
        let files = find_content(root)?;
        return assemble(
            collect_all(files.par_iter().with_max_len(FILES_PER_JOB).map(load_file).collect::<Vec<_>>())?,
            options,
        );
    };
    let loaded = load_told(root, options, cache);
    if loaded.is_err() {
        cache.failed.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    loaded
}

fn load_told(root: &Path, options: LoadOptions, cache: &LoadCache) -> Result<Archive> {
    // Known changes hold for one load; the next is told afresh or checks
    // everything. After a failed load, the files it was told of and did
    // not read are not told again: everything is checked.
    let changed = cache.changed.lock().expect("no panic holding the lock").take();
    let failed = cache.failed.swap(false, std::sync::atomic::Ordering::Relaxed);
    let changed = changed.filter(|_| !failed);
    let last = cache.last.lock().expect("no panic holding the lock").take();
    if let (Some(changed), Some((drafts, archive))) = (&changed, last)
        && drafts == options.drafts
        && let Some(archive) = cache.patch(root, archive, changed, options)?
    {
        *cache.last.lock().expect("no panic holding the lock") = Some((options.drafts, archive.clone()));
        return Ok(archive);
    }
    let files = find_content(root)?;
    cache.keep_only(&files);
    let changed: Option<HashSet<PathBuf>> = changed.map(|c| c.into_iter().collect());
    let parsed = collect_all(
        files
            .par_iter()
            .with_max_len(FILES_PER_JOB)
            .map(|f| cache.get_or_load(f, changed.as_ref()))
            .collect::<Vec<_>>(),
    )?;
    let archive = assemble(parsed, options)?;
    *cache.last.lock().expect("no panic holding the lock") = Some((options.drafts, archive.clone()));
    Ok(archive)
}

/// The archive of the parsed files, each list sorted by slug.
fn assemble(parsed: Vec<Loaded>, options: LoadOptions) -> Result<Archive> {
    let mut archive = Archive::default();
    for item in parsed {
        match item {
            Loaded::Briefing(b) if b.draft && !options.drafts => {}
            Loaded::Briefing(b) => archive.briefings.push(b),
            Loaded::Actor(a) => archive.actors.push(a),
            Loaded::Topic(t) => archive.topics.push(t),
        }
    }
    reject_duplicate_slugs(&archive)?;
    archive.briefings.sort_by(|a, b| a.slug.cmp(&b.slug));
    archive.actors.sort_by(|a, b| a.slug.cmp(&b.slug));
    archive.topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(archive)
}

/// The kind of content `relative` would be listed as by [`find_content`],
/// if it is a content file's path at all.
fn listed_kind(relative: &Path) -> Option<ContentKind> {
    let mut parts = relative.components().map(|part| part.as_os_str());
    let (content, folder) = (parts.next()?, parts.next()?);
    let kind = ContentKind::ALL.into_iter().find(|k| content == "content" && folder == k.folder())?;
    let name = parts.next_back()?.to_string_lossy();
    (name.ends_with(".md") && !name.starts_with('.')).then_some(kind)
}

impl Archive {
    /// Takes out what was read from the file `loaded` came from, if it is in.
    fn remove(&mut self, loaded: &Loaded) {
        match loaded {
            Loaded::Briefing(b) => remove_sorted(&mut self.briefings, &b.slug, &b.path, |x| (&x.slug, &x.path)),
            Loaded::Actor(a) => remove_sorted(&mut self.actors, &a.slug, &a.path, |x| (&x.slug, &x.path)),
            Loaded::Topic(t) => remove_sorted(&mut self.topics, &t.slug, &t.path, |x| (&x.slug, &x.path)),
        }
    }

    /// Puts a file's content in its place by slug (a draft only with
    /// `drafts`); false when another file has its slug.
    fn insert(&mut self, loaded: Loaded, options: LoadOptions) -> bool {
        match loaded {
            Loaded::Briefing(b) if b.draft && !options.drafts => true,
            Loaded::Briefing(b) => insert_sorted(&mut self.briefings, b, |x| &x.slug),
            Loaded::Actor(a) => insert_sorted(&mut self.actors, a, |x| &x.slug),
            Loaded::Topic(t) => insert_sorted(&mut self.topics, t, |x| &x.slug),
        }
    }
}

fn remove_sorted<T>(items: &mut Vec<T>, slug: &Slug, path: &Path, key: impl Fn(&T) -> (&Slug, &Path)) {
    if let Ok(i) = items.binary_search_by(|x| key(x).0.cmp(slug))
        && key(&items[i]).1 == path
    {
        items.remove(i);
    }
}

fn insert_sorted<T>(items: &mut Vec<T>, item: T, slug: impl Fn(&T) -> &Slug) -> bool {
    match items.binary_search_by(|x| slug(x).cmp(slug(&item))) {
        Ok(_) => false,
        Err(i) => {
            items.insert(i, item);
            true
        }
    }
}

/// One parsed content file.
#[derive(Debug, Clone)]
pub enum Loaded {
    Briefing(Arc<Briefing>),
    Actor(Actor),
    Topic(Topic),
}

impl Loaded {
    fn kind(&self) -> ContentKind {
        match self {
            Loaded::Briefing(_) => ContentKind::Briefing,
            Loaded::Actor(_) => ContentKind::Actor,
            Loaded::Topic(_) => ContentKind::Topic,
        }
    }
}

/// Reads and parses one content file.
pub fn load_file(file: &ContentFile) -> Result<Loaded> {
    let bytes =
        std::fs::read(&file.path).map_err(|e| Error::io(format!("cannot read `{}`", file.relative.display()), e))?;
    parse_content(file.kind, &file.relative, utf8_text(&bytes, &file.relative)?)
}

/// `bytes` as text, or an error at the line of the first invalid byte.
pub fn utf8_text<'a>(bytes: &'a [u8], shown: &Path) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::with_help("the file is not valid UTF-8 text", "save it as UTF-8").at(Location::new(shown, line, 1))
    })
}

/// Parses the text of a content file of the given kind.
pub fn parse_content(kind: ContentKind, relative: &Path, text: &str) -> Result<Loaded> {
    let split = split_front_matter(text).map_err(|e| {
        let (message, help) = match e {
            SplitError::NoOpening => {
                ("missing front matter", "start the file with a `---` line, then `title: …`, then another `---` line")
            }
            SplitError::Unclosed => ("front matter is not closed", "end the front matter with a `---` line"),
        };
        Error::with_help(message, help).at(Location::new(relative, 1, 1))
    })?;
    let slug = slug_of(relative)?;
    let origin = Origin { path: relative, line_offset: 1 };
    Ok(match kind {
        ContentKind::Briefing => Loaded::Briefing(Arc::new(parse_briefing(slug, &split, origin)?)),
        ContentKind::Actor => Loaded::Actor(parse_actor(slug, &split, origin)?),
        ContentKind::Topic => Loaded::Topic(parse_topic(slug, &split, origin)?),
    })
}

fn slug_of(relative: &Path) -> Result<Slug> {
    let stem = relative.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default();
    let slug = Slug::from_text(&stem);
    if slug.is_empty() {
        return Err(Error::with_help(
            format!("cannot make a page address from the file name `{stem}`"),
            "rename the file using letters or digits",
        )
        .at(Location::new(relative, 0, 0)));
    }
    Ok(slug)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BriefingFront {
    title: String,
    #[serde(default)]
    date: Option<serde_yaml::Value>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    source: Option<SourceField>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default)]
    annotations: Vec<Annotation>,
    #[serde(default)]
    draft: bool,
}

const BRIEFING_KEYS: &[&str] = &["title", "date", "summary", "source", "topics", "actors", "annotations", "draft"];

/// `source:` is either a table of provenance or just the article's URL.
#[derive(Deserialize)]
#[serde(untagged)]
enum SourceField {
    Url(String),
    Table(Source),
}

fn parse_briefing(slug: Slug, split: &Split, origin: Origin) -> Result<Briefing> {
    let front: BriefingFront = parse_mapping(split.yaml, BRIEFING_KEYS, origin)?;
    let title_line = || origin.at(key_line(split.yaml, "title"), 1);
    if front.title.trim().is_empty() {
        return Err(Error::with_help("`title` is empty", "give the briefing a headline").at(title_line()));
    }
    let date = match &front.date {
        None | Some(serde_yaml::Value::Null) => None,
        Some(value) => Some(parse_date(value).ok_or_else(|| {
            let shown = serde_yaml::to_string(value).unwrap_or_default();
            Error::with_help(
                format!("`date` is not a date: `{}`", shown.trim()),
                "write it as YYYY-MM-DD, e.g. `date: 2025-08-16`, or leave it out when unknown",
            )
            .at(origin.at(key_line(split.yaml, "date"), 1))
        })?),
    };
    let summary = match front.summary {
        Some(summary) if !summary.trim().is_empty() => summary.trim().to_string(),
        _ => crate::markdown::first_paragraph_text(split.body, 300),
    };
    let source = front.source.map(|s| match s {
        SourceField::Url(url) => Source { url: Some(url), ..Source::default() },
        SourceField::Table(table) => table,
    });
    Ok(Briefing {
        slug,
        path: origin.path.to_path_buf(),
        title: front.title.trim().to_string(),
        date,
        summary,
        source,
        topics: front.topics,
        actors: front.actors,
        text_key: text_key(split.body, &front.annotations),
        annotations: front.annotations,
        draft: front.draft,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

/// See [`Briefing::text_key`].
fn text_key(body: &str, annotations: &[Annotation]) -> u64 {
    let mut hash = crate::memo::HashWriter::new();
    hash.update(body.as_bytes());
    let _ = serde_json::to_writer(&mut hash, annotations);
    hash.finish()
}

/// Accepts `YYYY-MM-DD`, optionally followed by a time (`2025-08-16T10:00:00Z`).
fn parse_date(value: &serde_yaml::Value) -> Option<NaiveDate> {
    let text = value.as_str()?.trim();
    let day = text.get(..10)?;
    let rest = &text[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorFront {
    name: String,
    #[serde(default)]
    kind: Option<ActorKind>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

const ACTOR_KEYS: &[&str] = &["name", "kind", "aliases", "role", "description"];

fn parse_actor(slug: Slug, split: &Split, origin: Origin) -> Result<Actor> {
    let front: ActorFront = parse_mapping(split.yaml, ACTOR_KEYS, origin)?;
    require_name(&front.name, split, origin)?;
    Ok(Actor {
        slug,
        path: origin.path.to_path_buf(),
        name: front.name.trim().to_string(),
        kind: front.kind,
        aliases: front.aliases.into_iter().filter(|a| !a.trim().is_empty()).collect(),
        role: front.role,
        description: front.description,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFront {
    name: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    description: Option<String>,
}

const TOPIC_KEYS: &[&str] = &["name", "keywords", "description"];

fn parse_topic(slug: Slug, split: &Split, origin: Origin) -> Result<Topic> {
    let front: TopicFront = parse_mapping(split.yaml, TOPIC_KEYS, origin)?;
    require_name(&front.name, split, origin)?;
    Ok(Topic {
        slug,
        path: origin.path.to_path_buf(),
        name: front.name.trim().to_string(),
        keywords: front.keywords,
        description: front.description,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
}

fn require_name(name: &str, split: &Split, origin: Origin) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("`name` is empty").at(origin.at(key_line(split.yaml, "name"), 1)));
    }
    Ok(())
}

/// Two files whose names slug the same would write the same page.
fn reject_duplicate_slugs(archive: &Archive) -> Result<()> {
    let mut errors = Vec::new();
    let mut check = |kind: &str, items: Vec<(&Slug, &Path)>| {
        let mut seen: BTreeMap<&Slug, &Path> = BTreeMap::new();
        for (slug, path) in items {
            if let Some(first) = seen.insert(slug, path) {
                errors.push(
                    Error::with_help(
                        format!("this {kind} would write the same page `{slug}` as `{}`", first.display()),
                        "rename one of the two files",
                    )
                    .at(Location::new(path, 0, 0)),
                );
            }
        }
    };
    check("briefing", archive.briefings.iter().map(|b| (&b.slug, b.path.as_path())).collect());
    check("actor", archive.actors.iter().map(|a| (&a.slug, a.path.as_path())).collect());
    check("topic", archive.topics.iter().map(|t| (&t.slug, t.path.as_path())).collect());
    if errors.is_empty() { Ok(()) } else { Err(Error::many(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_content_as_the_listing_finds_it() {
        let kind = |path: &str| listed_kind(Path::new(path));
        assert_eq!(kind("content/briefings/a.md"), Some(ContentKind::Briefing));
        assert_eq!(kind("content/actors/people/b.md"), Some(ContentKind::Actor));
        assert_eq!(kind("content/topics/c.md"), Some(ContentKind::Topic));
        for not_content in
            ["content/briefings", "content/briefings/a.txt", "content/topics/.c.md", "content/notes/d.md", "e.md"]
        {
            assert_eq!(kind(not_content), None, "{not_content}");
        }
    }

    fn briefing(text: &str) -> Result<Briefing> {
        match parse_content(ContentKind::Briefing, Path::new("content/briefings/a.md"), text)? {
            Loaded::Briefing(b) => Ok(Arc::unwrap_or_clone(b)),
            _ => unreachable!("a briefing was parsed"),
        }
    }

    #[test]
    fn parses_a_full_briefing() {
        let b =
            briefing("---\ntitle: T\ndate: 2025-08-16\nsource: https://x.org/a\nactors: [NATO]\n---\nFirst para.\n")
                .unwrap();
        assert_eq!(b.date, NaiveDate::from_ymd_opt(2025, 8, 16));
        assert_eq!(b.summary, "First para.");
        assert_eq!(b.source.unwrap().url.as_deref(), Some("https://x.org/a"));
        assert_eq!(b.body_line, 7);
    }

    #[test]
    fn bad_date_names_its_line() {
        let error = briefing("---\ntitle: T\ndate: 2025-13-01\n---\n").unwrap_err();
        assert_eq!(error.location().unwrap().line, 3);
        assert!(error.to_string().contains("`date` is not a date"), "{error}");
    }

    #[test]
    fn missing_title_is_reported() {
        let error = briefing("---\nsummary: s\n---\n").unwrap_err();
        assert!(error.to_string().contains("missing key `title`"), "{error}");
    }
}
