//! Bad input: each defect gets an error naming file and line, the build
//! exits 1, and the previous site is left as it was.

use crate::fixture::Fixture;

/// Builds the `build/basic` site, breaks it with the files of `invalid/<case>`,
/// builds again, and returns the error output; checks the old site survived.
fn break_with(case: &str) -> String {
    let fixture = Fixture::new("build/basic");
    fixture.run(&["build"]).success();
    let before = fixture.public("index.html");
    let broken = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid").join(case);
    for entry in walkdir::WalkDir::new(&broken).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&broken).unwrap();
        let target = fixture.root.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), target).unwrap();
    }
    let stderr = fixture.run(&["build"]).failure(1).stderr();
    assert_eq!(fixture.public("index.html"), before, "the previous site is intact");
    assert!(!fixture.path(".public.staging").exists(), "no staging folder is left behind");
    stderr
}

#[test]
fn malformed_yaml() {
    insta::assert_snapshot!(break_with("malformed-yaml"));
}

#[test]
fn missing_title() {
    insta::assert_snapshot!(break_with("missing-title"));
}

#[test]
fn bad_date() {
    insta::assert_snapshot!(break_with("bad-date"));
}

#[test]
fn unknown_key_suggests_the_right_one() {
    insta::assert_snapshot!(break_with("unknown-key"));
}

#[test]
fn two_files_writing_the_same_page() {
    insta::assert_snapshot!(break_with("duplicate-page"));
}

#[test]
fn template_syntax_error_names_template_and_line() {
    insta::assert_snapshot!(break_with("template-syntax"));
}

#[test]
fn a_template_reading_what_its_page_lacks_names_template_and_line() {
    insta::assert_snapshot!(break_with("template-undefined"));
}

#[test]
fn unknown_components_and_filters_are_each_named_with_template_and_line() {
    insta::assert_snapshot!(break_with("template-unknown-names"));
}

#[test]
fn a_template_extending_one_that_is_missing_names_its_line() {
    insta::assert_snapshot!(break_with("template-missing-parent"));
}

#[test]
fn text_that_is_not_utf8() {
    insta::assert_snapshot!(break_with("not-utf8"));
}

#[test]
fn every_error_of_a_run_is_reported() {
    insta::assert_snapshot!(break_with("several-errors"));
}

#[test]
fn unreadable_file() {
    let fixture = Fixture::new("build/basic");
    fixture.run(&["build"]).success();
    std::os::unix::fs::symlink("/nonexistent/briefing.md", fixture.path("content/briefings/gone.md")).unwrap();
    let stderr = fixture.run(&["build"]).failure(1).stderr();
    insta::assert_snapshot!(stderr);
}

#[test]
fn bad_config_value() {
    let fixture = Fixture::new("build/basic");
    fixture.write("dossier.yaml", "title: T\nbase_url: example.org\n");
    insta::assert_snapshot!(fixture.run(&["build"]).failure(1).stderr());
}

#[test]
fn unknown_config_key() {
    let fixture = Fixture::new("build/basic");
    fixture.write("dossier.yaml", "title: T\nbase_ulr: https://x.org/\n");
    insta::assert_snapshot!(fixture.run(&["build"]).failure(1).stderr());
}

#[test]
fn an_output_folder_not_made_by_dossier_is_never_replaced() {
    let fixture = Fixture::new("build/basic");
    fixture.write("mine/notes.txt", "keep me");
    let stderr = fixture.run(&["build", "--out", "mine"]).failure(1).stderr();
    assert!(stderr.contains("`mine` exists and was not written by Dossier"), "{stderr}");
    assert_eq!(std::fs::read_to_string(fixture.path("mine/notes.txt")).unwrap(), "keep me");
}
