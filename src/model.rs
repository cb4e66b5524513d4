//! The content model: briefings, actors, topics and annotations as plain data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A URL-safe identifier: lowercase ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    /// Slugs any text: transliterates to ASCII, lowercases, joins words with `-`.
    pub fn from_text(text: &str) -> Slug {
        let ascii = deunicode::deunicode(text);
        let mut slug = String::with_capacity(ascii.len());
        for c in ascii.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') && c != '\'' {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        Slug(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an imported briefing came from.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default)]
    pub file: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    /// What the importer wrote last, so a re-import can tell the analyst's edits from its own.
    #[serde(default, skip_serializing)]
    pub imported: Option<Box<ImportRecord>>,
}

/// Fingerprints of the fields the importer wrote, and the actors and topics
/// it found: a field whose fingerprint no longer matches was edited by hand.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportRecord {
    pub title: String,
    pub date: String,
    pub summary: String,
    pub body: String,
    pub topics: Vec<String>,
    pub actors: Vec<String>,
}

/// An analyst's note on an exact passage of a briefing.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    pub quote: String,
    pub note: String,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub suffix: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    /// Character offset of the passage in the body text when it was anchored.
    #[serde(default)]
    pub position: Option<usize>,
}

/// One article of the archive, as written in `content/briefings/<slug>.md`.
#[derive(Debug, Clone)]
pub struct Briefing {
    pub slug: Slug,
    /// Path relative to the site root.
    pub path: PathBuf,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub summary: String,
    pub source: Option<Source>,
    /// Topic references as written: slug, name or keyword.
    pub topics: Vec<String>,
    /// Actor references as written: slug, name or alias.
    pub actors: Vec<String>,
    pub annotations: Vec<Annotation>,
    pub draft: bool,
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Fingerprint of `body` and `annotations`, taken once when the file is
    /// read: rebuilds fingerprint every body, and most are read only once.
    pub text_key: u64,
}

/// What sort of actor a profile describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Person,
    State,
    #[serde(alias = "organisation")]
    Organization,
    Group,
}

impl ActorKind {
    pub const ALL: [ActorKind; 4] = [ActorKind::Person, ActorKind::State, ActorKind::Organization, ActorKind::Group];

    /// The plural heading used on the actors index.
    pub fn plural(self) -> &'static str {
        match self {
            ActorKind::Person => "People",
            ActorKind::State => "States",
            ActorKind::Organization => "Organisations",
            ActorKind::Group => "Groups",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::State => "state",
            ActorKind::Organization => "organization",
            ActorKind::Group => "group",
        }
    }
}

/// A profile in `content/actors/<slug>.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub slug: Slug,
    pub path: PathBuf,
    pub name: String,
    pub kind: Option<ActorKind>,
    /// Strings that count as a mention of this actor in a briefing's text.
    pub aliases: Vec<String>,
    pub role: Option<String>,
    pub description: Option<String>,
    pub body: String,
    pub body_line: usize,
}

/// A profile in `content/topics/<slug>.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub slug: Slug,
    pub path: PathBuf,
    pub name: String,
    pub keywords: Vec<String>,
    pub description: Option<String>,
    pub body: String,
    pub body_line: usize,
}

/// Everything under `content/`, each list sorted by slug.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Shared, so that a live session reuses unchanged briefings without copying them.
    pub briefings: Vec<Arc<Briefing>>,
    pub actors: Vec<Actor>,
    pub topics: Vec<Topic>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(Slug::from_text("Recep Tayyip Erdoğan").as_str(), "recep-tayyip-erdogan");
        assert_eq!(Slug::from_text("  NATO: the Alliance's role! ").as_str(), "nato-the-alliances-role");
        assert_eq!(Slug::from_text("U.S.").as_str(), "u-s");
        assert_eq!(Slug::from_text("Arms control").as_str(), "arms-control");
        assert!(Slug::from_text("—").is_empty());
    }
}
