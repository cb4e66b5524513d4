//! Actors and topics of an imported article, found by the aliases of
//! `content/actors` and the keywords of `content/topics` (one aho-corasick
//! automaton each, whole words, case-aware), and candidate actors: names the
//! profiles do not know yet, for the analyst to consider.

use super::prose::sentences;
use crate::link::MentionMatcher;
use crate::model::{ActorKind, Archive, Slug};
use std::collections::{BTreeMap, HashMap};

/// Finds the actors and topics of articles against the archive's profiles.
#[derive(Debug)]
pub struct Tagger {
    actors: MentionMatcher,
    actor_slugs: Vec<Slug>,
    topics: MentionMatcher,
    topic_slugs: Vec<Slug>,
    /// Lowercased slug, name or alias → actor slug, to recognise references as written.
    actor_names: HashMap<String, Slug>,
    topic_names: HashMap<String, Slug>,
}

/// The actors and topics of one article, most mentioned first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags {
    pub actors: Vec<Slug>,
    pub topics: Vec<Slug>,
}

/// A name the profiles do not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub kind: Option<ActorKind>,
    pub mentions: usize,
}

impl Tagger {
    pub fn new(archive: &Archive) -> Tagger {
        let actor_aliases = archive.actors.iter().enumerate().flat_map(|(i, a)| {
            std::iter::once((i, a.name.as_str())).chain(a.aliases.iter().map(move |alias| (i, alias.as_str())))
        });
        let topic_keywords = archive.topics.iter().enumerate().flat_map(|(i, t)| {
            std::iter::once((i, t.name.as_str())).chain(t.keywords.iter().map(move |k| (i, k.as_str())))
        });
        let mut actor_names = HashMap::new();
        for actor in &archive.actors {
            for name in
                [actor.slug.as_str(), actor.name.as_str()].into_iter().chain(actor.aliases.iter().map(String::as_str))
            {
                actor_names.insert(name.to_lowercase(), actor.slug.clone());
            }
        }
        let mut topic_names = HashMap::new();
        for topic in &archive.topics {
            for name in [topic.slug.as_str(), topic.name.as_str()] {
                topic_names.insert(name.to_lowercase(), topic.slug.clone());
            }
        }
        Tagger {
            actors: MentionMatcher::new(actor_aliases),
            actor_slugs: archive.actors.iter().map(|a| a.slug.clone()).collect(),
            topics: MentionMatcher::new(topic_keywords),
            topic_slugs: archive.topics.iter().map(|t| t.slug.clone()).collect(),
            actor_names,
            topic_names,
        }
    }

    /// Actors mentioned anywhere; topics whose keywords occur twice, or once
    /// in the title or summary (a single passing mention is not a topic).
    pub fn tag(&self, headline: &str, body: &str) -> Tags {
        let actors = ranked(self.actors.find(headline).chain(self.actors.find(body)).map(|m| m.actor), 1, &[]);
        let in_headline: Vec<usize> = self.topics.find(headline).map(|m| m.actor).collect();
        let topics = ranked(self.topics.find(headline).chain(self.topics.find(body)).map(|m| m.actor), 2, &in_headline);
        Tags {
            actors: actors.into_iter().map(|i| self.actor_slugs[i].clone()).collect(),
            topics: topics.into_iter().map(|i| self.topic_slugs[i].clone()).collect(),
        }
    }

    /// The profile an actor reference (slug, name or alias) stands for.
    pub fn actor_key(&self, reference: &str) -> String {
        self.actor_names.get(&reference.to_lowercase()).map_or_else(|| reference.to_lowercase(), |s| s.to_string())
    }

    /// The profile a topic reference (slug or name) stands for.
    pub fn topic_key(&self, reference: &str) -> String {
        self.topic_names.get(&reference.to_lowercase()).map_or_else(|| reference.to_lowercase(), |s| s.to_string())
    }

