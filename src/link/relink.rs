//! Linking again after some briefings changed the actors or topics they
//! name: the index is patched instead of made anew. Only the briefings that
//! name a term whose list of briefings changed can rank differently, only
//! the actors and topics of the edited briefings can have other companions,
//! and a term is known by its slug whatever was resolved before it, so the
//! result is the index [`super::link_archive`] makes (a differential test
//! holds it to that).

use super::related::{ListChange, Reranking, Tally, companions_of, rank_again, top_actors};
use super::resolve::{Found, Resolver};
use super::{BriefingLinks, SiteIndex, Term, TermEntry};
use crate::model::{Archive, Briefing, Slug};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The index of `archive`, from `old`, the index of the briefings `before`
/// with the same actor and topic profiles, whose references all fold alike
/// ([`all_fold`]). `None` when the archive changed
/// in another way than which actors and topics some briefings name (a
/// briefing added, removed, renamed or moved in time), or when a reference
/// is one [`super::link_archive`] reports: then the whole archive is linked.
pub fn relink(old: &SiteIndex, before: &[Arc<Briefing>], archive: &Archive) -> Option<SiteIndex> {
    let now = &archive.briefings;
    if before.len() != now.len() {
        return None;
    }
    let mut edited = Vec::new();
    for (b, (was, is)) in before.iter().zip(now).enumerate() {
        if Arc::ptr_eq(was, is) {
            continue;
        }
        // The timeline's order must stay: it is by date, then slug (by title when undated).
        if was.slug != is.slug
            || was.path != is.path
            || was.date != is.date
            || (is.date.is_none() && was.title != is.title)
        {
            return None;
        }
        if was.actors != is.actors || was.topics != is.topics {
            if !all_fold(std::slice::from_ref(is)) {
                return None;
            }
            edited.push(b);
        }
    }
    let actors = Side::relink(
        &old.actors,
        Resolver::for_actors(&archive.actors).ok()?,
        &old.briefings,
        |l| &l.actors,
        now,
        |b| &b.actors,
        &edited,
        old.places(),
    )?;
    let topics = Side::relink(
        &old.topics,
        Resolver::for_topics(&archive.topics).ok()?,
        &old.briefings,
        |l| &l.topics,
        now,
        |b| &b.topics,
        &edited,
        old.places(),
    )?;

    let mut links: Vec<BriefingLinks> = old
        .briefings
        .par_iter()
        .map(|l| BriefingLinks {
            actors: actors.map(&l.actors),
            topics: topics.map(&l.topics),
            older: l.older,
            newer: l.newer,
        })
        .collect();
    for (&b, (a, t)) in edited.iter().zip(actors.named.iter().zip(&topics.named)) {
        links[b].actors = a.iter().copied().collect();
        links[b].topics = t.iter().copied().collect();
    }
    // Companions are actors: their ids move with the actors'. Only the
    // actors and topics of edited briefings can have other companions.
    let (mut actor_entries, mut topic_entries) = (actors.entries, topics.entries);
    for entry in actor_entries.iter_mut().chain(topic_entries.iter_mut()) {
        entry.companions = entry.companions.iter().filter_map(|&(a, n)| Some((actors.old_to_new[a]?, n))).collect();
    }
    let mut tally = Tally::new(actor_entries.len());
    for &a in &actors.touched {
        actor_entries[a].companions = companions_of(a, &actor_entries[a].briefings, &links, &mut tally);
    }
    for &t in &topics.touched {
        topic_entries[t].companions = top_actors(&topic_entries[t].briefings, &links, &mut tally);
    }

    // Ranking again: the edited briefings, and those naming a term whose
    // list of briefings (hence weight, and candidates) changed, as far as
    // that can change their ranking. The others keep what they had.
    let places = old.places();
    let mut changes = Vec::new();
    let sides = [
        (&actors.old_to_new, &actors.moved, &old.actors, &actor_entries),
        (&topics.old_to_new, &topics.moved, &old.topics, &topic_entries),
    ];
    for (old_to_new, moved, olds, news) in sides {
        let mut old_of = vec![None; news.len()];
        for (o, n) in old_to_new.iter().enumerate() {
            if let Some(n) = *n {
                old_of[n] = Some(o);
            }
        }
        for &id in moved {
            let before = old_of[id].map_or(&[][..], |o| &olds[o].briefings);
            changes.push(ListChange::between(before, &news[id].briefings, places));
        }
    }
    let counts = (now.len(), now.len());
    let Reranking { mut again, moved } = rank_again(&changes, counts, |b| old.slack(b));
    for &b in &edited {
        if let Err(at) = again.binary_search(&b) {
            again.insert(at, b);
        }
    }
    let dates: Vec<_> = now.iter().map(|b| b.date).collect();
    let index = SiteIndex::new(links, old.timeline.clone(), actor_entries, topic_entries, &dates);
    let mut next = again.iter().peekable();
    for (b, &moved) in moved.iter().enumerate() {
        if next.next_if_eq(&&b).is_none() {
            index.keep_ranking(b, old, b, moved, Some);
        }
    }
    again.par_iter().for_each(|&b| {
        index.related(b);
    });
    Some(index)
}

