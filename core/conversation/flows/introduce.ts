import { DeliveryStore } from '../../delivery/delivery-store.js';
import { Introductions, type Actor, type CreateOutcome, type DecideOutcome } from '../../introductions/introductions.js';
import { recordMatchEvent } from '../../stats/events.js';
import type { Turn } from '../turn.js';

/**
 * Introductions in the conversation (core/introductions): the requester says what they want and which
 * contact they share; the owner (or secretariat staff) accepts, declines or asks a question. Every
 * notification to the other side is queued by core/introductions in the same transaction as the change.
 */

/** Longest message, question or answer relayed to the other side. */
const MAX_RELAY_CHARS = 800;

function service(turn: Turn): Introductions {
  return turn.deps.introductions ?? new Introductions(turn.deps.store.db, new DeliveryStore(turn.deps.store.db));
}

function actor(turn: Turn): Actor {
  return { userId: turn.user.id, channel: turn.user.channel, channelUserId: turn.user.channelUserId, conversationId: turn.input.conversationId };
}

function relayText(turn: Turn, text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length < 2) return undefined;
  if (trimmed.length > MAX_RELAY_CHARS) turn.say('intro.shortened', { max: MAX_RELAY_CHARS });
  return trimmed.slice(0, MAX_RELAY_CHARS);
}

/** "Request introduction" on a card: ask what the requester wants and who they are. */
export async function startIntroduction(turn: Turn, listingId: number): Promise<void> {
  const listing = (await turn.deps.store.listingsByIds([listingId])).get(listingId);
  if (!listing || listing.status !== 'published') {
    turn.say('listing.not_available');
    return;
  }
  if (await turn.deps.store.ownedListing(listingId, turn.ownerRef)) {
    turn.say('intro.own_listing', { title: listing.title });
    return;
  }
  const existing = (await service(turn).listFor(turn.user.id, 100)).find((request) => request.listingId === listingId);
  if (existing) {
    turn.say('intro.already', { title: listing.title, status: turn.t(`intro.status.${existing.status}`) });
    return;
  }
  const intros = service(turn);
  if ((await intros.remainingToday(turn.user.id)) === 0) {
    turn.say('intro.daily_limit', { limit: intros.settings.dailyLimit });
    return;
  }
  turn.state.awaiting = { type: 'intro_message', listingId };
  turn.buttons('intro.ask_message', [turn.button('button.cancel', 'icx')], { title: listing.title });
}

/** The requester's message; then their contact (asked once, kept for later requests). */
export async function introductionMessage(turn: Turn, listingId: number, text: string): Promise<void> {
  const message = relayText(turn, text);
  if (!message) {
    turn.state.awaiting = { type: 'intro_message', listingId };
    turn.say('intro.message_too_short');
    return;
  }
  const { contact } = await service(turn).contactOf(turn.user.id);
  if (!contact) {
    turn.state.awaiting = { type: 'intro_contact', listingId, message };
    turn.say('intro.ask_contact');
    return;
  }
  await createRequest(turn, listingId, message);
}

export async function introductionContact(turn: Turn, listingId: number, message: string, text: string): Promise<void> {
  const contact = relayText(turn, text);
  if (!contact) {
    turn.state.awaiting = { type: 'intro_contact', listingId, message };
    turn.say('intro.ask_contact');
    return;
  }
  await service(turn).setContact(turn.user.id, contact);
  await createRequest(turn, listingId, message);
}

async function createRequest(turn: Turn, listingId: number, message: string): Promise<void> {
  const outcome: CreateOutcome = await service(turn).create(actor(turn), listingId, message, turn.state.search?.query ?? '');
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'unavailable':
        return turn.say('listing.not_available');
      case 'own_listing':
        return turn.say('intro.own_listing', { title: outcome.title ?? '' });
      case 'duplicate':
        return turn.say('intro.already', { title: outcome.title ?? '', status: '' });
      case 'daily_limit':
        return turn.say('intro.daily_limit', { limit: outcome.limit ?? 0 });
      case 'no_route':
        return turn.say('intro.no_route', { title: outcome.title ?? '' });
    }
  }
  const listing = (await turn.deps.store.listingsByIds([listingId])).get(listingId);
  if (listing) {
    await recordMatchEvent(turn.deps.store.db, { event: 'intro_requested', channel: turn.user.channel, language: turn.language, listings: [listing] }, turn.deps.logger);
  }
  turn.buttons(outcome.route === 'owner' ? 'intro.sent_owner' : 'intro.sent_secretariat', [turn.button('button.intro_withdraw', `iwd:${outcome.id}`)], {
    title: outcome.title,
  });
}

function decisionFailed(turn: Turn, outcome: Exclude<DecideOutcome, { ok: true }>): void {
  switch (outcome.reason) {
    case 'not_found':
      return turn.say('intro.not_found');
    case 'not_allowed':
      return turn.say('intro.not_allowed');
    case 'not_pending':
      return turn.say('intro.not_pending', { title: outcome.title ?? '', status: turn.t(`intro.status.${outcome.status ?? 'pending'}`) });
  }
}

