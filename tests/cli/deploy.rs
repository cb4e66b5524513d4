//! The deploy recipes: Netlify's build command and the GitHub Pages
//! workflow, run here as the hosts would run them.

use crate::fixture::Fixture;
use crate::site_check::*;
use std::path::Path;
use std::process::Command;

const CARGO_RUN: &str = "cargo run --release --locked --";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a host's build command in a copy of the repository, with the
/// binary under test standing in for `cargo run`, and the host's variables.
fn run_like_the_host(command: &str, env: &[(&str, &str)]) -> Fixture {
    assert!(command.starts_with(CARGO_RUN), "{command}");
    let fixture = Fixture::copy_of(repository());
    let command = command.replacen(CARGO_RUN, env!("CARGO_BIN_EXE_dossier"), 1);
    let status = Command::new("sh")
        .arg("-c")
        .arg(&command)
        .current_dir(&fixture.root)
        .envs(env.iter().copied())
        .status()
        .unwrap();
    assert!(status.success(), "{command}");
    fixture
}

#[test]
fn netlify_builds_the_site_at_the_deploy_address() {
    let config: toml::Table = std::fs::read_to_string(repository().join("netlify.toml")).unwrap().parse().unwrap();
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    let production = config["build"]["command"].as_str().unwrap();
    let preview = config["context"]["deploy-preview"]["command"].as_str().unwrap();
    let env = [
        ("URL", "https://briefings.netlify.app"),
        ("DEPLOY_PRIME_URL", "https://deploy-preview-7--briefings.netlify.app"),
        ("CONTEXT", "production"),
    ];

    let site = run_like_the_host(production, &env);
    let home = site.public("index.html");
    assert!(home.contains(r#"<link rel="canonical" href="https://briefings.netlify.app/">"#), "{home}");
    assert!(site.public("sitemap.xml").contains("<loc>https://briefings.netlify.app/briefings/"));
    assert_valid_html(&site.path("public"));
    assert_links_resolve(&site.path("public"), "/");

    let site = run_like_the_host(preview, &env);
    assert!(site.public("index.html").contains("https://deploy-preview-7--briefings.netlify.app/"));

    let headers = config["headers"].as_array().unwrap();
    assert!(headers.iter().any(|h| h["for"].as_str() == Some("/*/atom.xml")));
}

#[test]
fn the_pages_workflow_builds_with_the_same_command_and_publishes_public() {
    let text = std::fs::read_to_string(repository().join(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let build = steps.iter().find(|s| s["name"].as_str() == Some("Build the site")).unwrap();
    let command = build["run"].as_str().unwrap();
    let upload = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact")))
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
    let site = run_like_the_host(command, &[("BASE_URL", "https://example.github.io/briefings")]);
    let home = site.public("index.html");
    assert!(home.contains(r#"<link rel="canonical" href="https://example.github.io/briefings/">"#), "{home}");
    assert!(home.contains(r#"href="/briefings/style.css""#), "links follow the project subfolder");
}
