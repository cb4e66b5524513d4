//! Pictures of the archive, drawn at build time as inline SVG that needs no
//! script: the timeline of briefings per period, the actor network, and each
//! actor's and topic's mentions over time. Everything is computed from the
//! site index, deterministically: the same archive gives the same bytes.

mod bars;
mod labels;
mod layout;
mod network;
mod period;
mod svg;

pub use bars::Bar;
pub use network::{Edge, Network, Node};
pub use period::{Granularity, Period, Periods};

use crate::link::SiteIndex;
use crate::model::{ActorKind, Archive};
use bars::BarChart;
use network::{ActorLook, NetworkInput};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use svg::Frame;

/// The pictures of one site, and the time spent drawing them.
pub struct Pictures {
    /// The time buckets of every chart; `None` when no briefing has a date.
    pub periods: Option<Periods>,
    /// The briefings of each period, newest first.
    pub period_briefings: Vec<Vec<usize>>,
    /// Undated briefings, in timeline order: listed apart, never given a date.
    pub undated: Vec<usize>,
    pub network: Network,
    /// How many nodes the network was allowed.
    pub network_limit: usize,
    base_path: String,
    spent_ns: AtomicU64,
}

/// The actor network of `index`, at most `limit` actors.
fn network_of(index: &SiteIndex, limit: usize) -> Network {
    let counts: Vec<usize> = index.actors.iter().map(|e| e.briefings.len()).collect();
    let briefing_actors: Vec<&[usize]> = index.briefings.iter().map(|l| l.actors.as_slice()).collect();
    let names: Vec<&str> = index.actors.iter().map(|e| e.term.name.as_str()).collect();
    network::build(&NetworkInput { counts: &counts, briefing_actors: &briefing_actors, limit, names: &names })
}

/// A small chart of one actor's or topic's briefings over time, and its data.
pub struct TermChart {
    pub svg: String,
    /// Periods with at least one briefing: (label, count).
    pub rows: Vec<(String, usize)>,
    /// Briefings left out for having no date.
    pub undated: usize,
    /// `week`, `month` or `year`: what one bar counts.
    pub per: &'static str,
}

impl Pictures {
    /// Buckets the timeline and lays out the network.
    pub fn new(archive: &Archive, index: &SiteIndex, base_path: &str, network_limit: usize) -> Pictures {
        let started = Instant::now();
        let dates: Vec<_> = archive.briefings.iter().map(|b| b.date).collect();
        let periods = Periods::spanning(dates.iter().flatten().copied());
        let mut period_briefings = vec![Vec::new(); periods.as_ref().map_or(0, |p| p.periods.len())];
        let mut undated = Vec::new();
        for &b in &index.timeline {
            match (dates[b], &periods) {
                (Some(date), Some(periods)) => period_briefings[periods.index_of(date)].push(b),
                _ => undated.push(b),
            }
        }
        let pictures = Pictures {
            periods,
            period_briefings,
            undated,
            network: network_of(index, network_limit),
            network_limit,
            base_path: base_path.to_string(),
            spent_ns: AtomicU64::new(0),
        };
        pictures.spent(started);
        pictures
    }

    /// The pictures of the same briefings, with the same dates, linked
    /// otherwise (`index`): the periods stay, the network is made again.
    pub fn relinked(&self, index: &SiteIndex) -> Pictures {
        let started = Instant::now();
        let pictures = Pictures {
            periods: self.periods.clone(),
            period_briefings: self.period_briefings.clone(),
            undated: self.undated.clone(),
            network: network_of(index, self.network_limit),
            network_limit: self.network_limit,
            base_path: self.base_path.clone(),
            spent_ns: AtomicU64::new(0),
        };
        pictures.spent(started);
        pictures
    }

    /// Time spent on pictures so far, summed over threads.
    pub fn time_spent(&self) -> Duration {
        Duration::from_nanos(self.spent_ns.load(Ordering::Relaxed))
    }

