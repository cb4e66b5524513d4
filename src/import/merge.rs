//! Writing an imported briefing without losing the analyst's work.
//!
//! The importer owns the body and the fields it fills (title, date, summary,
//! source, topics, actors), and records a fingerprint of each in
//! `source.imported`. On re-import a field whose text still matches its
//! fingerprint is replaced; one that does not was edited by hand and is kept.
//! Actors and topics are merged item by item: ones the analyst added stay,
//! ones the analyst removed stay removed. Every other key (annotations,
//! draft, …) is kept byte for byte, since the front matter is edited as text.

use super::tagging::Tagger;
use crate::error::{Error, Location, Result};
use crate::load::{Split, split_front_matter};
use crate::model::{ImportRecord, Slug, Source};
use crate::yaml::{Origin, yaml_error};
use chrono::NaiveDate;
use serde_yaml::{Mapping, Value};
use std::path::Path;

/// What the importer makes of a source.
#[derive(Debug, Clone)]
pub struct Generated {
    pub title: String,
    pub date: Option<NaiveDate>,
    pub summary: String,
    pub source: Source,
    pub topics: Vec<Slug>,
    pub actors: Vec<Slug>,
    pub body: String,
}

/// The file to write, and what was kept of the analyst's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// Fields kept because the analyst edited them.
    pub kept: Vec<&'static str>,
    /// Quotes of annotations that no longer match the body.
    pub unmatched: Vec<String>,
}

/// The order the importer writes its keys in.
const ORDER: &[&str] = &["title", "date", "summary", "source", "topics", "actors"];

/// A new briefing file.
pub fn new_file(generated: &Generated) -> String {
    let mut front = FrontMatter::default();
    let record = record_of(generated);
    front.set("title", Some(scalar_entry("title", &generated.title)));
    front.set("date", generated.date.map(|d| format!("date: {d}\n")));
    front.set("summary", Some(scalar_entry("summary", &generated.summary)));
    front.set("source", Some(source_entry(&generated.source, &record)));
    front.set("topics", list_entry("topics", &record.topics));
    front.set("actors", list_entry("actors", &record.actors));
    format!("---\n{}---\n{}", front.render(), generated.body)
}

