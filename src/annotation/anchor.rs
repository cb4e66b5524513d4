//! Finding an annotation's passage: text-quote anchoring as web annotation
//! tools do it. The quote is looked up in the blocks (paragraphs, headings,
//! list items) a reader sees, tolerant of whitespace and typographic quotes
//! and dashes; `prefix` and `suffix` pick one of several equal passages; a
//! passage that is gone is looked for, by similarity, near where it was.

use crate::markdown::words::is_plain;
use crate::model::Annotation;
use crate::passage::{normalise, normalise_mapped};

/// Where an annotation's passage is.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Index of the block holding the passage.
    pub block: usize,
    /// Byte range in the block's text.
    pub start: usize,
    pub end: usize,
    /// Character range in the body's normalised text (blocks joined by one
    /// space): the position hint stored with the annotation, and the W3C
    /// text position.
    pub position: (usize, usize),
}

/// How the passage was found.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor {
    /// The quote occurs once (after `prefix`/`suffix`).
    Found(Span),
    /// The quote occurs `count` times and nothing tells them apart; the one
    /// nearest the position hint (or the first) is used.
    Ambiguous(Span, usize),
    /// The exact passage is gone; this close match near the old position
    /// stands in until the analyst confirms it. `similarity` is 0–1.
    Moved(Span, f64),
    /// The passage cannot be found.
    Orphan(Lost),
}

/// Why a passage was not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    Empty,
    /// The quote runs over the end of one block into the next.
    SpansBlocks,
    NotFound,
}

impl Anchor {
    pub fn span(&self) -> Option<&Span> {
        match self {
            Anchor::Found(span) | Anchor::Ambiguous(span, _) | Anchor::Moved(span, _) => Some(span),
            Anchor::Orphan(_) => None,
        }
    }

    /// What the analyst is told about a passage that is not plainly found.
    pub fn problem(&self) -> Option<String> {
        match self {
            Anchor::Found(_) => None,
            Anchor::Ambiguous(_, count) => Some(format!(
                "the quote occurs {count} times; add `prefix` or `suffix` with the words just before or after the one you mean"
            )),
            Anchor::Moved(_, similarity) => Some(format!(
                "the exact passage is gone; anchored to a passage {:.0}% similar near where it was: confirm it by updating `quote`",
                similarity * 100.0
            )),
            Anchor::Orphan(Lost::Empty) => Some("the quote is empty".to_string()),
            Anchor::Orphan(Lost::SpansBlocks) => {
                Some("the quote spans two paragraphs; annotate a passage within one".to_string())
            }
            Anchor::Orphan(Lost::NotFound) => Some("the passage is no longer in the briefing".to_string()),
        }
    }
}

/// A close match must be at least this similar to stand in for a passage.
const MIN_SIMILARITY: f64 = 0.75;
/// How far from the position hint a moved passage is looked for, in characters.
const SEARCH_RADIUS: usize = 3000;

/// The blocks of a body, normalised once for all its annotations.
pub struct Blocks {
    blocks: Vec<Normalised>,
    /// The body's normalised text: blocks joined by one space.
    text: String,
}

struct Normalised {
    original: String,
    /// The normalised text, and the byte offset in `original` of each of
    /// its bytes; none when the block is already in normal form, as most
    /// prose is: then it is its own normal form, offsets included.
    normal: Option<(String, Vec<usize>)>,
    /// Byte offset of the block in [`Blocks::text`].
    offset: usize,
}

impl Normalised {
    fn text(&self) -> &str {
        self.normal.as_ref().map_or(&self.original, |(text, _)| text)
    }

    /// The byte offset in `original` of byte `at` of the normalised text,
    /// a character boundary.
    fn original_at(&self, at: usize) -> usize {
        self.normal.as_ref().map_or(at, |(_, map)| map[at])
    }
}

