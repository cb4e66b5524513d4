//! The shape of an article: raw lines → title, stated date and blocks
//! (paragraphs, lists, quoted posts, subheadings), with furniture removed.

use super::clean::{Rules, cut_trailers, is_keyword_line};
use super::dates::{find_dates, parse_date};
use super::prose::split_run_on;
use chrono::NaiveDate;
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// A block of the briefing body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    /// A quoted post, with its "— Name (@handle) date" line.
    Quote {
        text: String,
        attribution: Option<String>,
    },
    /// Markdown passed through as written (code blocks, tables).
    Verbatim(String),
}

/// What the text of an article says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    /// A date the text states: a dateline, or the date of a quoted post.
    pub stated_date: Option<NaiveDate>,
    /// Block text is plain text, or Markdown when the source was Markdown.
    pub blocks: Vec<Block>,
    pub markdown: bool,
}

/// One line-level unit before blocks are formed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unit {
    Text(String),
    Bullet(String),
    Heading(usize, String),
    Quote(String),
    Verbatim(String),
    /// A paragraph break in the source.
    Gap,
}

/// "— Michael McFaul (@McFaul) August 16, 2025"
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[—–-]{1,2}\s*(?P<name>[^()@,]{2,80})\s*(?:\((?P<handle>@\w{1,30})\))?\s*,?\s*(?P<rest>.*)$")
        .expect("the attribution pattern is valid")
});

/// Links an embedded post carries that mean nothing once copied.
static POST_LINKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)").expect("the post-link pattern is valid")
});

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-*•▪◦‣]|\d{1,2}[.)])\s+(?P<item>\S.*)$").expect("the bullet pattern is valid"));

/// Shapes an article from its lines. `markdown` says the lines are Markdown
/// (from a `.md` file or converted HTML) rather than plain text;
/// `title_hint` is a title the file's metadata gives.
pub fn shape(text: &str, markdown: bool, title_hint: Option<&str>, rules: &Rules) -> Article {
    let mut lines: Vec<String> = text.lines().map(|l| l.replace('\u{a0}', " ").trim_end().to_string()).collect();
    cut_trailers(&mut lines);
    if !markdown {
        lines = unwrap_hard_wrapped(lines);
    }
    let units = to_units(&lines, markdown);
    let units: Vec<Unit> = units.into_iter().filter(|u| !is_furniture(u, rules)).collect();
    let mut units = drop_leading_keyword_lines(units);
    let mut stated_date = take_dateline(&mut units);
    let units = join_quoted_posts(units, &mut stated_date);
    let (title, units) = take_title(units, title_hint);
    let blocks = to_blocks(units, &title);
    Article { title, stated_date, blocks, markdown }
}