    /// Names in `text` that look like people or organisations and that no
    /// profile knows, with how often each occurs.
    pub fn candidates(&self, text: &str) -> Vec<Candidate> {
        let mut found: BTreeMap<String, Candidate> = BTreeMap::new();
        for sentence in text.split("\n\n").flat_map(sentences) {
            for (name, kind, written) in capitalised_names(sentence) {
                if self.actors.find(&written).next().is_some() {
                    continue;
                }
                let entry = found.entry(name.clone()).or_insert(Candidate { name, kind: None, mentions: 0 });
                entry.mentions += 1;
                entry.kind = entry.kind.or(kind);
            }
        }
        let mut list: Vec<Candidate> = found
            .into_values()
            .filter(|c| c.name.contains(' ') || c.kind == Some(ActorKind::Person) || c.mentions >= 2)
            .collect();
        list.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(&b.name)));
        list
    }
}

/// Indices by number of hits (then first appearance), keeping those with at
/// least `min` hits or listed in `always`.
fn ranked(hits: impl Iterator<Item = usize>, min: usize, always: &[usize]) -> Vec<usize> {
    let mut counts: Vec<(usize, usize, usize)> = Vec::new(); // (index, hits, first position)
    for (position, index) in hits.enumerate() {
        match counts.iter_mut().find(|c| c.0 == index) {
            Some(c) => c.1 += 1,
            None => counts.push((index, 1, position)),
        }
    }
    counts.retain(|c| c.1 >= min || always.contains(&c.0));
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    counts.into_iter().map(|c| c.0).collect()
}

/// Titles that precede a person's name.
const TITLES: &[&str] = &[
    "President",
    "Prime",
    "Minister",
    "Chancellor",
    "Secretary",
    "Senator",
    "General",
    "Gen.",
    "Foreign",
    "Defense",
    "Defence",
    "Ambassador",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "King",
    "Queen",
    "Pope",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Commander",
    "Admiral",
    "Adm.",
    "Colonel",
    "Col.",
    "Vice",
    "Deputy",
    "Premier",
    "Representative",
    "Rep.",
    "Sen.",
    "Governor",
    "Mayor",
    "Speaker",
    "Analyst",
    "Professor",
    "Prof.",
];

/// Words that make a name a place, region, people or adjective, not an actor.
const NOT_NAMES: &[&str] = &[
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Central",
    "North",
    "South",
    "East",
    "West",
    "European",
    "American",
    "Russian",
    "Ukrainian",
    "French",
    "German",
    "British",
    "Polish",
    "Chinese",
    "Baltic",
    "Atlantic",
    "Transatlantic",
    "Europe",
    "Asia",
    "Africa",
    "America",
    "Soviet",
    "Allied",
    "Nordic",
    "Arctic",
    "Pacific",
    "Middle",
    "Black",
    "Sea",
    "Ocean",
    "Western-led",
];

/// Last words of names that are events, documents or places rather than actors.
const NOT_ACTOR_ENDINGS: &[&str] = &[
    "Memorandum",
    "Treaty",
    "Summit",
    "Agreement",
    "Accord",
    "Accords",
    "Conference",
    "Plan",
    "Formula",
    "Doctrine",
    "Declaration",
    "Act",
    "War",
    "Crisis",
    "Day",
    "Week",
    "Charter",
    "Protocol",
    "Convention",
    "Street",
    "Square",
    "Hospital",
    "Bridge",
    "River",
    "Mountains",
    "Region",
    "Oblast",
    "Peninsula",
    "Story",
];

/// Last words that mark an organisation.
const ORGANISATION_ENDINGS: &[&str] = &[
    "Organization",
    "Organisation",
    "Union",
    "Council",
    "Commission",
    "Ministry",
    "Agency",
    "Party",
    "Forces",
    "Army",
    "Navy",
    "Bank",
    "Fund",
    "Institute",
    "Parliament",
    "Assembly",
    "Committee",
    "Office",
    "Department",
    "Service",
    "Group",
    "Alliance",
    "Coalition",
    "Foundation",
    "Court",
    "Corporation",
    "Company",
    "University",
];

