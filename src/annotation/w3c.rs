//! W3C Web Annotation (JSON-LD), the format web annotation tools exchange:
//! each note becomes an `Annotation` whose target is the briefing's
//! published URL, selected by a `TextQuoteSelector` (exact, prefix, suffix)
//! and a `TextPositionSelector` (characters of the page's normalised text).

use crate::model::Annotation;
use serde_json::{Value, json};

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// One note with what its W3C form needs besides the note itself.
pub struct Exported<'a> {
    pub annotation: &'a Annotation,
    /// The briefing's published URL.
    pub page: &'a str,
    /// 1-based number of the note on its page.
    pub number: usize,
    /// Where the passage is in the page's normalised text, when it is found.
    pub position: Option<(usize, usize)>,
}

/// An `AnnotationCollection` holding every note in one page.
pub fn collection(id: &str, label: &str, notes: &[Exported]) -> Value {
    let items: Vec<Value> = notes.iter().map(to_w3c).collect();
    json!({
        "@context": CONTEXT,
        "id": id,
        "type": "AnnotationCollection",
        "label": label,
        "total": items.len(),
        "first": { "type": "AnnotationPage", "startIndex": 0, "items": items },
    })
}

fn to_w3c(note: &Exported) -> Value {
    let a = note.annotation;
    let mut body = vec![json!({
        "type": "TextualBody",
        "value": a.note,
        "format": "text/markdown",
        "purpose": "commenting",
    })];
    body.extend(a.tags.iter().map(|t| json!({ "type": "TextualBody", "value": t, "purpose": "tagging" })));
    let mut quote = json!({ "type": "TextQuoteSelector", "exact": a.quote });
    if let Some(prefix) = &a.prefix {
        quote["prefix"] = json!(prefix);
    }
    if let Some(suffix) = &a.suffix {
        quote["suffix"] = json!(suffix);
    }
    let mut selectors = vec![quote];
    if let Some((start, end)) = note.position {
        selectors.push(json!({ "type": "TextPositionSelector", "start": start, "end": end }));
    }
    let mut out = json!({
        "@context": CONTEXT,
        "id": format!("{}#annotation-{}", note.page, note.number),
        "type": "Annotation",
        "motivation": "commenting",
        "body": body,
        "target": { "source": note.page, "selector": selectors },
    });
    if let Some(author) = &a.author {
        out["creator"] = json!({ "type": "Person", "name": author });
    }
    if let Some(date) = &a.date {
        out["created"] = json!(date);
    }
    out
}

/// A note read from W3C JSON, with the page it targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub page: String,
    pub annotation: Annotation,
}

/// Reads annotations from a single `Annotation`, a list of them, an
/// `AnnotationPage` or an `AnnotationCollection` with its first page inline.
/// Entries that cannot be read are returned as messages, by position.
pub fn from_w3c(document: &Value) -> (Vec<Imported>, Vec<String>) {
    let items: Vec<&Value> = match document {
        Value::Array(items) => items.iter().collect(),
        Value::Object(map) => match map.get("type").and_then(Value::as_str) {
            Some("AnnotationCollection") => document
                .pointer("/first/items")
                .and_then(Value::as_array)
                .map(|i| i.iter().collect())
                .unwrap_or_default(),
            Some("AnnotationPage") => {
                map.get("items").and_then(Value::as_array).map(|i| i.iter().collect()).unwrap_or_default()
            }
            _ => vec![document],
        },
        _ => Vec::new(),
    };
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match read_one(item) {
            Ok(imported) => found.push(imported),
            Err(problem) => problems.push(format!("annotation {}: {problem}", i + 1)),
        }
    }
    if items.is_empty() {
        problems.push(
            "no annotations found: expected an Annotation, a list, an AnnotationPage or an AnnotationCollection".into(),
        );
    }
    (found, problems)
}