/// Joins the lines of blocks that were wrapped at a fixed width (every line
/// but the last 40–100 characters, and a sentence running on from one line to
/// a lowercase start on the next); other blocks keep a unit per line.
fn unwrap_hard_wrapped(lines: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    for block in lines.split(|l| l.trim().is_empty()) {
        let wrapped = block.len() >= 2
            && block[..block.len() - 1].iter().all(|l| (40..=100).contains(&l.chars().count()))
            && block.windows(2).any(|w| {
                !w[0].ends_with(['.', '!', '?', ':'])
                    && w[1].trim_start().chars().next().is_some_and(char::is_lowercase)
            });
        if wrapped {
            out.push(block.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "));
        } else {
            out.extend(block.iter().cloned());
        }
        out.push(String::new());
    }
    out.pop();
    out
}

fn to_units(lines: &[String], markdown: bool) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut fence: Option<String> = None;
    for line in lines {
        let trimmed = line.trim();
        if markdown {
            if let Some(code) = &mut fence {
                code.push('\n');
                code.push_str(line);
                if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                    units.push(Unit::Verbatim(std::mem::take(code)));
                    fence = None;
                }
                continue;
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                fence = Some(line.clone());
                continue;
            }
            if trimmed.starts_with('|') {
                match units.last_mut() {
                    Some(Unit::Verbatim(table)) if table.starts_with('|') => {
                        table.push('\n');
                        table.push_str(trimmed);
                    }
                    _ => units.push(Unit::Verbatim(trimmed.to_string())),
                }
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('>') {
                units.push(Unit::Quote(rest.trim().to_string()));
                continue;
            }
            let hashes = trimmed.chars().take_while(|&c| c == '#').count();
            if (1..=6).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
                units.push(Unit::Heading(hashes, trimmed[hashes..].trim().to_string()));
                continue;
            }
        }
        if trimmed.is_empty() {
            if units.last().is_some_and(|u| *u != Unit::Gap) {
                units.push(Unit::Gap);
            }
        } else if let Some(c) = BULLET.captures(trimmed) {
            units.push(Unit::Bullet(c["item"].to_string()));
        } else {
            match units.last_mut() {
                // A hard-wrapped line: the previous one breaks mid-sentence.
                Some(Unit::Text(previous)) if continues(previous, trimmed, markdown) => {
                    previous.push(' ');
                    previous.push_str(trimmed);
                }
                _ => units.push(Unit::Text(trimmed.to_string())),
            }
        }
    }
    if let Some(code) = fence {
        units.push(Unit::Verbatim(code));
    }
    units
}

/// True when `next` continues the sentence `previous` broke off.
fn continues(previous: &str, next: &str, markdown: bool) -> bool {
    let open = !previous.ends_with(['.', '!', '?', ':', '"', '”', '’', ')']);
    let lower = next.chars().next().is_some_and(char::is_lowercase);
    (markdown && !previous.is_empty()) || (open && lower)
}

fn is_furniture(unit: &Unit, rules: &Rules) -> bool {
    match unit {
        Unit::Text(t) | Unit::Bullet(t) | Unit::Heading(_, t) | Unit::Quote(t) => rules.is_boilerplate(t),
        Unit::Verbatim(_) | Unit::Gap => false,
    }
}

/// SEO keyword lines stand where the headline should be, so only the first few units are checked.
fn drop_leading_keyword_lines(units: Vec<Unit>) -> Vec<Unit> {
    units
        .into_iter()
        .enumerate()
        .filter(|(i, u)| !(*i < 4 && matches!(u, Unit::Text(t) if is_keyword_line(t))))
        .map(|(_, u)| u)
        .collect()
}

/// A byline or dateline near the top ("Published August 16, 2025",
/// "By Jane Doe | 16 Aug 2025"): its date is the article's, and the line goes.
fn take_dateline(units: &mut Vec<Unit>) -> Option<NaiveDate> {
    let position = units.iter().take(8).position(|u| match u {
        Unit::Text(t) => is_dateline(t),
        _ => false,
    })?;
    let Unit::Text(line) = units.remove(position) else { unreachable!("checked above") };
    find_dates(&line).into_iter().map(|(_, date)| date).next()
}

fn is_dateline(line: &str) -> bool {
    let dates = find_dates(line);
    let Some((range, _)) = dates.first() else { return false };
    let words = line.split_whitespace().count();
    let lower = line.to_lowercase();
    let labelled = ["published", "updated", "posted", "by ", "first published", "date:"]
        .iter()
        .any(|label| lower.starts_with(label));
    let only_date = line[..range.start].trim().is_empty() && words <= 6;
    words <= 14 && (labelled || only_date)
}

