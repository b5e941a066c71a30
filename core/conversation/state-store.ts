import { isLanguage, type Language } from '../domain/languages.js';
import { parseAddress, stableJson } from '../delivery/serialize.js';
import type { Db } from '../store/db.js';
import { ConversationStateSchema, type ConversationState } from './state.js';

export interface ChatUser {
  id: number;
  channel: string;
  channelUserId: string;
  language: Language;
  languageLocked: boolean;
}

export interface LoadedState {
  state: ConversationState;
  version: number;
  /** True when the stored state could not be read (older format) and was reset. */
  reset: boolean;
}

export class StateConflictError extends Error {
  override name = 'StateConflictError';
}

export interface ForgetReport {
  listings: number;
  feedback: number;
  introductionRequests: number;
  searches: number;
  conversations: number;
}

/** Where conversations live: users, per-conversation state, and what the users did. All in the database. */
export class ConversationStateStore {
  constructor(private readonly db: Db) {}

  /** Finds or creates the user; the platform's locale sets the first language. */
  async user(channel: string, channelUserId: string, initialLanguage: Language, displayName?: string): Promise<ChatUser> {
    const { rows } = await this.db.query<{ id: number; language: string; language_locked: boolean }>(
      `INSERT INTO chat_users (channel, channel_user_id, language, display_name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (channel, channel_user_id)
       DO UPDATE SET last_seen_at = now(), display_name = coalesce(excluded.display_name, chat_users.display_name)
       RETURNING id, language, language_locked`,
      [channel, channelUserId, initialLanguage, displayName ?? null],
    );
    const row = rows[0]!;
    return {
      id: row.id,
      channel,
      channelUserId,
      language: isLanguage(row.language) ? row.language : 'en',
      languageLocked: row.language_locked,
    };
  }

  /** The reply language of a known user; undefined for someone the engine has never seen. */
  async languageOf(channel: string, channelUserId: string): Promise<Language | undefined> {
    const { rows } = await this.db.query<{ language: string }>(
      'SELECT language FROM chat_users WHERE channel = $1 AND channel_user_id = $2',
      [channel, channelUserId],
    );
    const language = rows[0]?.language;
    return isLanguage(language) ? language : undefined;
  }

  async setLanguage(userId: number, language: Language, locked: boolean): Promise<void> {
    await this.db.query('UPDATE chat_users SET language = $2, language_locked = $3 WHERE id = $1', [userId, language, locked]);
  }

  async load(userId: number, conversationId: string): Promise<LoadedState> {
    const { rows } = await this.db.query<{ state: unknown; version: number }>(
      'SELECT state, version FROM conversations WHERE user_id = $1 AND conversation_id = $2',
      [userId, conversationId],
    );
    const row = rows[0];
    if (!row) return { state: {}, version: 0, reset: false };
    const parsed = ConversationStateSchema.safeParse(row.state);
    return parsed.success ? { state: parsed.data, version: row.version, reset: false } : { state: {}, version: row.version, reset: true };
  }

  /** Saves the state if nobody saved another version meanwhile (optimistic check). */
  async save(userId: number, conversationId: string, state: ConversationState, version: number): Promise<void> {
    const json = JSON.stringify(ConversationStateSchema.parse(state));
    const { rows } =
      version === 0
        ? await this.db.query<{ version: number }>(
            `INSERT INTO conversations (user_id, conversation_id, state, version) VALUES ($1, $2, $3::jsonb, 1)
             ON CONFLICT (user_id, conversation_id) DO NOTHING RETURNING version`,
            [userId, conversationId, json],
          )
        : await this.db.query<{ version: number }>(
            `UPDATE conversations SET state = $3::jsonb, version = version + 1, updated_at = now()
              WHERE user_id = $1 AND conversation_id = $2 AND version = $4 RETURNING version`,
            [userId, conversationId, json, version],
          );
    if (rows.length === 0) throw new StateConflictError(`conversation ${conversationId} changed while a message was handled`);
  }

