//! `dossier check` on the `check` fixture, which holds one of each problem,
//! and on the bundled archive, which holds none.

use crate::fixture::Fixture;

#[test]
fn every_kind_of_problem_is_reported_with_file_and_line() {
    let fixture = Fixture::new("check");
    let run = fixture.run(&["check"]).failure(1);
    insta::assert_snapshot!(run.stderr());
    assert!(!fixture.path("public").exists(), "check writes nothing");
}

#[test]
fn json_findings_are_for_tools() {
    let fixture = Fixture::new("check");
    let run = fixture.run(&["check", "--format", "json"]).failure(1);
    let report: serde_json::Value = serde_json::from_slice(&run.output.stdout).unwrap();
    assert_eq!(report["errors"], 3);
    assert_eq!(report["warnings"], 3);
    let kinds: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "duplicate-source",
            "orphaned-annotation",
            "broken-link",
            "near-duplicate-slug",
            "missing-profile",
            "unlinked-mention"
        ]
    );
    let link = &report["findings"][2];
    assert_eq!(link["file"], "content/briefings/ceasefire-talks.md");
    assert_eq!(link["line"], 12);
}

#[test]
fn a_clean_archive_passes_and_build_errors_fail_the_check() {
    let fixture = Fixture::new("check");
    fixture.write(
        "content/briefings/ceasefire-talk.md",
        "---\ntitle: \"Ceasefire talk\"\nactors: [nato]\n---\nNATO met.\n",
    );
    let text = std::fs::read_to_string(fixture.path("content/briefings/ceasefire-talks.md")).unwrap();
    let fixed = text
        .replace("Volodymir", "Volodymyr")
        .replace("The delegations met in Riyadh.", "Talks resumed on Monday")
        .replace(" and [an old page](/briefings/gone/)", "")
        .replace("actors: [Volodymyr Zelenskyy]", "actors: [Volodymyr Zelenskyy, nato]");
    fixture.write("content/briefings/ceasefire-talks.md", &fixed);
    std::fs::rename(
        fixture.path("content/briefings/ceasefire-talk.md"),
        fixture.path("content/briefings/follow-up.md"),
    )
    .unwrap();
    let fixed = fixed.replace("../ceasefire-talk/", "../follow-up/");
    fixture.write("content/briefings/ceasefire-talks.md", &fixed);
    let run = fixture.run(&["check"]).success();
    assert_eq!(run.stderr().trim(), "check passed: 0 errors, 0 warnings");

    fixture.write("content/briefings/follow-up.md", "---\ntitle: [not, a, string]\n---\n");
    let stderr = fixture.run(&["check"]).failure(1).stderr();
    assert!(stderr.starts_with("error: content/briefings/follow-up.md:2:"), "{stderr}");
    assert!(stderr.contains("check failed: 1 error, 0 warnings"), "{stderr}");
}
