//! Themes: a site overrides single templates, or names another theme.

use crate::fixture::Fixture;

#[test]
fn a_site_template_overrides_the_theme_one() {
    let fixture = Fixture::new("build/basic");
    fixture.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Lost in the archive</h1>{% endblock main %}",
    );
    fixture.run(&["build"]).success();
    assert!(fixture.public("404.html").contains("<h1>Lost in the archive</h1>"));
    assert!(fixture.public("index.html").contains("class=\"teaser\""), "other templates still come from the theme");
}

#[test]
fn a_theme_folder_replaces_the_built_in_theme() {
    let fixture = Fixture::new("build/basic");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&theme).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let rel = entry.path().strip_prefix(&theme).unwrap().to_string_lossy().into_owned();
        let mut text = std::fs::read_to_string(entry.path()).unwrap();
        if rel == "static/style.css" {
            text = "body { color: teal; }\n".into();
        }
        fixture.write(&format!("themes/plain/{rel}"), &text);
    }
    fixture.add_config("theme: plain\n");
    fixture.run(&["build"]).success();
    assert_eq!(fixture.public("style.css"), "body { color: teal; }\n");
}

#[test]
fn an_unknown_theme_is_an_error() {
    let fixture = Fixture::new("build/basic");
    fixture.add_config("theme: missing\n");
    let run = fixture.run(&["build"]).failure(1);
    assert!(run.stderr().contains("theme `missing` not found"), "{}", run.stderr());
}