/// Whether `reference` has the slug of its lowercase form. A reference is
/// looked up by its lowercase form before its slug, and an entry without a
/// profile answers to both its slug and its lowercase name: when they agree,
/// which entry a reference names does not depend on which were made before
/// it. A few letters break that (`Ǝ` lowercases to `ǝ`, which slugs apart).
pub(super) fn folds_alike(reference: &str) -> bool {
    reference.is_ascii() || Slug::from_text(reference) == Slug::from_text(&reference.to_lowercase())
}

/// Whether every reference of `briefings` folds alike.
pub fn all_fold(briefings: &[Arc<Briefing>]) -> bool {
    briefings.iter().all(|b| b.actors.iter().chain(&b.topics).all(|r| folds_alike(r)))
}

/// The actors, or the topics, linked again.
struct Side {
    /// Every entry, sorted by slug; companions still by old ids, except for actors.
    entries: Vec<TermEntry>,
    /// New id of each old entry; `None` for one no longer named.
    old_to_new: Vec<Option<usize>>,
    /// The entries the edited briefings name, now and before (new ids).
    touched: Vec<usize>,
    /// Entries (new ids) whose briefings changed; those no longer named are
    /// not, and their briefings are edited ones.
    moved: Vec<usize>,
    /// What each edited briefing names now, by new id.
    named: Vec<Vec<usize>>,
}

