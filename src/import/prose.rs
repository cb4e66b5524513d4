//! Sentences and paragraphs of imported prose: UAX #29 sentence bounds
//! (corrected for abbreviations and initials), run-on text split into
//! paragraphs at sensible breaks, and the summary cut from the lead.

use unicode_segmentation::UnicodeSegmentation;

/// Tokens ending in a full stop that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Lt.", "Col.", "Capt.", "Sgt.", "Adm.", "Sen.", "Rep.", "Gov.",
    "Pres.", "St.", "Jr.", "Sr.", "U.S.", "U.K.", "U.N.", "E.U.", "No.", "vs.", "etc.", "e.g.", "i.e.", "Jan.", "Feb.",
    "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "Inc.", "Corp.", "Ltd.", "Co.",
    "approx.", "Mt.", "Ft.",
];

/// The sentences of `text`, trimmed, in order.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (offset, piece) in text.split_sentence_bound_indices() {
        let end = offset + piece.len();
        let candidate = text[start..end].trim_end();
        let next_is_lower = text[end..].chars().next().is_some_and(char::is_lowercase);
        if ends_with_abbreviation(candidate) || next_is_lower {
            continue;
        }
        push_trimmed(&mut out, &text[start..end]);
        start = end;
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, sentence: &'a str) {
    let sentence = sentence.trim();
    if !sentence.is_empty() {
        out.push(sentence);
    }
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let last = sentence.rsplit(char::is_whitespace).next().unwrap_or("");
    let last = last.trim_start_matches(['(', '"', '“', '‘', '\'']);
    if ABBREVIATIONS.contains(&last) {
        return true;
    }
    // An initial, as in "John F. Kennedy".
    let mut chars = last.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// Paragraphs longer than this are split: news paragraphs rarely pass 1,300
/// characters, so longer ones are several run together.
const RUN_ON_CHARS: usize = 1500;
/// The paragraph length splitting aims for.
const TARGET_CHARS: f64 = 520.0;

/// Words that tie a sentence to the one before: a poor place to start a paragraph.
const CONTINUATIONS: &[&str] = &[
    "This", "These", "That", "Those", "It", "Its", "They", "Their", "He", "She", "His", "Her", "Such", "But", "And",
    "Or", "So", "Also", "Thus", "Hence", "Yet", "Still", "Instead",
];

/// Openings that usually start a new line of thought.
const TRANSITIONS: &[&str] = &[
    "Meanwhile",
    "Furthermore",
    "Moreover",
    "In addition",
    "Additionally",
    "During",
    "At the same time",
    "Central to",
    "Another",
    "On the",
    "In parallel",
    "Today",
    "Observers",
    "Analysts",
    "Critics",
    "Experts",
    "However",
    "Despite",
    "Elsewhere",
    "Separately",
    "Earlier",
    "Later",
    "Finally",
    "In the end",
    "There remains",
    "The situation",
    "From",
    "Speculation",
    "Turning",
];

/// Splits a run-on paragraph into paragraphs of a few sentences each,
/// choosing the breaks by dynamic programming: lengths near a target, no
/// one-sentence paragraphs, no break before a sentence that refers back.
pub fn split_run_on(paragraph: &str) -> Vec<String> {
    if paragraph.chars().count() <= RUN_ON_CHARS {
        return vec![paragraph.to_string()];
    }
    let parts = sentences(paragraph);
    let n = parts.len();
    if n < 4 {
        return vec![paragraph.to_string()];
    }
    let lengths: Vec<usize> = parts.iter().map(|s| s.chars().count() + 1).collect();
    // best[i]: cost of laying out sentences[..i]; from[i]: start of the last paragraph.
    let mut best = vec![f64::INFINITY; n + 1];
    let mut from = vec![0; n + 1];
    best[0] = 0.0;
    for end in 1..=n {
        for start in (0..end).rev() {
            let chars: usize = lengths[start..end].iter().sum();
            if chars as f64 > TARGET_CHARS * 2.2 && end - start > 1 {
                break;
            }
            let cost = best[start] + paragraph_cost(&parts, start, end, chars);
            if cost < best[end] {
                best[end] = cost;
                from[end] = start;
            }
        }
    }
    let mut breaks = Vec::new();
    let mut end = n;
    while end > 0 {
        breaks.push((from[end], end));
        end = from[end];
    }
    breaks.reverse();
    breaks.into_iter().map(|(start, end)| parts[start..end].join(" ")).collect()
}

