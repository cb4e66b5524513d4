//! Stage 2, link: [`Archive`] → [`SiteIndex`]. Resolves actor and topic
//! references, orders the timeline, counts which actors appear together,
//! and ranks related briefings (each when a page first asks for them).

mod cache;
mod carry;
mod mentions;
mod related;
mod relink;
mod resolve;
#[cfg(test)]
mod tests;

pub use cache::{LinkCache, actor_links, topic_links};
pub use mentions::{Mention, MentionMatcher};
pub use related::{COMPANION_COUNT, RELATED_COUNT};
pub use relink::relink;
pub use resolve::{Resolver, Term};

use crate::error::{Error, Location, Result};
use crate::model::Archive;
use chrono::NaiveDate;
use rayon::prelude::*;
use related::{Ranked, Ranker};
use rustc_hash::FxHashMap;
use std::sync::{Arc, OnceLock};

/// Indexes, held inline: a briefing names a few actors and topics, and
/// ten thousand briefings' links are copied whenever they are linked again.
pub type Ids<const N: usize> = smallvec::SmallVec<[usize; N]>;

/// The cross-references of one briefing, by index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BriefingLinks {
    /// Indexes into [`SiteIndex::actors`], in the order the briefing lists them.
    pub actors: Ids<8>,
    /// Indexes into [`SiteIndex::topics`].
    pub topics: Ids<4>,
    /// The next older dated briefing.
    pub older: Option<usize>,
    /// The next newer dated briefing.
    pub newer: Option<usize>,
}

/// An actor or topic with every briefing that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct TermEntry {
    pub term: Term,
    /// Briefing indexes, newest first.
    pub briefings: Vec<usize>,
    /// Actors named together with this one (for a topic: in its briefings),
    /// with how often, most first.
    pub companions: Vec<(usize, u32)>,
}

/// Everything the later stages need to know about how content connects.
#[derive(Debug, Clone)]
pub struct SiteIndex {
    /// Parallel to `Archive::briefings`.
    pub briefings: Vec<BriefingLinks>,
    /// Briefing indexes, newest first; undated briefings last, by title.
    pub timeline: Vec<usize>,
    /// Every actor, with or without a profile, sorted by slug.
    pub actors: Vec<TermEntry>,
    /// Every topic, with or without a profile, sorted by slug.
    pub topics: Vec<TermEntry>,
    /// Each briefing's related briefings, ranked when first asked for (see
    /// [`SiteIndex::related`]).
    ranker: Arc<Ranker>,
    ranked: Vec<OnceLock<Ranked>>,
}

impl PartialEq for SiteIndex {
    fn eq(&self, other: &SiteIndex) -> bool {
        self.briefings == other.briefings
            && self.timeline == other.timeline
            && self.actors == other.actors
            && self.topics == other.topics
            && (0..self.briefings.len()).all(|b| self.related(b) == other.related(b))
    }
}

impl SiteIndex {
    /// The index of these links, with related briefings still to rank.
    fn new(
        briefings: Vec<BriefingLinks>,
        timeline: Vec<usize>,
        actors: Vec<TermEntry>,
        topics: Vec<TermEntry>,
        dates: &[Option<NaiveDate>],
    ) -> SiteIndex {
        let postings = actors.iter().chain(&topics).map(|e| e.briefings.as_slice());
        let ranker = Arc::new(Ranker::new(postings, dates, &timeline));
        let ranked = (0..briefings.len()).map(|_| OnceLock::new()).collect();
        SiteIndex { briefings, timeline, actors, topics, ranker, ranked }
    }

    /// The briefings most related to briefing `b`, most related first:
    /// those sharing the most weight of actors and topics, rarer ones
    /// weighing more, closer in time first. Each briefing's are ranked when
    /// first asked for, so that a page that shows none waits for none.
    pub fn related(&self, b: usize) -> &[usize] {
        &self.ranking(b).ids
    }

    /// Briefing `b`'s related briefings with their slack, ranked now if they were not.
    fn ranking(&self, b: usize) -> &Ranked {
        self.ranked[b].get_or_init(|| {
            // Actors and topics share one id space for ranking: topic ids follow actor ids.
            let links = &self.briefings[b];
            let offset = self.actors.len();
            let terms: Ids<12> = links.actors.iter().copied().chain(links.topics.iter().map(|t| t + offset)).collect();
            self.ranker.rank(b, &terms)
        })
    }

    /// Takes briefing `b`'s related briefings from briefing `o` of
    /// `other`, whose indexes are this index's by `to_this`, if they were
    /// ranked there and no candidate's score moved by `moved` or more
    /// since: that much less slack is left. They are ranked when first
    /// asked for otherwise.
    fn keep_ranking(
        &self,
        b: usize,
        other: &SiteIndex,
        o: usize,
        moved: f32,
        to_this: impl Fn(usize) -> Option<usize>,
    ) {
        let Some(ranked) = other.ranked[o].get().filter(|r| moved == 0.0 || moved < r.slack) else { return };
        if let Some(ids) = ranked.ids.iter().map(|&r| to_this(r)).collect() {
            let _ = self.ranked[b].set(Ranked { ids, slack: ranked.slack - moved });
        }
    }

    /// The place of each briefing in [`SiteIndex::timeline`].
    fn places(&self) -> &[usize] {
        self.ranker.places()
    }

