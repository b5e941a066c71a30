import { AhoCorasick } from '../glossary/aho-corasick.js';

/**
 * Finds known phrases (command words, country names, refinement words…) in chat text of any of our
 * languages and reports where they are in the *original* text, so callers can cut them out
 * ("water filter, only Vietnam" → "water filter"). One job: phrase spotting with positions.
 *
 * Matching form: NFKC, lowercase, native digits (Thai ๖, Lao ໖, Khmer ៦, Burmese ၆) as ASCII. A second
 * form also folds Latin diacritics ("chi viet nam" meets "chỉ Việt Nam"); phrases that would become
 * ambiguous when folded (Vietnamese "mua" buy / "mùa" season) are marked `exact` and match unfolded only.
 * Phrases containing a letter of a spaced script (Latin…) or a digit match whole words; Thai, Lao, Khmer,
 * Burmese and Chinese phrases match as substrings, as those scripts do not separate words.
 */

/** NFKC splits Thai SARA AM and Lao AM; put them back (same fix as core/text/normalize.ts). */
function nfkc(text: string): string {
  return text.normalize('NFKC').replace(/\u0E4D\u0E32/g, '\u0E33').replace(/\u0ECD\u0EB2/g, '\u0EB3');
}

const DIGIT_ZEROS = [0x0e50, 0x0ed0, 0x17e0, 0x1040, 0x1090, 0x0660, 0x06f0, 0x0966];
const LATIN = /\p{Script=Latin}/u;
const COMBINING = /\p{M}/gu;

function asciiDigit(char: string): string {
  const code = char.codePointAt(0)!;
  for (const zero of DIGIT_ZEROS) if (code >= zero && code <= zero + 9) return String(code - zero);
  return char;
}

function foldChar(char: string): string {
  if (!LATIN.test(char)) return char;
  return char.normalize('NFD').replace(COMBINING, '').replace('đ', 'd').normalize('NFC');
}

/** A text in matching form, each form character pointing back to the base character it came from. */
export interface MappedText {
  /** Code points of the NFKC text (what spans index and what `cut` returns pieces of). */
  base: string[];
  /** Code points of the matching form. */
  chars: string[];
  /** For each form code point, the index of its base code point. */
  origin: number[];
}

export function baseText(text: string): string {
  return nfkc(text);
}

const UNSPACED_CHAR = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Han}]/u;
const SPACE = /\s/u;

/**
 * Spaces between two characters of Thai, Lao, Khmer, Burmese or Chinese are left out of the matching
 * form: writers of those scripts space phrases, not words, and not consistently ("ရေစစ်စက် လိုအပ်").
 */
function skippableSpaces(base: string[]): Uint8Array {
  const skip = new Uint8Array(base.length);
  let index = 0;
  while (index < base.length) {
    if (!SPACE.test(base[index]!)) {
      index++;
      continue;
    }
    let end = index;
    while (end < base.length && SPACE.test(base[end]!)) end++;
    if (index > 0 && UNSPACED_CHAR.test(base[index - 1]!) && end < base.length && UNSPACED_CHAR.test(base[end]!)) {
      for (let i = index; i < end; i++) skip[i] = 1;
    } else if (index > 0 && /\p{M}/u.test(base[index - 1]!) && end < base.length && UNSPACED_CHAR.test(base[end]!)) {
      // A syllable ending in a mark (Burmese "့", Thai "่") before a space.
      let back = index - 1;
      while (back > 0 && /\p{M}/u.test(base[back]!)) back--;
      if (UNSPACED_CHAR.test(base[back]!)) for (let i = index; i < end; i++) skip[i] = 1;
    }
    index = end;
  }
  return skip;
}

export function mapText(text: string, fold: boolean): MappedText {
  const base = [...nfkc(text)];
  const chars: string[] = [];
  const origin: number[] = [];
  const skip = skippableSpaces(base);
  base.forEach((char, index) => {
    if (skip[index]) return;
    for (const lower of char.toLowerCase()) {
      const digit = asciiDigit(lower);
      const piece = fold ? foldChar(digit) : digit;
      for (const out of piece) {
        chars.push(out);
        origin.push(index);
      }
    }
  });
  return { base, chars, origin };
}

/** The matching form of a phrase (what `mapText` produces for it). */
export function phraseForm(phrase: string, fold: boolean): string {
  return mapText(phrase, fold).chars.join('');
}

/** Letters and digits of scripts written with spaces between words: a phrase in them must match whole words. */
const SPACED_WORD_CHAR = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]/u;
const WORD_TAIL = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}\p{M}]/u;

export interface Span {
  /** Base code point offsets, end exclusive. */
  start: number;
  end: number;
}

export interface PhraseHit<T> extends Span {
  value: T;
  phrase: string;
}

export interface PhraseEntry<T> {
  phrase: string;
  value: T;
  /** Match only with diacritics as written (no Latin folding). */
  exact?: boolean;
}

interface Stored<T> {
  value: T;
  phrase: string;
  bounded: boolean;
}

export class PhraseMatcher<T> {
  private readonly plain = new AhoCorasick<Stored<T>>();
  private readonly folded = new AhoCorasick<Stored<T>>();
  private hasFolded = false;