impl Blocks {
    pub fn new<'t>(blocks: impl IntoIterator<Item = &'t str>) -> Blocks {
        let mut text = String::new();
        let blocks = blocks
            .into_iter()
            .map(|block| {
                let normal = (!is_plain(block)).then(|| normalise_mapped(block));
                if !text.is_empty() {
                    text.push(' ');
                }
                let offset = text.len();
                text.push_str(normal.as_ref().map_or(block, |(normal, _)| normal));
                Normalised { original: block.to_string(), normal, offset }
            })
            .collect();
        Blocks { blocks, text }
    }

    /// The body's normalised text, which positions count characters of.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Finds the passage of `annotation`.
    pub fn anchor(&self, annotation: &Annotation) -> Anchor {
        let quote = normalise(&annotation.quote);
        if quote.is_empty() {
            return Anchor::Orphan(Lost::Empty);
        }
        // (block, byte range in the block's normalised text); the searcher
        // is made once for all the blocks.
        let (finder, len) = (memchr::memmem::Finder::new(quote.as_bytes()), quote.len());
        let found: Vec<(usize, usize, usize)> = self
            .blocks
            .iter()
            .enumerate()
            .flat_map(|(b, block)| finder.find_iter(block.text().as_bytes()).map(move |at| (b, at, at + len)))
            .collect();
        let hint = annotation.position;
        if !found.is_empty() {
            let fitting: Vec<(usize, usize, usize)> =
                found.iter().copied().filter(|&(b, s, e)| self.context_fits(annotation, b, s, e)).collect();
            return match fitting.len() {
                1 => Anchor::Found(self.span(fitting[0])),
                0 if found.len() == 1 => Anchor::Moved(self.span(found[0]), 1.0),
                0 => Anchor::Ambiguous(self.nearest(&found, hint), found.len()),
                n => Anchor::Ambiguous(self.nearest(&fitting, hint), n),
            };
        }
        if self.text.contains(&quote) {
            return Anchor::Orphan(Lost::SpansBlocks);
        }
        match self.closest(&quote, hint) {
            Some((at, similarity)) => Anchor::Moved(self.span(at), similarity),
            None => Anchor::Orphan(Lost::NotFound),
        }
    }

    /// The words around each place `quote` occurs: up to `words` before
    /// and after, to tell the analyst which prefix or suffix picks which.
    pub fn contexts(&self, quote: &str, words: usize) -> Vec<(String, String)> {
        let quote = normalise(quote);
        if quote.is_empty() {
            return Vec::new();
        }
        let mut places = Vec::new();
        for block in &self.blocks {
            for (at, _) in block.text().match_indices(quote.as_str()) {
                let before: Vec<&str> = block.text()[..at].split_whitespace().collect();
                let after: Vec<&str> = block.text()[at + quote.len()..].split_whitespace().collect();
                places.push((
                    before[before.len().saturating_sub(words)..].join(" "),
                    after[..after.len().min(words)].join(" "),
                ));
            }
        }
        places
    }

    fn context_fits(&self, annotation: &Annotation, b: usize, start: usize, end: usize) -> bool {
        let offset = self.blocks[b].offset;
        let before = self.text[..offset + start].trim_end();
        let after = self.text[offset + end..].trim_start();
        let prefix = annotation.prefix.as_deref().map(normalise).unwrap_or_default();
        let suffix = annotation.suffix.as_deref().map(normalise).unwrap_or_default();
        before.ends_with(prefix.trim()) && after.starts_with(suffix.trim())
    }

    fn nearest(&self, found: &[(usize, usize, usize)], hint: Option<usize>) -> Span {
        let spans = found.iter().map(|&f| self.span(f));
        match hint {
            Some(hint) => spans.min_by_key(|s| s.position.0.abs_diff(hint)).expect("some match"),
            None => spans.into_iter().next().expect("some match"),
        }
    }

    fn span(&self, (b, start, end): (usize, usize, usize)) -> Span {
        let block = &self.blocks[b];
        let chars = |bytes: usize| self.text[..bytes].chars().count();
        Span {
            block: b,
            start: block.original_at(start),
            end: end_in_original(block, end),
            position: (chars(block.offset + start), chars(block.offset + end)),
        }
    }

    /// The passage most like `quote` within one block, near the hint: windows
    /// from each word start to the word end closest to the quote's length.
    fn closest(&self, quote: &str, hint: Option<usize>) -> Option<((usize, usize, usize), f64)> {
        let quote_chars: Vec<char> = quote.chars().collect();
        let mut best: Option<((usize, usize, usize), f64)> = None;
        for (b, block) in self.blocks.iter().enumerate() {
            if let Some(hint) = hint {
                let block_start = self.text[..block.offset].chars().count();
                let block_end = block_start + block.text().chars().count();
                if block_end + SEARCH_RADIUS < hint || block_start > hint + SEARCH_RADIUS {
                    continue;
                }
            }
            let text = block.text();
            let starts = std::iter::once(0).chain(text.match_indices(' ').map(|(i, _)| i + 1));
            for start in starts {
                let rest = &text[start..];
                let end = window_end(rest, quote.len());
                let window: Vec<char> = rest[..end].chars().collect();
                let similarity = similarity(&quote_chars, &window);
                if similarity >= MIN_SIMILARITY && best.as_ref().is_none_or(|(_, s)| similarity > *s) {
                    best = Some(((b, start, start + end), similarity));
                }
            }
        }
        best
    }
}

