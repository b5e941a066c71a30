import { isLanguage, type Language } from '../domain/languages.js';
import { ownerOf, ownerRefOf } from '../domain/owner-ref.js';
import { translator, type Translate } from '../conversation/i18n.js';
import type { Button, Reply } from '../conversation/types.js';
import type { DeliveryStore } from '../delivery/delivery-store.js';
import type { ChannelAddress } from '../delivery/types.js';
import type { Db, Queryable } from '../store/db.js';

/**
 * Introductions with double opt-in (migration 006). A user asks for an introduction to a listing and says
 * what they want; the listing's owner is told in their own channel and language (or, for a listing without
 * an owner in any channel, the secretariat's moderation channel) and can accept, decline or ask a
 * question. Nothing about the owner is revealed before Accept; on Accept both sides receive each other's
 * contact details and the requester the listing's confidential details. Every notification is queued in
 * the outbox in the same transaction as the change that caused it.
 */

export interface IntroductionSettings {
  /** Requests a user may make in 24 hours. */
  dailyLimit: number;
  /** A pending request expires after this long. */
  ttlMs: number;
  /** Where requests for listings without a reachable owner go (the secretariat's moderation channel). */
  secretariat?: { channel: string; address: ChannelAddress };
  /** Whether a chat user is secretariat staff (decides requests routed to the secretariat). */
  isSecretariat(actor: Actor): boolean;
}

export const DEFAULT_INTRODUCTION_SETTINGS: IntroductionSettings = {
  dailyLimit: 5,
  ttlMs: 14 * 24 * 3600 * 1000,
  isSecretariat: () => false,
};

/** Someone acting in a chat: their channel, that channel's user id, and the conversation. */
export interface Actor {
  userId: number;
  channel: string;
  channelUserId: string;
  conversationId: string;
}

export type IntroductionStatus = 'requested' | 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'expired';

export interface IntroductionSummary {
  id: number;
  listingId: number;
  title: string;
  status: IntroductionStatus;
  createdAt: Date;
  expiresAt: Date | null;
}

export type CreateOutcome =
  | { ok: true; id: number; route: 'owner' | 'secretariat'; title: string }
  | { ok: false; reason: 'unavailable' | 'own_listing' | 'duplicate' | 'daily_limit' | 'no_route'; title?: string; limit?: number };

export type DecideOutcome =
  | { ok: true; id: number; title: string }
  | { ok: false; reason: 'not_found' | 'not_allowed' | 'not_pending'; status?: IntroductionStatus; title?: string };

interface RequestRow {
  id: number;
  user_id: number;
  listing_id: number;
  status: IntroductionStatus;
  route: 'owner' | 'secretariat';
  message: string | null;
  expires_at: Date | string | null;
  title: string;
  owner_ref: string | null;
  url: string | null;
  source: string;
  external_id: string;
}

const REQUEST_SELECT = `SELECT r.id, r.user_id, r.listing_id, r.status, r.route, r.message, r.expires_at,
       l.title, l.owner_ref, l.url, l.source, l.external_id
  FROM introduction_requests r JOIN listings l ON l.id = r.listing_id`;

function languageOf(value: string | undefined): Language {
  return value && isLanguage(value) ? value : 'en';
}

/** The owner's chat user, when the listing's owner_ref names one. */
async function ownerUser(q: Queryable, ownerRef: string | null): Promise<{ id: number } | undefined> {
  const owner = ownerOf(ownerRef);
  if (!owner) return undefined;
  const { rows } = await q.query<{ id: number }>('SELECT id FROM chat_users WHERE channel = $1 AND channel_user_id = $2', [owner.channel, owner.channelUserId]);
  return rows[0];
}

async function person(q: Queryable, userId: number): Promise<{ name: string | null; profile: string | null; contact: string | null }> {
  const { rows } = await q.query<{ display_name: string | null; profile: string | null; contact: string | null }>(
    'SELECT display_name, profile, contact FROM chat_users WHERE id = $1',
    [userId],
  );
  const row = rows[0];
  return { name: row?.display_name?.trim() || null, profile: row?.profile ?? null, contact: row?.contact ?? null };
}

