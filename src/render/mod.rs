//! Stage 4, render: the site index and rendered bodies → pages. Tera themes
//! make the HTML; Atom feeds and the sitemap are written directly.

mod annotation_pages;
mod context;
mod feeds;
mod pages;
mod picture_pages;
mod sitemap;
mod theme;

pub use annotation_pages::BodyNotes;
pub use context::{SiteContext, briefing_path, display_date};
pub use feeds::{FeedEntry, render_feed};
pub use sitemap::render_sitemap;
pub use theme::{TEMPLATES, Theme, default_theme_files, load_theme};

use crate::chart::Pictures;
use crate::config::Config;
use crate::link::SiteIndex;
use crate::markdown::{BodyHtml, MarkdownOptions, MentionLinks, render_markdown};
use crate::model::Archive;
use context::ContextBuilder;

/// A file of the output, by its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedPage {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What a site is made of, once loaded, linked and drawn.
#[derive(Clone, Copy)]
pub struct SiteParts<'a> {
    pub config: &'a Config,
    pub archive: &'a Archive,
    pub index: &'a SiteIndex,
    pub pictures: &'a Pictures,
}

/// Renders the pages of one site; shared by every page job.
pub struct Renderer<'a> {
    theme: &'a Theme,
    cx: ContextBuilder<'a>,
    pictures: &'a Pictures,
    base_context: tera::Context,
}

impl<'a> Renderer<'a> {
    pub fn new(theme: &'a Theme, site: SiteParts<'a>) -> Self {
        let cx = ContextBuilder {
            config: site.config,
            archive: site.archive,
            index: site.index,
            base_path: site.config.base_path(),
        };
        let mut base_context = tera::Context::new();
        base_context.insert("site", &cx.site());
        Renderer { theme, cx, pictures: site.pictures, base_context }
    }

    /// The body of briefing `b` as HTML, with its listed actors' first mentions linked.
    pub fn briefing_body(&self, b: usize) -> BodyHtml {
        let targets: Vec<(usize, String)> = self.cx.index.briefings[b]
            .actors
            .iter()
            .map(|&a| (a, self.cx.url(&format!("actors/{}/", self.cx.index.actors[a].term.slug))))
            .collect();
        let briefing = &self.cx.archive.briefings[b];
        render_markdown(
            &briefing.body,
            &MarkdownOptions {
                base_path: &self.cx.base_path,
                mentions: Some(MentionLinks { matcher: &self.cx.index.mentions, targets: &targets }),
                annotations: &briefing.annotations,
                block_ids: true,
            },
        )
    }

    /// The Atom feeds: the whole site, then one per actor and per topic.
    pub fn feeds(&self) -> Vec<RenderedPage> {
        let cx = &self.cx;
        let mut feeds = vec![self.feed("atom.xml", &cx.config.title, "", &cx.index.timeline)];
        for entry in &cx.index.actors {
            let path = format!("actors/{}/", entry.term.slug);
            let title = format!("{} — {}", entry.term.name, cx.config.title);
            feeds.push(self.feed(&format!("{path}atom.xml"), &title, &path, &entry.briefings));
        }
        for entry in &cx.index.topics {
            let path = format!("topics/{}/", entry.term.slug);
            let title = format!("{} — {}", entry.term.name, cx.config.title);
            feeds.push(self.feed(&format!("{path}atom.xml"), &title, &path, &entry.briefings));
        }
        feeds
    }

    /// A feed of the newest dated briefings among `briefings` (newest first).
    fn feed(&self, feed_path: &str, title: &str, page_path: &str, briefings: &[usize]) -> RenderedPage {
        let cx = &self.cx;
        let entries: Vec<FeedEntry> = briefings
            .iter()
            .filter_map(|&b| {
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
            .take(cx.config.feed_limit)
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
        RenderedPage { path: feed_path.to_string(), bytes: xml.into_bytes() }
    }

    /// `sitemap.xml` and `robots.txt` pointing at it.
    pub fn sitemap(&self) -> Vec<RenderedPage> {
        let cx = &self.cx;
        let mut urls: Vec<(String, Option<chrono::NaiveDate>)> = vec![(cx.permalink(""), None)];
        urls.extend(cx.index.timeline.iter().map(|&b| {
            let briefing = &cx.archive.briefings[b];
            (cx.permalink(&briefing_path(briefing)), briefing.date)
        }));
        urls.push((cx.permalink("actors/"), None));
        urls.extend(cx.index.actors.iter().map(|e| (cx.permalink(&format!("actors/{}/", e.term.slug)), None)));
        urls.push((cx.permalink("topics/"), None));
        urls.extend(cx.index.topics.iter().map(|e| (cx.permalink(&format!("topics/{}/", e.term.slug)), None)));
        urls.push((cx.permalink("timeline/"), None));
        urls.extend(self.period_paths().into_iter().map(|(_, path)| (cx.permalink(&path), None)));
        urls.push((cx.permalink("network/"), None));
        urls.push((cx.permalink("annotations/"), None));
        let sitemap_url = cx.permalink("sitemap.xml");
        vec![
            RenderedPage { path: "sitemap.xml".into(), bytes: render_sitemap(&urls).into_bytes() },
            RenderedPage {
                path: "robots.txt".into(),
                bytes: format!("User-agent: *\nAllow: /\nSitemap: {sitemap_url}\n").into_bytes(),
            },
        ]
    }
}
