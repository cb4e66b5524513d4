// Search for the /search/ page: reads the index the build wrote under
// search/ (formats in src/search/index.rs), fetching only the chunks of the
// query's words, the facet files of its filters and the pages it shows.
import { words, normalize, isStopWord, stem, fnv1a, pairHash } from './search/text.js';

const root = new URL('./', import.meta.url);
const PAGE = 5;
const K1 = 1.2;
const SHOWN_VALUES = 6;
const FACETS = [
  ['kind', 'Kind'],
  ['year', 'Year'],
  ['topic', 'Topic'],
  ['actor', 'Actor'],
];

// Fetches, each once: a missing file (an empty shard) is null.
const fetched = new Map();
function load(path, as) {
  if (!fetched.has(path)) {
    fetched.set(
      path,
      fetch(new URL(path, root)).then((r) => (r.ok ? (as === 'json' ? r.json() : r.arrayBuffer().then((b) => new Uint8Array(b))) : null)),
    );
  }
  return fetched.get(path);
}

// A page's search file: a briefing's is named by its id, an actor's or
// topic's by its slug, found in a table fetched when one is shown.
async function loadDoc(meta, id) {
  if (id < meta.briefings) return load(`search/docs/${id}.json`, 'json');
  const table = await load('search/docs/terms.json', 'json');
  if (!table) return null;
  const n = id - meta.briefings;
  const actors = table.actors.length;
  const [folder, slug] = n < actors ? ['actors', table.actors[n]] : ['topics', table.topics[n - actors]];
  return slug ? load(`search/docs/${folder}/${slug}.json`, 'json') : null;
}

