//! `dossier new briefing|actor|topic NAME`: a content file from a template,
//! never over an existing one.

use crate::cli::{ActorKindArg, NewArgs, NewKind};
use crate::error::{Error, Result};
use crate::load::{ContentKind, parse_content};
use crate::model::Slug;
use std::path::{Path, PathBuf};

pub fn run(args: NewArgs) -> Result<()> {
    let slug = Slug::from_text(&args.name);
    if slug.is_empty() {
        return Err(Error::with_help(
            format!("`{}` has no letters or digits to name a file after", args.name),
            "give a title or name made of words",
        ));
    }
    let today = super::annotate::today().to_string();
    let (kind, text) = match args.kind {
        NewKind::Briefing => (ContentKind::Briefing, briefing(&args.name, &today)),
        NewKind::Actor => (ContentKind::Actor, actor(&args.name, args.actor_kind)),
        NewKind::Topic => (ContentKind::Topic, topic(&args.name)),
    };
    let relative = PathBuf::from("content").join(kind.folder()).join(format!("{slug}.md"));
    create(&args.root, &relative, kind, &text)?;
    let hint = if args.kind == NewKind::Briefing { " as a draft: set `draft: false` to publish it" } else { "" };
    log::info!("created `{}`{hint}", relative.display());
    Ok(())
}

/// Writes a new content file after checking that it parses; refuses to
/// replace an existing file.
pub fn create(root: &Path, relative: &Path, kind: ContentKind, text: &str) -> Result<()> {
    parse_content(kind, relative, text)?;
    let path = root.join(relative);
    if path.exists() {
        return Err(Error::with_help(
            format!("`{}` exists already", relative.display()),
            "edit it, or choose another name",
        ));
    }
    crate::write::replace_file(&path, text.as_bytes())
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialise")
}

/// A new briefing: dated today, a draft until the analyst publishes it.
pub fn briefing(title: &str, date: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: {date}\n# summary: \"One or two sentences; the first paragraph when left out.\"\ntopics: []\nactors: []\ndraft: true\n---\n",
        quoted(title)
    )
}

pub fn actor(name: &str, kind: ActorKindArg) -> String {
    let kind = match kind {
        ActorKindArg::Person => "person",
        ActorKindArg::State => "state",
        ActorKindArg::Organization => "organization",
        ActorKindArg::Group => "group",
    };
    format!(
        "---\nname: {}\nkind: {kind}  # person, state, organization or group\naliases: []  # other names that count as a mention in briefings\n# role: \"…\"\n# description: \"One sentence for lists and search engines.\"\n---\n",
        quoted(name)
    )
}

pub fn topic(name: &str) -> String {
    format!(
        "---\nname: {}\nkeywords: []  # words that count as a mention in briefings\n# description: \"One sentence for lists and search engines.\"\n---\n",
        quoted(name)
    )
}
