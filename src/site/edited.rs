//! Rebuilds after edits that leave every other page as it was: when the
//! site index is the one the last render used and the edited briefings kept
//! their address, title, date and summary, an edit can only change the
//! briefing's own page and search file, the actor pages quoting its
//! mentions and the annotations page. Only those are checked; every other
//! output keeps the fingerprint the memo holds, without being looked at.

use super::{Prepared, Rendered, SearchOutcome, Sink, StageTimes, annotation_warnings, body_parts};
use crate::chart::Pictures;
use crate::error::{Error, Result};
use crate::link::SiteIndex;
use crate::markdown::FoundMention;
use crate::memo::Memo;
use crate::model::{Actor, Briefing, Topic};
use crate::render::{BodyNotes, RenderedPage, Renderer, SiteParts};
use crate::search::{DocTerms, FacetNames};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// What a live session keeps of its last render, for [`render_edited`].
pub struct Carry {
    /// The briefings as rendered; an edited one is a new `Arc` from the load cache.
    briefings: Vec<Arc<Briefing>>,
    actors: Vec<Actor>,
    topics: Vec<Topic>,
    index: Arc<SiteIndex>,
    parts: Parts,
    names: FacetNames,
    /// Pages, feeds and files of the site, for the summary.
    counts: [usize; 3],
    /// The last render checked only edited briefings' outputs.
    narrow: bool,
    /// Keys of the bodies it replaced, to drop from the memo.
    replaced: Vec<u64>,
}

/// Per briefing (then per actor and topic, for search records), what later
/// pages use of a render.
pub(super) struct Parts {
    pub pictures: Arc<Pictures>,
    /// Fingerprints of the teasers, which the edits it allows leave as they are.
    pub teasers: Arc<Vec<u64>>,
    pub body_keys: Vec<u64>,
    pub mentions: Vec<Vec<FoundMention>>,
    pub notes: Vec<BodyNotes>,
    /// Search records of every page, by page id.
    pub docs: Vec<Arc<DocTerms>>,
}

impl Carry {
    pub(super) fn new(site: &Prepared, parts: Parts, counts: [usize; 3]) -> Carry {
        let names = Renderer::new(&site.theme, site_parts(site, &parts.pictures, None)).facet_names();
        Carry {
            briefings: site.archive.briefings.clone(),
            actors: site.archive.actors.clone(),
            topics: site.archive.topics.clone(),
            index: site.index.clone(),
            parts,
            names,
            counts,
            narrow: false,
            replaced: Vec::new(),
        }
    }

    /// The briefings edited since this render, when nothing else changed
    /// that a page shows: `None` calls for checking every page.
    pub fn edited(&self, site: &Prepared) -> Option<Vec<usize>> {
        if !Arc::ptr_eq(&self.index, &site.index)
            || self.briefings.len() != site.archive.briefings.len()
            || self.actors != site.archive.actors
            || self.topics != site.archive.topics
        {
            return None;
        }
        let mut edited = Vec::new();
        for (b, (old, new)) in self.briefings.iter().zip(&site.archive.briefings).enumerate() {
            if Arc::ptr_eq(old, new) {
                continue;
            }
            // What other pages show of a briefing: its teaser and address.
            let same_teaser = old.path == new.path
                && old.slug == new.slug
                && old.title == new.title
                && old.date == new.date
                && old.summary == new.summary;
            if !same_teaser {
                return None;
            }
            edited.push(b);
        }
        Some(edited)
    }

    /// Whether the last render checked only edited briefings' outputs (see
    /// [`Memo::advance_edited`]).
    pub fn narrow(&self) -> bool {
        self.narrow
    }

    /// Keys of the bodies the last render replaced; they are not kept.
    pub fn take_replaced(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.replaced)
    }
}

fn site_parts<'a>(site: &'a Prepared, pictures: &'a Pictures, memo: Option<&'a Memo>) -> SiteParts<'a> {
    SiteParts { config: &site.config, archive: &site.archive, index: &site.index, pictures, memo }
}

