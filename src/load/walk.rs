//! Finds the content files of an archive: `content/{briefings,actors,topics}/**/*.md`.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

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
        if dir.is_dir() {
            list(root, &dir, kind, &mut files)?;
        }
    }
    Ok(files)
}

/// Adds the Markdown files under `dir`, depth first, each folder's entries
/// in name order. Plain `read_dir`: the file types come with the listing,
/// so a folder of thousands of files costs no call per file.
fn list(root: &Path, dir: &Path, kind: ContentKind, files: &mut Vec<ContentFile>) -> Result<()> {
    let cannot_list =
        |e: std::io::Error| Error::io(format!("cannot list `{}`", crate::error::relative_to(dir, root).display()), e);
    let mut entries = std::fs::read_dir(dir)
        .map_err(cannot_list)?
        .map(|entry| entry.and_then(|e| Ok((e.file_name(), e.file_type()?))))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(cannot_list)?;
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, file_type) in entries {
        let path = dir.join(&name);
        if file_type.is_dir() {
            list(root, &path, kind, files)?;
            continue;
        }
        let name = name.to_string_lossy();
        // Symlinks are kept so that a dangling one is reported, not silently skipped.
        let file_like = file_type.is_file() || file_type.is_symlink();
        if file_like && !name.starts_with('.') && name.ends_with(".md") {
            files.push(ContentFile { kind, relative: crate::error::relative_to(&path, root), path });
        }
    }
    Ok(())
}