class Reader {
  constructor(bytes) {
    this.b = bytes;
    this.i = 0;
  }
  get more() {
    return this.i < this.b.length;
  }
  int() {
    let value = 0;
    let scale = 1;
    let byte;
    do {
      byte = this.b[this.i++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  }
  bytes() {
    const n = this.int();
    const out = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return out;
  }
}

const utf8 = new TextDecoder();

// A term chunk: stem → { forms, docs, weights }.
const chunks = new Map();
function chunk(name) {
  if (!chunks.has(name)) {
    chunks.set(
      name,
      load(`search/terms/${name}.bin`).then((bytes) => {
        const entries = new Map();
        const r = new Reader(bytes ?? new Uint8Array());
        while (r.more) {
          const stemBytes = r.bytes();
          const forms = [];
          for (let n = r.int(); n > 0; n--) {
            const shared = r.int();
            const rest = r.bytes();
            const form = new Uint8Array(shared + rest.length);
            form.set(stemBytes.subarray(0, shared));
            form.set(rest, shared);
            forms.push(utf8.decode(form));
          }
          const df = r.int();
          const docs = new Uint32Array(df);
          const weights = new Uint8Array(df);
          let doc = 0;
          for (let i = 0; i < df; i++) {
            doc += r.int();
            docs[i] = doc;
            weights[i] = r.b[r.i++];
          }
          entries.set(utf8.decode(stemBytes), { forms, docs, weights });
        }
        return entries;
      }),
    );
  }
  return chunks.get(name);
}

// A set of page ids, as a byte per page.
async function docSet(path, total) {
  const bytes = await load(path);
  const set = new Uint8Array(total);
  if (!bytes) return set;
  if (bytes[0] === 1) {
    for (let id = 0; id < total; id++) set[id] = (bytes[1 + (id >> 3)] >> (id & 7)) & 1;
  } else {
    const r = new Reader(bytes);
    r.i = 1;
    let id = 0;
    for (let first = true; r.more; first = false) {
      id = first ? r.int() : id + r.int();
      set[id] = 1;
    }
  }
  return set;
}

// Index of the chunk holding `term`: the last whose first stem is not after it.
function chunkIndex(meta, term) {
  let lo = 0;
  let hi = meta.chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (meta.chunks[mid][0] <= term) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const idf = (meta, df) => Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));

// Scores of the pages holding one query word: page → score.
async function wordScores(meta, word) {
  const scores = new Map();
  if (!meta.chunks.length) return scores;
  const add = (entry, factor) => {
    const w = idf(meta, entry.docs.length) * factor * (K1 + 1);
    for (let i = 0; i < entry.docs.length; i++) {
      const s = (w * entry.weights[i]) / 255;
      if (s > (scores.get(entry.docs[i]) ?? 0)) scores.set(entry.docs[i], s);
    }
  };
  const stemmed = stem(word.text);
  const exact = (await chunk(meta.chunks[chunkIndex(meta, stemmed)][1])).get(stemmed);
  if (exact) add(exact, 1);
  if (!word.prefix || [...word.text].length < 2) return scores;
  // Words being typed match as prefixes of the written forms. A form's stem
  // sorts at or just before the form, so the chunk before may hold it too.
  const at = chunkIndex(meta, word.text);
  const names = [];
  for (let i = Math.max(0, at - 1); i < meta.chunks.length && names.length < 4; i++) {
    if (i > at && !meta.chunks[i][0].startsWith(word.text)) break;
    names.push(meta.chunks[i][1]);
  }
  for (const entries of await Promise.all(names.map(chunk))) {
    for (const [s, entry] of entries) {
      if (s !== stemmed && entry.forms.some((f) => f.startsWith(word.text))) add(entry, 0.8);
    }
  }
  return scores;
}

// Pages where stem `a` is followed by stem `b` (stop words between allowed).
async function pairDocs(meta, a, b) {
  const hash = pairHash(fnv1a(a), fnv1a(b));
  const shard = meta.pair_bits ? hash >>> (32 - meta.pair_bits) : 0;
  const bytes = await load(`search/pairs/${meta.pair_bits}-${shard}.bin`);
  const docs = new Set();
  if (!bytes) return docs;
  const r = new Reader(bytes);
  let h = 0;
  while (r.more) {
    h += r.int();
    const df = r.int();
    let doc = 0;
    for (let i = 0; i < df; i++) {
      doc += r.int();
      if (h === hash) docs.add(doc);
    }
    if (h >= hash) break;
  }
  return docs;
}

// The query: words (the last one a prefix while typing) and "phrases".
export function parse(text, typing) {
  const parsed = { words: [], phrases: [] };
  const parts = text.split('"');
  parts.forEach((part, i) => {
    const quoted = i % 2 === 1 && i < parts.length - 1;
    const found = words(part).map((w) => normalize(w.raw)).filter(Boolean);
    if (quoted && found.length) parsed.phrases.push(found);
    for (const w of found) if (!isStopWord(w)) parsed.words.push({ text: w, prefix: false });
  });
  const last = parsed.words.at(-1);
  if (typing && last && /[\p{L}\p{N}]$/u.test(text)) last.prefix = true;
  return parsed;
}

// Ranked page ids matching every word, phrase and filter.
async function search(meta, query, filters) {
  let scores = null;
  for (const map of await Promise.all(query.words.map((w) => wordScores(meta, w)))) {
    if (!scores) {
      scores = map;
      continue;
    }
    const both = new Map();
    for (const [doc, s] of map) if (scores.has(doc)) both.set(doc, scores.get(doc) + s);
    scores = both;
  }
  for (const phrase of query.phrases) {
    const stems = phrase.filter((w) => !isStopWord(w)).map(stem);
    for (let i = 0; i + 1 < stems.length; i++) {
      const docs = await pairDocs(meta, stems[i], stems[i + 1]);
      if (scores) for (const doc of scores.keys()) if (!docs.has(doc)) scores.delete(doc);
    }
  }
  const sets = await Promise.all(filters.map(([facet, value]) => docSet(`search/facets/${facet}/${value}.bin`, meta.docs)));
  const keep = (doc) => sets.every((set) => set[doc]);
  if (!scores) {
    // Filters alone: every page they select, in id order.
    if (!sets.length) return [];
    const all = [];
    for (let doc = 0; doc < meta.docs; doc++) if (keep(doc)) all.push([doc, 0]);
    return all;
  }
  return [...scores].filter(([doc]) => keep(doc)).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// Does a written word match the query? Same stem, or a typed prefix.
function matcher(query) {
  const stems = new Set(query.words.map((w) => stem(w.text)));
  const prefixes = query.words.filter((w) => w.prefix).map((w) => w.text);
  return (raw) => {
    const word = normalize(raw);
    return !!word && !isStopWord(word) && (stems.has(stem(word)) || prefixes.some((p) => word.startsWith(p)));
  };
}

// `text` with matching words marked, HTML-escaped.
function highlight(text, matches) {
  let out = '';
  let at = 0;
  for (const w of words(text)) {
    if (!matches(w.raw)) continue;
    out += escape(text.slice(at, w.index)) + '<mark>' + escape(w.raw) + '</mark>';
    at = w.index + w.raw.length;
  }
  return out + escape(text.slice(at));
}

// The stretch of about 30 words with the most distinct matches.
function excerpt(text, matches) {
  const all = words(text);
  const hits = all.filter((w) => matches(w.raw));
  if (!hits.length) return null;
  let best = hits[0];
  let bestCount = 0;
  for (const hit of hits) {
    const seen = new Set(hits.filter((h) => h.position >= hit.position && h.position < hit.position + 30).map((h) => stem(normalize(h.raw))));
    if (seen.size > bestCount) [best, bestCount] = [hit, seen.size];
  }
  const from = all[Math.max(0, best.position - 8)];
  const to = all[Math.min(all.length - 1, best.position + 30)];
  let start = from.index;
  const lineStart = text.lastIndexOf('\n', best.index) + 1;
  if (lineStart > start) start = lineStart;
  let end = to.index + to.raw.length;
  const lineEnd = text.indexOf('\n', best.index);
  if (lineEnd !== -1 && lineEnd < end) end = lineEnd;
  const cut = text.slice(start, end).replace(/\s+/g, ' ');
  return (start > 0 ? '… ' : '') + highlight(cut, matches) + (end < text.length ? ' …' : '');
}

// Whether `doc` holds the phrase word for word (stop words included).
function holdsPhrase(doc, phrase) {
  const seq = [doc.t, doc.s, doc.x].flatMap((t) => words(t ?? '').map((w) => normalize(w.raw)));
  const stems = seq.map((w) => stem(w));
  const want = phrase.map((w) => stem(w));
  outer: for (let i = 0; i + want.length <= stems.length; i++) {
    for (let j = 0; j < want.length; j++) if (stems[i + j] !== want[j]) continue outer;
    return true;
  }
  return false;
}

const dateFormat = new Intl.DateTimeFormat(document.documentElement.lang || 'en', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

class SearchPage {
  constructor(meta) {
    this.meta = meta;
    this.form = document.getElementById('search-form');
    this.input = document.getElementById('search-q');
    this.filtersBox = document.getElementById('search-filters');
    this.status = document.getElementById('search-status');
    this.list = document.getElementById('search-results');
    this.more = document.getElementById('search-more');
    this.expanded = new Set();
    this.run = 0;
    this.readUrl();
    this.input.addEventListener('input', () => this.update(true));
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.input.value = '';
        this.update(false);
      }
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.update(false);
      this.list.querySelector('a')?.focus();
    });
    this.filtersBox.addEventListener('change', (e) => {
      const box = e.target;
      if (box.name) {
        const key = `${box.name}=${box.value}`;
        box.checked ? this.selected.add(key) : this.selected.delete(key);
        this.update(false);
      }
    });
    this.more.addEventListener('click', () => this.showMore());
    window.addEventListener('popstate', () => {
      this.readUrl();
      this.update(false, true);
    });
    this.update(false, true);
  }

