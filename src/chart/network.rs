//! The actor network: actors as nodes, edges where two actors are named in
//! the same briefing. Raw co-occurrence counts would tie the actors named
//! almost everywhere to everyone, so each edge is weighed by normalised
//! pointwise mutual information instead: how much more often the two appear
//! together than chance predicts. The layout pulls strongly associated actors
//! together; hubs can be hidden on the page.

use super::labels::{self, Label, Marker};
use super::layout::{Spring, stress_layout};
use super::svg::{self, Frame, num};
use crate::escape;
use std::fmt::Write;

pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 560.0;
const MARGIN: f64 = 24.0;
const MIN_RADIUS: f64 = 4.0;
const MAX_RADIUS: f64 = 16.0;

/// An actor on the picture.
#[derive(Debug, Clone)]
pub struct Node {
    /// Index into the site's actors.
    pub actor: usize,
    /// Briefings naming the actor.
    pub count: usize,
    /// Named in more than half of all briefings.
    pub hub: bool,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub label: Option<Label>,
}

/// Two actors named together.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Node indexes, `a < b`.
    pub a: usize,
    pub b: usize,
    /// Briefings naming both.
    pub count: usize,
    /// Association from 0 (no more than chance) to 1 (always together).
    pub strength: f64,
}

/// The laid-out network.
#[derive(Debug, Clone)]
pub struct Network {
    /// Most-named first.
    pub nodes: Vec<Node>,
    /// Weakest first, so that strong edges are drawn on top.
    pub edges: Vec<Edge>,
    /// Actors named in at least one briefing; more than `nodes.len()` when
    /// the picture is limited to the most-named.
    pub named: usize,
}

/// What the network is made from.
pub struct NetworkInput<'a> {
    /// Briefings naming each actor, per actor.
    pub counts: &'a [usize],
    /// The actors each briefing names.
    pub briefing_actors: &'a [&'a [usize]],
    /// The most nodes to show.
    pub limit: usize,
    /// Label text of each actor, to reserve room for labels.
    pub names: &'a [&'a str],
}

/// Picks the nodes, weighs the edges and lays the picture out.
pub fn build(input: &NetworkInput) -> Network {
    let total = input.briefing_actors.len();
    let mut chosen: Vec<usize> = (0..input.counts.len()).filter(|&a| input.counts[a] > 0).collect();
    let named = chosen.len();
    chosen.sort_by(|&a, &b| input.counts[b].cmp(&input.counts[a]).then(a.cmp(&b)));
    chosen.truncate(input.limit);

    let mut slot = vec![usize::MAX; input.counts.len()];
    for (i, &a) in chosen.iter().enumerate() {
        slot[a] = i;
    }
    let n = chosen.len();
    let mut together = vec![0usize; n * n];
    for actors in input.briefing_actors {
        let shown: Vec<usize> = actors.iter().map(|&a| slot[a]).filter(|&s| s != usize::MAX).collect();
        for (k, &i) in shown.iter().enumerate() {
            for &j in &shown[k + 1..] {
                let (a, b) = (i.min(j), i.max(j));
                together[a * n + b] += 1;
            }
        }
    }
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let count = together[a * n + b];
            if count > 0 {
                let strength = association(count, input.counts[chosen[a]], input.counts[chosen[b]], total);
                edges.push(Edge { a, b, count, strength });
            }
        }
    }
    edges.sort_by(|x, y| {
        x.strength.total_cmp(&y.strength).then(x.count.cmp(&y.count)).then((x.a, x.b).cmp(&(y.a, y.b)))
    });

    let springs: Vec<Spring> =
        edges.iter().map(|e| Spring { a: e.a, b: e.b, length: 1.0 + 2.0 * (1.0 - e.strength) }).collect();
    let positions = stress_layout(n, &springs);
    let most = chosen.first().map_or(1, |&a| input.counts[a]).max(1) as f64;
    let mut nodes: Vec<Node> = chosen
        .iter()
        .zip(fit(&positions))
        .map(|(&actor, (x, y))| Node {
            actor,
            count: input.counts[actor],
            hub: total >= 4 && input.counts[actor] * 2 > total,
            x,
            y,
            r: MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * (input.counts[actor] as f64 / most).sqrt(),
            label: None,
        })
        .collect();
    separate(&mut nodes);
    let markers: Vec<Marker> = nodes
        .iter()
        .map(|n| {
            let lines = labels::lines(input.names[n.actor]);
            let width = lines.iter().map(|l| labels::text_width(l)).fold(0.0, f64::max);
            Marker { x: n.x, y: n.y, r: n.r, width, lines: lines.len() }
        })
        .collect();
    let priority: Vec<usize> = (0..nodes.len()).collect();
    for (node, label) in nodes.iter_mut().zip(labels::place(&markers, &priority, WIDTH, HEIGHT)) {
        node.label = label;
    }
    Network { nodes, edges, named }
}

