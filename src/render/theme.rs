//! The theme: Tera templates and static assets, from `themes/<name>/` or, for
//! `default` when the site has no copy, from the binary. A site overrides
//! single templates in `templates/` and single assets in `static/`.

use crate::error::{Error, Location, Result, TemplateDetail};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tera::Tera;
use walkdir::WalkDir;

/// The templates every theme provides.
pub const TEMPLATES: &[&str] = &[
    "base.html",
    "components.html",
    "home.html",
    "briefing.html",
    "actor.html",
    "actors.html",
    "topic.html",
    "topics.html",
    "timeline.html",
    "period.html",
    "network.html",
    "annotations.html",
    "search.html",
    "404.html",
];

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../themes/default/", $name)) as &[u8])),*]
    };
}

/// The default theme, compiled in so that a folder holding only `content/` builds.
const DEFAULT_THEME: &[(&str, &[u8])] = embedded!(
    "templates/base.html",
    "templates/components.html",
    "templates/home.html",
    "templates/briefing.html",
    "templates/actor.html",
    "templates/actors.html",
    "templates/topic.html",
    "templates/topics.html",
    "templates/timeline.html",
    "templates/period.html",
    "templates/network.html",
    "templates/annotations.html",
    "templates/search.html",
    "templates/404.html",
    "static/style.css",
    "static/highlight.css",
    "static/favicon.svg",
    "static/search.js",
    "static/search/text.js",
    "static/search/stem.js",
);

/// The default theme's files, by path under `themes/default/`, for `dossier init`.
pub fn default_theme_files() -> &'static [(&'static str, &'static [u8])] {
    DEFAULT_THEME
}

/// Compiled templates plus the files copied verbatim into the site.
pub struct Theme {
    pub tera: Arc<Tera>,
    /// Per template, a fingerprint of everything rendering with it reads
    /// (see [`closure_keys`]).
    pub keys: BTreeMap<String, u64>,
    /// Template name → its file, as shown in messages.
    pub paths: BTreeMap<String, String>,
    /// Output path (relative to the site root) → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

/// Whether a theme asset serves only the search page (`search.js` and what
/// is under `search/`): a site without search does not get it.
pub fn is_search_asset(path: &str) -> bool {
    path == "search.js" || path.starts_with("search/")
}

/// Compiled templates kept between builds, by a fingerprint of their sources:
/// parsing them is most of what loading a theme costs.
#[derive(Default)]
pub struct TemplateCache(Mutex<Option<(u64, Arc<Tera>)>>);

/// Loads the theme named in the config, with the site's own overrides on top.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme> {
    load_theme_cached(root, name, None)
}

/// [`load_theme`], compiling the templates only when their sources differ
/// from those `cache` holds.
pub fn load_theme_cached(root: &Path, name: &str, cache: Option<&TemplateCache>) -> Result<Theme> {
    let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut assets = BTreeMap::new();
    let theme_dir = root.join("themes").join(name);
    if theme_dir.is_dir() {
        read_dir_files(root, &theme_dir.join("templates"), &mut |rel, path, bytes| {
            templates.insert(rel.to_string(), (path.to_string(), text(bytes, path)?));
            Ok(())
        })?;
        read_dir_files(root, &theme_dir.join("static"), &mut |rel, _, bytes| {
            assets.insert(rel.to_string(), bytes);
            Ok(())
        })?;
    } else if name == "default" {
        for (path, bytes) in DEFAULT_THEME {
            let shown = format!("(built-in theme)/{path}");
            if let Some(rel) = path.strip_prefix("templates/") {
                templates.insert(rel.to_string(), (shown.clone(), text(bytes.to_vec(), &shown)?));
            } else if let Some(rel) = path.strip_prefix("static/") {
                assets.insert(rel.to_string(), bytes.to_vec());
            }
        }
    } else {
        return Err(Error::with_help(
            format!("theme `{name}` not found: there is no folder `themes/{name}`"),
            "set `theme: default` in dossier.yaml or add the theme folder",
        ));
    }
    read_dir_files(root, &root.join("templates"), &mut |rel, path, bytes| {
        templates.insert(rel.to_string(), (path.to_string(), text(bytes, path)?));
        Ok(())
    })?;
    read_dir_files(root, &root.join("static"), &mut |rel, _, bytes| {
        assets.insert(rel.to_string(), bytes);
        Ok(())
    })?;
    let missing: Vec<&str> = TEMPLATES.iter().copied().filter(|t| !templates.contains_key(*t)).collect();
    if !missing.is_empty() {
        return Err(Error::with_help(
            format!("theme `{name}` lacks the templates {}", missing.join(", ")),
            "copy them from themes/default/templates",
        ));
    }
    let keys = closure_keys(&templates);
    let paths = templates.iter().map(|(name, (path, _))| (name.clone(), path.clone())).collect();
    let Some(cache) = cache else { return Ok(Theme { tera: Arc::new(compile(&templates)?), keys, paths, assets }) };
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    for (name, (_, source)) in &templates {
        for part in [name, source] {
            hash.update(part.as_bytes());
            hash.update(b"\0");
        }
    }
    let key = hash.digest();
    let mut kept = cache.0.lock().expect("no panic holding the lock");
    let tera = match kept.as_ref() {
        Some((k, tera)) if *k == key => tera.clone(),
        _ => {
            let tera = Arc::new(compile(&templates)?);
            *kept = Some((key, tera.clone()));
            tera
        }
    };
    Ok(Theme { tera, keys, paths, assets })
}

