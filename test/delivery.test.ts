/**
 * Delivery (core/delivery): inbox, outbox, addresses and the worker, on PGlite and on PostgreSQL, with a
 * real database, a real worker and a recording sender.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../core/conversation/i18n.js';
import type { ConversationEngine, EngineInput, EngineOutput, Reply } from '../core/conversation/types.js';
import { DeliveryStore, MAX_INBOX_ATTEMPTS } from '../core/delivery/delivery-store.js';
import { inboxHandler, notifyUser } from '../core/delivery/engine-bridge.js';
import type { ChannelAddress, ChannelSender, InboxItem, SendOutcome } from '../core/delivery/types.js';
import { DeliveryWorker, backoffMs } from '../core/delivery/worker.js';
import { openDb, type Db } from '../core/store/db.js';
import { ListingStore } from '../core/store/listing-store.js';
import { engineFor } from './support/chat.js';
import { STORE_KINDS, createPostgresDatabase, openTestStore, type StoreKind } from './support/stores.js';

const silent = pino({ level: 'silent' });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Sent {
  at: number;
  address: ChannelAddress;
  replies: Reply[];
}

/** A channel sender that records every call; `decide` chooses the outcome (default: sent). */
class RecordingSender implements ChannelSender {
  readonly sends: Sent[] = [];
  constructor(
    readonly channel: string,
    private readonly decide: (address: ChannelAddress, replies: Reply[], call: number) => SendOutcome | Promise<SendOutcome> = () => ({
      status: 'sent',
    }),
  ) {}

  async send(address: ChannelAddress, replies: Reply[]): Promise<SendOutcome> {
    this.sends.push({ at: performance.now(), address, replies });
    return this.decide(address, replies, this.sends.length);
  }

  textsTo(chatId: number): string[] {
    return this.sends
      .filter((sent) => sent.address.chatId === chatId)
      .map((sent) => sent.replies.map((reply) => (reply.type === 'text' ? reply.text : reply.type)).join('|'));
  }
}

const text = (value: string): Reply[] => [{ type: 'text', text: value }];

/** One migrated database and a second, independent connection to it (PGlite: the same single connection). */
async function openPair(kind: StoreKind): Promise<{ db: Db; second: Db; listings: ListingStore; cleanup(): Promise<void> }> {
  if (kind === 'pglite') {
    const { store, db, cleanup } = await openTestStore('pglite');
    return { db, second: db, listings: store, cleanup };
  }
  const database = await createPostgresDatabase();
  const db = await openDb({ kind: 'postgres', url: database.url });
  const listings = await ListingStore.open(db);
  const second = await openDb({ kind: 'postgres', url: database.url });
  return {
    db,
    second,
    listings,
    async cleanup() {
      await second.close();
      await listings.close();
      await database.drop();
    },
  };
}

