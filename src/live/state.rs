//! What the preview tells browsers: the number of the last rebuild and how
//! it went, which pages browsers show, and the pages rendered ahead of a
//! full rebuild, served until the rebuild has written them.

use super::session::Preview;
use crate::render::RenderedPage;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a browser's wait for the next rebuild is held open.
const LONG_POLL: Duration = Duration::from_secs(25);

/// What the last rebuild did, as browsers are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Reload,
    Css,
    Failed,
    /// The search index was updated after the pages: only pages that read it reload.
    Search,
    /// Some open pages were rendered ahead of a full rebuild: those reload now.
    Ahead,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Reload => "reload",
            Outcome::Css => "css",
            Outcome::Failed => "failed",
            Outcome::Search => "search",
            Outcome::Ahead => "ahead",
        }
    }
}

/// One event browsers hear of.
#[derive(Debug, Clone)]
struct Event {
    build: u64,
    outcome: Outcome,
    message: String,
    /// The pages rendered ahead in the rebuild this event belongs to.
    ahead: Option<Arc<Ahead>>,
}

/// Pages shown ahead of a full rebuild, by output path, and the number of
/// the event that told of them.
#[derive(Debug)]
struct Ahead {
    build: u64,
    pages: BTreeSet<String>,
}

/// What a waiting browser is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub build: u64,
    pub outcome: Outcome,
    pub message: String,
    /// Its page was rendered ahead: on [`Outcome::Ahead`] it reloads; on
    /// the rebuild's end it already shows the page as made, if it reloaded then.
    pub yours: bool,
}

/// Shared by the rebuild loop and every request.
pub struct LiveState {
    state: Mutex<Event>,
    /// The last event that was not a search index update, for a browser that missed it.
    pages: Mutex<Event>,
    changed: Condvar,
    /// Output paths of the pages browsers wait on, with how many wait.
    open: Mutex<BTreeMap<String, usize>>,
    /// Pages rendered ahead, served in place of their files until the rebuild ends.
    overlay: Mutex<HashMap<String, Vec<u8>>>,
}

