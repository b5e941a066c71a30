/**
 * Introductions (double opt-in) and saved-need alerts through the real engine, store and outbox, on PGlite
 * and PostgreSQL. Users of different channels talk to the engine as their adapters would (the adapters'
 * inbox handler remembers each user's address; here `rememberAddressOf` does), and every notification is
 * read back from the outbox exactly as the channel workers would send it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Alerts } from '../core/alerts/alerts.js';
import { translator } from '../core/conversation/i18n.js';
import { readEnv } from '../core/config/env.js';
import type { Engine } from '../core/conversation/engine.js';
import { DeliveryStore } from '../core/delivery/delivery-store.js';
import { Glossary } from '../core/glossary/glossary.js';
import { introductionSettingsFromEnv } from '../core/introductions/from-env.js';
import { Introductions } from '../core/introductions/introductions.js';
import { saveListing } from '../core/listings/save-listing.js';
import { Matcher } from '../core/retrieval/match.js';
import type { Db } from '../core/store/db.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ChatUser, engineFor, loadSamples } from './support/chat.js';
import { STORE_KINDS, openTestStore } from './support/stores.js';

const ENV = {
  JEMBATAN_INTRO_DAILY_LIMIT: '3',
  JEMBATAN_MODERATION_SLACK_CHANNEL: 'CMODQ',
  SLACK_BOT_TOKEN: 'xoxb-test',
  JEMBATAN_MODERATORS: 'USTAFF',
};

interface Queued {
  id: number;
  channel: string;
  address: Record<string, unknown>;
  text: string;
  actions: string[];
}

/** Outbox rows after `afterId`, with their text and button actions flattened. */
async function outboxAfter(db: Db, afterId: number): Promise<Queued[]> {
  const { rows } = await db.query<{ id: number; channel: string; address: unknown; replies: unknown }>(
    'SELECT id, channel, address, replies FROM outbox WHERE id > $1 ORDER BY id',
    [afterId],
  );
  return rows.map((row) => {
    const replies = (typeof row.replies === 'string' ? JSON.parse(row.replies) : row.replies) as Array<Record<string, any>>;
    const text = replies
      .map((reply) => [reply.text ?? '', ...(reply.cards ?? []).map((card: any) => `${card.title}\n${card.summary}`)].join('\n'))
      .join('\n');
    const actions = replies.flatMap((reply) => [
      ...(reply.buttons ?? []).map((b: any) => b.action),
      ...(reply.options ?? []).map((b: any) => b.action),
      ...(reply.cards ?? []).flatMap((card: any) => card.buttons.map((b: any) => b.action)),
    ]);
    return { id: row.id, channel: row.channel, address: (typeof row.address === 'string' ? JSON.parse(row.address) : row.address) as Record<string, unknown>, text, actions };
  });
}

