//! Incremental rebuilds: after any sequence of edits, adds, renames and
//! deletes, the output is byte for byte what a clean full build makes.

use crate::fixture::Fixture;
use dossier::live::Session;
use dossier::site::BuildOptions;
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn assert_same_as_full_build(fixture: &Fixture, step: &str) {
    let full = fixture.path("full");
    let _ = std::fs::remove_dir_all(&full);
    let _ = std::fs::remove_file(fixture.path(".full.manifest"));
    fixture.run(&["build", "--quiet", "--out", "full"]).success();
    let (live, clean) = (tree(&fixture.path("public")), tree(&full));
    let differing: Vec<&String> = clean.keys().filter(|k| live.get(*k) != clean.get(*k)).collect();
    let extra: Vec<&String> = live.keys().filter(|k| !clean.contains_key(*k)).collect();
    assert!(differing.is_empty() && extra.is_empty(), "after {step}: differing {differing:?}, left over {extra:?}");
}

/// A live session on `fixture`, after its first build.
fn built(fixture: &Fixture) -> Session {
    let options =
        BuildOptions { root: fixture.root.clone(), out: fixture.path("public"), base_url: None, drafts: false };
    let mut session = Session::new(options);
    rebuild(&mut session);
    session
}

/// A rebuild, then the search index update that follows it.
fn rebuild(session: &mut Session) -> dossier::live::Rebuild {
    let report = session.rebuild().unwrap();
    session.update_search().unwrap();
    report
}