/// Merges a re-import into the existing file `text` (at `path`, for errors).
pub fn merge(text: &str, path: &Path, generated: &Generated, tagger: &Tagger) -> Result<Merged> {
    let (split, values) = front_matter_of(text, path)?;
    let previous: ImportRecord = values
        .get("source")
        .and_then(|s| s.get("imported"))
        .and_then(|r| serde_yaml::from_value(r.clone()).ok())
        .unwrap_or_else(|| ImportRecord {
            title: "-".into(),
            date: "-".into(),
            summary: "-".into(),
            body: "-".into(),
            ..Default::default()
        });
    let record = record_of(generated);
    let mut front = FrontMatter::parse(split.yaml);
    let mut kept = Vec::new();

    let str_of = |key: &str| values.get(key).map(value_text).unwrap_or_default();
    for (key, fresh) in [
        ("title", Some(scalar_entry("title", &generated.title))),
        ("date", generated.date.map(|d| format!("date: {d}\n"))),
        ("summary", Some(scalar_entry("summary", &generated.summary))),
    ] {
        let recorded = match key {
            "title" => &previous.title,
            "date" => &previous.date,
            _ => &previous.summary,
        };
        let current = str_of(key);
        let unchanged = fingerprint(&current) == *recorded || current.trim() == fresh_value(key, generated);
        if unchanged {
            front.set(key, fresh);
        } else {
            kept.push(key);
        }
    }

    for (key, fresh) in [("topics", &record.topics), ("actors", &record.actors)] {
        let key_of = |r: &str| if key == "topics" { tagger.topic_key(r) } else { tagger.actor_key(r) };
        let current: Vec<String> = values
            .get(key)
            .and_then(Value::as_sequence)
            .map(|items| items.iter().map(value_text).collect())
            .unwrap_or_default();
        let before = if key == "topics" { &previous.topics } else { &previous.actors };
        let before: Vec<String> = before.iter().map(|r| key_of(r)).collect();
        let current_keys: Vec<String> = current.iter().map(|r| key_of(r)).collect();
        // The analyst's list, in the analyst's order, less what the importer
        // found before and no longer finds; then what it newly finds. What
        // the analyst removed stays removed.
        let fresh_keys: Vec<String> = fresh.iter().map(|f| key_of(f)).collect();
        let mut merged: Vec<String> = current
            .iter()
            .zip(&current_keys)
            .filter(|(_, k)| !before.contains(k) || fresh_keys.contains(k))
            .map(|(item, _)| item.clone())
            .collect();
        for (item, item_key) in fresh.iter().zip(&fresh_keys) {
            let known = before.contains(item_key) || merged.iter().any(|m| key_of(m) == *item_key);
            if !known {
                merged.push(item.clone());
            }
        }
        let analyst_changed =
            current_keys.iter().any(|k| !before.contains(k)) || before.iter().any(|b| !current_keys.contains(b));
        if analyst_changed {
            kept.push(key);
        }
        front.set(key, list_entry(key, &merged));
    }

    // The analyst may have added a URL or publisher the source does not give.
    let mut source = generated.source.clone();
    let old_source = values.get("source");
    let old_field = |field: &str| old_source.and_then(|s| s.get(field)).and_then(Value::as_str).map(str::to_string);
    source.url = source.url.or_else(|| old_field("url"));
    source.publisher = source.publisher.or_else(|| old_field("publisher"));
    front.set("source", Some(source_entry(&source, &record)));

    let body = if fingerprint(split.body) == previous.body || split.body.trim() == generated.body.trim() {
        generated.body.as_str()
    } else {
        kept.push("body");
        split.body
    };
    let unmatched = unmatched_annotations(&values, body);
    Ok(Merged { text: format!("---\n{}---\n{}", front.render(), body), kept, unmatched })
}

/// The front matter of an existing briefing, as a mapping; an error names
/// the file and line, since an import cannot safely update what it cannot read.
pub fn front_matter_of<'t>(text: &'t str, path: &Path) -> Result<(Split<'t>, Mapping)> {
    let split = split_front_matter(text).map_err(|_| {
        Error::with_help("missing or unclosed front matter", "fix the `---` fences, then import again")
            .at(Location::new(path, 1, 1))
    })?;
    let values = serde_yaml::from_str(split.yaml).map_err(|e| yaml_error(e, Origin { path, line_offset: 1 }))?;
    Ok((split, values))
}

fn fresh_value(key: &str, generated: &Generated) -> String {
    match key {
        "title" => generated.title.clone(),
        "date" => generated.date.map(|d| d.to_string()).unwrap_or_default(),
        _ => generated.summary.clone(),
    }
}

fn record_of(generated: &Generated) -> ImportRecord {
    ImportRecord {
        title: fingerprint(&generated.title),
        date: fingerprint(&generated.date.map(|d| d.to_string()).unwrap_or_default()),
        summary: fingerprint(&generated.summary),
        body: fingerprint(&generated.body),
        topics: generated.topics.iter().map(Slug::to_string).collect(),
        actors: generated.actors.iter().map(Slug::to_string).collect(),
    }
}

/// A short, stable fingerprint of a field's text.
pub fn fingerprint(text: &str) -> String {
    format!("{:08x}", xxhash_rust::xxh3::xxh3_64(text.trim().as_bytes()) as u32)
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => serde_yaml::to_string(other).unwrap_or_default().trim().to_string(),
    }
}