/// Normalised pointwise mutual information of two actors named in `na` and
/// `nb` of `total` briefings, together in `both`, clipped at 0.
fn association(both: usize, na: usize, nb: usize, total: usize) -> f64 {
    let (both, na, nb, total) = (both as f64, na as f64, nb as f64, total as f64);
    if both >= total {
        // Named together everywhere: nothing to tell them apart by.
        return 0.0;
    }
    let pmi = (both * total / (na * nb)).ln();
    (pmi / -(both / total).ln()).clamp(0.0, 1.0)
}

/// Scales layout positions to the page, keeping their proportions.
fn fit(positions: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let (inner_w, inner_h) = (WIDTH - 2.0 * (MARGIN + MAX_RADIUS), HEIGHT - 2.0 * (MARGIN + MAX_RADIUS));
    let min_x = positions.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let max_x = positions.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let min_y = positions.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let max_y = positions.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let (span_x, span_y) = ((max_x - min_x).max(1e-9), (max_y - min_y).max(1e-9));
    // The wider axis of the layout goes across the page.
    let swap = span_y > span_x;
    let (span_x, span_y) = if swap { (span_y, span_x) } else { (span_x, span_y) };
    let scale = (inner_w / span_x).min(inner_h / span_y).min(inner_w / 2.0);
    positions
        .iter()
        .map(|&(x, y)| {
            let (x, y) = if swap { (y - min_y, x - min_x) } else { (x - min_x, y - min_y) };
            (WIDTH / 2.0 + (x - span_x / 2.0) * scale, HEIGHT / 2.0 + (y - span_y / 2.0) * scale)
        })
        .collect()
}

/// Pushes overlapping circles apart, a few passes, keeping them on the page.
fn separate(nodes: &mut [Node]) {
    const CLEARANCE: f64 = 3.0;
    for _ in 0..60 {
        let mut moved = false;
        for i in 0..nodes.len() {
            for j in i + 1..nodes.len() {
                let (dx, dy) = (nodes[j].x - nodes[i].x, nodes[j].y - nodes[i].y);
                let distance = (dx * dx + dy * dy).sqrt();
                let wanted = nodes[i].r + nodes[j].r + CLEARANCE;
                if distance < wanted {
                    let (ux, uy) = if distance > 1e-9 { (dx / distance, dy / distance) } else { (1.0, 0.0) };
                    let push = (wanted - distance) / 2.0;
                    nodes[i].x -= ux * push;
                    nodes[i].y -= uy * push;
                    nodes[j].x += ux * push;
                    nodes[j].y += uy * push;
                    moved = true;
                }
            }
        }
        for node in nodes.iter_mut() {
            node.x = node.x.clamp(MARGIN + node.r, WIDTH - MARGIN - node.r);
            node.y = node.y.clamp(MARGIN + node.r, HEIGHT - MARGIN - node.r);
        }
        if !moved {
            break;
        }
    }
}

/// How an actor is drawn: name, link and kind.
pub struct ActorLook<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub kind: Option<&'static str>,
}

