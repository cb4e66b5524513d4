//! YAML mappings → typed values: unknown keys rejected with a suggestion, every
//! error pinned to the file and line it comes from.

use crate::error::{Error, Location, Result, did_you_mean};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Where a YAML document sits inside its file.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// Path relative to the site root, for messages.
    pub path: &'a Path,
    /// Lines of the file before the document starts (1 for a front matter after `---`).
    pub line_offset: usize,
}

impl Origin<'_> {
    /// A location `line` lines into the document (1-based).
    pub fn at(&self, line: usize, col: usize) -> Location {
        Location::new(self.path, line + self.line_offset, col)
    }
}

/// Parses `text` as a mapping whose top-level keys must be among `allowed`.
///
/// `T` must reject unknown fields (`#[serde(deny_unknown_fields)]`): a valid
/// document is then parsed once, and only a failing one is looked at again
/// to report unknown keys by line with a suggestion. Empty documents parse as
/// an empty mapping so that missing required fields are reported by name.
pub fn parse_mapping<T: DeserializeOwned>(text: &str, allowed: &[&str], origin: Origin) -> Result<T> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    if let Ok(value) = serde_yaml::from_str(source) {
        return Ok(value);
    }
    let value: serde_yaml::Value = if text.trim().is_empty() {
        serde_yaml::Value::Mapping(Default::default())
    } else {
        serde_yaml::from_str(text).map_err(|e| yaml_error(e, origin))?
    };
    let mapping = match &value {
        serde_yaml::Value::Mapping(mapping) => mapping,
        _ => {
            return Err(Error::with_help(
                "expected a mapping of `key: value` lines",
                format!("known keys: {}", allowed.join(", ")),
            )
            .at(origin.at(1, 1)));
        }
    };
    let mut errors = Vec::new();
    for key in mapping.keys() {
        let Some(key) = key.as_str() else {
            errors.push(Error::invalid("keys must be plain words").at(origin.at(1, 1)));
            continue;
        };
        if !allowed.contains(&key) {
            let message = format!("unknown key `{key}`");
            let error = match did_you_mean(key, allowed.iter().copied()) {
                Some(near) => Error::with_help(format!("{message}, did you mean `{near}`?"), known(allowed)),
                None => Error::with_help(message, known(allowed)),
            };
            errors.push(error.at(origin.at(key_line(text, key), 1)));
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    // Deserialise from the text, not the `Value`, so serde_yaml can report lines.
    serde_yaml::from_str(source).map_err(|e| yaml_error(e, origin))
}

fn known(allowed: &[&str]) -> String {
    format!("known keys: {}", allowed.join(", "))
}

/// The 1-based line where top-level `key:` is written, or 1 when not found.
pub fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start_matches(['"', '\'']);
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).trim_start().starts_with(':'))
        })
        .map_or(1, |index| index + 1)
}

/// A serde_yaml error as the crate's error, located in the file.
pub fn yaml_error(error: serde_yaml::Error, origin: Origin) -> Error {
    let (line, col) = error.location().map_or((1, 1), |l| (l.line(), l.column()));
    let message = file_positions(&error.to_string(), origin);
    // The location heads the message already; the first position would repeat it.
    let message = match message.find(" at line ") {
        Some(cut) if message[cut..].starts_with(&format!(" at line {}", line + origin.line_offset)) => {
            let rest = message[cut + 9..].trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
            let rest = rest
                .strip_prefix("column")
                .map_or(rest, |r| r.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' '));
            format!("{}{rest}", &message[..cut])
        }
        _ => message,
    };
    let message = message
        .replace("invalid type", "wrong type")
        .replace("unknown field", "unknown key")
        .replace("missing field", "missing key");
    Error::Yaml { message, yaml: error }.at(origin.at(line, col))
}

/// Rewrites serde_yaml's "line N" (counted in the document) as lines of the file.
fn file_positions(message: &str, origin: Origin) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        out.push_str(&rest[..i + 5]);
        rest = &rest[i + 5..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + origin.line_offset).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "fields are read through Debug in assertions")]
    struct Doc {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn origin() -> Origin<'static> {
        Origin { path: Path::new("a.md"), line_offset: 1 }
    }

    #[test]
    fn unknown_key_names_line_and_suggestion() {
        let error = parse_mapping::<Doc>("title: x\ntags: []\ntittle: y\n", &["title", "tags"], origin()).unwrap_err();
        assert_eq!(error.to_string(), "a.md:4:1: unknown key `tittle`, did you mean `title`?");
    }

    #[test]
    fn missing_field_is_named() {
        let error = parse_mapping::<Doc>("tags: []\n", &["title", "tags"], origin()).unwrap_err();
        assert!(error.to_string().contains("missing key `title`"), "{error}");
    }

    #[test]
    fn syntax_error_has_line() {
        let error = parse_mapping::<Doc>("title: x\ntags: [a\n", &["title", "tags"], origin()).unwrap_err();
        assert!(error.to_string().starts_with("a.md:"), "{error}");
        assert!(error.location().unwrap().line >= 3, "{error}");
    }

    #[test]
    fn finds_key_lines() {
        assert_eq!(key_line("a: 1\n\"b\" : 2\n", "b"), 2);
        assert_eq!(key_line("a: 1\n", "zzz"), 1);
    }
}