const MONTHS_AND_DAYS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Words that start a sentence with a capital but are not names.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "As",
    "During",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "While",
    "When",
    "With",
    "From",
    "For",
    "If",
    "It",
    "Its",
    "There",
    "Their",
    "They",
    "Today",
    "Meanwhile",
    "Such",
    "Another",
    "Many",
    "Some",
    "Other",
    "Both",
    "Any",
    "Observers",
    "Analysts",
    "Experts",
    "Critics",
    "Proponents",
];

/// Capitalised word sequences of a sentence, cleaned of titles and
/// adjectives, with a guess at their kind.
fn capitalised_names(sentence: &str) -> Vec<(String, Option<ActorKind>, String)> {
    let mut names = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut first_in_sentence = true;
    let mut run_starts_sentence = false;
    let words: Vec<&str> = sentence.split_whitespace().collect();
    for (i, raw) in words.iter().enumerate() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-' && c != '@');
        let word = word.trim_end_matches('.');
        let word = word.strip_suffix("’s").or_else(|| word.strip_suffix("'s")).unwrap_or(word);
        let capital = word.chars().next().is_some_and(char::is_uppercase) && word.chars().any(char::is_alphabetic);
        let connector = !run.is_empty() && ["of", "the", "for", "de", "von", "van", "al"].contains(&word);
        if capital || connector {
            if run.is_empty() {
                run_starts_sentence = first_in_sentence;
            }
            run.push(word);
        }
        // Punctuation after a word, or a lowercase word, ends the run.
        let ends = !(capital || connector)
            || raw.ends_with([',', ';', ':', '.', '!', '?', ')', '”', '"'])
            || raw.contains('’')
            || raw.contains('\'');
        if ends && !run.is_empty() {
            let follower = words[(i + 1).min(words.len())..(i + 4).min(words.len())].join(" ");
            if let Some((name, kind)) =
                clean_name(&run, run_starts_sentence, raw.ends_with(',') && is_role_intro(&follower))
            {
                names.push((name, kind, run.join(" ")));
            }
            run.clear();
        }
        first_in_sentence = false;
    }
    names
}

/// Nouns that say what a person does.
const ROLES: &[&str] = &[
    "analyst",
    "expert",
    "author",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "official",
    "professor",
    "researcher",
    "fellow",
    "director",
    "chief",
    "head",
    "leader",
    "diplomat",
    "ambassador",
    "general",
    "commander",
    "president",
    "adviser",
    "advisor",
    "journalist",
    "correspondent",
    "member",
    "lawmaker",
    "senator",
    "historian",
    "economist",
    "envoy",
    "negotiator",
    "secretary",
    "chairman",
    "chair",
    "founder",
    "colonel",
    "veteran",
];

/// ", a defense analyst", ", the former ambassador": a person is being introduced.
fn is_role_intro(follower: &str) -> bool {
    let mut words = follower.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
    matches!(words.next().as_deref(), Some("a" | "an" | "the")) && words.take(2).any(|w| ROLES.contains(&w.as_str()))
}

