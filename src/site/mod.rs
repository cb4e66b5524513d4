//! The driver: runs the stages in order — load, link, markdown, render,
//! write — and times each of them.

mod ahead;
mod edited;
mod relinked;

pub use ahead::render_pages as render_ahead;
use edited::Parts;
pub use edited::{Carry, Edits, render_edited};

use crate::chart::Pictures;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::link::{LinkCache, SiteIndex, link_archive};
use crate::load::{LoadCache, LoadOptions, load_archive_cached};
use crate::markdown::BodyHtml;
use crate::memo::Memo;
use crate::model::Archive;
use crate::render::{
    RenderedPage, Renderer, Searchable, SiteParts, TemplateCache, Theme, is_search_asset, load_theme_cached,
};
use crate::search::{DocTerms, FacetNames, Kind, SearchIndex};
use crate::write::{Staging, WriteStats};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Output folder; `public/` under the root by default.
    pub out: PathBuf,
    /// Replaces `base_url` from the config.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Time spent in each stage. Markdown and render overlap in parallel, so
/// theirs are summed over threads (CPU time), the others are wall time.
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub link: Duration,
    pub markdown: Duration,
    pub render: Duration,
    /// Timeline, network and term charts (CPU time).
    pub pictures: Duration,
    /// Search records and the index files (CPU time).
    pub search: Duration,
    pub write: Duration,
}

impl std::fmt::Display for StageTimes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        write!(
            f,
            "stages: load {:.1} ms, link {:.1} ms, markdown {:.1} ms (cpu), render {:.1} ms (cpu), \
             pictures {:.1} ms (cpu), search {:.1} ms (cpu), write {:.1} ms",
            ms(self.load),
            ms(self.link),
            ms(self.markdown),
            ms(self.render),
            ms(self.pictures),
            ms(self.search),
            ms(self.write)
        )
    }
}

/// What a build produced.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub briefings: usize,
    pub actors: usize,
    pub topics: usize,
    /// HTML pages.
    pub pages: usize,
    /// Atom feeds.
    pub feeds: usize,
    /// Every file of the output, pages, feeds and assets included.
    pub files: usize,
    pub write: WriteStats,
    pub times: StageTimes,
    pub elapsed: Duration,
    /// Problems that do not stop the build, e.g. annotations whose passage changed.
    pub warnings: Vec<String>,
}

/// The loaded, linked site, ready to render: what `build` and `check` share.
pub struct Prepared {
    /// The site folder, which content paths are relative to.
    pub root: PathBuf,
    pub config: Config,
    pub theme: Theme,
    pub archive: Archive,
    /// Shared with the live session's cache, which keeps it while the
    /// fields it is linked from are unchanged.
    pub index: Arc<SiteIndex>,
}

/// Stages 1–2 plus the theme: every problem in content, config and templates
/// is reported together.
pub fn prepare(options: &BuildOptions, times: &mut StageTimes) -> Result<Prepared> {
    prepare_cached(options, times, None)
}

/// What a live session keeps between builds to prepare the next one faster.
#[derive(Default)]
pub struct Caches {
    /// Parsed content files.
    pub files: LoadCache,
    /// The last site index, with what it was linked from.
    pub index: LinkCache,
    /// The theme's compiled templates.
    pub templates: TemplateCache,
}

/// [`prepare`], reusing what `caches` hold of unchanged content.
pub fn prepare_cached(options: &BuildOptions, times: &mut StageTimes, caches: Option<&Caches>) -> Result<Prepared> {
    let cache = caches.map(|c| &c.files);
    let started = Instant::now();
    let config = Config::load(&options.root).and_then(|c| match &options.base_url {
        Some(url) => c.with_base_url(url),
        None => Ok(c),
    });
    let theme_name = config.as_ref().map_or("default", |c| c.theme.as_str()).to_string();
    let (theme, archive) = rayon::join(
        || load_theme_cached(&options.root, &theme_name, caches.map(|c| &c.templates)),
        || load_archive_cached(&options.root, LoadOptions { drafts: options.drafts }, cache),
    );
    times.load = started.elapsed();
    let (config, mut theme, archive) = match (config, theme, archive) {
        (Ok(c), Ok(t), Ok(a)) => (c, t, a),
        (c, t, a) => {
            let errors = [c.err(), t.err(), a.err()].into_iter().flatten().flat_map(Error::into_list).collect();
            return Err(Error::many(errors));
        }
    };
    if !config.search {
        theme.assets.retain(|path, _| !is_search_asset(path));
    }
    let started = Instant::now();
    let index = match caches {
        Some(caches) => caches.index.link(&archive)?,
        None => Arc::new(link_archive(&archive)?),
    };
    times.link = started.elapsed();
    Ok(Prepared { root: options.root.clone(), config, theme, archive, index })
}

