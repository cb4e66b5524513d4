//! Live preview: a [`Session`] that rebuilds incrementally, a watcher that
//! says when to, and a local HTTP server that reloads the browser.

mod http;
pub mod serve;
mod session;
mod state;
mod watch;

pub use session::{IndexUpdate, Preview, Rebuild, Session};
pub use watch::{Batch, Watcher};
