//! A deterministic archive of generated briefings, written as a Dossier
//! site or, with the same articles, as a Hugo site: realistic lengths, a
//! skewed spread of ~300 actors and 40 topics, lists, code, links between
//! briefings and annotations.

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: small, fast, and the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Skewed towards 0: a few items are picked often, most rarely.
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FIRST: &[&str] = &[
    "Anna", "Mikko", "Oksana", "Pieter", "Lena", "Tomas", "Aisha", "Karim", "Ingrid", "Marek", "Sofia", "Yusuf",
    "Elena", "Jonas", "Mariam", "Viktor", "Clara", "Rafael", "Noor", "Henrik",
];
const LAST: &[&str] = &[
    "Kovalenko",
    "Virtanen",
    "Hansen",
    "Novak",
    "Okafor",
    "Schmidt",
    "Ivanova",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Silva",
    "Petrov",
    "Kaminski",
    "Rossi",
];
const STATES: &[&str] = &[
    "Ukraine",
    "Russia",
    "Poland",
    "Germany",
    "France",
    "United States",
    "United Kingdom",
    "Finland",
    "Sweden",
    "Estonia",
    "Latvia",
    "Lithuania",
    "Turkey",
    "China",
    "India",
    "Japan",
    "Moldova",
    "Georgia",
    "Romania",
    "Hungary",
    "Slovakia",
    "Czechia",
    "Norway",
    "Denmark",
    "Netherlands",
    "Belgium",
    "Italy",
    "Spain",
    "Canada",
    "Belarus",
    "Kazakhstan",
    "Armenia",
    "Azerbaijan",
    "Iran",
    "Israel",
    "Egypt",
    "Brazil",
    "South Africa",
    "Australia",
    "Serbia",
];
const ORGS: &[&str] = &[
    "NATO",
    "European Union",
    "OSCE",
    "IAEA",
    "United Nations Security Council",
    "G7",
    "G20",
    "African Union",
    "ASEAN",
    "BRICS",
    "IMF",
    "World Bank",
    "European Commission",
    "European Parliament",
    "Council of Europe",
    "ICRC",
    "UNHCR",
    "Frontex",
    "Interpol",
    "International Criminal Court",
    "Arab League",
    "OPEC",
    "CSTO",
    "Shanghai Cooperation Organisation",
    "Pentagon",
    "Bundeswehr",
    "Kremlin",
    "US State Department",
    "Gazprom",
    "Wagner Group",
];
const GROUPS: &[&str] = &[
    "Houthis",
    "Hezbollah",
    "Hamas",
    "Taliban",
    "Azov veterans",
    "Crimean Tatar Mejlis",
    "Free Russia Legion",
    "Baltic defence volunteers",
    "Black Sea fishermen",
    "Donbas refugees",
];
const TOPICS: &[&str] = &[
    "Security guarantees",
    "NATO accession",
    "Military aid",
    "Peace negotiations",
    "Escalation risk",
    "European defence",
    "Air defence",
    "Sanctions",
    "Energy security",
    "Grain corridor",
    "Nuclear safety",
    "Cyber operations",
    "Disinformation",
    "War crimes",
    "Reconstruction",
    "Refugees",
    "Arms control",
    "Black Sea security",
    "Baltic security",
    "Arctic security",
    "Drone warfare",
    "Artillery ammunition",
    "Defence industry",
    "Frozen assets",
    "Ceasefire monitoring",
    "Prisoner exchanges",
    "Naval blockade",
    "Territorial integrity",
    "Mobilisation",
    "Conscription",
    "Hybrid threats",
    "Critical infrastructure",
    "Election interference",
    "Minsk agreements",
    "Budapest Memorandum",
    "Article 5",
    "Enlargement",
    "Burden sharing",
    "Long-range strikes",
    "Humanitarian corridors",
];
const VERBS: &[&str] = &[
    "weighs",
    "rejects",
    "backs",
    "questions",
    "revives",
    "delays",
    "tests",
    "reframes",
    "doubles down on",
    "signals limits on",
];
const WORDS: &[&str] = &[
    "officials",
    "diplomats",
    "analysts",
    "ministers",
    "negotiators",
    "commanders",
    "the alliance",
    "the capital",
    "the front",
    "the talks",
    "the summit",
    "the proposal",
    "the package",
    "the deadline",
    "the region",
    "allies",
    "partners",
    "observers",
    "lawmakers",
    "the government",
    "the opposition",
    "markets",
    "the public",
    "envoys",
];
const PHRASES: &[&str] = &[
    "said on Tuesday that",
    "warned that",
    "argued that",
    "conceded that",
    "insisted that",
    "noted that",
    "suggested that",
    "reported that",
    "cautioned that",
    "acknowledged that",
];
const CLAUSES: &[&str] = &[
    "the next weeks would decide the shape of any settlement",
    "commitments made in public rarely match those made in private",
    "the cost of delay was rising on every side",
    "deterrence depends on credibility more than on numbers",
    "supply lines remained the decisive constraint",
    "no agreement would hold without verification",
    "the political calendar left little room for compromise",
    "public support was softer than the official line suggested",
    "the precedent would matter far beyond this conflict",
    "industrial capacity, not intent, set the pace",
];

