//! Pages rendered ahead of a rebuild that makes or checks every page:
//! those a preview shows, so that their browsers reload in milliseconds
//! while the rest of the site renders. They are the bytes the rebuild then
//! makes of them.

use super::Prepared;
use crate::chart::Pictures;
use crate::error::Result;
use crate::memo::Memo;
use crate::render::{RenderedPage, Renderer, SiteParts, briefing_path};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// The page of the site an output path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Page {
    /// A page of the home timeline, from 1.
    Home(usize),
    Briefing(usize),
    Actors,
    Actor(usize),
    Topics,
    Topic(usize),
    Timeline,
    Period,
    Network,
    Annotations,
    Search,
    NotFound,
}

/// Renders the pages at `paths` (output paths such as
/// `briefings/x/index.html`) with the bodies `memo` keeps; paths that name
/// no page are left out.
pub fn render_pages(site: &Prepared, memo: &Memo, paths: &BTreeSet<String>) -> Result<Vec<RenderedPage>> {
    let pages: BTreeSet<Page> = paths.iter().filter_map(|path| page_of(site, path)).collect();
    if pages.is_empty() {
        return Ok(Vec::new());
    }
    let pictures =
        Pictures::new(&site.archive, &site.index, &site.config.base_path(), site.config.charts.network_actors);
    let parts = SiteParts {
        config: &site.config,
        archive: &site.archive,
        index: &site.index,
        pictures: &pictures,
        memo: Some(memo),
    };
    let renderer = Renderer::new(&site.theme, parts);
    // Actor pages quote mentions, the annotations page lists notes: both
    // read every body, which the memo holds.
    let bodies = std::sync::OnceLock::new();
    let bodies = || {
        bodies.get_or_init(|| {
            (0..site.archive.briefings.len()).into_par_iter().map(|b| renderer.briefing_body(b).0).collect::<Vec<_>>()
        })
    };
    let mut made = Vec::new();
    for page in pages {
        match page {
            Page::Home(n) if n <= renderer.home_page_count() => made.push(renderer.home_page(n)?),
            Page::Home(_) => {}
            Page::Briefing(b) => {
                let (body, key) = renderer.briefing_body(b);
                made.push(renderer.briefing_page(b, &body, key)?);
            }
            Page::Actors => made.push(renderer.actors_page()?),
            Page::Actor(a) => made.extend(renderer.actor_pages(a, bodies())?),
            Page::Topics => made.push(renderer.topics_page()?),
            Page::Topic(t) => made.extend(renderer.topic_pages(t)?),
            Page::Timeline => made.push(renderer.timeline_page()?),
            Page::Period => {
                let periods = renderer.period_paths();
                for p in 0..periods.len() {
                    if paths.contains(&format!("{}index.html", periods[p].1)) {
                        made.push(renderer.period_page(&periods, p)?);
                    }
                }
            }
            Page::Network => made.push(renderer.network_page()?),
            Page::Annotations => made.push(renderer.annotations_page(bodies())?),
            Page::Search => made.extend(renderer.search_page()?),
            Page::NotFound => made.push(renderer.not_found_page()?),
        }
    }
    made.retain(|page| paths.contains(&page.path));
    Ok(made)
}

/// Which page `path` is part of, by the layout the renderer writes.
fn page_of(site: &Prepared, path: &str) -> Option<Page> {
    if path == "404.html" {
        return Some(Page::NotFound);
    }
    let folder = path.strip_suffix("index.html")?;
    let (section, rest) = folder.split_once('/').unwrap_or((folder, ""));
    let term = |entries: &[crate::link::TermEntry]| {
        let slug = rest.split('/').next()?;
        entries.iter().position(|e| e.term.slug.as_str() == slug)
    };
    Some(match (section, rest) {
        ("", _) => Page::Home(1),
        ("page", n) => Page::Home(n.trim_end_matches('/').parse().ok().filter(|&n| n > 1)?),
        ("briefings", _) => Page::Briefing(site.archive.briefings.iter().position(|b| briefing_path(b) == folder)?),
        ("actors", "") => Page::Actors,
        ("actors", _) => Page::Actor(term(&site.index.actors)?),
        ("topics", "") => Page::Topics,
        ("topics", _) => Page::Topic(term(&site.index.topics)?),
        ("timeline", "") => Page::Timeline,
        ("timeline", _) => Page::Period,
        ("network", "") => Page::Network,
        ("annotations", "") => Page::Annotations,
        ("search", "") => Page::Search,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{BuildOptions, IndexWhen, StageTimes, prepare, render_site};
    use crate::write::Staging;
    use std::path::Path;

    #[test]
    fn every_page_rendered_ahead_is_the_page_the_build_makes() {
        let dir = tempfile::tempdir().unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/basic");
        let out = dir.path().join("public");
        let options = BuildOptions { root, out: out.clone(), base_url: None, drafts: false };
        let site = prepare(&options, &mut StageTimes::default()).unwrap();
        let memo = Memo::empty();
        let staging = Staging::begin(&out).unwrap();
        render_site(&site, &staging, Some(&memo), IndexWhen::Now, &mut StageTimes::default()).unwrap();
        staging.commit().unwrap();
        // As after a template edit: the bodies kept, no output taken as made.
        let memo = memo.advance().forget_outputs();
        let pages: BTreeSet<String> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| e.path().strip_prefix(&out).unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(pages.len() >= 20 && pages.iter().any(|p| p.starts_with("page/")), "{pages:?}");
        let made = render_pages(&site, &memo, &pages).unwrap();
        let made: BTreeSet<&str> = made
            .iter()
            .map(|page| {
                let built = std::fs::read(out.join(&page.path)).unwrap();
                assert!(page.bytes == built, "{} differs from the build's", page.path);
                page.path.as_str()
            })
            .collect();
        assert_eq!(made, pages.iter().map(String::as_str).collect(), "every page, once");
        let none = BTreeSet::from(["briefings/none/index.html".to_string(), "style.css".to_string()]);
        assert!(render_pages(&site, &memo, &none).unwrap().is_empty());
    }
}
