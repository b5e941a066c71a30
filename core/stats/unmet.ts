import type { Matcher } from '../retrieval/match.js';
import type { Queryable } from '../store/db.js';

/**
 * Unmet needs: a published need is unmet when the best offer or expertise the Matcher finds for it
 * (`Matcher.matchListing`, the same retrieval founders get) scores below the threshold.
 *
 * The score is the fused reciprocal-rank score of core/retrieval/fusion.ts, 0..1, where 1 means "ranked
 * first by every signal that ran". With one signal (say, shared words alone) the best possible score is
 * 0.5 (one of the two offline signals) or 0.33 (one of three with embeddings). The default threshold,
 * 0.6, therefore says: a need is met only when at least two signals agree on an offer near the top of
 * both rankings (shared words and shared glossary concepts, or a dense vector match). One signal alone,
 * such as a common word, is not a match.
 */
export const UNMET_THRESHOLD = 0.6;

/** Kept this long at most, even when nothing in the store seems to have changed. */
const CACHE_MAX_AGE_MS = 10 * 60 * 1000;

interface Fingerprint {
  n: number;
  latest: string | null;
  expired: number;
}

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
    const { rows } = await db.query<Fingerprint>(
      `SELECT count(*)::int AS n, max(updated_at)::text AS latest,
              count(*) FILTER (WHERE expires_at IS NOT NULL AND expires_at <= now())::int AS expired
         FROM listings WHERE status = 'published'`,
    );
    const row = rows[0];
    const fingerprint = JSON.stringify(row ?? null);
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
        const response = await this.matcher.matchListing(need.id, { kinds: ['offer', 'expertise'], limit: 1 });
        score = response.results[0]?.score ?? 0;
        this.scores.set(key, score);
        this.scored++;
      }
      result.set(need.id, score);
    }
    return result;
  }
}