    fn spent(&self, started: Instant) {
        self.spent_ns.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// The site path of period `p`'s page.
    pub fn period_path(&self, p: usize) -> Option<String> {
        Some(format!("timeline/{}/", self.periods.as_ref()?.periods[p].key))
    }

    /// The timeline: briefings per period, each bar linking to its period's page.
    pub fn timeline_chart(&self) -> Option<String> {
        let started = Instant::now();
        let periods = self.periods.as_ref()?;
        let bars: Vec<Bar> = periods
            .periods
            .iter()
            .zip(&self.period_briefings)
            .enumerate()
            .map(|(p, (period, briefings))| Bar {
                count: briefings.len(),
                label: period.label.clone(),
                href: (!briefings.is_empty())
                    .then(|| format!("{}{}", self.base_path, self.period_path(p).expect("periods exist"))),
            })
            .collect();
        let dated: usize = bars.iter().map(|b| b.count).sum();
        let description = format!(
            "Bar chart of {} per {} from {} to {}; each bar links to that {}'s briefings.",
            svg::briefings(dated),
            periods.granularity.as_str(),
            periods.periods[0].label,
            periods.periods[periods.periods.len() - 1].label,
            periods.granularity.as_str(),
        );
        let chart = bars::render(&BarChart {
            frame: Frame {
                id: "timeline-chart",
                class: "chart timeline-chart",
                width: 720.0,
                height: 240.0,
                title: &format!("Briefings per {}", periods.granularity.as_str()),
                description: &description,
                interactive: true,
            },
            bars: &bars,
            ticks: &ticks(periods),
        });
        self.spent(started);
        Some(chart)
    }

    /// The small chart of `briefings` (an actor's or topic's) over time;
    /// `None` when none of them is dated.
    pub fn term_chart(&self, name: &str, briefings: &[usize], archive: &Archive) -> Option<TermChart> {
        let started = Instant::now();
        let periods = self.periods.as_ref()?;
        let counts = periods.count(briefings.iter().map(|&b| archive.briefings[b].date));
        if counts.iter().all(|&c| c == 0) {
            return None;
        }
        let bars: Vec<Bar> = periods
            .periods
            .iter()
            .zip(&counts)
            .map(|(period, &count)| Bar { count, label: period.label.clone(), href: None })
            .collect();
        let rows = bars.iter().filter(|b| b.count > 0).map(|b| (b.label.clone(), b.count)).collect();
        let description = format!(
            "Bar chart of the briefings naming {name} per {}, from {} to {}.",
            periods.granularity.as_str(),
            periods.periods[0].label,
            periods.periods[periods.periods.len() - 1].label
        );
        let svg = bars::render(&BarChart {
            frame: Frame {
                id: "term-chart",
                class: "chart term-chart",
                width: 480.0,
                height: 120.0,
                title: &format!("{name}: briefings per {}", periods.granularity.as_str()),
                description: &description,
                interactive: false,
            },
            bars: &bars,
            ticks: &ticks(periods),
        });
        self.spent(started);
        let undated = briefings.iter().filter(|&&b| archive.briefings[b].date.is_none()).count();
        Some(TermChart { svg, rows, undated, per: periods.granularity.as_str() })
    }

    /// The actor network; `None` when no actor is named anywhere.
    pub fn network_chart(&self, index: &SiteIndex) -> Option<String> {
        if self.network.nodes.is_empty() {
            return None;
        }
        let started = Instant::now();
        let shown = self.network.nodes.len();
        let description = format!(
            "{shown} actors drawn as circles sized by the briefings naming them and coloured by kind \
             (person, state, organisation, group), joined where two are named in the same briefing; \
             the closer and thicker, the more often together than chance predicts."
        );
        let svg = network::render(
            &self.network,
            Frame {
                id: "network-chart",
                class: "chart network-chart",
                width: network::WIDTH,
                height: network::HEIGHT,
                title: "Actors named together",
                description: &description,
                interactive: true,
            },
            |a| {
                let entry = &index.actors[a];
                ActorLook {
                    name: &entry.term.name,
                    slug: entry.term.slug.as_str(),
                    url: format!("{}actors/{}/", self.base_path, entry.term.slug),
                    kind: entry.term.kind.map(ActorKind::as_str),
                }
            },
        );
        self.spent(started);
        Some(svg)
    }
}

/// Axis labels, most important first: the first period in full, then year
/// starts, then every period; the chart drops those that would collide.
fn ticks(periods: &Periods) -> Vec<(usize, String)> {
    let all = &periods.periods;
    let mut ticks = Vec::with_capacity(all.len() * 2);
    match periods.granularity {
        Granularity::Week => ticks.push((0, all[0].start.format("%-d %b %Y").to_string())),
        Granularity::Month => ticks.push((0, all[0].start.format("%b %Y").to_string())),
        Granularity::Year => {}
    }
    if periods.granularity == Granularity::Month {
        ticks.extend(
            all.iter().enumerate().filter(|(_, p)| p.key.ends_with("-01")).map(|(i, p)| (i, p.key[..4].to_string())),
        );
    }
    ticks.extend(all.iter().enumerate().map(|(i, p)| (i, p.short.clone())));
    ticks
}
