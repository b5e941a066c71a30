/**
 * The Slack app over real HTTP: requests signed exactly as Slack signs them (Events API, URL verification,
 * the /jembatan slash command, block_actions and view_submission payloads) are POSTed to a real
 * JembatanServer with the Slack mount; the Web API calls go to a stub on 127.0.0.1 behind SLACK_API_URL,
 * which records them. Over Socket Mode: the same payloads in envelopes from a real WebSocket server on
 * 127.0.0.1 (test/support/fake-slack-socket.ts) that apps.connections.open points to. Real engine (rules,
 * no LLM for conversations), real store (PGlite) with the sample listings; statistics questions through a
 * fake OpenAI-compatible server when the LLM parser is wired.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSecretariat, isUserGroupId, slackConfig } from '../adapters/slack/config.js';
import { SlackChannel, slackMountFromEnv, withoutMentions } from '../adapters/slack/mount.js';
import { OUTBOX_EVENT_TYPE, SlackSender } from '../adapters/slack/sender.js';
import { ENGINE_ACTION_PREFIX, MOD_APPROVE, MOD_REJECT, STATS_CSV, escapeSlack, renderReplies } from '../adapters/slack/render.js';
import { channelMounts } from '../bots/serve/channels.js';
import { JembatanServer } from '../bots/serve/http-server.js';
import { ConfigError, readEnv } from '../core/config/env.js';
import { translator } from '../core/conversation/i18n.js';
import { DeliveryStore } from '../core/delivery/delivery-store.js';
import { DeliveryWorker } from '../core/delivery/worker.js';
import type { Reply } from '../core/conversation/types.js';
import { Glossary } from '../core/glossary/glossary.js';
import { Matcher } from '../core/retrieval/match.js';
import { LlmStatsParser, RuleStatsParser, STATS_FUNCTION } from '../core/stats/index.js';
import type { Db } from '../core/store/db.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { ChatUser, engineFor, loadSamples } from './support/chat.js';
import { startFakeOpenAIChat, type FakeOpenAIChat } from './support/fake-openai-chat.js';
import { FakeSlackApi, postSigned } from './support/fake-slack.js';
import { FakeSlackSocket } from './support/fake-slack-socket.js';
import { SlackRequests, slackButtons } from './support/slack-requests.js';
import { llmStatsAnswer } from './support/stats-answers.js';
import { openTestStore } from './support/stores.js';

const logger = pino({ level: 'silent' });
/** Warnings of the HTTP channel, to check what is logged. */
const warnings: Array<Record<string, any>> = [];
const httpLogger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as Record<string, any>) });
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TEAM = 'T0001';
const MODERATOR = 'U0MODERATOR';
const FOUNDER = 'U0FOUNDER';
const STRANGER = 'U0STRANGER';
const MOD_CHANNEL = 'C0MODQUEUE';
const BOT_USER = 'U0JEMBATAN';
/** A user group listed in JEMBATAN_MODERATORS, one of its members and a user outside it. */
const GROUP = 'S0SECRETARIAT';
const GROUPIE = 'U0GROUPIE';
const OUTSIDER = 'U0OUTSIDER';
const GROUP_CACHE_MS = 60_000;
const APP_TOKEN = 'xapp-1-A0JEMBATAN-1-0123456789abcdef';

type Json = Record<string, any>;

let store: ListingStore;
let db: Db;
let cleanup: () => Promise<void>;
let api: FakeSlackApi;
let server: JembatanServer;
let slack: SlackChannel;
let base = '';
/** Added to the HTTP channel's clock: moves the user-group cache past its expiry without waiting. */
let clockOffsetMs = 0;

function env(extra: Record<string, string> = {}) {
  return readEnv({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.url,
    SLACK_ALLOWED_TEAM_IDS: TEAM,
    JEMBATAN_MODERATORS: `${MODERATOR},${GROUP}`,
    JEMBATAN_MODERATION_SLACK_CHANNEL: MOD_CHANNEL,
    ...extra,
  });
}

/** Runs the worker until the inbox and outbox are empty. */
async function settle(): Promise<void> {
  for (let idle = 0; idle < 2; ) {
    const done = await slack.runOnce();
    idle = done.inbox + done.outbox === 0 ? idle + 1 : 0;
  }
}

