import { conceptCoverage } from '../retrieval/coverage.js';
import type { Matcher, MatchResponse } from '../retrieval/match.js';
import type { Queryable } from '../store/db.js';
import { publishedListingsFingerprint } from '../store/listing-store.js';

/**
 * Unmet needs: a published need is unmet when none of the best offers or expertise the Matcher finds for
 * it (`Matcher.matchListing`, the same retrieval founders get) covers at least this share of the need's
 * glossary concepts (`bestCoverage`). Concepts are language-independent, so a Thai need met by an
 * English offer counts as met. The fused score is not used: it is rank-based, and the only candidate of a
 * weak search still ranks first. 0.5 = the best offer shares at least half of what the need is about; in
 * the seeded test data, needs with a real offer cover 0.75–0.86, the others 0.
 */
export const UNMET_THRESHOLD = 0.5;

/** How many of the Matcher's best offers/expertise are looked at per need. */
const UNMET_CANDIDATES = 5;

/**
 * The best glossary coverage among a need's matches: the share of the need's concepts that an offer or
 * expertise shares with it (0..1). Absolute, unlike the fused score, which is rank-based (the only
 * candidate of a weak search is still ranked first). A need with no glossary concept scores 0.
 */
export function bestCoverage(response: MatchResponse): number {
  return Math.max(0, ...response.results.map((result) => conceptCoverage(response, result)));
}

/** Kept this long at most, even when nothing in the store seems to have changed. */
const CACHE_MAX_AGE_MS = 10 * 60 * 1000;

/**
 * Best-match scores of needs, cached per engine: within one answer and across answers while the
 * published listings are unchanged (same count, same latest update, same number expired). A need is
 * scored again when it changed itself (its `updated_at` is part of the key).
 */
export class UnmetNeedScores {
  private fingerprint = '';
  private since = 0;
  private readonly scores = new Map<string, number>();
  /** How many needs were scored with the Matcher (not from the cache): for tests and logs. */
  scored = 0;

  constructor(
    private readonly matcher: Matcher,
    private readonly clock: () => number = Date.now,
  ) {}

  async refresh(db: Queryable): Promise<void> {
    const fingerprint = await publishedListingsFingerprint(db);
    if (fingerprint !== this.fingerprint || this.clock() - this.since > CACHE_MAX_AGE_MS) {
      this.scores.clear();
      this.fingerprint = fingerprint;
      this.since = this.clock();
    }
  }

  /** The best offer/expertise score of each need (0 when nothing matches at all). */
  async bestScores(needs: ReadonlyArray<{ id: number; updated_at: unknown }>): Promise<Map<number, number>> {
    const result = new Map<number, number>();
    for (const need of needs) {
      const key = `${need.id}:${need.updated_at instanceof Date ? need.updated_at.toISOString() : String(need.updated_at)}`;
      let score = this.scores.get(key);
      if (score === undefined) {
        const response = await this.matcher.matchListing(need.id, { kinds: ['offer', 'expertise'], limit: UNMET_CANDIDATES });
        score = bestCoverage(response);
        this.scores.set(key, score);
        this.scored++;
      }
      result.set(need.id, score);
    }
    return result;
  }
}
