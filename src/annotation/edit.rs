//! Adding annotations to a briefing's file. The new entry is written into
//! the front matter's `annotations:` list as text, so every other line of
//! the file (comments, key order, quoting) stays exactly as it was; the
//! result is parsed again before it is written.

use crate::error::{Error, Location, Result};
use crate::load::{ContentKind, Loaded, parse_content};
use crate::model::Annotation;
use std::path::Path;

/// `text` (a briefing's file) with `annotation` as item `index` of its
/// `annotations:` list (appended when `index` is past the end).
pub fn insert_annotation(text: &str, path: &Path, annotation: &Annotation, index: usize) -> Result<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let close = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "---")
        .map(|(i, _)| i)
        .ok_or_else(|| Error::invalid("front matter is not closed").at(Location::new(path, 1, 1)))?;
    let key = (1..close).find(|&i| lines[i].starts_with("annotations:"));
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match key {
        None => {
            out.insert(close, format!("annotations:\n{}", entry(annotation, "  ")));
        }
        Some(k) => {
            let value = lines[k]["annotations:".len()..].trim();
            let value = value.split(" #").next().unwrap_or("").trim();
            if value == "[]" || value.is_empty() && !has_items(&lines[k + 1..close]) {
                out[k] = format!("annotations:\n{}", entry(annotation, "  "));
            } else if !value.is_empty() {
                return Err(Error::with_help(
                    "`annotations` is written on one line, which cannot be added to without rewriting it",
                    "write it as a list, one `- quote: …` entry per annotation",
                )
                .at(Location::new(path, k + 1, 1)));
            } else {
                let (at, indent) = item_position(&lines[k + 1..close], index);
                out.insert(k + 1 + at, entry(annotation, &indent));
            }
        }
    }
    let edited: String = out.concat();
    check_added(&edited, text, path)?;
    Ok(edited)
}

/// Whether the lines under a key hold list items.
fn has_items(lines: &[&str]) -> bool {
    lines.iter().take_while(|l| !is_top_level(l)).any(|l| l.trim_start().starts_with("- "))
}

/// Where item `index` of a block list starts (or where the list ends), as a
/// line offset, and the list's indentation.
fn item_position(lines: &[&str], index: usize) -> (usize, String) {
    let region = lines.iter().take_while(|l| !is_top_level(l)).count();
    let starts: Vec<usize> = (0..region).filter(|&i| lines[i].trim_start().starts_with("- ")).collect();
    let indent = starts.first().map_or("  ".to_string(), |&i| {
        let line = lines[i];
        line[..line.len() - line.trim_start().len()].to_string()
    });
    let items: Vec<usize> =
        starts.into_iter().filter(|&i| lines[i].len() - lines[i].trim_start().len() == indent.len()).collect();
    match items.get(index) {
        Some(&at) => (at, indent),
        // After the last item's lines, before blank lines and comments that end the region.
        None => {
            let end =
                (0..region).rev().find(|&i| !lines[i].trim().is_empty() && !lines[i].trim_start().starts_with('#'));
            (end.map_or(0, |e| e + 1), indent)
        }
    }
}

/// A line holding a top-level key (or the end of the front matter).
fn is_top_level(line: &str) -> bool {
    let first = line.chars().next();
    first.is_some_and(|c| !c.is_whitespace() && c != '-' && c != '#')
}

/// One list item, with values as YAML double-quoted strings (JSON's escapes
/// are YAML's).
fn entry(annotation: &Annotation, indent: &str) -> String {
    let quoted = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let mut out = format!("{indent}- quote: {}\n", quoted(&annotation.quote));
    let field = |out: &mut String, key: &str, value: String| out.push_str(&format!("{indent}  {key}: {value}\n"));
    if let Some(prefix) = &annotation.prefix {
        field(&mut out, "prefix", quoted(prefix));
    }
    if let Some(suffix) = &annotation.suffix {
        field(&mut out, "suffix", quoted(suffix));
    }
    field(&mut out, "note", quoted(&annotation.note));
    if !annotation.tags.is_empty() {
        let tags: Vec<String> = annotation.tags.iter().map(|t| quoted(t)).collect();
        field(&mut out, "tags", format!("[{}]", tags.join(", ")));
    }
    if let Some(author) = &annotation.author {
        field(&mut out, "author", quoted(author));
    }
    if let Some(date) = &annotation.date {
        field(&mut out, "date", quoted(date));
    }
    if let Some(position) = annotation.position {
        field(&mut out, "position", position.to_string());
    }
    out
}

