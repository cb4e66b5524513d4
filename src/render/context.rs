//! The template context: what each page's template receives. Pages get their
//! own data and light summaries ([`Teaser`], [`Chip`]) of what they list,
//! never whole other pages. The variables are documented in the theme README.

use crate::config::Config;
use crate::link::SiteIndex;
use crate::memo::HashWriter;
use crate::model::{Archive, Briefing, Source};
use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;
use std::cell::Cell;
use std::sync::OnceLock;

/// `site`: the same on every page. It holds nothing that changes with content,
/// so that adding a briefing does not change every page.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub base_url: String,
    /// Path prefix of every internal link, e.g. `/` or `/archive/`.
    pub base_path: String,
    pub language: String,
    pub feed_url: String,
    /// Whether the site has a search page (`search` in `dossier.yaml`).
    pub search: bool,
}

/// `page`: what every page says about itself.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// `home`, `briefing`, `actor`, `actors`, `topic`, `topics`, `timeline`,
    /// `period`, `network`, `annotations` or `404`.
    pub kind: &'static str,
    pub title: String,
    /// For `<meta name="description">`.
    pub description: String,
    /// Site-absolute path, e.g. `/briefings/x/`.
    pub url: String,
    /// Absolute URL, for `<link rel="canonical">`.
    pub permalink: String,
    /// The Atom feed of this page, if it has one.
    pub feed_url: Option<String>,
    /// Whether it shows highlighted code, which needs `highlight.css`.
    pub code: bool,
}

/// A link to a briefing with what a list needs to show of it.
#[derive(Debug, Clone, Serialize)]
pub struct Teaser<'a> {
    pub title: &'a str,
    pub url: &'a str,
    /// ISO date, for `<time datetime>`.
    pub date: Option<&'a str>,
    /// Human date, e.g. `16 August 2025`.
    pub date_display: Option<&'a str>,
    pub summary: &'a str,
}

/// A piece of context shown on many pages, as the theme receives it: a
/// briefing's [`Teaser`] (on its terms' pages, the home page, its
/// neighbours'), a term's [`Chip`] (on its briefings' pages). It is made
/// once, the first time it is shown, and every page after shares it: Tera's
/// values are reference-counted, and one met while filling a context is
/// taken as it is.
#[derive(Debug, Clone)]
pub struct Shared {
    value: tera::Value,
    /// The fingerprint of what it was made from: Tera's maps have no fixed
    /// order, so a page's fingerprint takes this instead (see [`hash_context`]).
    key: u64,
}

impl Shared {
    fn of(value: &impl Serialize) -> Shared {
        let mut hash = HashWriter::new();
        let _ = serde_json::to_writer(&mut hash, value);
        Shared { value: tera::Value::from_serializable(value), key: hash.finish() }
    }
}

thread_local! {
    /// Set while [`hash_context`] runs on this thread.
    static FINGERPRINTING: Cell<bool> = const { Cell::new(false) };
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if FINGERPRINTING.get() { serializer.serialize_u64(self.key) } else { self.value.serialize(serializer) }
    }
}

/// Adds the fingerprint of a page's context to `hash`: its JSON, with each
/// [`Shared`] piece standing for what it was made from.
pub fn hash_context(hash: &mut HashWriter, value: &impl Serialize) {
    /// Clears the flag however serialising ends, so that no later context
    /// given to Tera on this thread gets fingerprints for values.
    struct Fingerprinting;
    impl Drop for Fingerprinting {
        fn drop(&mut self) {
            FINGERPRINTING.set(false);
        }
    }
    FINGERPRINTING.set(true);
    let _reset = Fingerprinting;
    let _ = serde_json::to_writer(&mut *hash, value);
}

/// The formatted parts of a briefing's teaser, made once.
#[derive(Debug)]
struct TeaserText {
    url: String,
    date: Option<String>,
    date_display: Option<String>,
    shared: Shared,
}

