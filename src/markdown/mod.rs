//! Stage 3, markdown: a body → an HTML fragment. pulldown-cmark events are
//! rewritten on the way: paragraphs and headings get stable ids, code blocks
//! are highlighted, GFM alerts become call-outs, raw HTML is escaped, and the
//! first mention of each listed actor links to its page.

mod annotate;
mod highlight;
pub(crate) mod words;

pub use highlight::highlight;

use crate::annotation::Anchor;
use crate::link::MentionMatcher;
use crate::model::Annotation;
use annotate::BlockRecord;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use rustc_hash::FxHashSet;
use words::{count_words, each_word, is_plain};

/// The Markdown extensions every body is parsed with.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
}

/// Actors whose first mention in a body becomes a link.
pub struct MentionLinks<'a> {
    pub matcher: &'a MentionMatcher,
    /// `(actor index, page URL)` for each actor the briefing lists.
    pub targets: &'a [(usize, String)],
}

/// How to render one body.
pub struct MarkdownOptions<'a> {
    /// Prefix for site-absolute links (`/x/` → `{base_path}x/`), ending in `/`.
    pub base_path: &'a str,
    pub mentions: Option<MentionLinks<'a>>,
    /// Notes to anchor in the body and show beside their passages.
    pub annotations: &'a [Annotation],
    /// Paragraphs and headings get ids; off for text shown more than once
    /// on a page, such as notes.
    pub block_ids: bool,
}

/// The first mention of an actor in a body, with the block that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundMention {
    /// The actor's place among the briefing's own actors (the mention
    /// targets), not in the archive: it stays right when other actors come
    /// and go, so a kept body stays valid.
    pub actor: usize,
    /// Id of the paragraph or heading holding the mention, when it has one.
    pub block_id: Option<String>,
    /// The block's plain text, shortened around the mention.
    pub excerpt: String,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct BodyHtml {
    pub html: String,
    pub mentions: Vec<FoundMention>,
    pub words: usize,
    /// Where each annotation's passage was found, parallel to the annotations.
    pub anchors: Vec<Anchor>,
    /// Each annotation's note as HTML.
    pub notes: Vec<String>,
    /// The text a reader sees, a line per block: what search indexes.
    pub text: String,
    /// Whether the body's own Markdown highlighted a code block (notes,
    /// checked with [`has_code`], not counted).
    pub code: bool,
}

/// Length of the excerpt shown for a mention, in characters.
const EXCERPT_CHARS: usize = 280;

/// Whether rendered HTML holds highlighted code, whose colours are in `highlight.css`.
pub fn has_code(html: &str) -> bool {
    html.contains("<pre class=\"hl-code\"")
}

/// Renders a Markdown body to HTML.
pub fn render_markdown(body: &str, options: &MarkdownOptions) -> BodyHtml {
    let mut writer = Rewriter::new(options);
    for event in Parser::new_ext(body, parser_options()) {
        writer.event(event);
    }
    writer.flush_text();
    let mut events = std::mem::take(&mut writer.events);
    let (mut anchors, mut notes) = (Vec::new(), Vec::new());
    if !options.annotations.is_empty() {
        let (annotated, found) = annotate::annotate(events, &writer.blocks, options.annotations, options);
        (events, anchors, notes) = (annotated, found.anchors, found.notes);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html, events.into_iter());
    let mut text = writer.text;
    text.truncate(text.trim_end().len());
    BodyHtml { html, mentions: writer.mentions, words: writer.words, anchors, notes, text, code: writer.code_shown }
}

/// The plain text of each block an annotation can anchor in, in order:
/// what [`crate::annotation::Blocks`] looks passages up in.
pub fn passage_blocks(body: &str) -> Vec<String> {
    let options = MarkdownOptions { base_path: "/", mentions: None, annotations: &[], block_ids: true };
    let mut writer = Rewriter::new(&options);
    writer.record_blocks = true;
    for event in Parser::new_ext(body, parser_options()) {
        writer.event(event);
    }
    writer.blocks.into_iter().map(|b| b.text).collect()
}

/// The plain text of the first paragraph, cut at a word boundary within `max` characters.
pub fn first_paragraph_text(body: &str, max: usize) -> String {
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new_ext(body, parser_options()) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    shorten(&text, 0, max)
}

/// The text a reader sees, blocks separated by blank lines.
pub fn plain_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    for event in Parser::new_ext(body, parser_options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => {
                text.push_str("\n\n")
            }
            _ => {}
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// `text` cut to about `max` characters at word boundaries, keeping byte `focus` in view.
pub fn shorten(text: &str, focus: usize, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let focus = focus.min(text.len());
    let start_byte = if text[..focus].chars().count() > max / 3 {
        let wanted = focus.saturating_sub(max) + max / 2;
        // The first character starting at or after byte `wanted`, before the focus.
        let mut start = (wanted..focus).find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        if let Some(space) = text[start..focus].find(' ') {
            start += space + 1;
        }
        start
    } else {
        0
    };
    let rest = &text[start_byte..];
    // When the first `max` bytes are ASCII, they are the first `max` characters.
    let ascii = rest.as_bytes()[..max.min(rest.len())].is_ascii();
    let cut = if ascii { max.min(rest.len()) } else { rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i) };
    let end = rest[..cut].rfind(' ').filter(|&i| i > 0).unwrap_or(cut);
    let mut out = String::new();
    if start_byte > 0 {
        out.push('…');
    }
    out.push_str(rest[..end].trim_end_matches([',', ';', ':']));
    out.push('…');
    out
}

