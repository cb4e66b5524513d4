// English (Porter2) Snowball stemmer, a hand port of the version shipped in
// the Rust crate rust-stemmers 1.2.0, so that search terms stemmed in the
// browser match the index built on the server exactly.
//
// Vowels are a e i o u y. A 'y' that acts as a consonant (word-initial or
// after a vowel) is marked 'Y' while stemming and restored at the end.
// Regexes use the u flag so one "character" is one code point, as in the
// Rust code (which counts chars, not bytes); all suffixes are ASCII.

// Whole words with a fixed stem (checked before anything else).
const EXCEPTIONS = new Map(Object.entries({
  skis: 'ski', skies: 'sky', dying: 'die', lying: 'lie', tying: 'tie',
  idly: 'idl', gently: 'gentl', ugly: 'ugli', early: 'earli', only: 'onli',
  singly: 'singl',
  sky: 'sky', news: 'news', howe: 'howe', atlas: 'atlas', cosmos: 'cosmos',
  bias: 'bias', andes: 'andes',
}));

// Words left alone once Step 1a has run (e.g. "innings" -> "inning").
const INVARIANT_AFTER_1A = new Set([
  'inning', 'outing', 'canning', 'herring', 'earring',
  'proceed', 'exceed', 'succeed',
]);

// Prefixes whose end is taken as the start of R1.
const R1_PREFIX = /^(?:gener|commun|arsen)/;

// Suffix tables. A regex anchored at $ with these alternatives matches the
// longest suffix present, which is what Snowball's `among` picks; only that
// suffix is considered, even if its condition then fails.
const STEP2 = {
  tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent',
  izer: 'ize', ization: 'ize', ational: 'ate', ation: 'ate', ator: 'ate',
  alism: 'al', aliti: 'al', alli: 'al', fulness: 'ful', fulli: 'ful',
  ousli: 'ous', ousness: 'ous', iveness: 'ive', iviti: 'ive',
  biliti: 'ble', bli: 'ble', lessli: 'less',
  ogi: 'og', // only after 'l'
  li: '',    // only after a valid li-ending (c d e g h k m n r t)
};
const STEP3 = {
  tional: 'tion', ational: 'ate', alize: 'al', icate: 'ic', iciti: 'ic',
  ical: 'ic', ful: '', ness: '',
  ative: '', // only in R2
};
const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment',
  'ent', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
  'ion', // only after s or t
];
const suffixRe = (list) => new RegExp(`(?:${list.join('|')})$`);
const STEP2_RE = suffixRe(Object.keys(STEP2));
const STEP3_RE = suffixRe(Object.keys(STEP3));
const STEP4_RE = suffixRe(STEP4);
const STEP1B_RE = /(?:eed|eedly|ed|edly|ing|ingly)$/;

const VOWEL = /[aeiouy]/;
const VOWEL_THEN_CONSONANT = /[aeiouy][^aeiouy]/u;

// Short syllable at the end: consonant-vowel-consonant where the last
// consonant is not w, x or Y, or vowel-consonant making up the whole word.
const SHORT_SYLLABLE = /[^aeiouy][aeiouy][^aeiouywxY]$|^[aeiouy][^aeiouy]$/u;

const codePoints = (s) => [...s].length;

