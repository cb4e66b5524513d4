//! The pages built around pictures: the timeline, one page per period of
//! it, and the actor network; plus the chart of each actor and topic page.

use super::context::*;
use super::{RenderedPage, Renderer};
use crate::error::Result;
use crate::link::TermEntry;
use crate::memo::HashWriter;

impl<'a> Renderer<'a> {
    /// An actor's or topic's briefings over time, with the table behind it.
    pub(super) fn term_chart(&self, name: &str, briefings: &[usize]) -> Option<ChartContext> {
        let chart = self.pictures.term_chart(name, briefings, self.cx.archive)?;
        let rows = chart.rows.into_iter().map(|(label, count)| ChartRow { label, count, url: None }).collect();
        Some(ChartContext { svg: chart.svg, rows, undated: chart.undated, per: chart.per })
    }

    /// The actors named most often with an actor, or in a topic's briefings.
    pub(super) fn companion_chips(&self, entry: &TermEntry) -> Vec<Chip<'a>> {
        entry.companions.iter().map(|&(c, n)| Chip { count: Some(n as usize), ..self.cx.actor_link(c) }).collect()
    }

    /// Every period that has briefings: (period index, site path).
    pub fn period_paths(&self) -> Vec<(usize, String)> {
        (0..self.pictures.period_briefings.len())
            .filter(|&p| !self.pictures.period_briefings[p].is_empty())
            .filter_map(|p| Some((p, self.pictures.period_path(p)?)))
            .collect()
    }

    fn period_link(&self, p: usize) -> Option<PeriodLink> {
        let periods = self.pictures.periods.as_ref()?;
        Some(PeriodLink {
            label: periods.periods[p].label.clone(),
            url: self.cx.url(&self.pictures.period_path(p)?),
            count: self.pictures.period_briefings[p].len(),
        })
    }

    /// `/timeline/`: the chart of briefings per period, its table, and the
    /// undated briefings apart.
    pub fn timeline_page(&self) -> Result<RenderedPage> {
        let periods = self.pictures.periods.as_ref();
        let chart = self.pictures.timeline_chart().map(|svg| ChartContext {
            svg,
            undated: self.pictures.undated.len(),
            per: periods.map_or("month", |p| p.granularity.as_str()),
            rows: self
                .period_paths()
                .into_iter()
                .filter_map(|(p, _)| self.period_link(p))
                .map(|l| ChartRow { label: l.label, count: l.count, url: Some(l.url) })
                .collect(),
        });
        let context = TimelineContext {
            granularity: periods.map(|p| p.granularity.as_str()),
            chart,
            dated: self.pictures.period_briefings.iter().map(Vec::len).sum(),
            undated: self.pictures.undated.iter().map(|&b| self.cx.teaser_value(b)).collect(),
        };
        let meta = self.meta("timeline", "Timeline", "Briefings over time", "timeline/", None);
        self.render("timeline.html", "timeline/index.html".into(), meta, "timeline", &context)
    }

    /// The page of the `i`th of the periods with briefings (`paths`, from
    /// [`Self::period_paths`]), linked from the timeline's bars.
    pub fn period_page(&self, paths: &[(usize, String)], i: usize) -> Result<RenderedPage> {
        let periods = self.pictures.periods.as_ref().expect("periods with briefings exist");
        let (p, path) = &paths[i];
        let period = &periods.periods[*p];
        let output = format!("{path}index.html");
        if let Some(memo) = self.memo {
            // A period page shows its label, its briefings' teasers and its neighbours.
            let mut hash = HashWriter::new();
            hash.update(period.key.as_bytes());
            hash.update(periods.granularity.as_str().as_bytes());
            for &b in &self.pictures.period_briefings[*p] {
                self.hash_teaser(&mut hash, b);
            }
            for neighbour in [paths.get(i + 1), i.checked_sub(1).map(|o| &paths[o])] {
                hash.update(b"|");
                if let Some((n, _)) = neighbour {
                    hash.update(periods.periods[*n].key.as_bytes());
                    hash.update(&self.pictures.period_briefings[*n].len().to_le_bytes());
                }
            }
            if self.unchanged(memo, "period.html", &output, hash.finish()) {
                return Ok(RenderedPage::unchanged(output));
            }
        }
        let context = PeriodContext {
            label: period.label.clone(),
            granularity: periods.granularity.as_str(),
            items: self.pictures.period_briefings[*p].iter().map(|&b| self.cx.teaser_value(b)).collect(),
            newer: paths.get(i + 1).and_then(|(n, _)| self.period_link(*n)),
            older: i.checked_sub(1).and_then(|o| self.period_link(paths[o].0)),
        };
        let description = format!("Briefings of {}", period.label);
        let meta = self.meta("period", &period.label, &description, path, None);
        self.render_always("period.html", output, meta, "period", &context)
    }

    /// `/network/`: who is named together with whom.
    pub fn network_page(&self) -> Result<RenderedPage> {
        let network = &self.pictures.network;
        let mut associates: Vec<Vec<(f64, usize, usize)>> = vec![Vec::new(); network.nodes.len()];
        for edge in &network.edges {
            associates[edge.a].push((edge.strength, edge.count, network.nodes[edge.b].actor));
            associates[edge.b].push((edge.strength, edge.count, network.nodes[edge.a].actor));
        }
        let rows = network
            .nodes
            .iter()
            .zip(associates)
            .map(|(node, mut list)| {
                list.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
                NetworkRow {
                    actor: self.cx.actor_chip(node.actor),
                    associates: list
                        .into_iter()
                        .take(3)
                        .map(|(_, count, a)| Chip { count: Some(count), ..self.cx.actor_link(a) })
                        .collect(),
                    hub: node.hub,
                }
            })
            .collect();
        let context = NetworkContext {
            svg: self.pictures.network_chart(self.cx.index),
            shown: network.nodes.len(),
            named: network.named,
            hubs: network.nodes.iter().filter(|n| n.hub).map(|n| self.cx.actor_chip(n.actor)).collect(),
            rows,
        };
        let meta =
            self.meta("network", "Actor network", "Which actors are named together in the briefings", "network/", None);
        self.render("network.html", "network/index.html".into(), meta, "network", &context)
    }
}
