import { z } from 'zod';
import { listingCard } from '../conversation/cards.js';
import { translator } from '../conversation/i18n.js';
import type { Reply } from '../conversation/types.js';
import type { DeliveryStore } from '../delivery/delivery-store.js';
import { isLanguage, type Language } from '../domain/languages.js';
import { LISTING_KINDS, type PublicListing } from '../domain/listing.js';
import { conceptCoverage } from '../retrieval/coverage.js';
import type { Matcher, MatchOptions, MatchResponse } from '../retrieval/match.js';
import type { Db } from '../store/db.js';
import type { ListingStore } from '../store/listing-store.js';

/**
 * Saved-need alerts (migration 006): "tell me when something like this appears". After each ingest or
 * newly published listing, `scan` matches every active saved need; good matches not seen before wait in
 * `alert_matches`, and `sendDigests` sends each user at most one digest a day, in their language, queued
 * in the outbox in the same transaction that marks the matches sent.
 */

export const AlertFiltersSchema = z.object({
  kinds: z.array(z.enum(LISTING_KINDS)).optional(),
  countries: z.array(z.string()).optional(),
  sectors: z.array(z.string()).optional(),
  minTrl: z.number().int().optional(),
});
export type AlertFilters = z.infer<typeof AlertFiltersSchema>;

export interface AlertSettings {
  /** A listing is a good match when it covers at least this share of the need's glossary concepts. */
  minCoverage: number;
  /** Results looked at per saved need and scan. */
  depth: number;
  /** At most one digest per user in this time. */
  digestIntervalMs: number;
  /** Listings shown in one digest (the rest are counted). */
  perDigest: number;
  /** Active saved needs per user. */
  maxSavedPerUser: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  minCoverage: 0.5,
  depth: 20,
  digestIntervalMs: 24 * 3600 * 1000,
  perDigest: 5,
  maxSavedPerUser: 10,
};

export interface SavedNeed {
  id: number;
  query: string;
  language: Language;
  filters: AlertFilters;
  createdAt: Date;
}

export type SaveOutcome = { ok: true; id: number; concepts: number } | { ok: false; reason: 'too_many' | 'already_saved'; limit?: number };

/** Matches of a response that cover enough of the query's glossary concepts (see core/retrieval/coverage.ts). */
export function goodMatches(response: MatchResponse, minCoverage: number): number[] {
  return response.results.filter((result) => conceptCoverage(response, result) >= minCoverage).map((result) => result.listing.id);
}

export class Alerts {
  constructor(
    private readonly db: Db,
    private readonly delivery: DeliveryStore,
    private readonly matcher: Matcher,
    private readonly store: ListingStore,
    readonly settings: AlertSettings = DEFAULT_ALERT_SETTINGS,
  ) {}

  /**
   * Saves a need. The listings it matches now are recorded as already seen (the user just saw them in
   * the search), so only new ones are sent later.
   */
  async save(userId: number, query: string, language: Language, filters: AlertFilters): Promise<SaveOutcome> {
    const response = await this.matcher.match(query, this.options(language, filters));
    return this.db.transaction(async (tx): Promise<SaveOutcome> => {
      await tx.query('SELECT id FROM chat_users WHERE id = $1 FOR UPDATE', [userId]);
      const { rows: active } = await tx.query<{ query: string }>('SELECT query FROM saved_needs WHERE user_id = $1 AND stopped_at IS NULL', [userId]);
      if (active.some((row) => row.query.trim().toLowerCase() === query.trim().toLowerCase())) return { ok: false, reason: 'already_saved' };
      if (active.length >= this.settings.maxSavedPerUser) return { ok: false, reason: 'too_many', limit: this.settings.maxSavedPerUser };
      const { rows } = await tx.query<{ id: number }>(
        'INSERT INTO saved_needs (user_id, query, language, filters) VALUES ($1, $2, $3, $4::jsonb) RETURNING id',
        [userId, query, language, JSON.stringify(filters)],
      );
      const id = rows[0]!.id;
      const seen = response.results.map((result) => result.listing.id);
      if (seen.length > 0) {
        await tx.query(
          `INSERT INTO alert_matches (saved_need_id, listing_id, baseline)
           SELECT $1, unnest($2::int[]), true ON CONFLICT DO NOTHING`,
          [id, seen],
        );
      }
      return { ok: true, id, concepts: response.queryConcepts.length };
    });
  }