describe.each(STORE_KINDS)('delivery on %s', (kind) => {
  let db: Db;
  let second: Db;
  let listings: ListingStore;
  let cleanup: () => Promise<void>;
  let store: DeliveryStore;
  let counter = 0;
  /** A fresh channel name per test, so tests do not see each other's rows. */
  const freshChannel = () => `test-${kind}-${++counter}`;
  const workers: DeliveryWorker[] = [];
  const worker = (options: Omit<ConstructorParameters<typeof DeliveryWorker>[0], 'store' | 'logger'>) => {
    const created = new DeliveryWorker({ store, logger: silent, ...options });
    workers.push(created);
    return created;
  };

  beforeAll(async () => {
    ({ db, second, listings, cleanup } = await openPair(kind));
    store = new DeliveryStore(db);
  });
  afterAll(async () => {
    await Promise.all(workers.map((created) => created.stop()));
    await cleanup();
  });

  async function outboxRow(id: number) {
    const { rows } = await db.query<{ sent_at: Date | null; failed_at: Date | null; last_error: string | null; attempts: number; claimed_until: Date | null }>(
      'SELECT sent_at, failed_at, last_error, attempts, claimed_until FROM outbox WHERE id = $1',
      [id],
    );
    return rows[0]!;
  }

  it('stores an update once: a redelivery (same channel and message id) is refused', async () => {
    const channel = freshChannel();
    expect(await store.accept(channel, 'm1', { text: 'hello', n: 1 })).toBe(true);
    expect(await store.accept(channel, 'm1', { text: 'hello again', n: 2 })).toBe(false);
    expect(await store.accept(`${channel}-other`, 'm1', { text: 'other channel' })).toBe(true);
    expect(await store.accept(channel, 'm2', { text: 'nul\u0000byte' })).toBe(true);

    const items = await store.claimInbox(channel, 10, 60_000);
    expect(items.map((item) => [item.messageId, item.payload, item.attempts])).toEqual([
      ['m1', { text: 'hello', n: 1 }, 1],
      ['m2', { text: 'nulbyte' }, 1],
    ]);
  });

  it('two claimers never get the same row (inbox and outbox)', async () => {
    const channel = freshChannel();
    for (let i = 0; i < 30; i++) {
      await store.accept(channel, `m${i}`, { i });
      await store.enqueue(channel, { chatId: 1000 + i }, text(`reply ${i}`));
    }
    const stores = [store, new DeliveryStore(second), store, new DeliveryStore(second)];
    const inboxIds: number[] = [];
    const outboxIds: number[] = [];
    for (let round = 0; round < 40 && (inboxIds.length < 30 || outboxIds.length < 30); round++) {
      const claims = await Promise.all(
        stores.flatMap((claimer) => [claimer.claimInbox(channel, 3, 60_000), claimer.claimOutbox(channel, 3, 60_000)]),
      );
      claims.forEach((claimed, index) => (index % 2 === 0 ? inboxIds : outboxIds).push(...claimed.map((item) => item.id)));
    }
    expect(inboxIds).toHaveLength(30);
    expect(new Set(inboxIds).size).toBe(30);
    expect(outboxIds).toHaveLength(30);
    expect(new Set(outboxIds).size).toBe(30);
  });

  it('a claimed but unfinished item becomes claimable again when its lease runs out', async () => {
    const channel = freshChannel();
    await store.accept(channel, 'm1', { text: 'x' });
    const outboxId = await store.enqueue(channel, { chatId: 1 }, text('a'));

    const [first] = await store.claimInbox(channel, 5, 150);
    const [firstOut] = await store.claimOutbox(channel, 5, 150);
    expect(first?.attempts).toBe(1);
    expect(firstOut?.id).toBe(outboxId);
    expect(await store.claimInbox(channel, 5, 150)).toEqual([]);
    expect(await store.claimOutbox(channel, 5, 150)).toEqual([]);

    await sleep(250);
    const again = await store.claimInbox(channel, 5, 60_000);
    const againOut = await store.claimOutbox(channel, 5, 60_000);
    expect(again.map((item) => [item.id, item.attempts])).toEqual([[first!.id, 2]]);
    expect(againOut.map((item) => [item.id, item.attempts])).toEqual([[outboxId, 2]]);
  });

  it('keeps one address in order: its next item is claimable only after the previous one is sent or failed', async () => {
    const channel = freshChannel();
    const a1 = await store.enqueue(channel, { chatId: 1, thread: 'x' }, text('a1'));
    const a2 = await store.enqueue(channel, { thread: 'x', chatId: 1 }, text('a2')); // same address, other key order
    const b1 = await store.enqueue(channel, { chatId: 2 }, text('b1'));
    const a3 = await store.enqueue(channel, { chatId: 1, thread: 'x' }, text('a3'));

    const claim = async () => (await store.claimOutbox(channel, 10, 60_000)).map((item) => item.id);
    expect(await claim()).toEqual([a1, b1]);
    expect(await claim()).toEqual([]);

    await store.retryOutbox(a1, 0, 'rate limited');
    expect(await claim()).toEqual([a1]); // the retried head comes back first, a2 still waits
    await store.markSent(a1);
    expect(await claim()).toEqual([a2]);
    await store.markFailed(a2, 'bad request');
    expect(await claim()).toEqual([a3]);
  });

  it('honours not_before on retries and scheduled items; gives an inbox item up after the maximum attempts', async () => {
    const channel = freshChannel();
    await store.accept(channel, 'm1', { text: 'x' });
    const [item] = await store.claimInbox(channel, 1, 60_000);
    expect(await store.retryInbox(item!.id, 300, 'engine down')).toBe(true);
    expect(await store.claimInbox(channel, 1, 60_000)).toEqual([]);
    const later = await store.enqueue(channel, { chatId: 5 }, text('later'), { notBefore: new Date(Date.now() + 300) });
    expect(await store.claimOutbox(channel, 5, 60_000)).toEqual([]);
    await sleep(400);
    const retried = await store.claimInbox(channel, 1, 60_000);
    expect(retried.map((claimed) => [claimed.id, claimed.attempts])).toEqual([[item!.id, 2]]);
    expect((await store.claimOutbox(channel, 5, 60_000)).map((claimed) => claimed.id)).toEqual([later]);

    await store.retryOutbox(later, 300, 'Too Many Requests: retry after 1');
    expect(await store.claimOutbox(channel, 5, 60_000)).toEqual([]);
    await sleep(400);
    expect((await store.claimOutbox(channel, 5, 60_000)).map((claimed) => claimed.id)).toEqual([later]);

    // attempts 2 → 5: the fifth failure gives up
    expect(await store.retryInbox(item!.id, 0, 'failure 2')).toBe(true);
    for (let attempt = 3; attempt <= MAX_INBOX_ATTEMPTS; attempt++) {
      const [again] = await store.claimInbox(channel, 1, 60_000);
      expect(again?.attempts).toBe(attempt);
      expect(await store.retryInbox(again!.id, 0, `failure ${attempt}`)).toBe(attempt < MAX_INBOX_ATTEMPTS);
    }
    expect(await store.claimInbox(channel, 1, 60_000)).toEqual([]);
    const { rows } = await db.query<{ done: boolean; last_error: string }>(
      'SELECT done_at IS NOT NULL AS done, last_error FROM inbox WHERE id = $1',
      [item!.id],
    );
    expect(rows[0]).toEqual({ done: true, last_error: `failure ${MAX_INBOX_ATTEMPTS}` });
    expect((await store.pending(channel)).inbox).toEqual({ waiting: 0, inProgress: 0, givenUp: 1 });
  });

  it('a sender answering retry(afterMs) gets the item again later and it is delivered, in order, without blocking other chats', async () => {
    const channel = freshChannel();
    let limited = false;
    const sender = new RecordingSender(channel, (address) => {
      if (address.chatId === 1 && !limited) {
        limited = true;
        return { status: 'retry', afterMs: 200, error: 'Too Many Requests: retry after 0.2' };
      }
      return { status: 'sent' };
    });
    const first = await store.enqueue(channel, { chatId: 1 }, text('first'));
    const next = await store.enqueue(channel, { chatId: 1 }, text('second'));
    const other = await store.enqueue(channel, { chatId: 2 }, text('other'));
    const running = worker({ channel, sender, pollMs: 5000 });
    running.start();

    await waitFor(async () => (await outboxRow(next)).sent_at !== null, 5000, 'the second message');
    expect(sender.textsTo(1)).toEqual(['first', 'first', 'second']);
    expect(sender.textsTo(2)).toEqual(['other']);
    const toOne = sender.sends.filter((sent) => sent.address.chatId === 1);
    expect(toOne[1]!.at - toOne[0]!.at).toBeGreaterThanOrEqual(195);
    const toTwo = sender.sends.find((sent) => sent.address.chatId === 2)!;
    expect(toTwo.at).toBeLessThan(toOne[1]!.at);
    const row = await outboxRow(first);
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(2);
    expect(row.last_error).toContain('Too Many Requests');
    expect((await outboxRow(other)).sent_at).not.toBeNull();
    await running.stop();
  });

  it('an exception from the sender is retried with back-off and the item is delivered', async () => {
    const channel = freshChannel();
    const sender = new RecordingSender(channel, (_address, _replies, call) => {
      if (call <= 2) throw new Error('ECONNRESET');
      return { status: 'sent' };
    });
    const id = await store.enqueue(channel, { chatId: 7 }, text('hello'));
    const running = worker({ channel, sender, pollMs: 5000, retryBaseMs: 100 });
    running.start();
    await waitFor(async () => (await outboxRow(id)).sent_at !== null, 5000, 'delivery after exceptions');
    expect(sender.sends).toHaveLength(3);
    expect(sender.sends[1]!.at - sender.sends[0]!.at).toBeGreaterThanOrEqual(45); // ≥ half of 100 ms
    expect(sender.sends[2]!.at - sender.sends[1]!.at).toBeGreaterThanOrEqual(95); // ≥ half of 200 ms
    const row = await outboxRow(id);
    expect(row.attempts).toBe(3);
    expect(row.last_error).toContain('ECONNRESET');
    await running.stop();

    expect(backoffMs(1, 1000, () => 0)).toBe(500);
    expect(backoffMs(3, 1000, () => 1)).toBe(4000);
    expect(backoffMs(40, 1000, () => 1)).toBe(5 * 60_000);
  });

  it('a failed item is kept with its error, not retried, and the chat continues', async () => {
    const channel = freshChannel();
    const sender = new RecordingSender(channel, (_address, replies) =>
      replies[0]?.type === 'text' && replies[0].text === 'doomed' ? { status: 'failed', error: 'Forbidden: bot was blocked by the user' } : { status: 'sent' },
    );
    const doomed = await store.enqueue(channel, { chatId: 3 }, text('doomed'));
    const after = await store.enqueue(channel, { chatId: 3 }, text('after'));
    const running = worker({ channel, sender, pollMs: 20 });
    running.start();
    await waitFor(async () => (await outboxRow(after)).sent_at !== null, 5000, 'the next message');
    await sleep(150);
    await running.stop();
    expect(sender.textsTo(3)).toEqual(['doomed', 'after']);
    const row = await outboxRow(doomed);
    expect(row.sent_at).toBeNull();
    expect(row.failed_at).not.toBeNull();
    expect(row.last_error).toBe('Forbidden: bot was blocked by the user');
    expect((await store.pending(channel)).outbox).toMatchObject({ waiting: 0, failed: 1 });
  });

  it('paces sends: at least perAddressMs between two sends to one chat, other chats in between', async () => {
    const channel = freshChannel();
    for (let i = 0; i < 4; i++) {
      await store.enqueue(channel, { chatId: 1 }, text(`a${i}`));
      await store.enqueue(channel, { chatId: 2 }, text(`b${i}`));
    }
    const sender = new RecordingSender(channel);
    const running = worker({ channel, sender, pollMs: 5000, pacing: { perAddressMs: 80 } });
    running.start();
    await waitFor(() => sender.sends.length === 8, 5000, 'eight sends');
    await running.stop();
    expect(sender.textsTo(1)).toEqual(['a0', 'a1', 'a2', 'a3']);
    expect(sender.textsTo(2)).toEqual(['b0', 'b1', 'b2', 'b3']);
    for (const chatId of [1, 2]) {
      const times = sender.sends.filter((sent) => sent.address.chatId === chatId).map((sent) => sent.at);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(78);
    }
    const firstToTwo = sender.sends.findIndex((sent) => sent.address.chatId === 2);
    expect(firstToTwo).toBeLessThan(2); // chat 2 does not wait behind chat 1
  });

  it('paces sends overall: at most perSecond', async () => {
    const channel = freshChannel();
    for (let i = 0; i < 5; i++) await store.enqueue(channel, { chatId: 100 + i }, text(`n${i}`));
    const sender = new RecordingSender(channel);
    const running = worker({ channel, sender, pollMs: 5000, pacing: { perSecond: 20 } });
    running.start();
    await waitFor(() => sender.sends.length === 5, 5000, 'five sends');
    await running.stop();
    for (let i = 1; i < 5; i++) expect(sender.sends[i]!.at - sender.sends[i - 1]!.at).toBeGreaterThanOrEqual(48);
  });

  it('stores image bytes as base64 and gives them back as a Uint8Array', async () => {
    const channel = freshChannel();
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 255, 128, 1]);
    const id = await store.enqueue(channel, { chatId: 9 }, [
      { type: 'text', text: 'chart' },
      { type: 'image', png: png.subarray(0, 10), alt: 'a chart' },
    ]);
    const stored = await db.query<{ b64: string }>(`SELECT replies -> 1 ->> 'pngBase64' AS b64 FROM outbox WHERE id = $1`, [id]);
    expect(stored.rows[0]?.b64).toBe(Buffer.from(png.subarray(0, 10)).toString('base64'));

    const sender = new RecordingSender(channel);
    const running = worker({ channel, sender, pollMs: 20 });
    running.start();
    await waitFor(() => sender.sends.length === 1, 5000, 'the image');
    await running.stop();
    const image = sender.sends[0]!.replies[1]!;
    expect(image.type).toBe('image');
    if (image.type !== 'image') throw new Error('not an image');
    expect(image.png).toBeInstanceOf(Uint8Array);
    expect([...image.png]).toEqual([...png.subarray(0, 10)]);
    expect(image.alt).toBe('a chart');
  });

  it('a worker killed between sending and marking: the next one resumes after the last delivered part; a part in doubt is checked where the platform allows', async () => {
    /** A platform that records every message (part) it receives, with the key the sender gave. */
    const platform: Array<{ key: string; part: number; text: string }> = [];
    let release: (error: Error) => void = () => undefined;
    /** Sends each reply as one part; with `lookup`, a part in doubt is looked up on the platform first. */
    const partSender = (channel: string, options: { dieAtPart?: number; lookup?: boolean }): ChannelSender => ({
      channel,
      async send(_address, replies, progress): Promise<SendOutcome> {
        let part = progress?.from ?? 0;
        if (progress?.inDoubt && options.lookup && platform.some((m) => m.key === progress.key && m.part === part)) {
          await progress.delivered(part);
          part++;
        }
        for (; part < replies.length; part++) {
          await progress?.starting(part);
          const reply = replies[part]!;
          platform.push({ key: progress?.key ?? '', part, text: reply.type === 'text' ? reply.text : reply.type });
          // The process dies after the platform accepted the message, before anything is recorded.
          if (part === options.dieAtPart) await new Promise<never>((_, reject) => (release = reject));
          await progress?.delivered(part);
        }
        return { status: 'sent' };
      },
    });
    const replies: Reply[] = [1, 2, 3, 4].map((n) => ({ type: 'text', text: `part ${n}` }));

    for (const lookup of [true, false]) {
      platform.length = 0;
      const channel = freshChannel();
      await store.enqueue(channel, { chatId: 70 }, replies);
      // The first worker sends parts 1 and 2, then dies while part 3 is on the wire (it is not stopped:
      // it never finishes, like a killed process).
      const dying = new DeliveryWorker({ store, logger: silent, channel, sender: partSender(channel, { dieAtPart: 2 }) });
      void dying.runOnce().catch(() => undefined);
      await waitFor(() => platform.length === 3, 10_000, 'three parts on the platform');
      // Its lease runs out (here: made to), and another worker takes the item over.
      await db.query('UPDATE outbox SET claimed_until = now() - interval \'1 second\' WHERE channel = $1', [channel]);
      const next = worker({ channel, sender: partSender(channel, { lookup }) });
      await next.runOnce();
      const texts = platform.map((m) => m.text);
      // Nothing lost; parts 1 and 2 are never sent again. Part 3 (in doubt) is found on the platform when the
      // sender can look it up (Slack, by message metadata), and sent again otherwise (Telegram, Teams).
      expect(texts).toEqual(lookup ? ['part 1', 'part 2', 'part 3', 'part 4'] : ['part 1', 'part 2', 'part 3', 'part 3', 'part 4']);
      const row = (await db.query<{ sent: boolean; parts_sent: number }>('SELECT sent_at IS NOT NULL AS sent, parts_sent FROM outbox WHERE channel = $1', [channel])).rows[0];
      expect(row).toEqual({ sent: true, parts_sent: 4 });
      release(new Error('the killed process is gone'));
    }
  });

  it('stop() waits for the send in progress, gives back items not started, and claims nothing more', async () => {
    const channel = freshChannel();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sender = new RecordingSender(channel, async () => {
      await gate;
      return { status: 'sent' };
    });
    const inFlight = await store.enqueue(channel, { chatId: 1 }, text('in flight'));
    const notStarted = await store.enqueue(channel, { chatId: 2 }, text('not started'));
    const running = worker({ channel, sender, pollMs: 20 });
    running.start();
    await waitFor(() => sender.sends.length === 1, 5000, 'the first send');

    let stopped = false;
    const stopping = running.stop().then(() => (stopped = true));
    await sleep(150);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await outboxRow(inFlight)).sent_at).not.toBeNull();
    expect(await outboxRow(notStarted)).toMatchObject({ sent_at: null, claimed_until: null, attempts: 0 });

    await store.enqueue(channel, { chatId: 3 }, text('after stop'));
    running.wake();
    await sleep(150);
    expect(sender.sends).toHaveLength(1);
    expect((await store.claimOutbox(channel, 5, 60_000)).map((item) => item.id)[0]).toBe(notStarted);
  });

  it('notifies a user in their language at the address they were last seen at', async () => {
    const channel = freshChannel();
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO chat_users (channel, channel_user_id, language) VALUES ($1, 'thai-user', 'th') RETURNING id`,
      [channel],
    );
    const userId = rows[0]!.id;
    await store.rememberAddress(userId, 'old-chat', channel, { chatId: 41 });
    await store.rememberAddress(userId, 'new-chat', channel, { chatId: 42 });
    expect(await store.latestAddress(userId)).toEqual({ channel, address: { chatId: 42 } });
    expect(await store.latestAddress(userId, 'elsewhere')).toBeUndefined();

    let seenLanguage = '';
    const notified = await notifyUser({ db, store }, { channel, channelUserId: 'thai-user' }, (t, language) => {
      seenLanguage = language;
      return [{ type: 'text', text: t('greeting') }];
    });
    expect(notified).toBe(true);
    expect(seenLanguage).toBe('th');
    const [item] = await store.claimOutbox(channel, 5, 60_000);
    expect(item?.address).toEqual({ chatId: 42 });
    expect(item?.replies).toEqual([{ type: 'text', text: translator('th')('greeting') }]);
    expect(translator('th')('greeting')).not.toBe(translator('en')('greeting'));

    const message = (t: (key: string) => string): Reply[] => [{ type: 'text', text: t('greeting') }];
    expect(await notifyUser({ db, store }, { channel, channelUserId: 'nobody' }, message)).toBe(false);
    await db.query(`INSERT INTO chat_users (channel, channel_user_id, language) VALUES ($1, 'no-address', 'vi')`, [channel]);
    expect(await notifyUser({ db, store }, { channel, channelUserId: 'no-address' }, message)).toBe(false);

    // Forgetting the user (deleting chat_users) deletes their addresses.
    await db.query('DELETE FROM chat_users WHERE id = $1', [userId]);
    expect(await store.latestAddress(userId)).toBeUndefined();
  });

  it('the inbox handler runs the engine without the platform message id and retries a failed run', async () => {
    const channel = freshChannel();
    const inputs: EngineInput[] = [];
    const engine: ConversationEngine = {
      async handle(input): Promise<EngineOutput> {
        inputs.push(input);
        if (inputs.length === 1) throw new Error('The engine is shutting down.');
        return { replies: text(`echo ${input.message.type === 'text' ? input.message.text : ''}`), language: 'en' };
      },
    };
    interface Update {
      id: number;
      chat: number;
      from: string;
      text: string;
    }
    const handle = inboxHandler<Update>({
      engine,
      store,
      toInput: (update) => ({
        channel,
        userId: update.from,
        conversationId: String(update.chat),
        message: { type: 'text', text: update.text },
        messageId: String(update.id),
      }),
      addressOf: (update) => ({ chatId: update.chat }),
    });
    const sender = new RecordingSender(channel);
    const running = worker({ channel, sender, handleInbox: handle, pollMs: 5000, retryBaseMs: 50 });
    running.start();
    expect(await store.accept(channel, '501', { id: 501, chat: 77, from: 'u1', text: 'ping' })).toBe(true);
    running.wake();
    await waitFor(() => sender.sends.length === 1, 5000, 'the reply');
    await running.stop();
    expect(inputs).toHaveLength(2);
    expect(inputs.every((input) => input.messageId === undefined)).toBe(true);
    expect(sender.sends[0]!.address).toEqual({ chatId: 77 });
    expect(sender.textsTo(77)).toEqual(['echo ping']);
    const { rows } = await db.query<{ done: boolean; attempts: number; last_error: string | null }>(
      `SELECT done_at IS NOT NULL AS done, attempts, last_error FROM inbox WHERE channel = $1`,
      [channel],
    );
    expect(rows).toEqual([{ done: true, attempts: 2, last_error: null }]);
  });

  it('end to end with the real engine: a stored update is answered at its address, which is remembered', async () => {
    const channel = freshChannel();
    interface Update {
      update_id: number;
      chat: { id: number };
      from: { id: number; language_code: string };
      text: string;
    }
    const handle = inboxHandler<Update>({
      engine: engineFor(listings),
      store,
      toInput: (update) => ({
        channel,
        userId: String(update.from.id),
        conversationId: String(update.chat.id),
        message: { type: 'text', text: update.text },
        localeHint: update.from.language_code,
        messageId: String(update.update_id),
      }),
      addressOf: (update) => ({ chatId: update.chat.id }),
    });
    const sender = new RecordingSender(channel);
    const running = worker({ channel, sender, handleInbox: handle as (item: InboxItem) => Promise<void>, pollMs: 5000 });
    running.start();
    await store.accept(channel, '9001', { update_id: 9001, chat: { id: 555 }, from: { id: 4242, language_code: 'en' }, text: 'help' });
    running.wake();
    await waitFor(() => sender.sends.length === 1, 20_000, 'the help answer');
    await running.stop();

    expect(sender.sends[0]!.address).toEqual({ chatId: 555 });
    const all = sender.sends[0]!.replies.map((reply) => ('text' in reply ? reply.text : '')).join('\n');
    expect(all).toContain(translator('en')('help.text'));
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM chat_users WHERE channel = $1 AND channel_user_id = '4242'`, [channel]);
    expect(await store.latestAddress(rows[0]!.id, channel)).toEqual({ channel, address: { chatId: 555 } });
    expect(await store.pending(channel)).toMatchObject({ inbox: { waiting: 0 }, outbox: { waiting: 0, failed: 0 } });
  });
});
