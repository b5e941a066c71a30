/**
 * Requests to the Slack app as Slack makes them, for one workspace: Events API callbacks, the /jembatan
 * slash command and block_actions payloads, built with Slack's fields and POSTed signed with the signing
 * secret (postSigned in test/support/fake-slack.ts); and readers for the messages the app posted (as
 * FakeSlackApi records them). The builders return the bodies too, for Socket Mode envelopes.
 */
import { postSigned } from './fake-slack.js';

type Json = Record<string, any>;

export interface SlackWorkspace {
  /** The app's base URL (http://127.0.0.1:port), read when a request is posted. */
  url: () => string;
  /** The signing secret the app is configured with. */
  secret: string;
  /** The workspace (team) id. */
  team: string;
  /** The app's bot user (the authorization of event callbacks). */
  botUser: string;
}

/** A Block Kit button the user presses (as the app posted it; the text defaults to a placeholder). */
export interface PressedButton {
  action_id: string;
  value: string;
  text?: Json;
}

const APP_ID = 'A0JEMBATAN';
const TS_BASE = 1_700_000_000;

export class SlackRequests {
  /** Counts events and triggers: every event_id, ts and trigger_id is new. */
  private counter = 0;

  constructor(readonly workspace: SlackWorkspace) {}

  /** The current count (the last number used). */
  get count(): number {
    return this.counter;
  }

  /** A new trigger_id (`<n>.<kind>.trigger`): slash commands use kind 1, button presses kind 2. */
  triggerId(kind: number): string {
    return `${++this.counter}.${kind}.trigger`;
  }

  /** A new message ts (for a message the app posted, when the test does not use a real one). */
  messageTs(): string {
    return `${TS_BASE + ++this.counter}.000100`;
  }

  /** An event_callback body around `event` (with an event_ts and ts of its own unless the event has one). */
  event(event: Json, eventId = `Ev${String(++this.counter).padStart(8, '0')}`): Json {
    const { team, botUser } = this.workspace;
    return {
      token: 'deprecated',
      team_id: team,
      api_app_id: APP_ID,
      event: { event_ts: `${TS_BASE + this.counter}.000200`, ts: `${TS_BASE + this.counter}.000200`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: TS_BASE + this.counter,
      authorizations: [{ team_id: team, user_id: botUser, is_bot: true }],
    };
  }

  /** The slash command's fields, as Slack POSTs them (form) or puts them in a Socket Mode envelope. */
  slashFields(user: string, text: string, channel = 'C0GENERAL', channelName = 'general'): Record<string, string> {
    const { team } = this.workspace;
    return {
      token: 'deprecated',
      team_id: team,
      team_domain: 'hub',
      channel_id: channel,
      channel_name: channelName,
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/jembatan',
      text,
      api_app_id: APP_ID,
      response_url: `https://hooks.slack.com/commands/${team}/1/abc`,
      trigger_id: this.triggerId(1),
    };
  }

  /** A block_actions payload: `user` presses `button` on `message` (at least its ts) in `channel`. */
  blockActions(user: string, channel: string, button: PressedButton, message: Json): Json {
    const { team } = this.workspace;
    return {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), team_id: team },
      api_app_id: APP_ID,
      token: 'deprecated',
      container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false },
      trigger_id: this.triggerId(2),
      team: { id: team, domain: 'hub' },
      channel: { id: channel, name: 'x' },
      message,
      response_url: `https://hooks.slack.com/actions/${team}/2/def`,
      actions: [
        {
          action_id: button.action_id,
          value: button.value,
          block_id: 'b1',
          type: 'button',
          text: button.text ?? { type: 'plain_text', text: 'x' },
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
  }

  /** POSTs a body to the Events API Request URL (/slack/events), signed. */
  postEvent(body: Json, headers: Record<string, string> = {}) {
    return postSigned(`${this.workspace.url()}/slack/events`, this.workspace.secret, JSON.stringify(body), 'application/json', { headers });
  }

  /** POSTs slash command fields to /slack/commands, as a signed form. */
  postCommand(fields: Record<string, string>) {
    return postSigned(`${this.workspace.url()}/slack/commands`, this.workspace.secret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
  }

  /** POSTs an interactivity payload (block_actions, view_submission) to /slack/interactivity, as Slack does: a signed form with `payload`. */
  postInteraction(payload: Json) {
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return postSigned(`${this.workspace.url()}/slack/interactivity`, this.workspace.secret, form, 'application/x-www-form-urlencoded');
  }
}

/** Every button element of the posted messages. */
export function slackButtons(messages: Json[]): Json[] {
  return messages.flatMap((m) => ((m.blocks ?? []) as Json[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Json[]));
}

/** The text and the blocks (as JSON) of the posted messages, Slack's escapes (&lt; &gt; &amp;) undone. */
export function slackText(messages: Json[]): string {
  return messages
    .map((m) => [m.text, JSON.stringify(m.blocks ?? [])].join('\n'))
    .join('\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
