import type { Reply } from '../conversation/types.js';
import type { Db, Queryable } from '../store/db.js';
import { deserializeReplies, parseAddress, serializeReplies, stableJson, toJsonb } from './serialize.js';
import type { ChannelAddress, InboxItem, OutboxItem } from './types.js';

/** An inbox item is given up (done, with its last error) after this many attempts. */
export const MAX_INBOX_ATTEMPTS = 5;
/** Stored error texts are cut to this length. */
const MAX_ERROR_CHARS = 2000;

/** Counts for /readyz-style reporting. `waiting` includes the items in progress. */
export interface DeliveryCounts {
  inbox: { waiting: number; inProgress: number; givenUp: number };
  outbox: { waiting: number; inProgress: number; failed: number; oldestWaitingMs: number | null };
}

export interface EnqueueOptions {
  /** Not sent before this time. */
  notBefore?: Date;
  /** Marks this inbox item done in the same transaction, so its replies are queued exactly once. */
  completesInbox?: number;
  /**
   * Queue inside this open transaction (the state change that caused the message commits with it, or
   * neither does). `completesInbox` is then done in the same transaction.
   */
  tx?: Queryable;
}

export interface ClaimOutboxOptions {
  /**
   * Per-address pacing across every process: an address that was sent to less than this long ago (by
   * any process) has nothing claimable yet.
   */
  perAddressMs?: number;
}

interface InboxRow {
  id: number;
  channel: string;
  message_id: string;
  payload: unknown;
  attempts: number;
}

interface OutboxRow {
  id: number;
  channel: string;
  address: unknown;
  replies: unknown;
  attempts: number;
  created_at: Date | string;
  parts_sent: number;
  part_started: number | null;
}

const ms = (param: string) => `(${param}::float8 * interval '1 millisecond')`;

