//! One function per kind of page: data from the index → Tera context → HTML.

use super::context::*;
use super::{RenderedPage, Renderer};
use crate::error::Result;
use crate::link::TermEntry;
use crate::markdown::{BodyHtml, FoundMention, MarkdownOptions, has_code, render_markdown};
use crate::memo::{HashWriter, Memo};
use crate::model::ActorKind;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

/// The room a page is rendered into at first: a briefing page with a body
/// of a thousand words takes 12–15 KB, a home page 12 KB.
const PAGE_BYTES: usize = 16 * 1024;

impl<'a> Renderer<'a> {
    /// Renders `template` with `page` and `value` as `key` (none when `key`
    /// is empty). When rebuilding, a page whose data is what the previous
    /// build rendered is not rendered again.
    pub(super) fn render(
        &self,
        template: &str,
        output: String,
        page: PageMeta,
        key: &str,
        value: &impl Serialize,
    ) -> Result<RenderedPage> {
        if let Some(memo) = self.memo {
            // A page depends on exactly what its template receives: `site`
            // is the same for every page of a session, the rest is hashed.
            let mut hash = HashWriter::new();
            hash.update(template.as_bytes());
            hash.update(key.as_bytes());
            hash_context(&mut hash, &page);
            hash_context(&mut hash, value);
            if self.unchanged(memo, template, &output, hash.finish()) {
                return Ok(RenderedPage::unchanged(output));
            }
        }
        self.render_always(template, output, page, key, value)
    }

    /// Records `output`, made with `template` from data with fingerprint
    /// `data`, in the memo; true when the previous build made it from the
    /// same data with the same template.
    pub(super) fn unchanged(&self, memo: &Memo, template: &str, output: &str, data: u64) -> bool {
        memo.unchanged(output, data ^ self.theme.key(template).rotate_left(29))
    }

    /// Renders without consulting the memo.
    pub(super) fn render_always(
        &self,
        template: &str,
        output: String,
        page: PageMeta,
        key: &str,
        value: &impl Serialize,
    ) -> Result<RenderedPage> {
        let mut context = self.base_context.clone();
        context.insert("page", &page);
        if !key.is_empty() {
            context.insert(key.to_string(), value);
        }
        // Room for most pages at once: a page grown by doubling is copied
        // each time, and Tera's own `render` checks the whole page is UTF-8.
        let mut html = Vec::with_capacity(PAGE_BYTES);
        self.theme
            .tera
            .render_to(template, &context, &mut html)
            .map_err(|e| self.theme.render_error(&output, template, e))?;
        Ok(RenderedPage::new(output, html))
    }

    pub(super) fn meta(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        path: &str,
        feed: Option<String>,
    ) -> PageMeta {
        PageMeta {
            kind,
            title: title.to_string(),
            description: description.to_string(),
            url: self.cx.url(path),
            permalink: self.cx.permalink(path),
            feed_url: feed,
            code: false,
        }
    }

    /// The page of briefing `b`, whose body has been rendered already.
    pub fn briefing_page(&self, b: usize, body: &BodyHtml, body_key: u64) -> Result<RenderedPage> {
        let briefing = &self.cx.archive.briefings[b];
        let path = briefing_path(briefing);
        let output = format!("{path}index.html");
        if let Some(memo) = self.memo
            && self.unchanged(memo, "briefing.html", &output, self.briefing_inputs(b, body_key))
        {
            return Ok(RenderedPage::unchanged(output));
        }
        let (annotations, orphans) = self.annotation_contexts(b, &body.anchors, &body.notes);
        let links = &self.cx.index.briefings[b];
        let context = BriefingContext {
            title: &briefing.title,
            date: briefing.date.map(|d| d.to_string()),
            date_display: briefing.date.map(display_date),
            summary: &briefing.summary,
            body: &body.html,
            words: body.words,
            reading_minutes: body.words.div_ceil(220).max(1),
            source: briefing.source.as_ref(),
            actors: links.actors.iter().map(|&a| self.cx.actor_link_value(a)).collect(),
            topics: links.topics.iter().map(|&t| self.cx.topic_link_value(t)).collect(),
            related: self.cx.index.related(b).iter().map(|&r| self.cx.teaser_value(r)).collect(),
            older: links.older.map(|o| self.cx.teaser_value(o)),
            newer: links.newer.map(|n| self.cx.teaser_value(n)),
            annotations,
            orphans,
        };
        let mut meta = self.meta("briefing", &briefing.title, &briefing.summary, &path, None);
        meta.code = body.code || body.notes.iter().any(|n| has_code(n));
        self.render_always("briefing.html", output, meta, "briefing", &context)
    }