impl Side {
    #[allow(clippy::too_many_arguments)]
    fn relink(
        old: &[TermEntry],
        resolver: Resolver,
        old_links: &[BriefingLinks],
        old_ids: impl Fn(&BriefingLinks) -> &[usize],
        now: &[Arc<Briefing>],
        refs: impl Fn(&Briefing) -> &Vec<String>,
        edited: &[usize],
        places: &[usize],
    ) -> Option<Side> {
        // Every entry is known by its slug; profiles by their index too.
        let slug_of = |found: Found| match found {
            Found::Known(p) => resolver.terms[p].slug.clone(),
            Found::New(slug) => slug,
        };
        let old_by_slug: BTreeMap<&Slug, usize> = old.iter().enumerate().map(|(i, e)| (&e.term.slug, i)).collect();
        let mut named_slugs: Vec<Vec<Slug>> = Vec::with_capacity(edited.len());
        // Briefings each touched slug gains and loses.
        let mut gains: BTreeMap<Slug, Vec<usize>> = BTreeMap::new();
        let mut losses: BTreeMap<Slug, Vec<usize>> = BTreeMap::new();
        let mut touched: BTreeSet<Slug> = BTreeSet::new();
        for &b in edited {
            let mut slugs: Vec<Slug> = Vec::new();
            for reference in refs(&now[b]) {
                let slug = slug_of(resolver.find(reference)?);
                if !slugs.contains(&slug) {
                    slugs.push(slug);
                }
            }
            let before: Vec<&Slug> = old_ids(&old_links[b]).iter().map(|&i| &old[i].term.slug).collect();
            for slug in &slugs {
                if !before.contains(&slug) {
                    gains.entry(slug.clone()).or_default().push(b);
                }
            }
            for &slug in &before {
                if !slugs.contains(slug) {
                    losses.entry(slug.clone()).or_default().push(b);
                }
            }
            touched.extend(before.into_iter().cloned());
            touched.extend(slugs.iter().cloned());
            named_slugs.push(slugs);
        }

        // Each entry's briefings, newest first; the touched ones made again.
        let mut briefings_of: BTreeMap<Slug, Vec<usize>> = BTreeMap::new();
        for slug in gains.keys().chain(losses.keys()) {
            let mut list: Vec<usize> = old_by_slug.get(slug).map_or(Vec::new(), |&i| old[i].briefings.clone());
            if let Some(lost) = losses.get(slug) {
                list.retain(|b| !lost.contains(b));
            }
            if let Some(gained) = gains.get(slug) {
                list.extend(gained);
            }
            list.sort_by_key(|&b| places[b]);
            briefings_of.insert(slug.clone(), list);
        }

        // The new set of entries: profiles always, others while named.
        let mut terms: BTreeMap<Slug, (Option<usize>, Option<Term>)> = BTreeMap::new();
        for (i, entry) in old.iter().enumerate() {
            terms.insert(entry.term.slug.clone(), (Some(i), None));
        }
        for (slug, list) in &briefings_of {
            let profile = old_by_slug.get(slug).and_then(|&i| old[i].term.profile);
            if list.is_empty() && profile.is_none() {
                terms.remove(slug);
            } else if !old_by_slug.contains_key(slug) {
                terms.insert(slug.clone(), (None, None));
            }
        }
        // A term without a profile is named as its first briefing spells it.
        for slug in &touched {
            let Some((old_id, term)) = terms.get_mut(slug) else { continue };
            if old_id.is_some_and(|i| old[i].term.profile.is_some()) {
                continue;
            }
            let list = briefings_of.get(slug).unwrap_or_else(|| &old[old_id.expect("known")].briefings);
            let first = *list.iter().min().expect("named by a briefing");
            let spelling = refs(&now[first])
                .iter()
                .map(|r| r.trim())
                .find(|r| resolver.find(r).map(slug_of).as_ref() == Some(slug))
                .expect("the first briefing names it");
            if let Some(i) = *old_id
                && old[i].term.name.to_lowercase() != spelling.to_lowercase()
            {
                // Its lowercase name is a key other references may have been resolved by.
                return None;
            }
            *term = Some(Term {
                slug: slug.clone(),
                name: spelling.to_string(),
                kind: None,
                profile: None,
                aliases: vec![spelling.to_string()],
            });
        }

        let mut old_to_new = vec![None; old.len()];
        let mut entries = Vec::with_capacity(terms.len());
        let mut moved = Vec::new();
        for (new_id, (slug, (old_id, term))) in terms.into_iter().enumerate() {
            if let Some(i) = old_id {
                old_to_new[i] = Some(new_id);
            }
            let list = briefings_of.remove(&slug);
            if list.is_some() {
                moved.push(new_id);
            }
            let entry = old_id.map(|i| &old[i]);
            entries.push(TermEntry {
                term: term.unwrap_or_else(|| entry.expect("a new entry has its term").term.clone()),
                briefings: list.unwrap_or_else(|| entry.expect("unchanged").briefings.clone()),
                companions: entry.map_or(Vec::new(), |e| e.companions.clone()),
            });
        }
        let id =
            |slug: &Slug| entries.binary_search_by(|e| e.term.slug.cmp(slug)).expect("every named slug has an entry");
        let named = named_slugs.iter().map(|slugs| slugs.iter().map(id).collect()).collect();
        let touched =
            touched.iter().filter_map(|slug| entries.binary_search_by(|e| e.term.slug.cmp(slug)).ok()).collect();
        let side = Side { entries, old_to_new, touched, moved, named };
        Some(side)
    }

    /// Old ids → new ids.
    fn map<C: FromIterator<usize>>(&self, ids: &[usize]) -> C {
        ids.iter().filter_map(|&i| self.old_to_new[i]).collect()
    }
}
