//! Dossier renders annotated briefing archives into static sites.
//!
//! The build is a pipeline of stages, each taking the previous one's output:
//! [`load`] reads `content/` into an [`model::Archive`]; [`link`] resolves
//! actors and topics and computes backlinks, related briefings and the
//! timeline into a [`link::SiteIndex`]; [`markdown`] turns each body into
//! HTML; [`chart`] draws the timeline and the actor network as SVG;
//! [`render`] fills the Tera theme's templates, feeds and sitemap; and
//! [`write`] puts the pages into `public/` atomically. [`site`] drives them.

pub mod annotation;
pub mod chart;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod escape;
pub mod import;
pub mod link;
pub mod live;
pub mod load;
pub mod markdown;
pub mod memo;
pub mod model;
pub mod passage;
pub mod render;
pub mod search;
pub mod site;
pub mod terminal;
pub mod write;
pub mod yaml;