/// A post quoted in the text, followed by its "— Name (@handle) date" line,
/// becomes one quote block; its date is stated by the text.
fn join_quoted_posts(units: Vec<Unit>, stated_date: &mut Option<NaiveDate>) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    for unit in units {
        let attribution = match &unit {
            Unit::Text(t) | Unit::Quote(t) => parse_attribution(t),
            _ => None,
        };
        let Some((attribution, date)) = attribution else {
            out.push(unit);
            continue;
        };
        let text = match out.last() {
            Some(Unit::Text(t)) | Some(Unit::Quote(t)) => Some(t.clone()),
            _ => None,
        };
        if let Some(text) = text {
            out.pop();
            let text = POST_LINKS.replace_all(&text, "").trim().to_string();
            out.push(Unit::Quote(format!("{text}\n\n{attribution}")));
            if let Some(date) = date {
                *stated_date = Some(stated_date.map_or(date, |d| d.max(date)));
            }
        } else {
            out.push(unit);
        }
    }
    out
}

/// Reads an attribution line, giving it back in one consistent form.
fn parse_attribution(line: &str) -> Option<(String, Option<NaiveDate>)> {
    if !line.starts_with(['—', '–']) && !line.starts_with("--") || line.split_whitespace().count() > 16 {
        return None;
    }
    let captures = ATTRIBUTION.captures(line)?;
    let name = captures["name"].trim().trim_end_matches(',');
    let date = parse_date(&captures["rest"]);
    let handle = captures.name("handle").map(|h| h.as_str());
    if handle.is_none() && date.is_none() {
        return None;
    }
    let mut text = format!("— {name}");
    if let Some(handle) = handle {
        text.push_str(&format!(" ({handle})"));
    }
    let rest = captures["rest"].trim();
    if !rest.is_empty() {
        text.push_str(&format!(", {rest}"));
    }
    Some((text, date))
}

/// The headline: a short line before the article's first long paragraph
/// (the metadata's title when the file has one); else the first quoted
/// post; else the lead's first sentence.
fn take_title(mut units: Vec<Unit>, hint: Option<&str>) -> (String, Vec<Unit>) {
    if let Some(hint) = hint.map(str::trim).filter(|h| !h.is_empty()) {
        return (hint.to_string(), units);
    }
    let first_long = units.iter().position(|u| matches!(u, Unit::Text(t) if t.split_whitespace().count() > 40));
    let limit = first_long.unwrap_or(units.len());
    let candidate = units[..limit].iter().position(|u| match u {
        Unit::Heading(1, _) => true,
        Unit::Text(t) => is_headline(t),
        _ => false,
    });
    if let Some(i) = candidate {
        let (Unit::Text(title) | Unit::Heading(_, title)) = units.remove(i) else { unreachable!("checked above") };
        return (title, units);
    }
    let quoted = units.iter().find_map(|u| match u {
        Unit::Quote(t) => t.split("\n\n").next().map(str::to_string),
        _ => None,
    });
    if let Some(title) = quoted {
        return (title, units);
    }
    let lead = units.iter().find_map(|u| match u {
        Unit::Text(t) => Some(t.clone()),
        _ => None,
    });
    let title = lead.map(|t| super::prose::sentences(&t).first().map(|s| super::prose::cut_at_word(s, 120)));
    (title.flatten().unwrap_or_default(), units)
}

fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (2..=30).contains(&words) && line.chars().count() <= 200 && !line.ends_with('.')
}

