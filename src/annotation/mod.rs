//! Annotations: an analyst's notes on passages of a briefing. `anchor`
//! finds each note's passage in the body.

mod anchor;

pub use anchor::{Anchor, Blocks, Lost, Span};