  async list(userId: number): Promise<SavedNeed[]> {
    const { rows } = await this.db.query<{ id: number; query: string; language: string; filters: unknown; created_at: Date | string }>(
      'SELECT id, query, language, filters, created_at FROM saved_needs WHERE user_id = $1 AND stopped_at IS NULL ORDER BY id',
      [userId],
    );
    return rows.map((row) => ({
      id: row.id,
      query: row.query,
      language: isLanguage(row.language) ? row.language : 'en',
      filters: AlertFiltersSchema.catch({}).parse(typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters),
      createdAt: new Date(row.created_at),
    }));
  }

  /** Stops one of the user's alerts; false when it is not theirs or already stopped. */
  async stop(userId: number, savedNeedId: number): Promise<boolean> {
    const { rows } = await this.db.query<{ id: number }>(
      'UPDATE saved_needs SET stopped_at = now() WHERE id = $1 AND user_id = $2 AND stopped_at IS NULL RETURNING id',
      [savedNeedId, userId],
    );
    return rows.length > 0;
  }

  /** Matches every active saved need; returns how many new good matches were recorded. */
  async scan(): Promise<number> {
    const { rows } = await this.db.query<{ id: number; user_id: number; query: string; language: string; filters: unknown }>(
      'SELECT id, user_id, query, language, filters FROM saved_needs WHERE stopped_at IS NULL ORDER BY id',
    );
    let found = 0;
    for (const row of rows) {
      const language: Language = isLanguage(row.language) ? row.language : 'en';
      const filters = AlertFiltersSchema.catch({}).parse(typeof row.filters === 'string' ? JSON.parse(row.filters) : row.filters);
      const response = await this.matcher.match(row.query, this.options(language, filters));
      // A user's own listings are not news to them.
      const own = await this.db.query<{ id: number }>(
        `SELECT l.id FROM listings l JOIN chat_users u ON l.owner_ref = u.channel || ':' || u.channel_user_id
          WHERE u.id = $1 AND l.id = ANY($2::int[])`,
        [row.user_id, response.results.map((result) => result.listing.id)],
      );
      const mine = new Set(own.rows.map((r) => r.id));
      const good = goodMatches(response, this.settings.minCoverage).filter((id) => !mine.has(id));
      if (good.length === 0) continue;
      const inserted = await this.db.query<{ listing_id: number }>(
        `INSERT INTO alert_matches (saved_need_id, listing_id) SELECT $1, unnest($2::int[])
         ON CONFLICT DO NOTHING RETURNING listing_id`,
        [row.id, good],
      );
      found += inserted.rows.length;
    }
    return found;
  }