/// Units → blocks: duplicates and repeats of the title dropped, bullets
/// grouped into lists, short lines between paragraphs made subheadings,
/// run-on paragraphs split.
fn to_blocks(units: Vec<Unit>, title: &str) -> Vec<Block> {
    let key = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let title_key = key(title);
    let mut seen = HashSet::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut quote_open = false;
    for (i, unit) in units.iter().enumerate() {
        let text = match unit {
            Unit::Text(t) | Unit::Bullet(t) | Unit::Heading(_, t) => Some(t.as_str()),
            _ => None,
        };
        if let Some(text) = text {
            let k = key(text);
            if k == title_key || !seen.insert(k) {
                continue;
            }
        }
        let continues_quote = quote_open && matches!(unit, Unit::Quote(_));
        quote_open = matches!(unit, Unit::Quote(_));
        match unit {
            Unit::Gap => {}
            Unit::Verbatim(v) => blocks.push(Block::Verbatim(v.clone())),
            Unit::Heading(_, h) => blocks.push(Block::Heading(h.clone())),
            Unit::Bullet(item) => match blocks.last_mut() {
                Some(Block::List(items)) if !matches!(units.get(i.wrapping_sub(1)), Some(Unit::Gap)) => {
                    items.push(item.clone())
                }
                _ => blocks.push(Block::List(vec![item.clone()])),
            },
            Unit::Quote(q) => {
                let (text, attribution) = match q.split_once("\n\n") {
                    Some((text, attribution)) => (text, Some(attribution.to_string())),
                    None => (q.as_str(), None),
                };
                match blocks.last_mut() {
                    Some(Block::Quote { text: previous, attribution: None }) if continues_quote => {
                        previous.push(' ');
                        previous.push_str(text);
                    }
                    _ => blocks.push(Block::Quote { text: text.to_string(), attribution }),
                }
            }
            Unit::Text(t) if is_subheading(&units, i) => blocks.push(Block::Heading(t.clone())),
            Unit::Text(t) => {
                blocks.extend(split_run_on(t).into_iter().map(Block::Paragraph));
            }
        }
    }
    blocks
}

/// A short line without closing punctuation, with paragraphs on both sides.
fn is_subheading(units: &[Unit], i: usize) -> bool {
    let Unit::Text(line) = &units[i] else { return false };
    let words = line.split_whitespace().count();
    let short = (1..=12).contains(&words) && !line.ends_with(['.', '!', '?', ':', ';', ',', '”', '"']);
    let capital = line.chars().next().is_some_and(char::is_uppercase);
    let is_paragraph = |u: Option<&Unit>| matches!(u, Some(Unit::Text(t)) if t.split_whitespace().count() > 25);
    let before = units[..i].iter().rev().find(|u| **u != Unit::Gap);
    let after = units[i + 1..].iter().find(|u| **u != Unit::Gap);
    short && capital && is_paragraph(before) && is_paragraph(after)
}

/// Escapes what plain text could be misread as Markdown.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' => out.push('\\'),
            '#' | '+' | '-' | '=' if i == 0 => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    // "1. " or "1) " at the start would become a numbered list.
    if let Some(end) = out.find(|c: char| !c.is_ascii_digit())
        && end > 0
        && out[end..].starts_with(['.', ')'])
    {
        out.insert(end, '\\');
    }
    out
}