fn read_one(item: &Value) -> Result<Imported, String> {
    if item.get("type").and_then(Value::as_str) != Some("Annotation") {
        return Err("not of type `Annotation`".into());
    }
    let target = match item.get("target") {
        Some(Value::Array(targets)) => targets.first().cloned().unwrap_or(Value::Null),
        Some(target) => target.clone(),
        None => return Err("no `target`".into()),
    };
    let page = match &target {
        Value::String(url) => url.clone(),
        other => other.get("source").and_then(Value::as_str).ok_or("the target has no `source`")?.to_string(),
    };
    let selectors: Vec<&Value> = match target.get("selector") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let of_type = |kind: &str| selectors.iter().find(|s| s.get("type").and_then(Value::as_str) == Some(kind));
    let quote_selector = of_type("TextQuoteSelector").ok_or("no `TextQuoteSelector` names the passage")?;
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let quote = text(quote_selector, "exact").ok_or("the `TextQuoteSelector` has no `exact` text")?;

    let bodies: Vec<&Value> = match item.get("body") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut note = item.get("bodyValue").and_then(Value::as_str).map(str::to_string);
    let mut tags = Vec::new();
    for body in bodies {
        let (Some(value), purpose) = (text(body, "value"), body.get("purpose").and_then(Value::as_str)) else {
            continue;
        };
        match purpose {
            Some("tagging") => tags.push(value),
            _ if note.is_none() => note = Some(value),
            _ => {}
        }
    }
    let note = note.filter(|n| !n.trim().is_empty()).ok_or("no note: the body has no text")?;
    let author = match item.get("creator") {
        Some(Value::String(name)) => Some(name.clone()),
        Some(creator) => text(creator, "name").or_else(|| text(creator, "nickname")),
        None => None,
    };
    let date = text(item, "created").map(|d| d.chars().take(10).collect());
    let position = of_type("TextPositionSelector")
        .and_then(|s| s.get("start"))
        .and_then(Value::as_u64)
        .and_then(|start| usize::try_from(start).ok());
    Ok(Imported {
        page,
        annotation: Annotation {
            quote,
            note,
            prefix: text(quote_selector, "prefix"),
            suffix: text(quote_selector, "suffix"),
            tags,
            author,
            date,
            position,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_survives_the_round_trip() {
        let annotation = Annotation {
            quote: "the talks".into(),
            note: "Which *talks*?".into(),
            prefix: Some("Later,".into()),
            suffix: None,
            tags: vec!["venue".into(), "timing".into()],
            author: Some("A. Analyst".into()),
            date: Some("2025-03-11".into()),
            position: Some(7),
        };
        let page = "https://example.org/briefings/summit/";
        let document = collection(
            "https://example.org/annotations/",
            "Notes",
            &[Exported { annotation: &annotation, page, number: 2, position: Some((7, 16)) }],
        );
        let item = &document["first"]["items"][0];
        assert_eq!(item["id"], "https://example.org/briefings/summit/#annotation-2");
        assert_eq!(item["target"]["selector"][0]["prefix"], "Later,");
        assert_eq!(item["target"]["selector"][1]["end"], 16);
        let (found, problems) = from_w3c(&document);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found, vec![Imported { page: page.into(), annotation }]);
    }

    #[test]
    fn other_tools_shapes_are_read_and_bad_entries_named() {
        let document = json!([
            { "type": "Annotation", "bodyValue": "Short note", "creator": "someone",
              "target": { "source": "https://x.org/briefings/a/", "selector": { "type": "TextQuoteSelector", "exact": "words" } } },
            { "type": "Annotation", "body": { "type": "TextualBody", "value": "no target" } },
            { "type": "Annotation", "target": "https://x.org/briefings/a/", "bodyValue": "x" }
        ]);
        let (found, problems) = from_w3c(&document);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].annotation.author.as_deref(), Some("someone"));
        assert_eq!(problems, ["annotation 2: no `target`", "annotation 3: no `TextQuoteSelector` names the passage"]);
    }
}
