//! Related briefings and actor co-occurrence, from shared actors and topics.

use super::{BriefingLinks, Ids};
use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

/// How many related briefings each briefing shows.
pub const RELATED_COUNT: usize = 5;
/// How many companions each actor shows.
pub const COMPANION_COUNT: usize = 8;

/// Ranks one briefing at a time, with what every ranking shares worked out once.
/// Briefings are scored by their place in the timeline: the briefings of a
/// busy term scanned around one (its neighbours in time) are then
/// neighbours in memory too.
#[derive(Debug)]
pub struct Ranker {
    /// The briefing at each place in the timeline, newest first.
    timeline: Vec<usize>,
    /// The place of each briefing in the timeline.
    ranks: Vec<usize>,
    /// By term id (actors, then topics): rarer terms weigh more (inverse
    /// document frequency).
    weights: Vec<f32>,
    /// Day numbers by place: every candidate's distance is taken, millions of them.
    days: Vec<Option<i32>>,
    /// Closeness by distance in days, worked out once per distance.
    by_distance: Vec<f32>,
    /// For each term, the place of each briefing naming it, in timeline order.
    places: Vec<Vec<u32>>,
}

/// A briefing's related briefings, and how far their scores stand apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub ids: Ids<RELATED_COUNT>,
    /// How much every candidate's score may move, up or down, without
    /// changing the ranking: half the smallest gap between the scores of
    /// the ranked briefings and of the best one left out, less what
    /// rounding can take. Ties leave none.
    pub slack: f32,
}

/// Candidates kept while ranking: those shown and the best one left out,
/// whose score bounds the ranking's slack.
const KEPT: usize = RELATED_COUNT + 1;

/// How much a term weighs in a ranking: rarer terms weigh more (inverse
/// document frequency), `count` of `n` briefings naming it.
fn weight(n: usize, count: usize) -> f32 {
    (1.0 + n as f32 / count.max(1) as f32).ln()
}

/// A score per place and room to list the places scored, reused from one
/// ranking to the next.
type Scratch = (Vec<f32>, Vec<u32>);

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

impl Ranker {
    /// `postings`: the briefings naming each term, in timeline order;
    /// `timeline`: briefing indexes, newest first.
    pub fn new<'p>(
        postings: impl Iterator<Item = &'p [usize]>,
        dates: &[Option<NaiveDate>],
        timeline: &[usize],
    ) -> Ranker {
        let n = dates.len();
        let postings: Vec<&[usize]> = postings.collect();
        let weights = postings.iter().map(|p| weight(n, p.len())).collect();
        let days: Vec<Option<i32>> = timeline.iter().map(|&b| dates[b].map(|d| d.num_days_from_ce())).collect();
        let span = match (days.iter().flatten().min(), days.iter().flatten().max()) {
            (Some(first), Some(last)) => (last - first) as usize,
            _ => 0,
        };
        let by_distance = (0..=span).map(|d| closeness(Some(d as i32), Some(0))).collect();
        let mut ranks = vec![0; timeline.len()];
        for (rank, &b) in timeline.iter().enumerate() {
            ranks[b] = rank;
        }
        let places = postings.iter().map(|p| p.iter().map(|&b| ranks[b] as u32).collect()).collect();
        Ranker { timeline: timeline.to_vec(), ranks, weights, days, by_distance, places }
    }

    /// The place of each briefing in the timeline.
    pub fn places(&self) -> &[usize] {
        &self.ranks
    }

    /// The briefings most related to `b`, whose terms are `terms`.
    pub fn rank(&self, b: usize, terms: &[usize]) -> Ranked {
        SCRATCH.with_borrow_mut(|scratch| {
            if scratch.0.len() != self.days.len() {
                // One place more than briefings: a candidate seen again is
                // written past the last new one.
                *scratch = (vec![0f32; self.days.len()], vec![0; self.days.len() + 1]);
            }
            self.rank_with(b, terms, scratch)
        })
    }

    /// [`Ranker::rank`] with `scratch`, which it leaves as it found it: scores all 0.
    fn rank_with(&self, b: usize, terms: &[usize], (scores, touched): &mut Scratch) -> Ranked {
        let own = self.ranks[b];
        // Whether a candidate is new is a coin toss the branch predictor
        // loses: every candidate is written down, and kept only if new.
        let mut count = 0;
        for &term in terms {
            let weight = self.weights[term];
            for &place in near_in_time(&self.places[term], own) {
                let score = scores[place as usize];
                touched[count] = place;
                count += usize::from(score == 0.0);
                scores[place as usize] = score + weight;
            }
        }
        // Ties go to the newer briefing: the earlier place.
        let by_score = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1));
        // The best few, kept in order as candidates come: most fall below
        // the last of them at the first comparison.
        let mut best: Vec<(f32, u32)> = Vec::with_capacity(KEPT + 1);
        for &place in &touched[..count] {
            let shared = std::mem::take(&mut scores[place as usize]);
            if place as usize == own {
                continue;
            }
            // Closeness is at most 1: a candidate whose shared weight is
            // already below the last of the best cannot rank, whatever its date.
            if best.len() == KEPT && shared < best[KEPT - 1].0 {
                continue;
            }
            let close = match (self.days[own], self.days[place as usize]) {
                (Some(x), Some(y)) => self.by_distance[(x - y).unsigned_abs() as usize],
                (x, y) => closeness(x, y),
            };
            let candidate = (shared * close, place);
            if best.len() == KEPT && by_score(&candidate, &best[KEPT - 1]).is_ge() {
                continue;
            }
            let at = best.partition_point(|x| by_score(x, &candidate).is_lt());
            best.insert(at, candidate);
            best.truncate(KEPT);
        }
        let gap = best.windows(2).map(|w| w[0].0 - w[1].0).fold(f32::INFINITY, f32::min);
        // A score is a sum of the weights of the terms a briefing names,
        // times a closeness: each rounding is within a ten-millionth of it,
        // so a hundred-thousandth covers old and new scores of briefings
        // naming up to some eighty terms.
        let rounding = best.first().map_or(0.0, |b| b.0 * 1e-5);
        let slack = (gap / 2.0 - rounding).max(0.0);
        best.truncate(RELATED_COUNT);
        Ranked { ids: best.iter().map(|&(_, place)| self.timeline[place as usize]).collect(), slack }
    }
}

