//! Graph layout by stress majorization (Gansner, Koren and North, 2004):
//! nodes are placed so that their distances on the page match their
//! distances in the graph. Started from classical scaling rather than random
//! positions, it is deterministic: the same graph gives the same picture.

/// An edge between two nodes with its wanted length (shorter = closer).
#[derive(Debug, Clone, Copy)]
pub struct Spring {
    pub a: usize,
    pub b: usize,
    pub length: f64,
}

const MAX_ROUNDS: usize = 400;
/// Stop when a round improves the stress by less than this fraction.
const TOLERANCE: f64 = 1e-5;

/// Positions of `n` nodes, in the units of the spring lengths.
pub fn stress_layout(n: usize, springs: &[Spring]) -> Vec<(f64, f64)> {
    if n == 0 {
        return Vec::new();
    }
    let distances = graph_distances(n, springs);
    let mut positions = classical_scaling(n, &distances);
    let weight = |i: usize, j: usize| 1.0 / (distances[i * n + j] * distances[i * n + j]);
    let mut previous = stress(n, &positions, &distances);
    for _ in 0..MAX_ROUNDS {
        // Gauss–Seidel: each node moves to the weighted mean of where every
        // other node says it should be, using the newest positions.
        for i in 0..n {
            let (mut sx, mut sy, mut total) = (0.0, 0.0, 0.0);
            for j in (0..n).filter(|&j| j != i) {
                let (dx, dy) = (positions[i].0 - positions[j].0, positions[i].1 - positions[j].1);
                let length = (dx * dx + dy * dy).sqrt();
                let w = weight(i, j);
                let (ux, uy) = if length > 1e-9 { (dx / length, dy / length) } else { nudge(i, j) };
                sx += w * (positions[j].0 + distances[i * n + j] * ux);
                sy += w * (positions[j].1 + distances[i * n + j] * uy);
                total += w;
            }
            if total > 0.0 {
                positions[i] = (sx / total, sy / total);
            }
        }
        let current = stress(n, &positions, &distances);
        if previous - current < TOLERANCE * previous {
            break;
        }
        previous = current;
    }
    positions
}

/// Shortest-path distances (Floyd–Warshall; the pictures have at most a few
/// hundred nodes). Nodes in different components are put a step beyond the
/// longest distance, so that components sit apart but on the same page.
fn graph_distances(n: usize, springs: &[Spring]) -> Vec<f64> {
    let mut d = vec![f64::INFINITY; n * n];
    for i in 0..n {
        d[i * n + i] = 0.0;
    }
    for s in springs {
        let length = s.length.max(1e-3);
        if length < d[s.a * n + s.b] {
            d[s.a * n + s.b] = length;
            d[s.b * n + s.a] = length;
        }
    }
    for k in 0..n {
        for i in 0..n {
            let via = d[i * n + k];
            if via.is_infinite() {
                continue;
            }
            for j in 0..n {
                let through = via + d[k * n + j];
                if through < d[i * n + j] {
                    d[i * n + j] = through;
                }
            }
        }
    }
    let longest = d.iter().copied().filter(|x| x.is_finite()).fold(0.0, f64::max);
    let apart = if longest > 0.0 { longest + 1.0 } else { 1.0 };
    for x in &mut d {
        if x.is_infinite() {
            *x = apart;
        }
    }
    d
}

/// Classical multidimensional scaling: the two main axes of the
/// double-centred squared distances, found by power iteration.
fn classical_scaling(n: usize, d: &[f64]) -> Vec<(f64, f64)> {
    let mut b = vec![0.0; n * n];
    let squared: Vec<f64> = d.iter().map(|x| x * x).collect();
    let row_mean: Vec<f64> = (0..n).map(|i| squared[i * n..(i + 1) * n].iter().sum::<f64>() / n as f64).collect();
    let all_mean = row_mean.iter().sum::<f64>() / n as f64;
    for i in 0..n {
        for j in 0..n {
            b[i * n + j] = -0.5 * (squared[i * n + j] - row_mean[i] - row_mean[j] + all_mean);
        }
    }
    let first = main_axis(n, &b, None);
    let second = main_axis(n, &b, Some(&first.0));
    (0..n)
        .map(|i| {
            let (x, y) = (first.0[i] * first.1.max(0.0).sqrt(), second.0[i] * second.1.max(0.0).sqrt());
            // Coincident starts (e.g. two nodes with identical distances) are
            // spread on a small circle so that stress can pull them apart.
            let angle = i as f64 * 2.399_963;
            (x + 1e-3 * angle.cos(), y + 1e-3 * angle.sin())
        })
        .collect()
}