/// An actor of the generated archive.
pub struct Actor {
    pub name: String,
    pub kind: &'static str,
    pub profile: bool,
}

/// Every actor: people, states, organisations and groups.
pub fn actors() -> Vec<Actor> {
    let mut list = Vec::new();
    for (i, first) in FIRST.iter().enumerate() {
        for (j, last) in LAST.iter().enumerate() {
            if (i * 7 + j * 3) % 5 < 3 {
                list.push(Actor { name: format!("{first} {last}"), kind: "person", profile: false });
            }
        }
    }
    list.truncate(220);
    list.extend(STATES.iter().map(|s| Actor { name: s.to_string(), kind: "state", profile: false }));
    list.extend(ORGS.iter().map(|s| Actor { name: s.to_string(), kind: "organization", profile: false }));
    list.extend(GROUPS.iter().map(|s| Actor { name: s.to_string(), kind: "group", profile: false }));
    for (i, actor) in list.iter_mut().enumerate() {
        actor.profile = i % 5 < 2 || actor.kind != "person";
    }
    list
}

/// File names the way Dossier derives slugs, so that references resolve.
pub fn slug(text: &str) -> String {
    dossier::model::Slug::from_text(text).to_string()
}

/// One generated article, the same in every flavor.
pub struct Article {
    pub slug: String,
    pub title: String,
    pub date: String,
    pub summary: String,
    pub actors: Vec<String>,
    pub topics: Vec<String>,
    /// Markdown, with `{{LINK:slug}}` where a link to another briefing goes.
    pub body: String,
    /// (quote, note, tag)
    pub annotation: Option<(String, String, String)>,
}