struct Rewriter<'a, 'o> {
    options: &'o MarkdownOptions<'o>,
    events: Vec<Event<'a>>,
    pending_text: String,
    /// Plain text of the current paragraph, heading or list item.
    block_text: String,
    /// Plain text of the whole body.
    text: String,
    /// Output position of the opening tag of the current paragraph or heading.
    block_open: Option<usize>,
    heading_id: Option<String>,
    ids: FxHashSet<String>,
    code: Option<(String, String)>,
    /// Whether a code block has been highlighted.
    code_shown: bool,
    /// Depth of links and images, inside which no mention is linked.
    link_depth: usize,
    in_heading: bool,
    linked: FxHashSet<usize>,
    mentions: Vec<FoundMention>,
    /// Mentions of the current block: index into `mentions` and byte offset in `block_text`.
    block_mentions: Vec<(usize, usize)>,
    words: usize,
    /// Blocks annotations can anchor in; recorded only when there are annotations.
    blocks: Vec<BlockRecord>,
    record_blocks: bool,
    /// Open list items: first content event, blocks recorded before, whether a list is nested.
    items: Vec<(usize, usize, bool)>,
}

impl<'a, 'o> Rewriter<'a, 'o> {
    fn new(options: &'o MarkdownOptions<'o>) -> Self {
        Rewriter {
            options,
            events: Vec::new(),
            pending_text: String::new(),
            block_text: String::new(),
            text: String::new(),
            block_open: None,
            heading_id: None,
            ids: FxHashSet::default(),
            code: None,
            code_shown: false,
            link_depth: 0,
            in_heading: false,
            linked: FxHashSet::default(),
            mentions: Vec::new(),
            block_mentions: Vec::new(),
            words: 0,
            blocks: Vec::new(),
            record_blocks: !options.annotations.is_empty(),
            items: Vec::new(),
        }
    }