  constructor(entries: Iterable<PhraseEntry<T>>) {
    for (const entry of entries) {
      const form = phraseForm(entry.phrase, false).trim();
      if (!form) continue;
      const bounded = SPACED_WORD_CHAR.test(form);
      this.plain.add(form, { value: entry.value, phrase: entry.phrase, bounded });
      if (!entry.exact) {
        const foldedForm = phraseForm(entry.phrase, true).trim();
        if (foldedForm !== form || LATIN.test(form)) {
          this.folded.add(foldedForm, { value: entry.value, phrase: entry.phrase, bounded });
          this.hasFolded = true;
        }
      }
    }
    this.plain.build();
    this.folded.build();
  }

  /** Every occurrence, overlapping ones included, in base positions. */
  all(text: string): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    const seen = new Set<string>();
    const run = (matcher: AhoCorasick<Stored<T>>, mapped: MappedText) => {
      for (const hit of matcher.search(mapped.chars.join(''))) {
        if (!isBounded(mapped.chars, hit.start, hit.end, hit.value.bounded)) continue;
        const start = mapped.origin[hit.start]!;
        const end = mapped.origin[hit.end - 1]! + 1;
        const key = `${start}:${end}:${hit.value.phrase}`;
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push({ start, end, value: hit.value.value, phrase: hit.value.phrase });
      }
    };
    run(this.plain, mapText(text, false));
    if (this.hasFolded && LATIN.test(text)) run(this.folded, mapText(text, true));
    return hits;
  }

  /** Non-overlapping occurrences, longest first where they overlap, in text order. */
  find(text: string): PhraseHit<T>[] {
    return nonOverlapping(this.all(text));
  }
}

/**
 * Whole words for spaced scripts; for every script, a match may not end before a combining mark, which
 * would mean the last letter belongs to a longer syllable (Khmer "បង" in "បង់", "ចិន" in "ចិន្តា").
 */
function isBounded(chars: string[], start: number, end: number, bounded: boolean): boolean {
  const after = chars[end];
  if (after !== undefined && /\p{M}/u.test(after) && !/\p{M}/u.test(chars[end - 1] ?? '')) return false;
  if (after !== undefined && /\p{M}/u.test(after) && /[\u17D2\u1039\u103A]/u.test(after)) return false;
  if (!bounded) return true;
  const before = chars[start - 1];
  const first = chars[start] ?? '';
  if (before !== undefined && SPACED_WORD_CHAR.test(before) && SPACED_WORD_CHAR.test(first)) return false;
  const last = chars[end - 1] ?? '';
  if (after !== undefined && SPACED_WORD_CHAR.test(last) && WORD_TAIL.test(after)) return false;
  return true;
}

/** Keeps the longest of overlapping spans (earliest on a tie); result in text order. */
export function nonOverlapping<S extends Span>(hits: S[]): S[] {
  if (hits.length === 0) return [];
  const sorted = [...hits].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const used = new Uint8Array(hits.reduce((max, hit) => Math.max(max, hit.end), 0) + 1);
  const taken: S[] = [];
  for (const hit of sorted) {
    let free = true;
    for (let i = hit.start; i < hit.end && free; i++) if (used[i]) free = false;
    if (!free) continue;
    used.fill(1, hit.start, hit.end);
    taken.push(hit);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** Converts a UTF-16 index in a string to a code point index. */
export function codePointIndex(text: string, unitIndex: number): number {
  let count = 0;
  for (let i = 0; i < unitIndex && i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) i++;
    count++;
  }
  return count;
}

/**
 * Runs a regular expression (with the `g` flag) over the plain matching form and reports spans in base
 * positions; used for patterns such as "TRL 6+" that a phrase list cannot express.
 */
export function regexSpans(text: string, pattern: RegExp, fold = false): Array<Span & { match: RegExpExecArray }> {
  const mapped = mapText(text, fold);
  const form = mapped.chars.join('');
  const spans: Array<Span & { match: RegExpExecArray }> = [];
  pattern.lastIndex = 0;
  for (let match = pattern.exec(form); match; match = pattern.exec(form)) {
    if (match[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    const startCp = codePointIndex(form, match.index);
    const endCp = codePointIndex(form, match.index + match[0].length);
    spans.push({ start: mapped.origin[startCp]!, end: mapped.origin[endCp - 1]! + 1, match });
  }
  return spans;
}

const TRAILING_JUNK = /^[\s,;:.!?、，。；：！？·\-–—/|&+၊။។]+|[\s,;:、，；：·\-–—/|&+၊။។]+$/gu;

/** The base text with the spans removed, whitespace and stray punctuation tidied. */
export function cut(text: string, spans: Span[]): string {
  const base = [...nfkc(text)];
  const remove = new Uint8Array(base.length);
  for (const span of spans) for (let i = Math.max(0, span.start); i < Math.min(base.length, span.end); i++) remove[i] = 1;
  const kept = base.map((char, index) => (remove[index] ? ' ' : char)).join('');
  return kept
    .replace(/[ \t]+/g, ' ')
    .replace(/ ([,;:.!?，。；：！？၊။])/g, '$1')
    .replace(/([,;:，；：、၊])(\s*[,;:，；：、၊])+/g, '$1')
    .replace(/\(\s*\)/g, '')
    .replace(TRAILING_JUNK, '')
    .trim();
}