    /// The fingerprint of everything a briefing page is made from, taken
    /// from the inputs rather than from its built context: the briefing's
    /// own fields, its body (by `body_key`, which covers its notes), and the
    /// fields of every briefing and term it shows as a teaser or a chip.
    /// Everything else on the page derives from these.
    fn briefing_inputs(&self, b: usize, body_key: u64) -> u64 {
        let links = &self.cx.index.briefings[b];
        let mut hash = HashWriter::new();
        hash.update(&body_key.to_le_bytes());
        self.hash_teaser(&mut hash, b);
        let _ = serde_json::to_writer(&mut hash, &self.cx.archive.briefings[b].source);
        for (entries, ids) in [(&self.cx.index.actors, &links.actors[..]), (&self.cx.index.topics, &links.topics[..])] {
            hash_text(&mut hash, "|");
            for &id in ids {
                hash_link(&mut hash, &entries[id]);
            }
        }
        hash_text(&mut hash, "|");
        for &r in self.cx.index.related(b) {
            self.hash_teaser(&mut hash, r);
        }
        for neighbour in [links.older, links.newer] {
            hash_text(&mut hash, "|");
            if let Some(n) = neighbour {
                self.hash_teaser(&mut hash, n);
            }
        }
        hash.finish()
    }

    /// The fingerprint of everything page `pager.page` of an actor or topic
    /// is made from: the term (with its count) and what its pages' header
    /// shows of the profile (`header`), the page's place and briefings'
    /// teaser fields and (for actors) the mention quoted from each. The first
    /// page also shows the whole profile, the companions, and the chart of
    /// every briefing's date.
    fn term_inputs(&self, shown: &TermShown, pager: &Pager, range: std::ops::Range<usize>) -> u64 {
        let entry = shown.entry;
        let mut hash = HashWriter::new();
        hash_chip(&mut hash, entry);
        for alias in &entry.term.aliases {
            hash_text(&mut hash, alias);
        }
        hash.update(&pager.page.to_le_bytes());
        hash.update(&pager.pages.to_le_bytes());
        if pager.page > 1 {
            hash_text(&mut hash, &shown.header);
        } else {
            hash_text(&mut hash, &shown.profile);
            // Companions are actors, for topics too, counted by shared briefings.
            for &(c, n) in &entry.companions {
                hash_link(&mut hash, &self.cx.index.actors[c]);
                hash.update(&n.to_le_bytes());
            }
            for &b in &entry.briefings {
                let date = self.cx.archive.briefings[b].date;
                hash.update(&date.map_or(0, |d| d.to_epoch_days() + 1).to_le_bytes());
            }
            if let Some(periods) = &self.pictures.periods {
                hash_text(&mut hash, periods.granularity.as_str());
                hash_text(&mut hash, &periods.periods[0].key);
                hash.update(&periods.periods.len().to_le_bytes());
            }
        }
        hash_text(&mut hash, "|");
        for &b in &entry.briefings[range] {
            self.hash_teaser(&mut hash, b);
            if let Some((actor, mentions)) = shown.mentions
                && let Some(m) = self.mention_of(mentions, b, actor)
            {
                hash_text(&mut hash, m.block_id.as_deref().unwrap_or(""));
                hash_text(&mut hash, &m.excerpt);
            }
        }
        hash.finish()
    }

    pub(super) fn hash_teaser(&self, hash: &mut HashWriter, b: usize) {
        hash.update(&self.teaser_table()[b].to_le_bytes());
    }

