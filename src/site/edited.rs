//! Rebuilds after edits that leave every other page as it was: when the
//! edited briefings kept their address and date, an edit can only change
//! the briefing's own page and search file, the actor pages quoting its
//! mentions and the annotations page; when it changed a title or summary,
//! also the pages listing its teaser (related, home, period and topic
//! pages, feeds); when it changed the actors or topics they name, also the
//! pages and records showing a link the new site index changed
//! ([`IndexChanges`]), the term indexes, the network and the feeds. A
//! profile edit that keeps what linking reads can only change the term's
//! pages and search record, and the topics index. A template edit can
//! only change the pages made with templates that read it. Only those are
//! checked; every other output keeps the fingerprint the memo holds,
//! without being looked at.

use super::relinked::{IndexChanges, index_changes};
use super::{Prepared, Rendered, SearchOutcome, Sink, StageTimes, annotation_warnings, kept_part};
use crate::chart::Pictures;
use crate::error::{Error, Result};
use crate::link::{SiteIndex, TermEntry, actor_links, topic_links};
use crate::markdown::BodyHtml;
use crate::memo::Memo;
use crate::model::{Actor, Briefing, Topic};
use crate::render::{RenderedPage, Renderer, SiteParts, TEMPLATES, teaser_key};
use crate::search::{DocTerms, FacetNames};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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
    /// The fingerprint of each template and what it reads.
    templates: BTreeMap<String, u64>,
    /// The theme's assets, by output path: one gone is a file to remove.
    assets: Vec<String>,
    parts: Parts,
    names: FacetNames,
    /// Pages, feeds and files of the site, for the summary.
    counts: [usize; 3],
    /// The last render checked only edited briefings' outputs.
    narrow: bool,
    /// Keys of the bodies it replaced, to drop from the memo.
    replaced: Vec<u64>,
}

/// Whether pages are made with `template` (each kind by one function
/// below); the theme's other templates are only read by these.
fn is_page_template(template: &str) -> bool {
    TEMPLATES.contains(&template) && !["base.html", "components.html"].contains(&template)
}

/// What changed since the last render, in the ways [`render_edited`] handles.
pub struct Edits {
    /// Briefings edited in place: same address and date.
    pub briefings: Vec<usize>,
    /// Those of them whose title or summary, which lists show, changed.
    pub retitled: Vec<usize>,
    /// Page templates (other than the briefing's) that read a changed template.
    pub templates: Vec<String>,
    /// What a new site index changes, when the briefings name other terms.
    pub index: Option<IndexChanges>,
    /// Actors (by index entry) whose profile changed in what only their own
    /// page and search record show: role, description, text.
    pub actor_profiles: Vec<usize>,
    /// Topics whose description, keywords or text changed, likewise.
    pub topic_profiles: Vec<usize>,
}

/// Per briefing (then per actor and topic, for search records), what later
/// pages use of a render.
pub(super) struct Parts {
    pub pictures: Arc<Pictures>,
    /// Fingerprints of the teasers, which the edits it allows leave as they are.
    pub teasers: Arc<Vec<u64>>,
    pub body_keys: Vec<u64>,
    /// Bodies as later pages use them (see [`super::kept_part`]).
    pub bodies: Vec<Arc<BodyHtml>>,
    /// Search records of every page, by page id.
    pub docs: Vec<Arc<DocTerms>>,
}

impl Carry {
    pub(super) fn new(site: &Prepared, parts: Parts, names: FacetNames, counts: [usize; 3]) -> Carry {
        Carry {
            briefings: site.archive.briefings.clone(),
            actors: site.archive.actors.clone(),
            topics: site.archive.topics.clone(),
            index: site.index.clone(),
            templates: site.theme.keys.clone(),
            assets: site.theme.assets.keys().cloned().collect(),
            parts,
            names,
            counts,
            narrow: false,
            replaced: Vec::new(),
        }
    }

