//! Live preview: a [`Session`] that rebuilds incrementally, a watcher that
//! says when to, and a local HTTP server that reloads the browser.

mod session;

pub use session::{Rebuild, Session};
