//! The pictures of the archive on the `charts` fixture: the timeline's bars,
//! the network's nodes and edges, the charts of actor and topic pages.

use crate::fixture::Fixture;
use crate::site_check::*;
use std::collections::BTreeSet;

fn built() -> Fixture {
    let fixture = Fixture::new("charts");
    fixture.run(&["build"]).success();
    fixture
}

/// The page's inline SVG, which must be well-formed XML on its own.
fn svg_of(html: &str) -> String {
    let start = html.find("<svg").expect("the page has a chart");
    let end = html[start..].find("</svg>").expect("the chart is closed") + start + "</svg>".len();
    let svg = html[start..end].to_string();
    parse_xml(&svg);
    svg
}

/// (link of the bar, count, height) of every bar.
fn bars(svg: &str) -> Vec<(Option<String>, usize, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .map(|n| {
            let href = n.parent().and_then(|p| p.attribute("href")).map(str::to_string);
            (href, n.attribute("data-count").unwrap().parse().unwrap(), n.attribute("height").unwrap().parse().unwrap())
        })
        .collect()
}

fn assert_proportional(bars: &[(Option<String>, usize, f64)]) {
    let unit = bars[0].2 / bars[0].1 as f64;
    for (_, count, height) in bars {
        assert!((height - unit * *count as f64).abs() <= 0.1, "bar of {count} is {height} high; unit {unit}");
    }
}

#[test]
fn timeline_bars_match_the_counts_and_link_to_their_months() {
    let fixture = built();
    let page = fixture.public("timeline/index.html");
    let bars = bars(&svg_of(&page));
    let found: Vec<(Option<&str>, usize)> = bars.iter().map(|(h, c, _)| (h.as_deref(), *c)).collect();
    assert_eq!(
        found,
        [(Some("/timeline/2025-01/"), 2), (Some("/timeline/2025-03/"), 1), (Some("/timeline/2025-04/"), 2)],
        "February is empty: no bar and no page"
    );
    assert_proportional(&bars);
    assert!(!fixture.path("public/timeline/2025-02").exists());
    assert_eq!(texts(&page, "section[aria-labelledby=undated-title] .teaser-title"), ["Undated rumour"]);
    assert_eq!(texts(&page, ".chart-data tbody td"), ["2", "1", "2"]);

    let january = fixture.public("timeline/2025-01/index.html");
    assert_eq!(texts(&january, "h1"), ["January 2025"]);
    assert_eq!(texts(&january, ".teaser-title"), ["Council session", "First talks"]);
    assert_eq!(texts(&january, ".pager a"), ["March 2025 →"]);
    let march = fixture.public("timeline/2025-03/index.html");
    assert_eq!(texts(&march, ".pager a"), ["← January 2025", "April 2025 →"]);
}