    /// Briefing `b`'s slack ([`Ranked::slack`]), if it was ranked.
    fn slack(&self, b: usize) -> Option<f32> {
        self.ranked[b].get().map(|r| r.slack)
    }

    /// Finds mentions of any actor in text. Built on demand: an automaton
    /// over every alias costs more than the rest of linking.
    pub fn mention_matcher(&self) -> MentionMatcher {
        MentionMatcher::new(
            self.actors.iter().enumerate().flat_map(|(i, e)| e.term.aliases.iter().map(move |a| (i, a.as_str()))),
        )
    }
}

/// What each spelling of a reference resolved to.
type Seen<'a> = FxHashMap<&'a str, Option<usize>>;

/// Builds the site index; unresolvable references are reported together.
pub fn link_archive<'a>(archive: &'a Archive) -> Result<SiteIndex> {
    let mut actor_resolver = Resolver::for_actors(&archive.actors)?;
    let mut topic_resolver = Resolver::for_topics(&archive.topics)?;
    let mut links = Vec::with_capacity(archive.briefings.len());
    let mut errors = Vec::new();
    // A name is given the same way in many briefings, and names the same
    // entry whatever was resolved before it: each spelling is looked up once.
    let (mut actors_seen, mut topics_seen) = (FxHashMap::default(), FxHashMap::default());
    for briefing in &archive.briefings {
        let mut resolve_all = |refs: &'a [String], resolver: &mut Resolver, seen: &mut Seen<'a>, key: &str| {
            let mut ids = Vec::with_capacity(refs.len());
            for reference in refs {
                let found = *seen.entry(reference.as_str()).or_insert_with(|| resolver.resolve(reference));
                match found {
                    Some(id) if !ids.contains(&id) => ids.push(id),
                    Some(_) => {}
                    None => errors.push(
                        Error::with_help(
                            format!("`{reference}` in `{key}` has no letters or digits"),
                            "name the entry by its slug or its name",
                        )
                        .at(Location::new(&briefing.path, 0, 0)),
                    ),
                }
            }
            ids
        };
        let actors = resolve_all(&briefing.actors, &mut actor_resolver, &mut actors_seen, "actors");
        let topics = resolve_all(&briefing.topics, &mut topic_resolver, &mut topics_seen, "topics");
        links.push(BriefingLinks {
            actors: actors.into_iter().collect(),
            topics: topics.into_iter().collect(),
            ..BriefingLinks::default()
        });
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }

    let timeline = order_timeline(archive);
    let dated: Vec<usize> = timeline.iter().copied().filter(|&b| archive.briefings[b].date.is_some()).collect();
    for (i, &b) in dated.iter().enumerate() {
        links[b].newer = i.checked_sub(1).map(|j| dated[j]);
        links[b].older = dated.get(i + 1).copied();
    }

    let (actors, topics) = (sort_terms(actor_resolver.terms), sort_terms(topic_resolver.terms));
    for link in &mut links {
        for id in link.actors.iter_mut() {
            *id = actors.1[*id];
        }
        for id in link.topics.iter_mut() {
            *id = topics.1[*id];
        }
    }
    let mut actors = entries(actors.0, &links, &timeline, |l| &l.actors);
    let mut topics = entries(topics.0, &links, &timeline, |l| &l.topics);

    let postings: Vec<&[usize]> = actors.iter().map(|e| e.briefings.as_slice()).collect();
    let companions = related::count_companions(&postings, &links);
    for (entry, companions) in actors.iter_mut().zip(companions) {
        entry.companions = companions;
    }
    let actor_count = actors.len();
    topics.par_iter_mut().for_each_init(
        || related::Tally::new(actor_count),
        |tally, entry| entry.companions = related::top_actors(&entry.briefings, &links, tally),
    );

    let dates: Vec<_> = archive.briefings.iter().map(|b| b.date).collect();
    Ok(SiteIndex::new(links, timeline, actors, topics, &dates))
}

/// Newest first; undated briefings after every dated one, by title.
fn order_timeline(archive: &Archive) -> Vec<usize> {
    let mut order: Vec<usize> = (0..archive.briefings.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&archive.briefings[a], &archive.briefings[b]);
        match (a.date, b.date) {
            (Some(x), Some(y)) => y.cmp(&x).then_with(|| a.slug.cmp(&b.slug)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.title.cmp(&b.title).then_with(|| a.slug.cmp(&b.slug)),
        }
    });
    order
}

/// Sorts terms by slug; returns them with the map from old to new index.
fn sort_terms(terms: Vec<Term>) -> (Vec<Term>, Vec<usize>) {
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&a, &b| terms[a].slug.cmp(&terms[b].slug));
    let mut new_index = vec![0; terms.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let mut slots: Vec<Option<Term>> = terms.into_iter().map(Some).collect();
    let sorted = order.iter().map(|&old| slots[old].take().expect("each term moves once")).collect();
    (sorted, new_index)
}

fn entries(
    terms: Vec<Term>,
    links: &[BriefingLinks],
    timeline: &[usize],
    ids: impl Fn(&BriefingLinks) -> &[usize],
) -> Vec<TermEntry> {
    let mut briefings = vec![Vec::new(); terms.len()];
    for &b in timeline {
        for &id in ids(&links[b]) {
            briefings[id].push(b);
        }
    }
    terms
        .into_iter()
        .zip(briefings)
        .map(|(term, briefings)| TermEntry { term, briefings, companions: Vec::new() })
        .collect()
}
