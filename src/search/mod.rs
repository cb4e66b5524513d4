//! The search index: every briefing, actor and topic page, searchable in
//! the browser from a static host. Render workers reduce each page to a
//! [`DocTerms`] as its body is rendered ([`doc`]), in the normalisation of
//! [`text`] over the ids of [`vocab`]; [`index`] then inverts them into
//! small files a query fetches only the parts it needs of ([`terms`],
//! [`pairs`], [`facets`]), and keeps them to update after an edit.

pub mod doc;
mod encode;
pub mod facets;
pub mod index;
mod pairs;
pub mod terms;
pub mod text;
pub mod vocab;

pub use doc::{DocSource, DocTerms, Kind};
pub use facets::FacetNames;
pub use index::{IndexChanges, SearchIndex};

/// Where the search file of briefing page `id` goes: what a result shows.
pub fn doc_path(id: usize) -> String {
    format!("search/docs/{id}.json")
}

/// Where the search file of the actor or topic page in `folder` with
/// `slug` goes. Named by slug, not id: a term that comes or goes moves the
/// ids of the terms after it, and their files would all be written again.
pub fn term_doc_path(folder: &str, slug: &str) -> String {
    format!("search/docs/{folder}/{slug}.json")
}

/// The slugs of the actors and topics in id order, from which the client
/// finds a term page's search file ([`term_doc_path`]).
pub const TERM_TABLE: &str = "search/docs/terms.json";
