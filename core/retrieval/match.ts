import type { Language } from '../domain/languages.js';
import type { ListingKind, PublicListing } from '../domain/listing.js';
import type { DenseEncoder } from '../embeddings/provider.js';
import type { Glossary } from '../glossary/glossary.js';
import { segmentationLocale } from '../listings/prepare.js';
import type { ConceptHit, ListingFilter, ListingStore, PassageHit } from '../store/listing-store.js';
import { detectLanguage } from '../text/detect-language.js';
import { terms as textTerms } from '../text/segment.js';
import { FUSION, fuseRankings, RETRIEVAL, type Signal } from './fusion.js';
import { isStopword } from './stopwords.js';

export const MATCH_MODES = ['hybrid', 'dense', 'lexical', 'concept'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

export interface MatchOptions {
  kinds?: ListingKind[];
  countries?: string[];
  sectors?: string[];
  minTrl?: number;
  limit?: number;
  offset?: number;
  mode?: MatchMode;
  /** Language of the query; detected when absent. */
  language?: Language;
  excludeIds?: number[];
}

export interface MatchReasons {
  /** Query words found in the listing's matching passage. */
  sharedTerms: string[];
  /** Glossary concepts the query and listing share, labelled in the query's language. */
  sharedConcepts: Array<{ id: string; label: string }>;
  /** Sectors of the listing that the query's concepts point to. */
  sectorFit: string[];
  /** True when the caller filtered by country and the listing is from one of those countries. */
  countryFit: boolean;
}

export interface MatchResult {
  listing: PublicListing;
  /** Fused relevance in 0..1 (1 = ranked first by every active signal). */
  score: number;
  /** The passage that matched best (public text only). */
  passage: string;
  reasons: MatchReasons;
  /** 1-based rank in each signal that found the listing. */
  ranks: Partial<Record<Signal, number>>;
}

export interface MatchResponse {
  results: MatchResult[];
  /** True when more results exist past offset + limit. */
  hasMore: boolean;
  language: Language;
  mode: MatchMode;
  /** Signals that actually ran. */
  signals: Signal[];
  queryConcepts: Array<{ id: string; label: string }>;
}

export class MatchError extends Error {
  override name = 'MatchError';
}

function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/**
 * Matchmaking retrieval: dense vectors (when a provider is active), BM25 over segmented text, and the
 * glossary (shared concepts, plus BM25 over the English labels of the query's concepts: a dictionary
 * translation of the need), fused by weighted reciprocal rank. The store only returns published listings
 * and never confidential details.
 */
export class Matcher {
  constructor(
    private readonly store: ListingStore,
    private readonly glossary: Glossary,
    private readonly encoder: DenseEncoder | undefined,
  ) {}

  get denseAvailable(): boolean {
    return this.encoder !== undefined;
  }

  /** Finds listings for a free-text query (by default a need: it searches offers and expertise). */
  async match(query: string, options: MatchOptions = {}): Promise<MatchResponse> {
    const text = query.trim();
    if (text.length === 0) throw new MatchError('The search text is empty: describe the problem or technology you are looking for.');
    const mode = options.mode ?? 'hybrid';
    if (mode === 'dense' && !this.encoder) {
      throw new MatchError('Dense search needs an embedding provider: set JEMBATAN_EMBEDDINGS=local or openai (see README).');
    }
    const language = options.language ?? detectLanguage(text)?.language ?? 'en';
    const limit = Math.max(1, Math.min(options.limit ?? 10, 100));
    const offset = Math.max(0, options.offset ?? 0);
    const depth = Math.max(RETRIEVAL.depth, offset + limit);
    const filter: ListingFilter = {
      kinds: options.kinds ?? ['offer', 'expertise'],
      countries: options.countries,
      sectors: options.sectors,
      minTrl: options.minTrl,
      excludeIds: options.excludeIds,
    };

    const queryConcepts = this.glossary.match(text, language);
    const conceptIds = queryConcepts.map((c) => c.conceptId);
    const runLexical = mode === 'hybrid' || mode === 'lexical';
    const runConcept = mode === 'hybrid' || mode === 'concept';
    const runDense = (mode === 'hybrid' || mode === 'dense') && this.encoder !== undefined;

    const [lexical, concept, dense] = await Promise.all([
      runLexical ? this.lexical(text, language, filter, depth) : Promise.resolve(undefined),
      runConcept ? this.glossarySignal(conceptIds, filter, depth) : Promise.resolve(undefined),
      runDense ? this.dense(text, filter, depth) : Promise.resolve(undefined),
    ]);

    const rankings: Partial<Record<Signal, number[]>> = {};
    const bestPassage = new Map<number, number>();
    const sharedTerms = new Map<number, string[]>();
    const sharedConcepts = new Map<number, string[]>();
    if (lexical) {
      rankings.lexical = lexical.map((hit) => hit.listingId);
      for (const hit of lexical) {
        bestPassage.set(hit.listingId, hit.passageId);
        sharedTerms.set(hit.listingId, hit.matchedTerms);
      }
    }
    if (concept) {
      rankings.concept = concept.map((hit) => hit.listingId);
      for (const hit of concept) sharedConcepts.set(hit.listingId, hit.sharedConcepts);
    }
    if (dense) {
      rankings.dense = dense.map((hit) => hit.listingId);
      for (const hit of dense) if (!bestPassage.has(hit.listingId)) bestPassage.set(hit.listingId, hit.passageId);
    }
    const signals = Object.keys(rankings) as Signal[];
    const scores: Partial<Record<Signal, number[]>> = {};
    if (RETRIEVAL.tieAware) {
      if (lexical) scores.lexical = lexical.map((hit) => hit.score);
      if (concept) scores.concept = concept.map((hit) => hit.score);
    }
    const fused = fuseRankings(rankings, { k: FUSION.k, weights: FUSION.weights }, scores);
    const page = fused.slice(offset, offset + limit);
    const ids = page.map((entry) => entry.listingId);

    const [listings, passages, firstPassages] = await Promise.all([
      this.store.listingsByIds(ids),
      this.store.passagesByIds(ids.map((id) => bestPassage.get(id)).filter((id): id is number => id !== undefined)),
      this.store.firstPassages(ids.filter((id) => !bestPassage.has(id))),
    ]);
    const querySectors = new Set(
      this.glossary
        .sectorsFor(conceptIds)
        .slice(0, 3)
        .map((entry) => entry.sector as string),
    );
    const results: MatchResult[] = [];
    for (const entry of page) {
      const listing = listings.get(entry.listingId);
      if (!listing || listing.status !== 'published') continue;
      const passageId = bestPassage.get(entry.listingId);
      const passage = passageId !== undefined ? passages.get(passageId)?.text : firstPassages.get(entry.listingId)?.text;
      results.push({
        listing,
        score: entry.score,
        passage: passage ?? listing.summary.slice(0, 300),
        reasons: {
          sharedTerms: sharedTerms.get(entry.listingId) ?? [],
          sharedConcepts: (sharedConcepts.get(entry.listingId) ?? []).map((id) => ({
            id,
            label: this.glossary.label(id, language),
          })),
          sectorFit: listing.sectors.filter((sector) => querySectors.has(sector)),
          countryFit: (options.countries ?? []).includes(listing.country),
        },
        ranks: entry.ranks,
      });
    }
    return {
      results,
      hasMore: fused.length > offset + limit,
      language,
      mode,
      signals,
      queryConcepts: queryConcepts.map((c) => ({ id: c.conceptId, label: this.glossary.label(c.conceptId, language) })),
    };
  }

  /**
   * The other direction: listings that fit a stored listing. A need finds offers and expertise; an offer
   * or expertise finds needs.
   */
  async matchListing(listingId: number, options: Omit<MatchOptions, 'language'> = {}): Promise<MatchResponse> {
    const listing = (await this.store.listingsByIds([listingId])).get(listingId);
    if (!listing) throw new MatchError(`No listing with id ${listingId}.`);
    const kinds: ListingKind[] = options.kinds ?? (listing.kind === 'need' ? ['offer', 'expertise'] : ['need']);
    return this.match(`${listing.title}. ${listing.summary}`, {
      ...options,
      kinds,
      language: listing.language as Language,
      excludeIds: [...(options.excludeIds ?? []), listingId],
    });
  }

  private async lexical(
    text: string,
    language: Language,
    filter: ListingFilter,
    depth: number,
  ): Promise<PassageHit[]> {
    let queryTerms = textTerms(text, segmentationLocale(language));
    if (RETRIEVAL.stopwords) queryTerms = queryTerms.filter((term) => !isStopword(term, language));
    queryTerms = queryTerms.slice(0, 64);
    return this.bm25(queryTerms, filter, depth);
  }

  /** BM25 over passages for a list of terms, best passage per listing. */
  private async bm25(queryTerms: string[], filter: ListingFilter, depth: number): Promise<PassageHit[]> {
    if (queryTerms.length === 0) return [];
    const [total, frequencies] = await Promise.all([
      this.store.passageCount(),
      this.store.termDocumentFrequencies(queryTerms),
    ]);
    const weighted = queryTerms
      .map((term) => ({ term, df: frequencies.get(term) ?? 0 }))
      .filter((entry) => entry.df > 0)
      .map((entry) => ({ term: entry.term, idf: idf(total, entry.df), df: entry.df }));
    if (weighted.length === 0) return [];
    let candidates = weighted.filter((entry) => entry.df / total <= RETRIEVAL.commonTermShare).map((entry) => entry.term);
    if (candidates.length === 0) {
      candidates = [...weighted].sort((a, b) => a.df - b.df).slice(0, 3).map((entry) => entry.term);
    }
    const hits = await this.store.lexicalSearch(weighted, candidates, filter, depth * 3);
    // Report only informative shared words as reasons ("water", not "for").
    const informative = new Set(candidates);
    for (const hit of hits) hit.matchedTerms = hit.matchedTerms.filter((term) => informative.has(term));
    // Best passage per listing.
    const perListing = new Map<number, PassageHit>();
    for (const hit of hits) {
      const previous = perListing.get(hit.listingId);
      if (!previous || hit.score > previous.score) perListing.set(hit.listingId, hit);
    }
    return [...perListing.values()].sort((a, b) => b.score - a.score).slice(0, depth);
  }

  /**
   * The glossary signal: listings sharing the query's concepts, optionally fused with a dictionary
   * translation of the query (see `translation`).
   */
  private async glossarySignal(conceptIds: string[], filter: ListingFilter, depth: number): Promise<ConceptHit[]> {
    const byConcept = await this.concepts(conceptIds, filter, depth);
    if (RETRIEVAL.translation <= 0 || conceptIds.length === 0) return byConcept;
    const translated = await this.translation(conceptIds, filter, depth);
    const fused = fuseRankings(
      { concept: byConcept.map((hit) => hit.listingId), lexical: translated.map((hit) => hit.listingId) },
      { k: FUSION.k, weights: { concept: 1, lexical: RETRIEVAL.translation, dense: 0 } },
      RETRIEVAL.tieAware ? { concept: byConcept.map((hit) => hit.score), lexical: translated.map((hit) => hit.score) } : {},
    );
    const shared = new Map(byConcept.map((hit) => [hit.listingId, hit.sharedConcepts]));
    return fused.slice(0, depth).map((entry) => ({ listingId: entry.listingId, score: entry.score, sharedConcepts: shared.get(entry.listingId) ?? [] }));
  }

  /**
   * The query translated by the glossary: for each language published listings are written in, BM25 of
   * the words of the query's concepts' labels in that language over the listings in that language only
   * (so an Indonesian word never meets English text as a false friend: "air" is water in Indonesian).
   * A Khmer need thus reaches an offer written in Thai or Vietnamese as well as one written in English.
   * The per-language lists are merged by BM25 score.
   */
  private async translation(conceptIds: string[], filter: ListingFilter, depth: number): Promise<PassageHit[]> {
    const languages = filter.languages?.length ? filter.languages : await this.store.publishedLanguages();
    const lists = await Promise.all(
      languages.map((language) => this.bm25(this.labelTerms(conceptIds, language), { ...filter, languages: [language] }, depth)),
    );
    return lists
      .flat()
      .sort((a, b) => b.score - a.score || a.listingId - b.listingId)
      .slice(0, depth);
  }

  /** Distinct words of the concepts' labels in one language, segmented as listings in that language are. */
  private labelTerms(conceptIds: string[], language: Language): string[] {
    const out = new Set<string>();
    for (const id of conceptIds) {
      for (const label of this.glossary.concepts.get(id)?.labels[language] ?? []) {
        for (const term of textTerms(label, segmentationLocale(language))) if (!isStopword(term, language)) out.add(term);
      }
    }
    return [...out];
  }

  private async concepts(conceptIds: string[], filter: ListingFilter, depth: number): Promise<ConceptHit[]> {
    if (conceptIds.length === 0) return [];
    const [total, frequencies] = await Promise.all([
      this.store.listingCount(),
      this.store.conceptDocumentFrequencies(conceptIds),
    ]);
    const weighted = conceptIds
      .map((concept) => ({ concept, df: frequencies.get(concept) ?? 0 }))
      .filter((entry) => entry.df > 0)
      .map((entry) => ({ concept: entry.concept, idf: idf(total, entry.df) }));
    return this.store.conceptSearch(weighted, filter, depth);
  }

  private async dense(text: string, filter: ListingFilter, depth: number): Promise<PassageHit[]> {
    const encoder = this.encoder!;
    const [vector, dimension] = await Promise.all([encoder.embeddings.embedQuery(text), encoder.dimension()]);
    const hits = await this.store.denseSearch(vector, dimension, filter, depth * 2);
    const perListing = new Map<number, PassageHit>();
    for (const hit of hits) if (!perListing.has(hit.listingId)) perListing.set(hit.listingId, hit);
    return [...perListing.values()].slice(0, depth);
  }
}