impl Default for LiveState {
    fn default() -> Self {
        let event = Event { build: 0, outcome: Outcome::Reload, message: String::new(), ahead: None };
        LiveState {
            state: Mutex::new(event.clone()),
            pages: Mutex::new(event),
            changed: Condvar::new(),
            open: Mutex::default(),
            overlay: Mutex::default(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().expect("no panic holding the lock")
}

impl LiveState {
    /// Tells every waiting browser about a new rebuild.
    pub fn publish(&self, outcome: Outcome, message: String) {
        let mut state = lock(&self.state);
        // The event that ends a rebuild which showed pages ahead says which:
        // their browsers already show them as the rebuild made them.
        let ahead = if state.outcome == Outcome::Ahead { state.ahead.clone() } else { None };
        if outcome != Outcome::Search {
            lock(&self.overlay).clear();
        }
        let build = state.build + 1;
        self.advance(&mut state, Event { build, outcome, message, ahead });
    }

    fn advance(&self, state: &mut Event, event: Event) {
        *state = event;
        if state.outcome != Outcome::Search {
            *lock(&self.pages) = state.clone();
        }
        self.changed.notify_all();
    }

    /// The number of the last event, and the build error if the last rebuild failed.
    pub fn current(&self) -> (u64, Option<String>) {
        let state = lock(&self.state);
        (state.build, (state.outcome == Outcome::Failed).then(|| state.message.clone()))
    }

    /// The page at `path` as rendered ahead of the rebuild under way, if it was.
    pub fn ahead_page(&self, path: &str) -> Option<Vec<u8>> {
        lock(&self.overlay).get(path).cloned()
    }

    /// Waits until an event after `since` happened, or the poll times out.
    /// `page`, the output path of the browser's page, counts as open meanwhile.
    /// A browser that missed the pages' rebuild hears of it rather than of
    /// the search index update that followed.
    pub fn wait_after(&self, since: u64, page: Option<&str>) -> Told {
        let _open = page.map(|page| Open::new(self, page));
        let deadline = Instant::now() + LONG_POLL;
        let mut state = lock(&self.state);
        while state.build <= since {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self.changed.wait_timeout(state, left).expect("no panic holding the lock").0;
        }
        let build = state.build;
        let event = if state.outcome == Outcome::Search && since < lock(&self.pages).build {
            lock(&self.pages).clone()
        } else {
            state.clone()
        };
        drop(state);
        let yours = match (&event.ahead, page) {
            (Some(ahead), Some(page)) if ahead.pages.contains(page) => {
                event.outcome == Outcome::Ahead || since >= ahead.build
            }
            _ => false,
        };
        Told { build, outcome: event.outcome, message: event.message, yours }
    }
}

impl Preview for LiveState {
    fn open_pages(&self) -> BTreeSet<String> {
        lock(&self.open).keys().cloned().collect()
    }

    fn show_ahead(&self, pages: Vec<RenderedPage>) {
        let paths = pages.iter().map(|p| p.path.clone()).collect();
        lock(&self.overlay).extend(pages.into_iter().map(|p| (p.path, p.bytes)));
        let mut state = lock(&self.state);
        let build = state.build + 1;
        let ahead = Some(Arc::new(Ahead { build, pages: paths }));
        self.advance(&mut state, Event { build, outcome: Outcome::Ahead, message: String::new(), ahead });
    }
}

/// A page counted as open while its browser waits.
struct Open<'a> {
    live: &'a LiveState,
    page: String,
}

impl<'a> Open<'a> {
    fn new(live: &'a LiveState, page: &str) -> Self {
        *lock(&live.open).entry(page.to_string()).or_default() += 1;
        Open { live, page: page.to_string() }
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        let mut open = lock(&self.live.open);
        if let Some(count) = open.get_mut(&self.page) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.page);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_behind_the_pages_rebuild_hears_of_it_not_of_the_index_update() {
        let live = LiveState::default();
        live.publish(Outcome::Reload, String::new());
        live.publish(Outcome::Search, String::new());
        assert_eq!(live.wait_after(0, None).build, 2);
        assert_eq!(live.wait_after(0, None).outcome, Outcome::Reload, "it missed the pages' rebuild");
        assert_eq!(live.wait_after(1, None).outcome, Outcome::Search, "it saw the pages' rebuild already");
        live.publish(Outcome::Css, String::new());
        assert_eq!(live.wait_after(1, None).outcome, Outcome::Css);
    }

    #[test]
    fn pages_shown_ahead_reload_once_and_are_served_until_the_rebuild_ends() {
        let live = Arc::new(LiveState::default());
        let (a, b) = ("briefings/a/index.html", "briefings/b/index.html");
        // Two browsers wait, on pages a and b.
        let waiting: Vec<_> = [a, b]
            .into_iter()
            .map(|page| {
                let live = live.clone();
                std::thread::spawn(move || live.wait_after(0, Some(page)))
            })
            .collect();
        while live.open_pages().len() < 2 {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(live.open_pages(), BTreeSet::from([a.to_string(), b.to_string()]));
        live.show_ahead(vec![RenderedPage::new(a, b"new a".to_vec())]);
        let told: Vec<Told> = waiting.into_iter().map(|w| w.join().unwrap()).collect();
        assert_eq!((told[0].outcome, told[0].yours), (Outcome::Ahead, true), "a reloads now");
        assert_eq!((told[1].outcome, told[1].yours), (Outcome::Ahead, false), "b waits for the rebuild");
        assert!(live.open_pages().is_empty(), "no browser waits");
        assert_eq!(live.ahead_page(a).as_deref(), Some(&b"new a"[..]));
        assert_eq!(live.ahead_page(b), None);

        live.publish(Outcome::Reload, String::new());
        assert_eq!(live.ahead_page(a), None, "the written file is served again");
        // Page a reloaded after the event that showed it ahead: it is as made.
        assert!(live.wait_after(1, Some(a)).yours);
        // A browser on page a that missed that event reloads, as does b.
        assert!(!live.wait_after(0, Some(a)).yours);
        assert!(!live.wait_after(1, Some(b)).yours);
        // After the index update, one that missed the pages' rebuild still hears of it.
        live.publish(Outcome::Search, String::new());
        let late = live.wait_after(1, Some(a));
        assert_eq!((late.outcome, late.yours), (Outcome::Reload, true));
        // The next rebuild showed nothing ahead.
        live.publish(Outcome::Reload, String::new());
        assert!(!live.wait_after(3, Some(a)).yours);
    }
}