/// A link to an actor or topic.
#[derive(Debug, Clone, Serialize)]
pub struct Chip<'a> {
    pub name: &'a str,
    pub url: String,
    /// Actor kind (`person`, `state`, …) when known.
    pub kind: Option<&'static str>,
    /// Briefings naming it, on lists that show counts. A briefing page's
    /// chips have none, so that naming an actor in one more briefing does
    /// not change the page of every briefing naming it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// `briefing`, on briefing pages.
#[derive(Debug, Clone, Serialize)]
pub struct BriefingContext<'a> {
    pub title: &'a str,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub summary: &'a str,
    /// The body as HTML; mark it `| safe` in templates.
    pub body: &'a str,
    pub words: usize,
    pub reading_minutes: usize,
    pub source: Option<&'a Source>,
    pub actors: Vec<Shared>,
    pub topics: Vec<Shared>,
    pub related: Vec<Shared>,
    pub older: Option<Shared>,
    pub newer: Option<Shared>,
    /// Notes whose passage is marked in the body, in order.
    pub annotations: Vec<AnnotationContext<'a>>,
    /// Notes whose passage changed and could not be found: shown apart.
    pub orphans: Vec<AnnotationContext<'a>>,
}

/// One annotation, for lists of notes.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationContext<'a> {
    /// 1-based, in the order of the front matter; the passage's id is `annotation-{number}`.
    pub number: usize,
    pub quote: &'a str,
    /// The note as HTML; mark it `| safe`.
    pub note: &'a str,
    pub tags: &'a [String],
    pub author: Option<&'a str>,
    pub date: Option<&'a str>,
    /// `found`, `ambiguous`, `moved` or `orphan`.
    pub state: &'static str,
    /// Link to the passage (or, for an orphan, to the list of orphans).
    pub url: String,
}

/// `annotations`, on the `/annotations/` page.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationsContext<'a> {
    pub groups: Vec<AnnotationGroup<'a>>,
    /// Notes in the archive.
    pub total: usize,
}

/// A tag of the `/annotations/` page with its notes.
#[derive(Debug, Clone, Serialize)]
pub struct AnnotationGroup<'a> {
    pub tag: String,
    pub items: Vec<ArchiveNote<'a>>,
}

/// A note on the `/annotations/` page, with the briefing it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveNote<'a> {
    #[serde(flatten)]
    pub annotation: AnnotationContext<'a>,
    pub briefing: Shared,
}

/// A briefing naming an actor or topic, with the passage doing it.
#[derive(Debug, Clone, Serialize)]
pub struct Backlink<'a> {
    pub briefing: Shared,
    /// The paragraph naming the actor, shortened; the summary when no paragraph does.
    pub excerpt: &'a str,
    /// Link to that paragraph.
    pub passage_url: Cow<'a, str>,
}

/// `term`, on actor and topic pages.
#[derive(Debug, Clone, Serialize)]
pub struct TermContext<'a> {
    pub name: &'a str,
    pub kind: Option<&'static str>,
    pub role: Option<&'a str>,
    pub description: Option<&'a str>,
    pub aliases: &'a [String],
    /// The profile's body as HTML (empty without a profile).
    pub body: String,
    pub has_profile: bool,
    /// Briefings naming the term, on all its pages.
    pub count: usize,
    /// This page's share of them.
    pub backlinks: Vec<Backlink<'a>>,
    /// Actors named most often together with this one (for a topic: in its briefings).
    pub companions: Vec<Chip<'a>>,
    /// Briefings per period, when any of them is dated.
    pub chart: Option<ChartContext>,
    /// Profile body, companions and chart are on the first page only.
    pub pager: Pager,
}

/// A chart and the table that says the same in text.
#[derive(Debug, Clone, Serialize)]
pub struct ChartContext {
    /// Inline SVG; mark it `| safe` in templates.
    pub svg: String,
    pub rows: Vec<ChartRow>,
    /// Briefings the chart leaves out for having no date.
    pub undated: usize,
    /// `week`, `month` or `year`: what one bar counts.
    pub per: &'static str,
}

/// A row of a chart's table: a period and its count.
#[derive(Debug, Clone, Serialize)]
pub struct ChartRow {
    pub label: String,
    pub count: usize,
    pub url: Option<String>,
}

