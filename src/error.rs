//! The one error type of the crate: located, chained, with an optional hint.

use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a file of the site, shown as `path:line:col` relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
}

impl Location {
    pub fn new(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location { path: path.into(), line, col }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.col.max(1))?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in Dossier.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem with the archive the user can fix; `help` says how.
    #[error("{message}")]
    Invalid { message: String, help: Option<String> },
    #[error("{action}")]
    Io {
        action: String,
        #[source]
        source: std::io::Error,
    },
    /// Invalid YAML; the message already carries serde_yaml's whole text.
    #[error("{message}")]
    Yaml { message: String, yaml: serde_yaml::Error },
    #[error("{message}")]
    Template {
        message: String,
        #[source]
        source: TemplateDetail,
    },
    /// Another error, pinned to the place it comes from.
    #[error("{location}: {error}")]
    At {
        location: Location,
        #[source]
        error: Box<Error>,
    },
    /// Every problem found in one run, reported together.
    #[error("{} errors", .0.len())]
    Many(Vec<Error>),
}

/// Tera's account of a template error: its message and, when it points
/// into a template, the lines it points at (the place itself is in the
/// location the error is pinned to).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateDetail(String);

impl TemplateDetail {
    /// From the text of one of Tera's reports (`error: …`, ` --> place`,
    /// then the lines it points at), without its first word and its place.
    pub fn from_report(report: &str) -> TemplateDetail {
        let mut lines = report.trim_end().lines();
        let first = lines.next().unwrap_or_default();
        let mut text = first.strip_prefix("error: ").unwrap_or(first).to_string();
        for line in lines.filter(|l| !l.trim_start().starts_with("--> ")) {
            text.push('\n');
            text.push_str(line);
        }
        TemplateDetail(text)
    }
}

impl From<tera::Error> for TemplateDetail {
    fn from(error: tera::Error) -> Self {
        TemplateDetail::from_report(&error.to_string())
    }
}

/// `Result` with the crate's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An archive problem without a hint.
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid { message: message.into(), help: None }
    }

    /// An archive problem with a hint on how to fix it.
    pub fn with_help(message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Invalid { message: message.into(), help: Some(help.into()) }
    }

    /// An I/O failure, described by what was being attempted.
    pub fn io(action: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { action: action.into(), source }
    }

    /// Pins this error to a location.
    pub fn at(self, location: Location) -> Self {
        Error::At { location, error: Box::new(self) }
    }

    /// The hint to show after the message, if any.
    pub fn help(&self) -> Option<&str> {
        match self {
            Error::Invalid { help, .. } => help.as_deref(),
            Error::At { error, .. } => error.help(),
            _ => None,
        }
    }

    /// Where the error points, used to sort reports by file and line.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::At { location, .. } => Some(location),
            _ => None,
        }
    }

    /// Merges many errors into one, sorted by location; a single error stays itself.
    pub fn many(mut errors: Vec<Error>) -> Self {
        errors.sort_by(|a, b| a.location().cmp(&b.location()));
        if errors.len() == 1 { errors.pop().expect("one error is present") } else { Error::Many(errors) }
    }

    /// The individual errors this one stands for.
    pub fn into_list(self) -> Vec<Error> {
        match self {
            Error::Many(errors) => errors,
            other => vec![other],
        }
    }
}

/// Turns `Vec<Result<T>>` into all values or all errors.
pub fn collect_all<T>(results: impl IntoIterator<Item = Result<T>>) -> Result<Vec<T>> {
    let mut values = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(value) => values.push(value),
            Err(error) => errors.extend(error.into_list()),
        }
    }
    if errors.is_empty() { Ok(values) } else { Err(Error::many(errors)) }
}

/// The closest candidate to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// `path` relative to `root` for messages, or unchanged when outside it.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "date", "summary"];
        assert_eq!(did_you_mean("tittle", keys), Some("title"));
        assert_eq!(did_you_mean("dtae", keys), Some("date"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn location_renders_like_a_compiler() {
        let error = Error::invalid("bad").at(Location::new("content/a.md", 3, 7));
        assert_eq!(error.to_string(), "content/a.md:3:7: bad");
    }
}