/// The body as Markdown: blocks separated by blank lines; plain text escaped.
pub fn to_markdown(article: &Article) -> String {
    let escape = |t: &str| if article.markdown { t.to_string() } else { escape_markdown(t) };
    let mut out = String::new();
    for block in &article.blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        match block {
            Block::Heading(h) => out.push_str(&format!("## {}\n", escape(h))),
            Block::Paragraph(p) => out.push_str(&format!("{}\n", escape(p))),
            Block::List(items) => items.iter().for_each(|item| out.push_str(&format!("- {}\n", escape(item)))),
            Block::Quote { text, attribution } => {
                out.push_str(&format!("> {}\n", escape(text)));
                if let Some(attribution) = attribution {
                    out.push_str(&format!(">\n> {attribution}\n"));
                }
            }
            Block::Verbatim(v) => out.push_str(&format!("{v}\n")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Article {
        shape(text, false, None, &Rules::new(&[]).unwrap())
    }

    const LONG: &str = "This is a long paragraph of the article with more than forty words in it, so that it counts as body text and not as a headline, and it goes on for a while longer to be sure of that, with a few more words, and more, and even more words here.";

    #[test]
    fn keyword_line_quoted_post_promo_and_repeated_headline() {
        let text = format!(
            "NATO security partnership Ukraine, military support Ukraine NATO, Ukraine defense strategy alliance\n\
             Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?\n\
             — Michael McFaul (@McFaul) August 16, 2025\n\
             - YOU MAY ALSO LIKE TO WATCH THIS TRENDING STORY ON YOUTUBE. Waverly Hills Hospital's Horror Story: The Most Haunted Room 502\n\
             Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?\n\
             {LONG}"
        );
        let a = article(&text);
        assert_eq!(
            a.title,
            "Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?"
        );
        assert_eq!(a.stated_date, NaiveDate::from_ymd_opt(2025, 8, 16));
        assert_eq!(
            a.blocks,
            vec![
                Block::Quote {
                    text: "Instead of “NATO-like” security guarantees for Ukraine, what about NATO security guarantees for Ukraine?".into(),
                    attribution: Some("— Michael McFaul (@McFaul), August 16, 2025".into())
                },
                Block::Paragraph(LONG.into())
            ]
        );
    }

    #[test]
    fn headline_bullets_and_summary_banners() {
        let text = format!(
            "Ukraine explores security guarantees\n- First fact.\n- Second fact.\n\nNo time to read?\nGet a summary\n\n{LONG}\n\nNo time to read?\nGet a summary\nPrevious Article\n\nOther story\n\nNext Article\n\nAnother story"
        );
        let a = article(&text);
        assert_eq!(a.title, "Ukraine explores security guarantees");
        assert_eq!(a.stated_date, None);
        assert_eq!(
            a.blocks,
            vec![Block::List(vec!["First fact.".into(), "Second fact.".into()]), Block::Paragraph(LONG.into())]
        );
    }

    #[test]
    fn datelines_give_the_date_and_go() {
        let a = article(&format!("A headline here\nPublished: 3 March 2025\n\n{LONG}"));
        assert_eq!(a.stated_date, NaiveDate::from_ymd_opt(2025, 3, 3));
        assert_eq!(a.blocks, vec![Block::Paragraph(LONG.into())]);
        let a = article(&format!("A headline here\n\n{LONG} On February 24, 2022, the war began."));
        assert_eq!(a.stated_date, None, "a date inside the prose is not the article's");
    }

    #[test]
    fn duplicate_paragraphs_and_hard_wraps() {
        let a = article(
            "Headline\n\nA sentence that is hard\nwrapped in the source.\n\nA sentence that is hard wrapped in the source.",
        );
        assert_eq!(a.blocks, vec![Block::Paragraph("A sentence that is hard wrapped in the source.".into())]);
    }

    #[test]
    fn hard_wrapped_blocks_are_joined_but_line_per_paragraph_text_is_not() {
        let a = article(&format!(
            "A headline here\n\nWarsaw has asked allies to station more troops along the border, a\nrequest that officials say reflects the lessons of three years of war in\nUkraine. The government plans to spend more.\n\n{LONG}"
        ));
        assert_eq!(
            a.blocks[0],
            Block::Paragraph("Warsaw has asked allies to station more troops along the border, a request that officials say reflects the lessons of three years of war in Ukraine. The government plans to spend more.".into())
        );
        let a = article(&format!("A headline here\nA second short line that is a list of facts\n{LONG}"));
        assert_eq!(a.blocks.len(), 2, "{a:?}");
    }

    #[test]
    fn plain_text_is_escaped_for_markdown() {
        assert_eq!(escape_markdown("# not a heading *x* <b>"), "\\# not a heading \\*x\\* \\<b\\>");
        assert_eq!(escape_markdown("1. not a list"), "1\\. not a list");
        assert_eq!(escape_markdown("2025 was long."), "2025 was long.");
    }

    #[test]
    fn markdown_round_trip() {
        let blocks = vec![
            Block::Quote { text: "Q".into(), attribution: Some("— A (@a), May 1, 2025".into()) },
            Block::List(vec!["x".into(), "y".into()]),
            Block::Paragraph("P *".into()),
        ];
        let article = Article { title: "T".into(), stated_date: None, blocks, markdown: false };
        assert_eq!(to_markdown(&article), "> Q\n>\n> — A (@a), May 1, 2025\n\n- x\n- y\n\nP \\*\n");
    }
}
