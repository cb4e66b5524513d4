//! What a new site index changes on the pages, when only the actors and
//! topics some briefings name changed: which briefing pages, search records
//! and term pages can show it, by comparing the index with the last one.
//! Terms are compared by slug, since their indexes shift when one comes or goes.

use crate::link::{SiteIndex, TermEntry};
use crate::render::paged_path;
use crate::search::term_doc_path;

/// The pages and records a new index can change, beyond the edited
/// briefings' own.
pub struct IndexChanges {
    /// Briefings whose page shows a changed link: another actor, topic,
    /// related briefing, or a term renamed.
    pub pages: Vec<usize>,
    /// Actor pages (new indexes) whose term, briefings or companions changed.
    pub actors: Vec<usize>,
    /// Topic pages, likewise.
    pub topics: Vec<usize>,
    /// Actors or topics came, went or were renamed: every term's search
    /// record is made again (their ids follow the briefings'), the table
    /// of their search files, and the sitemap.
    pub terms_moved: bool,
    /// Outputs of terms no longer named (pages, feed, search file), and
    /// pages past the last of terms that lost briefings.
    pub gone: Vec<String>,
}

/// What changes from `old` to `new`, the index of the same briefings in
/// the same order, whose term pages list `per_page` briefings each; `None`
/// when the timeline differs.
pub fn index_changes(old: &SiteIndex, new: &SiteIndex, per_page: usize) -> Option<IndexChanges> {
    if old.briefings.len() != new.briefings.len() || old.timeline != new.timeline {
        return None;
    }
    let actors = Terms::compare(&old.actors, &new.actors);
    let topics = Terms::compare(&old.topics, &new.topics);
    // The same terms, as they were shown.
    let same = |terms: &Terms, was: &[usize], is: &[usize]| {
        was.len() == is.len() && was.iter().zip(is).all(|(&o, &n)| terms.old_of[n] == Some(o) && !terms.relabelled[n])
    };
    let pages = (0..new.briefings.len())
        .filter(|&b| {
            let (was, is) = (&old.briefings[b], &new.briefings[b]);
            !same(&actors, &was.actors, &is.actors)
                || !same(&topics, &was.topics, &is.topics)
                || old.related(b) != new.related(b)
        })
        .collect();
    // A term page shows its term, its briefings and its companions (actors).
    let companions_moved = |old_entry: &TermEntry, entry: &TermEntry| {
        old_entry.companions.len() != entry.companions.len()
            || old_entry.companions.iter().zip(&entry.companions).any(|(&(o, m), &(c, n))| {
                m != n || old.actors[o].term.slug != new.actors[c].term.slug || actors.relabelled[c]
            })
    };
    let pages_of = |terms: &Terms, olds: &[TermEntry], news: &[TermEntry]| -> Vec<usize> {
        (0..news.len())
            .filter(|&t| match terms.old_of[t] {
                None => true,
                Some(o) => {
                    olds[o].term != news[t].term
                        || olds[o].briefings != news[t].briefings
                        || companions_moved(&olds[o], &news[t])
                }
            })
            .collect()
    };
    let terms_moved = [&actors, &topics]
        .iter()
        .any(|t| t.old_of.iter().any(Option::is_none) || !t.gone.is_empty() || t.relabelled.iter().any(|&r| r));
    let mut gone: Vec<String> = Vec::new();
    let pages_of_term = |entry: &TermEntry| entry.briefings.len().div_ceil(per_page).max(1);
    let terms = [("actors", &actors, &old.actors, &new.actors), ("topics", &topics, &old.topics, &new.topics)];
    for (folder, terms, olds, news) in terms {
        // The pages past a term's last, or all of a term no longer named.
        let kept = terms.old_of.iter().enumerate().filter_map(|(n, o)| Some((o.as_ref()?, pages_of_term(&news[n]))));
        let dropped = terms.gone.iter().map(|o| (o, 0));
        for (&o, left) in kept.chain(dropped) {
            let path = format!("{folder}/{}/", olds[o].term.slug);
            for page in left + 1..=pages_of_term(&olds[o]) {
                gone.push(format!("{}index.html", paged_path(&path, page)));
            }
            if left == 0 {
                gone.push(format!("{path}atom.xml"));
                gone.push(term_doc_path(folder, olds[o].term.slug.as_str()));
            }
        }
    }
    Some(IndexChanges {
        pages,
        actors: pages_of(&actors, &old.actors, &new.actors),
        topics: pages_of(&topics, &old.topics, &new.topics),
        terms_moved,
        gone,
    })
}

/// The actors, or topics, of two indexes matched by slug.
struct Terms {
    /// For each new entry, the old one with its slug.
    old_of: Vec<Option<usize>>,
    /// Whether a new entry's link (slug, name, kind) differs from the old one's.
    relabelled: Vec<bool>,
    /// Old entries without a new one.
    gone: Vec<usize>,
}

impl Terms {
    fn compare(old: &[TermEntry], new: &[TermEntry]) -> Terms {
        // Both are sorted by slug.
        let (mut old_of, mut gone) = (Vec::with_capacity(new.len()), Vec::new());
        let mut o = 0;
        for entry in new {
            while o < old.len() && old[o].term.slug < entry.term.slug {
                gone.push(o);
                o += 1;
            }
            if o < old.len() && old[o].term.slug == entry.term.slug {
                old_of.push(Some(o));
                o += 1;
            } else {
                old_of.push(None);
            }
        }
        gone.extend(o..old.len());
        let relabelled = new
            .iter()
            .zip(&old_of)
            .map(|(entry, o)| {
                o.is_none_or(|o| old[o].term.name != entry.term.name || old[o].term.kind != entry.term.kind)
            })
            .collect();
        Terms { old_of, relabelled, gone }
    }
}
