//! Annotations in a rendered body: each anchored passage is wrapped in
//! `<mark>` (one per text run, so that a passage crossing emphasis or a link
//! stays well nested), numbered, and its note is placed right after the
//! block, where the theme's CSS moves it into the margin on wide screens.

use super::{MarkdownOptions, render_markdown};
use crate::annotation::{Anchor, Blocks};
use crate::escape;
use crate::model::Annotation;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::fmt::Write;
use std::ops::Range;

/// A paragraph, heading or simple list item, as rendered.
#[derive(Debug, Clone)]
pub struct BlockRecord {
    /// The events of the block's content (without its opening and closing tags).
    pub content: Range<usize>,
    /// Where notes go: the event index after the block's closing tag, or
    /// before the end of a list item.
    pub notes_at: usize,
    /// The index of the block's opening tag event, for paragraphs and headings.
    pub open: Option<usize>,
    /// The block's plain text, as the reader sees it.
    pub text: String,
}

/// What annotating a body produced: the anchors and each note as HTML.
pub struct Annotated {
    pub anchors: Vec<Anchor>,
    pub notes: Vec<String>,
}

/// Anchors `annotations` in `blocks` and rewrites `events` to show them.
pub fn annotate<'a>(
    events: Vec<Event<'a>>,
    blocks: &[BlockRecord],
    annotations: &[Annotation],
    options: &MarkdownOptions,
) -> (Vec<Event<'a>>, Annotated) {
    let index = Blocks::new(blocks.iter().map(|b| b.text.as_str()));
    let anchors: Vec<Anchor> = annotations.iter().map(|a| index.anchor(a)).collect();
    let note_options =
        MarkdownOptions { base_path: options.base_path, mentions: None, annotations: &[], block_ids: false };
    let notes: Vec<String> = annotations.iter().map(|a| render_markdown(&a.note, &note_options).html).collect();

    // Per event index: what to insert before it, and replacements of text events.
    let mut before: Vec<Vec<Event<'a>>> = vec![Vec::new(); events.len() + 1];
    let mut replaced: Vec<Option<Vec<Event<'a>>>> = vec![None; events.len()];
    for (b, block) in blocks.iter().enumerate() {
        let here: Vec<(usize, Range<usize>)> = anchors
            .iter()
            .enumerate()
            .filter_map(|(n, a)| a.span().filter(|s| s.block == b).map(|s| (n, s.start..s.end)))
            .collect();
        if here.is_empty() {
            continue;
        }
        mark_block(&events, block, &here, &mut replaced, &mut before);
        let mut html = String::from("<div class=\"annotation-notes\">");
        for &(n, _) in &here {
            html.push_str(&aside(n, &annotations[n], &anchors[n], &notes[n]));
        }
        html.push_str("</div>");
        if let Some(open) = block.open {
            before[open].push(Event::Html("<div class=\"annotated\">".into()));
            html.push_str("</div>\n");
        }
        before[block.notes_at].push(Event::Html(CowStr::from(html)));
    }

    let mut out = Vec::with_capacity(events.len() + anchors.len() * 8);
    for (i, event) in events.into_iter().enumerate() {
        out.append(&mut before[i]);
        match replaced[i].take() {
            Some(mut parts) => out.append(&mut parts),
            None => out.push(event),
        }
    }
    if let Some(last) = before.last_mut() {
        out.append(last);
    }
    (out, Annotated { anchors, notes })
}

