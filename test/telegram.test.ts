/**
 * The Telegram channel end to end through real HTTP: a fake Bot API server on 127.0.0.1
 * (test/support/fake-telegram.ts, reached through TELEGRAM_API_ROOT) and the bot composed from the
 * environment, on a real store (PGlite with the sample listings), the real engine, and the delivery
 * inbox/outbox. Full conversations run in polling and in webhook mode (the webhook on the shared server of
 * `jembatan serve`); then redelivery, the webhook secret, a restart, long answers, 429s, blocked users,
 * groups, deep links, command menus and a database outage.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TelegramBot, webhookSecret } from '../adapters/telegram/bot.js';
import { CallbackData } from '../adapters/telegram/callback-data.js';
import { TELEGRAM_COMMANDS } from '../adapters/telegram/commands.js';
import { telegramMount } from '../adapters/telegram/mount.js';
import { escapeHtml, renderReplies, splitText, toHtml } from '../adapters/telegram/render.js';
import { readUpdate } from '../adapters/telegram/updates.js';
import { channelMounts } from '../bots/serve/channels.js';
import { JembatanServer, type ChannelMount } from '../bots/serve/http-server.js';
import { telegramBotFromEnv } from '../bots/telegram/telegram.js';
import { readEnv } from '../core/config/env.js';
import { translator } from '../core/conversation/i18n.js';
import type { ConversationEngine } from '../core/conversation/types.js';
import { DeliveryStore } from '../core/delivery/delivery-store.js';
import { notifyUser } from '../core/delivery/engine-bridge.js';
import type { Db } from '../core/store/db.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { engineFor, loadSamples } from './support/chat.js';
import { FakeTelegram, TOO_MANY_REQUESTS, buttonsOf, messagesText, parseHtml, type TgChat, type TgMessage, type TgUpdate, type TgUser } from './support/fake-telegram.js';
import { freePort, sleep } from './support/net.js';
import { openTestStore } from './support/stores.js';

const silent = pino({ level: 'silent' });
const SECRET = 'test_webhook_secret-123';
/** Quick pacing for conversations; the pacing test uses Telegram's real figures. */
const FAST = { perAddressMs: 50, perSecond: 100 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let fake: FakeTelegram;
let store: ListingStore;
let db: Db;
let cleanup: () => Promise<void>;
let nextUserId = 5_000_001;

beforeAll(async () => {
  fake = await new FakeTelegram().start();
  ({ store, db, cleanup } = await openTestStore('pglite'));
  await loadSamples(store);
});
afterAll(async () => {
  await fake?.close();
  await cleanup?.();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Running {
  /** Absent when the bot was mounted the way `jembatan serve` does it (channelMounts). */
  bot?: TelegramBot;
  mode: 'polling' | 'webhook';
  webhookUrl?: string;
  stop(): Promise<void>;
}

let running: Running | undefined;

async function startBot(
  mode: 'polling' | 'webhook',
  options: {
    engine?: ConversationEngine;
    delivery?: DeliveryStore;
    pacing?: { perAddressMs: number; perSecond: number };
    /** Mount it as `jembatan serve` does: channelMounts() with Telegram's real pacing. */
    viaChannels?: boolean;
  } = {},
): Promise<Running> {
  const port = mode === 'webhook' ? await freePort() : 0;
  const webhookUrl = mode === 'webhook' ? `http://127.0.0.1:${port}/telegram/webhook` : undefined;
  const env = readEnv({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...(webhookUrl ? { TELEGRAM_WEBHOOK_URL: webhookUrl, TELEGRAM_WEBHOOK_SECRET: SECRET } : {}),
  });
  const engine = options.engine ?? engineFor(store, { pageSize: 2 });
  let bot: TelegramBot | undefined;
  let mount: ChannelMount;
  if (options.viaChannels) {
    const mounts = channelMounts(env, engine, silent, db);
    expect(mounts.map((m) => m.name)).toEqual(['telegram']);
    mount = mounts[0]!;
  } else {
    bot = telegramBotFromEnv({
      env,
      engine,
      db,
      logger: silent,
      overrides: {
        pacing: options.pacing ?? FAST,
        worker: { pollMs: 50, retryBaseMs: 100 },
        ...(options.delivery ? { delivery: options.delivery } : {}),
      },
    });
    mount = telegramMount(bot);
  }
  let server: JembatanServer | undefined;
  if (mode === 'webhook') {
    server = new JembatanServer({ ready: async () => ({}) }, [mount], silent);
    await server.listen(port, '127.0.0.1');
  }
  await mount.start!();
  const run: Running = {
    bot,
    mode,
    webhookUrl,
    async stop() {
      await server?.close(2_000);
      await mount.stop!();
      if (running === run) running = undefined;
    },
  };
  running = run;
  return run;
}

afterEach(async () => {
  await running?.stop();
});

async function outboxWaiting(): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'telegram' AND sent_at IS NULL AND failed_at IS NULL`);
  return rows[0]!.n;
}

/** Waits until the update was handled and every reply of the channel was sent (or failed). */
async function settle(updateId: number): Promise<void> {
  await waitFor(`update ${updateId} to be answered`, async () => {
    const { rows } = await db.query<{ done: boolean }>(`SELECT done_at IS NOT NULL AS done FROM inbox WHERE channel = 'telegram' AND message_id = $1`, [
      String(updateId),
    ]);
    return rows[0]?.done && (await outboxWaiting()) === 0 ? true : undefined;
  });
  await running?.bot?.settled();
}

function withButton(messages: TgMessage[], data: string | RegExp): TgMessage {
  const found = messages.find((m) => buttonsOf(m).some((b) => (typeof data === 'string' ? b.callback_data === data : data.test(b.callback_data ?? ''))));
  if (!found) throw new Error(`no message with a button ${String(data)} among:\n${messages.map((m) => `${m.text} ${JSON.stringify(buttonsOf(m))}`).join('\n')}`);
  return found;
}

function cardIds(messages: TgMessage[]): number[] {
  return messages.flatMap((m) => buttonsOf(m).flatMap((b) => (b.callback_data?.startsWith('det:') ? [Number(b.callback_data.slice(4))] : [])));
}

/** A Telegram user in a chat (their private chat unless a group is given). */
class Person {
  readonly user: TgUser;

  constructor(
    name: string,
    languageCode: string | undefined,
    readonly chat?: TgChat,
  ) {
    this.user = { id: nextUserId++, is_bot: false, first_name: name, ...(languageCode ? { language_code: languageCode } : {}) };
    if (!chat) fake.privateChat(this.user);
  }

  get chatId(): number {
    return this.chat?.id ?? this.user.id;
  }

  messages(): TgMessage[] {
    return fake.messagesIn(this.chatId);
  }

  private async after(run: () => Promise<{ update: TgUpdate }>): Promise<TgMessage[]> {
    const before = this.messages().length;
    const { update } = await run();
    await settle(update.update_id);
    return this.messages().slice(before);
  }

  say(text: string): Promise<TgMessage[]> {
    return this.after(() => fake.message(this.user, text, { chat: this.chat }));
  }

  press(message: TgMessage, labelOrData: string): Promise<TgMessage[]> {
    return this.after(() => fake.press(this.user, message, labelOrData));
  }
}

async function queryOne<T>(sql: string, params: unknown[]): Promise<T | undefined> {
  return (await db.query<T>(sql, params)).rows[0];
}

// ---------------------------------------------------------------------------------------------------

describe.each(['polling', 'webhook'] as const)('conversations on Telegram (%s)', (mode) => {
  it('a Khmer founder: find → more → details → not relevant → reason', async () => {
    await startBot(mode);
    const km = translator('km');
    const founder = new Person('Sokha', 'km');
    const page1 = await founder.say('ត្រូវការប្រព័ន្ធចម្រោះទឹកដោយថាមពលព្រះអាទិត្យសម្រាប់ភូមិ');
    const ids1 = cardIds(page1);
    expect(ids1).toHaveLength(2);
    const card = withButton(page1, `det:${ids1[0]}`);
    // HTML parse mode: the title is bold (a real entity, no tags left), four buttons in rows of two.
    expect(card.entities?.[0]).toMatchObject({ type: 'bold', offset: 0 });
    expect(card.text).not.toMatch(/<\/?b>|&lt;|&amp;/);
    expect(card.reply_markup!.inline_keyboard.map((row) => row.length)).toEqual([2, 2]);
    const more = withButton(page1, 'more');
    expect(more.text).toContain(km('find.more_hint').slice(0, 12));

    const page2 = await founder.press(more, 'more');
    const ids2 = cardIds(page2);
    expect(ids2.length).toBeGreaterThan(0);
    expect(ids2.filter((id) => ids1.includes(id))).toEqual([]);

    const details = await founder.press(card, `det:${ids1[0]}`);
    const listing = await queryOne<{ source: string; external_id: string }>(`SELECT source, external_id FROM listings WHERE id = $1`, [ids1[0]]);
    expect(messagesText(details)).toContain(km('details.reference', { source: listing!.source, id: listing!.external_id }));

    const ask = await founder.press(withButton(page1, `nr:${ids1[1]}`), `nr:${ids1[1]}`);
    const reasons = withButton(ask, 'why:wrong_country');
    // A choice: one option per row.
    expect(reasons.reply_markup!.inline_keyboard.map((row) => row.length)).toEqual([1, 1, 1, 1]);
    const question = reasons.text;
    expect(question).toBe(km('feedback.ask_reason'));
    const thanks = await founder.press(reasons, 'why:wrong_country');
    expect(messagesText(thanks)).toContain(km('feedback.thanks'));
    // The answered choice is edited: the chosen reason shown, the keyboard gone.
    const edited = founder.messages().find((m) => m.message_id === reasons.message_id)!;
    expect(edited.reply_markup).toBeUndefined();
    expect(edited.text).toBe(`${question}\n\n✓ ${km('feedback.wrong_country')}`);
    expect(fake.callsOf('editMessageText').some((call) => Number(call.params.message_id) === reasons.message_id)).toBe(true);

    const feedback = await queryOne<{ reason: string }>(
      `SELECT f.reason FROM match_feedback f JOIN chat_users u ON u.id = f.user_id
        WHERE u.channel = 'telegram' AND u.channel_user_id = $1 AND f.listing_id = $2`,
      [String(founder.user.id), ids1[1]],
    );
    expect(feedback?.reason).toBe('wrong_country');
    // Every press was answered (no endless spinner), each once.
    const presses = [...fake.callbackQueries.values()].filter((query) => query.chatId === founder.chatId);
    expect(presses).toHaveLength(4);
    expect(presses.every((query) => query.answeredAt !== undefined)).toBe(true);
    // Everything went through the outbox and was sent.
    const failed = await queryOne<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE channel = 'telegram' AND failed_at IS NOT NULL`, []);
    expect(failed?.n).toBe(0);
  });

  it('an English researcher: list my work → answer the country question → submit', async () => {
    await startBot(mode);
    const en = translator('en');
    const researcher = new Person('Aminah', 'en');
    const menu = await researcher.say('/start');
    const ask = await researcher.press(withButton(menu, 'cmd:offer'), 'cmd:offer');
    expect(messagesText(ask)).toContain(en('draft.ask_offer'));
    const drafted = await researcher.say(
      'I work on a low-cost dissolved oxygen sensor for shrimp ponds that switches aerators on at night. We have a field-tested prototype and are looking for a licensing partner.',
    );
    let step = await researcher.press(withButton(drafted, 'set:country:MY'), 'set:country:MY');
    for (let i = 0; i < 4 && !step.some((m) => buttonsOf(m).some((b) => b.callback_data === 'submit')); i++) {
      const next = step.filter((m) => buttonsOf(m).length > 0).at(-1)!;
      step = await researcher.press(next, buttonsOf(next)[0]!.callback_data!);
    }
    const preview = withButton(step, 'submit');
    expect(preview.text).toContain(en('field.country'));
    const submitted = await researcher.press(preview, 'submit');
    expect(messagesText(submitted)).toContain(en('draft.submitted', { title: '', reference: '' }).split('"')[0]!);

    const row = await queryOne<{ status: string; country: string; kind: string }>(`SELECT status, country, kind FROM listings WHERE owner_ref = $1`, [
      `telegram:${researcher.user.id}`,
    ]);
    expect(row).toEqual({ status: 'pending', country: 'MY', kind: 'offer' });
    // The private chat is remembered, so a moderation outcome can reach the researcher later.
    const address = await queryOne<{ address: { chatId: number } }>(
      `SELECT a.address FROM channel_addresses a JOIN chat_users u ON u.id = a.user_id WHERE u.channel = 'telegram' AND u.channel_user_id = $1`,
      [String(researcher.user.id)],
    );
    expect(address?.address).toEqual({ chatId: researcher.chatId });
  });

  it('a redelivered update is stored and answered once', async () => {
    const run = await startBot(mode);
    const person = new Person('Budi', 'id');
    const before = person.messages().length;
    const first = await fake.message(person.user, '/privacy');
    await settle(first.update.update_id);
    const answered = person.messages().length - before;
    expect(answered).toBe(1);
    // Telegram sends the same update again (the bot's answer got lost, a polling offset was not confirmed).
    if (mode === 'webhook') {
      expect(first.status).toBe(200);
      expect(await fake.post(run.webhookUrl!, first.update, SECRET)).toBe(200);
    } else {
      // The process stopped before confirming the offset: the next one gets the update again.
      await run.stop();
      await fake.deliver(first.update);
      const polls = fake.callsOf('getUpdates').length;
      await startBot('polling');
      await waitFor('the redelivery to be fetched', () =>
        fake.callsOf('getUpdates').slice(polls).some((call) => Number(call.params.offset) > first.update.update_id) ? true : undefined,
      );
    }
    await sleep(600);
    expect(await outboxWaiting()).toBe(0);
    expect(person.messages().length - before).toBe(1);
    const rows = await queryOne<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE channel = 'telegram' AND message_id = $1`, [String(first.update.update_id)]);
    expect(rows?.n).toBe(1);
  });
});

describe('the webhook on the shared server', () => {
  it('refuses a wrong or missing secret token with 401 and stores nothing (mounted as jembatan serve does)', async () => {
    const run = await startBot('webhook', { viaChannels: true });
    expect(fake.webhook).toMatchObject({ url: run.webhookUrl, secret_token: SECRET, allowed_updates: ['message', 'callback_query'] });
    const person = new Person('Mallory', 'en');
    const update: TgUpdate = {
      update_id: 990_000_001,
      message: { message_id: 1, from: person.user, chat: fake.privateChat(person.user), date: 1, text: '/help' },
    };
    expect(await fake.post(run.webhookUrl!, update, 'wrong-secret')).toBe(401);
    expect(await fake.post(run.webhookUrl!, update, undefined)).toBe(401);
    await sleep(300);
    const stored = await queryOne<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE message_id = $1`, ['990000001']);
    expect(stored?.n).toBe(0);
    expect(person.messages()).toHaveLength(0);
    // The right secret: stored and answered.
    expect(await fake.post(run.webhookUrl!, update, SECRET)).toBe(200);
    await settle(990_000_001);
    expect(person.messages()).toHaveLength(1);
  });

  it('answers Telegram at once while the engine is still working, then sends the reply', async () => {
    const real = engineFor(store, { pageSize: 2 });
    const slow: ConversationEngine = {
      async handle(input) {
        await sleep(1500);
        return real.handle(input);
      },
    };
    await startBot('webhook', { engine: slow });
    const person = new Person('Linh', 'vi');
    const started = Date.now();
    const { update, status } = await fake.message(person.user, '/help');
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(person.messages()).toHaveLength(0);
    await settle(update.update_id);
    expect(messagesText(person.messages())).toContain(translator('vi')('help.text').split('\n')[0]!.replace(/\*/g, ''));
  });

  it('derives the secret from the token when none is configured, and serves on the URL path', () => {
    expect(webhookSecret('1:abc')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(webhookSecret('1:abc')).not.toBe(webhookSecret('2:abc'));
    expect(webhookSecret('1:abc', 'given')).toBe('given');
  });
});

