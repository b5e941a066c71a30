import { foldLatinToken, matchForm } from './normalize.js';

const segmenters = new Map<string, Intl.Segmenter>();

function wordSegmenter(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'word' });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/** Scripts written without spaces between words; ICU's dictionary segmenter splits them. */
const UNSPACED = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Han}]/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

export interface Token {
  /** The matching form (normalised, Latin diacritics folded, plural folded). */
  term: string;
  /** 0-based position among the word tokens of the text. */
  position: number;
}

/**
 * Splits text of any of our languages into word tokens with ICU's word segmenter (dictionary-based for
 * Thai, Lao, Khmer, Burmese and Chinese), in matching form. Punctuation and spaces are dropped.
 */
export function tokenize(text: string, locale = 'und'): Token[] {
  const normalised = matchForm(text);
  const tokens: Token[] = [];
  let position = 0;
  for (const segment of wordSegmenter(locale).segment(normalised)) {
    const piece = segment.segment;
    if (!HAS_LETTER_OR_DIGIT.test(piece)) continue;
    if (segment.isWordLike === false && !UNSPACED.test(piece)) continue;
    const term = foldLatinToken(piece);
    if (term.length > 200) continue;
    tokens.push({ term, position: position++ });
  }
  return tokens;
}

/** Distinct terms of a text, in first-seen order. */
export function terms(text: string, locale = 'und'): string[] {
  return [...new Set(tokenize(text, locale).map((token) => token.term))];
}

export function hasUnspacedScript(text: string): boolean {
  return UNSPACED.test(text);
}