  /**
   * Sends one digest to each user with unsent matches whose last digest is older than the interval.
   * Claiming the user's digest slot, queueing the message and marking the matches sent happen in one
   * transaction: a crash leaves either all of it or none. Returns how many digests were queued.
   */
  async sendDigests(): Promise<number> {
    const { rows: users } = await this.db.query<{ user_id: number }>(
      `SELECT DISTINCT s.user_id FROM alert_matches m JOIN saved_needs s ON s.id = m.saved_need_id
        WHERE m.sent_at IS NULL AND NOT m.baseline AND s.stopped_at IS NULL ORDER BY s.user_id`,
    );
    let sent = 0;
    for (const { user_id: userId } of users) {
      // Read outside the transaction (PGlite has one connection: no other query may run inside it).
      const { rows: waiting } = await this.db.query<{ listing_id: number }>(
        `SELECT DISTINCT m.listing_id, min(m.found_at) AS found FROM alert_matches m JOIN saved_needs s ON s.id = m.saved_need_id
          WHERE s.user_id = $1 AND s.stopped_at IS NULL AND m.sent_at IS NULL AND NOT m.baseline
          GROUP BY m.listing_id ORDER BY found, m.listing_id`,
        [userId],
      );
      const listings = await this.store.listingsByIds(waiting.map((row) => row.listing_id).slice(0, this.settings.perDigest * 4));
      const queued = await this.db.transaction(async (tx) => {
        const { rows: slot } = await tx.query<{ user_id: number }>(
          `INSERT INTO alert_digests (user_id, last_sent_at) VALUES ($1, now())
           ON CONFLICT (user_id) DO UPDATE SET last_sent_at = now()
             WHERE alert_digests.last_sent_at <= now() - ($2::float8 * interval '1 millisecond')
           RETURNING user_id`,
          [userId, this.settings.digestIntervalMs],
        );
        if (slot.length === 0) return false;
        const { rows: matches } = await tx.query<{ saved_need_id: number; listing_id: number; query: string }>(
          `SELECT m.saved_need_id, m.listing_id, s.query FROM alert_matches m
             JOIN saved_needs s ON s.id = m.saved_need_id
             JOIN listings l ON l.id = m.listing_id AND l.status = 'published'
            WHERE s.user_id = $1 AND s.stopped_at IS NULL AND m.sent_at IS NULL AND NOT m.baseline
            ORDER BY m.found_at, m.listing_id FOR UPDATE OF m`,
          [userId],
        );
        if (matches.length === 0) throw new NothingToSend();
        const listingIds = [...new Set(matches.map((m) => m.listing_id))];
        const queries = [...new Set(matches.map((m) => m.query))];
        const delivered = await this.delivery.enqueueForUser(tx, userId, (code) => {
          const language: Language = isLanguage(code) ? code : 'en';
          const t = translator(language);
          const replies: Reply[] = [{ type: 'text', text: t('alert.digest_header', { count: listingIds.length, needs: queries.map((q) => `“${q}”`).join(', ') }) }];
          const cards = listingIds
            .map((id) => listings.get(id))
            .filter((listing): listing is PublicListing => listing !== undefined && listing.status === 'published')
            .slice(0, this.settings.perDigest)
            .map((listing) =>
              listingCard({ language, t }, listing, [
                { label: t('button.details'), action: `det:${listing.id}` },
                { label: t('button.introduce'), action: `intro:${listing.id}` },
              ]),
            );
          replies.push({ type: 'cards', cards });
          if (listingIds.length > cards.length) replies.push({ type: 'text', text: t('alert.digest_more', { count: listingIds.length - cards.length }) });
          replies.push({ type: 'buttons', text: t('alert.digest_footer'), buttons: [{ label: t('button.alerts'), action: 'cmd:alerts' }] });
          return replies;
        });
        if (!delivered) throw new NothingToSend();
        await tx.query(
          `UPDATE alert_matches m SET sent_at = now() FROM saved_needs s
            WHERE s.id = m.saved_need_id AND s.user_id = $1 AND m.sent_at IS NULL AND NOT m.baseline AND m.listing_id = ANY($2::int[])`,
          [userId, listingIds],
        );
        return true;
      }).catch((error: unknown) => {
        if (error instanceof NothingToSend) return false;
        throw error;
      });
      if (queued) sent++;
    }
    return sent;
  }

  private options(language: Language, filters: AlertFilters): MatchOptions {
    return {
      language,
      limit: this.settings.depth,
      kinds: filters.kinds,
      countries: filters.countries,
      sectors: filters.sectors,
      minTrl: filters.minTrl,
    };
  }
}

/** Rolls a digest transaction back (no address, or the matches went meanwhile): the slot is not used up. */
class NothingToSend extends Error {}