function errorText(error: string): string {
  const text = error.replace(/\u0000/g, '');
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Inbox, outbox and addresses in the database (migration 003), shared by every `jembatan serve` process.
 * Claims take rows with `FOR UPDATE SKIP LOCKED` and set a lease (`claimed_until`) in one transaction, so
 * two processes never claim the same row, and a lease that runs out (the process died) makes the row
 * claimable again. Delivery is at least once: a process that dies after sending but before `markSent`
 * leaves the item to be sent again.
 */
export class DeliveryStore {
  static readonly maxAttempts = MAX_INBOX_ATTEMPTS;

  constructor(private readonly db: Db) {}

  // ---------------------------------------------------------------- inbox

  /** Stores a platform update; false when (channel, messageId) is already stored (a redelivery). */
  async accept(channel: string, messageId: string, payload: unknown): Promise<boolean> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO inbox (channel, message_id, payload) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (channel, message_id) DO NOTHING RETURNING id`,
      [channel, messageId, toJsonb(payload)],
    );
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` unhandled updates of a channel, oldest first, for `leaseMs`. `attempts` counts
   * this claim. Items claimed `maxAttempts` times whose lease ran out (the handler never finished) are
   * given up here.
   */
  async claimInbox<P = unknown>(channel: string, limit: number, leaseMs: number): Promise<InboxItem<P>[]> {
    const rows = await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE inbox SET done_at = now(), claimed_until = NULL,
                last_error = left(coalesce(last_error || '; ', '') || 'gave up: claimed ' || attempts || ' times without finishing', ${MAX_ERROR_CHARS})
          WHERE channel = $1 AND done_at IS NULL AND attempts >= $2 AND claimed_until < now()`,
        [channel, MAX_INBOX_ATTEMPTS],
      );
      return (
        await tx.query<InboxRow>(
          `WITH picked AS (
             SELECT id FROM inbox
              WHERE channel = $1 AND done_at IS NULL AND attempts < $4 AND not_before <= now()
                AND (claimed_until IS NULL OR claimed_until < now())
              ORDER BY id
              LIMIT $2
              FOR UPDATE SKIP LOCKED)
           UPDATE inbox SET claimed_until = now() + ${ms('$3')}, attempts = inbox.attempts + 1
             FROM picked WHERE inbox.id = picked.id
           RETURNING inbox.id, inbox.channel, inbox.message_id, inbox.payload, inbox.attempts`,
          [channel, Math.max(0, Math.floor(limit)), nonNegative(leaseMs), MAX_INBOX_ATTEMPTS],
        )
      ).rows;
    });
    return rows
      .sort((a, b) => a.id - b.id)
      .map((row) => ({
        id: row.id,
        channel: row.channel,
        messageId: row.message_id,
        payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as P,
        attempts: row.attempts,
      }));
  }

  /** The update was handled. */
  async completeInbox(id: number): Promise<void> {
    await this.db.query(
      `UPDATE inbox SET done_at = coalesce(done_at, now()), claimed_until = NULL, last_error = NULL WHERE id = $1`,
      [id],
    );
  }

  /**
   * Handling failed: try again after `afterMs`, or, after `maxAttempts` claims, give up (done, with the
   * error). True when it will be tried again.
   */
  async retryInbox(id: number, afterMs: number, error: string): Promise<boolean> {
    const { rows } = await this.db.query<{ gave_up: boolean }>(
      `UPDATE inbox SET claimed_until = NULL, last_error = $3,
              not_before = now() + ${ms('$2')},
              done_at = CASE WHEN attempts >= $4 THEN now() ELSE NULL END
        WHERE id = $1 AND done_at IS NULL
        RETURNING done_at IS NOT NULL AS gave_up`,
      [id, nonNegative(afterMs), errorText(error), MAX_INBOX_ATTEMPTS],
    );
    return rows.length > 0 && !rows[0]!.gave_up;
  }

  // ---------------------------------------------------------------- outbox

  /** Queues replies for an address; returns the outbox id. */
  async enqueue(channel: string, address: ChannelAddress, replies: Reply[], options: EnqueueOptions = {}): Promise<number> {
    const insert = (q: Queryable) =>
      q.query<{ id: number }>(
        `INSERT INTO outbox (channel, address, address_key, replies, not_before)
         VALUES ($1, $2::jsonb, $3, $4::jsonb, coalesce($5::timestamptz, now())) RETURNING id`,
        [channel, toJsonb(address), stableJson(address), serializeReplies(replies), options.notBefore?.toISOString() ?? null],
      );
    const completes = options.completesInbox;
    const work = async (tx: Queryable) => {
      const { rows } = await insert(tx);
      if (completes !== undefined) {
        await tx.query(
          `UPDATE inbox SET done_at = coalesce(done_at, now()), claimed_until = NULL, last_error = NULL WHERE id = $1`,
          [completes],
        );
      }
      return rows[0]!.id;
    };
    if (options.tx) return work(options.tx);
    if (completes === undefined) return (await insert(this.db)).rows[0]!.id;
    return this.db.transaction(work);
  }

  /**
   * Queues a message for a user (chat_users.id), built in their language, to the address they were last
   * seen at (on `channel` when given), inside the transaction `tx`. False when the user has no address.
   */
  async enqueueForUser(
    tx: Queryable,
    userId: number,
    build: (language: string) => Reply[] | Promise<Reply[]>,
    channel?: string,
  ): Promise<boolean> {
    const { rows } = await tx.query<{ channel: string; address: unknown; language: string }>(
      `SELECT a.channel, a.address, u.language FROM channel_addresses a JOIN chat_users u ON u.id = a.user_id
        WHERE a.user_id = $1 AND ($2::text IS NULL OR a.channel = $2)
        ORDER BY a.updated_at DESC, a.conversation_id LIMIT 1`,
      [userId, channel ?? null],
    );
    const row = rows[0];
    if (!row) return false;
    const replies = await build(row.language);
    if (replies.length > 0) await this.enqueue(row.channel, parseAddress(row.address), replies, { tx });
    return true;
  }

  /**
   * Claims up to `limit` items of a channel for `leaseMs`, oldest first. Only the oldest unsent item of an
   * address is claimable (one conversation's messages stay in order; other addresses are unaffected);
   * items waiting for `not_before` or under a live lease are not. `attempts` counts this claim. A stored
   * item that is no longer readable as replies is marked failed instead of being returned.
   */
  async claimOutbox(channel: string, limit: number, leaseMs: number, options: ClaimOutboxOptions = {}): Promise<OutboxItem[]> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<OutboxRow>(
        `WITH picked AS (
           SELECT o.id FROM outbox o
            WHERE o.channel = $1 AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.not_before <= now()
              AND (o.claimed_until IS NULL OR o.claimed_until < now())
              AND NOT EXISTS (
                SELECT 1 FROM outbox p
                 WHERE p.channel = o.channel AND p.address_key = o.address_key AND p.id < o.id
                   AND p.sent_at IS NULL AND p.failed_at IS NULL)
              AND ($4::float8 <= 0 OR NOT EXISTS (
                SELECT 1 FROM outbox s
                 WHERE s.channel = o.channel AND s.address_key = o.address_key
                   AND s.sent_at IS NOT NULL AND s.sent_at > now() - ${ms('$4')}))
            ORDER BY o.id
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
         UPDATE outbox SET claimed_until = now() + ${ms('$3')}, attempts = outbox.attempts + 1
           FROM picked WHERE outbox.id = picked.id
         RETURNING outbox.id, outbox.channel, outbox.address, outbox.replies, outbox.attempts, outbox.created_at,
                   outbox.parts_sent, outbox.part_started`,
        [channel, Math.max(0, Math.floor(limit)), nonNegative(leaseMs), nonNegative(options.perAddressMs ?? 0)],
      );
      const items: OutboxItem[] = [];
      for (const row of rows.sort((a, b) => a.id - b.id)) {
        try {
          items.push({
            id: row.id,
            channel: row.channel,
            address: parseAddress(row.address),
            replies: deserializeReplies(row.replies),
            attempts: row.attempts,
            createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
            partsSent: row.parts_sent,
            partInDoubt: row.part_started !== null && row.part_started >= row.parts_sent,
          });
        } catch (error) {
          const message = `unreadable outbox item: ${error instanceof Error ? error.message : String(error)}`;
          await tx.query(
            `UPDATE outbox SET failed_at = now(), claimed_until = NULL, last_error = $2 WHERE id = $1`,
            [row.id, errorText(message)],
          );
        }
      }
      return items;
    });
  }

  /** Part `part` of an item is about to be sent (see SendProgress). */
  async partStarting(id: number, part: number): Promise<void> {
    await this.db.query('UPDATE outbox SET part_started = $2 WHERE id = $1', [id, part]);
  }

  /** Part `part` of an item was delivered: a later attempt starts after it. */
  async partDelivered(id: number, part: number): Promise<void> {
    await this.db.query('UPDATE outbox SET parts_sent = greatest(parts_sent, $2 + 1), part_started = NULL WHERE id = $1', [id, part]);
  }

  async markSent(id: number): Promise<void> {
    await this.db.query(`UPDATE outbox SET sent_at = coalesce(sent_at, now()), claimed_until = NULL WHERE id = $1`, [id]);
  }

  /** Not sent this time (rate limit, temporary failure): claimable again after `afterMs`, never dropped. */
  async retryOutbox(id: number, afterMs: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET claimed_until = NULL, last_error = $3, not_before = now() + ${ms('$2')}, part_started = NULL
        WHERE id = $1 AND sent_at IS NULL AND failed_at IS NULL`,
      [id, nonNegative(afterMs), errorText(error)],
    );
  }

  /** Can never be delivered: kept with the error, not retried; the address's next item becomes claimable. */
  async markFailed(id: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox SET failed_at = now(), claimed_until = NULL, last_error = $2 WHERE id = $1 AND sent_at IS NULL`,
      [id, errorText(error)],
    );
  }

  /**
   * Gives claimed items back untouched (a worker stopping before it reached them): claimable again at
   * once, and the claim does not count as an attempt.
   */
  async release(kind: 'inbox' | 'outbox', ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const open = kind === 'inbox' ? 'done_at IS NULL' : 'sent_at IS NULL AND failed_at IS NULL';
    await this.db.query(
      `UPDATE ${kind} SET claimed_until = NULL, attempts = greatest(attempts - 1, 0) WHERE id = ANY($1::int[]) AND ${open}`,
      [ids],
    );
  }

  // ---------------------------------------------------------------- addresses

  /** Where `userId` (chat_users.id) can be reached in this conversation; the newest is used to notify. */
  async rememberAddress(userId: number, conversationId: string, channel: string, address: ChannelAddress): Promise<void> {
    await this.db.query(
      `INSERT INTO channel_addresses (user_id, conversation_id, channel, address, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, clock_timestamp())
       ON CONFLICT (user_id, conversation_id)
       DO UPDATE SET channel = excluded.channel, address = excluded.address, updated_at = excluded.updated_at`,
      [userId, conversationId, channel, toJsonb(address)],
    );
  }

  /**
   * `rememberAddress` by the channel's user id; false when the user is not (or no longer) in chat_users,
   * e.g. right after "forget".
   */
  async rememberAddressOf(channel: string, channelUserId: string, conversationId: string, address: ChannelAddress): Promise<boolean> {
    const { rows } = await this.db.query<{ user_id: number }>(
      `INSERT INTO channel_addresses (user_id, conversation_id, channel, address, updated_at)
       SELECT id, $3, $1, $4::jsonb, clock_timestamp() FROM chat_users WHERE channel = $1 AND channel_user_id = $2
       ON CONFLICT (user_id, conversation_id)
       DO UPDATE SET channel = excluded.channel, address = excluded.address, updated_at = excluded.updated_at
       RETURNING user_id`,
      [channel, channelUserId, conversationId, toJsonb(address)],
    );
    return rows.length > 0;
  }

  /** The address the user was last seen at (on `channel`, when given). */
  async latestAddress(userId: number, channel?: string): Promise<{ channel: string; address: ChannelAddress } | undefined> {
    const { rows } = await this.db.query<{ channel: string; address: unknown }>(
      `SELECT channel, address FROM channel_addresses
        WHERE user_id = $1 AND ($2::text IS NULL OR channel = $2)
        ORDER BY updated_at DESC, conversation_id
        LIMIT 1`,
      [userId, channel ?? null],
    );
    const row = rows[0];
    return row ? { channel: row.channel, address: parseAddress(row.address) } : undefined;
  }

  // ---------------------------------------------------------------- reporting and upkeep

  /** What is waiting, in progress, given up or failed (on one channel, or all). */
  async pending(channel?: string): Promise<DeliveryCounts> {
    const { rows } = await this.db.query<{
      inbox_waiting: number;
      inbox_in_progress: number;
      inbox_given_up: number;
      outbox_waiting: number;
      outbox_in_progress: number;
      outbox_failed: number;
      outbox_oldest_ms: number | null;
    }>(
      `SELECT
         (SELECT count(*)::int FROM inbox WHERE done_at IS NULL AND ($1::text IS NULL OR channel = $1)) AS inbox_waiting,
         (SELECT count(*)::int FROM inbox WHERE done_at IS NULL AND claimed_until > now()
             AND ($1::text IS NULL OR channel = $1)) AS inbox_in_progress,
         (SELECT count(*)::int FROM inbox WHERE done_at IS NOT NULL AND last_error IS NOT NULL
             AND ($1::text IS NULL OR channel = $1)) AS inbox_given_up,
         (SELECT count(*)::int FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL
             AND ($1::text IS NULL OR channel = $1)) AS outbox_waiting,
         (SELECT count(*)::int FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND claimed_until > now()
             AND ($1::text IS NULL OR channel = $1)) AS outbox_in_progress,
         (SELECT count(*)::int FROM outbox WHERE failed_at IS NOT NULL AND ($1::text IS NULL OR channel = $1)) AS outbox_failed,
         (SELECT (extract(epoch FROM now() - min(created_at)) * 1000)::float8 FROM outbox
           WHERE sent_at IS NULL AND failed_at IS NULL AND ($1::text IS NULL OR channel = $1)) AS outbox_oldest_ms`,
      [channel ?? null],
    );
    const row = rows[0]!;
    return {
      inbox: { waiting: row.inbox_waiting, inProgress: row.inbox_in_progress, givenUp: row.inbox_given_up },
      outbox: {
        waiting: row.outbox_waiting,
        inProgress: row.outbox_in_progress,
        failed: row.outbox_failed,
        oldestWaitingMs: row.outbox_oldest_ms === null ? null : Math.max(0, Math.round(Number(row.outbox_oldest_ms))),
      },
    };
  }

  /**
   * Deletes handled inbox updates and sent outbox items older than `olderThanMs` (given-up and failed
   * ones are kept for inspection). Keep inbox rows at least as long as a platform may redeliver an
   * update (Telegram: 24 hours), or a redelivery is handled twice.
   */
  async prune(olderThanMs: number): Promise<{ inbox: number; outbox: number }> {
    const inbox = await this.db.query<{ id: number }>(
      `DELETE FROM inbox WHERE done_at < now() - ${ms('$1')} AND last_error IS NULL RETURNING id`,
      [nonNegative(olderThanMs)],
    );
    const outbox = await this.db.query<{ id: number }>(
      `DELETE FROM outbox WHERE sent_at < now() - ${ms('$1')} RETURNING id`,
      [nonNegative(olderThanMs)],
    );
    return { inbox: inbox.rows.length, outbox: outbox.rows.length };
  }
}
