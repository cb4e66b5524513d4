//! Annotations on pages: the notes of a briefing, listed at its end (and
//! apart when their passage changed), and the `/annotations/` page that
//! collects every note of the archive by tag.

use super::context::*;
use super::{RenderedPage, Renderer};
use crate::annotation::Anchor;
use crate::error::Result;
use crate::markdown::BodyHtml;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The id of the list of a briefing's orphaned notes.
const ORPHANS_ID: &str = "notes-passage-changed";

impl<'a> Renderer<'a> {
    /// Briefing `b`'s notes: those anchored in the body, then the orphans.
    pub(super) fn annotation_contexts<'n>(
        &self,
        b: usize,
        anchors: &[Anchor],
        notes: &'n [String],
    ) -> (Vec<AnnotationContext<'n>>, Vec<AnnotationContext<'n>>)
    where
        'a: 'n,
    {
        let briefing = &self.cx.archive.briefings[b];
        let page = self.cx.url(&briefing_path(briefing));
        let mut anchored = Vec::new();
        let mut orphans = Vec::new();
        for (i, (annotation, anchor)) in briefing.annotations.iter().zip(anchors).enumerate() {
            let number = i + 1;
            let (state, fragment) = match anchor {
                Anchor::Found(_) => ("found", format!("annotation-{number}")),
                Anchor::Ambiguous(..) => ("ambiguous", format!("annotation-{number}")),
                Anchor::Moved(..) => ("moved", format!("annotation-{number}")),
                Anchor::Orphan(_) => ("orphan", ORPHANS_ID.to_string()),
            };
            let context = AnnotationContext {
                number,
                quote: &annotation.quote,
                note: &notes[i],
                tags: &annotation.tags,
                author: annotation.author.as_deref(),
                date: annotation.date.as_deref(),
                state,
                url: format!("{page}#{fragment}"),
            };
            if state == "orphan" { orphans.push(context) } else { anchored.push(context) }
        }
        (anchored, orphans)
    }

    /// `/annotations/`: every note of the archive, grouped by tag (a note
    /// with several tags is under each), newest briefing first; untagged last.
    pub fn annotations_page(&self, found: &[Arc<BodyHtml>]) -> Result<RenderedPage> {
        let mut by_tag: BTreeMap<(String, String), Vec<ArchiveNote>> = BTreeMap::new();
        let mut untagged = Vec::new();
        for &b in &self.cx.index.timeline {
            let (anchored, orphans) = self.annotation_contexts(b, &found[b].anchors, &found[b].notes);
            for annotation in anchored.into_iter().chain(orphans) {
                let note = ArchiveNote { briefing: self.cx.teaser_value(b), annotation };
                if note.annotation.tags.is_empty() {
                    untagged.push(note);
                    continue;
                }
                for tag in note.annotation.tags {
                    by_tag.entry((tag.to_lowercase(), tag.clone())).or_default().push(note.clone());
                }
            }
        }
        let mut groups: Vec<AnnotationGroup> =
            by_tag.into_iter().map(|((_, tag), items)| AnnotationGroup { tag, items }).collect();
        if !untagged.is_empty() {
            groups.push(AnnotationGroup { tag: "Untagged".to_string(), items: untagged });
        }
        let total: usize = found.iter().map(|f| f.anchors.len()).sum();
        let mut meta =
            self.meta("annotations", "Annotations", "Every analyst note in the archive, by tag", "annotations/", None);
        meta.code = found.iter().flat_map(|f| &f.notes).any(|n| crate::markdown::has_code(n));
        let context = AnnotationsContext { groups, total };
        self.render("annotations.html", "annotations/index.html".into(), meta, "annotations", &context)
    }
}