    /// The briefings and templates edited since this render, when nothing
    /// else changed that a page shows: `None` calls for checking every page.
    pub fn edited(&self, site: &Prepared) -> Option<Edits> {
        if self.briefings.len() != site.archive.briefings.len() || !self.assets.iter().eq(site.theme.assets.keys()) {
            return None;
        }
        let actor_profiles =
            edited_profiles(&self.actors, &site.archive.actors, |a, b| actor_links(a) == actor_links(b))?;
        let topic_profiles =
            edited_profiles(&self.topics, &site.archive.topics, |a, b| topic_links(a) == topic_links(b))?;
        let index = if Arc::ptr_eq(&self.index, &site.index) {
            None
        } else {
            Some(index_changes(&self.index, &site.index, site.config.paginate_terms)?)
        };
        let (mut edited, mut retitled) = (Vec::new(), Vec::new());
        for (b, (old, new)) in self.briefings.iter().zip(&site.archive.briefings).enumerate() {
            if Arc::ptr_eq(old, new) {
                continue;
            }
            // Where it is listed: its address and date, and its title when
            // undated (undated briefings are ordered by title).
            let same_place = old.path == new.path
                && old.slug == new.slug
                && old.date == new.date
                && (new.date.is_some() || old.title == new.title);
            if !same_place {
                return None;
            }
            if old.title != new.title || old.summary != new.summary {
                retitled.push(b);
            }
            edited.push(b);
        }
        let mut templates = Vec::new();
        for (name, key) in &site.theme.keys {
            if self.templates.get(name) == Some(key) || !is_page_template(name) {
                continue;
            }
            // Every briefing page again: the full check costs little more.
            if name == "briefing.html" {
                return None;
            }
            templates.push(name.clone());
        }
        let entries_of = |terms: &[TermEntry], profiles: Vec<usize>| -> Vec<usize> {
            (0..terms.len()).filter(|&t| terms[t].term.profile.is_some_and(|p| profiles.contains(&p))).collect()
        };
        Some(Edits {
            briefings: edited,
            retitled,
            templates,
            index,
            actor_profiles: entries_of(&site.index.actors, actor_profiles),
            topic_profiles: entries_of(&site.index.topics, topic_profiles),
        })
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

/// The profiles edited from `old` to `new`, when each kept the fields
/// linking reads (`same_links`): `None` when one did not, or one
/// came or went.
fn edited_profiles<T: PartialEq>(old: &[T], new: &[T], same_links: impl Fn(&T, &T) -> bool) -> Option<Vec<usize>> {
    if old.len() != new.len() {
        return None;
    }
    let mut edited = Vec::new();
    for (p, (old, new)) in old.iter().zip(new).enumerate() {
        if old != new {
            if !same_links(old, new) {
                return None;
            }
            edited.push(p);
        }
    }
    Some(edited)
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
    edits: &Edits,
    times: &mut StageTimes,
) -> std::result::Result<Rendered, (Box<Carry>, Error)> {
    let edited = &edits.briefings;
    let relinked = edits.index.as_ref();
    let retitled = &edits.retitled;
    let pictures = match relinked {
        Some(_) => Arc::new(carry.parts.pictures.relinked(&site.index)),
        None => carry.parts.pictures.clone(),
    };
    let mut teasers = carry.parts.teasers.clone();
    if !retitled.is_empty() {
        let table = Arc::make_mut(&mut teasers);
        for &b in retitled {
            table[b] = teaser_key(&site.archive.briefings[b]);
        }
    }
    let renderer = Renderer::with_teaser_keys(&site.theme, site_parts(site, &pictures, Some(memo)), teasers.clone());
    let changed = AtomicUsize::new(0);
    let put = |page: RenderedPage| -> Result<()> {
        if !page.unchanged {
            changed.fetch_add(1, Ordering::Relaxed);
            sink.put(page)?;
        }
        Ok(())
    };
    // The edited briefings, those showing a link the new index changed, and
    // those showing a retitled one as related, older or newer.
    let mut redo: BTreeSet<usize> = edited.iter().copied().collect();
    redo.extend(relinked.iter().flat_map(|changes| changes.pages.iter().copied()));
    if !retitled.is_empty() {
        let shows = |b: usize| {
            let l = &site.index.briefings[b];
            site.index.related(b).iter().chain(&l.older).chain(&l.newer).any(|r| retitled.contains(r))
        };
        redo.extend((0..site.index.briefings.len()).filter(|&b| shows(b)));
    }
    let redo: Vec<usize> = redo.into_iter().collect();
    let start = Instant::now();
    let redone = redo
        .par_iter()
        .map(|&b| {
            let (body, key) = renderer.briefing_body(b);
            put(renderer.briefing_page(b, &body, key)?)?;
            let (doc, search_file) = renderer.briefing_search(b, &body, key);
            search_file.map(put).transpose()?;
            Ok(Redone { b, key, body: kept_part(body), doc, briefing: site.archive.briefings[b].clone() })
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
    // Topic pages list their briefings' teasers (actor pages too, and they
    // are checked for every edited briefing).
    let listing_topics: Vec<usize> =
        retitled.iter().flat_map(|&b| site.index.briefings[b].topics.iter().copied()).collect();
    swap(&mut carry, &mut redone);

    let start = Instant::now();
    let parts = &carry.parts;
    let changed_template = |name: &str| edits.templates.iter().any(|t| t == name);
    // Three independent sets of pages, made side by side.
    let term_pages = || -> Result<()> {
        // Actor pages quote each briefing's first mention of the actor (all
        // of them are checked when their template changed).
        let actors: BTreeSet<usize> = if changed_template("actor.html") {
            (0..site.index.actors.len()).collect()
        } else {
            let quoting = edited.iter().flat_map(|&b| site.index.briefings[b].actors.iter().copied());
            let relinked = relinked.iter().flat_map(|c| c.actors.iter().copied());
            quoting.chain(relinked).chain(edits.actor_profiles.iter().copied()).collect()
        };
        actors
            .into_par_iter()
            .try_for_each(|a| renderer.actor_pages(a, &parts.bodies)?.into_iter().try_for_each(put))?;
        let topics: BTreeSet<usize> = if changed_template("topic.html") {
            (0..site.index.topics.len()).collect()
        } else {
            let relinked = relinked.iter().flat_map(|c| c.topics.iter().copied());
            relinked.chain(listing_topics.iter().copied()).chain(edits.topic_profiles.iter().copied()).collect()
        };
        topics.into_par_iter().try_for_each(|t| renderer.topic_pages(t)?.into_iter().try_for_each(put))?;
        // The annotations page lists every note, with where its passage was found.
        let notes_listed = retitled.iter().any(|&b| !site.archive.briefings[b].annotations.is_empty());
        if noted || notes_listed || changed_template("annotations.html") {
            put(renderer.annotations_page(&parts.bodies)?)?;
        }
        Ok(())
    };
    let other_pages = || -> Result<()> {
        // Other pages made with a changed template; the memo tells which of
        // them were made with its old version. Each output is put once.
        let mut singles: BTreeSet<&str> = edits.templates.iter().map(String::as_str).collect();
        if relinked.is_some() {
            // Counts and companions of every actor and topic.
            singles.extend(["actors.html", "topics.html", "network.html"]);
        }
        if !edits.topic_profiles.is_empty() {
            // It shows each topic's description.
            singles.insert("topics.html");
        }
        if !retitled.is_empty() {
            // Lists of teasers; each is fingerprinted from the teasers' keys.
            singles.extend(["home.html", "period.html"]);
            if retitled.iter().any(|&b| site.archive.briefings[b].date.is_none()) {
                singles.insert("timeline.html");
            }
        }
        singles.into_par_iter().try_for_each(|template| {
            let pages: Vec<RenderedPage> = match template {
                "actor.html" | "topic.html" | "annotations.html" => Vec::new(),
                "period.html" => {
                    let paths = renderer.period_paths();
                    (0..paths.len()).into_par_iter().map(|p| renderer.period_page(&paths, p)).collect::<Result<_>>()?
                }
                "home.html" => renderer.home_pages()?,
                "actors.html" => vec![renderer.actors_page()?],
                "topics.html" => vec![renderer.topics_page()?],
                "timeline.html" => vec![renderer.timeline_page()?],
                "network.html" => vec![renderer.network_page()?],
                "search.html" => renderer.search_page()?.into_iter().collect(),
                "404.html" => vec![renderer.not_found_page()?],
                other => unreachable!("`{other}` is not a page template Carry::edited lets through"),
            };
            pages.into_iter().try_for_each(put)
        })?;
        // Assets are few and small: a changed stylesheet is found by its bytes.
        for (path, bytes) in &site.theme.assets {
            put(renderer.settle(RenderedPage::new(path.clone(), bytes.clone())))?;
        }
        Ok(())
    };
    // What lists every term or many briefings: feeds, the sitemap, term records.
    let listings = || -> Result<Vec<Arc<DocTerms>>> {
        if relinked.is_none() && retitled.is_empty() {
            return Ok(Vec::new());
        }
        // Feeds show their entries' teasers, actors and topics; each is fingerprinted cheaply.
        let feeds = || renderer.feeds().into_iter().try_for_each(put);
        let terms = || -> Result<Vec<Arc<DocTerms>>> {
            if !relinked.is_some_and(|changes| changes.terms_moved) {
                return Ok(Vec::new());
            }
            renderer.sitemap().into_iter().chain(renderer.term_table()).try_for_each(put)?;
            // Term records are numbered after the briefings': all move, and
            // those whose search file holds the same are left as they are.
            (0..site.index.actors.len())
                .into_par_iter()
                .map(|a| renderer.actor_search(a))
                .chain((0..site.index.topics.len()).into_par_iter().map(|t| renderer.topic_search(t)))
                .map(|(doc, file)| file.map(put).transpose().map(|_| doc))
                .collect()
        };
        let (feeds, terms) = rayon::join(feeds, terms);
        feeds.and(terms)
    };
    // The search records of the terms whose profile changed, by page id
    // (when terms moved, `listings` makes every term's: each file is put once).
    let profiled = || -> Result<Vec<(usize, Arc<DocTerms>)>> {
        if relinked.is_some_and(|changes| changes.terms_moved) {
            return Ok(Vec::new());
        }
        let first = site.archive.briefings.len();
        let actors = edits.actor_profiles.par_iter().map(|&a| (first + a, renderer.actor_search(a)));
        let first = first + site.index.actors.len();
        let topics = edits.topic_profiles.par_iter().map(|&t| (first + t, renderer.topic_search(t)));
        actors.chain(topics).map(|(id, (doc, file))| file.map(put).transpose().map(|_| (id, doc))).collect()
    };
    let lists = || {
        let ((terms, others), (listed, profiled)) =
            rayon::join(|| rayon::join(term_pages, other_pages), || rayon::join(listings, profiled));
        terms.and(others).and(listed.and_then(|listed| Ok((listed, profiled?))))
    };
    let result = lists();
    times.render = start.elapsed();
    let names = relinked.map(|_| renderer.facet_names());
    drop(renderer);
    let (term_docs, profile_docs) = match result {
        Ok(docs) => docs,
        Err(error) => {
            swap(&mut carry, &mut redone);
            return Err((carry, error));
        }
    };
    carry.parts.teasers = teasers;
    if !edits.actor_profiles.is_empty() || !edits.topic_profiles.is_empty() {
        carry.actors.clone_from(&site.archive.actors);
        carry.topics.clone_from(&site.archive.topics);
    }
    let mut gone = Vec::new();
    if let (Some(changes), Some(names)) = (relinked, names) {
        // Each term has pages, a feed and (with search) a search file.
        let per_term = if site.config.search { 2 } else { 1 };
        let per_page = site.config.paginate_terms;
        let terms = |index: &SiteIndex| (index.actors.len() + index.topics.len()) as isize;
        let term_pages = |index: &SiteIndex| {
            index.actors.iter().chain(&index.topics).map(|e| e.briefings.len().div_ceil(per_page).max(1)).sum::<usize>()
                as isize
        };
        let (more_terms, more_pages) =
            (terms(&site.index) - terms(&carry.index), term_pages(&site.index) - term_pages(&carry.index));
        let [pages, feeds, files] = &mut carry.counts;
        *pages = pages.saturating_add_signed(more_pages);
        *feeds = feeds.saturating_add_signed(more_terms);
        *files = files.saturating_add_signed(more_pages + per_term * more_terms);
        if changes.terms_moved {
            carry.parts.docs.truncate(site.archive.briefings.len());
            carry.parts.docs.extend(term_docs);
        }
        let old = (
            std::mem::replace(&mut carry.index, site.index.clone()),
            std::mem::replace(&mut carry.parts.pictures, pictures),
        );
        super::free_aside(old);
        carry.names = names;
        gone = changes.gone.clone();
    }
    // After the index's: with a new index, these ids are already its own.
    for (id, doc) in profile_docs {
        carry.parts.docs[id] = doc;
    }
    // After the swap, `redone` holds what was replaced.
    carry.replaced = redone.iter().map(|r| r.key).collect();
    carry.narrow = true;
    carry.templates = site.theme.keys.clone();
    let [pages, feeds, files] = carry.counts;
    Ok(Rendered {
        pages,
        feeds,
        files,
        changed: changed.into_inner(),
        warnings: annotation_warnings(&site.archive, &carry.parts.bodies),
        search: SearchOutcome::Records(carry.parts.docs.clone(), carry.names.clone()),
        gone,
        carry: Some(carry),
    })
}

/// A briefing rendered again, with what later pages use of it.
struct Redone {
    b: usize,
    key: u64,
    body: Arc<BodyHtml>,
    doc: Arc<DocTerms>,
    briefing: Arc<Briefing>,
}

/// Exchanges the redone briefings' parts with those `carry` holds: once to
/// bring it up to date, twice to undo.
fn swap(carry: &mut Carry, redone: &mut [Redone]) {
    let parts = &mut carry.parts;
    for r in redone {
        std::mem::swap(&mut parts.body_keys[r.b], &mut r.key);
        std::mem::swap(&mut parts.bodies[r.b], &mut r.body);
        std::mem::swap(&mut parts.docs[r.b], &mut r.doc);
        std::mem::swap(&mut carry.briefings[r.b], &mut r.briefing);
    }
}