#[test]
fn rebuilds_after_edits_adds_renames_and_deletes_match_a_full_build() {
    let fixture = Fixture::new("build/basic");
    // A briefing a term page: edits that add or remove a term's briefing
    // change its number of pages.
    fixture.add_config("paginate_terms: 1\n");
    let options =
        BuildOptions { root: fixture.root.clone(), out: fixture.path("public"), base_url: None, drafts: false };
    let mut session = Session::new(options);
    let first = rebuild(&mut session);
    assert!(first.full);
    assert_same_as_full_build(&fixture, "the first build");

    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(fixture.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} holds {from:?}");
        fixture.write(rel, &text.replacen(from, to, 1));
    };
    edit("content/briefings/kyiv-asks.md", "more systems were needed", "more systems were needed at once");
    let body_edit = rebuild(&mut session);
    assert!(!body_edit.full);
    assert!(body_edit.changed < first.changed / 2, "a body edit re-renders a few pages, not {}", body_edit.changed);
    assert_same_as_full_build(&fixture, "a body edit");

    let unchanged = rebuild(&mut session);
    assert_eq!((unchanged.changed, unchanged.removed), (0, 0), "nothing changed, nothing made");

    // Edits that keep a briefing's title, date and summary check only what
    // shows its body: its page, its search file, the actor pages quoting
    // it and the annotations page.
    // Told which files changed, as `watch` tells it, the load reads only those.
    let narrow = |session: &mut Session, changed: &[&str], step: &str| {
        session.expect_changes(Some(changed.iter().map(|c| format!("content/briefings/{c}.md").into()).collect()));
        let report = rebuild(session);
        assert!(report.narrow, "after {step}: {report:?}");
        assert_same_as_full_build(&fixture, step);
        report
    };
    edit("content/briefings/kyiv-asks.md", "Keir Giles called", "Analyst Keir Giles called");
    narrow(&mut session, &["kyiv-asks"], "a body edit that moves a quoted mention");
    edit(
        "content/briefings/alliance-summit.md",
        "actors: [NATO, Zelensky]\n",
        "actors: [NATO, Zelensky]\nannotations:\n  - quote: \"met in Brussels\"\n    note: \"Where *else*?\"\n    tags: [place]\n",
    );
    narrow(&mut session, &["alliance-summit"], "an annotation added");
    edit("content/briefings/alliance-summit.md", "Where *else*?", "Where, *again*?");
    narrow(&mut session, &["alliance-summit"], "a note edited");
    edit("content/briefings/alliance-summit.md", "Leaders of NATO met in Brussels.", "Leaders of NATO met.");
    let orphaned = narrow(&mut session, &["alliance-summit"], "an annotated passage removed");
    assert!(orphaned.warnings.iter().any(|w| w.contains("met in Brussels")), "{:?}", orphaned.warnings);
    edit("content/briefings/alliance-summit.md", "Leaders of NATO met.", "Leaders of NATO met in Brussels.");
    narrow(&mut session, &["alliance-summit"], "the passage back");
    edit("content/briefings/alliance-summit.md", "publisher: \"Example News\"", "publisher: \"Other News\"");
    edit("content/briefings/kyiv-asks.md", "Analyst Keir Giles called", "Keir Giles called");
    narrow(&mut session, &["alliance-summit", "kyiv-asks"], "two briefings edited at once, one of them back as it was");
    edit(
        "content/briefings/alliance-summit.md",
        "annotations:\n  - quote: \"met in Brussels\"\n    note: \"Where, *again*?\"\n    tags: [place]\n",
        "",
    );
    narrow(&mut session, &["alliance-summit"], "the annotation removed");
    // A summary or title shows wherever the briefing is listed.
    edit("content/briefings/kyiv-asks.md", "Ukraine requested more systems.", "Ukraine asked for more systems.");
    narrow(&mut session, &["kyiv-asks"], "a summary edit");
    edit("content/briefings/kyiv-asks.md", "Ukraine asked for more systems.", "Ukraine requested more systems.");
    edit("content/briefings/alliance-summit.md", "title: \"Alliance summit weighs guarantees\"", "title: \"Summit\"");
    narrow(&mut session, &["kyiv-asks", "alliance-summit"], "the summary back and a title edit");
    edit("content/briefings/alliance-summit.md", "title: \"Summit\"", "title: \"Alliance summit weighs guarantees\"");
    narrow(&mut session, &["alliance-summit"], "the title back");
    edit("content/briefings/kyiv-asks.md", "date: 2025-04-02", "date: 2025-04-02\ndraft: true");
    session.expect_changes(Some(vec!["content/briefings/kyiv-asks.md".into()]));
    assert!(!rebuild(&mut session).narrow);
    assert!(!fixture.path("public/briefings/kyiv-asks").exists(), "a draft has no page");
    assert_same_as_full_build(&fixture, "a briefing turned draft");
    edit("content/briefings/kyiv-asks.md", "date: 2025-04-02\ndraft: true", "date: 2025-04-02");
    session.expect_changes(Some(vec!["content/briefings/kyiv-asks.md".into()]));
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "the draft published again");

    // Other actors and topics named in front matter: the index is patched
    // and only the pages showing what it changed are checked.
    let search_files = tree(&fixture.path("public/search/docs"));
    edit("content/briefings/kyiv-asks.md", "actors: [ukraine,", "actors: [Brand New Envoy, ukraine,");
    narrow(&mut session, &["kyiv-asks"], "an actor new to the archive added in front matter");
    assert!(fixture.path("public/actors/brand-new-envoy/atom.xml").exists());
    // The other terms' search files stay as they were: they are named by
    // slug, and only the table of them lists the new one.
    let written: Vec<String> = tree(&fixture.path("public/search/docs"))
        .into_iter()
        .filter(|(path, bytes)| search_files.get(path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    let briefings: Vec<&String> =
        written.iter().filter(|p| p.trim_end_matches(".json").parse::<usize>().is_ok()).collect();
    assert_eq!(briefings.len(), 1, "the edited briefing's own: {written:?}");
    assert_eq!(written.len(), 3, "{written:?}");
    assert!(
        written.contains(&"actors/brand-new-envoy.json".to_string()) && written.contains(&"terms.json".to_string())
    );
    edit("content/briefings/kyiv-asks.md", "actors: [Brand New Envoy, ukraine,", "actors: [ukraine,");
    let gone = narrow(&mut session, &["kyiv-asks"], "that actor removed again");
    assert!(gone.removed >= 3, "its page, feed and search file go: {gone:?}");
    assert!(!fixture.path("public/actors/brand-new-envoy").exists());
    edit("content/briefings/kyiv-asks.md", "topics: [Air defence]", "topics: [Air defence, Security guarantees]");
    narrow(&mut session, &["kyiv-asks"], "a topic with a profile added");
    edit("content/briefings/kyiv-asks.md", "Keir Giles]", "KEIR GILES]");
    edit("content/briefings/alliance-summit.md", "actors: [NATO, Zelensky]", "actors: [NATO, Zelensky, Keir Giles]");
    narrow(&mut session, &["kyiv-asks", "alliance-summit"], "an actor without a profile named anew, spelt otherwise");
    edit("content/briefings/alliance-summit.md", "actors: [NATO, Zelensky, Keir Giles]", "actors: [NATO, Zelensky]");
    narrow(&mut session, &["alliance-summit"], "its first spelling removed");
    edit("content/briefings/kyiv-asks.md", "KEIR GILES]", "Keir Giles]");
    edit("content/briefings/kyiv-asks.md", "topics: [Air defence, Security guarantees]", "topics: [Air defence]");
    narrow(&mut session, &["kyiv-asks"], "both back");

    // A profile's role, description, keywords or text show only on its own
    // page, the topics index and its search record.
    let profile_edit = |session: &mut Session, path: &str, narrow: bool, step: &str| {
        session.expect_changes(Some(vec![path.into()]));
        let report = rebuild(session);
        assert_eq!(report.narrow, narrow, "after {step}: {report:?}");
        assert_same_as_full_build(&fixture, step);
    };
    let nato = "content/actors/nato.md";
    edit(nato, "The North Atlantic alliance.", "The transatlantic alliance.");
    edit(nato, "founded in 1949.", "founded in 1949 in Washington.");
    profile_edit(&mut session, nato, true, "an actor's description and text edited");
    assert!(fixture.public("actors/nato/index.html").contains("founded in 1949 in Washington"));
    let guarantees = "content/topics/security-guarantees.md";
    edit(guarantees, "Commitments to defend a state.", "Promises to defend a state.");
    edit(guarantees, "keywords: [security guarantees]", "keywords: [security guarantees, assurances]");
    profile_edit(&mut session, guarantees, true, "a topic's description and keywords edited");
    assert!(fixture.public("topics/index.html").contains("Promises to defend a state."));
    // Aliases link mentions in every briefing: the index is made again.
    edit("content/actors/ukraine.md", "aliases: [Kyiv]", "aliases: [Kyiv, Kiev]");
    profile_edit(&mut session, "content/actors/ukraine.md", false, "an actor's aliases edited");
    edit("content/actors/ukraine.md", "aliases: [Kyiv, Kiev]", "aliases: [Kyiv]");
    profile_edit(&mut session, "content/actors/ukraine.md", false, "the aliases back");
    edit(nato, "The transatlantic alliance.", "The North Atlantic alliance.");
    edit(nato, "founded in 1949 in Washington.", "founded in 1949.");
    edit(guarantees, "Promises to defend a state.", "Commitments to defend a state.");
    edit(guarantees, "keywords: [security guarantees, assurances]", "keywords: [security guarantees]");
    session.expect_changes(Some(vec![nato.into(), guarantees.into()]));
    assert!(rebuild(&mut session).narrow);
    assert_same_as_full_build(&fixture, "both profiles back");
    // A profile edited while an actor new to the archive is named: every
    // term's search record is made, the profile's once.
    edit(guarantees, "Commitments to defend a state.", "Pledges to defend a state.");
    edit("content/briefings/kyiv-asks.md", "actors: [ukraine,", "actors: [Brand New Envoy, ukraine,");
    session.expect_changes(Some(vec![guarantees.into(), "content/briefings/kyiv-asks.md".into()]));
    assert!(rebuild(&mut session).narrow);
    assert_same_as_full_build(&fixture, "a profile edited and an actor new to the archive named");
    edit(guarantees, "Pledges to defend a state.", "Commitments to defend a state.");
    edit("content/briefings/kyiv-asks.md", "actors: [Brand New Envoy, ukraine,", "actors: [ukraine,");
    session.expect_changes(Some(vec![guarantees.into(), "content/briefings/kyiv-asks.md".into()]));
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "both back again");

    // A load that fails on one told file reads the others it was told of
    // at the next load, though that is told only of the mended file.
    let summit = "content/briefings/alliance-summit.md";
    edit(summit, "date: 2025-03-10", "date: [broken");
    edit("content/briefings/kyiv-asks.md", "title: \"Kyiv asks for air defence\"", "title: \"Kyiv asks again\"");
    session.expect_changes(Some(vec![summit.into(), "content/briefings/kyiv-asks.md".into()]));
    assert!(session.rebuild().is_err());
    edit(summit, "date: [broken", "date: 2025-03-10");
    session.expect_changes(Some(vec![summit.into()]));
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "a broken briefing mended after another was retitled");
    edit("content/briefings/kyiv-asks.md", "title: \"Kyiv asks again\"", "title: \"Kyiv asks for air defence\"");
    session.expect_changes(Some(vec!["content/briefings/kyiv-asks.md".into()]));
    rebuild(&mut session);

    // As `watch` does: told which file changed, the rebuild checks no other.
    edit("content/briefings/kyiv-asks.md", "actors: [ukraine,", "actors: [nato, ukraine,");
    narrow(&mut session, &["kyiv-asks"], "an actor of the archive added in front matter");

    // A new actor whose name holds another's, in a briefing of its own: the
    // bodies naming the shorter one are linked as a full build links them.
    fixture.write(
        "content/briefings/overlap.md",
        "---\ntitle: \"Overlap\"\ndate: 2025-06-02\nactors: [Keir Giles called]\n---\nNothing else.\n",
    );
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "a new actor whose name holds another's");
    std::fs::remove_file(fixture.path("content/briefings/overlap.md")).unwrap();
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "that actor gone again");

    fixture.write(
        "content/briefings/new-one.md",
        "---\ntitle: \"A new one\"\ndate: 2025-06-01\nactors: [Germany]\n---\nGermany spoke.\n",
    );
    session.expect_changes(Some(vec!["content/briefings/new-one.md".into()]));
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "a new briefing");

    std::fs::rename(fixture.path("content/briefings/new-one.md"), fixture.path("content/briefings/renamed-one.md"))
        .unwrap();
    session
        .expect_changes(Some(vec!["content/briefings/new-one.md".into(), "content/briefings/renamed-one.md".into()]));
    let renamed = rebuild(&mut session);
    assert!(renamed.removed >= 1, "the old page goes");
    assert!(!fixture.path("public/briefings/new-one").exists());
    assert_same_as_full_build(&fixture, "a rename");

    std::fs::remove_file(fixture.path("content/briefings/renamed-one.md")).unwrap();
    session.expect_changes(Some(vec!["content/briefings".into()]));
    rebuild(&mut session);
    assert!(!fixture.path("public/briefings/renamed-one").exists());
    assert!(!fixture.path("public/actors/germany").exists(), "an actor no briefing names any more has no page");
    assert_same_as_full_build(&fixture, "a delete");

    edit("content/actors/nato.md", "A military alliance founded in 1949.", "An alliance founded in 1949.");
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "a profile edit");

    fixture.write("templates/404.html", "{% extends \"base.html\" %}{% block main %}<h1>Lost</h1>{% endblock main %}");
    let template = rebuild(&mut session);
    assert!(template.narrow && template.changed == 1, "only the page made with the template: {template:?}");
    assert_same_as_full_build(&fixture, "a template edit");
    // The actor page template calls the components: a component edit
    // re-renders actor pages, and every other page calling them.
    let components = String::from_utf8(
        dossier::render::default_theme_files()
            .iter()
            .find(|(p, _)| *p == "templates/components.html")
            .unwrap()
            .1
            .to_vec(),
    )
    .unwrap();
    fixture
        .write("templates/components.html", &components.replace("<ul class=\"chips\"", "<ul class=\"chips tagged\""));
    let component_edit = rebuild(&mut session);
    assert!(component_edit.full, "the briefing pages call the components too: {component_edit:?}");
    assert_same_as_full_build(&fixture, "a component edit");
    fixture.write(
        "templates/actors.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Everyone</h1>{% endblock main %}",
    );
    edit("content/briefings/alliance-summit.md", "The summit ended", "The summit closed");
    session.expect_changes(Some(vec!["content/briefings/alliance-summit.md".into(), "templates/actors.html".into()]));
    let both = rebuild(&mut session);
    assert!(both.narrow, "{both:?}");
    assert_same_as_full_build(&fixture, "a template and a body edited at once");
    std::fs::remove_file(fixture.path("templates/actors.html")).unwrap();
    std::fs::remove_file(fixture.path("templates/components.html")).unwrap();
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "the templates back to the theme's");

    fixture.write("static/style.css", "body { color: black; }\n");
    let css = rebuild(&mut session);
    assert!(css.css_only && css.changed == 1, "{css:?}");
    assert_same_as_full_build(&fixture, "a stylesheet edit");
    fixture.write("static/extra.txt", "extra\n");
    rebuild(&mut session);
    std::fs::remove_file(fixture.path("static/extra.txt")).unwrap();
    let removed = rebuild(&mut session);
    assert_eq!(removed.removed, 1, "{removed:?}");
    assert_same_as_full_build(&fixture, "a static file deleted");

    // A template that includes another with Tera's backtick quotes reads it.
    fixture.write("templates/partial.html", "<p>Partial one.</p>");
    fixture.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost</h1>{% include `partial.html` %}{% endblock main %}",
    );
    rebuild(&mut session);
    fixture.write("templates/partial.html", "<p>Partial two.</p>");
    let partial = rebuild(&mut session);
    assert_eq!(partial.changed, 1, "{partial:?}");
    assert_same_as_full_build(&fixture, "an included template edited");
    // A page template and a briefing it shows edited at once: each page made once.
    let actor_template = String::from_utf8(
        dossier::render::default_theme_files().iter().find(|(p, _)| *p == "templates/actor.html").unwrap().1.to_vec(),
    )
    .unwrap();
    fixture.write("templates/actor.html", &actor_template.replacen("<h1", "<h1 data-edited", 1));
    edit("content/briefings/kyiv-asks.md", "Keir Giles called", "Analyst Keir Giles called");
    let both = rebuild(&mut session);
    let actor_pages = walkdir::WalkDir::new(fixture.path("public/actors"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_name() == "index.html")
        .count()
        - 1;
    assert!(
        both.narrow && both.changed == actor_pages + 2,
        "every actor page, the briefing and its search file, once each: {both:?}"
    );
    assert_same_as_full_build(&fixture, "an actor template and a body edited at once");

    fixture.write("content/briefings/kyiv-asks.md", "---\ntitle: [broken\n---\n");
    assert!(session.rebuild().is_err());
    assert!(fixture.path("public/briefings/kyiv-asks/index.html").is_file(), "a failed rebuild writes nothing");
    fixture.write("content/briefings/kyiv-asks.md", "---\ntitle: \"Fixed\"\ndate: 2025-04-02\n---\nBack.\n");
    rebuild(&mut session);
    assert_same_as_full_build(&fixture, "recovery from a broken file");

    // The record the rebuilds appended to lets a full build into the same
    // folder recognise every file as unchanged.
    let build = fixture.run(&["build"]).success();
    assert!(build.stderr().contains("(0 files written,"), "{}", build.stderr());
}

