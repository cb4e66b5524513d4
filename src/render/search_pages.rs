//! The search page and what the index is made from: each briefing, actor
//! and topic as a [`DocSource`], reduced to its search record and file.

use super::context::briefing_path;
use super::{RenderedPage, Renderer};
use crate::error::Result;
use crate::markdown::{BodyHtml, plain_text};
use crate::search::{DocSource, DocTerms, FacetNames, Kind, TERM_TABLE, doc_path, term_doc_path};
use std::sync::Arc;

/// A page's search record, and its search file (unchanged when the memo
/// saw the same source; none when the site has no search).
pub type Searchable = (Arc<DocTerms>, Option<RenderedPage>);

impl<'a> Renderer<'a> {
    /// Search record of briefing `b`, whose body was rendered as `body`
    /// from inputs with fingerprint `body_key` (they include the notes).
    pub fn briefing_search(&self, b: usize, body: &BodyHtml, body_key: u64) -> Searchable {
        let briefing = &self.cx.archive.briefings[b];
        let links = &self.cx.index.briefings[b];
        let text = || {
            let mut text = body.text.clone();
            for annotation in &briefing.annotations {
                text.push('\n');
                text.push_str(&plain_text(&annotation.note));
            }
            text
        };
        let source = DocSource {
            kind: Kind::Briefing,
            url: &self.cx.url(&briefing_path(briefing)),
            title: &briefing.title,
            date: briefing.date,
            summary: &briefing.summary,
            names: &[],
            keywords: &[],
            text: "",
            actors: links.actors.iter().map(|&a| slug_and_name(&self.cx.index.actors[a])).collect(),
            topics: links.topics.iter().map(|&t| slug_and_name(&self.cx.index.topics[t])).collect(),
        };
        self.searchable(doc_path(b), source, body_key, text)
    }

    /// Search record of actor `a`: names and aliases weigh like a title.
    pub fn actor_search(&self, a: usize) -> Searchable {
        let entry = &self.cx.index.actors[a];
        let profile = entry.term.profile.map(|p| &self.cx.archive.actors[p]);
        let summary = profile.map_or(String::new(), |p| {
            [p.role.as_deref(), p.description.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(". ")
        });
        let text = profile.map_or(String::new(), |p| plain_text(&p.body));
        let source = DocSource {
            kind: Kind::Actor,
            url: &self.cx.url(&format!("actors/{}/", entry.term.slug)),
            title: &entry.term.name,
            date: None,
            summary: &summary,
            names: profile.map_or(&[], |p| p.aliases.as_slice()),
            keywords: &[],
            text: "",
            actors: vec![slug_and_name(entry)],
            topics: Vec::new(),
        };
        self.searchable(
            term_doc_path("actors", entry.term.slug.as_str()),
            source,
            xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            || text.clone(),
        )
    }

    /// Search record of topic `t`: its name weighs like a title, its keywords like text.
    pub fn topic_search(&self, t: usize) -> Searchable {
        let entry = &self.cx.index.topics[t];
        let profile = entry.term.profile.map(|p| &self.cx.archive.topics[p]);
        let text = profile.map_or(String::new(), |p| plain_text(&p.body));
        let source = DocSource {
            kind: Kind::Topic,
            url: &self.cx.url(&format!("topics/{}/", entry.term.slug)),
            title: &entry.term.name,
            date: None,
            summary: profile.and_then(|p| p.description.as_deref()).unwrap_or(""),
            names: &[],
            keywords: profile.map_or(&[], |p| p.keywords.as_slice()),
            text: "",
            actors: Vec::new(),
            topics: vec![slug_and_name(entry)],
        };
        let path = term_doc_path("topics", entry.term.slug.as_str());
        self.searchable(path, source, xxhash_rust::xxh3::xxh3_64(text.as_bytes()), || text.clone())
    }

    /// The record and file of `source`, whose text `text` makes and
    /// `text_key` fingerprints: when rebuilding, the text is made only if
    /// something it shows changed.
    fn searchable(&self, path: String, source: DocSource, text_key: u64, text: impl Fn() -> String) -> Searchable {
        if !self.cx.config.search {
            return (Arc::new(DocTerms::none(source.kind)), None);
        }
        let Some(memo) = self.memo else {
            let text = text();
            let source = DocSource { text: &text, ..source };
            return (Arc::new(source.terms()), Some(RenderedPage::new(path, source.json())));
        };
        let key = source.key() ^ text_key.rotate_left(17);
        let kept = memo.search.get(key);
        let unchanged = memo.unchanged(&path, key);
        if let (Some(terms), true) = (&kept, unchanged) {
            return (terms.clone(), Some(RenderedPage::unchanged(path)));
        }
        let text = text();
        let source = DocSource { text: &text, ..source };
        let terms = kept.unwrap_or_else(|| Arc::new(source.terms()));
        memo.search.keep(key, terms.clone());
        let page = if unchanged { RenderedPage::unchanged(path) } else { RenderedPage::new(path, source.json()) };
        (terms, Some(page))
    }

    /// The table the client finds a term page's search file by: the term
    /// pages' ids follow the briefings', actors first. None without search.
    pub fn term_table(&self) -> Option<RenderedPage> {
        if !self.cx.config.search {
            return None;
        }
        #[derive(serde::Serialize)]
        struct Table<'b> {
            actors: Vec<&'b str>,
            topics: Vec<&'b str>,
        }
        fn slugs(entries: &[crate::link::TermEntry]) -> Vec<&str> {
            entries.iter().map(|e| e.term.slug.as_str()).collect()
        }
        let table = Table { actors: slugs(&self.cx.index.actors), topics: slugs(&self.cx.index.topics) };
        Some(self.settle(RenderedPage::new(TERM_TABLE, serde_json::to_vec(&table).expect("the term table serialises"))))
    }

    /// Display names of the actors and topics pages are filed under.
    pub fn facet_names(&self) -> FacetNames {
        let names = |entries: &[crate::link::TermEntry]| {
            entries.iter().map(|e| (e.term.slug.to_string(), e.term.name.clone())).collect()
        };
        FacetNames { actors: names(&self.cx.index.actors), topics: names(&self.cx.index.topics) }
    }

    /// `/search/`: the page the search client runs in, when the site has search.
    pub fn search_page(&self) -> Result<Option<RenderedPage>> {
        if !self.cx.config.search {
            return Ok(None);
        }
        let description = format!("Search the briefings, actors and topics of {}", self.cx.config.title);
        let meta = self.meta("search", "Search", &description, "search/", None);
        self.render("search.html", "search/index.html".into(), meta, "", &()).map(Some)
    }
}

fn slug_and_name(entry: &crate::link::TermEntry) -> (&str, &str) {
    (entry.term.slug.as_str(), entry.term.name.as_str())
}
