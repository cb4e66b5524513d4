//! A build kept alive between saves: parsed files, rendered bodies and the
//! fingerprint of every output stay in memory, so a rebuild re-parses only
//! changed files, runs Markdown only for changed bodies, renders only pages
//! whose data changed, and writes only files whose bytes changed. The result
//! is the same as a full build's; only the work differs.

use crate::error::Result;
use crate::memo::Memo;
use crate::render::RenderedPage;
use crate::search::{DocTerms, FacetNames, SearchIndex};
use crate::site::{
    BuildOptions, Caches, Carry, IndexWhen, Prepared, SearchOutcome, Sink, StageTimes, prepare_cached, render_ahead,
    render_edited, render_site,
};
use crate::write::{Staging, apply_changes};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Pages, feeds and assets made again.
    pub changed: usize,
    /// Files no longer made, removed.
    pub removed: usize,
    /// Every output of the site.
    pub files: usize,
    /// A first build, or one after a config change or a template edit that
    /// touches every page: everything made.
    pub full: bool,
    /// Only stylesheets changed: a browser need not reload the page.
    pub css_only: bool,
    /// Only the edited briefings' own outputs, and the pages quoting them,
    /// were checked: nothing else can have changed.
    pub narrow: bool,
    pub elapsed: Duration,
    /// Pages a preview showed before the rest of the rebuild was made,
    /// and how long after the rebuild's start.
    pub ahead: Option<(usize, Duration)>,
    pub times: StageTimes,
    pub warnings: Vec<String>,
}

/// A preview showing some pages in browsers: a rebuild that makes or
/// checks every page (after a template edit, or a briefing added, removed
/// or moved in time) renders those first and hands them over, so that they
/// show the edit long before the whole site is made.
pub trait Preview {
    /// Output paths (`briefings/x/index.html`) of the pages browsers show.
    fn open_pages(&self) -> BTreeSet<String>;
    /// The open pages, as the rebuild under way makes them.
    fn show_ahead(&self, pages: Vec<RenderedPage>);
}

/// What one update of the search index did.
#[derive(Debug, Clone, Default)]
pub struct IndexUpdate {
    pub changed: usize,
    pub removed: usize,
    pub elapsed: Duration,
}

/// The live state of one site.
pub struct Session {
    options: BuildOptions,
    caches: Caches,
    memo: Option<Memo>,
    /// Fingerprint of the config the memo was made with.
    look: u64,
    /// Fingerprints of the templates it was made with.
    templates: BTreeMap<String, u64>,
    /// The search index as last written, and the records of the pages as
    /// the last rebuild left them, when the index is behind.
    search: Option<SearchIndex>,
    pending: Option<(Vec<Arc<DocTerms>>, FacetNames)>,
    /// What the last render leaves for a rebuild that checks only edited briefings.
    carry: Option<Box<Carry>>,
}

/// How a rebuild goes: everything made again into a staging folder, with
/// what the memo keeps, or only what changed, checked against the memo.
enum Plan {
    /// With `kept`, the memo holds the bodies of the last build.
    Full {
        memo: Memo,
        kept: bool,
    },
    Rebuild(Memo),
}

/// Changed files of a rebuild, held until every page has rendered so that a
/// failed rebuild writes nothing.
#[derive(Default)]
struct Changes(Mutex<Vec<RenderedPage>>);

impl Sink for Changes {
    fn put(&self, mut page: RenderedPage) -> Result<()> {
        // Pages are rendered into room for most pages; held until the end,
        // a page keeps only what it needs.
        page.bytes.shrink_to_fit();
        self.0.lock().expect("no panic holding the lock").push(page);
        Ok(())
    }
}

