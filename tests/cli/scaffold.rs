//! `dossier init` and `dossier new`: archives and content files that build at once.

use crate::fixture::Fixture;
use crate::site_check::*;

#[test]
fn init_makes_an_archive_that_builds_and_checks_clean() {
    let fixture = Fixture::empty();
    let stderr = fixture.run(&["init", "brief"]).success().stderr();
    assert_eq!(stderr.trim(), "created a new archive in `brief`; build it with `cd brief && dossier build`");
    let site = fixture.path("brief");
    for file in ["dossier.yaml", ".gitignore", "themes/default/templates/base.html", "themes/default/static/style.css"]
    {
        assert!(site.join(file).is_file(), "{file}");
    }
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert_eq!(
        ignored.lines().collect::<Vec<_>>(),
        ["/public/", "/.public.*"],
        "the output and what is kept beside it"
    );
    let theme_css = std::fs::read(site.join("themes/default/static/style.css")).unwrap();
    let built_in =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/style.css"))
            .unwrap();
    assert_eq!(theme_css, built_in, "the theme to edit is the default one");

    let archive = Fixture::copy_of(&site);
    archive.run(&["build"]).success();
    let page = archive.public("briefings/allies-weigh-air-defence-for-ukraine/index.html");
    assert_eq!(texts(&page, "mark#annotation-1"), ["more systems were needed before winter"]);
    assert_eq!(texts(&page, ".chip-row a"), ["NATO", "Air defence"]);
    assert_valid_html(&archive.path("public"));
    assert_links_resolve(&archive.path("public"), "/");
    assert_eq!(archive.run(&["check"]).success().stderr().trim(), "check passed: 0 errors, 0 warnings");

    let again = fixture.run(&["init", "brief"]).failure(1).stderr();
    assert!(again.starts_with("error: `brief` exists and is not empty"), "{again}");
}

#[test]
fn new_starts_files_from_templates_and_never_overwrites() {
    let fixture = Fixture::new("annotations");
    let stderr = fixture.run(&["new", "briefing", "Talks resume in Geneva"]).success().stderr();
    assert_eq!(
        stderr.trim(),
        "created `content/briefings/talks-resume-in-geneva.md` as a draft: set `draft: false` to publish it"
    );
    fixture.run(&["new", "actor", "Swiss Confederation", "--actor-kind", "state"]).success();
    fixture.run(&["new", "topic", "Peace talks"]).success();
    let actor = std::fs::read_to_string(fixture.path("content/actors/swiss-confederation.md")).unwrap();
    assert!(actor.starts_with("---\nname: \"Swiss Confederation\"\nkind: state"), "{actor}");

    fixture.run(&["build"]).success();
    assert!(!fixture.path("public/briefings/talks-resume-in-geneva").exists(), "a new briefing is a draft");
    assert!(fixture.path("public/actors/swiss-confederation/index.html").is_file());
    assert!(fixture.path("public/topics/peace-talks/index.html").is_file());
    fixture.run(&["build", "--drafts"]).success();
    let draft = fixture.public("briefings/talks-resume-in-geneva/index.html");
    assert_eq!(texts(&draft, "h1"), ["Talks resume in Geneva"]);

    let twice = fixture.run(&["new", "topic", "Peace talks"]).failure(1).stderr();
    assert!(twice.starts_with("error: `content/topics/peace-talks.md` exists already"), "{twice}");
    let nameless = fixture.run(&["new", "actor", "—"]).failure(1).stderr();
    assert!(nameless.contains("has no letters or digits"), "{nameless}");
}
