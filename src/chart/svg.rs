//! The pieces every chart's SVG shares: numbers printed the same way on every
//! machine, and the opening tag with its accessible name.

use crate::escape;
use std::fmt::Write;

/// A coordinate with one decimal, without a trailing `.0`: short, and the
/// same bytes for the same input.
pub fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = format!("{rounded:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

/// What the opening tag says about the chart.
pub struct Frame<'a> {
    /// Prefix of the ids inside the chart, unique on its page.
    pub id: &'a str,
    pub class: &'a str,
    pub width: f64,
    pub height: f64,
    pub title: &'a str,
    pub description: &'a str,
    /// A picture without links is one image to assistive technology; one with
    /// links stays a group so that its links can be reached.
    pub interactive: bool,
}

/// `<svg …><title/><desc/>`; the caller closes it with `</svg>`.
pub fn open(out: &mut String, frame: &Frame) {
    let role = if frame.interactive { "group" } else { "img" };
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" viewBox="0 0 {w} {h}" role="{role}" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        class = frame.class,
        w = num(frame.width),
        h = num(frame.height),
        id = frame.id,
        title = escape::xml(frame.title),
        desc = escape::xml(frame.description),
    );
}

/// "1 briefing" / "3 briefings".
pub fn briefings(count: usize) -> String {
    if count == 1 { "1 briefing".to_string() } else { format!("{count} briefings") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(super::num(12.0), "12");
        assert_eq!(super::num(12.345), "12.3");
        assert_eq!(super::num(-0.01), "0");
        assert_eq!(super::num(0.05), "0.1");
    }
}