/// Briefings rendered in one piece of parallel work. Rayon stops splitting
/// work once each thread has a share, so without a bound the last share
/// could be a quarter of the archive, rendered while the other thread waits.
const BRIEFINGS_PER_JOB: usize = 4;

/// A list page to render: pages that list briefings rather than being one.
enum ListJob {
    Actor(usize),
    Topic(usize),
    Period(usize),
    /// The network and timeline pages.
    Network,
    /// Home pages, the actor and topic indexes, 404.
    Indexes,
}

/// Where rendered files go: the staging folder of a full build, or the
/// list of changed files of a rebuild.
pub trait Sink: Sync {
    /// Takes a made page: written at once, or held as it is.
    fn put(&self, page: RenderedPage) -> Result<()>;
}

impl Sink for Staging {
    fn put(&self, page: RenderedPage) -> Result<()> {
        Staging::put(self, &page)
    }
}

/// When the search index is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexWhen {
    /// With the pages, while list pages render.
    Now,
    /// After the pages are written: the records are handed back in [`Rendered::search`].
    Later,
}

/// The search index a render made, or what to make it from.
pub enum SearchOutcome {
    /// Made and written; kept only for a live session, to update later.
    Made(Option<Box<SearchIndex>>),
    /// Every page's record, by page id, to make or update the index from.
    Records(Vec<Arc<DocTerms>>, FacetNames),
}

/// What rendering made, for the summary line.
pub struct Rendered {
    pub pages: usize,
    pub feeds: usize,
    pub files: usize,
    /// Files made again because their data changed (all of them without a memo).
    pub changed: usize,
    pub warnings: Vec<String>,
    pub search: SearchOutcome,
    /// With a memo: what a rebuild after edits to some briefings starts from.
    pub carry: Option<Box<Carry>>,
    /// Outputs no longer made, when a rebuild that checked only some outputs
    /// knows them (the memo knows the others).
    pub gone: Vec<String>,
}

/// Builds the whole site into `options.out`.
pub fn build_site(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let mut times = StageTimes::default();
    let site = prepare(options, &mut times)?;
    let staging = Staging::begin(&options.out)?;
    let rendered = render_site(&site, &staging, None, IndexWhen::Now, &mut times)?;
    let start = Instant::now();
    let write = staging.commit()?;
    times.write += start.elapsed();
    let report = BuildReport {
        briefings: site.archive.briefings.len(),
        actors: site.index.actors.len(),
        topics: site.index.topics.len(),
        pages: rendered.pages,
        feeds: rendered.feeds,
        files: rendered.files,
        write,
        times,
        elapsed: started.elapsed(),
        warnings: rendered.warnings,
    };
    free_aside(site);
    Ok(report)
}

/// Frees `parts` on a thread of its own: a site has tens of thousands of
/// small parts, and freeing them takes tens of milliseconds that a build
/// or rebuild need not wait for.
pub(crate) fn free_aside(parts: impl Send + 'static) {
    // Without a thread to spare, the parts are freed here, when the closure drops.
    let _ = std::thread::Builder::new().spawn(move || drop(parts));
}