#[test]
fn the_network_has_exactly_the_co_occurrence_edges() {
    let fixture = built();
    let page = fixture.public("network/index.html");
    let svg = svg_of(&page);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let edges: BTreeSet<(String, String, usize)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && n.attribute("class").is_some_and(|c| c.starts_with("edge")))
        .map(|n| {
            let (a, b) = (n.attribute("data-a").unwrap(), n.attribute("data-b").unwrap());
            let (a, b) = if a < b { (a, b) } else { (b, a) };
            (a.to_string(), b.to_string(), n.attribute("data-count").unwrap().parse().unwrap())
        })
        .collect();
    let expected: BTreeSet<(String, String, usize)> = [
        ("alpha", "beta", 2),
        ("alpha", "gamma", 1),
        ("beta", "gamma", 1),
        ("beta", "delta", 1),
        ("delta", "gamma", 1),
        ("delta", "epsilon-front", 1),
    ]
    .into_iter()
    .map(|(a, b, n)| (a.to_string(), b.to_string(), n))
    .collect();
    assert_eq!(edges, expected);

    let nodes: Vec<(String, String, String)> = doc
        .descendants()
        .filter(|n| n.attribute("data-actor").is_some())
        .map(|n| {
            let circle = n.children().find(|c| c.has_tag_name("circle")).unwrap();
            (
                n.attribute("data-actor").unwrap().to_string(),
                n.attribute("href").unwrap().to_string(),
                circle.attribute("class").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(nodes.len(), 5);
    let labels: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.ancestors().any(|a| a.attribute("data-actor").is_some()))
        .map(|n| n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(labels.len(), 5, "a small network labels every node: {labels:?}");
    assert!(labels.contains("Alpha Anders"));
    assert!(nodes.contains(&("alpha".into(), "/actors/alpha/".into(), "node node-person".into())));
    assert!(nodes.contains(&("beta".into(), "/actors/beta/".into(), "node node-state".into())));
    assert!(nodes.contains(&("epsilon-front".into(), "/actors/epsilon-front/".into(), "node node-unknown".into())));
    // Alpha is named in four of six briefings: a hub the reader can hide.
    let hubs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("hub"))
        .filter_map(|n| n.attribute("data-actor"))
        .collect();
    assert_eq!(hubs, ["alpha"]);
    assert!(page.contains(r#"<input type="checkbox" id="hide-hubs" class="hub-toggle">"#));
    assert_eq!(
        texts(&page, ".chart-data tbody th"),
        ["Alpha Anders", "Beta Republic", "Delta Movement", "Gamma Council", "Epsilon Front"]
    );
    assert_eq!(texts(&page, ".notice"), Vec::<String>::new(), "every actor is shown");
}

#[test]
fn the_network_shows_the_most_named_actors_when_limited() {
    let fixture = Fixture::new("charts");
    let config = std::fs::read_to_string(fixture.path("dossier.yaml")).unwrap();
    fixture.add_config("charts:\n  network_actors: 2\n");
    fixture.run(&["build"]).success();
    let page = fixture.public("network/index.html");
    let svg = svg_of(&page);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let shown: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("data-actor")).collect();
    assert_eq!(shown, ["beta", "alpha"], "drawn smallest first");
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("line")).count(), 1);
    let notice = texts(&page, ".notice").join(" ");
    assert!(notice.contains("Showing the 2 actors named in the most briefings, of 5."), "{notice}");

    fixture.write("dossier.yaml", &format!("{config}charts:\n  network_actors: 1\n"));
    let stderr = fixture.run(&["build"]).failure(1).stderr();
    assert!(stderr.contains("dossier.yaml:5:1: `charts.network_actors` must be at least 2"), "{stderr}");
}

#[test]
fn actor_and_topic_pages_chart_their_briefings_over_time() {
    let fixture = built();
    let alpha = fixture.public("actors/alpha/index.html");
    let bars = bars(&svg_of(&alpha));
    assert_eq!(bars.iter().map(|b| b.1).collect::<Vec<_>>(), [2, 2]);
    assert!(bars.iter().all(|b| b.0.is_none()), "small charts are images, not links");
    assert_eq!(texts(&alpha, ".chart-data tbody th"), ["January 2025", "April 2025"]);

    let delta = fixture.public("actors/delta/index.html");
    let caption = texts(&delta, ".chart-small figcaption").join(" ");
    assert!(caption.contains("1 undated briefing is not shown"), "{caption}");
    let epsilon = fixture.public("actors/epsilon-front/index.html");
    assert!(!epsilon.contains("<svg"), "an actor named only in undated briefings has no chart");

    let talks = fixture.public("topics/talks/index.html");
    assert_eq!(bars_counts(&talks), [1, 1, 1]);
    assert_eq!(texts(&talks, "#companions-title"), ["Actors named most often"]);
    assert_eq!(texts(&talks, ".companions a"), ["Beta Republic", "Alpha Anders", "Delta Movement", "Gamma Council"]);
}

fn bars_counts(html: &str) -> Vec<usize> {
    bars(&svg_of(html)).into_iter().map(|b| b.1).collect()
}

#[test]
fn the_same_archive_draws_the_same_bytes() {
    let (one, two) = (built(), built());
    for page in ["timeline/index.html", "network/index.html", "actors/beta/index.html", "topics/talks/index.html"] {
        assert_eq!(one.public(page), two.public(page), "{page} differs between two builds");
    }
}

#[test]
fn chart_pages_are_valid_and_their_links_resolve() {
    let fixture = built();
    let public = fixture.path("public");
    assert_valid_html(&public);
    assert_links_resolve(&public, "/");
    let nav = texts(&fixture.public("network/index.html"), "nav[aria-label=Sections] a");
    assert_eq!(nav, ["Briefings", "Timeline", "Actors", "Network", "Topics", "Notes", "Search"]);
}
