import type { Db } from '../store/db.js';

/** A pending listing as a moderator reviews it (confidential details are never included). */
export interface ModerationItem {
  listingId: number;
  kind: string;
  title: string;
  summary: string;
  language: string;
  country: string | null;
  sectors: string[];
  trl: number | null;
  status: string;
  /** `<channel>:<channel user id>` of the submitter (core/conversation/turn.ts ownerRef), or null for ingested listings. */
  ownerRef: string | null;
  createdAt: Date;
}

export type ModerationDecision = 'approved' | 'rejected';

export interface DecisionResult {
  /** False when the listing was no longer pending (someone else decided first, or the owner withdrew it). */
  applied: boolean;
  item?: ModerationItem;
}

interface ItemRow {
  id: number;
  kind: string;
  title: string;
  summary: string;
  language: string;
  country: string | null;
  sectors: string[];
  trl: number | null;
  status: string;
  owner_ref: string | null;
  created_at: Date | string;
}

const ITEM_COLUMNS = 'l.id, l.kind, l.title, l.summary, l.language, l.country, l.sectors, l.trl, l.status, l.owner_ref, l.created_at';

function toItem(row: ItemRow): ModerationItem {
  return {
    listingId: row.id,
    kind: row.kind,
    title: row.title,
    summary: row.summary,
    language: row.language,
    country: row.country,
    sectors: row.sectors ?? [],
    trl: row.trl,
    status: row.status,
    ownerRef: row.owner_ref,
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

export { ownerOf } from '../domain/owner-ref.js';

/**
 * The moderation queue in the database (migration 005): which pending listings have been posted for
 * review, and the decisions taken, with who and when. Works whichever channel created the listing: the
 * queue is found by polling the listings table.
 */
export class ModerationStore {
  constructor(private readonly db: Db) {}

  /**
   * Claims up to `limit` pending listings not yet posted to `channel` (oldest first): a row in
   * moderation_posts is inserted for each, so another process does not post them too. Call `posted` or
   * `unclaim` for each.
   */
  async claimUnposted(channel: string, limit: number): Promise<ModerationItem[]> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<ItemRow>(
        `WITH picked AS (
           SELECT l.id FROM listings l
            WHERE l.status = 'pending' AND NOT EXISTS (SELECT 1 FROM moderation_posts p WHERE p.listing_id = l.id)
            ORDER BY l.created_at, l.id
            LIMIT $2
            FOR UPDATE SKIP LOCKED),
         claimed AS (
           INSERT INTO moderation_posts (listing_id, channel) SELECT id, $1 FROM picked
           ON CONFLICT (listing_id) DO NOTHING RETURNING listing_id)
         SELECT ${ITEM_COLUMNS} FROM listings l JOIN claimed c ON c.listing_id = l.id ORDER BY l.created_at, l.id`,
        [channel, Math.max(1, Math.floor(limit))],
      );
      return rows.map(toItem);
    });
  }

  /** The review message was posted at `location` (Slack: `{ channel, ts }`). */
  async posted(listingId: number, location: Record<string, unknown>): Promise<void> {
    await this.db.query(`UPDATE moderation_posts SET location = $2::jsonb WHERE listing_id = $1`, [listingId, JSON.stringify(location)]);
  }

  /** Posting failed: the listing is picked up again by the next pass. */
  async unclaim(listingId: number): Promise<void> {
    await this.db.query(`DELETE FROM moderation_posts WHERE listing_id = $1 AND location IS NULL`, [listingId]);
  }

  async postLocation(listingId: number): Promise<Record<string, unknown> | undefined> {
    const { rows } = await this.db.query<{ location: unknown }>(`SELECT location FROM moderation_posts WHERE listing_id = $1`, [listingId]);
    const location = rows[0]?.location;
    if (location === null || location === undefined) return undefined;
    return (typeof location === 'string' ? JSON.parse(location) : location) as Record<string, unknown>;
  }

  async item(listingId: number): Promise<ModerationItem | undefined> {
    const { rows } = await this.db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM listings l WHERE l.id = $1`, [listingId]);
    return rows[0] ? toItem(rows[0]) : undefined;
  }

  /**
   * Approves (status published) or rejects (status rejected, with the reason) a pending listing and
   * records the decision, in one transaction. Only a pending listing changes.
   */
  async decide(
    listingId: number,
    decision: ModerationDecision,
    moderator: { channel: string; id: string },
    reason: string | null = null,
  ): Promise<DecisionResult> {
    return this.db.transaction(async (tx) => {
      const status = decision === 'approved' ? 'published' : 'rejected';
      const { rows } = await tx.query<ItemRow>(
        `UPDATE listings l SET status = $2, status_reason = $3, updated_at = now()
          WHERE l.id = $1 AND l.status = 'pending'
          RETURNING ${ITEM_COLUMNS}`,
        [listingId, status, decision === 'rejected' ? reason : null],
      );
      if (!rows[0]) return { applied: false };
      await tx.query(
        `INSERT INTO moderation_decisions (listing_id, decision, reason, moderator_channel, moderator_id) VALUES ($1, $2, $3, $4, $5)`,
        [listingId, decision, reason, moderator.channel, moderator.id],
      );
      return { applied: true, item: toItem(rows[0]) };
    });
  }

  async decisions(listingId: number): Promise<Array<{ decision: ModerationDecision; reason: string | null; moderatorChannel: string; moderatorId: string; decidedAt: Date }>> {
    const { rows } = await this.db.query<{ decision: ModerationDecision; reason: string | null; moderator_channel: string; moderator_id: string; decided_at: Date | string }>(
      `SELECT decision, reason, moderator_channel, moderator_id, decided_at FROM moderation_decisions WHERE listing_id = $1 ORDER BY decided_at, id`,
      [listingId],
    );
    return rows.map((row) => ({
      decision: row.decision,
      reason: row.reason,
      moderatorChannel: row.moderator_channel,
      moderatorId: row.moderator_id,
      decidedAt: row.decided_at instanceof Date ? row.decided_at : new Date(row.decided_at),
    }));
  }
}