/// Stages 3–4 and the writes into `sink`: every page, feed and asset, in
/// parallel. With a memo, files made from unchanged data are skipped.
pub fn render_site(
    site: &Prepared,
    sink: &dyn Sink,
    memo: Option<&Memo>,
    index_when: IndexWhen,
    times: &mut StageTimes,
) -> Result<Rendered> {
    let pictures = Arc::new(Pictures::new(
        &site.archive,
        &site.index,
        &site.config.base_path(),
        site.config.charts.network_actors,
    ));
    let drawn_before_render = pictures.time_spent();
    let parts =
        SiteParts { config: &site.config, archive: &site.archive, index: &site.index, pictures: &pictures, memo };
    let renderer = Renderer::new(&site.theme, parts);
    let (markdown_ns, render_ns, write_ns) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let search_ns = AtomicU64::new(0);
    let changed = AtomicU64::new(0);
    let timed =
        |counter: &AtomicU64, start: Instant| counter.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
    let put = |page: RenderedPage| -> Result<()> {
        if page.unchanged {
            return Ok(());
        }
        changed.fetch_add(1, Ordering::Relaxed);
        let start = Instant::now();
        sink.put(page)?;
        timed(&write_ns, start);
        Ok(())
    };

    // Briefing pages first: their bodies yield the mentions actor pages
    // quote and the anchored annotations the annotations page lists.
    let bodies = (0..site.archive.briefings.len())
        .into_par_iter()
        .with_max_len(BRIEFINGS_PER_JOB)
        .map(|b| {
            let start = Instant::now();
            let (body, key) = renderer.briefing_body(b);
            timed(&markdown_ns, start);
            let start = Instant::now();
            let page = renderer.briefing_page(b, &body, key)?;
            timed(&render_ns, start);
            put(page)?;
            let start = Instant::now();
            let (terms, search_file) = renderer.briefing_search(b, &body, key);
            timed(&search_ns, start);
            search_file.map(put).transpose()?;
            Ok((kept_part(body), terms, key))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut parts: Vec<Arc<BodyHtml>> = Vec::with_capacity(bodies.len());
    let mut search_docs: Vec<Arc<DocTerms>> = Vec::with_capacity(bodies.len() + site.index.actors.len());
    let mut body_keys: Vec<u64> = Vec::with_capacity(bodies.len());
    for (body, t, k) in bodies {
        parts.push(body);
        search_docs.push(t);
        body_keys.push(k);
    }
    let bodies = parts;
    let warnings = annotation_warnings(&site.archive, &bodies);

    let periods = renderer.period_paths();
    // Every list page is a job of its own; each page is written as soon as
    // it is rendered so none wait in memory.
    let mut jobs: Vec<ListJob> = vec![ListJob::Indexes, ListJob::Network];
    jobs.extend((0..periods.len()).map(ListJob::Period));
    jobs.extend((0..site.index.actors.len()).map(ListJob::Actor));
    jobs.extend((0..site.index.topics.len()).map(ListJob::Topic));
    let list_jobs = || -> Result<usize> {
        Ok(jobs
            .into_par_iter()
            .with_max_len(1)
            .map(|job| {
                let start = Instant::now();
                let pages = match job {
                    ListJob::Actor(a) => renderer.actor_pages(a, &bodies)?,
                    ListJob::Topic(t) => renderer.topic_pages(t)?,
                    ListJob::Period(p) => vec![renderer.period_page(&periods, p)?],
                    ListJob::Network => {
                        vec![renderer.network_page()?, renderer.timeline_page()?, renderer.annotations_page(&bodies)?]
                    }
                    ListJob::Indexes => {
                        let mut pages = renderer.home_pages()?;
                        pages.push(renderer.actors_page()?);
                        pages.push(renderer.topics_page()?);
                        pages.push(renderer.not_found_page()?);
                        pages.extend(renderer.search_page()?);
                        pages
                    }
                };
                timed(&render_ns, start);
                let count = pages.len();
                pages.into_iter().try_for_each(put)?;
                Ok(count)
            })
            .collect::<Result<Vec<usize>>>()?
            .into_iter()
            .sum())
    };
    // The index is made while list pages render: it needs only the records.
    let search_index = || -> Result<SearchMade> {
        if !site.config.search {
            // Term records are placeholders too, so that ids stay those of pages.
            let none = |kind| Arc::new(DocTerms::none(kind));
            let mut docs = search_docs;
            docs.extend(site.index.actors.iter().map(|_| none(Kind::Actor)));
            docs.extend(site.index.topics.iter().map(|_| none(Kind::Topic)));
            return Ok((0, SearchOutcome::Made(None), memo.map(|_| docs)));
        }
        let start = Instant::now();
        let terms: Vec<Searchable> = (0..site.index.actors.len())
            .into_par_iter()
            .map(|a| renderer.actor_search(a))
            .chain((0..site.index.topics.len()).into_par_iter().map(|t| renderer.topic_search(t)))
            .collect();
        let mut docs = search_docs;
        let mut files = Vec::with_capacity(terms.len());
        for (doc, file) in terms {
            docs.push(doc);
            files.extend(file);
        }
        files.extend(renderer.term_table());
        let carried = memo.map(|_| docs.clone());
        let outcome = match index_when {
            IndexWhen::Later => SearchOutcome::Records(docs, renderer.facet_names()),
            IndexWhen::Now => {
                let (index, index_files) = SearchIndex::build(docs, renderer.facet_names());
                files.extend(index_files);
                SearchOutcome::Made(memo.is_some().then(|| Box::new(index)))
            }
        };
        timed(&search_ns, start);
        let count = files.len();
        files.into_par_iter().try_for_each(put)?;
        Ok((count, outcome, carried))
    };
    let (list_pages, search) = rayon::join(list_jobs, search_index);
    let (list_pages, (search_files, search, carried_docs)) = (list_pages?, search?);
    let search_files = search_files + if site.config.search { site.archive.briefings.len() } else { 0 };

    let start = Instant::now();
    let feeds = renderer.feeds();
    let extras = renderer.sitemap();
    timed(&render_ns, start);
    let feed_count = feeds.len();
    let assets: Vec<RenderedPage> =
        site.theme.assets.iter().map(|(path, bytes)| RenderedPage::new(path.clone(), bytes.clone())).collect();
    let files = site.archive.briefings.len() + list_pages + search_files + feed_count + extras.len() + assets.len();
    // Feeds and the sitemap consult the memo themselves, by what they list.
    feeds.into_iter().chain(extras).chain(assets.into_iter().map(|page| renderer.settle(page))).try_for_each(put)?;

    times.write = Duration::from_nanos(write_ns.load(Ordering::Relaxed));
    times.markdown = Duration::from_nanos(markdown_ns.load(Ordering::Relaxed));
    times.search = Duration::from_nanos(search_ns.load(Ordering::Relaxed));
    times.pictures = pictures.time_spent();
    // Charts are drawn inside page renders; count them once, as pictures.
    let drawn_in_render = times.pictures.saturating_sub(drawn_before_render);
    times.render = Duration::from_nanos(render_ns.load(Ordering::Relaxed)).saturating_sub(drawn_in_render);
    let pages = site.archive.briefings.len() + list_pages;
    let (carry, bodies) = match carried_docs {
        Some(docs) => {
            let parts = Parts { pictures: pictures.clone(), teasers: renderer.teaser_keys(), body_keys, bodies, docs };
            (Some(Box::new(Carry::new(site, parts, renderer.facet_names(), [pages, feed_count, files]))), None)
        }
        None => (None, Some(bodies)),
    };
    free_aside((renderer.into_made(), bodies));
    Ok(Rendered {
        pages,
        feeds: feed_count,
        files,
        changed: changed.load(Ordering::Relaxed) as usize,
        warnings,
        search,
        carry,
        gone: Vec::new(),
    })
}

/// What the search stage made: how many files, the index or its records,
/// and (with a memo) every page's record, for the next render.
type SearchMade = (usize, SearchOutcome, Option<Vec<Arc<DocTerms>>>);

/// A rendered body as later pages need it: its mentions (quoted on actor
/// pages) and its notes (listed on the annotations page).
pub(crate) fn kept_part(body: Arc<BodyHtml>) -> Arc<BodyHtml> {
    // Without a memo the body is ours alone: its HTML and text go now
    // rather than wait for the whole render. A memo keeps them anyway.
    match Arc::try_unwrap(body) {
        Ok(body) => Arc::new(BodyHtml { html: String::new(), text: String::new(), ..body }),
        Err(shared) => shared,
    }
}

/// One line per annotation whose passage is not plainly found: file, note
/// number and quote, and what is wrong.
pub fn annotation_warnings(archive: &Archive, found: &[Arc<BodyHtml>]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (briefing, found) in archive.briefings.iter().zip(found) {
        for (i, (annotation, anchor)) in briefing.annotations.iter().zip(&found.anchors).enumerate() {
            if let Some(problem) = anchor.problem() {
                let quote = crate::markdown::shorten(&annotation.quote, 0, 60);
                warnings.push(format!("{}: annotation {} (“{quote}”): {problem}", briefing.path.display(), i + 1));
            }
        }
    }
    warnings
}
