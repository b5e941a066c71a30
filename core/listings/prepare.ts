import { createHash } from 'node:crypto';
import { isLanguage, type Language } from '../domain/languages.js';
import type { ListingInput } from '../domain/listing.js';
import type { Sector } from '../domain/sectors.js';
import type { Glossary } from '../glossary/glossary.js';
import { detectLanguage } from '../text/detect-language.js';
import { splitPassages } from '../text/passages.js';
import { tokenize } from '../text/segment.js';

/** A listing ready to be written: language and sectors settled, concepts found, passages split and indexed. */
export interface PreparedListing {
  input: ListingInput & { language: Language; sectors: Sector[] };
  concepts: string[];
  contentHash: string;
  passages: PreparedPassage[];
}

export interface PreparedPassage {
  text: string;
  /** tsvector literal (terms with positions, title weighted A). */
  lexemes: string;
  /** What the embedding model reads: title and passage. */
  embeddingText: string;
}

/** tsvector limits: positions up to 16,383, at most 256 positions kept per lexeme. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_TERM = 255;

function quoteLexeme(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * Builds a tsvector literal from already segmented terms. Doing this in the application (rather than with
 * `to_tsvector`) keeps Thai, Khmer, Lao, Burmese and Chinese words whole whatever the server's locale, and
 * gives PGlite and PostgreSQL identical indexes.
 */
export function tsvectorLiteral(titleTerms: string[], bodyTerms: string[]): string {
  const positions = new Map<string, string[]>();
  let position = 1;
  const add = (terms: string[], weight: 'A' | '') => {
    for (const term of terms) {
      if (position > MAX_POSITION) return;
      const list = positions.get(term) ?? [];
      if (list.length < MAX_POSITIONS_PER_TERM) list.push(`${position}${weight}`);
      positions.set(term, list);
      position++;
    }
  };
  add(titleTerms, 'A');
  add(bodyTerms, '');
  return [...positions.entries()].map(([term, list]) => `${quoteLexeme(term)}:${list.join(',')}`).join(' ');
}

/** tsquery literal matching any of the terms. */
export function anyTermQuery(terms: string[]): string {
  return terms.map(quoteLexeme).join(' | ');
}

export function segmentationLocale(language: Language): string {
  return language === 'fil' ? 'tl' : language;
}

/** The hash that decides whether a re-ingested record changed: every stored field, canonical order. */
export function contentHash(input: ListingInput): string {
  const canonical = JSON.stringify(input, Object.keys(input).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

export function resolveLanguage(input: ListingInput): Language {
  if (input.language && isLanguage(input.language)) return input.language;
  return detectLanguage(`${input.title}. ${input.summary}`)?.language ?? 'en';
}

/**
 * Settles language and sectors, finds glossary concepts and splits the text into indexed passages.
 * Deterministic and free of I/O: embedding happens later, in batches.
 */
export function prepareListing(input: ListingInput, glossary: Glossary, fallbackSectors: Sector[] = []): PreparedListing {
  const hash = contentHash(input);
  const language = resolveLanguage(input);
  const fullText = `${input.title}. ${input.summary}`;
  const concepts = glossary.conceptIds(fullText, language).sort();
  let sectors = input.sectors && input.sectors.length > 0 ? input.sectors : fallbackSectors;
  if (sectors.length === 0) {
    const suggested = glossary.sectorsFor(concepts);
    const top = suggested[0]?.support ?? 0;
    sectors = suggested.filter((entry) => entry.support >= top * 0.6).slice(0, 2).map((entry) => entry.sector);
  }
  const locale = segmentationLocale(language);
  const titleTerms = tokenize(input.title, locale).map((token) => token.term);
  const passages = splitPassages(input.summary).map((text) => ({
    text,
    lexemes: tsvectorLiteral(titleTerms, tokenize(text, locale).map((token) => token.term)),
    embeddingText: `${input.title}. ${text}`,
  }));
  if (passages.length === 0) {
    passages.push({ text: input.title, lexemes: tsvectorLiteral(titleTerms, []), embeddingText: input.title });
  }
  return { input: { ...input, language, sectors: [...new Set(sectors)] }, concepts, contentHash: hash, passages };
}
