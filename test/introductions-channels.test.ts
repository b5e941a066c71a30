/**
 * Introductions (double opt-in) through the real channel adapters: one JembatanServer with Telegram
 * (webhook), Microsoft Teams (Bot Framework activities on /api/messages) and Slack (signed Request URLs)
 * mounted at once, each talking to its local stub on 127.0.0.1 (test/support/fake-telegram.ts,
 * fake-bot-connector.ts, fake-slack.ts). The owner lists their work through the Teams chat; requesters
 * find it on Telegram and ask for an introduction; the owner answers with the card buttons Teams renders;
 * listings without an owner go to the secretariat's Slack channel. Every notice is read back from what
 * the stubs recorded, and nothing about the owner may appear anywhere before acceptance.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackMountFromEnv, type SlackChannel } from '../adapters/slack/mount.js';
import { teamsConfig } from '../adapters/teams/config.js';
import { teamsMount, type TeamsChannel } from '../adapters/teams/mount.js';
import type { TelegramBot } from '../adapters/telegram/bot.js';
import { telegramMount } from '../adapters/telegram/mount.js';
import { createAssistant, type Assistant } from '../bots/assistant.js';
import { JembatanServer, type ChannelMount } from '../bots/serve/http-server.js';
import { telegramBotFromEnv } from '../bots/telegram/telegram.js';
import { readEnv } from '../core/config/env.js';
import { DeliveryStore } from '../core/delivery/delivery-store.js';
import { Glossary } from '../core/glossary/glossary.js';
import { MatchmakingJobs } from '../core/jobs/matchmaking-jobs.js';
import { Matcher } from '../core/retrieval/match.js';
import type { Db } from '../core/store/db.js';
import type { ListingStore } from '../core/store/listing-store.js';
import { loadSamples } from './support/chat.js';
import { FakeBotConnector } from './support/fake-bot-connector.js';
import { FakeSlackApi } from './support/fake-slack.js';
import { FakeTelegram, buttonsOf, messagesText, type TgMessage, type TgUpdate, type TgUser } from './support/fake-telegram.js';
import { freePort, sleep } from './support/net.js';
import { SlackRequests, slackButtons, slackText, type PressedButton } from './support/slack-requests.js';
import { openTestStore } from './support/stores.js';
import { actionsOf, cardsOf, postActivity, teamsActivity, teamsText } from './support/teams-activities.js';

type Json = Record<string, any>;

const silent = pino({ level: 'silent' });
const TG_SECRET = 'intro_channels_secret-1';
const SLACK_SECRET = 'b1f0c3d2e5a4978601234567890abcde';
const SLACK_TEAM = 'T0HUB';
const SLACK_BOT_USER = 'U0JEMBATAN';
const STAFF = 'U0STAFF';
const NOT_STAFF = 'U0VISITOR';
const MOD_CHANNEL = 'C0SECRETARIAT';
const TEAMS_BOT = { id: '28:jembatan-bot', name: 'Jembatan' };
const TENANT = 'tenant-intro';

/**
 * Contact details as a user types them, phrased as a sentence: a bare "Name, Org, email" is often detected
 * as another language (e.g. Filipino) and switches the user's language for every later notice (the engine
 * adopts the language of any text, answers to "which contact details?" included).
 */
function contact(who: string, email: string): string {
  return `You can reach me, ${who}, at ${email}`;
}

/** The owner, on Teams: their name, contact and the listing's confidential details stay hidden until Accept. */
const OWNER_NAME = 'Grace Whitfield';
const OWNER_CONTACT = contact('Grace Whitfield of SolarIce Lab', 'grace.whitfield@solarice.example');
const CONFIDENTIAL = 'Licence terms: royalty of four percent; the drawings are shared under an NDA. Plant manager mobile +63 917 555 0142.';
/** Pieces of the above that nobody but an accepted requester may ever receive. */
const SECRETS = ['Whitfield', 'solarice.example', '917 555 0142', 'royalty of four percent', 'shared under an NDA'];
const REQUESTER_CONTACT = contact('Rizal Hakim of the Panay fishers cooperative', 'rizal.hakim@panayfishers.example');
const REASON = 'We only license to manufacturers with a cold chain at the moment.';
const SECRETARIAT_REQUESTER_CONTACT = contact('Pham Thi Mai of the Ca Mau cooperative', 'mai@camaucoop.example');
const STAFF_CONTACT = 'You can reach the ASEAN hub secretariat desk at intro@asean-hub.example';
const QUERY = 'solar ice maker for fishing boats';
const SHRIMP_QUERY = 'dissolved oxygen sensor for shrimp ponds';
const DESCRIPTION =
  'We developed a solar powered ice maker for small fishing boats that keeps the catch cold for two days without diesel. ' +
  'The prototype was tested on ten boats and we are looking for a licensing partner or a pilot with a fishing cooperative.';