  /** Records a platform message id; false when it was already handled (a redelivery). */
  async firstDelivery(channel: string, messageId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ message_id: string }>(
      `INSERT INTO processed_messages (channel, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING message_id`,
      [channel, messageId],
    );
    return rows.length > 0;
  }

  /**
   * Runs `fn` while holding a database lock on the conversation, so messages of one conversation are
   * handled one at a time across every `jembatan serve` process.
   */
  async withConversationLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.db.withSession(async (session) => {
      await session.query('SELECT pg_advisory_lock(hashtextextended($1, 7))', [key]);
      try {
        return await fn();
      } finally {
        await session.query('SELECT pg_advisory_unlock(hashtextextended($1, 7))', [key]);
      }
    });
  }

  async recordFeedback(userId: number, listingId: number, query: string, reason: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO match_feedback (user_id, listing_id, query, verdict, reason) VALUES ($1, $2, $3, 'not_relevant', $4)`,
      [userId, listingId, query, reason],
    );
  }

  async setFeedbackReason(userId: number, listingId: number, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE match_feedback SET reason = $3 WHERE id = (
         SELECT id FROM match_feedback WHERE user_id = $1 AND listing_id = $2 ORDER BY id DESC LIMIT 1)`,
      [userId, listingId, reason],
    );
  }

  /** Records an introduction request; false when the user had already asked for this listing. */
  async requestIntroduction(userId: number, listingId: number, query: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: number }>(
      `INSERT INTO introduction_requests (user_id, listing_id, query) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, listing_id) DO NOTHING RETURNING id`,
      [userId, listingId, query],
    );
    return rows.length > 0;
  }

  async logSearch(entry: {
    userId: number;
    channel: string;
    language: Language;
    query: string;
    filters: object;
    concepts: string[];
    sectors: string[];
    resultCount: number;
    topScore: number | null;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO search_log (user_id, channel, language, query, filters, concepts, sectors, result_count, top_score)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::text[], $7::text[], $8, $9)`,
      [
        entry.userId,
        entry.channel,
        entry.language,
        entry.query,
        JSON.stringify(entry.filters),
        entry.concepts,
        entry.sectors,
        entry.resultCount,
        entry.topScore,
      ],
    );
  }

  /**
   * Deletes everything Jembatan holds about a user: listings they own (with passages and confidential
   * details), feedback, introduction requests, searches, conversation state, saved needs and alerts, where
   * they can be reached, messages still queued for them there (unless another user shares that chat, e.g.
   * a group), and the user record. One transaction: all of it or nothing.
   */
  async forget(userId: number, ownerRef: string): Promise<ForgetReport> {
    return this.db.transaction(async (tx) => {
      const count = async (sql: string, params: unknown[]) => (await tx.query<{ id: unknown }>(sql, params)).rows.length;
      const feedback = await count('DELETE FROM match_feedback WHERE user_id = $1 RETURNING id', [userId]);
      const introductionRequests = await count('DELETE FROM introduction_requests WHERE user_id = $1 RETURNING id', [userId]);
      const searches = await count('DELETE FROM search_log WHERE user_id = $1 RETURNING id', [userId]);
      const conversations = await count('DELETE FROM conversations WHERE user_id = $1 RETURNING user_id AS id', [userId]);
      const listings = await count('DELETE FROM listings WHERE owner_ref = $1 RETURNING id', [ownerRef]);
      const { rows: addresses } = await tx.query<{ channel: string; address: unknown }>(
        `SELECT a.channel, a.address FROM channel_addresses a
          WHERE a.user_id = $1
            AND NOT EXISTS (SELECT 1 FROM channel_addresses b WHERE b.user_id <> a.user_id AND b.channel = a.channel AND b.address = a.address)`,
        [userId],
      );
      for (const { channel, address } of addresses) {
        await tx.query('DELETE FROM outbox WHERE channel = $1 AND address_key = $2 AND sent_at IS NULL', [channel, stableJson(parseAddress(address))]);
      }
      // chat_users cascades to channel_addresses, saved_needs (alert_matches) and alert_digests.
      await tx.query('DELETE FROM chat_users WHERE id = $1', [userId]);
      return { listings, feedback, introductionRequests, searches, conversations };
    });
  }
}
