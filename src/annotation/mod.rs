//! Annotations: an analyst's notes on passages of a briefing. `anchor`
//! finds each note's passage in the body; `edit` adds a note to a
//! briefing's file without disturbing the rest of it.

mod anchor;
mod edit;

pub use anchor::{Anchor, Blocks, Lost, Span};
pub use edit::insert_annotation;