// ------------------------------------------------------------------------------------------------
// Plumbing

let store: ListingStore;
let db: Db;
let cleanup: () => Promise<void>;
let telegram: FakeTelegram;
let connector: FakeBotConnector;
let slackApi: FakeSlackApi;
let assistant: Assistant;
let delivery: DeliveryStore;
let server: JembatanServer;
let mounts: ChannelMount[] = [];
let telegramBot: TelegramBot;
let base = '';
let nextTelegramId = 7_100_001;

/** Waits until every channel's inbox and outbox are empty (every update handled, every reply and notice sent). */
async function settle(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 2; ) {
    const counts = await delivery.pending();
    if (counts.inbox.waiting === 0 && counts.outbox.waiting === 0) quiet++;
    else quiet = 0;
    if (Date.now() > deadline) throw new Error(`delivery did not settle: ${JSON.stringify(counts)}`);
    await sleep(25);
  }
  await telegramBot.settled();
  const failed = await db.query<{ channel: string; last_error: string }>('SELECT channel, last_error FROM outbox WHERE failed_at IS NOT NULL');
  expect(failed.rows, 'no notice may fail to be delivered').toEqual([]);
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await db.query<T>(sql, params)).rows[0];
}

// ------------------------------------------------------------------------------------------------
// Telegram users

class TelegramPerson {
  readonly user: TgUser;

  constructor(name: string) {
    this.user = { id: nextTelegramId++, is_bot: false, first_name: name, language_code: 'en' };
    telegram.privateChat(this.user);
  }

  get chatId(): number {
    return this.user.id;
  }

  messages(): TgMessage[] {
    return telegram.messagesIn(this.chatId);
  }

  private async after(run: () => Promise<{ update: TgUpdate; status?: number }>): Promise<TgMessage[]> {
    const before = this.messages().length;
    const { status } = await run();
    expect(status, 'the webhook on the shared server answers 200').toBe(200);
    await settle();
    return this.messages().slice(before);
  }

  say(text: string): Promise<TgMessage[]> {
    return this.after(() => telegram.message(this.user, text));
  }

  /** Presses the inline button carrying this callback data (the engine action as the adapter encodes it). */
  press(message: TgMessage, data: string): Promise<TgMessage[]> {
    return this.after(() => telegram.press(this.user, message, data));
  }

  /** Searches, finds the listing among the result cards and asks for an introduction: message, then contact if asked. */
  async requestIntroduction(query: string, listingId: number, message: string, contact?: string): Promise<{ requestId?: number; replies: TgMessage[] }> {
    const found = await this.say(query);
    const card = found.find((m) => buttonsOf(m).some((b) => b.callback_data === `intro:${listingId}`));
    expect(card, `listing ${listingId} among the results for "${query}":\n${messagesText(found)}`).toBeDefined();
    expect(buttonsOf(card!).find((b) => b.callback_data === `intro:${listingId}`)!.text).toBe('Request introduction');
    const asked = await this.press(card!, `intro:${listingId}`);
    // Refused at once (e.g. the daily limit): nothing more to write.
    if (!messagesText(asked).includes('In one or two sentences')) return { replies: asked };
    let replies = await this.say(message);
    if (contact !== undefined) {
      expect(messagesText(replies)).toContain('Which contact details do you want to share');
      replies = await this.say(contact);
    }
    const withdraw = replies.flatMap(buttonsOf).find((b) => b.callback_data?.startsWith('iwd:'));
    return { requestId: withdraw ? Number(withdraw.callback_data!.slice(4)) : undefined, replies };
  }
}