async function lastOutboxId(db: Db): Promise<number> {
  return (await db.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM outbox')).rows[0]!.n;
}

describe.each(STORE_KINDS)('introductions and alerts on %s', (kind) => {
  let store: ListingStore;
  let db: Db;
  let cleanup: () => Promise<void>;
  let engine: Engine;
  let delivery: DeliveryStore;
  let intros: Introductions;
  let ownedId: number;
  let ownerlessId: number;
  let secondOwnedId: number;

  /** A user of a channel who has written once, so their address is known (as the adapters do it). */
  async function person(channel: string, userId: string, address: Record<string, unknown>, hello = 'hello'): Promise<ChatUser> {
    const user = new ChatUser(engine, userId, { channel, conversationId: `dm-${userId}` });
    await user.say(hello);
    await delivery.rememberAddressOf(channel, userId, `dm-${userId}`, address);
    return user;
  }

  beforeAll(async () => {
    ({ store, db, cleanup } = await openTestStore(kind));
    await loadSamples(store);
    engine = engineFor(store, { env: ENV });
    delivery = new DeliveryStore(db);
    intros = new Introductions(db, delivery, introductionSettingsFromEnv(readEnv(ENV)));
    const deps = { store, glossary: Glossary.shared(), encoder: undefined };
    ownedId = (
      await saveListing(deps, {
        external_id: 'intro-owned-1',
        source: 'intro-test',
        kind: 'offer',
        title: 'Solar-powered ice maker for fishing boats',
        summary: 'A compact solar ice maker that keeps the catch of small fishing boats cold for two days without diesel.',
        language: 'en',
        country: 'PH',
        sectors: ['agrifood', 'energy'],
        owner_ref: 'teams:owner-1',
        confidential: 'Licence terms: 3 % royalty; prototype drawings on request. Dr. Reyes, +63 912 000 0000.',
      })
    ).id;
    secondOwnedId = (
      await saveListing(deps, {
        external_id: 'intro-owned-2',
        source: 'intro-test',
        kind: 'offer',
        title: 'Low-cost seaweed drying racks',
        summary: 'Raised drying racks for seaweed farmers that halve drying time in the wet season.',
        language: 'en',
        country: 'PH',
        sectors: ['agrifood'],
        owner_ref: 'teams:owner-1',
      })
    ).id;
    ownerlessId = (await db.query<{ id: number }>(`SELECT id FROM listings WHERE external_id = 'sample-001'`)).rows[0]!.id;
  });
  afterAll(async () => cleanup());

  it('request → owner on another channel accepts → both get contacts, the requester the confidential details; nothing before', async () => {
    const owner = await person('teams', 'owner-1', { conversation: { id: 'teams-conv-owner' } });
    const requester = await person('telegram', 'req-1', { chatId: 1001 }, 'xin chào');
    const before = await lastOutboxId(db);

    const asked = await requester.press(`intro:${ownedId}`);
    expect(asked.actions()).toEqual(['icx']);
    const askedContact = await requester.say('Chúng tôi muốn thử nghiệm máy làm đá trên 5 tàu cá ở Khánh Hòa. Tôi là Lan, hợp tác xã nghề cá.');
    expect(askedContact.text()).not.toContain('Dr. Reyes');
    const sent = await requester.say('Lan Nguyen, HTX Nghề cá Khánh Hòa, lan@example.vn, +84 90 111 2222');
    expect(sent.actions()).toEqual([expect.stringMatching(/^iwd:\d+$/)]);
    const requestId = Number(sent.actions()[0]!.split(':')[1]);
    const request = (await db.query<{ status: string; route: string; message: string }>('SELECT status, route, message FROM introduction_requests WHERE id = $1', [requestId])).rows[0];
    expect(request).toMatchObject({ status: 'pending', route: 'owner' });
    expect(request!.message).toContain('Khánh Hòa');

    // The owner is told on Teams, in their language, with the message; no contact of either side.
    const toOwner = await outboxAfter(db, before);
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0]).toMatchObject({ channel: 'teams', address: { conversation: { id: 'teams-conv-owner' } } });
    expect(toOwner[0]!.text).toContain('Solar-powered ice maker');
    expect(toOwner[0]!.text).toContain('Khánh Hòa');
    expect(toOwner[0]!.text).not.toContain('lan@example.vn');
    expect(toOwner[0]!.text).not.toContain('royalty');
    expect(toOwner[0]!.actions).toEqual([`iac:${requestId}`, `idc:${requestId}`, `iqs:${requestId}`]);

    // Only the owner can decide.
    const stranger = await person('telegram', 'stranger', { chatId: 1009 });
    expect((await stranger.press(`iac:${requestId}`)).text()).toContain('Only the listing');
    expect((await requester.press(`iac:${requestId}`)).text()).toContain(translator('vi')('intro.not_allowed'));

    // Accept: the owner has no contact on file yet, so it is asked first.
    const mark = await lastOutboxId(db);
    const askOwner = await owner.press(`iac:${requestId}`);
    expect(askOwner.text()).toContain('contact details');
    expect(await outboxAfter(db, mark)).toHaveLength(0);
    const accepted = await owner.say('Dr. Ana Reyes, SolarIce Lab, ana@solarice.ph');
    expect(accepted.text()).toContain('accepted');
    const afterAccept = await outboxAfter(db, mark);
    const toRequester = afterAccept.find((row) => row.channel === 'telegram')!;
    const toOwnerAgain = afterAccept.find((row) => row.channel === 'teams')!;
    expect(toRequester.address).toEqual({ chatId: 1001 });
    expect(toRequester.text).toContain('ana@solarice.ph');
    expect(toRequester.text).toContain('3 % royalty');
    // The requester wrote in Vietnamese: the notification is in Vietnamese.
    expect(toRequester.text).toMatch(/[ạảãàáâậầấẩẫăặằắẳẵêệềếểễôộồốổỗơợờớởỡưựừứửữđ]/u);
    expect(toOwnerAgain.text).toContain('lan@example.vn');
    expect((await db.query<{ status: string; decided_by: string }>('SELECT status, decided_by FROM introduction_requests WHERE id = $1', [requestId])).rows[0]).toEqual({
      status: 'accepted',
      decided_by: 'teams:owner-1',
    });
    // Decided once: a second press changes nothing.
    const again = await lastOutboxId(db);
    expect((await owner.press(`iac:${requestId}`)).text()).toContain('no longer open');
    expect(await outboxAfter(db, again)).toHaveLength(0);
    // The introduction is counted for statistics, without message text.
    const events = await db.query<{ event: string }>(`SELECT event FROM match_events WHERE listing_id = $1 ORDER BY id`, [ownedId]);
    expect(events.rows.map((row) => row.event)).toEqual(expect.arrayContaining(['intro_requested', 'intro_accepted']));
  });

  it('a question and an answer are relayed; a decline shares only the reason given for sharing', async () => {
    const owner = new ChatUser(engine, 'owner-1', { channel: 'teams', conversationId: 'dm-owner-1' });
    const requester = await person('telegram', 'req-2', { chatId: 1002 });
    await requester.press(`intro:${secondOwnedId}`);
    await requester.say('We farm seaweed in Tawi-Tawi and want to test the racks with 20 families.');
    const sent = await requester.say('Amir, Tawi-Tawi Seaweed Coop, amir@example.ph');
    const requestId = Number(sent.actions()[0]!.split(':')[1]);

    await owner.press(`iqs:${requestId}`);
    let mark = await lastOutboxId(db);
    await owner.say('How many racks per family do you need?');
    const question = await outboxAfter(db, mark);
    expect(question).toHaveLength(1);
    expect(question[0]).toMatchObject({ channel: 'telegram', actions: [`irp:${requestId}`, `iwd:${requestId}`] });
    expect(question[0]!.text).toContain('How many racks');
    expect(question[0]!.text).not.toContain('ana@solarice.ph');

    await requester.press(`irp:${requestId}`);
    mark = await lastOutboxId(db);
    await requester.say('About four racks per family.');
    const answer = await outboxAfter(db, mark);
    expect(answer[0]).toMatchObject({ channel: 'teams', actions: [`iac:${requestId}`, `idc:${requestId}`, `iqs:${requestId}`] });
    expect(answer[0]!.text).toContain('four racks');
    expect(answer[0]!.text).not.toContain('amir@example.ph');

    await owner.press(`idc:${requestId}`);
    mark = await lastOutboxId(db);
    await owner.say('We only license to manufacturers at the moment.');
    const declined = await outboxAfter(db, mark);
    expect(declined).toHaveLength(1);
    expect(declined[0]!.channel).toBe('telegram');
    expect(declined[0]!.text).toContain('only license to manufacturers');
    expect(declined[0]!.text).not.toContain('ana@solarice.ph');
  });

  it('decline without a reason, withdraw, duplicates, own listings and the daily limit', async () => {
    const owner = new ChatUser(engine, 'owner-1', { channel: 'teams', conversationId: 'dm-owner-1' });
    const requester = await person('telegram', 'req-3', { chatId: 1003 });
    await requester.press(`intro:${ownedId}`);
    await requester.say('We run a fish landing site and want a pilot.');
    const first = await requester.say('Budi, budi@example.id');
    const firstId = Number(first.actions()[0]!.split(':')[1]);
    const mark = await lastOutboxId(db);
    await owner.press(`idn:${firstId}`);
    const silent = await outboxAfter(db, mark);
    expect(silent).toHaveLength(1);
    expect(silent[0]!.text).toContain('declined');
    expect(silent[0]!.text).not.toContain('reason');

    // The same listing again: refused, whatever the earlier outcome.
    expect((await requester.press(`intro:${ownedId}`)).text()).toContain('already asked');
    // The owner cannot ask for an introduction to their own listing.
    expect((await owner.press(`intro:${ownedId}`)).text()).toContain('your own listing');

    // Withdraw: the owner is told.
    await requester.press(`intro:${secondOwnedId}`);
    const second = await requester.say('Pilot with seaweed racks for our cooperative.');
    const secondId = Number(second.actions()[0]!.split(':')[1]);
    const beforeWithdraw = await lastOutboxId(db);
    expect((await requester.press(`iwd:${secondId}`)).text()).toContain('withdrew');
    const withdrawn = await outboxAfter(db, beforeWithdraw);
    expect(withdrawn.map((row) => row.channel)).toEqual(['teams']);
    expect(withdrawn[0]!.text).toContain('withdrawn');
    expect((await owner.press(`iac:${secondId}`)).text()).toContain('no longer open');

    // Daily limit (3 in ENV): req-3 made 2; a third (to the secretariat) passes, a fourth is refused.
    const samples = (await db.query<{ id: number }>(`SELECT id FROM listings WHERE source = 'jembatan-sample' AND kind = 'offer' ORDER BY id LIMIT 3`)).rows;
    await requester.press(`intro:${samples[1]!.id}`);
    expect((await requester.say('Third request, for a pilot.')).text()).toContain('secretariat');
    // The fourth is refused as soon as it is asked for, before the requester writes anything.
    const refused = await requester.press(`intro:${samples[2]!.id}`);
    expect(refused.text()).toContain('limit of 3');
    expect(refused.actions()).toEqual([]);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM introduction_requests r JOIN chat_users u ON u.id = r.user_id WHERE u.channel_user_id = 'req-3'`)).rows[0]!.n).toBe(3);

    // "intros" lists them with their status.
    const list = await requester.say('intros');
    expect(list.text()).toContain('declined');
    expect(list.text()).toContain('withdrawn');
    expect(list.text()).toContain('Budi, budi@example.id');
  });

  it('listings without an owner go to the secretariat channel with the source link; only staff decide', async () => {
    const requester = await person('telegram', 'req-4', { chatId: 1004 }, 'สวัสดีครับ');
    const staff = new ChatUser(engine, 'USTAFF', { channel: 'slack', conversationId: 'CMODQ' });
    const notStaff = new ChatUser(engine, 'UOTHER', { channel: 'slack', conversationId: 'CMODQ' });
    const mark = await lastOutboxId(db);
    await requester.press(`intro:${ownerlessId}`);
    await requester.say('ฟาร์มกุ้งของเราที่จันทบุรีอยากทดลองเซนเซอร์ออกซิเจน 10 บ่อ');
    const sent = await requester.say('Somchai, somchai@example.th');
    const requestId = Number(sent.actions()[0]!.split(':')[1]);
    const toSecretariat = await outboxAfter(db, mark);
    expect(toSecretariat).toHaveLength(1);
    expect(toSecretariat[0]).toMatchObject({ channel: 'slack', address: { channel: 'CMODQ' } });
    expect(toSecretariat[0]!.text).toContain('jembatan-sample/sample-001');
    expect(toSecretariat[0]!.text).not.toContain('somchai@example.th');

    expect((await notStaff.press(`iac:${requestId}`)).text()).toContain('Only the listing');
    await staff.press(`iac:${requestId}`);
    const before = await lastOutboxId(db);
    await staff.say('ASEAN hub secretariat, intro@asean-hub.example');
    const toRequester = (await outboxAfter(db, before)).find((row) => row.channel === 'telegram')!;
    expect(toRequester.text).toContain('intro@asean-hub.example');
    expect(toRequester.text).toContain('jembatan-sample/sample-001');
  });

  it('without a secretariat channel, a request for an ownerless listing is refused and nothing is stored', async () => {
    const bare = engineFor(store, { env: {} });
    const requester = new ChatUser(bare, 'req-5', { channel: 'telegram', conversationId: 'dm-req-5' });
    await requester.say('hello');
    await delivery.rememberAddressOf('telegram', 'req-5', 'dm-req-5', { chatId: 1005 });
    await requester.press(`intro:${ownerlessId}`);
    await requester.say('We want a pilot.');
    const refused = await requester.say('Req Five, five@example.com');
    expect(refused.text()).toContain('not sent');
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM introduction_requests r JOIN chat_users u ON u.id = r.user_id WHERE u.channel_user_id = 'req-5'`)).rows[0]!.n).toBe(0);
  });

  it('requests expire; both sides are told once', async () => {
    const requester = await person('telegram', 'req-6', { chatId: 1006 });
    await requester.press(`intro:${secondOwnedId}`);
    await requester.say('We would like to license the racks.');
    const sent = await requester.say('Six, six@example.com');
    const requestId = Number(sent.actions()[0]!.split(':')[1]);
    await db.query(`UPDATE introduction_requests SET expires_at = now() - interval '1 minute' WHERE id = $1`, [requestId]);
    const mark = await lastOutboxId(db);
    expect(await intros.expireDue()).toBe(1);
    const told = await outboxAfter(db, mark);
    expect(told.map((row) => row.channel).sort()).toEqual(['teams', 'telegram']);
    expect(told.every((row) => row.text.includes('expired'))).toBe(true);
    expect(await intros.expireDue()).toBe(0);
    const owner = new ChatUser(engine, 'owner-1', { channel: 'teams', conversationId: 'dm-owner-1' });
    expect((await owner.press(`iac:${requestId}`)).text()).toContain('no longer open');
  });

  it('alerts: a saved need gets one digest for a new matching listing, none again, at most one a day', async () => {
    const user = await person('telegram', 'alert-1', { chatId: 2001 });
    const search = await user.say('solar powered cold storage for vegetables');
    expect(search.actions()).toContain('alert');
    const saved = await user.press('alert');
    expect(saved.text()).toContain('Saved');
    expect((await user.press('alert')).text()).toContain('already have an alert');
    const alerts = new Alerts(db, delivery, new Matcher(store, Glossary.shared(), undefined), store);

    // Nothing new yet: what the search showed is not news.
    await alerts.scan();
    expect(await alerts.sendDigests()).toBe(0);

    const deps = { store, glossary: Glossary.shared(), encoder: undefined };
    await saveListing(deps, {
      external_id: 'alert-new-1',
      source: 'intro-test',
      kind: 'offer',
      title: 'Solar powered cold storage room for vegetable farmers',
      summary: 'A walk-in cold storage room run on solar panels and batteries keeps vegetables fresh for two weeks on farms without grid power.',
      language: 'en',
      country: 'TH',
      sectors: ['agrifood', 'energy'],
    });
    expect(await alerts.scan()).toBeGreaterThanOrEqual(1);
    const mark = await lastOutboxId(db);
    expect(await alerts.sendDigests()).toBe(1);
    const digest = await outboxAfter(db, mark);
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({ channel: 'telegram', address: { chatId: 2001 } });
    expect(digest[0]!.text).toContain('Solar powered cold storage room');
    expect(digest[0]!.actions).toContain('cmd:alerts');

    // Scanning and sending again: nothing new, no second message.
    await alerts.scan();
    expect(await alerts.sendDigests()).toBe(0);
    // Another new listing the same day waits for tomorrow's digest.
    await saveListing(deps, {
      external_id: 'alert-new-2',
      source: 'intro-test',
      kind: 'offer',
      title: 'Solar cold storage container for vegetable cooperatives',
      summary: 'A shipping container converted into solar powered cold storage for vegetables at cooperative collection points.',
      language: 'en',
      country: 'VN',
      sectors: ['agrifood', 'energy'],
    });
    expect(await alerts.scan()).toBeGreaterThanOrEqual(1);
    expect(await alerts.sendDigests()).toBe(0);
    await db.query(`UPDATE alert_digests SET last_sent_at = now() - interval '25 hours'`);
    const nextDay = await lastOutboxId(db);
    expect(await alerts.sendDigests()).toBe(1);
    expect((await outboxAfter(db, nextDay))[0]!.text).toContain('Solar cold storage container');

    // List and stop.
    const list = await user.say('alerts');
    const stop = list.actions().find((action) => action.startsWith('ast:'))!;
    expect((await user.press(stop)).text()).toContain('stopped');
    expect((await user.say('alerts')).text()).toContain('no alerts');
  });

  it('forget deletes saved needs, the contact on file and messages still queued for the user', async () => {
    const user = await person('telegram', 'forget-1', { chatId: 3001 });
    await user.say('solar dryer for fish');
    await user.press('alert');
    await user.press('ict');
    await user.say('Forget Me, forget@example.com');
    await delivery.enqueue('telegram', { chatId: 3001 }, [{ type: 'text', text: 'queued before forget' }]);
    await user.say('forget');
    await user.press('forget:yes');
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'telegram' AND address_key = '{"chatId":3001}' AND sent_at IS NULL`)).rows[0]!.n).toBe(0);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM saved_needs s LEFT JOIN chat_users u ON u.id = s.user_id WHERE u.id IS NULL`)).rows[0]!.n).toBe(0);
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM chat_users WHERE contact = 'Forget Me, forget@example.com'`)).rows[0]!.n).toBe(0);
  });
});
