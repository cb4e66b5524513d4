//! Publisher furniture: the lines a news site wraps around an article
//! ("No time to read? / Get a summary", "Previous Article …", promos, share
//! buttons, SEO keyword lines). Default rules, plus `import.strip` from
//! `dossier.yaml`.

use crate::error::{Error, Result};
use regex::{Regex, RegexBuilder};
use std::sync::LazyLock;

/// Lines dropped wherever they appear; each must match a whole line, any case.
pub const DEFAULT_STRIP: &[&str] = &[
    r"no time to read\??",
    r"get (?:a|the) (?:quick |short |free )?summary\.?",
    r"(?:listen(?: to (?:this|the) (?:article|story))?|share(?: this (?:article|story))?|print|e-?mail|advertisement|advert|sponsored(?: content)?|skip to (?:main )?content|story continues below(?: advertisement)?|continue reading|read more|show more|comments?|close|menu)\.?",
    r"(?:you (?:may|might|will) also (?:like|enjoy|want)|also read|read also|must read|don'?t miss|trending now)\b.*",
    r"(?:related|recommended|trending|more from|see also|watch|video|read more|read next)(?: articles?| stories| coverage| now| for you| [\w ]{1,30})?\s*:.*",
    r"(?:follow us on|subscribe to (?:our|the)|sign up for (?:our|the)|join (?:our|us on))\b.*",
    r"(?:photo|image|picture|video)s?(?: credit)?\s*:.{0,120}",
    r"(?:photo|image)s? (?:by|via|courtesy of)\b.{0,120}",
    r"(?:click|tap) here\b.*",
];

/// A line that starts the list of other stories at the foot of a page.
static TRAILER_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    RegexBuilder::new(
        r"^[«‹<←\s]*(?:previous|prev|next|older|newer)\s+(?:article|post|story|item|entry|page)s?\b.*$|^(?:related (?:articles|stories|posts)|more (?:stories|news|articles)|most (?:read|popular)|latest (?:news|stories)|read next|you (?:may|might) also like)\s*:?$",
    )
    .case_insensitive(true)
    .build()
    .expect("the trailer pattern is valid")
});

/// The strip rules in force for one import.
#[derive(Debug)]
pub struct Rules {
    strip: Vec<Regex>,
}

impl Rules {
    /// The default rules plus the site's own, which are checked here so that a
    /// bad pattern is reported before anything is imported.
    pub fn new(extra: &[String]) -> Result<Rules> {
        let defaults = DEFAULT_STRIP.iter().map(|p| compile(p).expect("default strip rules are valid"));
        let mut strip: Vec<Regex> = defaults.collect();
        for pattern in extra {
            strip.push(compile_site_rule(pattern)?);
        }
        Ok(Rules { strip })
    }

    /// Checks one of the site's patterns (for `dossier.yaml` validation).
    pub fn check(pattern: &str) -> Result<()> {
        compile_site_rule(pattern).map(drop)
    }

    /// True when `line` is furniture to drop.
    pub fn is_boilerplate(&self, line: &str) -> bool {
        let line = line.trim();
        self.strip.iter().any(|rule| rule.is_match(line))
    }
}

fn compile_site_rule(pattern: &str) -> Result<Regex> {
    compile(pattern).map_err(|e| {
        Error::with_help(
            format!("`import.strip` pattern `{pattern}` is not a valid regular expression: {e}"),
            "patterns use Rust `regex` syntax and must match a whole line, e.g. `Sponsored by .*`",
        )
    })
}

fn compile(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    RegexBuilder::new(&format!("^(?:{pattern})$")).case_insensitive(true).build()
}

/// Removes the "Previous Article / Next Article" block (and lists like it):
/// from its marker on, the short headline lines that follow. A long
/// paragraph after the marker ends the cut, so article text is never lost.
pub fn cut_trailers(lines: &mut Vec<String>) {
    let mut i = 1;
    while i < lines.len() {
        if !TRAILER_MARKER.is_match(lines[i].trim()) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < lines.len() {
            let line = lines[end].trim();
            if !(line.is_empty() || TRAILER_MARKER.is_match(line) || is_headline_length(line)) {
                break;
            }
            end += 1;
        }
        // Stop short of a headline that is followed by a paragraph: it heads
        // text of the article, not another story.
        if end < lines.len() {
            while end > i + 1 && !lines[end - 1].trim().is_empty() {
                end -= 1;
            }
        }
        lines.drain(i..end);
    }
}

