//! Unit tests of the Markdown stage.

use super::*;
use crate::model::Annotation;

fn plain(body: &str) -> String {
    render_markdown(body, &MarkdownOptions { base_path: "/", mentions: None, annotations: &[], block_ids: true }).html
}

#[test]
fn paragraphs_get_ids_from_their_text() {
    let a = plain("One.\n\nTwo.\n");
    let b = plain("Zero.\n\nOne.\n\nTwo.\n");
    let id = |html: &str, text: &str| {
        let end = html.find(&format!(">{text}</p>")).unwrap();
        let start = html[..end].rfind("id=\"").unwrap() + 4;
        html[start..end - 1].to_string()
    };
    assert_eq!(id(&a, "One."), id(&b, "One."), "inserting a paragraph keeps the others' ids");
    assert_ne!(id(&a, "One."), id(&a, "Two."));
}

#[test]
fn duplicate_paragraphs_get_distinct_ids() {
    let html = plain("Same.\n\nSame.\n");
    let first = paragraph_id("Same.");
    assert!(html.contains(&format!("<p id=\"{first}\">")), "{html}");
    assert!(html.contains(&format!("<p id=\"{first}-2\">")), "{html}");
}

#[test]
fn headings_get_slug_ids() {
    assert!(plain("## What changed\n").contains("<h2 id=\"what-changed\">What changed</h2>"));
    assert!(plain("## Custom {#mine}\n").contains("<h2 id=\"mine\">Custom</h2>"));
}

#[test]
fn raw_html_is_escaped() {
    let html = plain("<script>alert(1)</script>\n\nText <b>bold</b>\n");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
}

#[test]
fn extensions_render() {
    let html = plain("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ and a note[^1].\n\n[^1]: The note.\n");
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<del>gone</del>"), "{html}");
    assert!(html.contains("footnote-definition"), "{html}");
}

#[test]
fn alerts_become_callouts() {
    let html = plain("> [!NOTE]\n> Analyst view.\n");
    assert!(html.contains("<aside class=\"callout callout-note\" aria-label=\"Note\">"), "{html}");
    assert!(html.contains("Analyst view."), "{html}");
}

#[test]
fn code_blocks_are_highlighted_or_escaped() {
    let html = plain("```yaml\nkey: 1\n```\n\n```\n<b>\n```\n");
    assert!(html.contains("<pre class=\"hl-code\" data-lang=\"yaml\">"), "{html}");
    assert!(html.contains("<pre><code>&lt;b&gt;\n</code></pre>"), "{html}");
}

/// A page links the code stylesheet by this flag, which counts the body's
/// own highlighted blocks: not unknown languages, not code in notes.
#[test]
fn a_body_says_whether_it_highlighted_code() {
    let options = MarkdownOptions { base_path: "/", mentions: None, annotations: &[], block_ids: true };
    let code = |body: &str| render_markdown(body, &options).code;
    assert!(code("Text.\n\n```json\n{\"a\": 1}\n```\n"));
    assert!(!code("Text.\n\n```no-such-language\nx\n```\n\n    indented\n"));
    let noted = annotated("Kyiv said so.\n", &[annotation("Kyiv", "```yaml\nkey: 1\n```")]);
    assert!(!noted.code && has_code(&noted.notes[0]), "{:?}", noted.notes);
}

#[test]
fn site_links_follow_the_base_path() {
    let html = render_markdown(
        "[a](/briefings/x/) [b](https://x.org/) [c](//cdn.org/x)",
        &MarkdownOptions { base_path: "/archive/", mentions: None, annotations: &[], block_ids: true },
    )
    .html;
    assert!(html.contains("href=\"/archive/briefings/x/\""), "{html}");
    assert!(html.contains("href=\"https://x.org/\""), "{html}");
    assert!(html.contains("href=\"//cdn.org/x\""), "{html}");
}

#[test]
fn first_mention_of_listed_actors_links_once() {
    let matcher = MentionMatcher::new([(0, "NATO"), (1, "Kyiv"), (2, "Moscow")]);
    let targets = vec![(0, "/actors/nato/".to_string()), (1, "/actors/ukraine/".to_string())];
    let options = MarkdownOptions {
        base_path: "/",
        mentions: Some(MentionLinks { matcher: &matcher, targets: &targets }),
        annotations: &[],
        block_ids: true,
    };
    let body = "# NATO heading\n\nFirst NATO and Moscow.\n\nThen NATO and [Kyiv](/x/) and Kyiv.\n";
    let out = render_markdown(body, &options);
    assert_eq!(out.html.matches("class=\"mention\"").count(), 2, "{}", out.html);
    assert!(out.html.contains("First <a class=\"mention\" href=\"/actors/nato/\">NATO</a> and Moscow."));
    assert!(out.html.contains("and <a class=\"mention\" href=\"/actors/ukraine/\">Kyiv</a>."), "{}", out.html);
    assert_eq!(out.mentions.len(), 2);
    assert_eq!(out.mentions[0].excerpt, "First NATO and Moscow.");
    assert_eq!(out.mentions[0].block_id.as_deref(), Some(paragraph_id("First NATO and Moscow.").as_str()));
}

