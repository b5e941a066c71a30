import type { PublicListing } from '../domain/listing.js';
import { log as defaultLog, type Logger } from '../log.js';
import type { Queryable } from '../store/db.js';

/**
 * Match events for statistics (table match_events, migration 004): when results were shown and
 * introductions asked for or accepted, on which channel and in which language, about which listings.
 * Never message text, never a user id.
 */
export const MATCH_EVENT_KINDS = ['search', 'shown', 'intro_requested', 'intro_accepted'] as const;
export type MatchEventKind = (typeof MATCH_EVENT_KINDS)[number];

export interface MatchEvent {
  event: MatchEventKind;
  /** 'telegram', 'slack', 'console' … */
  channel: string;
  /** The user's language at the time. */
  language: string;
  /** The listings the event is about: one row each (a page of five results is five `shown` rows). */
  listings?: ReadonlyArray<Pick<PublicListing, 'id' | 'kind' | 'country' | 'sectors'>>;
  /** For an event without listings (a `search`): the country filter and sectors it had, if any. */
  country?: string | null;
  sectors?: readonly string[];
  /** When it happened; the database clock when absent. */
  at?: Date;
}

/** Most rows one call writes (a results page is at most 100 listings). */
const MAX_ROWS = 100;

/**
 * Records one event (one row per listing). Statistics must never break a conversation: a failure is
 * logged as a warning and reported as 0 rows written.
 */
export async function recordMatchEvent(db: Queryable, event: MatchEvent, logger: Logger = defaultLog): Promise<number> {
  const listings = (event.listings ?? []).slice(0, MAX_ROWS);
  const rows =
    listings.length > 0
      ? listings.map((listing) => [listing.id, listing.kind, listing.country, [...listing.sectors]] as const)
      : event.listings === undefined || event.event === 'search'
        ? [[null, null, event.country ?? null, [...(event.sectors ?? [])]] as const]
        : [];
  if (rows.length === 0) return 0;
  const values: unknown[] = [event.at ? event.at.toISOString() : null, event.channel, event.event, event.language];
  const tuples = rows.map((row) => {
    const at = values.length;
    values.push(...row);
    return `(coalesce($1::timestamptz, now()), $2, $3, $4, $${at + 1}::integer, $${at + 2}, $${at + 3}, $${at + 4}::text[])`;
  });
  try {
    await db.query(
      `INSERT INTO match_events (occurred_at, channel, event, language, listing_id, listing_kind, country, sectors)
       VALUES ${tuples.join(', ')}`,
      values,
    );
    return rows.length;
  } catch (error) {
    logger.warn(
      { event: 'match_event_not_recorded', kind: event.event, channel: event.channel, error: error instanceof Error ? error.message : String(error) },
      'a statistics event could not be recorded',
    );
    return 0;
  }
}