/// A link to a period of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodLink {
    pub label: String,
    pub url: String,
    pub count: usize,
}

/// `timeline`, on the timeline page.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineContext {
    /// `week`, `month` or `year`; null when no briefing is dated.
    pub granularity: Option<&'static str>,
    pub chart: Option<ChartContext>,
    pub dated: usize,
    /// Briefings without a date, listed apart.
    pub undated: Vec<Shared>,
}

/// `period`, on the page of one period of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodContext {
    pub label: String,
    pub granularity: &'static str,
    /// Newest first.
    pub items: Vec<Shared>,
    /// The nearest newer and older periods that have briefings.
    pub newer: Option<PeriodLink>,
    pub older: Option<PeriodLink>,
}

/// An actor of the network with the actors most associated with it.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkRow<'a> {
    pub actor: Chip<'a>,
    /// Most associated first, with `count` = briefings together.
    pub associates: Vec<Chip<'a>>,
    pub hub: bool,
}

/// `network`, on the actor network page.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkContext<'a> {
    /// Inline SVG (`| safe`); null when no actor is named.
    pub svg: Option<String>,
    /// Actors drawn.
    pub shown: usize,
    /// Actors named in any briefing.
    pub named: usize,
    /// Actors named in more than half the briefings, which the page can hide.
    pub hubs: Vec<Chip<'a>>,
    pub rows: Vec<NetworkRow<'a>>,
}

/// A group of actors on the actors index.
#[derive(Debug, Clone, Serialize)]
pub struct ChipGroup<'a> {
    pub label: &'static str,
    pub items: Vec<Chip<'a>>,
}

/// A month of the home timeline.
#[derive(Debug, Clone, Serialize)]
pub struct MonthGroup {
    /// e.g. `August 2025`, or `Undated`.
    pub label: String,
    pub items: Vec<Shared>,
}

/// `listing`, on home pages.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub months: Vec<MonthGroup>,
    #[serde(flatten)]
    pub pager: Pager,
}

/// A list page's place among its list's pages.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub page: usize,
    pub pages: usize,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
}

/// Builds the pieces of context shared by the page renderers.
pub struct ContextBuilder<'a> {
    pub config: &'a Config,
    pub archive: &'a Archive,
    pub index: &'a SiteIndex,
    pub base_path: String,
    teasers: Vec<OnceLock<TeaserText>>,
    /// Each actor's and topic's link, made once (see [`Shared`]).
    actor_links: Vec<OnceLock<Shared>>,
    topic_links: Vec<OnceLock<Shared>>,
}

impl<'a> ContextBuilder<'a> {
    pub fn new(config: &'a Config, archive: &'a Archive, index: &'a SiteIndex) -> ContextBuilder<'a> {
        ContextBuilder {
            config,
            archive,
            index,
            base_path: config.base_path(),
            teasers: unset(archive.briefings.len()),
            actor_links: unset(index.actors.len()),
            topic_links: unset(index.topics.len()),
        }
    }

    /// The teasers and links made while rendering, taken out so that they
    /// can be freed elsewhere.
    pub(super) fn take_made(&mut self) -> impl Send + 'static + use<> {
        (
            std::mem::take(&mut self.teasers),
            std::mem::take(&mut self.actor_links),
            std::mem::take(&mut self.topic_links),
        )
    }

    pub fn site(&self) -> SiteContext {
        SiteContext {
            title: self.config.title.clone(),
            description: self.config.description.clone(),
            base_url: self.config.base_url.clone(),
            base_path: self.base_path.clone(),
            language: self.config.language.clone(),
            feed_url: format!("{}atom.xml", self.base_path),
            search: self.config.search,
        }
    }