/// Briefings scanned on each side of a briefing in a term's list.
const WINDOW: usize = 128;

/// The part of a term's list of places (in timeline order) within
/// [`WINDOW`] of place `rank`. Rare terms are scanned whole; for terms named
/// in thousands of briefings only the nearest in time can rank, since their
/// weight is low and closeness decides, so the rest is skipped: that keeps
/// ranking linear in the archive size instead of quadratic.
fn near_in_time(places: &[u32], rank: usize) -> &[u32] {
    if !is_hub(places.len()) {
        return places;
    }
    let at = places.partition_point(|&place| (place as usize) < rank);
    &places[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(places.len())]
}

/// Whether a term named in `count` briefings is named in more than are
/// scanned around one.
fn is_hub(count: usize) -> bool {
    count > 2 * WINDOW + 1
}

/// One term's list of briefings after a change, for [`rank_again`].
#[derive(Debug)]
pub struct ListChange<'a> {
    /// The briefings naming it now, in timeline order.
    pub after: &'a [usize],
    /// How many named it before.
    pub before: usize,
    /// Where in `after` briefings came or went: for one gone, where it
    /// would be, give or take as many places as briefings came.
    pub at: Vec<usize>,
}

impl<'a> ListChange<'a> {
    /// The change from `before` to `after`, both in timeline order, with
    /// each briefing's place in the timeline.
    pub fn between(before: &[usize], after: &'a [usize], places: &[usize]) -> ListChange<'a> {
        let at = differences(before, after, places)
            .into_iter()
            .map(|e| after.partition_point(|&b| places[b] < places[e]))
            .collect();
        ListChange { after, before: before.len(), at }
    }
}

/// The briefings whose related briefings can differ after the lists of
/// some terms changed (`changes`) and the archive went from `counts.0` to
/// `counts.1` briefings, which moves every term's weight a little. `slack`
/// gives each briefing's as last ranked ([`Ranked::slack`]), `None` when it
/// was not ranked.
///
/// Those are: every briefing of a changed list short enough to be scanned
/// whole; in a longer list, those near a change (their window of
/// candidates changes); and those whose ranking has less slack than the
/// weight of the terms they name moved. Every other candidate's score
/// moves by at most that weight, which cannot reorder scores further apart
/// than twice it; what a kept ranking has left of its slack is its slack
/// less that weight ([`Reranking::moved`]). Briefings gained or lost are
/// the caller's to rank again.
pub fn rank_again(changes: &[ListChange], counts: (usize, usize), slack: impl Fn(usize) -> Option<f32>) -> Reranking {
    let n = counts.1;
    let mut again = vec![false; n];
    let mut moved = vec![0f32; n];
    for change in changes {
        let after = change.after;
        // A list scanned whole, before or after: whoever came or went is
        // a candidate of every briefing in it.
        let scanned_whole = !is_hub(change.before) || !is_hub(after.len());
        if !change.at.is_empty() && scanned_whole {
            for &b in after {
                again[b] = true;
            }
            continue;
        }
        // Several changes to one list move places by as many.
        let reach = WINDOW + 1 + change.at.len();
        for &at in &change.at {
            for &b in &after[at.saturating_sub(reach)..(at + reach + 1).min(after.len())] {
                again[b] = true;
            }
        }
        let delta = (weight(counts.1, after.len()) - weight(counts.0, change.before)).abs();
        if delta > 0.0 {
            for &b in after {
                moved[b] += delta;
            }
        }
    }
    let again = (0..n).filter(|&b| again[b] || (moved[b] > 0.0 && slack(b).is_none_or(|s| moved[b] >= s))).collect();
    Reranking { again, moved }
}

/// Which briefings to rank again after terms' lists changed, and how far
/// the others' scores may have moved.
#[derive(Debug)]
pub struct Reranking {
    /// Briefing indexes, in order.
    pub again: Vec<usize>,
    /// By briefing: how far any candidate's score may have moved.
    pub moved: Vec<f32>,
}

/// The briefings in one of two lists in timeline order and not the other.
fn differences(before: &[usize], after: &[usize], places: &[usize]) -> Vec<usize> {
    let (mut i, mut j) = (0, 0);
    let mut changed = Vec::new();
    loop {
        match (before.get(i), after.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(&a), Some(&b)) if places[a] > places[b] => {
                changed.push(b);
                j += 1;
            }
            (Some(&a), _) => {
                changed.push(a);
                i += 1;
            }
            (None, Some(&b)) => {
                changed.push(b);
                j += 1;
            }
            (None, None) => return changed,
        }
    }
}