fn clean_name(run: &[&str], starts_sentence: bool, introduced: bool) -> Option<(String, Option<ActorKind>)> {
    let mut words: Vec<&str> = run.to_vec();
    while words.last().is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase)) {
        words.pop();
    }
    if words.first().is_some_and(|w| *w == "The" || (starts_sentence && SENTENCE_OPENERS.contains(w))) {
        words.remove(0);
    }
    // "Russian President Vladimir Putin" → "Vladimir Putin", a person.
    let mut titled = false;
    loop {
        let next_is_title_or_adjective =
            words.get(1).is_some_and(|next| TITLES.contains(next) || NOT_NAMES.contains(next));
        match words.first() {
            Some(first) if TITLES.contains(first) => titled = true,
            Some(first) if NOT_NAMES.contains(first) && next_is_title_or_adjective => {}
            _ => break,
        }
        words.remove(0);
    }
    let last = *words.last()?;
    if words.iter().any(|w| MONTHS_AND_DAYS.contains(w)) || NOT_ACTOR_ENDINGS.contains(&last) {
        return None;
    }
    if words.iter().all(|w| NOT_NAMES.contains(w)) {
        return None;
    }
    let acronym = words.len() == 1 && (2..=6).contains(&last.len()) && last.chars().all(|c| c.is_ascii_uppercase());
    let kind = if ORGANISATION_ENDINGS.contains(&last) || acronym {
        Some(ActorKind::Organization)
    } else if titled || introduced || last.starts_with('@') {
        Some(ActorKind::Person)
    } else {
        None
    };
    if words.len() == 1 && kind.is_none() && !titled {
        return None;
    }
    Some((words.join(" "), kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Topic};

    fn archive() -> Archive {
        let actor = |slug: &str, name: &str, aliases: &[&str]| Actor {
            slug: Slug::from_text(slug),
            path: Default::default(),
            name: name.into(),
            kind: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            role: None,
            description: None,
            body: String::new(),
            body_line: 0,
        };
        let topic = |slug: &str, keywords: &[&str]| Topic {
            slug: Slug::from_text(slug),
            path: Default::default(),
            name: slug.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            description: None,
            body: String::new(),
            body_line: 0,
        };
        Archive {
            briefings: vec![],
            actors: vec![
                actor("ukraine", "Ukraine", &["Kyiv"]),
                actor("russia", "Russia", &["Kremlin", "Moscow"]),
                actor("united-states", "United States", &["US", "Washington"]),
                actor("vladimir-putin", "Vladimir Putin", &["Putin"]),
            ],
            topics: vec![
                topic("security-guarantees", &["security guarantees"]),
                topic("escalation-risk", &["escalation"]),
            ],
        }
    }

    #[test]
    fn metonyms_and_case() {
        let tagger = Tagger::new(&archive());
        let tags = tagger.tag(
            "Talks in Kyiv",
            "The Kremlin warned Washington. Security guarantees matter; security guarantees were discussed. Tell us about escalation.",
        );
        let slugs = |v: &[Slug]| v.iter().map(Slug::to_string).collect::<Vec<_>>();
        assert_eq!(slugs(&tags.actors), ["ukraine", "russia", "united-states"]);
        assert_eq!(slugs(&tags.topics), ["security-guarantees"], "one passing mention of escalation is not a topic");
    }

    #[test]
    fn candidates_are_names_no_profile_knows() {
        let tagger = Tagger::new(&archive());
        let text = "Keir Giles, a defense analyst and author, said so. Russian President Vladimir Putin warned. The North United States Council met. \
                    Eastern European states agreed on the Budapest Memorandum in Paris. Talks with the Atlantic Council \
                    went on. French President Emmanuel Macron said Keir Giles was right. During the talks nothing moved. \
                    Troops stood at the border with Belarus, a request of the GDP summit in The Hague.";
        let names: Vec<(String, Option<ActorKind>, usize)> =
            tagger.candidates(text).into_iter().map(|c| (c.name, c.kind, c.mentions)).collect();
        assert_eq!(
            names,
            vec![
                ("Keir Giles".to_string(), Some(ActorKind::Person), 2),
                ("Atlantic Council".to_string(), Some(ActorKind::Organization), 1),
                ("Emmanuel Macron".to_string(), Some(ActorKind::Person), 1),
            ]
        );
    }

    #[test]
    fn references_resolve_to_profiles() {
        let tagger = Tagger::new(&archive());
        assert_eq!(tagger.actor_key("Putin"), "vladimir-putin");
        assert_eq!(tagger.actor_key("Someone Else"), "someone else");
    }
}