/// The original byte offset just after the normalised byte `end - 1`.
fn end_in_original(block: &Normalised, end: usize) -> usize {
    match &block.normal {
        None => end,
        Some((_, map)) => {
            let last = map[end - 1];
            last + block.original[last..].chars().next().map_or(0, char::len_utf8)
        }
    }
}

/// Byte length of the prefix of `text` that ends at a word end and is
/// closest to `wanted` bytes.
fn window_end(text: &str, wanted: usize) -> usize {
    let mut best = text.len();
    let mut best_gap = text.len().abs_diff(wanted);
    for (i, _) in text.match_indices(' ') {
        let gap = i.abs_diff(wanted);
        if gap < best_gap {
            best = i;
            best_gap = gap;
        }
        if i > wanted {
            break;
        }
    }
    best
}

/// 1 − (edit distance / longer length).
fn similarity(a: &[char], b: &[char]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb { diagonal } else { 1 + diagonal.min(above).min(row[j]) };
            diagonal = above;
        }
    }
    1.0 - row[b.len()] as f64 / longest as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(quote: &str) -> Annotation {
        Annotation {
            quote: quote.into(),
            note: "n".into(),
            prefix: None,
            suffix: None,
            tags: vec![],
            author: None,
            date: None,
            position: None,
        }
    }

    const BODY: [&str; 3] = [
        "Kyiv wants “NATO‑like” guarantees. Kyiv wants them now.",
        "The summit ended without a date.",
        "Officials said the talks would resume.",
    ];

    #[test]
    fn a_quote_is_found_across_typography_and_mapped_back() {
        let blocks = Blocks::new(BODY);
        let Anchor::Found(span) = blocks.anchor(&note("\"NATO-like\"  guarantees")) else { panic!() };
        assert_eq!(span.block, 0);
        assert_eq!(&BODY[0][span.start..span.end], "“NATO‑like” guarantees");
        assert_eq!(span.position, (11, 33));
        let Anchor::Found(span) = blocks.anchor(&note("talks would resume.")) else { panic!() };
        assert_eq!(&BODY[2][span.start..span.end], "talks would resume.");
    }

    #[test]
    fn a_block_already_in_normal_form_maps_to_itself_up_to_its_last_character() {
        // No typography to undo, but characters of two and three bytes.
        let body = ["Talks in Zürich named the café", "Then Kraków and 東京 fell quiet é"];
        let blocks = Blocks::new(body);
        for (b, quote) in [(0, "named the café"), (0, "Zürich"), (1, "東京"), (1, "fell quiet é")] {
            let Anchor::Found(span) = blocks.anchor(&note(quote)) else { panic!("{quote}") };
            assert_eq!((span.block, &body[b][span.start..span.end]), (b, quote));
        }
        let Anchor::Moved(span, _) = blocks.anchor(&note("Then Krakow and")) else { panic!() };
        assert_eq!(&body[1][span.start..span.end], "Then Kraków and", "found by likeness");
    }

    #[test]
    fn prefix_and_suffix_pick_one_of_several() {
        let blocks = Blocks::new(BODY);
        assert!(matches!(blocks.anchor(&note("Kyiv wants")), Anchor::Ambiguous(_, 2)));
        let mut second = note("Kyiv wants");
        second.prefix = Some("guarantees.".into());
        let Anchor::Found(span) = blocks.anchor(&second) else { panic!() };
        assert_eq!(span.start, BODY[0].rfind("Kyiv").unwrap());
        let mut first = note("Kyiv wants");
        first.suffix = Some("“NATO-like”".into());
        assert_eq!(blocks.anchor(&first).span().unwrap().start, 0);
    }

    #[test]
    fn gone_passages_are_moved_or_orphaned_never_guessed_silently() {
        let blocks = Blocks::new(BODY);
        let mut edited = note("The summit closed without a date.");
        edited.position = Some(60);
        let Anchor::Moved(span, similarity) = blocks.anchor(&edited) else { panic!("{:?}", blocks.anchor(&edited)) };
        assert_eq!(&BODY[1][span.start..span.end], "The summit ended without a date.");
        assert!(similarity > 0.8 && similarity < 1.0);
        assert_eq!(blocks.anchor(&note("entirely different words here")), Anchor::Orphan(Lost::NotFound));
        assert_eq!(blocks.anchor(&note("them now. The summit")), Anchor::Orphan(Lost::SpansBlocks));
        assert_eq!(blocks.anchor(&note("  ")), Anchor::Orphan(Lost::Empty));
    }

    #[test]
    fn similarity_is_one_minus_normalised_edit_distance() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(similarity(&chars("abc"), &chars("abc")), 1.0);
        assert!((similarity(&chars("kitten"), &chars("sitting")) - (1.0 - 3.0 / 7.0)).abs() < 1e-9);
    }
}