/// For each template, a fingerprint of its source and of the templates it
/// names (the one it extends, those it includes) or whose components it
/// calls, theirs in turn. Names are found as quoted strings (any of Tera's
/// three quotes) and calls as `<name`, so a template merely mentioned counts
/// too: a page may be made again needlessly, never kept wrongly.
fn closure_keys(templates: &BTreeMap<String, (String, String)>) -> BTreeMap<String, u64> {
    let names: Vec<&String> = templates.keys().collect();
    let components: Vec<(&str, String)> = templates
        .iter()
        .flat_map(|(name, (_, source))| component_names(source).map(move |c| (name.as_str(), format!("<{c}"))))
        .collect();
    let named: BTreeMap<&str, Vec<&str>> = templates
        .iter()
        .map(|(name, (_, source))| {
            let quoted = names.iter().filter(|n| {
                *n != &name
                    && [format!("\"{n}\""), format!("'{n}'"), format!("`{n}`")].iter().any(|q| source.contains(q))
            });
            let called = components.iter().filter(|(_, call)| source.contains(call.as_str())).map(|(file, _)| *file);
            (name.as_str(), quoted.map(|n| n.as_str()).chain(called).collect())
        })
        .collect();
    templates
        .keys()
        .map(|name| {
            let mut reached = std::collections::BTreeSet::from([name.as_str()]);
            let mut stack = vec![name.as_str()];
            while let Some(t) = stack.pop() {
                for &u in &named[t] {
                    if reached.insert(u) {
                        stack.push(u);
                    }
                }
            }
            let mut hash = xxhash_rust::xxh3::Xxh3::new();
            for t in reached {
                for part in [t, templates[t].1.as_str()] {
                    hash.update(part.as_bytes());
                    hash.update(b"\0");
                }
            }
            (name.clone(), hash.digest())
        })
        .collect()
}

/// The names of the components `source` defines (`{% component name(`).
fn component_names(source: &str) -> impl Iterator<Item = &str> {
    source.split("{%").skip(1).filter_map(|tag| {
        let rest = tag.trim_start_matches('-').trim_start().strip_prefix("component")?;
        let name = rest.trim_start().split(|c: char| c == '(' || c.is_whitespace()).next()?;
        (!name.is_empty() && rest.starts_with(char::is_whitespace)).then_some(name)
    })
}

impl Theme {
    /// The error of rendering `output` with `template`, pinned to the place
    /// in the template (or the one it extends or calls) that failed.
    pub fn render_error(&self, output: &str, template: &str, error: tera::Error) -> Error {
        let place = place(&error)
            .map(|(name, line, col)| Location::new(self.paths.get(name).map_or(name, String::as_str), line, col));
        let error = Error::Template {
            message: format!("cannot render `{output}` with template `{template}`"),
            source: error.into(),
        };
        match place {
            Some(location) => error.at(location),
            None => error,
        }
    }

