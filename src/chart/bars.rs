//! Bar charts of counts over time: the archive's timeline and the small
//! "mentions over time" chart of each actor and topic.

use super::svg::{self, Frame, num};
use crate::escape;
use std::fmt::Write;

/// One bar: a period and how many briefings fall in it.
#[derive(Debug, Clone)]
pub struct Bar {
    pub count: usize,
    /// The period's full name, e.g. `August 2025`.
    pub label: String,
    /// Where the bar links to (the period's page), if anywhere.
    pub href: Option<String>,
}

/// A chart to draw: its frame, its bars and the labels under them.
pub struct BarChart<'a> {
    pub frame: Frame<'a>,
    pub bars: &'a [Bar],
    /// Axis labels as (bar index, text), most important first; those that
    /// would overlap an earlier one are left out.
    pub ticks: &'a [(usize, String)],
}

const LEFT: f64 = 34.0;
const RIGHT: f64 = 6.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 22.0;
/// Estimated width of one character of an axis label.
const AXIS_CHAR: f64 = 6.2;
const TICK_GAP: f64 = 8.0;
const MAX_BAR: f64 = 40.0;

/// The chart as SVG. Every bar's height is proportional to its count, the
/// same scale for all; empty periods keep their place on the axis.
pub fn render(chart: &BarChart) -> String {
    let frame = &chart.frame;
    let mut out = String::with_capacity(256 + chart.bars.len() * 220);
    svg::open(&mut out, frame);
    let (plot_w, plot_h) = (frame.width - LEFT - RIGHT, frame.height - TOP - BOTTOM);
    let baseline = TOP + plot_h;
    let max = chart.bars.iter().map(|b| b.count).max().unwrap_or(0);
    let (step, top) = scale(max);

    out.push_str(r#"<g class="grid">"#);
    for value in (0..=top).step_by(step) {
        let y = baseline - value as f64 / top as f64 * plot_h;
        let _ = write!(
            out,
            r#"<line x1="{l}" x2="{r}" y1="{y}" y2="{y}"/><text class="axis" x="{tx}" y="{ty}" text-anchor="end">{value}</text>"#,
            l = num(LEFT),
            r = num(frame.width - RIGHT),
            y = num(y),
            tx = num(LEFT - 5.0),
            ty = num(y + 4.0),
        );
    }
    out.push_str("</g>");

    let slot = plot_w / chart.bars.len().max(1) as f64;
    // Few bars stay bars, not blocks.
    let bar_w = if slot >= 3.0 { (slot * 0.8).min(MAX_BAR) } else { slot };
    out.push_str(r#"<g class="bars">"#);
    for (i, bar) in chart.bars.iter().enumerate().filter(|(_, b)| b.count > 0) {
        let slot_x = LEFT + i as f64 * slot;
        let h = bar.count as f64 / top as f64 * plot_h;
        let title = format!("{}: {}", bar.label, svg::briefings(bar.count));
        let rect = format!(
            r#"<rect class="bar" x="{x}" y="{y}" width="{w}" height="{h}" data-count="{count}"/>"#,
            x = num(slot_x + (slot - bar_w) / 2.0),
            y = num(baseline - h),
            w = num(bar_w),
            h = num(h),
            count = bar.count,
        );
        match &bar.href {
            // The whole column is the link, so thin bars are easy to hit.
            Some(href) => {
                let _ = write!(
                    out,
                    r#"<a href="{href}"><title>{title}</title><rect class="hit" x="{x}" y="{top}" width="{w}" height="{h}"/>{rect}</a>"#,
                    href = escape::xml(href),
                    title = escape::xml(&title),
                    x = num(slot_x),
                    top = num(TOP),
                    w = num(slot),
                    h = num(plot_h),
                );
            }
            None => {
                let _ = write!(out, "<g><title>{}</title>{rect}</g>", escape::xml(&title));
            }
        }
    }
    out.push_str("</g>");

    let _ = write!(
        out,
        r#"<line class="baseline" x1="{l}" x2="{r}" y1="{y}" y2="{y}"/>"#,
        l = num(LEFT),
        r = num(frame.width - RIGHT),
        y = num(baseline)
    );
    // Labels in priority order; one that would touch a placed one is dropped.
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for (i, text) in chart.ticks {
        let width = text.chars().count() as f64 * AXIS_CHAR;
        let centre = LEFT + (*i as f64 + 0.5) * slot;
        let (x, anchor, left) = if centre - width / 2.0 < 0.0 {
            (LEFT + *i as f64 * slot, "start", LEFT + *i as f64 * slot)
        } else if centre + width / 2.0 > frame.width {
            (LEFT + (*i + 1) as f64 * slot, "end", LEFT + (*i + 1) as f64 * slot - width)
        } else {
            (centre, "middle", centre - width / 2.0)
        };
        if placed.iter().any(|&(l, r)| left < r + TICK_GAP && l < left + width + TICK_GAP) {
            continue;
        }
        placed.push((left, left + width));
        let _ = write!(
            out,
            r#"<text class="axis" x="{x}" y="{y}" text-anchor="{anchor}">{text}</text>"#,
            x = num(x),
            y = num(frame.height - 6.0),
            text = escape::xml(text),
        );
    }
    out.push_str("</svg>");
    out
}

/// A gridline step of 1, 2 or 5 × 10ⁿ giving at most four steps, and the top
/// of the scale: a whole number of steps at or above `max`.
fn scale(max: usize) -> (usize, usize) {
    let max = max.max(1);
    let mut magnitude = 1;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * magnitude;
            if max.div_ceil(step) <= 4 {
                return (step, max.div_ceil(step) * step);
            }
        }
        magnitude *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_has_whole_steps_above_the_maximum() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(3), (1, 3));
        assert_eq!(scale(7), (2, 8));
        assert_eq!(scale(19), (5, 20));
        assert_eq!(scale(1234), (500, 1500));
    }

    #[test]
    fn bars_are_proportional_and_empty_periods_leave_gaps() {
        let bars = [
            Bar { count: 2, label: "May".into(), href: Some("/timeline/2025-05/".into()) },
            Bar { count: 0, label: "June".into(), href: None },
            Bar { count: 4, label: "July".into(), href: None },
        ];
        let frame =
            Frame { id: "t", class: "c", width: 300.0, height: 130.0, title: "T", description: "D", interactive: true };
        let svg = render(&BarChart { frame, bars: &bars, ticks: &[(0, "May".into())] });
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let heights: Vec<(String, f64)> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar"))
            .map(|n| (n.attribute("data-count").unwrap().to_string(), n.attribute("height").unwrap().parse().unwrap()))
            .collect();
        assert_eq!(heights.len(), 2);
        assert_eq!(heights[0].0, "2");
        assert!((heights[1].1 - 2.0 * heights[0].1).abs() < 0.11, "{heights:?}");
        assert!(svg.contains(r#"<a href="/timeline/2025-05/"><title>May: 2 briefings</title>"#));
        assert!(svg.contains("<g><title>July: 4 briefings</title>"));
    }
}
