//! Finds the content files of an archive: `content/{briefings,actors,topics}/**/*.md`.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The kinds of content, each in its own folder of `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Briefing,
    Actor,
    Topic,
}

impl ContentKind {
    pub const ALL: [ContentKind; 3] = [ContentKind::Briefing, ContentKind::Actor, ContentKind::Topic];

    /// The folder under `content/` holding this kind.
    pub fn folder(self) -> &'static str {
        match self {
            ContentKind::Briefing => "briefings",
            ContentKind::Actor => "actors",
            ContentKind::Topic => "topics",
        }
    }
}

/// A content file found on disk.
#[derive(Debug, Clone)]
pub struct ContentFile {
    pub kind: ContentKind,
    /// Absolute (or root-joined) path for reading.
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub relative: PathBuf,
}

/// Lists every Markdown file of every kind, sorted by path; editor swap and
/// backup files and hidden files are skipped.
pub fn find_content(root: &Path) -> Result<Vec<ContentFile>> {
    let mut files = Vec::new();
    for kind in ContentKind::ALL {
        let dir = root.join("content").join(kind.folder());
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().map(|p| crate::error::relative_to(p, root)).unwrap_or_default();
                let action = format!("cannot list `{}`", path.display());
                Error::io(action, e.into())
            })?;
            let name = entry.file_name().to_string_lossy();
            // Symlinks are kept so that a dangling one is reported, not silently skipped.
            let file_like = entry.file_type().is_file() || entry.path_is_symlink();
            if !file_like || name.starts_with('.') || !name.ends_with(".md") {
                continue;
            }
            files.push(ContentFile {
                kind,
                relative: crate::error::relative_to(entry.path(), root),
                path: entry.into_path(),
            });
        }
    }
    Ok(files)
}
