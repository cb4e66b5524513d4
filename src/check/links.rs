//! Links in briefings and profiles to pages of the site that will not exist.

use super::{Finding, Severity};
use crate::chart::Periods;
use crate::render::paged_path;
use crate::site::Prepared;
use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;

/// Every internal link of every body that names no page, asset or feed of the site.
pub fn broken_links(site: &Prepared) -> Vec<Finding> {
    let pages = site_paths(site);
    let archive = &site.archive;
    let bodies = archive
        .briefings
        .iter()
        .map(|b| (&b.path, b.body_line, format!("briefings/{}/", b.slug), &b.body))
        .chain(archive.actors.iter().map(|a| (&a.path, a.body_line, format!("actors/{}/", a.slug), &a.body)))
        .chain(archive.topics.iter().map(|t| (&t.path, t.body_line, format!("topics/{}/", t.slug), &t.body)))
        .collect::<Vec<_>>();
    bodies
        .par_iter()
        .flat_map_iter(|(path, body_line, page, body)| {
            let parser = Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES).into_offset_iter();
            parser
                .filter_map(|(event, range)| match event {
                    Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => Some((dest_url, range)),
                    _ => None,
                })
                .filter_map(|(dest, range)| {
                    let target = internal_target(&dest, page, &site.config.base_url)?;
                    (!pages.contains(&target)).then(|| {
                        let line = body_line + body[..range.start].matches('\n').count();
                        Finding::new(
                            Severity::Error,
                            "broken-link",
                            Some(path.as_path()),
                            Some(line),
                            format!("link to `{dest}`: the site has no page `/{target}`"),
                        )
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The site path a link points to when it stays on the site (`None` for
/// other sites, mail links and in-page fragments), normalised as the
/// output's paths are: folders end in `/`, `index.html` dropped.
fn internal_target(dest: &str, page: &str, base_url: &str) -> Option<String> {
    let dest = dest.split(['#', '?']).next().unwrap_or("");
    let origin = base_url.trim_end_matches('/');
    let absolute = if let Some(rest) = dest.strip_prefix(origin).filter(|r| r.is_empty() || r.starts_with('/')) {
        rest.trim_start_matches('/').to_string()
    } else if dest.contains(':') || dest.starts_with("//") || dest.is_empty() {
        return None;
    } else if let Some(rest) = dest.strip_prefix('/') {
        rest.to_string()
    } else {
        resolve_relative(page, dest)
    };
    let path = absolute.strip_suffix("index.html").unwrap_or(&absolute).to_string();
    let is_file = Path::new(&path).extension().is_some();
    Some(if path.is_empty() || path.ends_with('/') || is_file { path } else { format!("{path}/") })
}

/// `dest` relative to the folder of `page`, with `.` and `..` resolved.
fn resolve_relative(page: &str, dest: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').filter(|p| !p.is_empty()).collect();
    for part in dest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if dest.ends_with('/') {
        out.push('/');
    }
    out
}

/// Every path the build writes, as links name them.
fn site_paths(site: &Prepared) -> HashSet<String> {
    let (archive, index) = (&site.archive, &site.index);
    let mut paths: HashSet<String> = ["", "actors/", "topics/", "timeline/", "network/", "annotations/"]
        .into_iter()
        .chain(["atom.xml", "sitemap.xml", "robots.txt", "404.html"])
        .map(str::to_string)
        .collect();
    let pages = archive.briefings.len().div_ceil(site.config.paginate.max(1));
    paths.extend((2..=pages).map(|n| paged_path("", n)));
    paths.extend(archive.briefings.iter().map(|b| format!("briefings/{}/", b.slug)));
    for (kind, entries) in [("actors", &index.actors), ("topics", &index.topics)] {
        for entry in entries {
            let base = format!("{kind}/{}/", entry.term.slug);
            let pages = entry.briefings.len().div_ceil(site.config.paginate_terms.max(1));
            paths.extend((2..=pages).map(|n| paged_path(&base, n)));
            paths.insert(format!("{base}atom.xml"));
            paths.insert(base);
        }
    }
    if let Some(periods) = Periods::spanning(archive.briefings.iter().filter_map(|b| b.date)) {
        let counts = periods.count(archive.briefings.iter().map(|b| b.date));
        paths.extend(
            periods.periods.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(p, _)| format!("timeline/{}/", p.key)),
        );
    }
    paths.extend(site.theme.assets.keys().cloned());
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_normalised_like_output_paths() {
        let base = "https://example.org/archive/";
        let page = "briefings/a/";
        assert_eq!(internal_target("/briefings/b/", page, base).as_deref(), Some("briefings/b/"));
        assert_eq!(internal_target("/briefings/b#p-1", page, base).as_deref(), Some("briefings/b/"));
        assert_eq!(internal_target("../c/", page, base).as_deref(), Some("briefings/c/"));
        assert_eq!(internal_target("../../actors/nato/index.html", page, base).as_deref(), Some("actors/nato/"));
        assert_eq!(internal_target("https://example.org/archive/topics/x/", page, base).as_deref(), Some("topics/x/"));
        assert_eq!(internal_target("/style.css", page, base).as_deref(), Some("style.css"));
        assert_eq!(internal_target("https://other.org/x/", page, base), None);
        assert_eq!(internal_target("mailto:a@b.c", page, base), None);
        assert_eq!(internal_target("#p-12", page, base), None);
    }
}