/// Splits the block's text events at the passages' edges and wraps every
/// piece inside a passage in `<mark>`s, one per passage covering it.
fn mark_block<'a>(
    events: &[Event<'a>],
    block: &BlockRecord,
    passages: &[(usize, Range<usize>)],
    replaced: &mut [Option<Vec<Event<'a>>>],
    before: &mut [Vec<Event<'a>>],
) {
    let mut started = vec![false; passages.len()];
    let mut offset = 0;
    // A note number is a link, so one due inside a link waits for its end.
    let mut link_depth = 0usize;
    let mut waiting: Vec<usize> = Vec::new();
    for i in block.content.clone() {
        match &events[i] {
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::Html(html) if html.starts_with("<a ") => link_depth += 1,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Html(html) if html.as_ref() == "</a>" => link_depth = link_depth.saturating_sub(1),
            _ => {}
        }
        if link_depth == 0 && !waiting.is_empty() {
            before[i + 1].extend(waiting.drain(..).map(note_ref));
        }
        let (text, atomic): (&str, bool) = match &events[i] {
            Event::Text(t) => (t, false),
            Event::Code(t) => (t, true),
            Event::SoftBreak | Event::HardBreak => (" ", true),
            _ => continue,
        };
        let span = offset..offset + text.len();
        offset = span.end;
        let covering: Vec<usize> =
            (0..passages.len()).filter(|&k| passages[k].1.start < span.end && span.start < passages[k].1.end).collect();
        if covering.is_empty() {
            continue;
        }
        // Cut points inside this event, at passage edges.
        let mut cuts: Vec<usize> = vec![span.start, span.end];
        if !atomic {
            for &k in &covering {
                for edge in [passages[k].1.start, passages[k].1.end] {
                    if span.start < edge && edge < span.end && text.is_char_boundary(edge - span.start) {
                        cuts.push(edge);
                    }
                }
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut parts = Vec::new();
        for piece in cuts.windows(2) {
            let (from, to) = (piece[0], piece[1]);
            let inside: Vec<usize> =
                covering.iter().copied().filter(|&k| passages[k].1.start < to && from < passages[k].1.end).collect();
            for &k in &inside {
                let id = if started[k] { String::new() } else { format!(" id=\"annotation-{}\"", passages[k].0 + 1) };
                started[k] = true;
                parts.push(Event::Html(CowStr::from(format!("<mark class=\"annotation\"{id}>"))));
            }
            parts.push(if atomic {
                events[i].clone()
            } else {
                Event::Text(CowStr::from(text[from - span.start..to - span.start].to_string()))
            });
            for &k in inside.iter().rev() {
                parts.push(Event::Html("</mark>".into()));
                if to >= passages[k].1.end {
                    if link_depth == 0 {
                        parts.push(note_ref(passages[k].0));
                    } else {
                        waiting.push(passages[k].0);
                    }
                }
            }
        }
        replaced[i] = Some(parts);
    }
}

/// The number after a passage, linking to its note.
fn note_ref<'a>(n: usize) -> Event<'a> {
    let n = n + 1;
    Event::Html(CowStr::from(format!(
        "<sup class=\"annotation-ref\"><a href=\"#note-{n}\"><span class=\"visually-hidden\">note </span>{n}</a></sup>"
    )))
}

/// The note beside a passage.
fn aside(n: usize, annotation: &Annotation, anchor: &Anchor, note_html: &str) -> String {
    let number = n + 1;
    let mut html = format!(
        "<aside class=\"annotation-note\" id=\"note-{number}\" aria-label=\"Note {number}\"><p class=\"annotation-meta\"><a class=\"annotation-number\" href=\"#annotation-{number}\">{number}</a>"
    );
    if let Some(author) = &annotation.author {
        let _ = write!(html, " <span class=\"annotation-author\">{}</span>", escape::html(author));
    }
    if let Some(date) = &annotation.date {
        let _ = write!(html, " <span class=\"annotation-date\">{}</span>", escape::html(date));
    }
    for tag in &annotation.tags {
        let _ = write!(html, " <span class=\"annotation-tag\">{}</span>", escape::html(tag));
    }
    html.push_str("</p>");
    if matches!(anchor, Anchor::Moved(..)) {
        html.push_str("<p class=\"annotation-moved\">The annotated passage changed; this is the closest match.</p>");
    }
    html.push_str(note_html);
    html.push_str("</aside>");
    html
}