    /// The fingerprint of `template` and what it reads ([`closure_keys`]).
    pub fn key(&self, template: &str) -> u64 {
        self.keys.get(template).copied().unwrap_or_default()
    }
}

/// Compiles all templates. When that fails, each file is parsed alone so
/// that every syntax error is reported, not only the first.
fn compile(templates: &BTreeMap<String, (String, String)>) -> Result<Tera> {
    let mut tera = new_tera();
    let assembled =
        tera.add_raw_templates(templates.iter().map(|(name, (_, source))| (name.as_str(), source.as_str())));
    let Err(error) = assembled else { return Ok(tera) };
    let mut errors = Vec::new();
    for (name, (path, source)) in templates {
        // A parent template or a component is absent when parsing alone;
        // only syntax errors count here.
        if let Err(e) = new_tera().add_raw_template(name, source)
            && let Some((_, line, col)) = place(&e).filter(|_| matches!(e.kind(), tera::ErrorKind::SyntaxError(_)))
        {
            errors.push(template_error(path, line, col, e));
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Err(assembly_errors(templates, error))
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(crate::escape::write_html);
    tera
}

/// Why the templates do not assemble: each problem Tera names, pinned to
/// its template's file and, where Tera says, line and column.
fn assembly_errors(templates: &BTreeMap<String, (String, String)>, error: tera::Error) -> Error {
    let path = |name: &str| templates.get(name).map_or(name.to_string(), |(path, _)| path.clone());
    let pinned = |name: &str, line: usize, col: usize, detail: TemplateDetail| {
        Error::Template { message: "template error".to_string(), source: detail }.at(Location::new(
            path(name),
            line,
            col,
        ))
    };
    if let Some((name, line, col)) = place(&error) {
        let path = path(name);
        return template_error(&path, line, col, error);
    }
    let detail = TemplateDetail::from_report(&error.to_string());
    match error.kind() {
        tera::ErrorKind::MissingParent { current, parent } => {
            let line = templates
                .get(current.as_str())
                .and_then(|(_, source)| source.lines().position(|l| l.contains(parent.as_str())).map(|i| i + 1));
            pinned(current, line.unwrap_or(0), 0, detail)
        }
        // Tera checks every name a template calls (components, filters,
        // functions, tests, included templates) and returns one text of
        // reports, each with its place.
        tera::ErrorKind::Msg(text) if text.contains("\n --> ") => Error::many(
            reports(text)
                .map(|report| match report_place(report) {
                    Some((name, line, col)) => pinned(name, line, col, TemplateDetail::from_report(report)),
                    None => Error::Template {
                        message: "template error".to_string(),
                        source: TemplateDetail::from_report(report),
                    },
                })
                .collect(),
        ),
        _ => Error::Template { message: "cannot assemble the theme's templates".to_string(), source: detail },
    }
}

/// The reports in a text of several, each starting `error: `.
fn reports(text: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> =
        text.match_indices("error: ").map(|(at, _)| at).filter(|&at| at == 0 || text[..at].ends_with('\n')).collect();
    let ends = starts.iter().skip(1).copied().chain([text.len()]).collect::<Vec<_>>();
    starts.into_iter().zip(ends).map(move |(start, end)| &text[start..end])
}

/// The place a report names on its ` --> template:line:col` line.
fn report_place(report: &str) -> Option<(&str, usize, usize)> {
    let place = report.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, line, col))
}

/// Where a syntax or rendering error points: template, line and column.
fn place(error: &tera::Error) -> Option<(&str, usize, usize)> {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Some((report.filename(), report.span().start_line, report.span().start_col + 1))
        }
        _ => None,
    }
}

/// A syntax or rendering error pinned to `path`, `line` and `col`.
fn template_error(path: &str, line: usize, col: usize, error: tera::Error) -> Error {
    let message = match error.kind() {
        tera::ErrorKind::SyntaxError(_) => "template syntax error",
        _ => "template error",
    };
    Error::Template { message: message.to_string(), source: error.into() }.at(Location::new(path, line, col))
}