impl Session {
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            caches: Caches::default(),
            memo: None,
            look: 0,
            templates: BTreeMap::new(),
            search: None,
            pending: None,
            carry: None,
        }
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Tells the next rebuild which content files changed (relative to the
    /// root), as a watcher saw them: the others are taken as they were
    /// without asking the file system. `None`: every file is checked.
    pub fn expect_changes(&self, changed: Option<Vec<std::path::PathBuf>>) {
        self.caches.files.expect_changes(changed);
    }

    /// Brings the pages up to date with the sources. The search index is
    /// brought up to date by [`Session::update_search`], so that browsers
    /// can reload before it is.
    pub fn rebuild(&mut self) -> Result<Rebuild> {
        self.rebuild_for(None)
    }

    /// [`Session::rebuild`], showing `preview`'s open pages first when
    /// every page is made again.
    pub fn rebuild_for(&mut self, preview: Option<&dyn Preview>) -> Result<Rebuild> {
        let started = Instant::now();
        let mut times = StageTimes::default();
        let site = prepare_cached(&self.options, &mut times, Some(&self.caches))?;
        let look = look_of(&self.options.root);
        let edits = self.carry.as_ref().and_then(|c| c.edited(&site));
        // A new config, or templates read by every briefing page, touch
        // (nearly) every page: a full build streams them to disk instead of
        // holding them all. After a template edit it keeps the rendered
        // bodies and search records, which no template shows.
        let plan = match self.memo.take() {
            _ if look != self.look => Plan::Full { memo: Memo::empty(), kept: false },
            Some(memo) if site.theme.keys != self.templates && edits.is_none() => {
                Plan::Full { memo: memo.forget_outputs(), kept: true }
            }
            Some(memo) => Plan::Rebuild(memo),
            None => Plan::Full { memo: Memo::empty(), kept: false },
        };
        let mut report = Rebuild::default();
        match plan {
            Plan::Full { memo, kept } => {
                // Open pages first; without kept bodies, rendering them would
                // take most of what the whole build takes.
                if let Some(preview) = preview.filter(|_| kept) {
                    report.ahead = show_ahead(&site, &memo, preview, started);
                }
                let staging = Staging::begin(&self.options.out)?;
                let rendered = render_site(&site, &staging, Some(&memo), IndexWhen::Now, &mut times)?;
                staging.commit()?;
                self.search = match rendered.search {
                    SearchOutcome::Made(index) => index.map(|i| *i),
                    SearchOutcome::Records(..) => None,
                };
                self.pending = None;
                self.memo = Some(memo.advance());
                self.carry = rendered.carry;
                report = Rebuild {
                    changed: rendered.files,
                    files: rendered.files,
                    full: true,
                    warnings: rendered.warnings,
                    ..report
                };
            }
            Plan::Rebuild(memo) => {
                // A briefing added, removed or moved in time calls for
                // checking every page: the open ones are checked first.
                if let Some(preview) = preview.filter(|_| edits.is_none()) {
                    report.ahead = show_ahead(&site, &memo, preview, started);
                }
                let changes = Changes::default();
                let carry = self.carry.take();
                // Edits that leave every other page as it was check only what they touch.
                let rendered = match (edits, carry) {
                    (Some(edits), Some(carry)) => render_edited(&site, &changes, &memo, carry, &edits, &mut times)
                        .map_err(|(carry, error)| {
                            self.carry = Some(carry);
                            error
                        }),
                    (_, old) => {
                        if let Some(old) = old {
                            crate::site::free_aside(old);
                        }
                        render_site(&site, &changes, Some(&memo), IndexWhen::Later, &mut times)
                    }
                };
                let mut rendered = match rendered {
                    Ok(rendered) => rendered,
                    Err(error) => {
                        self.memo = Some(memo.retry());
                        return Err(error);
                    }
                };
                let changed = changes.0.into_inner().expect("no panic holding the lock");
                let writing = Instant::now();
                // A narrow rebuild makes every output it made before.
                let narrow = rendered.carry.as_ref().is_some_and(|c| c.narrow());
                let gone = if narrow { std::mem::take(&mut rendered.gone) } else { memo.gone() };
                if let Err(error) = apply_changes(&self.options.out, &changed, &gone) {
                    // Some files may be written; the next rebuild makes everything again.
                    self.memo = None;
                    self.search = None;
                    return Err(error);
                }
                times.write = writing.elapsed();
                self.memo = Some(match rendered.carry.as_mut() {
                    Some(carry) if narrow => memo.advance_edited(carry.take_replaced(), &gone),
                    _ => memo.advance(),
                });
                self.carry = rendered.carry.take();
                if let SearchOutcome::Records(docs, names) = rendered.search {
                    self.pending = Some((docs, names));
                }
                let css_only =
                    !changed.is_empty() && gone.is_empty() && changed.iter().all(|p| p.path.ends_with(".css"));
                report = Rebuild {
                    changed: changed.len(),
                    removed: gone.len(),
                    files: rendered.files,
                    css_only,
                    narrow,
                    warnings: rendered.warnings,
                    ..report
                };
            }
        }
        self.look = look;
        self.templates = site.theme.keys.clone();
        report.times = times;
        report.elapsed = started.elapsed();
        Ok(report)
    }
}

impl Session {
    /// Brings the search index up to the last rebuild, writing only the
    /// index files that changed; `None` when it already was.
    pub fn update_search(&mut self) -> Result<Option<IndexUpdate>> {
        let Some((docs, names)) = self.pending.take() else { return Ok(None) };
        let started = Instant::now();
        // Records are left only by a rebuild after a full one, which keeps its index.
        let Some(index) = self.search.as_mut() else { return Ok(None) };
        let changes = index.update(docs, names);
        if let Err(error) = apply_changes(&self.options.out, &changes.changed, &changes.gone) {
            // Some files may be written; the next rebuild makes everything again.
            self.memo = None;
            self.search = None;
            return Err(error);
        }
        Ok(Some(IndexUpdate {
            changed: changes.changed.len(),
            removed: changes.gone.len(),
            elapsed: started.elapsed(),
        }))
    }
}

/// Renders the pages `preview` shows, with the bodies `memo` keeps, and
/// hands over those that changed; returns how many, and when.
fn show_ahead(site: &Prepared, memo: &Memo, preview: &dyn Preview, started: Instant) -> Option<(usize, Duration)> {
    let open = preview.open_pages();
    // A page that fails to render fails the rebuild that follows, which says why.
    let pages = render_ahead(site, memo, &open).ok()?;
    // An unchanged page is the file served already.
    let pages: Vec<RenderedPage> = pages.into_iter().filter(|page| !page.unchanged).collect();
    if pages.is_empty() {
        return None;
    }
    let shown = (pages.len(), started.elapsed());
    preview.show_ahead(pages);
    Some(shown)
}

/// A fingerprint of `dossier.yaml`: when it changes, the next rebuild is a full one.
fn look_of(root: &Path) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&std::fs::read(root.join(crate::config::CONFIG_FILE)).unwrap_or_default())
}