    /// The pages of actor `a`; `bodies[b]` holds the mentions found in briefing `b`.
    pub fn actor_pages(&self, a: usize, bodies: &[Arc<BodyHtml>]) -> Result<Vec<RenderedPage>> {
        let entry = &self.cx.index.actors[a];
        let profile = entry.term.profile.map(|p| &self.cx.archive.actors[p]);
        let shown = TermShown {
            template: "actor.html",
            folder: "actors",
            entry,
            profile: format!("{profile:?}"),
            header: format!("{:?}", profile.map(|p| (&p.role, &p.description, &p.aliases))),
            mentions: Some((a, bodies)),
        };
        let description = profile
            .and_then(|p| p.description.clone())
            .unwrap_or_else(|| format!("Briefings naming {}", entry.term.name));
        self.term_pages(&shown, &description, |pager, range| TermContext {
            kind: entry.term.kind.map(ActorKind::as_str),
            role: profile.and_then(|p| p.role.as_deref()),
            description: profile.and_then(|p| p.description.as_deref()),
            aliases: profile.map_or(&[], |p| p.aliases.as_slice()),
            backlinks: entry.briefings[range]
                .iter()
                .map(|&b| self.backlink(b, self.mention_of(bodies, b, a)))
                .collect(),
            ..self.term_context(entry, pager, profile.map(|p| p.body.as_str()))
        })
    }

    /// The pages of topic `t`.
    pub fn topic_pages(&self, t: usize) -> Result<Vec<RenderedPage>> {
        let entry = &self.cx.index.topics[t];
        let profile = entry.term.profile.map(|p| &self.cx.archive.topics[p]);
        let shown = TermShown {
            template: "topic.html",
            folder: "topics",
            entry,
            profile: format!("{profile:?}"),
            header: format!("{:?}", profile.map(|p| (&p.description, &p.keywords))),
            mentions: None,
        };
        let description =
            profile.and_then(|p| p.description.clone()).unwrap_or_else(|| format!("Briefings on {}", entry.term.name));
        self.term_pages(&shown, &description, |pager, range| TermContext {
            description: profile.and_then(|p| p.description.as_deref()),
            aliases: profile.map_or(&[], |p| p.keywords.as_slice()),
            backlinks: entry.briefings[range].iter().map(|&b| self.backlink(b, None)).collect(),
            ..self.term_context(entry, pager, profile.map(|p| p.body.as_str()))
        })
    }