    fn event(&mut self, event: Event<'a>) {
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => self.end_code(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Text(text) => {
                self.pending_text.push_str(&text);
                return;
            }
            // Raw HTML from sources is shown as text, never passed through.
            Event::Html(html) | Event::InlineHtml(html) => {
                self.pending_text.push_str(&html);
                return;
            }
            _ => self.flush_text(),
        }
        if let Event::End(
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_),
        ) = event
            && !self.text.ends_with('\n')
        {
            self.text.push('\n');
        }
        match event {
            Event::Start(Tag::Paragraph) => self.open_block(),
            Event::End(TagEnd::Paragraph) => self.close_block("p", None),
            Event::Start(Tag::Heading { id, .. }) => {
                self.open_block();
                self.in_heading = true;
                self.heading_id = id.map(|id| id.to_string());
            }
            Event::End(TagEnd::Heading(level)) => {
                self.in_heading = false;
                let explicit = self.heading_id.take();
                self.close_block(&format!("{level}"), explicit);
            }
            Event::Start(Tag::Item) => {
                self.block_text.clear();
                self.events.push(Event::Start(Tag::Item));
                self.items.push((self.events.len(), self.blocks.len(), false));
            }
            Event::End(TagEnd::Item) => {
                self.fill_mentions(None);
                self.record_item();
                self.events.push(Event::End(TagEnd::Item));
            }
            Event::Start(Tag::List(start)) => {
                if let Some(item) = self.items.last_mut() {
                    item.2 = true;
                }
                self.events.push(Event::Start(Tag::List(start)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                self.events.push(Event::Html(CowStr::from(format!(
                    "<aside class=\"callout callout-{class}\" aria-label=\"{label}\"><p class=\"callout-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => self.events.push(Event::Html("</aside>\n".into())),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.link_depth += 1;
                let dest_url = self.site_link(dest_url);
                self.events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                self.link_depth += 1;
                let dest_url = self.site_link(dest_url);
                self.events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                self.link_depth -= 1;
                self.events.push(Event::End(end));
            }
            Event::Code(code) => {
                self.block_text.push_str(&code);
                self.text.push_str(&code);
                self.events.push(Event::Code(code));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.block_text.push(' ');
                self.text.push(' ');
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// Site-absolute links follow the site into a subfolder.
    fn site_link(&self, url: CowStr<'a>) -> CowStr<'a> {
        match url.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') && self.options.base_path != "/" => {
                CowStr::from(format!("{}{rest}", self.options.base_path))
            }
            _ => url,
        }
    }

    fn open_block(&mut self) {
        self.block_text.clear();
        self.block_mentions.clear();
        self.block_open = Some(self.events.len());
        // Replaced by the opening tag once the block's text, and so its id, is known.
        self.events.push(Event::Html("".into()));
    }

    fn close_block(&mut self, tag: &str, explicit_id: Option<String>) {
        let id = explicit_id
            .unwrap_or_else(|| if tag == "p" { paragraph_id(&self.block_text) } else { heading_id(&self.block_text) });
        let id = unique_id(&mut self.ids, id);
        let content_end = self.events.len();
        let open = self.block_open.take();
        if let Some(open) = open {
            self.events[open] = Event::Html(CowStr::from(if self.options.block_ids {
                format!("<{tag} id=\"{id}\">")
            } else {
                format!("<{tag}>")
            }));
        }
        self.events.push(Event::Html(CowStr::from(format!("</{tag}>\n"))));
        self.fill_mentions(Some(id));
        if self.record_blocks
            && let Some(open) = open
        {
            self.blocks.push(BlockRecord {
                content: open + 1..content_end,
                notes_at: self.events.len(),
                open: Some(open),
                text: self.block_text.clone(),
            });
        }
    }

    /// A list item holding text directly (a tight list) is a block of its own.
    fn record_item(&mut self) {
        let Some((start, blocks_before, nested)) = self.items.pop() else { return };
        if self.record_blocks && !nested && blocks_before == self.blocks.len() {
            self.blocks.push(BlockRecord {
                content: start..self.events.len(),
                notes_at: self.events.len(),
                open: None,
                text: self.block_text.clone(),
            });
        }
    }

    fn fill_mentions(&mut self, block_id: Option<String>) {
        for (index, offset) in self.block_mentions.drain(..) {
            let mention = &mut self.mentions[index];
            mention.block_id = block_id.clone();
            mention.excerpt = shorten(&self.block_text, offset, EXCERPT_CHARS);
        }
    }

    fn flush_text(&mut self) {
        if self.pending_text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending_text);
        self.words += count_words(&text);
        let block_offset = self.block_text.len();
        self.block_text.push_str(&text);
        self.text.push_str(&text);
        // Only first mentions are linked: once every actor has one, nothing is looked for.
        let looking = |links: &&MentionLinks| {
            self.link_depth == 0 && !self.in_heading && links.targets.iter().any(|(a, _)| !self.linked.contains(a))
        };
        let Some(links) = self.options.mentions.as_ref().filter(looking) else {
            self.events.push(Event::Text(CowStr::from(text)));
            return;
        };
        let mut last = 0;
        for mention in links.matcher.find(&text) {
            let Some(target) = links.targets.iter().position(|(actor, _)| *actor == mention.actor) else {
                continue;
            };
            let url = &links.targets[target].1;
            if !self.linked.insert(mention.actor) {
                continue;
            }
            if mention.start > last {
                self.events.push(Event::Text(CowStr::from(text[last..mention.start].to_string())));
            }
            self.events.push(Event::Html(CowStr::from(format!(
                "<a class=\"mention\" href=\"{}\">",
                crate::escape::html(url)
            ))));
            self.events.push(Event::Text(CowStr::from(text[mention.start..mention.end].to_string())));
            self.events.push(Event::Html("</a>".into()));
            self.block_mentions.push((self.mentions.len(), block_offset + mention.start));
            self.mentions.push(FoundMention { actor: target, block_id: None, excerpt: String::new() });
            last = mention.end;
        }
        if last < text.len() {
            self.events.push(Event::Text(CowStr::from(text[last..].to_string())));
        }
    }

    fn end_code(&mut self) {
        let (lang, code) = self.code.take().expect("a code block is open");
        self.text.push_str(code.trim_end());
        self.text.push('\n');
        let html = match highlight(&code, &lang) {
            Some(spans) => {
                self.code_shown = true;
                format!(
                    "<pre class=\"hl-code\" data-lang=\"{}\"><code>{spans}</code></pre>\n",
                    crate::escape::html(&lang)
                )
            }
            None => format!("<pre><code>{}</code></pre>\n", crate::escape::html(&code)),
        };
        self.events.push(Event::Html(CowStr::from(html)));
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// A paragraph's id comes from its text, so it survives edits elsewhere in the body.
/// Whitespace is normalised so that re-wrapping a paragraph keeps its id.
fn paragraph_id(text: &str) -> String {
    let mut normalised = String::with_capacity(text.len() + 1);
    if is_plain(text) {
        normalised.push_str(text);
        normalised.push(' ');
    } else {
        each_word(text, |word| {
            normalised.push_str(word);
            normalised.push(' ');
        });
    }
    format!("p-{:06x}", xxhash_rust::xxh3::xxh3_64(normalised.as_bytes()) & 0xff_ffff)
}

fn heading_id(text: &str) -> String {
    let slug = crate::model::Slug::from_text(text);
    if slug.is_empty() { "section".to_string() } else { slug.to_string() }
}

fn unique_id(ids: &mut FxHashSet<String>, id: String) -> String {
    if ids.insert(id.clone()) {
        return id;
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| ids.insert(candidate.clone()))
        .expect("some numbered id is free")
}

#[cfg(test)]
mod tests;