  readUrl() {
    const params = new URLSearchParams(location.search);
    this.input.value = params.get('q') ?? '';
    this.selected = new Set();
    for (const [facet] of FACETS) for (const v of params.getAll(facet)) this.selected.add(`${facet}=${v}`);
  }

  writeUrl(replace) {
    const params = new URLSearchParams();
    if (this.input.value.trim()) params.set('q', this.input.value.trim());
    for (const [facet] of FACETS) for (const key of this.selected) if (key.startsWith(`${facet}=`)) params.append(facet, key.slice(facet.length + 1));
    const url = `${location.pathname}${params.size ? `?${params}` : ''}`;
    if (url !== `${location.pathname}${location.search}`) history[replace ? 'replaceState' : 'pushState'](null, '', url);
  }

  filters() {
    return [...this.selected].map((key) => key.split(/=(.*)/s).slice(0, 2));
  }

  async update(typing, fromUrl) {
    const run = ++this.run;
    if (!fromUrl) this.writeUrl(typing);
    const text = this.input.value;
    this.query = parse(text, typing);
    const empty = !this.query.words.length && !this.selected.size;
    const started = performance.now();
    const results = empty ? [] : await search(this.meta, this.query, this.filters());
    if (run !== this.run) return;
    this.results = results;
    this.shown = 0;
    this.list.replaceChildren();
    await this.renderFilters(empty ? null : results, run);
    if (run !== this.run) return;
    if (empty) {
      this.status.textContent = text.trim() ? 'Type a word that is not a common one such as “the”.' : '';
      this.more.hidden = true;
      return;
    }
    await this.showMore(run);
    if (run !== this.run) return;
    const n = this.results.length;
    this.status.textContent = n ? `${n} ${n === 1 ? 'result' : 'results'}` : 'No results. Try fewer words or filters.';
    this.list.dataset.ms = Math.round(performance.now() - started);
  }

  async showMore(run = this.run) {
    const next = [];
    // Phrases are checked word for word on the pages shown; a page that
    // only has the words apart is dropped.
    while (next.length < PAGE && this.shown < this.results.length) {
      const batch = this.results.slice(this.shown, this.shown + PAGE - next.length);
      this.shown += batch.length;
      const docs = await Promise.all(batch.map(([id]) => loadDoc(this.meta, id)));
      if (run !== this.run) return;
      batch.forEach(([id], i) => {
        const doc = docs[i];
        if (!doc) return;
        if (this.query.phrases.every((p) => holdsPhrase(doc, p))) next.push([id, doc]);
        else this.results.splice(this.results.findIndex(([d]) => d === id), 1), this.shown--;
      });
    }
    const matches = matcher(this.query);
    for (const [id, doc] of next) this.list.append(this.result(id, doc, matches));
    this.more.hidden = this.shown >= this.results.length;
  }