fn text(bytes: Vec<u8>, path: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| Error::invalid(format!("template `{path}` is not UTF-8 text")))
}

/// Receives `(path relative to the folder, path shown in messages, bytes)`.
type FileVisitor<'a> = dyn FnMut(&str, &str, Vec<u8>) -> Result<()> + 'a;

/// Calls `visit` for every file under `dir`.
fn read_dir_files(root: &Path, dir: &Path, visit: &mut FileVisitor) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::io(format!("cannot list `{}`", dir.display()), e.into()))?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        let shown = crate::error::relative_to(entry.path(), root).display().to_string();
        let rel = entry.path().strip_prefix(dir).expect("walked below dir").to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(format!("cannot read `{shown}`"), e))?;
        visit(&rel, &shown, bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates(files: &[(&str, &str)]) -> BTreeMap<String, (String, String)> {
        files.iter().map(|(name, source)| (name.to_string(), (name.to_string(), source.to_string()))).collect()
    }

    /// The default theme's long lists write each teaser (and a term page
    /// each date) in place rather than call the component, since a call
    /// builds a context of its own: they must write what it writes.
    #[test]
    fn default_lists_write_teasers_and_dates_as_the_components_do() {
        let file = |name: &str| {
            let (_, bytes) = default_theme_files().iter().find(|(path, _)| *path == name).expect(name);
            std::str::from_utf8(bytes).unwrap()
        };
        let components = file("templates/components.html");
        // The markup between `{% component name(…) %}` and its end.
        let body = |name: &str, arguments: &str| {
            let opening = format!("{{% component {name}({arguments}) %}}");
            let start = components.find(&opening).expect(name) + opening.len();
            let end = start + components[start..].find(&format!("{{% endcomponent {name} %}}")).expect(name);
            &components[start..end]
        };
        for (template, level) in
            [("templates/home.html", "3"), ("templates/briefing.html", "3"), ("templates/period.html", "2")]
        {
            let teaser = body("teaser", "item, level").replace("{{ level }}", level);
            assert!(file(template).contains(&teaser), "{template} writes a teaser unlike the component's:\n{teaser}");
        }
        // Term pages write each briefing's date in place too.
        let date = body("date", "date, display")
            .replace("{% if date %}", "{% if link.briefing.date %}")
            .replace("{{ date }}", "{{ link.briefing.date }}")
            .replace("{{ display }}", "{{ link.briefing.date_display }}");
        for template in ["templates/actor.html", "templates/topic.html"] {
            assert!(file(template).contains(&date), "{template} writes a date unlike the component's:\n{date}");
        }
    }

    #[test]
    fn a_template_depends_on_what_it_extends_and_on_the_components_it_calls() {
        let base = "<main>{% block main %}{% endblock main %}</main>";
        let components = "{% component card(title) %}<b>{{ title }}</b>{% endcomponent card %}\n{%- component pill(x) %}{{ x }}{% endcomponent pill %}";
        let caller = "{% extends \"base.html\" %}{% block main %}{{<card title=\"t\" />}}{% endblock main %}";
        let plain = "<p>nothing else</p>";
        let keys = |components: &str| {
            closure_keys(&templates(&[
                ("base.html", base),
                ("components.html", components),
                ("caller.html", caller),
                ("plain.html", plain),
            ]))
        };
        let before = keys(components);
        let after = keys(&components.replace("<b>", "<strong>"));
        assert_ne!(before["caller.html"], after["caller.html"], "a component it calls changed");
        assert_eq!(before["plain.html"], after["plain.html"], "it calls no component");
        assert_eq!(component_names(components).collect::<Vec<_>>(), ["card", "pill"]);
        // A template that only extends another still depends on it.
        let edited_base = closure_keys(&templates(&[
            ("base.html", "<main>{% block main %}{% endblock main %}</main>!"),
            ("caller.html", caller),
        ]));
        let first = closure_keys(&templates(&[("base.html", base), ("caller.html", caller)]));
        assert_ne!(edited_base["caller.html"], first["caller.html"]);
    }
}