export function stem(word) {
  const exception = EXCEPTIONS.get(word);
  if (exception !== undefined) return exception;
  if (codePoints(word) < 3) return word;

  // Prelude: drop one leading apostrophe, mark consonant y's as Y.
  let s = word.replace(/^'/, '');
  let yFound = false;
  const markY = (_, before) => { yFound = true; return `${before}Y`; };
  s = s.replace(/^()y/, markY).replace(/([aeiouy])y/g, markY);

  // Regions: R1 starts after the first consonant that follows a vowel
  // (or after a special prefix), R2 likewise within R1. Positions are
  // indices into s; they stay valid because only the end of s changes.
  const regionAfter = (from) => {
    const m = VOWEL_THEN_CONSONANT.exec(s.slice(from));
    return m ? from + m.index + m[0].length : s.length;
  };
  const prefix = R1_PREFIX.exec(s);
  const p1 = prefix ? prefix[0].length : regionAfter(0);
  const p2 = regionAfter(p1);
  // Does the suffix sfx (known to end s) start inside R1 / R2?
  const inR1 = (sfx) => s.length - sfx.length >= p1;
  const inR2 = (sfx) => s.length - sfx.length >= p2;
  const chop = (sfx, repl = '') => s.slice(0, s.length - sfx.length) + repl;

  s = step1a(s);
  if (!INVARIANT_AFTER_1A.has(s)) {
    // Step 1b: -eed(ly) -> -ee in R1; -ed(ly), -ing(ly) go if a vowel
    // precedes them, then the stem is tidied up.
    let m = STEP1B_RE.exec(s);
    if (m && m[0].startsWith('ee')) {
      if (inR1(m[0])) s = chop(m[0], 'ee');
    } else if (m && VOWEL.test(chop(m[0]))) {
      s = chop(m[0]);
      if (/(?:at|bl|iz)$/.test(s)) s += 'e';
      else if (/(?:bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(s)) s = s.slice(0, -1);
      // "Short" word: R1 is empty and it ends in a short syllable (hop -> hope).
      else if (s.length === p1 && SHORT_SYLLABLE.test(s)) s += 'e';
    }

    // Step 1c: final y/Y -> i after a consonant that is not the first letter.
    s = s.replace(/^(.+[^aeiouy])[yY]$/su, '$1i');

    // Step 2: derivational suffixes in R1.
    m = STEP2_RE.exec(s);
    if (m && inR1(m[0])) {
      const sfx = m[0];
      if (sfx === 'ogi') { if (s.endsWith('logi')) s = chop(sfx, 'og'); }
      else if (sfx === 'li') { if (/[cdeghkmnrt]li$/.test(s)) s = chop(sfx); }
      else s = chop(sfx, STEP2[sfx]);
    }

    // Step 3: more suffixes in R1 (-ative only in R2).
    m = STEP3_RE.exec(s);
    if (m && inR1(m[0]) && (m[0] !== 'ative' || inR2(m[0]))) {
      s = chop(m[0], STEP3[m[0]]);
    }

    // Step 4: suffixes deleted in R2 (-ion only after s or t).
    m = STEP4_RE.exec(s);
    if (m && inR2(m[0]) && (m[0] !== 'ion' || /[st]ion$/.test(s))) {
      s = chop(m[0]);
    }

    // Step 5: final -e in R2, or in R1 unless after a short syllable;
    // final -l in R2 after another l.
    if (s.endsWith('e')) {
      if (inR2('e') || (inR1('e') && !SHORT_SYLLABLE.test(chop('e')))) s = chop('e');
    } else if (s.endsWith('ll') && inR2('l')) {
      s = chop('l');
    }
  }

  // Postlude: Y back to y (only if the prelude marked one).
  return yFound ? s.replace(/Y/g, 'y') : s;
}

// Step 1a: possessive apostrophes, then plural -s forms.
function step1a(s) {
  s = s.replace(/'(?:s'?)?$/, '');
  const m = /(?:sses|ied|ies|ss|us|s)$/.exec(s);
  if (!m) return s;
  const base = s.slice(0, s.length - m[0].length);
  switch (m[0]) {
    case 'sses': return `${base}ss`;
    // ties -> tie but cries -> cri: keep the e when only one letter precedes.
    case 'ied': case 'ies': return base + (codePoints(base) > 1 ? 'i' : 'ie');
    // gaps -> gap, gas -> gas: needs a vowel before the letter preceding s.
    case 's': return /[aeiouy].+$/su.test(base) ? base : s;
    default: return s; // -ss, -us stay
  }
}
