//! Annotations: an analyst's notes on passages of a briefing. `anchor`
//! finds each note's passage in the body; `edit` adds a note to a
//! briefing's file without disturbing the rest of it; `w3c` converts notes
//! to and from W3C Web Annotation JSON-LD.

mod anchor;
mod edit;
pub mod w3c;

pub use anchor::{Anchor, Blocks, Lost, Span};
pub use edit::insert_annotation;