fn paragraph_cost(parts: &[&str], start: usize, end: usize, chars: usize) -> f64 {
    let deviation = (chars as f64 - TARGET_CHARS) / TARGET_CHARS;
    let mut cost = deviation * deviation;
    if end - start == 1 {
        cost += 1.5;
    }
    if start > 0 {
        let opening = parts[start];
        let first_word = opening.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if CONTINUATIONS.contains(&first_word) {
            cost += 0.6;
        }
        if TRANSITIONS.iter().any(|t| opening.starts_with(t)) {
            cost -= 0.25;
        }
    }
    cost
}

/// The summary of a briefing: the lead's first sentence, and the second when
/// both fit in `max` characters; a first sentence longer than that is cut at
/// a word boundary and ends with an ellipsis.
pub fn summary_of(lead: &str, max: usize) -> String {
    let parts = sentences(lead);
    let Some(first) = parts.first() else { return String::new() };
    if first.chars().count() > max {
        return cut_at_word(first, max);
    }
    match parts.get(1) {
        Some(second) if first.chars().count() + 1 + second.chars().count() <= max => format!("{first} {second}"),
        _ => first.to_string(),
    }
}

/// `text` cut to at most `max` characters at a word boundary, with `…`.
pub fn cut_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit = text.char_indices().nth(max.saturating_sub(1)).map_or(text.len(), |(i, _)| i);
    let cut = text[..limit].rfind(char::is_whitespace).unwrap_or(limit);
    let kept = text[..cut].trim_end_matches(|c: char| c.is_whitespace() || ",;:–—-".contains(c));
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_respect_abbreviations_and_initials() {
        let text = "Mr. Smith met U.S. officials in Washington. John F. Kennedy said no. Prices rose 3.5 percent! Why?";
        assert_eq!(
            sentences(text),
            vec![
                "Mr. Smith met U.S. officials in Washington.",
                "John F. Kennedy said no.",
                "Prices rose 3.5 percent!",
                "Why?"
            ]
        );
    }

    #[test]
    fn short_paragraphs_are_left_alone() {
        assert_eq!(split_run_on("One. Two."), vec!["One. Two."]);
    }

    #[test]
    fn run_on_text_splits_into_balanced_paragraphs() {
        let sentence = |topic: &str| {
            format!(
                "{topic} opens a point that runs to about one hundred and fifty characters of text here, which is long enough for the test, really."
            )
        };
        let text = [
            sentence("Alpha"),
            sentence("This"),
            sentence("It"),
            sentence("Meanwhile Beta"),
            sentence("This"),
            sentence("They"),
            sentence("Furthermore Gamma"),
            sentence("This"),
            sentence("Such"),
            sentence("Another Delta"),
            sentence("It"),
            sentence("These"),
        ]
        .join(" ");
        let paragraphs = split_run_on(&text);
        assert!(paragraphs.len() >= 2, "{paragraphs:#?}");
        assert_eq!(paragraphs.join(" "), text, "no text is lost or reordered");
        for paragraph in &paragraphs[1..] {
            let first = paragraph.split(' ').next().unwrap();
            assert!(!CONTINUATIONS.contains(&first), "paragraph starts with `{first}`: {paragraphs:#?}");
        }
    }

    #[test]
    fn summary_takes_one_or_two_sentences_within_the_limit() {
        assert_eq!(summary_of("Short lead. Second one. Third.", 300), "Short lead. Second one.");
        let long = format!("{} end.", "word ".repeat(80));
        let summary = summary_of(&long, 300);
        assert!(summary.chars().count() <= 300 && summary.ends_with("word…"), "{summary}");
        let first = format!("{}.", "a".repeat(250));
        assert_eq!(
            summary_of(&format!("{first} Second sentence that is long enough to overflow the limit."), 300),
            first
        );
    }
}
