//! Differential tests of the site index a live session keeps: patched
//! after edits to the terms briefings name ([`super::relink`]), or linked
//! anew with rankings carried over ([`super::carry`]), it is the index
//! linking every briefing anew gives.

use super::link_archive;
use super::relink::{all_fold, folds_alike, relink};
use crate::model::{Actor, ActorKind, Topic};
use crate::model::{Archive, Briefing, Slug};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Spellings of actors: profile names, aliases and slugs, and names
/// without a profile in several spellings, some sharing a slug.
const ACTOR_REFS: &[&str] = &[
    "NATO",
    "nato",
    "North Atlantic Treaty Organization",
    "Volodymyr Zelenskyy",
    "Zelensky",
    "volodymyr-zelenskyy",
    "Keir Giles",
    "keir giles",
    "KEIR-GILES",
    "Ana Ruiz",
    "Ána Ruiz",
    "ana-ruiz",
    "Kremlin",
    "The Kremlin",
    "Jan Novak",
    "Li Wei",
    "li  wei",
    "Brand New Envoy",
    "Envoy",
];
const TOPIC_REFS: &[&str] =
    &["Energy security", "energy-security", "Arms control", "arms control", "Migration", "Air defence", "Sanctions"];

fn actor(slug: &str, name: &str, aliases: &[&str]) -> Actor {
    Actor {
        slug: Slug::from_text(slug),
        path: PathBuf::from(format!("content/actors/{slug}.md")),
        name: name.into(),
        kind: Some(ActorKind::Organization),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        role: None,
        description: None,
        body: String::new(),
        body_line: 1,
    }
}

fn refs(rng: &mut Rng, pool: &[&str], most: usize) -> Vec<String> {
    (0..rng.below(most + 1)).map(|_| pool[rng.below(pool.len())].to_string()).collect()
}

fn briefing(rng: &mut Rng, i: usize) -> Briefing {
    Briefing {
        slug: Slug::from_text(&format!("b{i}")),
        path: PathBuf::from(format!("content/briefings/b{i}.md")),
        title: format!("Briefing {}", rng.below(5)),
        // Few dates, so that ties are common; some briefings undated.
        date: (rng.below(6) != 0).then(|| NaiveDate::from_ymd_opt(2025, 1 + rng.below(3) as u32, 1).unwrap()),
        summary: String::new(),
        source: None,
        topics: refs(rng, TOPIC_REFS, 3),
        actors: refs(rng, ACTOR_REFS, 5),
        annotations: Vec::new(),
        draft: false,
        body: String::new(),
        body_line: 1,
        text_key: 0,
    }
}

/// A briefing dated over two and a half years, as archives are, some undated.
fn dated(rng: &mut Rng, i: usize) -> Arc<Briefing> {
    let mut briefing = briefing(rng, i);
    briefing.date = (rng.below(20) != 0)
        .then(|| NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Days::new(rng.below(900) as u64));
    Arc::new(briefing)
}

#[test]
fn relinking_after_edits_gives_the_index_linking_gives() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let actors = vec![
        actor("nato", "NATO", &["North Atlantic Treaty Organization"]),
        actor("volodymyr-zelenskyy", "Volodymyr Zelenskyy", &["Zelensky"]),
        actor("kremlin", "Kremlin", &["The Kremlin"]),
    ];
    let topics = vec![Topic {
        slug: Slug::from_text("arms-control"),
        path: PathBuf::from("content/topics/arms-control.md"),
        name: "Arms control".into(),
        keywords: Vec::new(),
        description: None,
        body: String::new(),
        body_line: 1,
    }];
    let (mut patched, mut tried) = (0, 0);
    for _ in 0..300 {
        let n = 1 + rng.below(40);
        let mut archive = Archive {
            briefings: (0..n).map(|i| Arc::new(briefing(&mut rng, i))).collect(),
            actors: actors.clone(),
            topics: topics.clone(),
        };
        let mut index = link_archive(&archive).unwrap();
        // Several rounds of edits, each relinked from the last.
        for _ in 0..4 {
            let before = archive.briefings.clone();
            for _ in 0..1 + rng.below(3) {
                let b = rng.below(n);
                let mut edited = (*archive.briefings[b]).clone();
                match rng.below(4) {
                    0 => edited.actors = refs(&mut rng, ACTOR_REFS, 5),
                    1 => edited.topics = refs(&mut rng, TOPIC_REFS, 3),
                    2 => edited.actors.push(ACTOR_REFS[rng.below(ACTOR_REFS.len())].to_string()),
                    _ => {
                        edited.actors.pop();
                    }
                }
                archive.briefings[b] = Arc::new(edited);
            }
            let linked = link_archive(&archive).unwrap();
            tried += 1;
            if let Some(relinked) = relink(&index, &before, &archive) {
                patched += 1;
                assert_eq!(relinked, linked, "relinked after edits to {n} briefings");
            }
            index = linked;
        }
    }
    // Declining is allowed only where a name's first spelling changes case.
    assert!(patched * 10 > tried * 9, "relinked {patched} of {tried}");
}