/// Renders what the briefings `edited` (from [`Carry::edited`]) can have
/// changed into `sink`, and brings `carry` up to this render. On error,
/// `carry` is handed back as it was.
pub fn render_edited(
    site: &Prepared,
    sink: &dyn Sink,
    memo: &Memo,
    mut carry: Box<Carry>,
    edited: &[usize],
    times: &mut StageTimes,
) -> std::result::Result<Rendered, (Box<Carry>, Error)> {
    let pictures = carry.parts.pictures.clone();
    let renderer =
        Renderer::with_teaser_keys(&site.theme, site_parts(site, &pictures, Some(memo)), carry.parts.teasers.clone());
    let changed = AtomicUsize::new(0);
    let put = |page: RenderedPage| -> Result<()> {
        if !page.unchanged {
            changed.fetch_add(1, Ordering::Relaxed);
            sink.put(&page)?;
        }
        Ok(())
    };
    let start = Instant::now();
    let redone = edited
        .par_iter()
        .map(|&b| {
            let (body, key) = renderer.briefing_body(b);
            put(renderer.briefing_page(b, &body, key)?)?;
            let (doc, search_file) = renderer.briefing_search(b, &body, key);
            put(search_file)?;
            let (mentions, notes) = body_parts(body);
            Ok(Redone { b, key, mentions, notes, doc, briefing: site.archive.briefings[b].clone() })
        })
        .collect::<Result<Vec<_>>>();
    times.markdown = start.elapsed();
    let mut redone = match redone {
        Ok(redone) => redone,
        Err(error) => return Err((carry, error)),
    };
    // Checked before the swap, which takes the old briefings out.
    let noted = edited
        .iter()
        .any(|&b| !carry.briefings[b].annotations.is_empty() || !site.archive.briefings[b].annotations.is_empty());
    swap(&mut carry, &mut redone);

    let start = Instant::now();
    let parts = &carry.parts;
    let lists = || -> Result<()> {
        // Actor pages quote each briefing's first mention of the actor.
        let actors: BTreeSet<usize> =
            edited.iter().flat_map(|&b| site.index.briefings[b].actors.iter().copied()).collect();
        actors.into_par_iter().try_for_each(|a| put(renderer.actor_page(a, &parts.mentions)?))?;
        // The annotations page lists every note, with where its passage was found.
        if noted {
            put(renderer.annotations_page(&parts.notes)?)?;
        }
        // Assets are few and small: a changed stylesheet is found by its bytes.
        for (path, bytes) in &site.theme.assets {
            put(renderer.settle(RenderedPage::new(path.clone(), bytes.clone())))?;
        }
        Ok(())
    };
    let result = lists();
    times.render = start.elapsed();
    drop(renderer);
    if let Err(error) = result {
        swap(&mut carry, &mut redone);
        return Err((carry, error));
    }
    // After the swap, `redone` holds what was replaced.
    carry.replaced = redone.iter().map(|r| r.key).collect();
    carry.narrow = true;
    let [pages, feeds, files] = carry.counts;
    Ok(Rendered {
        pages,
        feeds,
        files,
        changed: changed.into_inner(),
        warnings: annotation_warnings(&site.archive, &carry.parts.notes),
        search: SearchOutcome::Records(carry.parts.docs.clone(), carry.names.clone()),
        carry: Some(carry),
    })
}

/// A briefing rendered again, with what later pages use of it.
struct Redone {
    b: usize,
    key: u64,
    mentions: Vec<FoundMention>,
    notes: BodyNotes,
    doc: Arc<DocTerms>,
    briefing: Arc<Briefing>,
}

/// Exchanges the redone briefings' parts with those `carry` holds: once to
/// bring it up to date, twice to undo.
fn swap(carry: &mut Carry, redone: &mut [Redone]) {
    let parts = &mut carry.parts;
    for r in redone {
        std::mem::swap(&mut parts.body_keys[r.b], &mut r.key);
        std::mem::swap(&mut parts.mentions[r.b], &mut r.mentions);
        std::mem::swap(&mut parts.notes[r.b], &mut r.notes);
        std::mem::swap(&mut parts.docs[r.b], &mut r.doc);
        std::mem::swap(&mut carry.briefings[r.b], &mut r.briefing);
    }
}
