//! `dossier.yaml` → [`Config`]: site title, base URL, theme, language.

use crate::error::{Error, Result};
use crate::yaml::{Origin, key_line, parse_mapping};
use serde::Deserialize;
use std::path::Path;

/// The file name of the site configuration, at the site root.
pub const CONFIG_FILE: &str = "dossier.yaml";

/// Site configuration; every key is optional so that a folder holding only
/// `content/` builds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute URL the site is published at, e.g. `https://example.org/archive/`.
    pub base_url: String,
    /// Name of the theme folder under `themes/`; `default` is built in.
    pub theme: String,
    /// BCP 47 language tag for `<html lang>` and feeds.
    pub language: String,
    /// Briefings per page on the home timeline.
    pub paginate: usize,
    /// Briefings per page of an actor or topic.
    pub paginate_terms: usize,
    /// Entries per Atom feed.
    pub feed_limit: usize,
    /// Whether the site has a search page and index. Off, the build makes
    /// neither, nor the search records they come from.
    pub search: bool,
    /// Rules of `dossier import`.
    pub import: ImportConfig,
    /// The pictures of the archive.
    pub charts: ChartsConfig,
}

/// The `charts:` section of `dossier.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChartsConfig {
    /// The actor network shows this many of the most-named actors.
    pub network_actors: usize,
}

impl Default for ChartsConfig {
    fn default() -> Self {
        ChartsConfig { network_actors: 40 }
    }
}

/// The `import:` section of `dossier.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportConfig {
    /// Regular expressions for more lines of publisher furniture to drop;
    /// each must match a whole line, in any case.
    pub strip: Vec<String>,
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "theme",
    "language",
    "paginate",
    "paginate_terms",
    "feed_limit",
    "search",
    "import",
    "charts",
];

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Dossier".to_string(),
            description: "An annotated briefing archive".to_string(),
            base_url: "http://127.0.0.1:1111/".to_string(),
            theme: "default".to_string(),
            language: "en".to_string(),
            paginate: 20,
            paginate_terms: 50,
            feed_limit: 20,
            search: true,
            import: ImportConfig::default(),
            charts: ChartsConfig::default(),
        }
    }
}

impl Config {
    /// Reads `dossier.yaml` under `root`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Error::io(format!("cannot read `{CONFIG_FILE}`"), e)),
        };
        let origin = Origin { path: Path::new(CONFIG_FILE), line_offset: 0 };
        let config: Config = parse_mapping(&text, KEYS, origin)?;
        config.validate(origin, &text)?;
        Ok(config)
    }

    /// Checks values serde cannot; `text` is the file, to find the offending line.
    fn validate(&self, origin: Origin, text: &str) -> Result<()> {
        let line = |key| if text.is_empty() { 0 } else { key_line(text, key) };
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(Error::with_help(
                format!("`base_url` must be an absolute http(s) URL, found `{}`", self.base_url),
                "write it as `base_url: https://example.org/`",
            )
            .at(origin.at(line("base_url"), 1)));
        }
        for pattern in &self.import.strip {
            if let Err(error) = crate::import::Rules::check(pattern) {
                let at =
                    text.lines().position(|l| l.contains(pattern.as_str())).map_or_else(|| line("import"), |i| i + 1);
                return Err(error.at(origin.at(at, 1)));
            }
        }
        if self.charts.network_actors < 2 {
            let at = text.lines().position(|l| l.trim_start().starts_with("network_actors")).map_or(1, |i| i + 1);
            return Err(Error::invalid("`charts.network_actors` must be at least 2").at(origin.at(at, 1)));
        }
        for (key, value) in [("paginate", self.paginate), ("paginate_terms", self.paginate_terms)] {
            if value == 0 {
                return Err(Error::invalid(format!("`{key}` must be at least 1")).at(origin.at(line(key), 1)));
            }
        }
        Ok(())
    }

    /// Replaces the base URL (from `--base-url` or the deploy environment).
    pub fn with_base_url(mut self, base_url: &str) -> Result<Config> {
        self.base_url = base_url.to_string();
        let origin = Origin { path: Path::new("--base-url"), line_offset: 0 };
        self.validate(origin, "")?;
        Ok(self)
    }

    /// The path part of `base_url`, always with leading and trailing `/`:
    /// internal links are written against it so a site can live in a subfolder.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        let trimmed = path.trim_end_matches('/');
        format!("{trimmed}/")
    }

    /// `base_url` without its trailing slash, for joining with site paths.
    pub fn origin_url(&self) -> &str {
        let after_scheme = self.base_url.find("://").map_or(0, |i| i + 3);
        match self.base_url[after_scheme..].find('/') {
            Some(i) => &self.base_url[..after_scheme + i],
            None => &self.base_url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_handles_subfolders() {
        let config = Config::default().with_base_url("https://example.org/archive").unwrap();
        assert_eq!(config.base_path(), "/archive/");
        assert_eq!(config.origin_url(), "https://example.org");
        let config = Config::default().with_base_url("https://example.org").unwrap();
        assert_eq!(config.base_path(), "/");
    }

    #[test]
    fn relative_base_url_is_rejected() {
        assert!(Config::default().with_base_url("example.org").is_err());
    }
}
