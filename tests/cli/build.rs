//! `dossier build` on the `build/basic` fixture: pages, links, feeds, escaping.

use crate::fixture::Fixture;
use crate::site_check::*;

fn built() -> Fixture {
    let fixture = Fixture::new("build/basic");
    fixture.run(&["build"]).success();
    fixture
}

#[test]
fn summary_line_counts_pages() {
    let fixture = Fixture::new("build/basic");
    let run = fixture.run(&["build"]).success();
    let stderr = run.stderr();
    assert!(stderr.starts_with("built 3 briefings, 4 actors, 2 topics: "), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(fixture.run(&["build", "--quiet"]).success().stderr().is_empty());
    let verbose = fixture.run(&["build", "--verbose"]).success().stderr();
    assert!(verbose.contains("stages: load"), "{verbose}");
}

#[test]
fn pages_are_valid_html_and_every_internal_link_resolves() {
    let fixture = built();
    let public = fixture.path("public");
    assert_valid_html(&public);
    assert_links_resolve(&public, "/archive/");
}

#[test]
fn actor_pages_list_exactly_the_briefings_naming_them_newest_first() {
    let fixture = built();
    let nato = fixture.public("actors/nato/index.html");
    let titles = texts(&nato, ".backlink h3");
    // The draft also names NATO but is excluded without --drafts.
    assert_eq!(titles, vec!["Alliance summit weighs guarantees", "<script>alert('x')</script> & friends"]);
    let zelenskyy = fixture.public("actors/volodymyr-zelenskyy/index.html");
    assert_eq!(
        texts(&zelenskyy, ".backlink h3"),
        vec!["Kyiv asks for air defence", "Alliance summit weighs guarantees"]
    );
}

#[test]
fn term_pages_are_paginated_with_the_profile_and_chart_on_the_first() {
    let fixture = Fixture::new("build/basic");
    fixture.add_config("paginate_terms: 1\n");
    fixture.run(&["build"]).success();
    let first = fixture.public("actors/nato/index.html");
    let second = fixture.public("actors/nato/page/2/index.html");
    assert!(!fixture.path("public/actors/nato/page/3").exists());
    // Newest first, one a page, the count of all on each.
    assert_eq!(texts(&first, ".backlink h3"), vec!["Alliance summit weighs guarantees"]);
    assert_eq!(texts(&second, ".backlink h3"), vec!["<script>alert('x')</script> & friends"]);
    for page in [&first, &second] {
        assert_eq!(texts(page, "#mentions-title"), vec!["2 briefings name NATO"]);
        assert_eq!(texts(page, ".role"), vec!["Military alliance"]);
    }
    assert_eq!(texts(&first, ".pager span"), vec!["Page 1 of 2"]);
    assert!(first.contains(r#"<a rel="next" href="/archive/actors/nato/page/2/">"#), "{first}");
    assert!(second.contains(r#"<a rel="prev" href="/archive/actors/nato/">"#), "{second}");
    assert!(second.contains("<title>NATO — page 2"), "{second}");
    assert!(second.contains(r#"<link rel="canonical" href="https://example.org/archive/actors/nato/page/2/">"#));
    // The profile's text and the chart are on the first page only.
    assert!(first.contains("founded in 1949") && !second.contains("founded in 1949"));
    assert!(first.contains("<svg") && !second.contains("<svg"));
    // A term with one briefing has one page and no pager.
    let ukraine = fixture.public("actors/ukraine/index.html");
    assert!(texts(&ukraine, ".pager").is_empty() && !fixture.path("public/actors/ukraine/page").exists());
    let public = fixture.path("public");
    assert_valid_html(&public);
    assert_links_resolve(&public, "/archive/");
    fixture.run(&["check"]).success();
}

#[test]
fn backlinks_quote_the_mentioning_paragraph_and_link_to_it() {
    let fixture = built();
    let ukraine = fixture.public("actors/ukraine/index.html");
    assert_eq!(
        texts(&ukraine, ".backlink blockquote"),
        vec!["Officials in Kyiv said more systems were needed. Keir Giles called the request overdue."]
    );
    let briefing = fixture.public("briefings/kyiv-asks/index.html");
    let passage = ukraine.split("href=\"/archive/briefings/kyiv-asks/#").nth(1).unwrap();
    let id = &passage[..passage.find('"').unwrap()];
    assert!(briefing.contains(&format!("<p id=\"{id}\">Officials in <a class=\"mention\"")), "{briefing}");
}

#[test]
fn names_aliases_and_slugs_resolve_to_one_actor_and_unknown_names_get_pages() {
    let fixture = built();
    let summit = fixture.public("briefings/alliance-summit/index.html");
    assert_eq!(texts(&summit, ".chips[aria-label=Actors] a"), vec!["NATO", "Volodymyr Zelenskyy"]);
    let giles = fixture.public("actors/keir-giles/index.html");
    assert!(giles.contains("No profile has been written for this actor yet"));
    assert_eq!(texts(&giles, ".backlink h3"), vec!["Kyiv asks for air defence"]);
    let topics = fixture.public("topics/index.html");
    assert_eq!(texts(&topics, ".topic-list > li > a"), vec!["Air defence", "Security guarantees"]);
}

#[test]
fn briefing_pages_show_metadata_body_and_related() {
    let fixture = built();
    let summit = fixture.public("briefings/alliance-summit/index.html");
    assert!(summit.contains("<time datetime=\"2025-03-10\">10 March 2025</time>"));
    assert!(summit.contains("<dd>Example News</dd>"));
    assert!(summit.contains("<h2 id=\"what-changed\">What changed</h2>"));
    assert!(summit.contains("<pre class=\"hl-code\" data-lang=\"yaml\">"));
    // Code colours load only where there is code.
    let highlight = "<link rel=\"stylesheet\" href=\"/archive/highlight.css\">";
    assert!(summit.contains(highlight));
    assert!(!fixture.public("briefings/kyiv-asks/index.html").contains(highlight));
    assert!(!fixture.public("index.html").contains(highlight));
    assert!(summit.contains("callout-note"));
    assert!(summit.contains("<a class=\"mention\" href=\"/archive/actors/nato/\">NATO</a>"));
    assert_eq!(summit.matches("class=\"mention\" href=\"/archive/actors/nato/\"").count(), 1, "first mention only");
    // Kyiv shares Zelenskyy and a close date; the undated one shares only NATO.
    assert_eq!(
        texts(&summit, ".related .teaser-title"),
        vec!["Kyiv asks for air defence", "<script>alert('x')</script> & friends"]
    );
    assert!(
        summit.contains("<link rel=\"canonical\" href=\"https://example.org/archive/briefings/alliance-summit/\">")
    );
    assert!(summit.contains("<html lang=\"en-GB\">"));
    let kyiv = fixture.public("briefings/kyiv-asks/index.html");
    assert!(
        kyiv.contains("href=\"/archive/briefings/alliance-summit/\">the summit</a>"),
        "site links follow the base path"
    );
    assert!(kyiv.contains("rel=\"prev\" href=\"/archive/briefings/alliance-summit/\""));
}

#[test]
fn titles_and_raw_html_are_escaped() {
    let fixture = built();
    let page = fixture.public("briefings/script-title/index.html");
    assert!(page.contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends</h1>"), "{page}");
    assert!(page.contains("&lt;script&gt;alert('body')&lt;/script&gt;"), "{page}");
    assert_eq!(page.matches("<script").count(), 0);
}

#[test]
fn home_is_paginated_newest_first_with_undated_last() {
    let fixture = built();
    let first = fixture.public("index.html");
    assert_eq!(texts(&first, ".teaser-title"), vec!["Kyiv asks for air defence", "Alliance summit weighs guarantees"]);
    assert_eq!(texts(&first, ".month h2"), vec!["April 2025", "March 2025"]);
    let second = fixture.public("page/2/index.html");
    assert_eq!(texts(&second, ".month h2"), vec!["Undated"]);
}

#[test]
fn feeds_and_sitemap_are_well_formed() {
    let fixture = built();
    let site = fixture.public("atom.xml");
    let doc = parse_xml(&site);
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(atom));
    let entries: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name((atom, "entry"))).collect();
    assert_eq!(entries.len(), 2, "only dated briefings have feed entries");
    let nato = fixture.public("actors/nato/atom.xml");
    let nato = parse_xml(&nato);
    let ids: Vec<_> = nato.descendants().filter(|n| n.has_tag_name((atom, "id"))).filter_map(|n| n.text()).collect();
    assert_eq!(
        ids,
        vec![
            "https://example.org/archive/actors/nato/atom.xml",
            "https://example.org/archive/briefings/alliance-summit/"
        ]
    );
    parse_xml(&fixture.public("topics/security-guarantees/atom.xml"));
    let sitemap = fixture.public("sitemap.xml");
    let sitemap = parse_xml(&sitemap);
    let locs = sitemap.descendants().filter(|n| n.tag_name().name() == "loc").count();
    // Home, briefings, actors, topics, the timeline with its two weeks, the network, the annotations.
    assert_eq!(locs, 1 + 3 + 1 + 4 + 1 + 2 + 1 + 2 + 1 + 1);
}

#[test]
fn drafts_are_built_on_request() {
    let fixture = Fixture::new("build/basic");
    fixture.run(&["build", "--drafts"]).success();
    assert!(fixture.path("public/briefings/draft-note/index.html").is_file());
}

#[test]
fn out_and_base_url_flags() {
    let fixture = Fixture::new("build/basic");
    fixture.run(&["build", "--out", "elsewhere", "--base-url", "https://mirror.example.net/"]).success();
    let page = std::fs::read_to_string(fixture.path("elsewhere/briefings/kyiv-asks/index.html")).unwrap();
    assert!(page.contains("href=\"https://mirror.example.net/briefings/kyiv-asks/\""));
    assert_links_resolve(&fixture.path("elsewhere"), "/");
}

#[test]
fn unchanged_files_are_not_rewritten_and_deleted_pages_disappear() {
    let fixture = built();
    let page = fixture.path("public/briefings/kyiv-asks/index.html");
    let before = std::fs::metadata(&page).unwrap().modified().unwrap();
    std::fs::remove_file(fixture.path("content/briefings/script-title.md")).unwrap();
    let run = fixture.run(&["build"]).success();
    assert!(run.stderr().contains("unchanged"), "{}", run.stderr());
    // The related list of kyiv-asks did not involve the removed briefing.
    assert_eq!(std::fs::metadata(&page).unwrap().modified().unwrap(), before);
    assert!(!fixture.path("public/briefings/script-title").exists());
    assert!(!fixture.path(".public.staging").exists());

    // The site before is kept as the spare, and the next build stages into
    // it: what it held and this site does not have goes, by hand or not.
    assert!(fixture.path(".public.spare/briefings/script-title/index.html").is_file());
    std::fs::write(fixture.path("public/by-hand.txt"), "x").unwrap();
    let summit = fixture.path("content/briefings/alliance-summit.md");
    let text = std::fs::read_to_string(&summit).unwrap();
    std::fs::write(&summit, text.replacen("\n\n", "\n\nA sentence added after the build.\n\n", 1)).unwrap();
    fixture.run(&["build"]).success();
    fixture.run(&["build"]).success();
    assert!(fixture.public("briefings/alliance-summit/index.html").contains("A sentence added after the build."));
    assert_eq!(std::fs::metadata(&page).unwrap().modified().unwrap(), before);
    assert!(!fixture.path("public/by-hand.txt").exists());
    assert!(!fixture.path("public/briefings/script-title").exists());
}

#[test]
fn a_folder_with_only_content_builds_with_the_built_in_theme() {
    let fixture = Fixture::empty();
    fixture.write(
        "content/briefings/one.md",
        "---\ntitle: One\ndate: 2024-01-02\nactors: [Somebody]\n---\nSomebody spoke.\n",
    );
    fixture.run(&["build"]).success();
    let page = fixture.public("briefings/one/index.html");
    assert!(page.contains("<h1>One</h1>"));
    assert!(fixture.path("public/style.css").is_file());
    assert_links_resolve(&fixture.path("public"), "/");
}