fn is_headline_length(line: &str) -> bool {
    line.split_whitespace().count() <= 20 && line.chars().count() <= 160
}

/// Little words that headlines and prose have and keyword lists lack.
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "in", "on", "for", "to", "with", "is", "are", "was", "what", "how", "why",
    "as", "at", "by", "from", "its", "their", "this", "that", "after", "over", "amid", "says", "said",
];

/// A line of SEO keywords ("NATO security partnership Ukraine, military
/// support Ukraine NATO, …"): three or more short comma- or bar-separated
/// phrases with no function words and no closing punctuation.
pub fn is_keyword_line(line: &str) -> bool {
    let line = line.trim();
    if line.ends_with(['.', '!', '?', ':', '…']) {
        return false;
    }
    let phrases: Vec<&str> = line.split([',', '|']).map(str::trim).collect();
    if phrases.len() < 3 {
        return false;
    }
    let short = phrases.iter().all(|p| (1..=6).contains(&p.split_whitespace().count()));
    let plain =
        line.split(|c: char| !c.is_alphanumeric()).all(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()));
    short && plain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn default_rules_catch_the_furniture_of_the_seeds_and_its_cousins() {
        let rules = Rules::new(&[]).unwrap();
        for line in [
            "No time to read?",
            "Get a summary",
            "YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Waverly Hills Hospital's Horror Story",
            "You might also like: Ten facts about tanks",
            "Read more: Kyiv braces for winter",
            "Advertisement",
            "Share this article",
            "Photo: Reuters",
            "Follow us on Telegram for updates",
            "Related stories: Kremlin reacts",
        ] {
            assert!(rules.is_boilerplate(line), "{line}");
        }
        for line in [
            "Related to this, officials said the talks would resume.",
            "Share prices fell sharply after the announcement.",
            "Watch officials closely, analysts said, because the summit matters.",
        ] {
            assert!(!rules.is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn site_rules_extend_the_defaults_and_bad_ones_are_reported() {
        let rules = Rules::new(&["Sponsored by .*".to_string()]).unwrap();
        assert!(rules.is_boilerplate("sponsored by Acme Arms"));
        let error = Rules::new(&["(unclosed".to_string()]).unwrap_err();
        assert!(error.to_string().contains("`(unclosed`"), "{error}");
    }

    #[test]
    fn trailers_go_with_their_headlines() {
        let mut text = lines(
            "Title\n\nBody paragraph.\n\nPrevious Article\n\nUnlocking Genetic Resilience: Amazonian Adaptations\n\nNext Article\n\nPowerball Winner Buys Hollywood Hills Mansion",
        );
        cut_trailers(&mut text);
        assert_eq!(text, ["Title", "", "Body paragraph.", ""]);
    }

    #[test]
    fn a_trailer_never_swallows_article_text() {
        let mut text = lines(
            "Title\nNext article: Some other story\nA subhead\nA long paragraph of the article that must stay, with many words in it, more than twenty words for sure, so it is text.",
        );
        cut_trailers(&mut text);
        assert_eq!(text.len(), 3, "{text:?}");
        assert_eq!(text[1], "A subhead");
    }

    #[test]
    fn keyword_lines_are_told_from_headlines() {
        assert!(is_keyword_line(
            "NATO security partnership Ukraine, military support Ukraine NATO, Ukraine defense strategy alliance"
        ));
        assert!(is_keyword_line("Ukraine | NATO | security guarantees | Zelensky"));
        assert!(!is_keyword_line(
            "Ukraine, NATO security guarantees, and the evolving balance in Western defense discussions"
        ));
        assert!(!is_keyword_line("Ukraine, NATO Involvement and the War: An Analysis"));
        assert!(!is_keyword_line("Berlin, Paris, Warsaw agree on a plan."));
    }
}
