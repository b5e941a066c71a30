/**
 * The Microsoft Teams channel over real HTTP: Bot Framework activities are POSTed to /api/messages of a
 * real JembatanServer with the Teams mount (botbuilder's CloudAdapter), the replies go through the
 * delivery inbox and outbox to a local Bot Connector stub on 127.0.0.1 (the activities' serviceUrl),
 * which records them. Real engine (rules, no LLM), real store (PGlite) with the sample listings.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsConfig } from '../adapters/teams/config.js';
import { readActivity, type TeamsActivity } from '../adapters/teams/incoming.js';
import { teamsMount, type TeamsChannel } from '../adapters/teams/mount.js';
import { TeamsSender } from '../adapters/teams/sender.js';
import { renderActivities, toMessageMarkdown } from '../adapters/teams/render.js';
import { channelMounts } from '../bots/serve/channels.js';
import { JembatanServer } from '../bots/serve/http-server.js';
import { readEnv } from '../core/config/env.js';
import { COMMAND_WORDS } from '../core/understanding/commands.js';
import { translator } from '../core/conversation/i18n.js';
import type { Engine } from '../core/conversation/engine.js';
import { DeliveryStore } from '../core/delivery/delivery-store.js';
import { notifyUser } from '../core/delivery/engine-bridge.js';
import type { Db } from '../core/store/db.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { engineFor, loadSamples } from './support/chat.js';
import { FakeBotConnector } from './support/fake-bot-connector.js';
import { openTestStore } from './support/stores.js';
import { actionsOf, cardsOf, postActivity, teamsActivity, teamsText } from './support/teams-activities.js';

const logger = pino({ level: 'silent' });
const BOT = { id: '28:jembatan-bot', name: 'Jembatan' };
const TENANT = 'tenant-0001';

type Json = Record<string, unknown>;

// ------------------------------------------------------------------------------------------------
// Reading what the bot sent

function listingIdsOf(activities: Json[]): number[] {
  return actionsOf(activities)
    .filter((a) => a.action.startsWith('det:'))
    .map((a) => Number(a.action.slice(4)));
}

// ------------------------------------------------------------------------------------------------
// Posting activities

/** A Teams user in one conversation (personal chat, a channel thread or a group chat). */
class TeamsUser {
  constructor(
    private readonly ctx: { baseUrl: () => string; connector: FakeBotConnector; settle: () => Promise<void> },
    readonly id: string,
    readonly conversation: { id: string; conversationType: 'personal' | 'channel' | 'groupChat' },
    readonly locale?: string,
    readonly name = 'Test User',
  ) {}

  activity(extra: Json): Json {
    const { connector } = this.ctx;
    return teamsActivity({ serviceUrl: connector.url, bot: BOT, tenant: TENANT, from: { id: this.id, name: this.name }, conversation: this.conversation, locale: this.locale }, extra);
  }

  /** Posts an activity, waits until the inbox and outbox are empty, returns what the bot sent meanwhile. */
  async send(activity: Json): Promise<Json[]> {
    const before = this.ctx.connector.to(this.conversation.id).length;
    const response = await postActivity(this.ctx.baseUrl(), activity);
    expect(response.status, response.body).toBe(200);
    await this.ctx.settle();
    return this.ctx.connector.to(this.conversation.id).slice(before);
  }

  say(text: string, extra: Json = {}): Promise<Json[]> {
    return this.send(this.activity({ text, textFormat: 'plain', ...extra }));
  }

  /** Presses an Adaptive Card Action.Submit: Teams sends a message activity whose value is the data. */
  press(action: string): Promise<Json[]> {
    return this.send(this.activity({ value: { action } }));
  }
}

// ------------------------------------------------------------------------------------------------