// ------------------------------------------------------------------------------------------------
// Teams users

class TeamsPerson {
  constructor(
    readonly id: string,
    readonly conversationId: string,
    readonly name: string,
  ) {}

  sent(): Json[] {
    return connector.to(this.conversationId);
  }

  activity(extra: Json): Json {
    const conversation = { id: this.conversationId, conversationType: 'personal' } as const;
    return teamsActivity({ serviceUrl: connector.url, bot: TEAMS_BOT, tenant: TENANT, from: { id: this.id, name: this.name }, conversation, locale: 'en-US' }, extra);
  }

  private async send(activity: Json): Promise<Json[]> {
    const before = this.sent().length;
    const response = await postActivity(base, activity);
    expect(response.status, response.body).toBe(200);
    await settle();
    return this.sent().slice(before);
  }

  say(text: string): Promise<Json[]> {
    return this.send(this.activity({ text, textFormat: 'plain' }));
  }

  /** An Adaptive Card Action.Submit press: Teams sends a message activity whose value is the button's data. */
  press(action: string): Promise<Json[]> {
    return this.send(this.activity({ value: { action } }));
  }
}

// ------------------------------------------------------------------------------------------------
// Slack users (requests signed as Slack signs them)

const slackRequests = new SlackRequests({ url: () => base, secret: SLACK_SECRET, team: SLACK_TEAM, botUser: SLACK_BOT_USER });

/** Waits for a signed request to the Slack app to be answered 200, then for everything it started. */
async function slackPost(request: Promise<{ status: number; text: string }>): Promise<void> {
  const response = await request;
  expect(response.status, response.text).toBe(200);
  await settle();
}

/** Messages the app posted to a Slack channel (or DM) after the first `after`. */
function slackPosted(channel: string, after = 0): Json[] {
  return slackApi.postedTo(channel).slice(after);
}

/** Everything the three stubs received (Bot API calls and chat contents, activities, Web API calls): where to, and the text. */
function everythingSent(): Array<{ where: string; telegramChat?: number; text: string }> {
  return [
    ...telegram.calls.map((call) => ({
      where: `telegram ${call.method} to ${String(call.params.chat_id)}`,
      telegramChat: Number(call.params.chat_id),
      text: JSON.stringify(call.params),
    })),
    ...[...telegram.chats].map(([chatId, messages]) => ({ where: `telegram chat ${chatId}`, telegramChat: chatId, text: messagesText(messages) })),
    ...connector.activities.map((entry) => ({ where: `teams ${entry.conversationId}`, text: `${JSON.stringify(entry.activity)}\n${teamsText([entry.activity])}` })),
    ...slackApi.calls.map((call) => ({ where: `slack ${call.method} ${String(call.args.channel)}`, text: `${JSON.stringify(call.args)}\n${slackText([call.args])}` })),
  ];
}

class SlackPerson {
  constructor(readonly id: string) {}

  get dm(): string {
    return `D${this.id}`;
  }

  /** A direct message to the app. */
  async sayInDm(text: string): Promise<Json[]> {
    const before = slackApi.postedTo(this.dm).length;
    await slackPost(slackRequests.postEvent(slackRequests.event({ type: 'message', channel: this.dm, channel_type: 'im', user: this.id, text })));
    return slackPosted(this.dm, before);
  }

  /** An @mention of the app in a channel, optionally as a reply in a thread. */
  async mention(channel: string, text: string, threadTs?: string): Promise<void> {
    const event = { type: 'app_mention', channel, user: this.id, text: `<@${SLACK_BOT_USER}> ${text}`, ...(threadTs ? { thread_ts: threadTs } : {}) };
    await slackPost(slackRequests.postEvent(slackRequests.event(event)));
  }

  /** The /jembatan slash command typed in a channel. */
  async slash(channel: string, text: string): Promise<void> {
    await slackPost(slackRequests.postCommand(slackRequests.slashFields(this.id, text, channel, 'secretariat')));
  }