#[test]
fn a_name_moved_from_the_actors_to_the_topics_moves_its_page_in_the_sitemap() {
    // The slugs of the actors then the topics read the same before and
    // after: only the folders tell the sitemaps apart.
    let brief = |actors: &str, topics: &str| {
        format!(
            "---\ntitle: \"One\"\ndate: 2025-01-02\nsummary: \"S.\"\nactors: [{actors}]\ntopics: [{topics}]\n---\nText.\n"
        )
    };
    let fixture = Fixture::empty();
    fixture.write("dossier.yaml", "title: T\nbase_url: https://example.org/\n");
    fixture.write("content/briefings/one.md", &brief("Energy", "Kremlin"));
    let options =
        BuildOptions { root: fixture.root.clone(), out: fixture.path("public"), base_url: None, drafts: false };
    let mut session = Session::new(options);
    rebuild(&mut session);
    fixture.write("content/briefings/one.md", &brief("", "Energy, Kremlin"));
    session.expect_changes(Some(vec!["content/briefings/one.md".into()]));
    assert!(rebuild(&mut session).narrow);
    assert!(fixture.public("sitemap.xml").contains("https://example.org/topics/energy/"));
    assert_same_as_full_build(&fixture, "a name moved from the actors to the topics");
}

#[test]
fn told_of_files_that_came_went_or_turned_draft_the_load_patches_the_archive() {
    let fixture = Fixture::new("build/basic");
    let mut session = built(&fixture);
    let told = |session: &mut Session, paths: &[&str], step: &str| {
        session.expect_changes(Some(paths.iter().map(Into::into).collect()));
        rebuild(session);
        assert_same_as_full_build(&fixture, step);
    };

    fixture.write(
        "content/briefings/2025/june.md",
        "---\ntitle: \"June\"\ndate: 2025-06-01\nactors: [Germany, nato]\n---\nGermany and NATO spoke.\n",
    );
    told(&mut session, &["content/briefings/2025/june.md"], "a briefing added in a new folder");
    assert!(fixture.path("public/briefings/june/index.html").is_file());

    fixture.write("content/briefings/notes.txt", "not a briefing\n");
    fixture.write("content/briefings/.hidden.md", "---\ntitle: \"Hidden\"\n---\n");
    told(&mut session, &["content/briefings/notes.txt", "content/briefings/.hidden.md"], "files that are not content");

    fixture.write("content/actors/germany.md", "---\nname: Germany\nkind: state\n---\nA federal republic.\n");
    told(&mut session, &["content/actors/germany.md"], "a profile added");

    let draft = std::fs::read_to_string(fixture.path("content/briefings/draft-note.md")).unwrap();
    fixture.write("content/briefings/draft-note.md", &draft.replace("draft: true\n", ""));
    told(&mut session, &["content/briefings/draft-note.md"], "a draft published");
    assert!(fixture.path("public/briefings/draft-note/index.html").is_file());
    fixture.write("content/briefings/draft-note.md", &draft);
    told(&mut session, &["content/briefings/draft-note.md"], "a briefing made a draft again");
    assert!(!fixture.path("public/briefings/draft-note").exists());

    // A new file whose slug is taken fails as the full load does, and the
    // archive mends once it goes.
    fixture.write("content/briefings/2025/kyiv-asks.md", "---\ntitle: \"Twin\"\ndate: 2025-06-03\n---\nTwin.\n");
    session.expect_changes(Some(vec!["content/briefings/2025/kyiv-asks.md".into()]));
    let taken = session.rebuild().unwrap_err().to_string();
    assert!(taken.contains("kyiv-asks"), "{taken}");
    std::fs::remove_file(fixture.path("content/briefings/2025/kyiv-asks.md")).unwrap();
    told(&mut session, &["content/briefings/2025/kyiv-asks.md"], "the twin removed");

    std::fs::remove_file(fixture.path("content/actors/germany.md")).unwrap();
    told(&mut session, &["content/actors/germany.md"], "a profile removed");

    // Told only of the folder: the files in it go too.
    std::fs::remove_dir_all(fixture.path("content/briefings/2025")).unwrap();
    told(&mut session, &["content/briefings/2025"], "a folder of briefings removed");
    assert!(!fixture.path("public/briefings/june").exists());
}