  result(id, doc, matches) {
    const li = document.createElement('li');
    li.className = 'search-result';
    li.dataset.doc = id;
    const kind = { briefing: 'Briefing', actor: 'Actor', topic: 'Topic' }[doc.k];
    const date = doc.d ? `<time datetime="${doc.d}">${dateFormat.format(new Date(doc.d))}</time>` : '';
    const text = excerpt(doc.x ?? '', matches) ?? excerpt(doc.s ?? '', matches) ?? escape(doc.s ?? '');
    const chips = (facet, terms) =>
      terms
        .filter(() => facet !== doc.k)
        .map(([slug, name]) => `<li><a class="chip" href="${escape(new URL(`${facet}s/${slug}/`, root).pathname)}">${escape(name)}</a></li>`)
        .join('');
    const chipList = chips('actor', doc.a ?? []) + chips('topic', doc.o ?? []);
    li.innerHTML =
      `<h2 class="result-title"><a href="${escape(doc.u)}">${highlight(doc.t, matches)}</a></h2>` +
      `<p class="meta">${kind}${date ? ' · ' + date : ''}</p>` +
      (text ? `<p class="result-excerpt">${text}</p>` : '') +
      (chipList ? `<ul class="chips" aria-label="Filed under">${chipList}</ul>` : '');
    return li;
  }

  // Filter chips: each value with how many results it has (or pages, with
  // no query). Counting needs a value's file, so only the most common
  // values of a facet are counted until the reader asks for all. The index
  // lists only those; the whole list of a facet is fetched when needed.
  async renderFilters(results, run) {
    const groups = [];
    for (const [facet, label] of FACETS) {
      const listed = this.meta.facets[facet] ?? [];
      const count = this.meta.facet_values?.[facet] ?? listed.length;
      if (!count || (facet === 'kind' && count < 2)) continue;
      const all = this.expanded.has(facet) || count <= SHOWN_VALUES + 2;
      const unlisted = [...this.selected].some((key) => key.startsWith(`${facet}=`) && !listed.some((v) => key === `${facet}=${v[0]}`));
      const values = count > listed.length && (all || unlisted) ? ((await load(`search/facets/${facet}.json`, 'json')) ?? listed) : listed;
      const shown = values.filter((v, i) => all || i < SHOWN_VALUES || this.selected.has(`${facet}=${v[0]}`));
      const counts = await Promise.all(
        shown.map(async ([value, , total]) => {
          if (!results) return total;
          const set = await docSet(`search/facets/${facet}/${value}.bin`, this.meta.docs);
          let n = 0;
          for (const [doc] of results) n += set[doc];
          return n;
        }),
      );
      groups.push({ facet, label, values: shown, counts, hidden: count - shown.length });
    }
    if (run !== this.run) return;
    const focused = document.activeElement?.closest?.('#search-filters') ? document.activeElement.id : null;
    this.filtersBox.innerHTML = groups
      .map(({ facet, label, values, counts, hidden }) => {
        const chips = values
          .map(([value, name], i) => {
            const id = `f-${facet}-${value}`;
            const checked = this.selected.has(`${facet}=${value}`);
            const dim = !checked && counts[i] === 0 ? ' class="none"' : '';
            return `<li${dim}><input type="checkbox" id="${escape(id)}" name="${facet}" value="${escape(value)}"${checked ? ' checked' : ''}><label for="${escape(id)}">${escape(name)} <span class="count">${counts[i]}</span></label></li>`;
          })
          .join('');
        const more = hidden ? `<button type="button" class="facet-more" data-facet="${facet}">All ${hidden + values.length}</button>` : '';
        return `<fieldset class="facet"><legend>${label}</legend><ul class="facet-values">${chips}</ul>${more}</fieldset>`;
      })
      .join('');
    for (const button of this.filtersBox.querySelectorAll('.facet-more')) {
      button.addEventListener('click', () => {
        this.expanded.add(button.dataset.facet);
        this.renderFilters(this.query.words.length || this.selected.size ? this.results : null, this.run);
      });
    }
    if (focused) document.getElementById(focused)?.focus();
  }
}

const form = document.getElementById('search-form');
if (form) {
  load('search/index.json', 'json').then((meta) => {
    if (meta) new SearchPage(meta);
    else document.getElementById('search-status').textContent = 'The search index is missing.';
  });
}