/// 1 for the same day, falling to ½ over about a year; ¾ when a date is
/// unknown. Dates are day numbers.
fn closeness(a: Option<i32>, b: Option<i32>) -> f32 {
    match (a, b) {
        (Some(a), Some(b)) => {
            let days = (a - b).unsigned_abs() as f32;
            0.5 + 0.5 / (1.0 + days / 365.0)
        }
        _ => 0.75,
    }
}

/// Counts by actor id in a table as long as the actors, reused from one
/// term to the next: far cheaper than a map per term.
pub struct Tally {
    counts: Vec<u32>,
    seen: Vec<usize>,
}

impl Tally {
    pub fn new(actor_count: usize) -> Tally {
        Tally { counts: vec![0; actor_count], seen: Vec::new() }
    }

    fn add(&mut self, actor: usize) {
        if self.counts[actor] == 0 {
            self.seen.push(actor);
        }
        self.counts[actor] += 1;
    }

    /// The first [`COMPANION_COUNT`] by count, then by id; the table is left empty.
    fn most_counted(&mut self) -> Vec<(usize, u32)> {
        let counts = &mut self.counts;
        let mut list: Vec<(usize, u32)> = self.seen.drain(..).map(|a| (a, std::mem::take(&mut counts[a]))).collect();
        list.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        list.truncate(COMPANION_COUNT);
        list
    }
}

/// For each actor, the actors it shares most briefings with, most first.
pub fn count_companions(actors: &[&[usize]], links: &[BriefingLinks]) -> Vec<Vec<(usize, u32)>> {
    actors
        .par_iter()
        .enumerate()
        .map_init(|| Tally::new(actors.len()), |tally, (a, briefings)| companions_of(a, briefings, links, tally))
        .collect()
}

/// The actors `actor` shares most briefings with, from its own (`briefings`).
pub fn companions_of(
    actor: usize,
    briefings: &[usize],
    links: &[BriefingLinks],
    tally: &mut Tally,
) -> Vec<(usize, u32)> {
    for &b in briefings {
        for &other in &links[b].actors {
            if other != actor {
                tally.add(other);
            }
        }
    }
    tally.most_counted()
}