pub fn article(i: usize, actors: &[Actor]) -> Article {
    let mut rng = Rng::new(0x5eed ^ (i as u64).wrapping_mul(0x9e37_79b9));
    let mut cast: Vec<usize> = Vec::new();
    for _ in 0..2 + rng.below(7) {
        let a = rng.skewed(actors.len());
        if !cast.contains(&a) {
            cast.push(a);
        }
    }
    let mut topics: Vec<&str> = Vec::new();
    for _ in 0..1 + rng.below(4) {
        let t = TOPICS[rng.skewed(TOPICS.len())];
        if !topics.contains(&t) {
            topics.push(t);
        }
    }
    let lead = &actors[cast[0]].name;
    let title = format!("{lead} {} {}", rng.pick(VERBS), topics[0].to_lowercase());
    let day = (i * 4759 + rng.below(30)) % 4700;
    let date = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Days::new(day as u64);
    let sentence = |rng: &mut Rng| {
        let who = if rng.below(3) == 0 {
            actors[cast[rng.below(cast.len())]].name.clone()
        } else {
            rng.pick(WORDS).to_string()
        };
        let mut s = format!("{} {} {}", capitalise(&who), rng.pick(PHRASES), rng.pick(CLAUSES));
        if rng.below(3) == 0 {
            s.push_str(&format!(", a point that bears on {}", topics[rng.below(topics.len())].to_lowercase()));
        }
        s.push('.');
        s
    };
    let summary = sentence(&mut rng);
    let target = 600 + rng.below(600);
    let mut body = String::new();
    let mut words = 0;
    let mut paragraphs = 0;
    let mut quote = None;
    while words < target {
        let mut paragraph = Vec::new();
        for _ in 0..3 + rng.below(4) {
            paragraph.push(sentence(&mut rng));
        }
        if paragraphs == 1 {
            // Two sentences together are unique enough to anchor a note.
            quote = Some(format!("{} {}", paragraph[0], paragraph[1]));
        }
        let text = paragraph.join(" ");
        words += text.split_whitespace().count();
        let _ = writeln!(body, "{text}\n");
        paragraphs += 1;
        if paragraphs == 2 && rng.below(5) == 0 {
            body.push_str("Key points:\n\n");
            for _ in 0..3 + rng.below(3) {
                let _ = writeln!(body, "- {}", sentence(&mut rng));
            }
            body.push('\n');
        }
        if paragraphs == 3 && rng.below(10) == 0 {
            let _ = writeln!(body, "```json\n{{\"briefing\": {i}, \"topics\": {}}}\n```\n", topics.len());
        }
        if paragraphs == 4 && i > 0 && rng.below(3) == 0 {
            let _ = writeln!(body, "See also [an earlier briefing]({{{{LINK:{}}}}}).\n", rng.below(i));
        }
    }
    let annotation = (rng.below(5) == 0).then(|| {
        (quote.unwrap_or_default(), "Worth checking against the primary source.".to_string(), "sourcing".to_string())
    });
    Article {
        slug: format!("{i:05}-{}", slug(&title)),
        title,
        date: date.to_string(),
        summary,
        actors: cast.iter().map(|&a| actors[a].name.clone()).collect(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        body,
        annotation,
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn yaml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| serde_json::to_string(s).unwrap()).collect();
    format!("[{}]", quoted.join(", "))
}

/// Writes `n` articles as a Dossier site under `dir`.
pub fn write_dossier(dir: &Path, n: usize) {
    let actors = actors();
    write(&dir.join("dossier.yaml"), "title: Benchmark archive\nbase_url: https://briefings.example.org/\n");
    for actor in actors.iter().filter(|a| a.profile) {
        let text = format!(
            "---\nname: {}\nkind: {}\n---\nA generated profile.\n",
            serde_json::to_string(&actor.name).unwrap(),
            actor.kind
        );
        write(&dir.join(format!("content/actors/{}.md", slug(&actor.name))), &text);
    }
    for topic in TOPICS {
        let text = format!("---\nname: {topic}\nkeywords: [{}]\n---\nA generated overview.\n", topic.to_lowercase());
        write(&dir.join(format!("content/topics/{}.md", slug(topic))), &text);
    }
    let slugs: Vec<String> = (0..n).map(|i| article(i, &actors).slug).collect();
    for i in 0..n {
        let a = article(i, &actors);
        let mut front = format!(
            "---\ntitle: {}\ndate: {}\nsummary: {}\ntopics: {}\nactors: {}\n",
            serde_json::to_string(&a.title).unwrap(),
            a.date,
            serde_json::to_string(&a.summary).unwrap(),
            yaml_list(&a.topics),
            yaml_list(&a.actors)
        );
        if let Some((quote, note, tag)) = &a.annotation {
            let _ = write!(
                front,
                "annotations:\n  - quote: {}\n    note: {}\n    tags: [{tag}]\n",
                serde_json::to_string(quote).unwrap(),
                serde_json::to_string(note).unwrap()
            );
        }
        let body = link_bodies(&a.body, &slugs);
        write(&dir.join(format!("content/briefings/{}.md", a.slug)), &format!("{front}---\n{body}"));
    }
}

/// Writes the same articles as a Hugo site: topics and actors as taxonomies.
pub fn write_hugo(dir: &Path, n: usize) {
    write(&dir.join("hugo.toml"), HUGO_CONFIG);
    for (name, text) in HUGO_LAYOUTS {
        write(&dir.join("layouts").join(name), text);
    }
    write(&dir.join("content/_index.md"), "---\ntitle: Home\n---\n");
    write(&dir.join("content/briefings/_index.md"), "---\ntitle: Briefings\n---\n");
    write_peer_articles(dir, n, |a| {
        format!(
            "---\ntitle: {}\ndate: {}\nsummary: {}\ntopics: {}\nactors: {}\n---\n",
            serde_json::to_string(&a.title).unwrap(),
            a.date,
            serde_json::to_string(&a.summary).unwrap(),
            yaml_list(&a.topics),
            yaml_list(&a.actors)
        )
    });
}

/// Writes the same articles as a Zola site: topics and actors as
/// taxonomies, its search index on.
pub fn write_zola(dir: &Path, n: usize) {
    write(&dir.join("config.toml"), ZOLA_CONFIG);
    for (name, text) in ZOLA_TEMPLATES {
        write(&dir.join("templates").join(name), text);
    }
    write(&dir.join("content/_index.md"), "+++\ntitle = \"Home\"\n+++\n");
    write(&dir.join("content/briefings/_index.md"), "+++\ntitle = \"Briefings\"\nsort_by = \"date\"\n+++\n");
    write_peer_articles(dir, n, |a| {
        format!(
            "+++\ntitle = {}\ndate = {}\ndescription = {}\n[taxonomies]\ntopics = {}\nactors = {}\n+++\n",
            serde_json::to_string(&a.title).unwrap(),
            a.date,
            serde_json::to_string(&a.summary).unwrap(),
            serde_json::to_string(&a.topics).unwrap(),
            serde_json::to_string(&a.actors).unwrap()
        )
    });
}

/// The articles as another generator's pages: its front matter (`front`),
/// then the body with links between briefings as site paths.
fn write_peer_articles(dir: &Path, n: usize, front: impl Fn(&Article) -> String) {
    let actors = actors();
    let slugs: Vec<String> = (0..n).map(|i| article(i, &actors).slug).collect();
    for i in 0..n {
        let a = article(i, &actors);
        write(
            &dir.join(format!("content/briefings/{}.md", a.slug)),
            &format!("{}{}", front(&a), link_bodies(&a.body, &slugs)),
        );
    }
}

fn link_bodies(body: &str, slugs: &[String]) -> String {
    let mut out = body.to_string();
    while let Some(start) = out.find("{{LINK:") {
        let end = out[start..].find("}}").unwrap() + start;
        let index: usize = out[start + 7..end].parse().unwrap();
        out.replace_range(start..end + 2, &format!("/briefings/{}/", slugs[index]));
    }
    out
}

const HUGO_CONFIG: &str = r#"baseURL = "https://briefings.example.org/"
title = "Benchmark archive"
disableKinds = ["RSS"]
buildFuture = true

[taxonomies]
topic = "topics"
actor = "actors"
"#;

const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><header><a href="/">{{ .Site.Title }}</a> <a href="/topics/">Topics</a> <a href="/actors/">Actors</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#,
    ),
    (
        "index.html",
        r#"{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 20 (where .Site.RegularPages "Section" "briefings") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p><p>{{ .Summary }}</p>
<ul>{{ range .GetTerms "actors" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul>{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ .Content }}</article>{{ end }}
"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "_default/taxonomy.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
"#,
    ),
    (
        "_default/term.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}
"#,
    ),
];

