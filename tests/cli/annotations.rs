//! Annotations on the `annotations` fixture: passages marked and numbered,
//! notes beside them and listed, the archive's notes by tag, and notes whose
//! passage changed kept, shown apart and reported.

use crate::fixture::Fixture;
use crate::site_check::*;

const BRIEFING: &str = "content/briefings/summit.md";

/// Replaces the first `from` in the briefing's file (front matter first).
fn edit(fixture: &Fixture, from: &str, to: &str) {
    let text = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    assert!(text.contains(from), "the fixture holds {from:?}");
    fixture.write(BRIEFING, &text.replacen(from, to, 1));
}

/// Replaces `from` in the briefing's body only.
fn edit_body(fixture: &Fixture, from: &str, to: &str) {
    let text = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    let body = text.rfind("\n---\n").unwrap();
    assert!(text[body..].contains(from), "the body holds {from:?}");
    fixture.write(BRIEFING, &format!("{}{}", &text[..body], text[body..].replacen(from, to, 1)));
}

#[test]
fn passages_are_marked_numbered_and_their_notes_listed() {
    let fixture = Fixture::new("annotations");
    let stderr = fixture.run(&["build"]).success().stderr();
    assert!(!stderr.contains("warning"), "{stderr}");
    let page = fixture.public("briefings/summit/index.html");
    // The passage starts inside the emphasis, in the actor's mention link,
    // and ends inside a link: one mark per text run.
    assert_eq!(texts(&page, "em a.mention mark#annotation-1"), ["NATO"]);
    assert_eq!(
        texts(&page, "mark.annotation").join("|"),
        "NATO|-like|guarantees|now|the talks|The ceasefire held for three days."
    );
    assert!(
        page.contains("<mark class=\"annotation\">now</mark></a><sup class=\"annotation-ref\"><a href=\"#note-1\">")
    );
    // The prefix picks the second "the talks", in the second paragraph.
    assert!(page.contains("<mark class=\"annotation\" id=\"annotation-2\">the talks</mark>"));
    assert!(
        !page[..page.find("id=\"annotation-2\"").unwrap()].contains("resumed"),
        "the first paragraph's talks stay unmarked"
    );
    assert_eq!(texts(&page, "aside#note-1 .annotation-meta .annotation-tag"), ["timing", "Terminology"]);
    assert_eq!(texts(&page, "aside#note-1 .annotation-author"), ["A. Analyst"]);
    // Notes are Markdown, and HTML in them is shown, never run.
    assert!(page.contains("Why <em>now</em>? &lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
    assert!(!page.contains("<script>"));
    assert_eq!(texts(&page, ".annotation-list li .annotation-quote a").len(), 3);
    assert!(texts(&page, "#notes-passage-changed").is_empty());

    let notes = fixture.public("annotations/index.html");
    assert_eq!(texts(&notes, ".annotation-group h2"), ["Terminology", "timing", "Untagged"]);
    assert_eq!(
        texts(&notes, ".annotation-group:nth-of-type(2) .annotation-quote a"),
        ["NATO-like guarantees now", "the talks"]
    );
    let public = fixture.path("public");
    assert_valid_html(&public);
    assert_links_resolve(&public, "/");
}

#[test]
fn a_note_whose_passage_is_edited_away_is_kept_shown_apart_and_reported() {
    let fixture = Fixture::new("annotations");
    edit_body(&fixture, "The ceasefire held for three days.", "Fighting resumed at dawn on Monday.");
    let stderr = fixture.run(&["build"]).success().stderr();
    assert!(
        stderr.contains(
            "warning: content/briefings/summit.md: annotation 3 (“The ceasefire held for three days.”): \
             the passage is no longer in the briefing"
        ),
        "{stderr}"
    );
    let page = fixture.public("briefings/summit/index.html");
    assert_eq!(texts(&page, "#orphans-title"), ["Notes whose passage changed"]);
    assert_eq!(texts(&page, "#notes-passage-changed .annotation-body"), ["Untagged, and about to lose its passage."]);
    assert_eq!(texts(&page, "#notes-passage-changed li .annotation-quote"), ["The ceasefire held for three days."]);
    assert!(!page.contains("id=\"annotation-3\""));
    let notes = fixture.public("annotations/index.html");
    assert!(notes.contains("href=\"/briefings/summit/#notes-passage-changed\""), "the archive still lists it");
    assert_links_resolve(&fixture.path("public"), "/");
}

#[test]
fn a_lightly_edited_passage_is_re_anchored_as_moved_for_the_analyst_to_confirm() {
    let fixture = Fixture::new("annotations");
    edit_body(&fixture, "The ceasefire held for three days.", "The ceasefire held for four days.");
    let stderr = fixture.run(&["build"]).success().stderr();
    assert!(
        stderr.contains(
            "annotation 3 (“The ceasefire held for three days.”): the exact passage is gone; anchored to a passage"
        ),
        "{stderr}"
    );
    let page = fixture.public("briefings/summit/index.html");
    assert_eq!(texts(&page, "mark#annotation-3"), ["The ceasefire held for four days."]);
    assert!(texts(&page, "aside#note-3 .annotation-moved")[0].contains("changed"));
}

#[test]
fn quotes_that_cannot_be_anchored_say_why() {
    let fixture = Fixture::new("annotations");
    edit(&fixture, "    prefix: \"Later,\"\n", "");
    edit(
        &fixture,
        "  - quote: \"The ceasefire held for three days.\"",
        "  - quote: \"officials said before the talks. Later, the talks\"",
    );
    let text = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    fixture.write(BRIEFING, &text.replace("annotations:\n", "annotations:\n  - quote: \"  \"\n    note: \"Empty.\"\n"));
    let stderr = fixture.run(&["build"]).success().stderr();
    assert!(stderr.contains("annotation 1 (“”): the quote is empty"), "{stderr}");
    assert!(
        stderr.contains("annotation 3 (“the talks”): the quote occurs 2 times; add `prefix` or `suffix`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "annotation 4 (“officials said before the talks. Later, the talks”): the quote spans two paragraphs"
        ),
        "{stderr}"
    );
}

#[test]
fn malformed_annotations_are_errors_naming_file_and_line() {
    let fixture = Fixture::new("annotations");
    edit(&fixture, "    note: \"The second mention, picked by its prefix.\"\n", "");
    let stderr = fixture.run(&["build"]).failure(1).stderr();
    assert!(
        stderr.starts_with("error: content/briefings/summit.md:11:5: annotations[1]: missing key `note`"),
        "{stderr}"
    );
    let fixture = Fixture::new("annotations");
    edit(&fixture, "    tags: [timing]\n", "    tags: 5\n");
    let stderr = fixture.run(&["build"]).failure(1).stderr();
    assert!(
        stderr.contains("summit.md:14:11: annotations[1].tags: wrong type: integer `5`, expected a sequence"),
        "{stderr}"
    );
    assert!(!fixture.path("public").exists(), "nothing is published from a failed build");
}

#[test]
fn annotate_adds_a_note_in_reading_order_and_leaves_the_rest_of_the_file_alone() {
    let fixture = Fixture::new("annotations");
    let before = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    let stderr = fixture
        .run(&[
            "annotate",
            "summit",
            "--quote",
            "resumed  in Geneva",
            "--note",
            "Geneva, *not* Riyadh.",
            "--tag",
            "venue",
            "--date",
            "2025-03-12",
        ])
        .success()
        .stderr();
    assert_eq!(stderr.trim(), "annotated `content/briefings/summit.md`: note 3 of 4 on “resumed in Geneva”");
    let after = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    let added = "  - quote: \"resumed in Geneva\"\n    note: \"Geneva, *not* Riyadh.\"\n    tags: [\"venue\"]\n    date: \"2025-03-12\"\n    position: 87\n";
    let at = before.find("  - quote: \"The ceasefire").unwrap();
    assert_eq!(after, format!("{}{added}{}", &before[..at], &before[at..]), "only the note's lines are added");

    fixture.run(&["build"]).success();
    let page = fixture.public("briefings/summit/index.html");
    assert_eq!(texts(&page, "mark#annotation-3"), ["resumed in Geneva"]);
    assert_eq!(texts(&page, "aside#note-3 .annotation-tag"), ["venue"]);
    assert_eq!(fixture.run(&["check"]).success().stderr().trim(), "check passed: 0 errors, 0 warnings");
}

#[test]
fn annotate_refuses_quotes_that_do_not_match_exactly_once() {
    let fixture = Fixture::new("annotations");
    let before = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    let refuse = |args: &[&str]| {
        let mut all = vec!["annotate"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--note", "A note."]);
        fixture.run(&all).failure(1).stderr()
    };
    let twice = refuse(&["summit", "--quote", "the talks"]);
    assert!(
        twice.starts_with("error: content/briefings/summit.md: the quote occurs 2 times in the briefing\n"),
        "{twice}"
    );
    assert!(twice.contains("`--prefix \"Later,\"`"), "{twice}");
    let nowhere = refuse(&["summit", "--quote", "the talks resumed in Geneve."]);
    assert!(nowhere.contains("the quote occurs nowhere in the briefing"), "{nowhere}");
    assert!(nowhere.contains("the closest passage is “the talks resumed in Geneva.”"), "{nowhere}");
    let spanning = refuse(&["summit", "--quote", "before the talks. Later, the talks"]);
    assert!(spanning.contains("the quote spans two paragraphs"), "{spanning}");
    let empty = refuse(&["summit", "--quote", " "]);
    assert!(empty.contains("the quote is empty"), "{empty}");
    let unknown = refuse(&["sumit", "--quote", "the talks"]);
    assert!(
        unknown.contains("there is no briefing `sumit`") && unknown.contains("did you mean `summit`?"),
        "{unknown}"
    );
    assert_eq!(std::fs::read_to_string(fixture.path(BRIEFING)).unwrap(), before, "a refused note changes nothing");
}

/// The briefing files with their `annotations:` lists taken out.
fn strip_annotations(fixture: &Fixture) {
    for entry in std::fs::read_dir(fixture.path("content/briefings")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        let mut inside = false;
        for line in text.split_inclusive('\n') {
            if line.starts_with("annotations:") {
                inside = true;
            } else if inside && !line.starts_with(' ') {
                inside = false;
            }
            if !inside {
                out.push_str(line);
            }
        }
        std::fs::write(&path, out).unwrap();
    }
}

#[test]
fn notes_travel_as_w3c_web_annotations_and_come_back_unchanged() {
    let fixture = Fixture::copy_of(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let run = fixture.run(&["annotations", "export"]).success();
    let exported: serde_json::Value = serde_json::from_slice(&run.output.stdout).unwrap();
    assert_eq!(exported["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(exported["type"], "AnnotationCollection");
    assert_eq!(exported["total"], 7);
    let items = exported["first"]["items"].as_array().unwrap();
    let roles = items.iter().find(|i| i["body"][0]["value"].as_str().unwrap().starts_with("No such status")).unwrap();
    assert_eq!(roles["type"], "Annotation");
    assert_eq!(
        roles["target"]["source"],
        "https://dossier.example.org/briefings/ukraine-security-guarantees-and-nato-roles/"
    );
    assert_eq!(
        roles["id"],
        "https://dossier.example.org/briefings/ukraine-security-guarantees-and-nato-roles/#annotation-2"
    );
    let selectors = roles["target"]["selector"].as_array().unwrap();
    assert_eq!(selectors[0]["type"], "TextQuoteSelector");
    assert_eq!(selectors[0]["exact"], "a standing place in NATO structures as a non-voting participant");
    assert_eq!(selectors[1]["type"], "TextPositionSelector");
    let (start, end) = (selectors[1]["start"].as_u64().unwrap(), selectors[1]["end"].as_u64().unwrap());
    assert_eq!(end - start, 63);
    assert_eq!(
        roles["body"][1],
        serde_json::json!({"type": "TextualBody", "value": "nato-accession", "purpose": "tagging"})
    );

    fixture.write("notes.json", std::str::from_utf8(&run.output.stdout).unwrap());
    strip_annotations(&fixture);
    let stderr = fixture.run(&["annotations", "import", "notes.json"]).success().stderr();
    assert_eq!(stderr.trim(), "imported 7 notes; 0 were there already");
    let again = fixture.run(&["annotations", "export"]).success();
    assert_eq!(again.output.stdout, run.output.stdout, "export → import → export is the identity");
    let stderr = fixture.run(&["annotations", "import", "notes.json"]).success().stderr();
    assert_eq!(stderr.trim(), "imported 0 notes; 7 were there already");
}

#[test]
fn notes_that_cannot_be_imported_are_named_and_the_rest_are_kept() {
    let fixture = Fixture::new("annotations");
    let note = |source: &str, exact: &str| {
        serde_json::json!({ "type": "Annotation", "bodyValue": format!("On {exact}"),
            "target": { "source": source, "selector": { "type": "TextQuoteSelector", "exact": exact } } })
    };
    let document = serde_json::json!([
        note("https://elsewhere.org/briefings/summit/", "resumed in Geneva"),
        note("https://elsewhere.org/briefings/missing/", "words"),
        note("https://elsewhere.org/briefings/summit/", "the talks"),
        note("https://elsewhere.org/actors/nato/", "NATO"),
    ]);
    fixture.write("notes.json", &document.to_string());
    let stderr = fixture.run(&["annotations", "import", "notes.json"]).failure(1).stderr();
    assert!(
        stderr.contains("error: `https://elsewhere.org/actors/nato/` is not the address of a briefing"),
        "{stderr}"
    );
    assert!(stderr.contains("error: no briefing `missing` for 1 note"), "{stderr}");
    assert!(stderr.contains("“the talks”: the quote occurs 2 times"), "{stderr}");
    assert!(stderr.contains("imported 1 note; 0 were there already"), "{stderr}");
    assert!(stderr.contains("3 notes of `notes.json` could not be imported"), "{stderr}");
    let text = std::fs::read_to_string(fixture.path(BRIEFING)).unwrap();
    assert!(text.contains("  - quote: \"resumed in Geneva\"\n    note: \"On resumed in Geneva\"\n"), "{text}");

    fixture.write("broken.json", "{\n  \"type\": \"Annotation\",\n  oops\n}");
    let stderr = fixture.run(&["annotations", "import", "broken.json"]).failure(1).stderr();
    assert!(stderr.starts_with("error: broken.json:3:3: `broken.json` is not JSON"), "{stderr}");
}