#[test]
fn a_site_without_search_has_no_search_files_or_links_through_rebuilds() {
    let fixture = Fixture::new("build/basic");
    let mut session = built(&fixture);
    assert!(fixture.path("public/search/index.json").exists() && fixture.path("public/search.js").exists());

    let no_search = |fixture: &Fixture, files: usize, step: &str| {
        let public = tree(&fixture.path("public"));
        let searchy: Vec<&String> = public.keys().filter(|p| p.starts_with("search")).collect();
        assert!(searchy.is_empty(), "after {step}: {searchy:?}");
        for (path, bytes) in public.iter().filter(|(p, _)| p.ends_with(".html")) {
            let html = String::from_utf8_lossy(bytes);
            assert!(
                !html.contains("/search/") && !html.contains("role=\"search\""),
                "after {step}: {path} links search"
            );
        }
        assert_eq!(files, public.len(), "after {step}: the files counted are those made");
        assert_same_as_full_build(fixture, step);
    };
    fixture.add_config("search: false\n");
    let off = rebuild(&mut session);
    assert!(off.full);
    no_search(&fixture, off.files, "search turned off");

    let edit = |rel: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(fixture.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} holds {from:?}");
        fixture.write(rel, &text.replacen(from, to, 1));
    };
    let kyiv = "content/briefings/kyiv-asks.md";
    let told = |session: &mut Session, changed: &[&str]| {
        session.expect_changes(Some(changed.iter().map(Into::into).collect()));
        let report = rebuild(session);
        assert!(report.narrow, "{report:?}");
        report
    };
    edit(kyiv, "more systems were needed", "more systems were needed at once");
    let report = told(&mut session, &[kyiv]);
    no_search(&fixture, report.files, "a body edit");
    edit(kyiv, "actors: [ukraine,", "actors: [Brand New Envoy, ukraine,");
    let report = told(&mut session, &[kyiv]);
    assert!(fixture.path("public/actors/brand-new-envoy/index.html").exists());
    no_search(&fixture, report.files, "an actor new to the archive added");
    edit("content/actors/nato.md", "founded in 1949.", "founded in 1949 in Washington.");
    let report = told(&mut session, &["content/actors/nato.md"]);
    no_search(&fixture, report.files, "a profile edited");
    fixture
        .write("templates/search.html", "{% extends \"base.html\" %}{% block main %}<h1>Find</h1>{% endblock main %}");
    let report = rebuild(&mut session);
    no_search(&fixture, report.files, "the search template overridden");

    let config = std::fs::read_to_string(fixture.path("dossier.yaml")).unwrap();
    fixture.write("dossier.yaml", &config.replace("search: false\n", ""));
    rebuild(&mut session);
    assert!(fixture.public("search/index.html").contains("<h1>Find</h1>"));
    assert!(fixture.path("public/search/docs/actors/brand-new-envoy.json").exists());
    assert!(fixture.public("index.html").contains("role=\"search\""));
    assert_same_as_full_build(&fixture, "search turned on again");
}