/// The Zola site's `config.toml`, its search index on when `search` is.
const ZOLA_CONFIG: &str = r#"base_url = "https://briefings.example.org"
title = "Benchmark archive"
compile_sass = false
generate_feeds = false
build_search_index = true
taxonomies = [{ name = "topics" }, { name = "actors" }]
"#;

const ZOLA_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title></head>
<body><header><a href="/">{{ config.title }}</a> <a href="/topics/">Topics</a> <a href="/actors/">Actors</a></header>
<main>{% block main %}{% endblock main %}</main></body></html>
"#,
    ),
    (
        "index.html",
        r#"{% extends "base.html" %}{% block main %}<h1>{{ config.title }}</h1>{% set briefings = get_section(path="briefings/_index.md") %}<ul>{% for p in briefings.pages | slice(end=20) %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.date }}</li>{% endfor %}</ul>{% endblock main %}
"#,
    ),
    (
        "page.html",
        r#"{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock title %}{% block main %}<article><h1>{{ page.title }}</h1><p>{{ page.date | date(format="%e %B %Y") }}</p><p>{{ page.description }}</p>
<ul>{% for t in page.taxonomies.actors %}<li><a href="{{ get_taxonomy_url(kind="actors", name=t) }}">{{ t }}</a></li>{% endfor %}</ul>
<ul>{% for t in page.taxonomies.topics %}<li><a href="{{ get_taxonomy_url(kind="topics", name=t) }}">{{ t }}</a></li>{% endfor %}</ul>
{{ page.content | safe }}</article>{% endblock main %}
"#,
    ),
    (
        "section.html",
        r#"{% extends "base.html" %}{% block main %}<h1>{{ section.title }}</h1><ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock main %}
"#,
    ),
    (
        "taxonomy_list.html",
        r#"{% extends "base.html" %}{% block main %}<h1>{{ taxonomy.name }}</h1><ul>{% for term in terms %}<li><a href="{{ term.permalink }}">{{ term.name }}</a> {{ term.pages | length }}</li>{% endfor %}</ul>{% endblock main %}
"#,
    ),
    (
        "taxonomy_single.html",
        r#"{% extends "base.html" %}{% block main %}<h1>{{ term.name }}</h1><ul>{% for p in term.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a> {{ p.date }}<p>{{ p.description }}</p></li>{% endfor %}</ul>{% endblock main %}
"#,
    ),
];