/// The network as SVG.
pub fn render<'a>(network: &Network, frame: Frame, look: impl Fn(usize) -> ActorLook<'a>) -> String {
    let looks: Vec<ActorLook> = network.nodes.iter().map(|n| look(n.actor)).collect();
    let mut out = String::with_capacity(512 + network.edges.len() * 200 + network.nodes.len() * 300);
    svg::open(&mut out, &frame);
    out.push_str(r#"<g class="edges">"#);
    for edge in &network.edges {
        let (a, b) = (&network.nodes[edge.a], &network.nodes[edge.b]);
        let hub = if a.hub || b.hub { " hub" } else { "" };
        let _ = write!(
            out,
            r#"<line class="edge{hub}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke-width="{w}" stroke-opacity="{o}" data-a="{sa}" data-b="{sb}" data-count="{count}"><title>{na} and {nb}: named together in {together}</title></line>"#,
            x1 = num(a.x),
            y1 = num(a.y),
            x2 = num(b.x),
            y2 = num(b.y),
            w = num(0.5 + 3.5 * edge.strength),
            o = ((0.08 + 0.8 * edge.strength) * 100.0).round() / 100.0,
            sa = escape::xml(looks[edge.a].slug),
            sb = escape::xml(looks[edge.b].slug),
            count = edge.count,
            na = escape::xml(looks[edge.a].name),
            nb = escape::xml(looks[edge.b].name),
            together = svg::briefings(edge.count),
        );
    }
    out.push_str(r#"</g><g class="nodes">"#);
    // Small nodes first, so that large ones are drawn over them.
    for i in (0..network.nodes.len()).rev() {
        let (node, look) = (&network.nodes[i], &looks[i]);
        let kind = look.kind.unwrap_or("unknown");
        let hub = if node.hub { r#" class="hub""# } else { "" };
        let _ = write!(
            out,
            r#"<a href="{href}"{hub} data-actor="{slug}" data-count="{count}"><title>{name}: named in {briefings}</title><circle class="node node-{kind}" cx="{x}" cy="{y}" r="{r}"/>"#,
            href = escape::xml(&look.url),
            slug = escape::xml(look.slug),
            count = node.count,
            name = escape::xml(look.name),
            briefings = svg::briefings(node.count),
            x = num(node.x),
            y = num(node.y),
            r = num(node.r),
        );
        if let Some(label) = node.label {
            let _ = write!(
                out,
                r#"<text x="{x}" y="{y}" text-anchor="{anchor}" paint-order="stroke">"#,
                x = num(label.x),
                y = num(label.y),
                anchor = label.anchor,
            );
            for (k, line) in labels::lines(look.name).into_iter().enumerate() {
                let dy = if k == 0 { "0".to_string() } else { num(labels::LINE) };
                let _ = write!(
                    out,
                    r#"<tspan x="{x}" dy="{dy}">{line}</tspan>"#,
                    x = num(label.x),
                    line = escape::xml(line)
                );
            }
            out.push_str("</text>");
        }
        out.push_str("</a>");
    }
    out.push_str("</g></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn association_separates_real_ties_from_hubs() {
        // Two actors always together, rarely named: strong.
        assert!(association(5, 5, 5, 100) > 0.99);
        // Named together exactly as often as chance predicts: none.
        assert!(association(25, 50, 50, 100).abs() < 1e-9);
        // Less often than chance: clipped to none.
        assert_eq!(association(1, 50, 50, 100), 0.0);
        // Everywhere together.
        assert_eq!(association(10, 10, 10, 10), 0.0);
    }

    #[test]
    fn nodes_are_the_most_named_and_edges_the_co_occurrences() {
        let lists: Vec<&[usize]> = vec![&[0, 1, 2], &[0, 1], &[0, 3], &[0], &[4]];
        let counts = [4, 2, 1, 1, 1];
        let names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"];
        let network = build(&NetworkInput { counts: &counts, briefing_actors: &lists, limit: 3, names: &names });
        assert_eq!(network.named, 5);
        let actors: Vec<usize> = network.nodes.iter().map(|n| n.actor).collect();
        assert_eq!(actors, [0, 1, 2]);
        let pairs: Vec<(usize, usize, usize)> = network.edges.iter().map(|e| (e.a, e.b, e.count)).collect();
        assert_eq!(pairs.len(), 3);
        assert!(pairs.contains(&(0, 1, 2)) && pairs.contains(&(0, 2, 1)) && pairs.contains(&(1, 2, 1)));
        assert!(network.nodes[0].hub && !network.nodes[1].hub);
        assert!(network.nodes[0].r > network.nodes[1].r);
        for (i, a) in network.nodes.iter().enumerate() {
            for b in &network.nodes[i + 1..] {
                assert!(((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt() >= a.r + b.r, "nodes overlap");
            }
        }
    }
}