describe('Telegram delivery semantics (polling)', () => {
  it('registers the command menu in every language and opens a listing from a deep link', async () => {
    await startBot('polling');
    expect(fake.commands.size).toBe(10);
    expect(fake.commands.get('default/')!.map((c) => c.command)).toEqual([...TELEGRAM_COMMANDS]);
    expect(fake.commands.get('default/th')!.find((c) => c.command === 'find')!.description).toBe(translator('th')('command.find'));
    expect(fake.commands.get('default/tl')!.find((c) => c.command === 'forget')!.description).toBe(translator('fil')('command.forget'));
    expect(new Set([...fake.commands.keys()])).toEqual(new Set(['default/', ...['id', 'ms', 'th', 'vi', 'tl', 'km', 'lo', 'my', 'zh'].map((code) => `default/${code}`)]));

    const { id } = (await queryOne<{ id: number }>(`SELECT id FROM listings WHERE external_id = 'sample-002'`, []))!;
    const visitor = new Person('Nok', 'th');
    const opened = await visitor.say(`/start l_${id}`);
    expect(messagesText(opened)).toContain('sample-002');
    expect(cardIds(opened)).toEqual([]);
    expect(withButton(opened, `intro:${id}`)).toBeDefined();
  });

  it('in a group answers only commands and mentions, with the mention taken out', async () => {
    await startBot('polling');
    const group = fake.group(-100_777_001, 'Shrimp farmers');
    const member = new Person('Thanh', 'vi', group);
    // Not addressed to the bot: nothing stored, nothing said.
    const chatter = await fake.message(member.user, 'chào mọi người, hôm nay trời đẹp', { chat: group });
    const other = await fake.message(member.user, '/help@some_other_bot', { chat: group });
    await waitFor('both updates to be fetched', () => (fake.callsOf('getUpdates').some((c) => Number(c.params.offset) > other.update.update_id) ? true : undefined));
    await sleep(300);
    expect(member.messages()).toHaveLength(0);
    const stored = await queryOne<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE message_id IN ($1, $2)`, [
      String(chatter.update.update_id),
      String(other.update.update_id),
    ]);
    expect(stored?.n).toBe(0);

    const help = await member.say('/help@jembatan_test_bot');
    expect(withButton(help, 'cmd:find')).toBeDefined();
    const found = await member.say('@jembatan_test_bot cần máy sấy lúa dùng nhiệt để giảm gạo gãy');
    expect(cardIds(found).length).toBeGreaterThan(0);
    const logged = await queryOne<{ query: string }>(
      `SELECT s.query FROM search_log s JOIN chat_users u ON u.id = s.user_id WHERE u.channel = 'telegram' AND u.channel_user_id = $1`,
      [String(member.user.id)],
    );
    expect(logged?.query).not.toContain('@jembatan_test_bot');
    expect(logged?.query).toContain('máy sấy lúa');
    // A group is not where private notifications go.
    const address = await queryOne<{ n: number }>(
      `SELECT count(*)::int AS n FROM channel_addresses a JOIN chat_users u ON u.id = a.user_id WHERE u.channel_user_id = $1`,
      [String(member.user.id)],
    );
    expect(address?.n).toBe(0);
  });

  it('a button pressed after a restart (new bot, new engine, same database) still works', async () => {
    const first = await startBot('polling');
    const founder = new Person('Rizal', 'en');
    const results = await founder.say('solar dryer for salted fish');
    const ids = cardIds(results);
    expect(ids.length).toBeGreaterThan(0);
    await first.stop();

    await startBot('polling');
    const card = withButton(results, `det:${ids[0]}`);
    const details = await founder.press(card, `det:${ids[0]}`);
    expect(messagesText(details)).toMatch(/Reference: jembatan-sample sample-\d{3}/);
    // The conversation state survived too: "more like this" searches from the old card.
    const similar = await founder.press(card, `like:${ids[0]}`);
    expect(messagesText(similar)).not.toContain(translator('en')('action.unknown'));
    expect(cardIds(similar).length).toBeGreaterThan(0);
  });

  it('splits a long notification at paragraph boundaries and sends an image with sendPhoto', async () => {
    await startBot('polling');
    const researcher = new Person('Maria', 'fil');
    await researcher.say('/privacy');
    const paragraphs = Array.from({ length: 20 }, (_, i) => `Paragraph ${i + 1} <with> & *marks*: ${'word '.repeat(100).trim()}.`);
    const long = paragraphs.join('\n\n');
    expect(long.length).toBeGreaterThan(2 * 4096);
    const before = researcher.messages().length;
    const sent = await notifyUser({ db, store: new DeliveryStore(db) }, { channel: 'telegram', channelUserId: String(researcher.user.id) }, () => [
      { type: 'text', text: long },
      { type: 'image', png: new Uint8Array(PNG), alt: 'Matches by country <chart>' },
    ]);
    expect(sent).toBe(true);
    const messages = await waitFor('the notification', () => {
      const now = researcher.messages().slice(before);
      return now.some((m) => m.photo) ? now : undefined;
    });
    const texts = messages.filter((m) => m.text).map((m) => m.text!);
    expect(texts.length).toBe(3);
    expect(texts.every((text) => text.length <= 4096)).toBe(true);
    // Cut between paragraphs only, nothing lost, the markup kept and escaped.
    expect(texts.join('\n\n')).toBe(long.replace(/\*marks\*/g, 'marks'));
    expect(texts.every((text) => text.startsWith('Paragraph'))).toBe(true);
    expect(messages.find((m) => m.text)!.entities?.some((e) => e.type === 'bold')).toBe(true);
    const photo = fake.callsOf('sendPhoto').at(-1)!;
    expect(photo.files.photo!.bytes.equals(PNG)).toBe(true);
    expect(messages.find((m) => m.photo)!.caption).toBe('Matches by country <chart>');
  });

  it('waits out a 429 (retry_after) and delivers every message exactly once', async () => {
    await startBot('polling');
    const founder = new Person('Hiep', 'en');
    // Telegram refuses the second message of the answer (the first one went through).
    fake.failNext('sendMessage', TOO_MANY_REQUESTS(1), 1, 1);
    const started = Date.now();
    const answer = await founder.say('solar dryer for salted fish');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const refused = fake.callsOf('sendMessage').filter((call) => call.response.error_code === 429);
    expect(refused).toHaveLength(1);
    const ids = cardIds(answer);
    expect(ids.length).toBe(2);
    // No message twice: the retry continued after the card already delivered.
    const texts = answer.map((m) => m.text);
    expect(new Set(texts).size).toBe(texts.length);
    const row = await queryOne<{ attempts: number; last_error: string }>(
      `SELECT attempts, last_error FROM outbox WHERE channel = 'telegram' AND address->>'chatId' = $1 ORDER BY id DESC LIMIT 1`,
      [String(founder.chatId)],
    );
    expect(row?.attempts).toBe(2);
    expect(row?.last_error).toMatch(/429/);
  });

  it('keeps a message for a user who blocked the bot as failed, and others still get theirs', async () => {
    await startBot('polling');
    const gone = new Person('Gone', 'en');
    const staying = new Person('Staying', 'en');
    await gone.say('/privacy');
    await staying.say('/privacy');
    fake.blocked.add(gone.chatId);
    const delivery = new DeliveryStore(db);
    await notifyUser({ db, store: delivery }, { channel: 'telegram', channelUserId: String(gone.user.id) }, () => [{ type: 'text', text: 'Your listing was published.' }]);
    await notifyUser({ db, store: delivery }, { channel: 'telegram', channelUserId: String(staying.user.id) }, () => [{ type: 'text', text: 'Your listing was published.' }]);
    await waitFor('the staying user to be notified', () => (staying.messages().some((m) => m.text === 'Your listing was published.') ? true : undefined));
    const failed = await waitFor('the failed item', () =>
      queryOne<{ last_error: string }>(`SELECT last_error FROM outbox WHERE failed_at IS NOT NULL AND address->>'chatId' = $1`, [String(gone.chatId)]),
    );
    expect(failed.last_error).toMatch(/403: Forbidden: bot was blocked by the user/);
  });

  it('paces replies to one chat to about one a second', async () => {
    await startBot('polling', { pacing: { perAddressMs: 1000, perSecond: 30 } });
    const person = new Person('Paced', 'en');
    await person.say('/privacy');
    const delivery = new DeliveryStore(db);
    for (const text of ['one', 'two', 'three']) {
      await notifyUser({ db, store: delivery }, { channel: 'telegram', channelUserId: String(person.user.id) }, () => [{ type: 'text', text }]);
    }
    running!.bot!.worker.wake();
    await waitFor('three notifications', () => (person.messages().filter((m) => ['one', 'two', 'three'].includes(m.text!)).length === 3 ? true : undefined));
    const times = fake
      .callsOf('sendMessage')
      .filter((call) => Number(call.params.chat_id) === person.chatId && ['one', 'two', 'three'].includes(String(call.params.text)))
      .map((call) => call.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(900);
  });

  it('with the database down, tells the user in their language to try again, and keeps running', async () => {
    let down = false;
    const unavailable = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    const flaky: Db = {
      kind: db.kind,
      location: db.location,
      query: (sql, params) => (down ? unavailable() : db.query(sql, params)),
      script: (sql) => (down ? unavailable() : db.script(sql)),
      transaction: (fn) => (down ? unavailable() : db.transaction(fn)),
      withSession: (fn) => (down ? unavailable() : db.withSession(fn)),
      close: async () => undefined,
    };
    await startBot('polling', { delivery: new DeliveryStore(flaky) });
    const person = new Person('Quang', 'vi');
    down = true;
    const before = person.messages().length;
    await fake.message(person.user, 'cần máy sấy lúa');
    const told = await waitFor('the unavailable message', () => person.messages().slice(before)[0]);
    expect(told.text).toBe(translator('vi')('error.unavailable'));
    down = false;
    const answer = await person.say('/help');
    expect(withButton(answer, 'cmd:find')).toBeDefined();
  });
});

describe('jembatan telegram', () => {
  it('runs the bot with long polling in one command and stops cleanly on SIGTERM', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const dataDir = mkdtempSync(join(tmpdir(), 'jembatan-telegram-'));
    const { DATABASE_URL: _db, OPENAI_BASE_URL: _url, OPENAI_API_KEY: _key, TELEGRAM_WEBHOOK_URL: _hook, ...rest } = process.env;
    const child = spawn(process.execPath, ['scripts/jembatan.mjs', 'telegram'], {
      cwd: root,
      env: { ...rest, JEMBATAN_DATA_DIR: dataDir, JEMBATAN_EMBEDDINGS: 'none', LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor('the bot to start', () => (stderr.includes('is running with long polling') ? true : undefined), 90_000);
      expect(stderr).toContain('@jembatan_test_bot');
      const person = new Person('Cli', 'ms');
      await fake.message(person.user, '/help');
      const [help] = await waitFor('the help answer', () => (person.messages().length > 0 ? person.messages() : undefined));
      expect(help!.text).toContain(translator('ms')('help.text').split('\n')[0]!.replace(/\*/g, ''));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------

describe('rendering and reading updates', () => {
  it('escapes every text and turns *bold* into <b>', () => {
    expect(toHtml('*R&D <lab>* & "partners" <b>x</b>')).toBe('<b>R&amp;D &lt;lab&gt;</b> &amp; "partners" &lt;b&gt;x&lt;/b&gt;');
    expect(escapeHtml('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(parseHtml(toHtml('*Title* <script>')).text).toBe('Title <script>');
  });

  it('splits at paragraphs, then lines, then spaces, never past the limit', () => {
    const paragraphs = splitText(`${'a'.repeat(60)}\n\n${'b'.repeat(60)}`, 100);
    expect(paragraphs).toEqual(['a'.repeat(60), 'b'.repeat(60)]);
    const lines = splitText(`${'a '.repeat(30)}\n${'b '.repeat(30)}`, 100);
    expect(lines[0]).toBe('a '.repeat(30).trim());
    const words = splitText('word '.repeat(100).trim(), 64);
    expect(words.every((piece) => piece.length <= 64)).toBe(true);
    expect(words.join(' ')).toBe('word '.repeat(100).trim());
    const emoji = splitText('😀'.repeat(60), 51);
    expect(emoji.every((piece) => piece.length <= 51 && !/[\uD800-\uDBFF]$/.test(piece))).toBe(true);
    expect(emoji.join('')).toBe('😀'.repeat(60));
  });

  it('puts actions into callback data, and a too long action behind a short key', () => {
    const keys = new CallbackData();
    expect(keys.encode('det:42')).toBe('det:42');
    const long = `set:${'x'.repeat(40)}:${'y'.repeat(40)}`;
    const encoded = keys.encode(long);
    expect(Buffer.byteLength(encoded)).toBeLessThanOrEqual(64);
    expect(keys.decode(encoded)).toBe(long);
    const messages = renderReplies([{ type: 'buttons', text: 'Pick', buttons: [{ label: 'Long', action: long }] }], { callbackData: (a) => keys.encode(a) });
    expect(messages[0]).toMatchObject({ kind: 'text', keyboard: [[{ text: 'Long', callback_data: encoded }]] });
  });

  it('reads language_code as a hint, deep links as details, and ignores other bots and edits', () => {
    const bot = { id: 42, username: 'jembatan_test_bot' };
    const from = { id: 7, is_bot: false, first_name: 'A', language_code: 'th' };
    const chat = { id: 7, type: 'private' as const, first_name: 'A' };
    const read = (update: unknown) => readUpdate(update as Parameters<typeof readUpdate>[0], bot);
    expect(read({ update_id: 1, message: { message_id: 1, date: 1, chat, from, text: 'hello' } })).toMatchObject({
      kind: 'input',
      input: { channel: 'telegram', userId: '7', conversationId: '7', localeHint: 'th', message: { type: 'text', text: 'hello' } },
      address: { chatId: 7 },
      private: true,
    });
    expect(read({ update_id: 2, message: { message_id: 2, date: 1, chat, from, text: '/start l_15' } })).toMatchObject({
      input: { message: { type: 'action', action: 'det:15' } },
    });
    expect(read({ update_id: 3, message: { message_id: 3, date: 1, chat, from: { ...from, is_bot: true }, text: 'x' } }).kind).toBe('ignore');
    expect(read({ update_id: 4, edited_message: { message_id: 4, date: 1, chat, from, text: 'x' } }).kind).toBe('ignore');
  });
});