/// The edited file must parse, with exactly one more annotation.
fn check_added(edited: &str, original: &str, path: &Path) -> Result<()> {
    let count = |text: &str| match parse_content(ContentKind::Briefing, path, text)? {
        Loaded::Briefing(b) => Ok(b.annotations.len()),
        _ => unreachable!("parsed as a briefing"),
    };
    let before = count(original)?;
    let after = count(edited).map_err(|e| {
        Error::with_help(format!("adding the annotation would break the file: {e}"), "add it by hand")
            .at(Location::new(path, 1, 1))
    })?;
    if after != before + 1 {
        return Err(
            Error::invalid("the annotation could not be added to the front matter").at(Location::new(path, 1, 1))
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotation(quote: &str) -> Annotation {
        Annotation {
            quote: quote.into(),
            note: "A \"quoted\" note\nover two lines.".into(),
            prefix: None,
            suffix: None,
            tags: vec!["t1".into()],
            author: None,
            date: Some("2025-01-02".into()),
            position: Some(12),
        }
    }

    #[test]
    fn a_first_annotation_starts_a_list_and_the_rest_is_untouched() {
        let text = "---\ntitle: \"T\"  # my title\nactors: [nato]\n---\nBody: here.\n";
        let out = insert_annotation(text, Path::new("b.md"), &annotation("Body"), 0).unwrap();
        assert_eq!(
            out,
            "---\ntitle: \"T\"  # my title\nactors: [nato]\nannotations:\n  - quote: \"Body\"\n    note: \"A \\\"quoted\\\" note\\nover two lines.\"\n    tags: [\"t1\"]\n    date: \"2025-01-02\"\n    position: 12\n---\nBody: here.\n"
        );
        let empty = "---\ntitle: T\nannotations: []\ndraft: false\n---\nBody.\n";
        let out = insert_annotation(empty, Path::new("b.md"), &annotation("Body"), 0).unwrap();
        assert!(out.starts_with("---\ntitle: T\nannotations:\n  - quote: \"Body\"\n"), "{out}");
        assert!(out.contains("    position: 12\ndraft: false\n---\n"), "{out}");
    }

    #[test]
    fn items_go_in_reading_order_keeping_comments_and_indentation() {
        let text = "---\ntitle: T\nannotations:\n# first\n- quote: \"a\"\n  note: \"x\"\n- quote: \"c\"\n  note: \"y\"\n\nactors: [nato]\n---\na b c\n";
        let out = insert_annotation(text, Path::new("b.md"), &annotation("b"), 1).unwrap();
        assert!(out.contains("  note: \"x\"\n- quote: \"b\"\n  note: "), "{out}");
        let out = insert_annotation(text, Path::new("b.md"), &annotation("b"), 9).unwrap();
        assert!(out.contains("  note: \"y\"\n- quote: \"b\"\n"), "{out}");
        assert!(out.contains("position: 12\n\nactors: [nato]\n"), "{out}");
    }

    #[test]
    fn one_line_lists_are_not_rewritten() {
        let text = "---\ntitle: T\nannotations: [{quote: a, note: b}]\n---\na\n";
        let error = insert_annotation(text, Path::new("b.md"), &annotation("a"), 1).unwrap_err();
        assert!(error.to_string().starts_with("b.md:3:1: `annotations` is written on one line"), "{error}");
    }
}