/// Quotes of annotations that occur nowhere in the body any more.
fn unmatched_annotations(values: &Mapping, body: &str) -> Vec<String> {
    let Some(annotations) = values.get("annotations").and_then(Value::as_sequence) else { return Vec::new() };
    let plain = crate::markdown::plain_text(body);
    annotations
        .iter()
        .filter_map(|a| a.get("quote").and_then(Value::as_str))
        .filter(|quote| crate::passage::occurrences(&plain, quote) == 0)
        .map(str::to_string)
        .collect()
}

/// `key: "value"` with the value as a YAML double-quoted string (JSON's
/// escapes are YAML's).
fn scalar_entry(key: &str, value: &str) -> String {
    format!("{key}: {}\n", serde_json::to_string(value).expect("strings serialise"))
}

fn list_entry(key: &str, items: &[String]) -> Option<String> {
    (!items.is_empty())
        .then(|| format!("{key}: [{}]\n", items.iter().map(|i| plain_scalar(i)).collect::<Vec<_>>().join(", ")))
}

/// A slug or name written bare when YAML reads it back as the same string.
fn plain_scalar(text: &str) -> String {
    let bare = text.chars().all(|c| c.is_alphanumeric() || c == '-' || c == ' ')
        && text.chars().next().is_some_and(char::is_alphabetic)
        && !matches!(text.to_lowercase().as_str(), "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n");
    if bare { text.to_string() } else { serde_json::to_string(text).expect("strings serialise") }
}

fn source_entry(source: &Source, record: &ImportRecord) -> String {
    let quoted = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let mut out = String::from("source:\n");
    for (field, value) in
        [("file", &source.file), ("sha256", &source.sha256), ("url", &source.url), ("publisher", &source.publisher)]
    {
        if let Some(value) = value {
            out.push_str(&format!("  {field}: {}\n", quoted(value)));
        }
    }
    let list = |items: &[String]| items.iter().map(|i| plain_scalar(i)).collect::<Vec<_>>().join(", ");
    out.push_str(&format!(
        "  imported: {{ title: {}, date: {}, summary: {}, body: {}, topics: [{}], actors: [{}] }}\n",
        quoted(&record.title),
        quoted(&record.date),
        quoted(&record.summary),
        quoted(&record.body),
        list(&record.topics),
        list(&record.actors)
    ));
    out
}

/// A front matter as top-level entries of text, so that keys the importer
/// does not own (and comments) stay exactly as written.
#[derive(Debug, Default)]
struct FrontMatter {
    /// `(key, text)`; the text runs from the key's line to the next key's.
    entries: Vec<(Option<String>, String)>,
}

impl FrontMatter {
    fn parse(yaml: &str) -> FrontMatter {
        let mut entries: Vec<(Option<String>, String)> = Vec::new();
        for line in yaml.split_inclusive('\n') {
            match top_level_key(line) {
                Some(key) => entries.push((Some(key.to_string()), line.to_string())),
                None => match entries.last_mut() {
                    Some((_, text)) => text.push_str(line),
                    None => entries.push((None, line.to_string())),
                },
            }
        }
        if let Some((_, text)) = entries.last_mut()
            && !text.ends_with('\n')
        {
            text.push('\n');
        }
        FrontMatter { entries }
    }

    /// Replaces, inserts (in the importer's order) or, with `None`, removes `key`.
    fn set(&mut self, key: &str, text: Option<String>) {
        let existing = self.entries.iter().position(|(k, _)| k.as_deref() == Some(key));
        match (existing, text) {
            (Some(i), Some(text)) => self.entries[i].1 = text,
            (Some(i), None) => {
                self.entries.remove(i);
            }
            (None, Some(text)) => {
                let rank = ORDER.iter().position(|k| *k == key).unwrap_or(ORDER.len());
                let at = self
                    .entries
                    .iter()
                    .rposition(|(k, _)| k.as_deref().is_some_and(|k| ORDER[..rank].contains(&k)))
                    .map_or_else(
                        || self.entries.iter().position(|(k, _)| k.is_some()).unwrap_or(self.entries.len()),
                        |i| i + 1,
                    );
                self.entries.insert(at, (Some(key.to_string()), text));
            }
            (None, None) => {}
        }
    }