describe('Teams rendering (pure)', () => {
  it('maps *bold* to markdown and escapes everything else, images become data-URL attachments with alt text', () => {
    expect(toMessageMarkdown('*Matches* for <script>x_y</script> & [link](http://a) *more*')).toBe(
      '**Matches** for &lt;script&gt;x\\_y&lt;/script&gt; &amp; \\[link\\](http://a) **more**',
    );
    expect(toMessageMarkdown('line one\n# not a heading')).toBe('line one<br>\\# not a heading');
    const [image] = renderActivities([{ type: 'image', png: new Uint8Array([137, 80, 78, 71]), alt: 'Listings by country' }]);
    expect(image!.text).toBe('Listings by country');
    expect(image!.attachments).toEqual([{ contentType: 'image/png', contentUrl: 'data:image/png;base64,iVBORw==', name: 'Listings by country' }]);
  });

  it('mounts only with MICROSOFT_APP_ID or TEAMS_ENABLED=1, and names missing credentials', () => {
    expect(teamsConfig(readEnv({}))).toBeUndefined();
    expect(teamsConfig(readEnv({ TEAMS_ENABLED: '1' }))).toMatchObject({ appId: '' });
    expect(teamsConfig(readEnv({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret' }))).toMatchObject({ appId: 'app', appType: 'MultiTenant' });
    expect(() => teamsConfig(readEnv({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_PASSWORD: 'x' }))).toThrow(
      /MICROSOFT_APP_TENANT_ID is missing/,
    );
  });

  it('reads channel messages only when the bot is mentioned, without the mention', () => {
    const base: TeamsActivity = {
      type: 'message',
      id: 'm1',
      channelId: 'msteams',
      serviceUrl: 'http://127.0.0.1:9/',
      from: { id: '29:u' },
      recipient: BOT,
      conversation: { id: '19:c@thread.tacv2;messageid=1', conversationType: 'channel' },
      text: 'solar dryer',
    };
    expect(readActivity(base)).toMatchObject({ kind: 'ignore' });
    const mentioned = readActivity({
      ...base,
      text: '<at>Jembatan</at> solar&nbsp;dryer for <at>Ana</at>',
      entities: [
        { type: 'mention', text: '<at>Jembatan</at>', mentioned: BOT },
        { type: 'mention', text: '<at>Ana</at>', mentioned: { id: '29:ana', name: 'Ana' } },
      ],
    });
    expect(mentioned).toMatchObject({ kind: 'input', input: { message: { type: 'text', text: 'solar dryer for Ana' } }, personal: false });
  });
});

describe('Teams app manifest template', () => {
  const dir = fileURLToPath(new URL('../bots/teams/', import.meta.url));
  const text = readFileSync(`${dir}manifest.json`, 'utf8');
  const docs = readFileSync(fileURLToPath(new URL('../docs/TEAMS.md', import.meta.url)), 'utf8');

  it('is valid JSON with documented placeholders, icons of the right size and commands the engine knows', () => {
    const manifest = JSON.parse(text) as Json & { bots: Array<{ botId: string; commandLists: Array<{ commands: Array<{ title: string }> }> }> };
    const placeholders = [...new Set([...text.matchAll(/\{\{([A-Z_]+)\}\}/g)].map((match) => match[1]!))].sort();
    expect(placeholders).toEqual(['BOT_DOMAIN', 'DEVELOPER_NAME', 'MICROSOFT_APP_ID', 'PRIVACY_URL', 'TERMS_URL', 'WEBSITE_URL']);
    for (const name of placeholders) expect(docs).toContain(`{{${name}}}`);
    expect(manifest.bots[0]!.botId).toBe('{{MICROSOFT_APP_ID}}');
    expect((manifest.name as Json).short).toSatisfy((name: string) => name.length <= 30);
    expect((manifest.description as Json).short).toSatisfy((short: string) => short.length <= 80);
    for (const [file, size] of [['color.png', 192], ['outline.png', 32]] as const) {
      const png = readFileSync(`${dir}${file}`);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
      expect((manifest.icons as Json)[file.replace('.png', '')]).toBe(file);
    }
    const english = Object.values(COMMAND_WORDS).flatMap((words) => words.en);
    for (const command of manifest.bots[0]!.commandLists[0]!.commands) expect(english).toContain(command.title);
  });
});

describe('Teams bot over HTTP', () => {
  let store: ListingStore;
  let db: Db;
  let cleanup: () => Promise<void>;
  let engine: Engine;
  let delivery: DeliveryStore;
  const connector = new FakeBotConnector();
  let server: JembatanServer;
  let mount: TeamsChannel;
  let baseUrl = '';
  const ctx = {
    baseUrl: () => baseUrl,
    connector,
    settle: () => settle(),
  };

  async function startBot(): Promise<void> {
    mount = teamsMount({
      config: { appId: '', appType: 'MultiTenant' },
      engine,
      delivery,
      logger,
      worker: { pollMs: 50, retryBaseMs: 50 },
      sender: { retryBaseMs: 50 },
    });
    server = new JembatanServer({ ready: async () => ({ database: 'test' }) }, [mount], logger);
    const { port } = await server.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;
    await mount.start();
  }

  async function stopBot(): Promise<void> {
    await server.close(5_000);
    await mount.stop();
  }

  /** Waits until nothing is waiting in the Teams inbox or outbox (every answer was sent). */
  async function settle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await delivery.pending('teams');
      if (counts.inbox.waiting === 0 && counts.outbox.waiting === 0) return;
      if (Date.now() > deadline) throw new Error(`delivery did not settle: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async function one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await db.query<T>(sql, params)).rows[0];
  }

  beforeAll(async () => {
    ({ store, db, cleanup } = await openTestStore('pglite'));
    await loadSamples(store);
    engine = engineFor(store);
    delivery = new DeliveryStore(db);
    await connector.start();
    await startBot();
  });
  afterAll(async () => {
    await stopBot().catch(() => undefined);
    await connector.stop();
    await cleanup();
  });

  it('greets a new personal chat in the language of the Teams client, with card buttons', async () => {
    const user = new TeamsUser(ctx, '29:thai-greeted', { id: 'a:personal-greeted', conversationType: 'personal' }, 'th-TH');
    const sent = await user.send(user.activity({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: BOT.id }, { id: user.id }] }));
    expect(sent).toHaveLength(1);
    const th = translator('th');
    expect(teamsText(sent)).toContain(th('help.text').split('\n')[1]!.slice(2, 20));
    expect(actionsOf(sent)).toEqual([
      { title: th('button.find'), action: 'cmd:find' },
      { title: th('button.offer'), action: 'cmd:offer' },
      { title: th('button.need'), action: 'cmd:need' },
      { title: th('button.my'), action: 'cmd:my' },
      { title: th('button.language'), action: 'cmd:language' },
    ]);
    // Sent proactively into the stored conversation, as the bot, to the user.
    expect(sent[0]).toMatchObject({ type: 'message', from: { id: BOT.id }, recipient: { id: user.id }, conversation: { id: 'a:personal-greeted' } });
    // Another member joining is not answered.
    expect(await user.send(user.activity({ type: 'conversationUpdate', text: undefined, membersAdded: [{ id: '29:someone-else' }] }))).toEqual([]);
  });

  it('a full find: need → result cards → more → details → not relevant → reason, all by card submits', async () => {
    const user = new TeamsUser(ctx, '29:thai-founder', { id: 'a:personal-thai-founder', conversationType: 'personal' }, 'th-TH');
    const th = translator('th');
    const found = await user.say('ต้องการเครื่องกรองน้ำดื่มพลังงานแสงอาทิตย์สำหรับหมู่บ้าน');
    // One message: the header as text, the listing cards and the "more" prompt as Adaptive Cards in a list.
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ textFormat: 'markdown', attachmentLayout: 'list' });
    expect(String(found[0]!.text)).toMatch(/^\*\*.+\*\* \(1–5\)$/);
    expect(cardsOf(found[0]!)).toHaveLength(6);
    expect(teamsText(found)).toContain('เครื่องกรองน้ำดื่มพลังงานแสงอาทิตย์สำหรับชุมชนห่างไกล');
    const page1 = listingIdsOf(found);
    expect(page1).toHaveLength(5);
    const first = cardsOf(found[0]!)[0]!;
    expect((first.actions as Json[]).map((a) => (a.data as Json).action)).toEqual([`det:${page1[0]}`, `like:${page1[0]}`, `nr:${page1[0]}`, `intro:${page1[0]}`]);
    expect((first.actions as Json[])[0]).toMatchObject({ type: 'Action.Submit', title: th('button.details') });
    const more = actionsOf(found).find((a) => a.action === 'more');
    expect(more?.title).toBe(th('button.more'));

    const page2 = await user.press(more!.action);
    const page2Ids = listingIdsOf(page2);
    expect(page2Ids.length).toBeGreaterThan(0);
    expect(page2Ids.filter((id) => page1.includes(id))).toEqual([]);
    expect(String(page2[0]!.text)).toContain('(6–');

    const details = await user.press(`det:${page1[0]}`);
    expect(teamsText(details)).toMatch(/sample sample-\d{3}/);
    expect(actionsOf(details).map((a) => a.action)).toEqual([`like:${page1[0]}`, `intro:${page1[0]}`]);

    const why = await user.press(`nr:${page1[1]}`);
    expect(actionsOf(why).map((a) => a.action)).toEqual(['why:too_early', 'why:wrong_sector', 'why:wrong_country', 'why:other']);
    expect(actionsOf(why)[2]!.title).toBe(th('feedback.wrong_country'));
    const thanks = await user.press('why:wrong_country');
    expect(teamsText(thanks)).toContain(th('feedback.thanks').slice(0, 15));

    const feedback = await one<{ reason: string; channel: string }>(
      `SELECT f.reason, u.channel FROM match_feedback f JOIN chat_users u ON u.id = f.user_id WHERE u.channel_user_id = $1 AND f.listing_id = $2`,
      [user.id, page1[1]],
    );
    expect(feedback).toEqual({ reason: 'wrong_country', channel: 'teams' });
    // Every reply went to this conversation, and nothing was sent twice.
    expect(connector.to('a:personal-thai-founder')).toHaveLength(found.length + page2.length + details.length + why.length + thanks.length);
  });

  it('list my work: the country question as a tappable list, then the preview card with facts, then submit', async () => {
    const user = new TeamsUser(ctx, '29:en-researcher', { id: 'a:personal-en-researcher', conversationType: 'personal' }, 'en-US');
    const en = translator('en');
    const drafted = await user.say(
      'I work on a low-cost dissolved oxygen sensor for shrimp ponds that switches aerators on at night. We have a field-tested prototype and are looking for a licensing partner.',
    );
    // The country is the one question: 11 options, shown as rows that each submit their action.
    const countries = actionsOf(drafted);
    expect(countries.map((a) => a.action)).toContain('set:country:MY');
    expect(countries).toHaveLength(11);
    const card = cardsOf(drafted[drafted.length - 1]!)[0]!;
    expect(card.actions).toBeUndefined();
    expect((card.body as Json[]).filter((element) => element.type === 'Container' && element.selectAction)).toHaveLength(11);

    let next = await user.press('set:country:MY');
    for (let i = 0; i < 4 && !actionsOf(next).some((a) => a.action === 'submit'); i++) next = await user.press(actionsOf(next)[0]!.action);
    const preview = next;
    expect(actionsOf(preview).map((a) => a.action)).toEqual(['submit', 'edit', 'conf', 'cancel']);
    const factSet = (cardsOf(preview[preview.length - 1]!)[0]!.body as Json[]).find((element) => element.type === 'FactSet');
    expect(factSet).toBeDefined();
    const facts = factSet!.facts as Array<{ title: string; value: string }>;
    expect(facts.find((fact) => fact.title === en('field.country'))?.value).toBe('Malaysia');
    expect(facts.find((fact) => fact.title === en('field.partnership'))?.value).toContain(en('partnership.licence'));

    const submitted = await user.press('submit');
    expect(teamsText(submitted)).toContain('Submitted!');
    const row = await one<{ status: string; country: string; owner_ref: string }>(
      `SELECT status, country, owner_ref FROM listings WHERE owner_ref = $1`,
      [`teams:${user.id}`],
    );
    expect(row).toEqual({ status: 'pending', country: 'MY', owner_ref: 'teams:29:en-researcher' });
  });

  it('a re-sent activity (same id) is stored and answered once', async () => {
    const user = new TeamsUser(ctx, '29:resender', { id: 'a:personal-resender', conversationType: 'personal' }, 'en-US');
    const activity = user.activity({ text: 'solar dryer for salted fish' });
    const [a, b] = await Promise.all([postActivity(baseUrl, activity), postActivity(baseUrl, activity)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await settle();
    const third = await postActivity(baseUrl, activity);
    expect(third.status).toBe(200);
    await settle();
    expect(connector.to('a:personal-resender')).toHaveLength(1);
    expect(await one<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE channel = 'teams' AND message_id = $1`, [activity.id])).toEqual({ n: 1 });
    // The webhook acknowledges without waiting for the engine.
    expect(Math.max(a.ms, b.ms, third.ms)).toBeLessThan(5_000);
  });

  it('in a channel it answers only when mentioned, without the mention, in the thread', async () => {
    const thread = { id: '19:general@thread.tacv2;messageid=1700000000001', conversationType: 'channel' as const };
    const user = new TeamsUser(ctx, '29:channel-user', thread, 'en-US');
    expect(await user.say('solar water purifier for a village')).toEqual([]);
    const answered = await user.say('<at>Jembatan</at> solar water purifier for a village', {
      entities: [{ type: 'mention', text: '<at>Jembatan</at>', mentioned: BOT }],
    });
    expect(answered).toHaveLength(1);
    expect(String(answered[0]!.text)).toContain('solar water purifier for a village');
    expect(String(answered[0]!.text)).not.toMatch(/Jembatan|&lt;at/);
    expect(listingIdsOf(answered).length).toBeGreaterThan(0);
    // A card button pressed in the channel is answered without a mention.
    const details = await user.press(`det:${listingIdsOf(answered)[0]}`);
    expect(teamsText(details)).toMatch(/sample sample-\d{3}/);
  });

  it('a 429 (and a 502 half way through an answer) from the connector is retried without losing or repeating a message', async () => {
    const user = new TeamsUser(ctx, '29:throttled', { id: 'a:personal-throttled', conversationType: 'personal' }, 'en-US');
    connector.failNext({ status: 429, retryAfter: '0', conversationId: 'a:personal-throttled' });
    connector.failNext({ status: 429, conversationId: 'a:personal-throttled' });
    const found = await user.say('dissolved oxygen sensor for shrimp ponds');
    expect(found).toHaveLength(1);
    const attempts = connector.attempts.filter((attempt) => attempt.conversationId === 'a:personal-throttled').map((attempt) => attempt.status);
    expect(attempts).toEqual([429, 429, 200]);
    const outbox = await one<{ attempts: number; last_error: string; sent: boolean }>(
      `SELECT attempts, last_error, sent_at IS NOT NULL AS sent FROM outbox WHERE address->'conversation'->>'id' = $1 ORDER BY id LIMIT 1`,
      ['a:personal-throttled'],
    );
    expect(outbox).toMatchObject({ attempts: 3, sent: true });
    expect(outbox!.last_error).toContain('429');

    // Details are two messages (card, then text): the second fails once; the first is not sent again.
    connector.failNext({ status: 502, conversationId: 'a:personal-throttled', after: 1 });
    const details = await user.press(`det:${listingIdsOf(found)[0]}`);
    expect(details).toHaveLength(2);
    expect(cardsOf(details[0]!)).toHaveLength(1);
    expect(teamsText([details[1]!])).toMatch(/sample sample-\d{3}/);
  });

  it('a proactive message reaches the user after a restart (new adapter, same database)', async () => {
    const user = new TeamsUser(ctx, '29:proactive', { id: 'a:personal-proactive', conversationType: 'personal' }, 'vi-VN');
    await user.say('máy sấy lúa');
    await stopBot();
    await startBot();
    const before = connector.to('a:personal-proactive').length;
    const queued = await notifyUser({ db, store: delivery }, { channel: 'teams', channelUserId: user.id }, (t, language) => [
      { type: 'text', text: `${language}: ${t('draft.submitted', { title: 'Máy sấy lúa', reference: 'teams-1' })}` },
    ]);
    expect(queued).toBe(true);
    await mount.wake();
    const [message] = await connector.next('a:personal-proactive', before);
    expect(message).toMatchObject({ type: 'message', recipient: { id: user.id }, from: { id: BOT.id } });
    expect(String(message!.text)).toMatch(/^vi: .*Máy sấy lúa/);
    // Unknown users are not notified.
    expect(await notifyUser({ db, store: delivery }, { channel: 'teams', channelUserId: '29:nobody' }, () => [{ type: 'text', text: 'x' }])).toBe(false);
  });

  it('keeps one conversation within the per-thread limit, and a gone conversation (404) is not retried', async () => {
    const { createCloudAdapter } = await import('../adapters/teams/bot.js');
    const { adapter } = createCloudAdapter({ appId: '', appType: 'MultiTenant' });
    const sender = new TeamsSender({ adapter, appId: '', logger, threadLimits: [{ windowMs: 400, max: 1 }] });
    const address = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: 'a:personal-paced', conversationType: 'personal', tenantId: TENANT },
      bot: { id: BOT.id },
      user: { id: '29:paced' },
    };
    const replies = [
      { type: 'image' as const, png: new Uint8Array([1, 2, 3]), alt: 'chart' },
      { type: 'text' as const, text: 'one' },
      { type: 'image' as const, png: new Uint8Array([4, 5, 6]), alt: 'chart 2' },
    ];
    expect(await sender.send(address, replies)).toEqual({ status: 'sent' });
    const times = connector.activities.filter((entry) => entry.conversationId === 'a:personal-paced').map((entry) => entry.at);
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(350);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(350);

    connector.failNext({ status: 404, conversationId: 'a:personal-paced' });
    expect(await sender.send(address, [{ type: 'text', text: 'gone' }])).toMatchObject({ status: 'failed', error: expect.stringContaining('404') });
    connector.failNext({ status: 504, retryAfter: '3', conversationId: 'a:personal-paced' });
    const retry = await sender.send(address, [{ type: 'text', text: 'later' }]);
    expect(retry).toMatchObject({ status: 'retry', error: expect.stringContaining('504') });
    expect(retry.status === 'retry' && retry.afterMs).toBeGreaterThanOrEqual(3000);
  });

  it('jembatan serve mounts Teams on POST /api/messages when configured, and only then', () => {
    expect(channelMounts(readEnv({}), engine, logger, db).map((mount) => mount.name)).not.toContain('teams');
    const [teams] = channelMounts(readEnv({ TEAMS_ENABLED: '1' }), engine, logger, db).filter((mount) => mount.name === 'teams');
    expect(teams?.routes.map((route) => `${route.method} ${route.path}`)).toEqual(['POST /api/messages']);
    const withId = channelMounts(readEnv({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'secret' }), engine, logger, db);
    expect((withId.find((mount) => mount.name === 'teams') as TeamsChannel | undefined)?.authenticated).toBe(true);
  });

  it('an Action.Execute invoke gets an invoke response and runs the action', async () => {
    const user = new TeamsUser(ctx, '29:invoker', { id: 'a:personal-invoker', conversationType: 'personal' }, 'en-US');
    const before = connector.to('a:personal-invoker').length;
    const response = await postActivity(
      baseUrl,
      user.activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'x', data: { action: 'cmd:help' } } } }),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: 200 });
    const [help] = await connector.next('a:personal-invoker', before);
    expect(actionsOf([help!]).map((a) => a.action)).toContain('cmd:find');
  });

  it('with an app id, a request without a valid Bot Framework token is refused (401) and nothing is stored or sent', async () => {
    const secured = teamsMount({
      config: { appId: '00000000-0000-0000-0000-000000000001', password: 'not-a-real-secret', appType: 'MultiTenant' },
      engine,
      delivery,
      logger,
      worker: { pollMs: 50 },
    });
    const securedServer = new JembatanServer({ ready: async () => ({}) }, [secured], logger);
    try {
      // Not started: its delivery worker (which would need Azure credentials to send) stays idle.
      const { port } = await securedServer.listen(0, '127.0.0.1');
      const intruder = new TeamsUser(ctx, '29:intruder', { id: 'a:personal-intruder', conversationType: 'personal' }, 'en-US');
      const activity = intruder.activity({ text: 'help' });
      const bare = await postActivity(`http://127.0.0.1:${port}`, activity);
      expect(bare.status).toBe(401);
      const forged = await postActivity(`http://127.0.0.1:${port}`, activity, { authorization: 'Bearer not-a-token' });
      expect(forged.status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await one(`SELECT 1 FROM inbox WHERE message_id = $1`, [activity.id])).toBeUndefined();
      expect(await one(`SELECT 1 FROM chat_users WHERE channel_user_id = $1`, [intruder.id])).toBeUndefined();
      expect(connector.attempts.filter((attempt) => attempt.conversationId === 'a:personal-intruder')).toEqual([]);
      // The same activity without authentication configured is answered (the test above can fail).
      expect(await intruder.send(activity)).toHaveLength(1);
    } finally {
      await securedServer.close(2_000);
      await secured.stop();
    }
  });
});
