//! The benchmark's generated archive as a correctness guard: it builds with
//! the expected pages, checks clean of errors, and an incremental rebuild
//! after an edit makes the same bytes as a full build.

#[path = "../../examples/bench/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use crate::fixture::Fixture;
use dossier::live::Session;
use dossier::site::BuildOptions;

const SIZE: usize = 300;

#[test]
fn a_generated_archive_builds_completely_and_rebuilds_to_the_same_bytes() {
    let fixture = Fixture::empty();
    corpus::write_dossier(&fixture.root, SIZE);
    let stderr = fixture.run(&["build"]).success().stderr();
    assert!(stderr.starts_with(&format!("built {SIZE} briefings, ")), "{stderr}");
    assert!(!stderr.contains("warning"), "every generated note anchors: {stderr}");
    let pages = std::fs::read_dir(fixture.path("public/briefings")).unwrap().count();
    assert_eq!(pages, SIZE);
    let check = fixture.run(&["check", "--format", "json"]).success();
    let report: serde_json::Value = serde_json::from_slice(&check.output.stdout).unwrap();
    assert_eq!(report["errors"], 0, "{report}");

    let options = BuildOptions { root: fixture.root.clone(), out: fixture.path("live"), base_url: None, drafts: false };
    let mut session = Session::new(options);
    session.rebuild().unwrap();
    let first =
        std::fs::read_dir(fixture.path("content/briefings")).unwrap().flatten().map(|e| e.path()).min().unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, format!("{text}\nA paragraph added while watching.\n")).unwrap();
    let rebuild = session.rebuild().unwrap();
    assert!(!rebuild.full && rebuild.changed < 10, "{rebuild:?}");
    let index = session.update_search().unwrap().expect("the edit reaches the search index");
    assert!(index.changed > 0 && index.changed < 40, "{index:?}");
    fixture.run(&["build", "--quiet"]).success();
    for entry in walkdir::WalkDir::new(fixture.path("public"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
    {
        let relative = entry.path().strip_prefix(fixture.path("public")).unwrap();
        let live = std::fs::read(fixture.path("live").join(relative)).unwrap_or_default();
        assert!(live == std::fs::read(entry.path()).unwrap(), "{} differs", relative.display());
    }
    let files = |dir: &str| {
        walkdir::WalkDir::new(fixture.path(dir))
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_type().is_file())
            .count()
    };
    assert_eq!(files("live"), files("public"), "the rebuild left no file a full build does not make");
}