    fn render(&self) -> String {
        self.entries.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// The key a line starts at the top level of a mapping (`key:` at column 0).
fn top_level_key(line: &str) -> Option<&str> {
    let end = line.find(':')?;
    let key = &line[..end];
    let valid = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let after = line[end + 1..].chars().next();
    (valid && after.is_none_or(char::is_whitespace)).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Archive;

    fn generated() -> Generated {
        Generated {
            title: "Headline".into(),
            date: None,
            summary: "Lead sentence.".into(),
            source: Source { file: Some("sources/a.txt".into()), sha256: Some("abc".into()), ..Default::default() },
            topics: vec![Slug::from_text("security-guarantees")],
            actors: vec![Slug::from_text("nato"), Slug::from_text("ukraine")],
            body: "Lead sentence. The quoted passage is here.\n".into(),
        }
    }

    fn tagger() -> Tagger {
        Tagger::new(&Archive::default())
    }

    #[test]
    fn new_files_read_back_as_what_was_generated() {
        let text = new_file(&generated());
        assert!(
            text.starts_with(
                "---\ntitle: \"Headline\"\nsummary: \"Lead sentence.\"\nsource:\n  file: \"sources/a.txt\""
            ),
            "{text}"
        );
        assert!(text.contains("topics: [security-guarantees]\nactors: [nato, ukraine]\n---\nLead sentence."), "{text}");
        let merged = merge(&text, Path::new("x.md"), &generated(), &tagger()).unwrap();
        assert_eq!(merged.text, text, "re-importing the same source changes nothing");
        assert!(merged.kept.is_empty());
    }

    #[test]
    fn the_analysts_edits_and_annotations_survive_a_changed_source() {
        let original = new_file(&generated());
        let edited = original
            .replace("title: \"Headline\"", "title: \"My better headline\"")
            .replace("\nactors: [nato, ukraine]\n", "\nactors: [nato, ukraine, germany]\n")
            .replace("---\nLead", "annotations:\n  # why this matters\n  - quote: \"quoted passage\"\n    note: \"Key.\"\n  - quote: \"gone passage\"\n    note: \"Lost?\"\n---\nLead");
        let mut changed = generated();
        changed.title = "Headline, revised".into();
        changed.summary = "New lead.".into();
        changed.body = "New lead. The quoted passage is still here.\n".into();
        changed.actors = vec![Slug::from_text("nato"), Slug::from_text("russia")];
        let merged = merge(&edited, Path::new("x.md"), &changed, &tagger()).unwrap();
        assert!(merged.text.contains("title: \"My better headline\""), "{}", merged.text);
        assert!(merged.text.contains("summary: \"New lead.\""), "{}", merged.text);
        assert!(merged.text.contains("\nactors: [nato, germany, russia]\n"), "{}", merged.text);
        assert!(merged.text.contains("  # why this matters\n  - quote: \"quoted passage\""), "{}", merged.text);
        assert!(merged.text.ends_with("---\nNew lead. The quoted passage is still here.\n"), "{}", merged.text);
        assert_eq!(merged.kept, vec!["title", "actors"]);
        assert_eq!(merged.unmatched, vec!["gone passage"]);
    }

    #[test]
    fn removed_actors_stay_removed_and_hand_edited_bodies_stay() {
        let original = new_file(&generated());
        let edited = original
            .replace("\nactors: [nato, ukraine]\n", "\nactors: [nato]\n")
            .replace("quoted passage", "quoted, corrected passage");
        let merged = merge(&edited, Path::new("x.md"), &generated(), &tagger()).unwrap();
        assert!(merged.text.contains("actors: [nato]\n"), "{}", merged.text);
        assert!(merged.text.contains("quoted, corrected passage"), "{}", merged.text);
        assert_eq!(merged.kept, vec!["actors", "body"]);
    }
}