/** Requests a user made in the last 24 hours (the daily limit counts these). */
async function requestsToday(q: Queryable, userId: number): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM introduction_requests WHERE user_id = $1 AND created_at > now() - interval '24 hours'`,
    [userId],
  );
  return rows[0]?.n ?? 0;
}

export class Introductions {
  constructor(
    private readonly db: Db,
    private readonly delivery: DeliveryStore,
    readonly settings: IntroductionSettings = DEFAULT_INTRODUCTION_SETTINGS,
  ) {}

  /** The contact details a user shares on Accept, and their public profile. */
  async contactOf(userId: number): Promise<{ contact: string | null; profile: string | null }> {
    const { contact, profile } = await person(this.db, userId);
    return { contact, profile };
  }

  async setContact(userId: number, contact: string, profile?: string): Promise<void> {
    await this.db.query('UPDATE chat_users SET contact = $2, profile = coalesce($3, profile) WHERE id = $1', [userId, contact.trim(), profile?.trim() || null]);
  }

  /**
   * Creates a request and tells the owner (or the secretariat), in one transaction. Refused when the
   * listing is not published, is the requester's own, was asked for before, the daily limit is reached,
   * or nobody can be reached for it.
   */
  async create(requester: Actor, listingId: number, message: string, query: string): Promise<CreateOutcome> {
    return this.db.transaction(async (tx): Promise<CreateOutcome> => {
      // One request at a time per user: the daily count and the duplicate check cannot race.
      await tx.query('SELECT id FROM chat_users WHERE id = $1 FOR UPDATE', [requester.userId]);
      const { rows: listings } = await tx.query<{ id: number; title: string; status: string; owner_ref: string | null; url: string | null; source: string; external_id: string }>(
        'SELECT id, title, status, owner_ref, url, source, external_id FROM listings WHERE id = $1',
        [listingId],
      );
      const listing = listings[0];
      if (!listing || listing.status !== 'published') return { ok: false, reason: 'unavailable' };
      if (listing.owner_ref === ownerRefOf(requester)) return { ok: false, reason: 'own_listing', title: listing.title };
      const { rows: existing } = await tx.query<{ id: number }>(
        'SELECT id FROM introduction_requests WHERE user_id = $1 AND listing_id = $2',
        [requester.userId, listingId],
      );
      if (existing.length > 0) return { ok: false, reason: 'duplicate', title: listing.title };
      if ((await requestsToday(tx, requester.userId)) >= this.settings.dailyLimit) {
        return { ok: false, reason: 'daily_limit', title: listing.title, limit: this.settings.dailyLimit };
      }
      const owner = await ownerUser(tx, listing.owner_ref);
      const route = owner ? 'owner' : 'secretariat';
      if (route === 'secretariat' && !this.settings.secretariat) return { ok: false, reason: 'no_route', title: listing.title };
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO introduction_requests (user_id, listing_id, query, message, route, status, expires_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', now() + ($6::float8 * interval '1 millisecond')) RETURNING id`,
        [requester.userId, listingId, query, message, route, this.settings.ttlMs],
      );
      const id = rows[0]!.id;
      const request = await this.request(tx, id);
      const delivered = await this.toDecider(tx, request!, (t) => this.requestMessage(t, request!, requester.userId, tx));
      if (!delivered) {
        // The owner exists but has no address (e.g. asked to be forgotten meanwhile): nothing is stored.
        throw new NoRouteError(listing.title);
      }
      return { ok: true as const, id, route, title: listing.title };
    }).catch((error: unknown): CreateOutcome => {
      if (error instanceof NoRouteError) return { ok: false, reason: 'no_route', title: error.title };
      throw error;
    });
  }

  /** The actor accepts: both sides get each other's contact; the requester the confidential details. */
  async accept(actor: Actor, requestId: number): Promise<DecideOutcome> {
    return this.db.transaction(async (tx): Promise<DecideOutcome> => {
      const checked = await this.lockForDecision(tx, actor, requestId);
      if (!checked.ok) return checked;
      const request = checked.request;
      await tx.query(
        `UPDATE introduction_requests SET status = 'accepted', decided_at = now(), decided_by = $2, updated_at = now() WHERE id = $1`,
        [requestId, ownerRefOf(actor)],
      );
      const decider = await person(tx, actor.userId);
      const requester = await person(tx, request.user_id);
      const { rows: secret } = await tx.query<{ details: string }>('SELECT details FROM listing_confidential WHERE listing_id = $1', [request.listing_id]);
      const details = secret[0]?.details;
      await this.delivery.enqueueForUser(tx, request.user_id, (language) => {
        const t = translator(languageOf(language));
        const lines = [
          t('intro.accepted_requester', { title: request.title }),
          contactLine(t, decider),
        ];
        if (request.route === 'secretariat') lines.push(t('intro.source_link', { link: sourceLink(request) }));
        if (details) lines.push(t('intro.confidential', { details }));
        return [{ type: 'text', text: lines.join('\n\n') }];
      });
      const toDecider = (t: Translate): Reply[] => [
        {
          type: 'text',
          text: [
            t('intro.accepted_owner', { title: request.title }),
            contactLine(t, requester),
          ].join('\n\n'),
        },
      ];
      await this.toDecider(tx, request, toDecider);
      return { ok: true, id: requestId, title: request.title };
    });
  }

  /** The actor declines; the reason reaches the requester only when given here (shared). */
  async decline(actor: Actor, requestId: number, sharedReason: string | null): Promise<DecideOutcome> {
    return this.db.transaction(async (tx): Promise<DecideOutcome> => {
      const checked = await this.lockForDecision(tx, actor, requestId);
      if (!checked.ok) return checked;
      const request = checked.request;
      const reason = sharedReason?.trim() || null;
      await tx.query(
        `UPDATE introduction_requests SET status = 'declined', decided_at = now(), decided_by = $2, shared_reason = $3, updated_at = now() WHERE id = $1`,
        [requestId, ownerRefOf(actor), reason],
      );
      await this.delivery.enqueueForUser(tx, request.user_id, (language) => {
        const t = translator(languageOf(language));
        const text = reason ? t('intro.declined_with_reason', { title: request.title, reason }) : t('intro.declined', { title: request.title });
        return [{ type: 'text', text }];
      });
      return { ok: true, id: requestId, title: request.title };
    });
  }

  /** The owner (or secretariat) asks the requester a question; no contact details travel. */
  async ask(actor: Actor, requestId: number, question: string): Promise<DecideOutcome> {
    return this.db.transaction(async (tx): Promise<DecideOutcome> => {
      const checked = await this.lockForDecision(tx, actor, requestId);
      if (!checked.ok) return checked;
      const request = checked.request;
      await tx.query(`INSERT INTO introduction_messages (request_id, from_side, body) VALUES ($1, 'owner', $2)`, [requestId, question]);
      await this.delivery.enqueueForUser(tx, request.user_id, (language) => {
        const t = translator(languageOf(language));
        return [
          {
            type: 'buttons',
            text: t('intro.question_for_requester', { title: request.title, question }),
            buttons: [{ label: t('button.intro_reply'), action: `irp:${requestId}` }, { label: t('button.intro_withdraw'), action: `iwd:${requestId}` }],
          },
        ];
      });
      return { ok: true, id: requestId, title: request.title };
    });
  }

  /** The requester answers a question; the decider gets it with the decision buttons again. */
  async reply(requester: Actor, requestId: number, answer: string): Promise<DecideOutcome> {
    return this.db.transaction(async (tx): Promise<DecideOutcome> => {
      const request = await this.request(tx, requestId, true);
      if (!request || request.user_id !== requester.userId) return { ok: false, reason: 'not_found' };
      if (request.status !== 'pending') return { ok: false, reason: 'not_pending', status: request.status, title: request.title };
      await tx.query(`INSERT INTO introduction_messages (request_id, from_side, body) VALUES ($1, 'requester', $2)`, [requestId, answer]);
      await this.toDecider(tx, request, (t) => [
        { type: 'buttons', text: t('intro.answer_for_owner', { title: request.title, answer }), buttons: decisionButtons(t, requestId) },
      ]);
      return { ok: true, id: requestId, title: request.title };
    });
  }

  /** The requester withdraws a pending request; the decider is told. */
  async withdraw(requester: Actor, requestId: number): Promise<DecideOutcome> {
    return this.db.transaction(async (tx): Promise<DecideOutcome> => {
      const request = await this.request(tx, requestId, true);
      if (!request || request.user_id !== requester.userId) return { ok: false, reason: 'not_found' };
      if (request.status !== 'pending') return { ok: false, reason: 'not_pending', status: request.status, title: request.title };
      await tx.query(`UPDATE introduction_requests SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [requestId]);
      await this.toDecider(tx, request, (t) => [{ type: 'text', text: t('intro.withdrawn_owner', { title: request.title }) }]);
      return { ok: true, id: requestId, title: request.title };
    });
  }

  /** Expires pending requests past their time; both sides are told. Returns how many expired. */
  async expireDue(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>(
        `UPDATE introduction_requests SET status = 'expired', updated_at = now()
          WHERE id IN (SELECT id FROM introduction_requests WHERE status = 'pending' AND expires_at <= now() ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
      );
      for (const { id } of rows) {
        const request = (await this.request(tx, id))!;
        await this.delivery.enqueueForUser(tx, request.user_id, (language) => [
          { type: 'text', text: translator(languageOf(language))('intro.expired_requester', { title: request.title }) },
        ]);
        await this.toDecider(tx, request, (t) => [{ type: 'text', text: t('intro.expired_owner', { title: request.title }) }]);
      }
      return rows.length;
    });
  }

  /** Requests the user may still make in the current 24 hours (the daily limit minus those made). */
  async remainingToday(userId: number): Promise<number> {
    return Math.max(0, this.settings.dailyLimit - (await requestsToday(this.db, userId)));
  }

  /** A user's own requests, newest first. */
  async listFor(userId: number, limit = 10): Promise<IntroductionSummary[]> {
    const { rows } = await this.db.query<{ id: number; listing_id: number; title: string; status: IntroductionStatus; created_at: Date | string; expires_at: Date | string | null }>(
      `SELECT r.id, r.listing_id, l.title, r.status, r.created_at, r.expires_at
         FROM introduction_requests r JOIN listings l ON l.id = r.listing_id
        WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      listingId: row.listing_id,
      title: row.title,
      status: row.status,
      createdAt: new Date(row.created_at),
      expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    }));
  }

  /** Whether the actor may decide this request now (its owner or staff, and still pending). */
  async decidable(actor: Actor, requestId: number): Promise<DecideOutcome> {
    const checked = await this.lockForDecision(this.db, actor, requestId);
    return checked.ok ? { ok: true, id: requestId, title: checked.request.title } : checked;
  }

  // ------------------------------------------------------------------------------------------------

  private allowed(actor: Actor, request: RequestRow): boolean {
    if (request.route === 'owner') return request.owner_ref === ownerRefOf(actor);
    return this.settings.isSecretariat(actor);
  }

  private async lockForDecision(
    tx: Queryable,
    actor: Actor,
    requestId: number,
  ): Promise<{ ok: true; request: RequestRow } | { ok: false; reason: 'not_found' | 'not_allowed' | 'not_pending'; status?: IntroductionStatus; title?: string }> {
    const request = await this.request(tx, requestId, tx !== this.db);
    if (!request) return { ok: false, reason: 'not_found' };
    if (!this.allowed(actor, request)) return { ok: false, reason: 'not_allowed' };
    if (request.status !== 'pending') return { ok: false, reason: 'not_pending', status: request.status, title: request.title };
    if (request.expires_at && new Date(request.expires_at).getTime() <= Date.now()) {
      return { ok: false, reason: 'not_pending', status: 'expired', title: request.title };
    }
    return { ok: true, request };
  }

  private async request(q: Queryable, id: number, lock = false): Promise<RequestRow | undefined> {
    const { rows } = await q.query<RequestRow>(`${REQUEST_SELECT} WHERE r.id = $1${lock ? ' FOR UPDATE OF r' : ''}`, [id]);
    return rows[0];
  }

  /** Queues a message for whoever decides the request: the owner (their language) or the secretariat (English). */
  private async toDecider(tx: Queryable, request: RequestRow, build: (t: Translate) => Reply[] | Promise<Reply[]>): Promise<boolean> {
    if (request.route === 'owner') {
      const owner = await ownerUser(tx, request.owner_ref);
      if (!owner) return false;
      return this.delivery.enqueueForUser(tx, owner.id, (language) => build(translator(languageOf(language))));
    }
    const target = this.settings.secretariat;
    if (!target) return false;
    await this.delivery.enqueue(target.channel, target.address, await build(translator('en')), { tx });
    return true;
  }

  private async requestMessage(t: Translate, request: RequestRow, requesterId: number, tx: Queryable): Promise<Reply[]> {
    const requester = await person(tx, requesterId);
    const lines = [
      t(request.route === 'owner' ? 'intro.request_for_owner' : 'intro.request_for_secretariat', { title: request.title, name: requester.name ?? t('intro.someone') }),
      t('intro.request_message', { message: request.message ?? '—' }),
    ];
    if (requester.profile) lines.push(t('intro.request_profile', { profile: requester.profile }));
    if (request.route === 'secretariat') lines.push(t('intro.source_link', { link: sourceLink(request) }));
    lines.push(t(request.route === 'owner' ? 'intro.owner_nothing_shared' : 'intro.secretariat_how'));
    return [{ type: 'buttons', text: lines.join('\n\n'), buttons: decisionButtons(t, request.id) }];
  }
}

class NoRouteError extends Error {
  constructor(readonly title: string) {
    super('nobody can be reached for this listing');
  }
}

/** "Contact of <name>: …", or just the contact when the channel gave no name (e.g. Slack). */
function contactLine(t: Translate, who: { name: string | null; contact: string | null }): string {
  const contact = who.contact ?? t('intro.no_contact');
  return who.name ? t('intro.contact_of', { name: who.name, contact }) : t('intro.contact_given', { contact });
}

function decisionButtons(t: Translate, requestId: number): Button[] {
  return [
    { label: t('button.intro_accept'), action: `iac:${requestId}` },
    { label: t('button.intro_decline'), action: `idc:${requestId}` },
    { label: t('button.intro_ask'), action: `iqs:${requestId}` },
  ];
}

/** The listing's public source: its URL, or source and id for imported records without one. */
function sourceLink(request: Pick<RequestRow, 'url' | 'source' | 'external_id'>): string {
  return request.url ?? `${request.source}/${request.external_id}`;
}