/// The dominant eigenvector of symmetric `b` (orthogonal to `other`) and its eigenvalue.
fn main_axis(n: usize, b: &[f64], other: Option<&Vec<f64>>) -> (Vec<f64>, f64) {
    let mut v: Vec<f64> = (0..n).map(|i| 1.0 + ((i as f64 + 1.0) * 0.618_034).fract()).collect();
    let mut value = 0.0;
    for _ in 0..200 {
        if let Some(u) = other {
            let dot: f64 = v.iter().zip(u).map(|(a, b)| a * b).sum();
            v.iter_mut().zip(u).for_each(|(a, b)| *a -= dot * b);
        }
        let mut next = vec![0.0; n];
        for i in 0..n {
            next[i] = (0..n).map(|j| b[i * n + j] * v[j]).sum();
        }
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm < 1e-12 {
            return (vec![0.0; n], 0.0);
        }
        value = next.iter().zip(&v).map(|(a, b)| a * b).sum::<f64>() / v.iter().map(|x| x * x).sum::<f64>();
        v = next.into_iter().map(|x| x / norm).collect();
    }
    (v, value)
}

/// Σ wᵢⱼ (‖xᵢ − xⱼ‖ − dᵢⱼ)², with wᵢⱼ = dᵢⱼ⁻².
fn stress(n: usize, positions: &[(f64, f64)], d: &[f64]) -> f64 {
    let mut total = 0.0;
    for i in 0..n {
        for j in i + 1..n {
            let (dx, dy) = (positions[i].0 - positions[j].0, positions[i].1 - positions[j].1);
            let gap = (dx * dx + dy * dy).sqrt() - d[i * n + j];
            total += gap * gap / (d[i * n + j] * d[i * n + j]);
        }
    }
    total
}

/// A fixed direction for two nodes on the same spot.
fn nudge(i: usize, j: usize) -> (f64, f64) {
    let angle = (i * 31 + j * 17) as f64;
    (angle.cos(), angle.sin())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(p: &[(f64, f64)], a: usize, b: usize) -> f64 {
        ((p[a].0 - p[b].0).powi(2) + (p[a].1 - p[b].1).powi(2)).sqrt()
    }

    #[test]
    fn a_path_is_laid_out_straight_with_its_lengths() {
        let springs: Vec<Spring> = (0..4).map(|i| Spring { a: i, b: i + 1, length: 1.0 }).collect();
        let p = stress_layout(5, &springs);
        assert!((distance(&p, 0, 4) - 4.0).abs() < 0.05, "{p:?}");
        assert!((distance(&p, 1, 2) - 1.0).abs() < 0.05);
    }

    #[test]
    fn stronger_ties_sit_closer_and_the_result_is_deterministic() {
        let springs = [
            Spring { a: 0, b: 1, length: 1.0 },
            Spring { a: 1, b: 2, length: 3.0 },
            Spring { a: 2, b: 3, length: 1.0 },
            Spring { a: 0, b: 3, length: 3.0 },
        ];
        let p = stress_layout(5, &springs);
        assert!(distance(&p, 0, 1) < distance(&p, 1, 2));
        assert_eq!(p, stress_layout(5, &springs));
        assert!(p.iter().all(|(x, y)| x.is_finite() && y.is_finite()));
        // Node 4 has no edge: it is placed apart, not on top of another node.
        assert!((0..4).all(|i| distance(&p, i, 4) > 1.0));
    }

    #[test]
    fn tiny_graphs_do_not_break() {
        assert!(stress_layout(0, &[]).is_empty());
        let one = stress_layout(1, &[]);
        assert!(one[0].0.is_finite());
        let two = stress_layout(2, &[]);
        assert!(distance(&two, 0, 1) > 0.5);
    }
}