    /// A term's context for page `pager.page`, without its profile's
    /// fields but its text (`body`): the first page also has the text, the
    /// companions and the chart.
    fn term_context(&self, entry: &'a TermEntry, pager: Pager, body: Option<&str>) -> TermContext<'a> {
        let first = pager.page == 1;
        TermContext {
            name: &entry.term.name,
            kind: None,
            role: None,
            description: None,
            aliases: &[],
            body: body.filter(|_| first).map(|body| self.profile_body(body)).unwrap_or_default(),
            has_profile: body.is_some(),
            count: entry.briefings.len(),
            backlinks: Vec::new(),
            companions: if first { self.companion_chips(entry) } else { Vec::new() },
            chart: if first { self.term_chart(&entry.term.name, &entry.briefings) } else { None },
            pager,
        }
    }

    /// The pages of a term, `paginate_terms` briefings each, made side by
    /// side; `context` makes a page's context from its place and briefings.
    fn term_pages(
        &self,
        shown: &TermShown,
        description: &str,
        context: impl Fn(Pager, std::ops::Range<usize>) -> TermContext<'a> + Sync,
    ) -> Result<Vec<RenderedPage>> {
        use rayon::prelude::*;
        let entry = shown.entry;
        let base = format!("{}/{}/", shown.folder, entry.term.slug);
        let feed = Some(self.cx.url(&format!("{base}atom.xml")));
        let per_page = self.cx.config.paginate_terms;
        let count = entry.briefings.len();
        let pages = count.div_ceil(per_page).max(1);
        let kind = &shown.template[..shown.template.len() - ".html".len()];
        (1..=pages)
            .into_par_iter()
            .map(|page| {
                let path = paged_path(&base, page);
                let output = format!("{path}index.html");
                let pager = self.pager(&base, page, pages);
                let range = ((page - 1) * per_page).min(count)..(page * per_page).min(count);
                if let Some(memo) = self.memo
                    && self.unchanged(memo, shown.template, &output, self.term_inputs(shown, &pager, range.clone()))
                {
                    return Ok(RenderedPage::unchanged(output));
                }
                let context = context(pager, range);
                let title =
                    if page == 1 { entry.term.name.clone() } else { format!("{} — page {page}", entry.term.name) };
                let mut meta = self.meta(kind, &title, description, &path, feed.clone());
                meta.code = has_code(&context.body);
                self.render_always(shown.template, output, meta, "term", &context)
            })
            .collect()
    }

    /// Page `page` of `pages` under `base`, and its neighbours' addresses.
    fn pager(&self, base: &str, page: usize, pages: usize) -> Pager {
        Pager {
            page,
            pages,
            newer_url: (page > 1).then(|| self.cx.url(&paged_path(base, page - 1))),
            older_url: (page < pages).then(|| self.cx.url(&paged_path(base, page + 1))),
        }
    }

    /// The first mention of actor `actor` in briefing `b`, whose mentions
    /// name actors by their place among its own.
    fn mention_of<'m>(&self, bodies: &'m [Arc<BodyHtml>], b: usize, actor: usize) -> Option<&'m FoundMention> {
        let own = &self.cx.index.briefings[b].actors;
        bodies[b].mentions.iter().find(|m| own.get(m.actor) == Some(&actor))
    }

    fn backlink<'s>(&'s self, b: usize, mention: Option<&'s FoundMention>) -> Backlink<'s> {
        let teaser = self.cx.teaser(b);
        let (excerpt, passage_url) = match mention {
            Some(m) => (
                m.excerpt.as_str(),
                match &m.block_id {
                    Some(id) => Cow::Owned(format!("{}#{id}", teaser.url)),
                    None => Cow::Borrowed(teaser.url),
                },
            ),
            None => (teaser.summary, Cow::Borrowed(teaser.url)),
        };
        Backlink { briefing: self.cx.teaser_value(b), excerpt, passage_url }
    }

    fn profile_body(&self, body: &str) -> String {
        render_markdown(
            body,
            &MarkdownOptions { base_path: &self.cx.base_path, mentions: None, annotations: &[], block_ids: true },
        )
        .html
    }

    /// The index of every actor, grouped by kind.
    pub fn actors_page(&self) -> Result<RenderedPage> {
        let mut groups: Vec<ChipGroup> =
            ActorKind::ALL.iter().map(|kind| ChipGroup { label: kind.plural(), items: Vec::new() }).collect();
        let mut unsorted = ChipGroup { label: "Named in briefings, no profile yet", items: Vec::new() };
        for a in 0..self.cx.index.actors.len() {
            let chip = self.cx.actor_chip(a);
            match self.cx.index.actors[a].term.kind {
                Some(kind) => groups[ActorKind::ALL.iter().position(|k| *k == kind).expect("every kind is listed")]
                    .items
                    .push(chip),
                None => unsorted.items.push(chip),
            }
        }
        groups.push(unsorted);
        groups.retain(|g| !g.items.is_empty());
        for group in &mut groups {
            group.items.sort_by_key(|x| x.name.to_lowercase());
        }
        let meta = self.meta("actors", "Actors", "People, states and organisations in the archive", "actors/", None);
        self.render("actors.html", "actors/index.html".into(), meta, "groups", &groups)
    }

    /// The index of every topic.
    pub fn topics_page(&self) -> Result<RenderedPage> {
        #[derive(Serialize)]
        struct TopicItem<'b> {
            #[serde(flatten)]
            chip: Chip<'b>,
            description: Option<&'b str>,
        }
        let mut topics: Vec<TopicItem> = (0..self.cx.index.topics.len())
            .map(|t| TopicItem {
                chip: self.cx.topic_chip(t),
                description: self.cx.index.topics[t]
                    .term
                    .profile
                    .and_then(|p| self.cx.archive.topics[p].description.as_deref()),
            })
            .collect();
        topics.sort_by_key(|x| x.chip.name.to_lowercase());
        let meta = self.meta("topics", "Topics", "The subjects the archive's briefings cover", "topics/", None);
        self.render("topics.html", "topics/index.html".into(), meta, "topics", &topics)
    }

    /// The home timeline, split into pages of `paginate` briefings.
    pub fn home_pages(&self) -> Result<Vec<RenderedPage>> {
        use rayon::prelude::*;
        (1..=self.home_page_count()).into_par_iter().map(|page| self.home_page(page)).collect()
    }

    /// How many pages the home timeline has.
    pub fn home_page_count(&self) -> usize {
        self.cx.index.timeline.len().div_ceil(self.cx.config.paginate).max(1)
    }

    /// Page `page` (from 1) of the home timeline.
    pub fn home_page(&self, page: usize) -> Result<RenderedPage> {
        let per_page = self.cx.config.paginate;
        let timeline = &self.cx.index.timeline;
        let pages = self.home_page_count();
        let path = paged_path("", page);
        let chunk = &timeline[((page - 1) * per_page).min(timeline.len())..(page * per_page).min(timeline.len())];
        let output = format!("{path}index.html");
        if let Some(memo) = self.memo {
            // A home page shows its place among the pages and its briefings' teasers.
            let mut hash = HashWriter::new();
            hash.update(&page.to_le_bytes());
            hash.update(&pages.to_le_bytes());
            for &b in chunk {
                self.hash_teaser(&mut hash, b);
            }
            if self.unchanged(memo, "home.html", &output, hash.finish()) {
                return Ok(RenderedPage::unchanged(output));
            }
        }
        let listing = Listing { months: self.months(chunk), pager: self.pager("", page, pages) };
        let title =
            if page == 1 { self.cx.config.title.clone() } else { format!("{} — page {page}", self.cx.config.title) };
        let meta = self.meta("home", &title, &self.cx.config.description, &path, Some(self.cx.url("atom.xml")));
        self.render_always("home.html", output, meta, "listing", &listing)
    }

    fn months(&self, chunk: &[usize]) -> Vec<MonthGroup> {
        let mut months: Vec<MonthGroup> = Vec::new();
        for &b in chunk {
            let label = self.cx.archive.briefings[b]
                .date
                .map_or_else(|| "Undated".to_string(), |d| d.format("%B %Y").to_string());
            match months.last_mut() {
                Some(group) if group.label == label => group.items.push(self.cx.teaser_value(b)),
                _ => months.push(MonthGroup { label, items: vec![self.cx.teaser_value(b)] }),
            }
        }
        months
    }

    /// The page shown for unknown addresses.
    pub fn not_found_page(&self) -> Result<RenderedPage> {
        let meta = self.meta("404", "Page not found", "This page does not exist", "404.html", None);
        self.render("404.html", "404.html".into(), meta, "", &())
    }
}