/** Waits until `ready` returns something truthy (the Socket Mode channel's own worker runs in the background). */
async function until<T>(ready: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ready();
    if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function inboxRows(): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox WHERE channel = 'slack'`);
  return rows[0]!.n;
}

const requests = new SlackRequests({ url: () => base, secret: SECRET, team: TEAM, botUser: BOT_USER });

function dm(user: string, text: string): Json {
  return requests.event({ type: 'message', channel: `D${user}`, channel_type: 'im', user, text, client_msg_id: `m-${requests.count}` });
}

function slash(user: string, text: string, channel = 'C0GENERAL') {
  return requests.postCommand(requests.slashFields(user, text, channel));
}

function blockAction(user: string, channel: string, action: { action_id: string; value: string }, message: Json = { ts: '1.1' }) {
  return requests.postInteraction(requests.blockActions(user, channel, action, message));
}

function textOf(messages: Json[]): string {
  return JSON.stringify(messages.map((m) => [m.text, m.blocks]));
}

beforeAll(async () => {
  ({ store, db, cleanup } = await openTestStore('pglite'));
  await loadSamples(store);
  api = new FakeSlackApi();
  await api.start();
  api.userGroups.set(GROUP, [GROUPIE]);
  slack = new SlackChannel({
    config: slackConfig(env())!,
    engine: engineFor(store),
    db,
    delivery: new DeliveryStore(db),
    matcher: new Matcher(store, Glossary.shared(), undefined),
    logger: httpLogger,
    apiRetries: 0,
    now: () => new Date(Date.now() + clockOffsetMs),
    userGroupCacheMs: GROUP_CACHE_MS,
    // No per-conversation pacing in tests: settle() runs the worker until nothing is claimable.
    worker: { pacing: { perAddressMs: 0 } },
  });
  server = new JembatanServer({ ready: async () => ({}) }, [slack], logger);
  const address = await server.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await slack?.stop();
  await server?.close(1000);
  await api?.stop();
  await cleanup?.();
});

describe('Slack pieces (pure)', () => {
  it('mounts with the bot token and the signing secret and/or the app token; secretariat needs an allowed workspace and a listed user, channel or user group', async () => {
    expect(slackConfig(readEnv({}))).toBeUndefined();
    expect(() => slackConfig(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(/SLACK_SIGNING_SECRET \(HTTP Request URLs\) and\/or SLACK_APP_TOKEN/);
    expect(() => slackConfig(readEnv({ SLACK_SIGNING_SECRET: 's' }))).toThrow(/SLACK_BOT_TOKEN is missing/);
    expect(() => slackConfig(readEnv({ SLACK_APP_TOKEN: APP_TOKEN }))).toThrow(ConfigError);
    expect(() => readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-not-an-app-token' })).toThrow(/SLACK_APP_TOKEN: must be an app-level token/);
    const socketOnly = slackConfig(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: APP_TOKEN }))!;
    expect(socketOnly.appToken).toBe(APP_TOKEN);
    expect(socketOnly.signingSecret).toBeUndefined();
    const config = slackConfig(readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_ALLOWED_TEAM_IDS: 'T1, T2', JEMBATAN_MODERATORS: 'U1,C9,S7' }))!;
    expect(config.apiUrl).toBe('https://slack.com/api/');
    expect(config.appToken).toBeUndefined();
    expect(['U1', 'C9', 'S7'].map(isUserGroupId)).toEqual([false, false, true]);
    const groups = { isMember: async (group: string, user: string) => group === 'S7' && user === 'U7' };
    expect(await isSecretariat(config, { teamId: 'T2', userId: 'U1' })).toBe(true);
    expect(await isSecretariat(config, { teamId: 'T2', userId: 'U2', channelId: 'C9' })).toBe(true);
    expect(await isSecretariat(config, { teamId: 'T3', userId: 'U1' })).toBe(false);
    expect(await isSecretariat(config, { teamId: 'T1', userId: 'U2', channelId: 'C1' }, groups)).toBe(false);
    expect(await isSecretariat(config, { teamId: 'T1', userId: 'U7', channelId: 'C1' }, groups)).toBe(true);
    expect(await isSecretariat(config, { teamId: 'T1', userId: 'U7', channelId: 'C1' })).toBe(false);
    expect(await isSecretariat(config, { teamId: 'T3', userId: 'U7' }, groups)).toBe(false);
    expect(channelMounts(readEnv({}), engineFor(store), logger, db).some((m) => m.name === 'slack')).toBe(false);
    const http = slackMountFromEnv({ env: readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }), engine: engineFor(store), db, logger })!;
    expect(http.routes.map((route) => route.path)).toEqual(['/slack/events', '/slack/commands', '/slack/interactivity']);
    expect(http.statsParser).toBeInstanceOf(RuleStatsParser);
    const socket = slackMountFromEnv({ env: readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: APP_TOKEN }), engine: engineFor(store), db, logger })!;
    expect(socket.routes).toEqual([]);
    // With an LLM configured, statistics questions are read by it (the rules answer first when they read every word).
    const withLlm = slackMountFromEnv({ env: readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }), engine: engineFor(store), db, logger })!;
    expect(withLlm.statsParser).toBeInstanceOf(LlmStatsParser);
    const llmOff = slackMountFromEnv({ env: readEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', JEMBATAN_LLM: 'off' }), engine: engineFor(store), db, logger })!;
    expect(llmOff.statsParser).toBeInstanceOf(RuleStatsParser);
  });

  it('renders engine replies as Block Kit: escaped mrkdwn, cards with fields and buttons, choices as buttons, images as files', () => {
    expect(escapeSlack('*Matches* for <script> & co')).toBe('*Matches* for &lt;script&gt; &amp; co');
    expect(withoutMentions('<@U0JEMBATAN> stats needs by country')).toBe('stats needs by country');
    const out = renderReplies([
      { type: 'text', text: '*Hi* <b>' },
      {
        type: 'cards',
        cards: [{ listingId: 7, kind: 'offer', title: 'Dryer', summary: 'Solar', country: 'Thailand', sectors: ['agrifood'], trl: 6, score: 0.8, why: 'shared: solar', buttons: [{ label: 'Details', action: 'det:7' }] }],
      },
      { type: 'choice', text: 'Pick', options: [{ label: 'A', action: 'set:a' }, { label: 'B', action: 'set:b' }] },
      { type: 'image', png: new Uint8Array([137, 80]), alt: 'chart' },
    ]);
    expect(out.map((o) => o.kind)).toEqual(['message', 'message', 'message', 'file']);
    const [text, cards, choice] = out.map((o) => (o.kind === 'message' ? o.message : undefined));
    expect(text!.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Hi* &lt;b&gt;' } });
    expect(JSON.stringify(cards!.blocks)).toContain('TRL 6');
    const ids = slackButtons([cards!, choice!]).map((b) => [b.action_id, b.value]);
    expect(ids).toEqual([
      [`${ENGINE_ACTION_PREFIX}0`, 'det:7'],
      [`${ENGINE_ACTION_PREFIX}1`, 'set:a'],
      [`${ENGINE_ACTION_PREFIX}2`, 'set:b'],
    ]);
  });
});

describe('Slack over HTTP', () => {
  it('answers URL verification and refuses forged or stale signatures without storing anything', async () => {
    const challenge = await requests.postEvent({ token: 't', challenge: 'ch4llenge', type: 'url_verification' });
    expect(challenge.status).toBe(200);
    expect(JSON.parse(challenge.text)).toEqual({ challenge: 'ch4llenge' });

    const body = JSON.stringify(dm(FOUNDER, 'solar rice dryer'));
    const forged = await postSigned(`${base}/slack/events`, SECRET, body, 'application/json', { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    const wrongSecret = await postSigned(`${base}/slack/events`, 'another-secret', body, 'application/json');
    expect(wrongSecret.status).toBe(401);
    const stale = await postSigned(`${base}/slack/events`, SECRET, body, 'application/json', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${base}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    expect(await inboxRows()).toBe(0);
  });

  it('a DM search is acknowledged at once and answered with cards and buttons; pressing a button runs the engine action', async () => {
    const sent = await requests.postEvent(dm(FOUNDER, 'solar rice dryer for our cooperative'));
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(3000);
    expect(api.postedTo(`D${FOUNDER}`)).toHaveLength(0); // nothing is done before the ack
    await settle();
    const answer = api.postedTo(`D${FOUNDER}`);
    expect(answer.length).toBeGreaterThan(0);
    const details = slackButtons(answer).find((b) => String(b.value).startsWith('det:'));
    expect(details?.action_id).toMatch(/^eng:\d+$/);
    const sections = answer.flatMap((m) => m.blocks as Json[]).filter((b) => b.type === 'section' && b.fields);
    expect(sections.length).toBeGreaterThan(0);

    const before = api.postedTo(`D${FOUNDER}`).length;
    expect((await blockAction(FOUNDER, `D${FOUNDER}`, { action_id: details!.action_id, value: details!.value })).status).toBe(200);
    await settle();
    const shown = api.postedTo(`D${FOUNDER}`).slice(before);
    expect(shown.length).toBeGreaterThan(0);
  });

  it('a retried event (X-Slack-Retry-Num, same event_id) is processed once', async () => {
    const body = dm(FOUNDER, 'help');
    const rows = await inboxRows();
    const before = api.postedTo(`D${FOUNDER}`).length;
    expect((await requests.postEvent(body)).status).toBe(200);
    expect((await requests.postEvent(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await settle();
    expect((await requests.postEvent(body, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await settle();
    expect(await inboxRows()).toBe(rows + 1);
    const help = api.postedTo(`D${FOUNDER}`).slice(before);
    expect(help).toHaveLength(1);
    expect(textOf(help)).toContain(translator('en')('help.text').split('\n')[0]!);
  });

  it('statistics and moderation are refused politely to anyone not configured', async () => {
    expect((await slash(STRANGER, 'stats needs by country', 'C0RANDOM')).status).toBe(200);
    await settle();
    expect(textOf(api.postedTo('C0RANDOM'))).toContain(translator('en')('moderation.not_allowed').slice(0, 30));
    expect(api.of('files.completeUploadExternal')).toHaveLength(0);

    // A moderator id from another workspace is not a moderator either.
    const foreign = await requests.postEvent({ ...requests.event({ type: 'app_mention', channel: 'C0OTHER', user: MODERATOR, text: `<@${BOT_USER}> stats listings by kind` }), team_id: 'T0FOREIGN' });
    expect(foreign.status).toBe(200);
    await settle();
    expect(textOf(api.postedTo('C0OTHER'))).toContain(translator('en')('moderation.not_allowed').slice(0, 30));

    // Buttons of the moderation queue, pressed by a stranger: nothing changes.
    expect((await blockAction(STRANGER, MOD_CHANNEL, { action_id: MOD_APPROVE, value: '1' })).status).toBe(200);
    await settle();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM moderation_decisions');
    expect(rows[0]!.n).toBe(0);
    expect(api.of('views.open')).toHaveLength(0);
    expect((await blockAction(STRANGER, MOD_CHANNEL, { action_id: MOD_REJECT, value: '1' })).status).toBe(200);
    await settle();
    expect(api.of('views.open')).toHaveLength(0);
  });

  it('a stats question gets a Block Kit table with the right numbers, a PNG chart and a CSV button that uploads the CSV', async () => {
    const { rows: expected } = await db.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM listings WHERE status = 'published' GROUP BY kind ORDER BY n DESC`,
    );
    const uploadsBefore = api.uploads.length;
    expect((await slash(MODERATOR, 'stats listings by kind', 'C0SECRETARIAT')).status).toBe(200);
    await settle();
    const [table] = api.postedTo('C0SECRETARIAT');
    expect(table).toBeDefined();
    const fields = (table!.blocks as Json[]).filter((b) => b.type === 'section' && b.fields).flatMap((b) => (b.fields as Json[]).map((f) => String(f.text)));
    for (const row of expected) expect(fields).toContain(String(row.n));
    const csvButton = slackButtons([table!]).find((b) => b.action_id === STATS_CSV);
    expect(csvButton?.value).toBe('listings by kind');
    // The chart: the current upload API, bytes of a PNG.
    expect(api.of('files.getUploadURLExternal').at(-1)!.args.filename).toBe('chart.png');
    const chart = api.uploads.at(-1)!;
    expect(api.uploads.length).toBe(uploadsBefore + 1);
    expect(chart.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(api.of('files.completeUploadExternal').at(-1)!.args.channel_id).toBe('C0SECRETARIAT');

    expect((await blockAction(MODERATOR, 'C0SECRETARIAT', { action_id: STATS_CSV, value: csvButton!.value }, { ts: '5.5' })).status).toBe(200);
    await settle();
    const csv = api.uploads.at(-1)!.bytes.toString('utf8');
    expect(api.of('files.getUploadURLExternal').at(-1)!.args.filename).toBe('stats.csv');
    for (const row of expected) expect(csv).toMatch(new RegExp(`${row.kind},[^\\r\\n]*,${row.n}\\r?\\n|${row.kind}[^\\r\\n]*${row.n}`));

    // A mention in the channel that starts with a stats question; the answer goes in the thread.
    expect((await requests.postEvent(requests.event({ type: 'app_mention', channel: 'C0SECRETARIAT', user: MODERATOR, text: `<@${BOT_USER}> listings by kind`, ts: '77.7' }))).status).toBe(200);
    await settle();
    expect(api.postedTo('C0SECRETARIAT').at(-1)!.thread_ts).toBe('77.7');

    // Not a statistics question: what can be asked, with examples.
    expect((await slash(MODERATOR, 'stats what is the weather like?', 'C0SECRETARIAT')).status).toBe(200);
    await settle();
    const help = api.postedTo('C0SECRETARIAT').at(-1)!;
    expect(textOf([help])).toContain('needs by country');
  });

  it('moderation round trip: a Telegram user submits → posted to the moderation channel → Approve → published → notification queued in their language', async () => {
    const user = new ChatUser(engineFor(store), 'tg-4242', { channel: 'telegram', conversationId: '4242' });
    await user.say('/need');
    await user.say('我们是广西的荔枝合作社，需要天然可食用涂膜技术来延长荔枝保鲜期，希望技术合作。');
    await user.say('中国');
    const done = await user.press('submit');
    expect(done.language).toBe('zh');
    const delivery = new DeliveryStore(db);
    // The Telegram channel's inbox handler remembers where the user can be reached.
    expect(await delivery.rememberAddressOf('telegram', 'tg-4242', '4242', { chatId: 4242 })).toBe(true);
    const { rows } = await db.query<{ id: number; title: string; status: string }>(`SELECT id, title, status FROM listings WHERE owner_ref = 'telegram:tg-4242'`);
    const listing = rows[0]!;
    expect(listing.status).toBe('pending');

    expect(await slack.moderationPass()).toBeGreaterThanOrEqual(1);
    expect(await slack.moderationPass()).toBe(0); // posted once
    const post = api.postedTo(MOD_CHANNEL).find((m) => slackButtons([m]).some((b) => b.value === String(listing.id)))!;
    expect(post).toBeDefined();
    expect(slackButtons([post]).map((b) => b.action_id)).toEqual(['mod:approve', 'mod:reject', 'mod:edit']);
    expect(textOf([post])).toContain('telegram:tg-4242');

    expect((await blockAction(MODERATOR, MOD_CHANNEL, { action_id: MOD_APPROVE, value: String(listing.id) })).status).toBe(200);
    await settle();
    const after = await db.query<{ status: string }>('SELECT status FROM listings WHERE id = $1', [listing.id]);
    expect(after.rows[0]!.status).toBe('published');
    const decisions = await slack.moderation.decisions(listing.id);
    expect(decisions).toMatchObject([{ decision: 'approved', moderatorChannel: 'slack', moderatorId: MODERATOR }]);
    expect(decisions[0]!.decidedAt).toBeInstanceOf(Date);
    expect(api.of('chat.update').at(-1)!.args.channel).toBe(MOD_CHANNEL);

    const { rows: queued } = await db.query<{ channel: string; address: Json; replies: Json[] }>(
      `SELECT channel, address, replies FROM outbox WHERE channel = 'telegram' AND sent_at IS NULL`,
    );
    expect(queued).toHaveLength(1);
    expect(queued[0]!.address).toEqual({ chatId: 4242 });
    expect(queued[0]!.replies[0]!.text).toBe(translator('zh')('moderation.approved', { title: listing.title }));

    // A second decision on the same listing changes nothing.
    expect((await blockAction(MODERATOR, MOD_CHANNEL, { action_id: MOD_APPROVE, value: String(listing.id) })).status).toBe(200);
    await settle();
    expect(await slack.moderation.decisions(listing.id)).toHaveLength(1);
  });

  it('Reject opens a modal for the reason; submitting it rejects the listing and tells the submitter the reason', async () => {
    const user = new ChatUser(engineFor(store), 'slack-founder', { channel: 'slack', conversationId: 'DSLACKF' });
    await user.say('/need');
    await user.say('我们是广西的荔枝合作社，需要天然可食用涂膜技术来延长荔枝保鲜期，希望技术合作。');
    await user.say('中国');
    await user.press('submit');
    await new DeliveryStore(db).rememberAddressOf('slack', 'slack-founder', 'DSLACKF', { channel: 'DSLACKF' });
    const { rows } = await db.query<{ id: number }>(`SELECT id FROM listings WHERE owner_ref = 'slack:slack-founder'`);
    const id = rows[0]!.id;
    await slack.moderationPass();

    expect((await blockAction(MODERATOR, MOD_CHANNEL, { action_id: MOD_REJECT, value: String(id) })).status).toBe(200);
    const opened = api.of('views.open').at(-1)!;
    expect(opened.args.view.private_metadata).toBe(String(id));
    const view = {
      type: 'view_submission',
      team: { id: TEAM, domain: 'hub' },
      user: { id: MODERATOR, team_id: TEAM },
      trigger_id: requests.triggerId(3),
      view: { ...opened.args.view, id: 'V0001', hash: 'h1', state: { values: { reason: { reason: { type: 'plain_text_input', value: 'Please add the expected volume' } } } } },
    };
    const submitted = await requests.postInteraction(view);
    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.text)).toEqual({ response_action: 'clear' });
    await settle();
    const status = await db.query<{ status: string; status_reason: string }>('SELECT status, status_reason FROM listings WHERE id = $1', [id]);
    expect(status.rows[0]).toEqual({ status: 'rejected', status_reason: 'Please add the expected volume' });
    // The submitter is on Slack: the notification went out through the Slack outbox.
    expect(textOf(api.postedTo('DSLACKF'))).toContain('Please add the expected volume');
  });
});

