//! Label placement: the most important nodes are labelled first, each label
//! beside its node where it covers no other label and no node; a label that
//! fits nowhere is left out (its node keeps its tooltip and table row).

/// A node as drawn: centre, radius and its label's text width.
#[derive(Debug, Clone, Copy)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    /// Estimated width of the label's longest line.
    pub width: f64,
    /// Lines of the label.
    pub lines: usize,
}

/// Where a label goes: the first line's anchor point and alignment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
}

/// Height of a label line, and how far the baseline sits below its centre.
pub const LINE: f64 = 13.0;
const BASELINE: f64 = 4.0;
const GAP: f64 = 3.0;

#[derive(Debug, Clone, Copy)]
struct Box2 {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Box2 {
    fn overlaps(&self, other: &Box2) -> bool {
        self.left < other.right && other.left < self.right && self.top < other.bottom && other.top < self.bottom
    }

    fn meets_circle(&self, m: &Marker) -> bool {
        let nx = m.x.clamp(self.left, self.right);
        let ny = m.y.clamp(self.top, self.bottom);
        (m.x - nx).powi(2) + (m.y - ny).powi(2) < m.r * m.r
    }
}

/// Labels for `markers`, tried in the order of `priority`, inside a
/// `width` × `height` page.
pub fn place(markers: &[Marker], priority: &[usize], width: f64, height: f64) -> Vec<Option<Label>> {
    let mut labels = vec![None; markers.len()];
    let mut taken: Vec<Box2> = Vec::new();
    for &i in priority {
        let m = markers[i];
        let half = LINE * m.lines as f64 / 2.0;
        let diagonal = m.r * std::f64::consts::FRAC_1_SQRT_2 + GAP;
        let candidates = [
            (m.x + m.r + GAP, m.y, "start"),
            (m.x - m.r - GAP, m.y, "end"),
            (m.x, m.y - m.r - GAP - half, "middle"),
            (m.x, m.y + m.r + GAP + half, "middle"),
            (m.x + diagonal, m.y - diagonal - half, "start"),
            (m.x + diagonal, m.y + diagonal + half, "start"),
            (m.x - diagonal, m.y - diagonal - half, "end"),
            (m.x - diagonal, m.y + diagonal + half, "end"),
        ];
        for (x, centre_y, anchor) in candidates {
            let left = match anchor {
                "start" => x,
                "end" => x - m.width,
                _ => x - m.width / 2.0,
            };
            let area = Box2 { left, top: centre_y - half, right: left + m.width, bottom: centre_y + half };
            let inside = area.left >= 0.0 && area.top >= 0.0 && area.right <= width && area.bottom <= height;
            if inside
                && !taken.iter().any(|t| t.overlaps(&area))
                && !markers.iter().enumerate().any(|(j, other)| j != i && area.meets_circle(other))
            {
                taken.push(area);
                labels[i] = Some(Label { x, y: centre_y - half + LINE / 2.0 + BASELINE, anchor });
                break;
            }
        }
    }
    labels
}

/// Labels wider than this are split over two lines.
const WRAP_WIDTH: f64 = 120.0;

/// The lines of a label: long names of several words are split in two,
/// at the space that balances the lines best.
pub fn lines(text: &str) -> Vec<&str> {
    if text_width(text) <= WRAP_WIDTH {
        return vec![text];
    }
    let half = text_width(text) / 2.0;
    let split = text
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by(|&a, &b| (text_width(&text[..a]) - half).abs().total_cmp(&(text_width(&text[..b]) - half).abs()));
    match split {
        Some(i) => vec![&text[..i], &text[i + 1..]],
        None => vec![text],
    }
}

/// The width of `text` at 12 units per line, estimated: the build has no font
/// metrics, so this errs wide to keep labels apart.
pub fn text_width(text: &str) -> f64 {
    text.chars().map(|c| if c.is_uppercase() || c == 'm' || c == 'w' { 8.4 } else { 6.6 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_never_overlap_and_the_first_is_always_placed() {
        // A tight cluster: not every label can fit.
        let markers: Vec<Marker> = (0..12)
            .map(|i| Marker {
                x: 100.0 + (i % 4) as f64 * 12.0,
                y: 100.0 + (i / 4) as f64 * 12.0,
                r: 4.0,
                width: 60.0,
                lines: 1,
            })
            .collect();
        let priority: Vec<usize> = (0..12).collect();
        let labels = place(&markers, &priority, 400.0, 300.0);
        assert!(labels[0].is_some());
        let boxes: Vec<Box2> = labels
            .iter()
            .zip(&markers)
            .filter_map(|(l, m)| {
                let l = (*l)?;
                let left = match l.anchor {
                    "start" => l.x,
                    "end" => l.x - m.width,
                    _ => l.x - m.width / 2.0,
                };
                Some(Box2 {
                    left,
                    top: l.y - BASELINE - LINE / 2.0,
                    right: left + m.width,
                    bottom: l.y - BASELINE + LINE / 2.0,
                })
            })
            .collect();
        assert!(boxes.len() < 12 && boxes.len() >= 2);
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            assert!(markers.iter().all(|m| !a.meets_circle(m)));
        }
    }

    #[test]
    fn a_label_at_the_right_edge_goes_left() {
        let markers = [Marker { x: 390.0, y: 50.0, r: 5.0, width: 50.0, lines: 1 }];
        let labels = place(&markers, &[0], 400.0, 100.0);
        assert_eq!(labels[0].unwrap().anchor, "end");
    }

    #[test]
    fn long_names_wrap_at_the_balanced_space() {
        assert_eq!(lines("NATO"), ["NATO"]);
        assert_eq!(lines("United Nations Security Council"), ["United Nations", "Security Council"]);
        assert_eq!(lines("Supercalifragilisticexpialidocious"), ["Supercalifragilisticexpialidocious"]);
    }
}
