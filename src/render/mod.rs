//! Stage 4, render: the site index and rendered bodies → pages. Tera themes
//! make the HTML; Atom feeds and the sitemap are written directly.

mod annotation_pages;
mod context;
mod feeds;
mod pages;
mod picture_pages;
mod search_pages;
mod sitemap;
mod theme;

pub use context::{SiteContext, briefing_path, display_date};
pub use feeds::{FeedEntry, render_feed};
pub use pages::paged_path;
pub use search_pages::Searchable;
pub use sitemap::Sitemap;
pub use theme::{TEMPLATES, TemplateCache, Theme, default_theme_files, is_search_asset, load_theme, load_theme_cached};

use crate::chart::Pictures;
use crate::config::Config;
use crate::link::{MentionMatcher, SiteIndex};
use crate::markdown::{BodyHtml, MarkdownOptions, MentionLinks, render_markdown};
use crate::memo::{HashWriter, Memo};
use crate::model::{Archive, Briefing};
use chrono::Datelike;
use context::ContextBuilder;
use std::sync::{Arc, OnceLock};

/// A file of the output, by its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Made from the same data as in the previous build (see [`Memo`]):
    /// `bytes` is left empty and the file on disk stays.
    pub unchanged: bool,
}

impl RenderedPage {
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> RenderedPage {
        RenderedPage { path: path.into(), bytes, unchanged: false }
    }

    pub fn unchanged(path: impl Into<String>) -> RenderedPage {
        RenderedPage { path: path.into(), bytes: Vec::new(), unchanged: true }
    }
}

/// What a site is made of, once loaded, linked and drawn.
#[derive(Clone, Copy)]
pub struct SiteParts<'a> {
    pub config: &'a Config,
    pub archive: &'a Archive,
    pub index: &'a SiteIndex,
    pub pictures: &'a Pictures,
    /// The previous build's outputs, when rebuilding: unchanged pages are skipped.
    pub memo: Option<&'a Memo>,
}

/// Renders the pages of one site; shared by every page job.
pub struct Renderer<'a> {
    theme: &'a Theme,
    cx: ContextBuilder<'a>,
    pictures: &'a Pictures,
    memo: Option<&'a Memo>,
    base_context: tera::Context,
    /// Fingerprint of each briefing's teaser, made once for the many pages
    /// that show it (see [`Renderer::teaser_keys`]).
    teasers: OnceLock<Arc<Vec<u64>>>,
}

impl<'a> Renderer<'a> {
    pub fn new(theme: &'a Theme, site: SiteParts<'a>) -> Self {
        let cx = ContextBuilder::new(site.config, site.archive, site.index);
        let mut base_context = tera::Context::new();
        base_context.insert("site", &cx.site());
        Renderer { theme, cx, pictures: site.pictures, memo: site.memo, base_context, teasers: OnceLock::new() }
    }

    /// A renderer that takes teaser fingerprints made by an earlier render
    /// of the same teasers.
    pub fn with_teaser_keys(theme: &'a Theme, site: SiteParts<'a>, teasers: Arc<Vec<u64>>) -> Self {
        let renderer = Renderer::new(theme, site);
        let _ = renderer.teasers.set(teasers);
        renderer
    }