#[test]
fn relinking_a_ranked_archive_with_busy_terms_gives_the_index_linking_gives() {
    // Terms named in hundreds of briefings are scanned near in time
    // only, and rankings far enough apart are kept: held here to what
    // ranking every briefing anew gives, edit after edit.
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let n = 1500;
    let mut archive = Archive {
        briefings: (0..n).map(|i| dated(&mut rng, i)).collect(),
        actors: vec![actor("nato", "NATO", &["North Atlantic Treaty Organization"])],
        topics: Vec::new(),
    };
    let mut index = link_archive(&archive).unwrap();
    assert!(index.actors.iter().chain(&index.topics).any(|e| e.briefings.len() > 400), "a busy term");
    for round in 0..12 {
        // As in a live session, whose pages asked for every ranking.
        for b in 0..n {
            let _ = index.related(b);
        }
        let before = archive.briefings.clone();
        let b = rng.below(n);
        let mut edited = (*archive.briefings[b]).clone();
        match round % 3 {
            0 => edited.actors.push("NATO".into()),
            1 => edited.actors.retain(|a| !a.to_lowercase().contains("nato") && !a.contains("North")),
            _ => edited.topics = refs(&mut rng, TOPIC_REFS, 3),
        }
        archive.briefings[b] = Arc::new(edited);
        let relinked = relink(&index, &before, &archive).expect("edits to the terms named are relinked");
        let linked = link_archive(&archive).unwrap();
        assert_eq!(relinked, linked, "round {round}");
        // A kept ranking has no more slack left than ranking it anew finds.
        for b in 0..n {
            let (kept, fresh) = (relinked.slack(b).unwrap(), linked.slack(b).unwrap());
            assert!(kept <= fresh + 1e-6, "round {round}, briefing {b}: {kept} > {fresh}");
        }
        index = relinked;
    }
}

#[test]
fn rankings_carried_over_a_briefing_added_or_removed_are_those_ranking_anew_gives() {
    // Every term's weight moves with the number of briefings; what is
    // carried over is held to what ranking every briefing anew gives.
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let mut archive = Archive {
        briefings: (0..1500).map(|i| dated(&mut rng, i)).collect(),
        actors: vec![actor("nato", "NATO", &["North Atlantic Treaty Organization"])],
        topics: Vec::new(),
    };
    let mut index = link_archive(&archive).unwrap();
    let (mut carried, mut ranked) = (0, 0);
    for round in 0..10 {
        for b in 0..archive.briefings.len() {
            let _ = index.related(b);
        }
        let before = archive.briefings.clone();
        for _ in 0..1 + rng.below(2) {
            if round % 2 == 0 {
                let at = rng.below(archive.briefings.len() + 1);
                archive.briefings.insert(at, dated(&mut rng, 10_000 + round * 10 + at % 10));
            } else {
                archive.briefings.remove(rng.below(archive.briefings.len()));
            }
        }
        let new = link_archive(&archive).unwrap();
        super::carry::carry_rankings(&index, &before, &new, &archive.briefings);
        let kept = (0..archive.briefings.len()).filter(|&b| new.slack(b).is_some()).count();
        let linked = link_archive(&archive).unwrap();
        assert_eq!(new, linked, "round {round}");
        for b in 0..archive.briefings.len() {
            let (kept, fresh) = (new.slack(b).unwrap(), linked.slack(b).unwrap());
            assert!(kept <= fresh + 1e-6, "round {round}, briefing {b}: {kept} > {fresh}");
        }
        carried += kept;
        ranked += archive.briefings.len();
        index = new;
    }
    // A dozen terms in all: most briefings name a short list that changed.
    assert!(carried * 5 > ranked, "rankings carried: {carried} of {ranked}");
}

#[test]
fn a_moved_or_renamed_briefing_is_linked_anew() {
    let mut rng = Rng(7);
    let archive =
        Archive { briefings: (0..5).map(|i| Arc::new(briefing(&mut rng, i))).collect(), ..Archive::default() };
    let index = link_archive(&archive).unwrap();
    let mut moved = archive.clone();
    let mut b = (*moved.briefings[2]).clone();
    b.date = NaiveDate::from_ymd_opt(2020, 1, 1);
    moved.briefings[2] = Arc::new(b);
    assert!(relink(&index, &archive.briefings, &moved).is_none());
    let mut fewer = archive.clone();
    fewer.briefings.pop();
    assert!(relink(&index, &archive.briefings, &fewer).is_none());
}

#[test]
fn a_name_slugged_apart_from_its_lowercase_form_is_linked_anew() {
    let mut rng = Rng(11);
    let mut archive =
        Archive { briefings: (0..3).map(|i| Arc::new(briefing(&mut rng, i))).collect(), ..Archive::default() };
    let mut b = (*archive.briefings[0]).clone();
    b.actors = vec!["Ǝkon".into()];
    archive.briefings[0] = Arc::new(b);
    let index = link_archive(&archive).unwrap();
    let before = archive.briefings.clone();
    let mut b = (*archive.briefings[1]).clone();
    b.actors.push("NATO".into());
    archive.briefings[1] = Arc::new(b);
    assert!(!all_fold(&before), "the cache links such an archive anew");
    let mut b = (*archive.briefings[2]).clone();
    b.actors.push("Ǝkon".into());
    archive.briefings[2] = Arc::new(b);
    assert!(relink(&index, &before, &archive).is_none(), "nor is such a reference patched in");
    assert!(folds_alike("Ána Ruiz") && !folds_alike("Ǝkon"));
}
