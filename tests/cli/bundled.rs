//! The repository's own archive: the seeds build into a complete, valid site.

use crate::fixture::Fixture;
use crate::site_check::*;

#[test]
fn the_bundled_archive_builds_into_a_complete_site() {
    let fixture = Fixture::copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let run = fixture.run(&["build"]).success();
    assert!(run.stderr().starts_with("built 5 briefings, 11 actors, 6 topics"), "{}", run.stderr());
    let public = fixture.path("public");
    assert_valid_html(&public);
    assert_links_resolve(&public, "/");
    let nato = fixture.public("actors/nato/index.html");
    assert_eq!(texts(&nato, ".backlink h3").len(), 4);
    let mcfaul = fixture.public("actors/michael-mcfaul/index.html");
    assert!(mcfaul.contains("Former US Ambassador") || mcfaul.contains("McFaul"), "{mcfaul}");
    parse_xml(&fixture.public("atom.xml"));
    // The seed briefings carry real notes, each anchored to its passage.
    let roles = fixture.public("briefings/ukraine-security-guarantees-and-nato-roles/index.html");
    assert_eq!(texts(&roles, "aside.annotation-note").len(), 2);
    assert!(
        texts(&roles, "mark#annotation-2")[0].contains("non‑voting participant"),
        "typography differs from the quote"
    );
    let notes = fixture.public("annotations/index.html");
    assert_eq!(texts(&notes, ".archive-note").len(), 12, "seven notes, five of them under two tags");
    let check = fixture.run(&["check"]).success();
    assert_eq!(check.stderr().trim(), "check passed: 0 errors, 0 warnings");
}