/// The actors named most often in `briefings` (a topic's), most first.
pub fn top_actors(briefings: &[usize], links: &[BriefingLinks], tally: &mut Tally) -> Vec<(usize, u32)> {
    for &b in briefings {
        for &a in &links[b].actors {
            tally.add(a);
        }
    }
    tally.most_counted()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2025, 1, d)
    }

    #[test]
    fn rare_shared_terms_and_close_dates_rank_first() {
        // term 0 is everywhere, term 1 is shared by briefings 0 and 2 only.
        let terms = [vec![0, 1], vec![0], vec![0, 1], vec![0]];
        let postings: [&[usize]; 2] = [&[2, 3, 1, 0], &[2, 0]];
        let dates = [day(1), day(2), day(30), day(3)];
        let ranker = Ranker::new(postings.iter().copied(), &dates, &[2, 3, 1, 0]);
        let related = |b: usize| ranker.rank(b, &terms[b]);
        assert_eq!(related(0).ids.as_slice(), [2, 1, 3]);
        assert!(related(0).slack > 0.0);
        assert_eq!(related(1).ids.as_slice(), [3, 0, 2], "ties go to the newer briefing");
        assert_eq!(related(1).slack, 0.0, "a tie leaves no slack");
    }

    #[test]
    fn hub_terms_are_scanned_near_in_time_only() {
        let places: Vec<u32> = (0..1000).collect();
        let window = near_in_time(&places, 500);
        assert_eq!(window.len(), 2 * WINDOW + 1);
        let window = window.iter().map(|&p| p as usize).collect::<Vec<_>>();
        assert!(window.contains(&500) && window.contains(&(500 - WINDOW)) && !window.contains(&(500 - WINDOW - 1)));
        assert_eq!(near_in_time(&places[..10], 3).len(), 10);
    }

    #[test]
    fn only_briefings_near_a_change_or_short_of_slack_rank_again() {
        let n = 1000;
        let places: Vec<usize> = (0..n).collect();
        // A busy term, named by every even briefing; 901 comes to name it.
        let before: Vec<usize> = (0..n).step_by(2).collect();
        let mut after = before.clone();
        after.insert(451, 901);
        let slack = |b: usize| Some(if b == 10 { 0.0 } else { 1.0 });
        let change = || [ListChange::between(&before, &after, &places)];
        let Reranking { again, moved } = rank_again(&change(), (n, n), slack);
        assert!(moved[0] > 0.0 && moved[0] < 0.01 && moved[1] == 0.0, "the term's weight moved a little");
        assert!(again.contains(&901) && again.contains(&902) && again.contains(&(900 - 2 * WINDOW)));
        assert!(again.contains(&10), "too little slack for the weight's move");
        assert!(!again.contains(&0) && !again.contains(&400) && !again.contains(&11), "{again:?}");
        assert!(again.len() < 2 * WINDOW + 10, "{}", again.len());
        // Never ranked: ranked again, as is every briefing of a short list.
        assert_eq!(rank_again(&change(), (n, n), |_| None).again.len(), after.len());
        let short = |before: &[usize], after: &[usize]| {
            rank_again(&[ListChange::between(before, after, &places)], (n, n), slack).again
        };
        assert_eq!(short(&[1, 3], &[1, 3, 5]), [1, 3, 5]);
        assert_eq!(short(&[1, 3, 5], &[1, 5]), [1, 5]);
        // One more briefing in the archive moves every weight, however little.
        let unchanged = [ListChange { after: &before, before: before.len(), at: Vec::new() }];
        let Reranking { again, moved } = rank_again(&unchanged, (n, n + 1), slack);
        assert_eq!(again, [10]);
        assert!(moved[0] > 0.0 && moved[1] == 0.0);
    }

    #[test]
    fn companions_count_shared_briefings() {
        let links: Vec<BriefingLinks> = [&[0, 1, 2][..], &[0, 1], &[2]]
            .iter()
            .map(|actors| BriefingLinks { actors: actors.iter().copied().collect(), ..BriefingLinks::default() })
            .collect();
        let companions = count_companions(&[&[0, 1], &[0, 1], &[0, 2]], &links);
        assert_eq!(companions[0], vec![(1, 2), (2, 1)]);
        assert_eq!(companions[2], vec![(0, 1), (1, 1)]);
        let mut tally = Tally::new(3);
        assert_eq!(top_actors(&[0, 1], &links, &mut tally), vec![(0, 2), (1, 2), (2, 1)]);
        assert_eq!(companions_of(0, &[0, 1], &links, &mut tally), companions[0]);
    }
}
