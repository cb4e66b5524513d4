//! `dossier init DIR`: a new archive that builds at once, with the default
//! theme to edit and one example of each kind of content to learn from.

use crate::cli::InitArgs;
use crate::error::{Error, Result};
use crate::load::ContentKind;
use crate::render::default_theme_files;
use std::path::Path;

const CONFIG: &str = "\
# The site: see the README for every key.
title: {title}
description: An annotated briefing archive.
# The address the site is published at; `dossier build --base-url` overrides it.
base_url: http://127.0.0.1:1111/
theme: default
language: en
";

const BRIEFING: &str = "\
---
title: \"Allies weigh air defence for Ukraine\"
date: {date}
summary: \"An example briefing: replace it with your own, or import articles with `dossier import`.\"
topics: [air-defence]
actors: [nato]
annotations:
  - quote: \"more systems were needed before winter\"
    note: \"An example note. Add your own with `dossier annotate allies-weigh-air-defence-for-ukraine --quote … --note …`.\"
    tags: [example]
---
Officials told NATO ministers that more systems were needed before winter.

Each briefing is a Markdown file with front matter: its actors and topics
link it to their pages, and its annotations put notes beside the passages
they discuss.
";

const ACTOR: &str = "\
---
name: NATO
kind: organization
aliases: [North Atlantic Treaty Organization, the Alliance]
role: Military alliance
description: The North Atlantic alliance of European and North American states.
---
An example profile. Every actor a briefing lists gets a page; a profile adds
this text, a kind and the aliases that count as a mention.
";

const TOPIC: &str = "\
---
name: Air defence
keywords: [air defence, air defense]
description: Protecting cities and troops from missiles and drones.
---
An example topic overview.
";

pub fn run(args: InitArgs) -> Result<()> {
    let dir = &args.dir;
    let shown = dir.display().to_string();
    if dir.exists() && std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_some()) {
        return Err(Error::with_help(
            format!("`{shown}` exists and is not empty"),
            "choose a new folder; init never writes over files",
        ));
    }
    let title = dir.file_name().and_then(|n| n.to_str()).filter(|n| !n.is_empty()).unwrap_or("Dossier");
    let write = |relative: &str, bytes: &[u8]| crate::write::replace_file(&dir.join(relative), bytes);
    write(
        "dossier.yaml",
        CONFIG.replace("{title}", &serde_json::to_string(title).expect("strings serialise")).as_bytes(),
    )?;
    // The built site, and the manifests and spare site kept beside it.
    write(".gitignore", b"/public/\n/.public.*\n")?;
    for (path, bytes) in default_theme_files() {
        write(&format!("themes/default/{path}"), bytes)?;
    }
    let date = super::annotate::today().to_string();
    let examples = [
        (ContentKind::Briefing, "allies-weigh-air-defence-for-ukraine", BRIEFING.replace("{date}", &date)),
        (ContentKind::Actor, "nato", ACTOR.to_string()),
        (ContentKind::Topic, "air-defence", TOPIC.to_string()),
    ];
    for (kind, slug, text) in examples {
        let relative = Path::new("content").join(kind.folder()).join(format!("{slug}.md"));
        super::new::create(dir, &relative, kind, &text)?;
    }
    log::info!("created a new archive in `{shown}`; build it with `cd {shown} && dossier build`");
    Ok(())
}