#[test]
fn mentions_in_tight_lists_have_excerpts() {
    let matcher = MentionMatcher::new([(0, "NATO")]);
    let targets = vec![(0, "/actors/nato/".to_string())];
    let options = MarkdownOptions {
        base_path: "/",
        mentions: Some(MentionLinks { matcher: &matcher, targets: &targets }),
        annotations: &[],
        block_ids: true,
    };
    let out = render_markdown("- one\n- NATO two\n", &options);
    assert_eq!(out.mentions[0].excerpt, "NATO two");
    assert_eq!(out.mentions[0].block_id, None);
}

#[test]
fn shorten_cuts_at_words_around_the_focus() {
    assert_eq!(shorten("short text", 0, 50), "short text");
    assert_eq!(shorten("alpha beta gamma delta", 0, 12), "alpha beta…");
    let long = format!("{} target word {}", "lead ".repeat(40), "tail ".repeat(40));
    let focus = long.find("target").unwrap();
    let cut = shorten(&long, focus, 40);
    assert!(cut.starts_with('…') && cut.contains("target"), "{cut}");
}

/// The cut by characters, one at a time, as `shorten` once made it.
fn shorten_by_chars(text: &str, focus: usize, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let focus = focus.min(text.len());
    let start_byte = if text[..focus].chars().count() > max / 3 {
        let wanted = focus.saturating_sub(max);
        let mut start = text[..focus].char_indices().map(|(i, _)| i).find(|&i| i >= wanted + max / 2).unwrap_or(0);
        if let Some(space) = text[start..focus].find(' ') {
            start += space + 1;
        }
        start
    } else {
        0
    };
    let rest = &text[start_byte..];
    let cut = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
    let end = rest[..cut].rfind(' ').filter(|&i| i > 0).unwrap_or(cut);
    let mut out = String::new();
    if start_byte > 0 {
        out.push('…');
    }
    out.push_str(rest[..end].trim_end_matches([',', ';', ':']));
    out.push('…');
    out
}

#[test]
fn shorten_cuts_where_a_character_by_character_cut_does() {
    let words = ["Kyiv", "Zürich", "Ελλάδα", "北京", "a", "ok,", "naïve", "—", "x"];
    for seed in 0..60 {
        let text: Vec<&str> = (0..seed * 3 % 70 + 1).map(|i| words[(seed * 5 + i * i + i) % words.len()]).collect();
        let text = text.join(" ");
        for focus in (0..=text.len()).filter(|&i| text.is_char_boundary(i)).step_by(7) {
            for max in [5, 12, 40] {
                assert_eq!(shorten(&text, focus, max), shorten_by_chars(&text, focus, max), "{text:?} {focus} {max}");
            }
        }
    }
}

#[test]
fn first_paragraph_summary() {
    assert_eq!(first_paragraph_text("# Title\n\nThe *lead* text.\n\nMore.\n", 300), "The lead text.");
}

fn annotated(body: &str, annotations: &[Annotation]) -> BodyHtml {
    render_markdown(body, &MarkdownOptions { base_path: "/", mentions: None, annotations, block_ids: true })
}

fn annotation(quote: &str, note: &str) -> Annotation {
    Annotation {
        quote: quote.into(),
        note: note.into(),
        prefix: None,
        suffix: None,
        tags: vec!["nuclear".into()],
        author: None,
        date: None,
        position: None,
    }
}

#[test]
fn a_passage_across_emphasis_and_a_link_is_marked_in_well_nested_pieces() {
    let body = "Kyiv wants *NATO-like* guarantees [now](/x/), officials said.\n\nOther.\n";
    let out = annotated(body, &[annotation("NATO-like guarantees now", "Why *now*? <script>x</script>")]);
    assert!(out.anchors[0].span().is_some());
    let html = &out.html;
    assert!(html.contains("<em><mark class=\"annotation\" id=\"annotation-1\">NATO-like</mark></em>"), "{html}");
    assert!(html.contains("<mark class=\"annotation\"> guarantees </mark>"), "{html}");
    // The note number follows the link instead of nesting a link in a link.
    assert!(html.contains("<a href=\"/x/\"><mark class=\"annotation\">now</mark></a><sup class=\"annotation-ref\"><a href=\"#note-1\">"), "{html}");
    assert!(html.contains("<div class=\"annotated\"><p id="), "{html}");
    assert!(html.contains("<aside class=\"annotation-note\" id=\"note-1\""), "{html}");
    assert!(out.notes[0].contains("Why <em>now</em>? &lt;script&gt;x&lt;/script&gt;"), "{}", out.notes[0]);
    let doc = scraper::Html::parse_fragment(html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
}

#[test]
fn overlapping_passages_nest_and_list_items_can_be_annotated() {
    let body = "- first item here\n- second item\n\nAlpha beta gamma delta.\n";
    let out = annotated(
        body,
        &[annotation("beta gamma", "one"), annotation("gamma delta", "two"), annotation("second item", "three")],
    );
    let html = &out.html;
    assert!(html.contains("<mark class=\"annotation\" id=\"annotation-1\">beta </mark><mark class=\"annotation\"><mark class=\"annotation\" id=\"annotation-2\">gamma</mark>"), "{html}");
    assert!(html.contains("<li><mark class=\"annotation\" id=\"annotation-3\">second item</mark>"), "{html}");
    assert!(html.contains("id=\"note-3\""), "{html}");
}