    /// Site-absolute URL of a site path like `briefings/x/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Absolute URL of a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.origin_url(), self.url(path))
    }

    pub fn teaser(&self, b: usize) -> Teaser<'_> {
        let briefing = &self.archive.briefings[b];
        let text = self.teaser_text(b);
        Teaser {
            title: &briefing.title,
            url: &text.url,
            date: text.date.as_deref(),
            date_display: text.date_display.as_deref(),
            summary: &briefing.summary,
        }
    }

    /// Briefing `b`'s teaser, shared with every other page listing it.
    pub fn teaser_value(&self, b: usize) -> Shared {
        self.teaser_text(b).shared.clone()
    }

    fn teaser_text(&self, b: usize) -> &TeaserText {
        self.teasers[b].get_or_init(|| {
            let briefing = &self.archive.briefings[b];
            let url = self.url(&briefing_path(briefing));
            let date = briefing.date.map(|d| d.to_string());
            let date_display = briefing.date.map(display_date);
            let shared = Shared::of(&Teaser {
                title: &briefing.title,
                url: &url,
                date: date.as_deref(),
                date_display: date_display.as_deref(),
                summary: &briefing.summary,
            });
            TeaserText { url, date, date_display, shared }
        })
    }

    /// Actor `a` with how many briefings name it.
    pub fn actor_chip(&self, a: usize) -> Chip<'a> {
        Chip { count: Some(self.index.actors[a].briefings.len()), ..self.actor_link(a) }
    }

    /// Topic `t` with how many briefings name it.
    pub fn topic_chip(&self, t: usize) -> Chip<'a> {
        Chip { count: Some(self.index.topics[t].briefings.len()), ..self.topic_link(t) }
    }

    /// Actor `a` without a count, as a briefing page names it.
    pub fn actor_link(&self, a: usize) -> Chip<'a> {
        let entry = &self.index.actors[a];
        Chip {
            name: &entry.term.name,
            url: self.url(&format!("actors/{}/", entry.term.slug)),
            kind: entry.term.kind.map(|k| k.as_str()),
            count: None,
        }
    }

    /// [`Self::actor_link`], shared with every other page naming it.
    pub fn actor_link_value(&self, a: usize) -> Shared {
        self.actor_links[a].get_or_init(|| Shared::of(&self.actor_link(a))).clone()
    }

    /// [`Self::topic_link`], shared with every other page naming it.
    pub fn topic_link_value(&self, t: usize) -> Shared {
        self.topic_links[t].get_or_init(|| Shared::of(&self.topic_link(t))).clone()
    }

    /// Topic `t` without a count, as a briefing page names it.
    pub fn topic_link(&self, t: usize) -> Chip<'a> {
        let entry = &self.index.topics[t];
        Chip { name: &entry.term.name, url: self.url(&format!("topics/{}/", entry.term.slug)), kind: None, count: None }
    }
}

/// `n` places to fill later.
fn unset<T>(n: usize) -> Vec<OnceLock<T>> {
    std::iter::repeat_with(OnceLock::new).take(n).collect()
}

/// The site path of a briefing's page.
pub fn briefing_path(briefing: &Briefing) -> String {
    format!("briefings/{}/", briefing.slug)
}

/// `16 August 2025`.
pub fn display_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn teaser(title: &str) -> Shared {
        Shared::of(&Teaser { title, url: "/briefings/x/", date: Some("2025-01-02"), date_display: None, summary: "s" })
    }

    fn fingerprint(value: &impl Serialize) -> u64 {
        let mut hash = HashWriter::new();
        hash_context(&mut hash, value);
        hash.finish()
    }

    #[test]
    fn a_shared_piece_is_fingerprinted_by_its_content_and_given_whole_to_the_theme() {
        // Made twice, its maps may list their keys in other orders; the
        // fingerprint must not tell them apart.
        let same =
            (0..20).map(|_| fingerprint(&vec![teaser("A"), teaser("B")])).collect::<std::collections::BTreeSet<_>>();
        assert_eq!(same.len(), 1);
        assert_ne!(fingerprint(&vec![teaser("A")]), fingerprint(&vec![teaser("C")]));
        let mut context = tera::Context::new();
        context.insert("items", &vec![teaser("A")]);
        let html = tera::Tera::one_off(
            "{% for t in items %}{{ t.title }} {{ t.url }} {{ t.date }}{% endfor %}",
            &context,
            true,
        )
        .unwrap();
        assert_eq!(html, "A /briefings/x/ 2025-01-02");
    }
}