    /// What this renderer made to share between pages (teasers, links),
    /// taken out so that it can be freed elsewhere.
    pub fn into_made(mut self) -> impl Send + 'static + use<> {
        self.cx.take_made()
    }

    /// The fingerprint of every briefing's teaser fields (address, title,
    /// summary, date), by briefing.
    pub fn teaser_keys(&self) -> Arc<Vec<u64>> {
        self.teaser_table().clone()
    }

    pub(super) fn teaser_table(&self) -> &Arc<Vec<u64>> {
        self.teasers.get_or_init(|| {
            use rayon::prelude::*;
            Arc::new(self.cx.archive.briefings.par_iter().map(|b| teaser_key(b)).collect())
        })
    }

    /// The body of briefing `b` as HTML, with its listed actors' first
    /// mentions linked; from the memo when nothing it is made from changed.
    /// Returns the body and the fingerprint of its inputs (0 without a memo).
    pub fn briefing_body(&self, b: usize) -> (Arc<BodyHtml>, u64) {
        let targets: Vec<(usize, String)> = self.cx.index.briefings[b]
            .actors
            .iter()
            .map(|&a| (a, self.cx.url(&format!("actors/{}/", self.cx.index.actors[a].term.slug))))
            .collect();
        let briefing = &self.cx.archive.briefings[b];
        let key = self.memo.map_or(0, |_| {
            // What the body is made from: its text and notes, the listed
            // actors (their pages and the aliases that find their mentions).
            let mut hash = HashWriter::new();
            hash.update(&briefing.text_key.to_le_bytes());
            hash.update(self.cx.base_path.as_bytes());
            // Actors by their pages, not their indexes, which shift when
            // another actor comes or goes; mentions name them by place in this list.
            for (a, url) in &targets {
                hash.update(url.as_bytes());
                for alias in &self.cx.index.actors[*a].term.aliases {
                    hash.update(alias.as_bytes());
                    hash.update(b"\0");
                }
            }
            hash.finish()
        });
        if let Some(memo) = self.memo
            && let Some(body) = memo.bodies.get(key)
        {
            return (body, key);
        }
        // Only the briefing's own actors are looked for, so what a body links
        // depends on nothing its key does not hold: another actor's longer
        // name cannot hide one of them.
        let matcher = MentionMatcher::new(
            targets
                .iter()
                .flat_map(|(a, _)| self.cx.index.actors[*a].term.aliases.iter().map(move |n| (*a, n.as_str()))),
        );
        let body = Arc::new(render_markdown(
            &briefing.body,
            &MarkdownOptions {
                base_path: &self.cx.base_path,
                mentions: Some(MentionLinks { matcher: &matcher, targets: &targets }),
                annotations: &briefing.annotations,
                block_ids: true,
            },
        ));
        if let Some(memo) = self.memo {
            memo.bodies.keep(key, body.clone());
        }
        (body, key)
    }

    /// `page` as it is, or marked unchanged when the memo saw the same bytes.
    pub fn settle(&self, page: RenderedPage) -> RenderedPage {
        match self.memo {
            Some(memo) if memo.unchanged(&page.path, xxhash_rust::xxh3::xxh3_64(&page.bytes)) => {
                RenderedPage::unchanged(page.path)
            }
            _ => page,
        }
    }

    /// The Atom feeds: the whole site, then one per actor and per topic.
    pub fn feeds(&self) -> Vec<RenderedPage> {
        use rayon::prelude::*;
        let cx = &self.cx;
        let terms = cx.index.actors.iter().map(|e| ("actors", e)).chain(cx.index.topics.iter().map(|e| ("topics", e)));
        let mut jobs = vec![("atom.xml".to_string(), cx.config.title.clone(), String::new(), &cx.index.timeline)];
        jobs.extend(terms.map(|(folder, entry)| {
            let path = format!("{folder}/{}/", entry.term.slug);
            (format!("{path}atom.xml"), format!("{} — {}", entry.term.name, cx.config.title), path, &entry.briefings)
        }));
        jobs.par_iter().map(|(feed, title, page, briefings)| self.feed(feed, title, page, briefings)).collect()
    }

    /// A feed of the newest dated briefings among `briefings` (newest first).
    fn feed(&self, feed_path: &str, title: &str, page_path: &str, briefings: &[usize]) -> RenderedPage {
        let cx = &self.cx;
        let shown =
            || briefings.iter().copied().filter(|&b| cx.archive.briefings[b].date.is_some()).take(cx.config.feed_limit);
        if let Some(memo) = self.memo {
            // A feed shows its title and, per entry, the teaser fields and
            // the names of the entry's topics and actors.
            let mut hash = HashWriter::new();
            for text in [feed_path, title, page_path] {
                hash.update(text.as_bytes());
                hash.update(b"\0");
            }
            for b in shown() {
                hash.update(&self.teaser_table()[b].to_le_bytes());
                let links = &cx.index.briefings[b];
                let names = links.topics.iter().map(|&t| &cx.index.topics[t].term.name);
                for name in names.chain(links.actors.iter().map(|&a| &cx.index.actors[a].term.name)) {
                    hash.update(name.as_bytes());
                    hash.update(b"\0");
                }
                hash.update(b"\n");
            }
            if memo.unchanged(feed_path, hash.finish()) {
                return RenderedPage::unchanged(feed_path);
            }
        }
        let entries: Vec<FeedEntry> = shown()
            .filter_map(|b| {
                let briefing = &cx.archive.briefings[b];
                let links = &cx.index.briefings[b];
                Some(FeedEntry {
                    title: &briefing.title,
                    permalink: cx.permalink(&briefing_path(briefing)),
                    date: briefing.date?,
                    summary: &briefing.summary,
                    categories: links
                        .topics
                        .iter()
                        .map(|&t| cx.index.topics[t].term.name.as_str())
                        .chain(links.actors.iter().map(|&a| cx.index.actors[a].term.name.as_str()))
                        .collect(),
                })
            })
            .collect();
        let xml = render_feed(
            &feeds::FeedHead {
                title,
                language: &cx.config.language,
                self_url: &cx.permalink(feed_path),
                page_url: &cx.permalink(page_path),
                author: &cx.config.title,
            },
            &entries,
        );
        RenderedPage::new(feed_path, xml.into_bytes())
    }

    /// `sitemap.xml` and `robots.txt` pointing at it.
    pub fn sitemap(&self) -> Vec<RenderedPage> {
        let cx = &self.cx;
        let sitemap_url = cx.permalink("sitemap.xml");
        let robots = self.settle(RenderedPage::new(
            "robots.txt",
            format!("User-agent: *\nAllow: /\nSitemap: {sitemap_url}\n").into_bytes(),
        ));
        if let Some(memo) = self.memo {
            // The sitemap lists every briefing (address and date, in
            // timeline order), term page and period page.
            let mut hash = HashWriter::new();
            for &b in &cx.index.timeline {
                let briefing = &cx.archive.briefings[b];
                hash.update(briefing.slug.as_str().as_bytes());
                hash.update(&briefing.date.map_or(0, |d| d.num_days_from_ce()).to_le_bytes());
            }
            // By folder: a name may move from the actors to the topics.
            for (folder, entries) in [("actors/", &cx.index.actors), ("topics/", &cx.index.topics)] {
                hash.update(folder.as_bytes());
                for entry in entries {
                    hash.update(entry.term.slug.as_str().as_bytes());
                    hash.update(b"\0");
                }
            }
            for (_, path) in self.period_paths() {
                hash.update(path.as_bytes());
            }
            if memo.unchanged("sitemap.xml", hash.finish()) {
                return vec![RenderedPage::unchanged("sitemap.xml"), robots];
            }
        }
        let periods = self.period_paths();
        let pages = cx.index.timeline.len() + cx.index.actors.len() + cx.index.topics.len() + periods.len() + 6;
        let mut sitemap = Sitemap::new(&cx.permalink(""), pages);
        sitemap.page(&[], None);
        for &b in &cx.index.timeline {
            let briefing = &cx.archive.briefings[b];
            sitemap.page(&["briefings/", briefing.slug.as_str(), "/"], briefing.date);
        }
        for (folder, entries) in [("actors/", &cx.index.actors), ("topics/", &cx.index.topics)] {
            sitemap.page(&[folder], None);
            for entry in entries {
                sitemap.page(&[folder, entry.term.slug.as_str(), "/"], None);
            }
        }
        sitemap.page(&["timeline/"], None);
        for (_, path) in &periods {
            sitemap.page(&[path], None);
        }
        sitemap.page(&["network/"], None);
        sitemap.page(&["annotations/"], None);
        vec![RenderedPage::new("sitemap.xml", sitemap.finish().into_bytes()), robots]
    }
}

/// The fingerprint of a briefing's teaser fields (address, title, summary, date).
pub fn teaser_key(briefing: &Briefing) -> u64 {
    let mut hash = HashWriter::new();
    for field in [briefing.slug.as_str(), &briefing.title, &briefing.summary] {
        hash.update(field.as_bytes());
        hash.update(b"\0");
    }
    hash.update(&briefing.date.map_or(0, |d| d.num_days_from_ce()).to_le_bytes());
    hash.finish()
}
