//! `dossier import` on the real seeds and on a saved web page: clean
//! briefings, idempotent re-imports, and nothing of the analyst's lost.

use crate::fixture::Fixture;
use sha2::{Digest, Sha256};
use std::path::Path;

const REPOSITORY: &str = env!("CARGO_MANIFEST_DIR");

/// The import fixture (profiles without Keir Giles) with the five seeds in `sources/`.
fn with_seeds() -> Fixture {
    let fixture = Fixture::new("import/site");
    for entry in std::fs::read_dir(Path::new(REPOSITORY).join("sources")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        fixture.write(&format!("sources/{name}"), &std::fs::read_to_string(&path).unwrap());
    }
    fixture
}

fn read(fixture: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(fixture.path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn briefings(fixture: &Fixture) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(fixture.path("content/briefings"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn front_matter(text: &str) -> serde_yaml::Value {
    let yaml = text.strip_prefix("---\n").unwrap().split("\n---\n").next().unwrap();
    serde_yaml::from_str(yaml).unwrap()
}

const MCFAUL: &str = "content/briefings/instead-of-nato-like-security-guarantees-for-ukraine.md";
const ZELENSKYY: &str = "content/briefings/ukraine-explores-security-guarantees-with-western-allies.md";

#[test]
fn the_seeds_become_clean_briefings() {
    let fixture = with_seeds();
    let run = fixture.run(&["import", "sources"]).success();
    assert!(
        run.stderr().contains("imported 5 sources: 5 created, 0 updated, 0 unchanged, 0 skipped"),
        "{}",
        run.stderr()
    );
    let files = briefings(&fixture);
    assert_eq!(files.len(), 5);
    for (name, text) in &files {
        for furniture in [
            "No time to read",
            "Get a summary",
            "Previous Article",
            "Next Article",
            "YOU MAY ALSO LIKE",
            "Powerball",
            "Waverly",
            "military support Ukraine NATO",
        ] {
            assert!(!text.contains(furniture), "{name} still has `{furniture}`:\n{text}");
        }
        let front = front_matter(text);
        let summary = front["summary"].as_str().unwrap();
        assert!(summary.chars().count() <= 300 && summary.ends_with(['.', '?', '!', '…']), "{name}: {summary}");
        let source = front["source"]["file"].as_str().unwrap();
        let sha = hex(&Sha256::digest(std::fs::read(fixture.path(source)).unwrap()));
        assert_eq!(front["source"]["sha256"].as_str(), Some(sha.as_str()), "{name}");
        let dated = front.get("date").is_some();
        assert_eq!(dated, name.starts_with("instead-of"), "{name}: only the seed quoting a dated post states a date");
    }

    let mcfaul = read(&fixture, MCFAUL);
    let front = front_matter(&mcfaul);
    assert_eq!(
        front["title"].as_str(),
        Some(
            "Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?"
        ),
        "the headline, not the keyword line"
    );
    assert_eq!(front["date"].as_str(), Some("2025-08-16"));
    assert!(mcfaul.contains("\n---\n> Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?\n>\n> — Michael McFaul (@McFaul), August 16, 2025\n\nIn recent discussions"), "{mcfaul}");
    assert_eq!(
        mcfaul.matches("what about NATO security guarantees").count(),
        2,
        "title and quote, no repeated line:\n{mcfaul}"
    );
    let actors: Vec<&str> = front["actors"].as_sequence().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(
        actors.contains(&"michael-mcfaul") && actors.contains(&"nato") && actors.contains(&"ukraine"),
        "{actors:?}"
    );

    let zelenskyy = read(&fixture, ZELENSKYY);
    assert!(zelenskyy.contains("---\n- Ukrainian President Volodymyr Zelenskyy is engaging Western leaders for security discussions.\n- Russia's"), "{zelenskyy}");
    let body = zelenskyy.split("\n---\n").nth(1).unwrap();
    let paragraphs: Vec<&str> = body.split("\n\n").filter(|p| !p.starts_with("- ")).collect();
    assert!(paragraphs.len() >= 3, "the run-on paragraph is split:\n{body}");
    assert!(paragraphs.iter().all(|p| p.len() < 1200), "{body}");
    assert!(paragraphs.concat().contains("Keir Giles, a defense analyst and author"), "no text lost");

    let analysis = read(&fixture, "content/briefings/ukraine-nato-involvement-and-the-war.md");
    let actors = front_matter(&analysis)["actors"].clone();
    assert!(
        actors.as_sequence().unwrap().iter().any(|a| a == "united-states"),
        "Washington → United States: {actors:?}"
    );
    assert!(actors.as_sequence().unwrap().iter().any(|a| a == "russia"), "Moscow → Russia: {actors:?}");

    assert!(run.stderr().contains("Keir Giles (person"), "a name without a profile is suggested: {}", run.stderr());
    fixture.run(&["build"]).success();
}

#[test]
fn importing_again_changes_nothing() {
    let fixture = with_seeds();
    fixture.run(&["import", "sources"]).success();
    let before = briefings(&fixture);
    let modified = std::fs::metadata(fixture.path(MCFAUL)).unwrap().modified().unwrap();
    let run = fixture.run(&["import", "sources"]).success();
    assert!(run.stderr().contains("5 unchanged"), "{}", run.stderr());
    assert_eq!(briefings(&fixture), before, "byte-identical");
    assert_eq!(std::fs::metadata(fixture.path(MCFAUL)).unwrap().modified().unwrap(), modified, "not rewritten");
}

#[test]
fn a_changed_source_keeps_the_analysts_work() {
    let fixture = with_seeds();
    fixture.run(&["import", "sources/002_e2f13f3941c7256d.txt"]).success();
    let original = read(&fixture, ZELENSKYY);
    let edited = original
        .replace(
            "title: \"Ukraine explores security guarantees with Western allies against Russia\"",
            "title: \"Zelenskyy sounds out Western allies on guarantees\"",
        )
        .replace("\nactors: [", "\nactors: [germany, ")
        .replace(
            "\n---\n- Ukrainian",
            "\nannotations:\n  - quote: \"only Eastern European nations have taken effective measures\"\n    note: \"Contested: see the Baltic states' spending.\"\n    tags: [defence-spending]\n  - quote: \"approximately thirty Western leaders\"\n    note: \"Other reports say 26.\"\n---\n- Ukrainian",
        );
    fixture.write(ZELENSKYY, &edited);
    let source = read(&fixture, "sources/002_e2f13f3941c7256d.txt")
        .replace("approximately thirty Western leaders", "some two dozen Western leaders")
        .replace("defense analyst and author", "defence analyst at Chatham House");
    fixture.write("sources/002_e2f13f3941c7256d.txt", &source);

    let run = fixture.run(&["import", "sources/002_e2f13f3941c7256d.txt"]).success();
    let stderr = run.stderr();
    assert!(stderr.contains("updated content/briefings/ukraine-explores-security-guarantees-with-western-allies.md from sources/002_e2f13f3941c7256d.txt, keeping your title, actors"), "{stderr}");
    assert!(stderr.contains("warning: content/briefings/ukraine-explores-security-guarantees-with-western-allies.md: annotation no longer matches the text: \"approximately thirty Western leaders\""), "{stderr}");
    let updated = read(&fixture, ZELENSKYY);
    assert!(updated.contains("title: \"Zelenskyy sounds out Western allies on guarantees\""), "{updated}");
    assert!(updated.contains("\nactors: [germany, "), "{updated}");
    assert!(updated.contains("    note: \"Other reports say 26.\""), "the orphaned note is kept: {updated}");
    assert!(updated.contains("    tags: [defence-spending]"), "{updated}");
    assert!(updated.contains("defence analyst at Chatham House"), "the body follows the source: {updated}");
    let front = front_matter(&updated);
    let sha = hex(&Sha256::digest(source.as_bytes()));
    assert_eq!(front["source"]["sha256"].as_str(), Some(sha.as_str()));
    assert!(!stderr.contains("only Eastern European nations"), "the matching annotation is not reported: {stderr}");
}

#[test]
fn a_slug_collision_never_overwrites_another_briefing() {
    let fixture = with_seeds();
    fixture.run(&["import", "sources/004_2c90d63805b1157d.txt"]).success();
    let first = read(&fixture, MCFAUL);
    let other = read(&fixture, "sources/004_2c90d63805b1157d.txt").replace("gained traction", "drawn attention");
    fixture.write("sources/other-site.txt", &other);
    let run = fixture.run(&["import", "sources/other-site.txt"]).success();
    assert!(
        run.stderr().contains("created content/briefings/instead-of-nato-like-security-guarantees-for-ukraine-2.md"),
        "{}",
        run.stderr()
    );
    assert_eq!(read(&fixture, MCFAUL), first);
}

#[test]
fn the_same_text_is_not_imported_twice() {
    let fixture = with_seeds();
    fixture.run(&["import", "sources/004_2c90d63805b1157d.txt"]).success();
    fixture.write("sources/copy.txt", &read(&fixture, "sources/004_2c90d63805b1157d.txt"));
    let run = fixture.run(&["import", "sources/copy.txt"]).success();
    assert!(
        run.stderr().contains(
            "skipped sources/copy.txt: the same text as `sources/004_2c90d63805b1157d.txt`, already imported"
        ),
        "{}",
        run.stderr()
    );
    assert_eq!(briefings(&fixture).len(), 1);
}

#[test]
fn a_dry_run_shows_the_diff_and_writes_nothing() {
    let fixture = with_seeds();
    let run = fixture.run(&["import", "--dry-run", "sources/004_2c90d63805b1157d.txt"]).success();
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert!(stdout.contains("+date: 2025-08-16"), "{stdout}");
    assert!(
        run.stderr().contains("would create content/briefings/instead-of-nato-like-security-guarantees-for-ukraine.md"),
        "{}",
        run.stderr()
    );
    assert!(!fixture.path("content/briefings").exists());
}

#[test]
fn a_saved_web_page_gives_its_article_only() {
    let fixture = Fixture::new("import/site");
    let page = Path::new(REPOSITORY).join("tests/fixtures/import/pages/talks-resume.html");
    let run = fixture.run(&["import", page.to_str().unwrap()]).success();
    assert!(run.stderr().contains("(copied into sources/)"), "{}", run.stderr());
    assert_eq!(read(&fixture, "sources/talks-resume.html"), std::fs::read_to_string(&page).unwrap());
    let text = read(&fixture, "content/briefings/kyiv-and-washington-resume-talks-on-guarantees.md");
    let front = front_matter(&text);
    assert_eq!(front["title"].as_str(), Some("Kyiv and Washington resume talks on guarantees"));
    assert_eq!(front["date"].as_str(), Some("2025-09-02"));
    assert_eq!(front["source"]["url"].as_str(), Some("https://courier.example/world/kyiv-washington-talks"));
    assert_eq!(front["source"]["publisher"].as_str(), Some("The Courier"));
    assert!(front["topics"].as_sequence().unwrap().iter().any(|t| t == "security-guarantees"), "{text}");
    assert!(text.contains("## What comes next"), "{text}");
    for furniture in [
        "Markets",
        "Share this article",
        "Most read",
        "Celebrity chef",
        "All rights reserved",
        "Telegram",
        "Sponsored by",
    ] {
        assert!(!text.contains(furniture), "`{furniture}` left in:\n{text}");
    }
}

#[test]
fn suggested_actors_come_as_profile_stubs() {
    let fixture = with_seeds();
    let run = fixture.run(&["import", "--suggest-actors", "sources"]).success();
    let stdout = String::from_utf8_lossy(&run.output.stdout);
    assert!(stdout.contains("# content/actors/keir-giles.md: 1 mention(s) in ukraine-explores-security-guarantees-with-western-allies\n---\nname: \"Keir Giles\"\nkind: person\naliases: [\"Keir Giles\"]\n---\n"), "{stdout}");
}

#[test]
fn a_bad_strip_rule_is_reported_with_its_line() {
    let fixture = with_seeds();
    fixture.write("dossier.yaml", "title: x\nimport:\n  strip:\n    - \"Sponsored (by\"\n");
    let run = fixture.run(&["import", "sources"]).failure(1);
    assert!(
        run.stderr().contains(
            "error: dossier.yaml:4:1: `import.strip` pattern `Sponsored (by` is not a valid regular expression"
        ),
        "{}",
        run.stderr()
    );
}

#[test]
fn the_bundled_briefings_are_the_importers_output() {
    let fixture = Fixture::copy_of(Path::new(REPOSITORY));
    let run = fixture.run(&["import", "sources"]).success();
    assert!(
        run.stderr().contains("imported 5 sources: 0 created, 0 updated, 5 unchanged, 0 skipped"),
        "{}",
        run.stderr()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_markdown_source_keeps_its_markup_and_front_matter() {
    let fixture = Fixture::new("import/site");
    fixture.write(
        "sources/note.md",
        "---\ntitle: \"Germany pledges air defence for Kyiv\"\ndate: 2025-06-01\nurl: https://wire.example/a\n---\n\
         Germany will send two more systems to *Ukraine*, the ministry in Berlin said, as [strikes](https://wire.example/s) on Kyiv intensified.\n\n\
         Read more: Berlin's budget fight\n\n```text\nSystems pledged: 2\n```\n",
    );
    fixture.run(&["import", "sources/note.md"]).success();
    let text = read(&fixture, "content/briefings/germany-pledges-air-defence-for-kyiv.md");
    let front = front_matter(&text);
    assert_eq!(front["date"].as_str(), Some("2025-06-01"));
    assert_eq!(front["source"]["url"].as_str(), Some("https://wire.example/a"));
    assert_eq!(
        front["summary"].as_str(),
        Some(
            "Germany will send two more systems to Ukraine, the ministry in Berlin said, as strikes on Kyiv intensified."
        )
    );
    assert!(
        text.contains("to *Ukraine*, the ministry") && text.contains("[strikes](https://wire.example/s)"),
        "{text}"
    );
    assert!(text.contains("```text\nSystems pledged: 2\n```") && !text.contains("Read more"), "{text}");
}

#[test]
fn an_unreadable_briefing_stops_the_import_before_anything_is_written() {
    let fixture = with_seeds();
    fixture.write("content/briefings/broken.md", "---\ntitle: \"Broken\nsummary: x\n---\nBody.\n");
    let run = fixture.run(&["import", "sources"]).failure(1);
    assert!(run.stderr().contains("error: content/briefings/broken.md:"), "{}", run.stderr());
    assert_eq!(briefings(&fixture).len(), 1, "nothing written");
}
