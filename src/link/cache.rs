//! The site index a live session keeps: reused while the fields linking
//! reads are unchanged, patched when only the actors and topics some
//! briefings name changed ([`relink`]), made anew otherwise, with the
//! related briefings that cannot have changed carried over.

use super::carry::carry_rankings;
use super::{SiteIndex, link_archive, relink};
use crate::error::Result;
use crate::model::{Actor, ActorKind, Archive, Briefing, Slug, Topic};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The last index and what it was linked from.
#[derive(Default)]
pub struct LinkCache(Mutex<Option<Linked>>);

struct Linked {
    index: Arc<SiteIndex>,
    briefings: Vec<Arc<Briefing>>,
    actors: Vec<Actor>,
    topics: Vec<Topic>,
    /// Whether every reference of the briefings folds alike (see [`relink`]).
    folds: bool,
}

impl LinkCache {
    /// The site index of `archive`.
    pub fn link(&self, archive: &Archive) -> Result<Arc<SiteIndex>> {
        let mut kept = self.0.lock().expect("no panic holding the lock");
        let found = kept.as_mut().and_then(|linked| linked.reuse(archive));
        if let Some(index) = found {
            return Ok(index);
        }
        let (index, folds) = match kept.as_ref().and_then(|linked| linked.patch(archive)) {
            Some(index) => (Arc::new(index), true),
            None => {
                let index = link_archive(archive)?;
                if let Some(linked) = kept.as_ref().filter(|linked| linked.same_profiles(archive)) {
                    carry_rankings(&linked.index, &linked.briefings, &index, &archive.briefings);
                }
                (Arc::new(index), super::relink::all_fold(&archive.briefings))
            }
        };
        let old = kept.replace(Linked {
            index: index.clone(),
            briefings: archive.briefings.clone(),
            actors: archive.actors.clone(),
            topics: archive.topics.clone(),
            folds,
        });
        // Tens of thousands of small parts: freed off the rebuild's path.
        std::thread::spawn(move || drop(old));
        Ok(index)
    }
}

impl Linked {
    /// This index, when nothing linking reads changed; the briefings it
    /// compares are then taken as the ones it was linked from.
    fn reuse(&mut self, archive: &Archive) -> Option<Arc<SiteIndex>> {
        if self.briefings.len() != archive.briefings.len() || !self.same_profiles(archive) {
            return None;
        }
        for (was, is) in self.briefings.iter().zip(&archive.briefings) {
            let same = Arc::ptr_eq(was, is)
                || (was.slug == is.slug
                    && was.path == is.path
                    && was.title == is.title
                    && was.date == is.date
                    && was.actors == is.actors
                    && was.topics == is.topics);
            if !same {
                return None;
            }
        }
        self.briefings.clone_from(&archive.briefings);
        Some(self.index.clone())
    }

    /// The index patched from this one, when the profiles are as they were.
    fn patch(&self, archive: &Archive) -> Option<SiteIndex> {
        if !self.folds || !self.same_profiles(archive) {
            return None;
        }
        relink(&self.index, &self.briefings, archive)
    }

    /// Whether the profiles' fields that linking reads are as they were.
    fn same_profiles(&self, archive: &Archive) -> bool {
        self.actors.iter().map(actor_links).eq(archive.actors.iter().map(actor_links))
            && self.topics.iter().map(topic_links).eq(archive.topics.iter().map(topic_links))
    }
}

/// The fields of an actor's profile that linking reads; its role,
/// description and text only show on its own page and in its search record.
pub fn actor_links(a: &Actor) -> (&Slug, &PathBuf, &String, Option<ActorKind>, &Vec<String>) {
    (&a.slug, &a.path, &a.name, a.kind, &a.aliases)
}

/// The fields of a topic's profile that linking reads (see [`actor_links`]).
pub fn topic_links(t: &Topic) -> (&Slug, &PathBuf, &String) {
    (&t.slug, &t.path, &t.name)
}