/** The numbers of a posted statistics table (section fields). */
function tableFields(message: Json): string[] {
  return ((message.blocks ?? []) as Json[]).filter((b) => b.type === 'section' && b.fields).flatMap((b) => (b.fields as Json[]).map((f) => String(f.text)));
}

async function listingsByKind(): Promise<Array<{ kind: string; n: number }>> {
  const { rows } = await db.query<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM listings WHERE status = 'published' GROUP BY kind ORDER BY n DESC`);
  return rows;
}

describe('Slack outbox: idempotent parts (SendProgress, message metadata)', () => {
  const parts: Reply[] = [1, 2, 3, 4].map((n) => ({ type: 'text', text: `outbox part ${n}` }));
  const never = new Promise<never>(() => undefined);

  /**
   * A worker in another process that sends an item, and is killed after Slack accepted part 2 (index 1),
   * before that was recorded: the real SlackSender, whose `delivered(1)` never returns. Returns the item id.
   */
  async function killedAfterPart2(address: Json): Promise<number> {
    const delivery = new DeliveryStore(db);
    const id = await delivery.enqueue('slack', address, parts);
    const real = new SlackSender(slack.client, logger);
    const dying = new DeliveryWorker({
      store: delivery,
      channel: 'slack',
      logger,
      batch: { outbox: 1 },
      sender: {
        channel: 'slack',
        send: (to, replies, progress) => real.send(to, replies, progress && { ...progress, delivered: (part) => (part === 1 ? never : progress.delivered(part)) }),
      },
    });
    void dying.runOnce().catch(() => undefined);
    const channel = String(address.channel);
    await until(() => api.postedTo(channel).length === 2, 'parts 1 and 2 at Slack');
    // The state a dead worker leaves: part 1 recorded, part 2 started and not recorded, the lease running.
    const { rows } = await db.query<{ parts_sent: number; part_started: number | null }>('SELECT parts_sent, part_started FROM outbox WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ parts_sent: 1, part_started: 1 });
    // The lease runs out (here: made to), and the channel's own worker takes the item over.
    await db.query(`UPDATE outbox SET claimed_until = now() - interval '1 second' WHERE id = $1`, [id]);
    return id;
  }

  function texts(channel: string): string[] {
    return api.postedTo(channel).map((m) => String(m.text));
  }

  it('every chat.postMessage of the outbox carries {event_type: jembatan_outbox, event_payload: {key, part}}', async () => {
    await settle();
    const delivery = new DeliveryStore(db);
    const id = await delivery.enqueue('slack', { channel: 'C0META' }, parts.slice(0, 3));
    await settle();
    expect(api.postedTo('C0META').map((m) => m.metadata)).toEqual(
      [0, 1, 2].map((part) => ({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key: `jembatan-outbox-${id}`, part } })),
    );
    // Replies of engine turns too (the DM answers of the tests above).
    const answers = api.postedTo(`D${FOUNDER}`);
    expect(answers.length).toBeGreaterThan(0);
    for (const message of answers) expect(message.metadata).toMatchObject({ event_type: OUTBOX_EVENT_TYPE, event_payload: { key: expect.stringMatching(/^jembatan-outbox-\d+$/) } });
    // Nothing was in doubt: no lookups.
    expect(api.of('conversations.history')).toHaveLength(0);
  });

  it('a worker killed after Slack accepted part 2 but before recording it: the next one finds part 2 by its metadata and sends each part exactly once', async () => {
    await settle();
    const id = await killedAfterPart2({ channel: 'C0KILLED' });
    await settle();
    expect(texts('C0KILLED')).toEqual(['outbox part 1', 'outbox part 2', 'outbox part 3', 'outbox part 4']);
    expect(api.postedTo('C0KILLED').map((m) => m.metadata.event_payload)).toEqual([0, 1, 2, 3].map((part) => ({ key: `jembatan-outbox-${id}`, part })));
    const lookup = api.of('conversations.history').at(-1)!;
    expect(lookup.args).toMatchObject({ channel: 'C0KILLED', include_all_metadata: 'true' });
    expect(Number(lookup.args.oldest)).toBeLessThan(Date.now() / 1000 - 60);
    const { rows } = await db.query<{ sent: boolean; parts_sent: number }>('SELECT sent_at IS NOT NULL AS sent, parts_sent FROM outbox WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ sent: true, parts_sent: 4 });
  });

  it('in a thread the part in doubt is looked up with conversations.replies', async () => {
    await settle();
    await killedAfterPart2({ channel: 'C0KILLEDT', thread_ts: '1710000000.000100' });
    await settle();
    expect(texts('C0KILLEDT')).toEqual(['outbox part 1', 'outbox part 2', 'outbox part 3', 'outbox part 4']);
    expect(api.postedTo('C0KILLEDT').every((m) => m.thread_ts === '1710000000.000100')).toBe(true);
    expect(api.of('conversations.replies').at(-1)!.args).toMatchObject({ channel: 'C0KILLEDT', ts: '1710000000.000100', include_all_metadata: 'true' });
  });

  it('without the history scopes the lookup fails: a warning, and the part in doubt is sent again (at least once, nothing lost)', async () => {
    await settle();
    const id = await killedAfterPart2({ channel: 'C0NOSCOPE' });
    api.failNext('conversations.history', 'missing_scope');
    await settle();
    expect(texts('C0NOSCOPE')).toEqual(['outbox part 1', 'outbox part 2', 'outbox part 2', 'outbox part 3', 'outbox part 4']);
    expect(warnings.some((line) => line.channel === 'C0NOSCOPE' && line.error === 'missing_scope' && line.part === 1 && line.key === `jembatan-outbox-${id}`)).toBe(true);
    const { rows } = await db.query<{ sent: boolean; parts_sent: number }>('SELECT sent_at IS NOT NULL AS sent, parts_sent FROM outbox WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ sent: true, parts_sent: 4 });
  });
});

describe('Moderators by user group (usergroups.users.list)', () => {
  const refusal = translator('en')('moderation.not_allowed').slice(0, 30);

  it('a member of a listed user group gets statistics; a non-member is refused politely', async () => {
    // The strangers above were already checked against the group: start from an expired cache.
    clockOffsetMs += GROUP_CACHE_MS + 1000;
    const lookups = api.of('usergroups.users.list').length;
    expect((await slash(GROUPIE, 'stats listings by kind', 'C0GROUP1')).status).toBe(200);
    await settle();
    const [table] = api.postedTo('C0GROUP1');
    expect(table).toBeDefined();
    for (const row of await listingsByKind()) expect(tableFields(table!)).toContain(String(row.n));
    const lookup = api.of('usergroups.users.list').at(-1)!;
    expect(api.of('usergroups.users.list')).toHaveLength(lookups + 1);
    expect(lookup.args.usergroup).toBe(GROUP);
    expect(lookup.token).toBe('xoxb-test-token');

    expect((await slash(OUTSIDER, 'stats listings by kind', 'C0GROUP2')).status).toBe(200);
    await settle();
    const refused = api.postedTo('C0GROUP2');
    expect(refused).toHaveLength(1);
    expect(textOf(refused)).toContain(refusal);
    // The group's members were cached: no second lookup.
    expect(api.of('usergroups.users.list')).toHaveLength(lookups + 1);
  });

  it('membership is cached for the configured time; someone removed from the group is refused once it expires; a failed lookup is a refusal, not a crash', async () => {
    api.userGroups.set(GROUP, []);
    const lookups = api.of('usergroups.users.list').length;
    // Still cached: the old membership holds.
    expect((await slash(GROUPIE, 'stats listings by kind', 'C0GROUP3')).status).toBe(200);
    await settle();
    expect(tableFields(api.postedTo('C0GROUP3')[0]!).length).toBeGreaterThan(0);
    expect(api.of('usergroups.users.list')).toHaveLength(lookups);

    clockOffsetMs += GROUP_CACHE_MS + 1000;
    expect((await slash(GROUPIE, 'stats listings by kind', 'C0GROUP4')).status).toBe(200);
    await settle();
    expect(api.of('usergroups.users.list')).toHaveLength(lookups + 1);
    expect(textOf(api.postedTo('C0GROUP4'))).toContain(refusal);

    // Back in the group, but the lookup fails (e.g. the scope is missing): refused, a warning, no crash.
    api.userGroups.set(GROUP, [GROUPIE]);
    clockOffsetMs += GROUP_CACHE_MS + 1000;
    api.failNext('usergroups.users.list', 'missing_scope');
    const uploads = api.uploads.length;
    expect((await slash(GROUPIE, 'stats listings by kind', 'C0GROUP5')).status).toBe(200);
    await settle();
    expect(textOf(api.postedTo('C0GROUP5'))).toContain(refusal);
    expect(api.uploads.length).toBe(uploads);
    expect(warnings.some((line) => line.usergroup === GROUP && line.error === 'missing_scope' && line.level === 40)).toBe(true);
    const { rows } = await db.query<{ done: boolean; last_error: string | null }>(
      `SELECT done_at IS NOT NULL AS done, last_error FROM inbox WHERE channel = 'slack' AND payload->'body'->>'channel_id' = 'C0GROUP5'`,
    );
    expect(rows).toEqual([{ done: true, last_error: null }]);

    // A failure is not cached: the next question asks Slack again and is answered.
    expect((await slash(GROUPIE, 'stats listings by kind', 'C0GROUP6')).status).toBe(200);
    await settle();
    expect(tableFields(api.postedTo('C0GROUP6')[0]!).length).toBeGreaterThan(0);
  });
});

describe('Slack over Socket Mode (SLACK_APP_TOKEN, no signing secret)', () => {
  let socketServer: FakeSlackSocket;
  let llm: FakeOpenAIChat;
  let socketSlack: SlackChannel;
  const SOCKET_FOUNDER = 'U0SOCKETF';
  const socketEnv = (extra: Record<string, string> = {}) =>
    readEnv({
      ...extra,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_API_URL: api.url,
      SLACK_ALLOWED_TEAM_IDS: TEAM,
      JEMBATAN_MODERATORS: MODERATOR,
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: 'sk-test-slack',
      JEMBATAN_LLM_TIMEOUT_MS: '5000',
    });
  // Pings every second, a pong expected within 3 s; a dropped connection is reopened after 3 s.
  const tuning = { apiRetries: 0, worker: { pollMs: 50, pacing: { perAddressMs: 0 } }, socket: { clientPingTimeoutMs: 3000, connectWaitMs: 10_000 } };
  // Reconnects after 200 ms, doubling, at most 800 ms apart (the default: from the pong wait up to 1 minute).
  const revokedTuning = { ...tuning, socket: { ...tuning.socket, reconnectBaseMs: 200, reconnectMaxMs: 800 } };

  /** Waits until the running worker has handled every stored envelope and sent every reply. */
  async function quiet(): Promise<void> {
    await until(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM inbox WHERE channel = 'slack' AND done_at IS NULL) + (SELECT count(*) FROM outbox WHERE channel = 'slack' AND sent_at IS NULL AND failed_at IS NULL) AS n`,
      );
      return Number(rows[0]!.n) === 0;
    }, 'an idle inbox and an empty outbox');
  }

  /** Sends an envelope and waits for its ack; returns the ack and how long it took. */
  async function sendAndAck(type: 'events_api' | 'slash_commands' | 'interactive', payload: Json, options: Parameters<FakeSlackSocket['envelope']>[2] = {}) {
    const started = performance.now();
    const id = socketServer.envelope(type, payload, options);
    const ack = await until(() => socketServer.ack(id), `the ack of ${id}`);
    return { id, ack, ms: performance.now() - started };
  }

  beforeAll(async () => {
    socketServer = new FakeSlackSocket();
    await socketServer.start();
    api.socketUrl = socketServer.url;
    llm = await startFakeOpenAIChat();
    socketSlack = slackMountFromEnv({ env: socketEnv(), engine: engineFor(store), db, logger, tuning })!;
  });

  afterAll(async () => {
    await socketSlack?.stop();
    await socketServer?.stop();
    await llm?.close();
  });

  it('start() opens the connection with apps.connections.open (app token, through SLACK_API_URL) and waits for hello; no HTTP routes', async () => {
    expect(socketSlack.routes).toEqual([]);
    expect(socketSlack.statsParser).toBeInstanceOf(LlmStatsParser);
    const opens = api.of('apps.connections.open').length;
    await socketSlack.start();
    expect(api.of('apps.connections.open')).toHaveLength(opens + 1);
    expect(api.of('apps.connections.open').at(-1)!.token).toBe(APP_TOKEN);
    expect(socketServer.connections).toHaveLength(1);
    expect(socketServer.current?.path).toMatch(/^\/link\/\?ticket=/);
  });

  it('a DM envelope is acknowledged at once and answered with chat.postMessage; a re-sent envelope with the same event_id is handled once', async () => {
    const search = dm(SOCKET_FOUNDER, 'solar rice dryer for our cooperative');
    const first = await sendAndAck('events_api', search);
    expect(first.ack).toEqual({ envelope_id: first.id, payload: {} });
    expect(first.ms).toBeLessThan(3000);
    await until(() => api.postedTo(`D${SOCKET_FOUNDER}`).length > 0, 'the DM answer');
    // The answer is several messages (text, cards): all of them sent.
    await quiet();
    expect(slackButtons(api.postedTo(`D${SOCKET_FOUNDER}`)).some((b) => String(b.value).startsWith('det:'))).toBe(true);

    // Help, then Slack re-sends the same event in a new envelope (retry_attempt 1): stored once, answered once.
    const help = dm(SOCKET_FOUNDER, 'help');
    const rows = await inboxRows();
    const before = api.postedTo(`D${SOCKET_FOUNDER}`).length;
    await sendAndAck('events_api', help);
    const retried = await sendAndAck('events_api', help, { retryAttempt: 1, retryReason: 'timeout' });
    expect(retried.ack).toEqual({ envelope_id: retried.id, payload: {} });
    expect(await inboxRows()).toBe(rows + 1);
    // A later message is answered after the help: had the retry been stored, its answer would come first.
    await sendAndAck('events_api', dm(SOCKET_FOUNDER, 'help'));
    await until(() => api.postedTo(`D${SOCKET_FOUNDER}`).length >= before + 2, 'two help answers');
    await quiet();
    const helps = api.postedTo(`D${SOCKET_FOUNDER}`).slice(before);
    expect(helps).toHaveLength(2);
    expect(textOf(helps)).toContain(translator('en')('help.text').split('\n')[0]!);
  });

  it('/jembatan stats from a moderator gets the table; a question the rules cannot fully read goes to the LLM; strangers are refused', async () => {
    const command = await sendAndAck('slash_commands', requests.slashFields(MODERATOR, 'stats listings by kind', 'C0SOCKETSEC'));
    expect(command.ack).toEqual({ envelope_id: command.id, payload: {} });
    const [table] = await until(() => api.postedTo('C0SOCKETSEC').length > 0 && api.postedTo('C0SOCKETSEC'), 'the stats table');
    for (const row of await listingsByKind()) expect(tableFields(table!)).toContain(String(row.n));
    expect(llm.requests).toHaveLength(0); // every word understood by the rules

    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE status = 'published' AND kind = 'offer' AND 'agrifood' = ANY(sectors)`);
    llm.reply({ type: 'structured', value: llmStatsAnswer({ metric: 'listings', kinds: ['offer'], sectors: ['agrifood'], language: 'en' }) });
    await sendAndAck('slash_commands', requests.slashFields(MODERATOR, 'stats how many offers about seaweed', 'C0SOCKETLLM'));
    const [answer] = await until(() => api.postedTo('C0SOCKETLLM').length > 0 && api.postedTo('C0SOCKETLLM'), 'the LLM-read stats answer');
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]!.body.tool_choice).toMatchObject({ type: 'function', function: { name: STATS_FUNCTION } });
    expect(JSON.stringify(llm.requests[0]!.body.messages)).toContain('seaweed');
    // The model's reading (agrifood offers), not the rules' (every offer): a different number.
    expect(answer!.text).toBe('Offers · Agriculture & food');
    expect(tableFields(answer!)).toEqual(['Offers', String(rows[0]!.n)]);

    await sendAndAck('slash_commands', requests.slashFields(STRANGER, 'stats listings by kind', 'C0SOCKETX'));
    const refused = await until(() => api.postedTo('C0SOCKETX').length > 0 && api.postedTo('C0SOCKETX'), 'the refusal');
    expect(textOf(refused)).toContain(translator('en')('moderation.not_allowed').slice(0, 30));
  });

  it('interactive envelopes: a view_submission is acknowledged with response_action clear, a button runs the engine action', async () => {
    const view = {
      type: 'view_submission',
      team: { id: TEAM, domain: 'hub' },
      user: { id: STRANGER, team_id: TEAM },
      trigger_id: requests.triggerId(4),
      view: { id: 'V0SOCKET', hash: 'h2', callback_id: 'another_view', private_metadata: '', state: { values: {} } },
    };
    const submitted = await sendAndAck('interactive', view);
    expect(submitted.ack).toEqual({ envelope_id: submitted.id, payload: { response_action: 'clear' } });

    const details = slackButtons(api.postedTo(`D${SOCKET_FOUNDER}`)).find((b) => String(b.value).startsWith('det:'))!;
    await quiet();
    const before = api.postedTo(`D${SOCKET_FOUNDER}`).length;
    const pressed = await sendAndAck('interactive', {
      type: 'block_actions',
      user: { id: SOCKET_FOUNDER, team_id: TEAM },
      team: { id: TEAM },
      channel: { id: `D${SOCKET_FOUNDER}` },
      container: { type: 'message', message_ts: '9.9', channel_id: `D${SOCKET_FOUNDER}` },
      message: { ts: '9.9' },
      trigger_id: requests.triggerId(5),
      actions: [{ action_id: details.action_id, value: details.value, type: 'button', block_id: 'b', action_ts: '9.91' }],
    });
    expect(pressed.ack).toEqual({ envelope_id: pressed.id, payload: {} });
    await until(() => api.postedTo(`D${SOCKET_FOUNDER}`).length > before, 'the details');
  });

  it("answers Slack's pings and pings itself; a disconnect message makes it reconnect through apps.connections.open and carry on", async () => {
    const first = socketServer.current!;
    first.ping('ping-from-slack-1');
    await until(() => first.pongs.includes('ping-from-slack-1'), 'the pong');
    await until(() => first.pings > 0, "the client's ping");

    const opens = api.of('apps.connections.open').length;
    socketServer.disconnect('refresh_requested');
    await until(() => first.closed, 'the old connection to close');
    expect(first.clientCloseCode).toBe(1000);
    const second = await until(() => socketServer.current !== first && socketServer.current, 'a new connection', 20_000);
    expect(api.of('apps.connections.open')).toHaveLength(opens + 1);
    expect(second.id).toBe(first.id + 1);

    await quiet();
    const before = api.postedTo(`D${SOCKET_FOUNDER}`).length;
    const sent = await sendAndAck('events_api', dm(SOCKET_FOUNDER, 'help'));
    expect(sent.ack).toEqual({ envelope_id: sent.id, payload: {} });
    await until(() => api.postedTo(`D${SOCKET_FOUNDER}`).length > before, 'the answer on the new connection');
    expect(first.errors.concat(second.errors)).toEqual([]);
  });

  it('stop() closes the socket with a close frame and does not reconnect', async () => {
    const connection = socketServer.current!;
    const opens = api.of('apps.connections.open').length;
    await socketSlack.stop();
    expect(connection.clientCloseCode).toBe(1000);
    await until(() => connection.closed, 'the closed connection');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socketServer.current).toBeUndefined();
    expect(api.of('apps.connections.open')).toHaveLength(opens);
  });

  it('an app token revoked while connected: no unhandled rejection, an error with the reason, retries with back-off, HTTP keeps working; reconnects once Slack accepts again', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => void rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    const lines: Json[] = [];
    const socketLogger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Json) });
    // Both paths: the HTTP Request URLs must keep working while the socket cannot reconnect.
    const both = slackMountFromEnv({
      env: socketEnv({ SLACK_SIGNING_SECRET: SECRET }),
      engine: engineFor(store),
      db,
      logger: socketLogger,
      tuning: revokedTuning,
    })!;
    const httpServer = new JembatanServer({ ready: async () => ({}) }, [both], logger);
    const { port } = await httpServer.listen(0, '127.0.0.1');
    try {
      await both.start();
      const first = socketServer.current!;
      expect(first).toBeDefined();
      const opens = api.of('apps.connections.open').length;

      // The app token is revoked; Slack drops the connection.
      api.connectionsOpenError = 'invalid_auth';
      first.destroy();
      await until(() => api.of('apps.connections.open').length >= opens + 3, 'three refused reconnects', 20_000);
      const refused = lines.filter((line) => line.level === 50 && line.reason === 'invalid_auth');
      expect(refused.length).toBeGreaterThanOrEqual(2);
      expect(refused.at(-1)!.retryInMs).toBeLessThanOrEqual(800);
      expect(socketServer.current).toBeUndefined();

      // Meanwhile a DM over HTTP is stored and answered.
      const httpUser = 'U0HTTPDURINGOUTAGE';
      const answered = api.postedTo(`D${httpUser}`).length;
      const posted = await postSigned(`http://127.0.0.1:${port}/slack/events`, SECRET, JSON.stringify(dm(httpUser, 'help')), 'application/json');
      expect(posted.status).toBe(200);
      await until(() => api.postedTo(`D${httpUser}`).length > answered, 'the HTTP DM answered during the outage');

      // A new token is in place: the next attempt connects, and a DM over the socket is answered.
      api.connectionsOpenError = undefined;
      const second = await until(() => socketServer.current, 'the reconnection', 20_000);
      expect(second.id).toBeGreaterThan(first.id);
      await until(() => lines.some((line) => line.msg === 'slack socket mode connected' && line.reconnected === true), 'the reconnected log line');
      const socketUser = 'U0SOCKETBACK';
      const sent = await sendAndAck('events_api', dm(socketUser, 'help'));
      expect(sent.ack).toEqual({ envelope_id: sent.id, payload: {} });
      await until(() => api.postedTo(`D${socketUser}`).length > 0, 'the DM answered on the new connection');
      expect(rejections).toEqual([]);
    } finally {
      api.connectionsOpenError = undefined;
      await both.stop();
      await httpServer.close(1000);
      process.off('unhandledRejection', onRejection);
    }
    expect(socketServer.current).toBeUndefined();
  });

  it('an app token Slack refuses makes start() fail with the reason', async () => {
    const refused = slackMountFromEnv({ env: socketEnv(), engine: engineFor(store), db, logger, tuning })!;
    api.failNext('apps.connections.open', 'invalid_auth');
    await expect(refused.start()).rejects.toThrow(/Slack Socket Mode could not connect: invalid_auth/);
    expect(socketServer.current).toBeUndefined();
  });
});