  /** Presses a Block Kit button of a message the app posted in `channel` (a block_actions payload). */
  async press(channel: string, button: Json, message: Json = { ts: slackRequests.messageTs() }): Promise<void> {
    await slackPost(slackRequests.postInteraction(slackRequests.blockActions(this.id, channel, button as PressedButton, message)));
  }
}

// ------------------------------------------------------------------------------------------------

describe('introductions through the Telegram, Teams and Slack adapters on one server', () => {
  const owner = () => new TeamsPerson('29:owner-grace', 'a:personal-owner-grace', OWNER_NAME);
  let ownedId = 0;
  let title = '';
  let ownerlessId = 0;
  /** The requester whose introduction the owner accepted (test 1): the only one who may see the secrets. */
  let accepted: TelegramPerson;

  beforeAll(async () => {
    ({ store, db, cleanup } = await openTestStore('pglite'));
    await loadSamples(store);
    ownerlessId = (await one<{ id: number }>(`SELECT id FROM listings WHERE source = 'jembatan-sample' AND external_id = 'sample-001'`))!.id;
    telegram = await new FakeTelegram().start();
    connector = new FakeBotConnector();
    await connector.start();
    slackApi = new FakeSlackApi();
    await slackApi.start();
    const port = await freePort();
    const env = readEnv({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TEAMS_ENABLED: '1',
      SLACK_BOT_TOKEN: 'xoxb-intro-test',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slackApi.url,
      SLACK_ALLOWED_TEAM_IDS: SLACK_TEAM,
      JEMBATAN_MODERATORS: STAFF,
      JEMBATAN_MODERATION_SLACK_CHANNEL: MOD_CHANNEL,
      // The moderation queue is looked at once on start only: no listing is pending then.
      JEMBATAN_MODERATION_POLL_MS: '3600000',
      JEMBATAN_INTRO_DAILY_LIMIT: '1',
    });
    const glossary = Glossary.shared();
    assistant = createAssistant({ env, store, glossary, encoder: undefined, matcher: new Matcher(store, glossary, undefined), logger: silent });
    delivery = new DeliveryStore(db);
    // As channelMounts() builds them from the same environment, with quick workers and no pacing.
    telegramBot = telegramBotFromEnv({
      env,
      engine: assistant.engine,
      db,
      logger: silent,
      overrides: { pacing: { perAddressMs: 0, perSecond: 200 }, worker: { pollMs: 50, retryBaseMs: 100 }, registerCommands: false },
    });
    const teams: TeamsChannel = teamsMount({
      config: teamsConfig(env)!,
      engine: assistant.engine,
      delivery: new DeliveryStore(db),
      logger: silent,
      worker: { pollMs: 50, retryBaseMs: 50, pacing: { perAddressMs: 0 } },
      sender: { retryBaseMs: 50 },
    });
    const slack: SlackChannel = slackMountFromEnv({
      env,
      engine: assistant.engine,
      db,
      logger: silent,
      tuning: { apiRetries: 0, worker: { pollMs: 50, retryBaseMs: 50, pacing: { perAddressMs: 0 } } },
    })!;
    mounts = [telegramMount(telegramBot), teams, slack];
    server = new JembatanServer({ ready: async () => ({}) }, mounts, silent);
    await server.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    for (const mount of mounts) await mount.start?.();
    expect(telegram.webhook?.url).toBe(`${base}/telegram/webhook`);
  });

  afterAll(async () => {
    await server?.close(2_000);
    for (const mount of mounts) await mount.stop?.().catch(() => undefined);
    await assistant?.engine.drain();
    await telegram?.close();
    await connector?.stop();
    await slackApi?.stop();
    await cleanup?.();
  });

  it('1. requester on Telegram, owner on Teams: the request reaches Teams without contacts; Accept there sends each side the other\'s contact and the requester the confidential details', async () => {
    const o = owner();
    // The owner lists their work through the Teams chat (offer → country → defaults → confidential details → submit).
    await o.press('cmd:offer');
    let next = await o.say(DESCRIPTION);
    expect(actionsOf(next).map((a) => a.action)).toContain('set:country:PH');
    next = await o.press('set:country:PH');
    for (let i = 0; i < 6 && !actionsOf(next).some((a) => a.action === 'submit'); i++) next = await o.press(actionsOf(next)[0]!.action);
    expect(actionsOf(next).map((a) => a.action)).toEqual(['submit', 'edit', 'conf', 'cancel']);
    expect(teamsText(await o.press('conf'))).toContain('Write the confidential details');
    const preview = await o.say(CONFIDENTIAL);
    expect(teamsText(preview)).toContain('Confidential details: given');
    expect(teamsText(await o.press('submit'))).toContain('Submitted!');
    const listing = await one<{ id: number; title: string; status: string; owner_ref: string; details: string }>(
      `SELECT l.id, l.title, l.status, l.owner_ref, c.details FROM listings l JOIN listing_confidential c ON c.listing_id = l.id WHERE l.owner_ref = $1`,
      [`teams:${o.id}`],
    );
    expect(listing).toMatchObject({ status: 'pending', owner_ref: 'teams:29:owner-grace', details: CONFIDENTIAL });
    ownedId = listing!.id;
    title = listing!.title;
    // Approved by the secretariat.
    await db.query(`UPDATE listings SET status = 'published', updated_at = now() WHERE id = $1`, [ownedId]);

    accepted = new TelegramPerson('Rizal');
    const ownerMark = o.sent().length;
    const { requestId, replies } = await accepted.requestIntroduction(
      QUERY,
      ownedId,
      'We run a fishing cooperative with 40 boats in Iloilo and would like to pilot the ice maker on five of them.',
      REQUESTER_CONTACT,
    );
    expect(messagesText(replies)).toContain('has been sent to its owner');
    expect(requestId).toBeGreaterThan(0);
    expect(await one(`SELECT status, route FROM introduction_requests WHERE id = $1`, [requestId])).toEqual({ status: 'pending', route: 'owner' });

    // Teams: one proactive message into the owner's personal chat, with the message, without any contact.
    const request = o.sent().slice(ownerMark);
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({ type: 'message', recipient: { id: o.id }, conversation: { id: o.conversationId } });
    const requestText = teamsText(request);
    expect(requestText).toContain(`Introduction request for your listing "${title}" from Rizal.`);
    expect(requestText).toContain('pilot the ice maker on five of them');
    expect(requestText).not.toContain('rizal.hakim');
    expect(requestText).not.toContain('Panay fishers');
    expect(cardsOf(request[0]!)).toHaveLength(1);
    expect(actionsOf(request)).toEqual([
      { title: 'Accept', action: `iac:${requestId}` },
      { title: 'Decline', action: `idc:${requestId}` },
      { title: 'Ask a question', action: `iqs:${requestId}` },
    ]);

    // Accept: the owner has no contact on file, so it is asked first; nothing reaches the requester yet.
    const requesterMark = accepted.messages().length;
    expect(teamsText(await o.press(`iac:${requestId}`))).toContain('Before accepting: which contact details');
    expect(accepted.messages()).toHaveLength(requesterMark);
    const done = await o.say(OWNER_CONTACT);
    const doneText = teamsText(done);
    expect(doneText).toContain(`You accepted the introduction about "${title}"`);
    // Teams also gets the requester's contact.
    expect(doneText).toContain(`Introduction about "${title}" accepted.`);
    expect(doneText).toContain(`Contact of Rizal: ${REQUESTER_CONTACT}`);
    expect(doneText).not.toContain(CONFIDENTIAL);

    // Telegram: the owner's contact and the confidential details, once.
    const toRequester = accepted.messages().slice(requesterMark);
    expect(toRequester).toHaveLength(1);
    expect(toRequester[0]!.text).toContain(`Good news: your introduction to "${title}" was accepted.`);
    expect(toRequester[0]!.text).toContain(`Contact of ${OWNER_NAME}: ${OWNER_CONTACT}`);
    expect(toRequester[0]!.text).toContain(`Confidential details of the listing (shared with you on acceptance): ${CONFIDENTIAL}`);
    expect(toRequester[0]!.entities?.[0]).toMatchObject({ type: 'bold' });
    expect(await one(`SELECT status, decided_by FROM introduction_requests WHERE id = $1`, [requestId])).toEqual({
      status: 'accepted',
      decided_by: 'teams:29:owner-grace',
    });
  });

  it('2. declines on Teams: a typed reason reaches the Telegram requester; "Decline without a reason" sends none', async () => {
    const o = owner();
    const withReason = new TelegramPerson('Noor');
    const first = await withReason.requestIntroduction(QUERY, ownedId, 'Our fishing union in Lombok wants to buy twenty units if the price is right.', contact('Noor Aziz of the Sabah fishers network', 'noor.aziz@sabahfishers.example'));
    const askReason = await o.press(`idc:${first.requestId}`);
    expect(teamsText(askReason)).toContain('Write a reason to share with the requester');
    expect(actionsOf(askReason)).toEqual([{ title: 'Decline without a reason', action: `idn:${first.requestId}` }]);
    let mark = withReason.messages().length;
    expect(teamsText(await o.say(REASON))).toContain(`You declined the introduction about "${title}"`);
    const declined = withReason.messages().slice(mark);
    expect(declined).toHaveLength(1);
    expect(declined[0]!.text).toBe(`Your introduction request about "${title}" was declined. The owner's reason: ${REASON}`);

    const silent = new TelegramPerson('Dara');
    const second = await silent.requestIntroduction(QUERY, ownedId, 'We are a small fishing group in Kampot and would like to test one ice maker this season.', contact('Dara Sok of the Kampot fishing group', 'dara.sok@kampotfish.example'));
    const ask = await o.press(`idc:${second.requestId}`);
    mark = silent.messages().length;
    // The owner presses the button of that prompt as Teams rendered it.
    expect(teamsText(await o.press(actionsOf(ask)[0]!.action))).toContain(`You declined the introduction about "${title}"`);
    const told = silent.messages().slice(mark);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toBe(`Your introduction request about "${title}" was declined.`);
    expect(told[0]!.text).not.toContain('only license');

    const rows = await db.query<{ id: number; status: string; shared_reason: string | null }>(
      'SELECT id, status, shared_reason FROM introduction_requests WHERE id = ANY($1::int[]) ORDER BY id',
      [[first.requestId, second.requestId]],
    );
    expect(rows.rows).toEqual([
      { id: first.requestId, status: 'declined', shared_reason: REASON },
      { id: second.requestId, status: 'declined', shared_reason: null },
    ]);
  });

  it('3. a request past its time expires (the serve jobs): both the Telegram requester and the Teams owner are told', async () => {
    const o = owner();
    const late = new TelegramPerson('Somchai');
    const { requestId } = await late.requestIntroduction(QUERY, ownedId, 'Our shrimp growers group in Trat would like to try the ice maker on our boats.', contact('Somchai Rattana of the Trat shrimp growers', 'somchai@tratshrimp.example'));
    await db.query(`UPDATE introduction_requests SET expires_at = now() - interval '1 minute' WHERE id = $1`, [requestId]);
    const ownerMark = o.sent().length;
    const requesterMark = late.messages().length;
    const jobs = new MatchmakingJobs({ db, introductions: assistant.introductions, alerts: assistant.alerts, logger: silent }, 60_000);
    expect((await jobs.runOnce()).expired).toBe(1);
    await settle();
    expect(messagesText(late.messages().slice(requesterMark))).toBe(`Your introduction request about "${title}" expired without an answer.`);
    const toOwner = o.sent().slice(ownerMark);
    expect(toOwner).toHaveLength(1);
    expect(teamsText(toOwner)).toBe(`The introduction request about "${title}" expired without an answer.`);
    expect((await jobs.runOnce()).expired).toBe(0);
    // The buttons on the old request no longer work.
    expect(teamsText(await o.press(`iac:${requestId}`))).toContain(`is no longer open (expired)`);
    expect(late.messages()).toHaveLength(requesterMark + 1);
  });

  it('4. the daily limit (JEMBATAN_INTRO_DAILY_LIMIT=1): a second request from the same Telegram user is refused in the reply and sent nowhere', async () => {
    const before = await one<{ n: number }>('SELECT count(*)::int AS n FROM introduction_requests');
    const slackMark = slackApi.of('chat.postMessage').length;
    const { requestId, replies } = await accepted.requestIntroduction(SHRIMP_QUERY, ownerlessId, 'We would also like to try the oxygen sensor in the ponds of our cooperative members.');
    expect(requestId).toBeUndefined();
    expect(messagesText(replies)).toBe("You have reached today's limit of 1 introduction requests. Please try again tomorrow.");
    expect(await one<{ n: number }>('SELECT count(*)::int AS n FROM introduction_requests')).toEqual(before);
    expect(slackApi.of('chat.postMessage').slice(slackMark)).toEqual([]);
  });

  it('5. a listing without an owner: the request goes to the Slack moderation channel with the source link; staff Accept there, and the Telegram requester gets the staff contact and the link', async () => {
    const sample = (await one<{ title: string; details: string }>(
      `SELECT l.title, c.details FROM listings l JOIN listing_confidential c ON c.listing_id = l.id WHERE l.id = $1 AND l.owner_ref IS NULL`,
      [ownerlessId],
    ))!;
    const requester = new TelegramPerson('Pham');
    const mark = slackPosted(MOD_CHANNEL).length;
    const { requestId, replies } = await requester.requestIntroduction(
      SHRIMP_QUERY,
      ownerlessId,
      'Our shrimp growers group in Trat would like to try the oxygen sensor in ten ponds.',
      SECRETARIAT_REQUESTER_CONTACT,
    );
    expect(messagesText(replies)).toContain(`Your request for an introduction to "${sample.title}" has been sent to the secretariat`);
    expect(await one(`SELECT status, route FROM introduction_requests WHERE id = $1`, [requestId])).toEqual({ status: 'pending', route: 'secretariat' });

    // chat.postMessage to the moderation channel (top level): message and source link, no contact, the decision buttons.
    const posted = slackPosted(MOD_CHANNEL, mark);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.thread_ts).toBeUndefined();
    const requestText = slackText(posted);
    expect(requestText).toContain(`*Introduction request* for "${sample.title}" (a listing without an owner in Jembatan) from Pham.`);
    expect(requestText).toContain('Their message: Our shrimp growers group in Trat would like to try the oxygen sensor in ten ponds.');
    expect(requestText).toContain('Source: jembatan-sample/sample-001');
    expect(requestText).not.toContain('camaucoop');
    const buttons = slackButtons(posted);
    expect(buttons.map((b) => [b.text.text, b.value])).toEqual([
      ['Accept', `iac:${requestId}`],
      ['Decline', `idc:${requestId}`],
      ['Ask a question', `iqs:${requestId}`],
    ]);
    const accept = buttons[0]!;
    const requestMessage = { ts: '1710009999.000100', text: posted[0]!.text };

    // Someone in the channel who is not staff cannot decide.
    let channelMark = slackPosted(MOD_CHANNEL).length;
    await new SlackPerson(NOT_STAFF).press(MOD_CHANNEL, accept, requestMessage);
    expect(slackText(slackPosted(MOD_CHANNEL, channelMark))).toContain("Only the listing's owner (or the secretariat, for listings without an owner) can answer this request.");
    expect(await one(`SELECT status FROM introduction_requests WHERE id = $1`, [requestId])).toEqual({ status: 'pending' });

    // Staff (JEMBATAN_MODERATORS) press Accept: with no contact on file, the app asks for it where the button was pressed.
    const staff = new SlackPerson(STAFF);
    const requesterMark = requester.messages().length;
    channelMark = slackPosted(MOD_CHANNEL).length;
    await staff.press(MOD_CHANNEL, accept, requestMessage);
    const prompt = slackPosted(MOD_CHANNEL, channelMark);
    expect(prompt).toHaveLength(1);
    expect(prompt[0]!.text).toContain('Before accepting: which contact details do you want to share');
    expect(requester.messages()).toHaveLength(requesterMark);

    // Answer where the question was asked. A question in a thread is answered by a mention in that thread. The
    // question is currently posted at the top of the channel, where only the slash command reaches the same
    // conversation (a mention, in a thread or not, starts another one and the contact is searched for instead).
    channelMark = slackPosted(MOD_CHANNEL).length;
    if (prompt[0]!.thread_ts) await staff.mention(MOD_CHANNEL, STAFF_CONTACT, String(prompt[0]!.thread_ts));
    else await staff.slash(MOD_CHANNEL, STAFF_CONTACT);
    const done = slackText(slackPosted(MOD_CHANNEL, channelMark));
    expect(done).toContain(`You accepted the introduction about "${sample.title}"`);
    expect(done).toContain(`Contact of Pham: ${SECRETARIAT_REQUESTER_CONTACT}`);

    const told = requester.messages().slice(requesterMark);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain(`Good news: your introduction to "${sample.title}" was accepted.`);
    // Slack gives no display name: the contact line stands without one (no "Contact of —").
    expect(told[0]!.text).toContain(`Contact details: ${STAFF_CONTACT}`);
    expect(told[0]!.text).toContain('Source: jembatan-sample/sample-001');
    expect(told[0]!.text).toContain(sample.details);
    expect(await one(`SELECT status, decided_by FROM introduction_requests WHERE id = $1`, [requestId])).toEqual({ status: 'accepted', decided_by: `slack:${STAFF}` });
  });

  it('6. nothing about the owner shows before acceptance: search and details on Telegram, Teams and a Slack DM; no stub ever received the secrets except for the accepted requester', async () => {
    const clean = (text: string, where: string) => {
      expect(text, where).toContain(title);
      for (const secret of SECRETS) expect(text, `${where} shows "${secret}"`).not.toContain(secret);
    };

    const onTelegram = new TelegramPerson('Lina');
    const found = await onTelegram.say(QUERY);
    const card = found.find((m) => buttonsOf(m).some((b) => b.callback_data === `det:${ownedId}`));
    expect(card, messagesText(found)).toBeDefined();
    clean(card!.text!, 'the Telegram card');
    clean(messagesText(found), 'the Telegram results');
    clean(messagesText(await onTelegram.press(card!, `det:${ownedId}`)), 'the Telegram details');

    const onTeams = new TeamsPerson('29:searcher-kiet', 'a:personal-searcher-kiet', 'Kiet');
    const teamsFound = await onTeams.say(QUERY);
    expect(actionsOf(teamsFound).map((a) => a.action)).toContain(`det:${ownedId}`);
    clean(teamsText(teamsFound), 'the Teams results');
    clean(teamsText(await onTeams.press(`det:${ownedId}`)), 'the Teams details');

    const onSlack = new SlackPerson('U0SEARCHER');
    const slackFound = await onSlack.sayInDm(QUERY);
    const details = slackButtons(slackFound).find((b) => b.value === `det:${ownedId}`);
    expect(details, slackText(slackFound)).toBeDefined();
    clean(slackText(slackFound), 'the Slack results');
    const dmMark = slackPosted(onSlack.dm).length;
    await onSlack.press(onSlack.dm, details!);
    clean(slackText(slackPosted(onSlack.dm, dmMark)), 'the Slack details');

    // Everything the three stubs received since the start: the secrets went to the accepted requester's chat only.
    const sent = everythingSent();
    const leaks = sent
      .filter((entry) => entry.telegramChat !== accepted.chatId)
      .flatMap((entry) => SECRETS.filter((secret) => entry.text.includes(secret)).map((secret) => `${entry.where}: "${secret}"`));
    expect(leaks).toEqual([]);
    // The same scan finds what was sent where it belongs, on each stub (it can fail).
    for (const secret of SECRETS) {
      expect(sent.some((entry) => entry.where === `telegram sendMessage to ${accepted.chatId}` && entry.text.includes(secret)), secret).toBe(true);
    }
    expect(sent.some((entry) => entry.where.startsWith('teams a:personal-owner-grace') && entry.text.includes('rizal.hakim@panayfishers.example'))).toBe(true);
    expect(sent.some((entry) => entry.where === `slack chat.postMessage ${MOD_CHANNEL}` && entry.text.includes('mai@camaucoop.example'))).toBe(true);
  });

  
});