/** Accept: the decider's contact is asked first when none is on file (it is what the requester receives). */
export async function acceptIntroduction(turn: Turn, requestId: number): Promise<void> {
  const intros = service(turn);
  const open = await intros.decidable(actor(turn), requestId);
  if (!open.ok) return decisionFailed(turn, open);
  const { contact } = await intros.contactOf(turn.user.id);
  if (!contact) {
    turn.state.awaiting = { type: 'intro_accept_contact', requestId };
    turn.say('intro.ask_contact_owner');
    return;
  }
  const outcome = await intros.accept(actor(turn), requestId);
  if (!outcome.ok) return decisionFailed(turn, outcome);
  await recordIntroAccepted(turn, requestId);
  turn.say('intro.accepted_done', { title: outcome.title });
}

export async function acceptWithContact(turn: Turn, requestId: number, text: string): Promise<void> {
  const contact = relayText(turn, text);
  if (!contact) {
    turn.state.awaiting = { type: 'intro_accept_contact', requestId };
    turn.say('intro.ask_contact_owner');
    return;
  }
  await service(turn).setContact(turn.user.id, contact);
  await acceptIntroduction(turn, requestId);
}

async function recordIntroAccepted(turn: Turn, requestId: number): Promise<void> {
  const { rows } = await turn.deps.store.db.query<{ listing_id: number }>('SELECT listing_id FROM introduction_requests WHERE id = $1', [requestId]);
  const listingId = rows[0]?.listing_id;
  const listing = listingId === undefined ? undefined : (await turn.deps.store.listingsByIds([listingId])).get(listingId);
  if (listing) await recordMatchEvent(turn.deps.store.db, { event: 'intro_accepted', channel: turn.user.channel, language: turn.language, listings: [listing] }, turn.deps.logger);
}

/** Decline: a typed reason is shared with the requester; the button declines without one. */
export async function askDeclineReason(turn: Turn, requestId: number): Promise<void> {
  const open = await service(turn).decidable(actor(turn), requestId);
  if (!open.ok) return decisionFailed(turn, open);
  turn.state.awaiting = { type: 'intro_decline', requestId };
  turn.buttons('intro.ask_decline_reason', [turn.button('button.intro_decline_silent', `idn:${requestId}`)]);
}

export async function declineIntroduction(turn: Turn, requestId: number, reason: string | null): Promise<void> {
  const outcome = await service(turn).decline(actor(turn), requestId, reason ? (relayText(turn, reason) ?? null) : null);
  if (!outcome.ok) return decisionFailed(turn, outcome);
  turn.say('intro.declined_done', { title: outcome.title });
}

export async function askQuestion(turn: Turn, requestId: number): Promise<void> {
  const open = await service(turn).decidable(actor(turn), requestId);
  if (!open.ok) return decisionFailed(turn, open);
  turn.state.awaiting = { type: 'intro_question', requestId };
  turn.say('intro.ask_question');
}

export async function sendQuestion(turn: Turn, requestId: number, text: string): Promise<void> {
  const question = relayText(turn, text);
  if (!question) return askQuestion(turn, requestId);
  const outcome = await service(turn).ask(actor(turn), requestId, question);
  if (!outcome.ok) return decisionFailed(turn, outcome);
  turn.say('intro.question_sent');
}

export function askReply(turn: Turn, requestId: number): void {
  turn.state.awaiting = { type: 'intro_reply', requestId };
  turn.say('intro.ask_reply');
}

export async function sendReply(turn: Turn, requestId: number, text: string): Promise<void> {
  const answer = relayText(turn, text);
  if (!answer) return askReply(turn, requestId);
  const outcome = await service(turn).reply(actor(turn), requestId, answer);
  if (!outcome.ok) return decisionFailed(turn, outcome);
  turn.say('intro.reply_sent');
}

export async function withdrawIntroduction(turn: Turn, requestId: number): Promise<void> {
  const outcome = await service(turn).withdraw(actor(turn), requestId);
  if (!outcome.ok) return decisionFailed(turn, outcome);
  turn.say('intro.withdrawn_done', { title: outcome.title });
}

/** "My introductions": the user's requests with their status, withdraw buttons, and the contact on file. */
export async function showIntroductions(turn: Turn): Promise<void> {
  const intros = service(turn);
  const [requests, { contact }] = await Promise.all([intros.listFor(turn.user.id, 20), intros.contactOf(turn.user.id)]);
  if (requests.length === 0) turn.say('intro.none');
  for (const request of requests) {
    const line = turn.t('intro.list_item', { title: request.title, status: turn.t(`intro.status.${request.status}`) });
    if (request.status === 'pending') turn.buttons('intro.list_item', [turn.button('button.intro_withdraw', `iwd:${request.id}`)], { title: request.title, status: turn.t('intro.status.pending') });
    else turn.text(line);
  }
  turn.buttons(contact ? 'intro.contact_on_file' : 'intro.contact_none', [turn.button('button.intro_contact', 'ict')], { contact: contact ?? '' });
}

export function askContact(turn: Turn): void {
  turn.state.awaiting = { type: 'contact' };
  turn.say('intro.ask_contact');
}

export async function setContact(turn: Turn, text: string): Promise<void> {
  const contact = relayText(turn, text);
  if (!contact) return askContact(turn);
  await service(turn).setContact(turn.user.id, contact);
  turn.say('intro.contact_saved', { contact });
}
