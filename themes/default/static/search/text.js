// The build's text normalisation (src/search/text.rs), repeated so that a
// query finds what was indexed: UAX #29 words, lowercase without
// diacritics, stop words out, Snowball English stems.
import { stem } from './stem.js';

export { stem };

export const MAX_WORD_CHARS = 40;

export const STOP_WORDS = new Set(
  'a about after all also an and any are as at be been before being between both but by can could did do does each for from had has have he her his how i if in into is it its just may more most no not of on one only or other our out over she should so some such than that the their them then there these they this those through to under up very was we were what when where which while who will with would you your'.split(' '),
);

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });

// The word segments of `text`: { raw, index (in text), position (among
// words) }. Split again at full stops and colons, as the build does.
export function words(text) {
  const out = [];
  for (const s of segmenter.segment(text)) {
    if (!s.isWordLike) continue;
    let at = s.index;
    for (const raw of s.segment.split(/[.:]/)) {
      if (/[\p{Alphabetic}\p{N}]/u.test(raw) && [...raw].length <= MAX_WORD_CHARS) out.push({ raw, index: at, position: out.length });
      at += raw.length + 1;
    }
  }
  return out;
}

export function normalize(word) {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase()
    .replace(/^'+|'+$/g, '');
}

export const isStopWord = (word) => STOP_WORDS.has(word);

// The index terms of a text: what the build's `terms` gives.
export function terms(text) {
  const out = [];
  for (const w of words(text)) {
    const word = normalize(w.raw);
    if (word && !isStopWord(word)) out.push(stem(word));
  }
  return out;
}

// 32-bit FNV-1a over UTF-8, and the key of two stems in a row (phrases).
const utf8 = new TextEncoder();
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of utf8.encode(text)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}
export const pairHash = (first, second) => (Math.imul(first, 0x9e3779b1) ^ second) >>> 0;
