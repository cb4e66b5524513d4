//! Related briefings carried over to an index linked anew after briefings
//! were added or removed. Every term's weight depends on the number of
//! briefings, so each moved a little, and the lists of the terms the added
//! and removed briefings name changed; a ranking neither can reorder is
//! kept ([`rank_again`]), the others are ranked when first asked for.

use super::SiteIndex;
use super::related::{ListChange, Reranking, rank_again};
use crate::model::{Briefing, Slug};
use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Arc;

/// Gives `new`, linked from `now`, the rankings of `old`, linked from
/// `before` with the same profiles, that it would make itself. Nothing is
/// carried unless each briefing of both is as it was (by path and what
/// linking reads) or only in one of them.
pub fn carry_rankings(old: &SiteIndex, before: &[Arc<Briefing>], new: &SiteIndex, now: &[Arc<Briefing>]) {
    let Some(old_to_new) = kept_briefings(old, before, new, now) else { return };
    let mut new_to_old = vec![None; now.len()];
    for (o, n) in old_to_new.iter().enumerate() {
        if let Some(n) = *n {
            new_to_old[n] = Some(o);
        }
    }
    let places = new.places();
    let old_entries: FxHashMap<&Slug, &[usize]> =
        old.actors.iter().chain(&old.topics).map(|e| (&e.term.slug, e.briefings.as_slice())).collect();
    let changes: Vec<ListChange> = new
        .actors
        .iter()
        .chain(&new.topics)
        .map(|entry| {
            let was = old_entries.get(&entry.term.slug).copied().unwrap_or_default();
            list_change(was, &entry.briefings, &old_to_new, places)
        })
        .collect();
    let counts = (before.len(), now.len());
    let Reranking { again, moved } = rank_again(&changes, counts, |b| old.slack(new_to_old[b]?));
    // The others are ranked when first asked for.
    let mut next = again.iter().peekable();
    for (b, &moved) in moved.iter().enumerate() {
        if let (None, Some(o)) = (next.next_if_eq(&&b), new_to_old[b]) {
            new.keep_ranking(b, old, o, moved, |r| old_to_new[r]);
        }
    }
}

/// For each briefing of `old`, its index in `new`, or `None` if it was
/// removed. `None` instead of the list when a briefing in both changed in
/// what linking reads or names other terms: then nothing is carried.
fn kept_briefings<'a>(
    old: &'a SiteIndex,
    before: &[Arc<Briefing>],
    new: &'a SiteIndex,
    now: &[Arc<Briefing>],
) -> Option<Vec<Option<usize>>> {
    let by_path: FxHashMap<&Path, usize> = now.iter().enumerate().map(|(i, b)| (b.path.as_path(), i)).collect();
    let slugs = |index: &'a SiteIndex, b: usize| {
        let links = &index.briefings[b];
        let actors = links.actors.iter().map(|&a| &index.actors[a].term.slug);
        actors.chain(links.topics.iter().map(|&t| &index.topics[t].term.slug))
    };
    before
        .iter()
        .enumerate()
        .map(|(o, was)| {
            let Some(&n) = by_path.get(was.path.as_path()) else { return Some(None) };
            let is = &now[n];
            let same = Arc::ptr_eq(was, is)
                || (was.slug == is.slug
                    && was.title == is.title
                    && was.date == is.date
                    && was.actors == is.actors
                    && was.topics == is.topics);
            (same && slugs(old, o).eq(slugs(new, n))).then_some(Some(n))
        })
        .collect()
}

/// How a term's list went from `was` (old indexes) to `is` (new ones),
/// both in timeline order.
fn list_change<'a>(was: &[usize], is: &'a [usize], old_to_new: &[Option<usize>], places: &[usize]) -> ListChange<'a> {
    let kept: Vec<usize> = was.iter().filter_map(|&o| old_to_new[o]).collect();
    let mut at = Vec::new();
    // Briefings that came: where they are.
    let mut k = 0;
    for (i, &b) in is.iter().enumerate() {
        if kept.get(k) == Some(&b) {
            k += 1;
        } else {
            at.push(i);
        }
    }
    // Briefings that went: after the last kept one before them.
    let mut last_kept = None;
    for &o in was {
        match old_to_new[o] {
            Some(n) => last_kept = Some(n),
            None => at.push(last_kept.map_or(0, |n| is.partition_point(|&b| places[b] <= places[n]))),
        }
    }
    ListChange { after: is, before: was.len(), at }
}