/// A string into a fingerprint, ended so that fields cannot run together.
fn hash_text(hash: &mut HashWriter, text: &str) {
    hash.update(text.as_bytes());
    hash.update(b"\0");
}

/// What a chip of a term shows: its slug, name, kind and count.
fn hash_chip(hash: &mut HashWriter, entry: &TermEntry) {
    hash_link(hash, entry);
    hash.update(&entry.briefings.len().to_le_bytes());
}

/// What a chip without a count shows: its slug, name and kind.
fn hash_link(hash: &mut HashWriter, entry: &TermEntry) {
    hash_text(hash, entry.term.slug.as_str());
    hash_text(hash, &entry.term.name);
    hash_text(hash, entry.term.kind.map_or("", |k| k.as_str()));
}

/// What a term's pages are made from, beyond the index.
struct TermShown<'s> {
    template: &'static str,
    /// `actors` or `topics`.
    folder: &'static str,
    entry: &'s TermEntry,
    /// The whole profile, which the first page shows, as a fingerprint's text.
    profile: String,
    /// What the other pages show of it.
    header: String,
    /// For an actor: its index, and the mentions found in each briefing.
    mentions: Option<(usize, &'s [Arc<BodyHtml>])>,
}

/// The address of page `page` of a list whose first page is at `base`.
pub fn paged_path(base: &str, page: usize) -> String {
    if page == 1 { base.to_string() } else { format!("{base}page/{page}/") }
}
