import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { ChannelAddress, ChannelSender, SendOutcome, SendProgress } from '../../core/delivery/types.js';
import type { Reply } from '../../core/conversation/types.js';
import type { Logger } from '../../core/log.js';
import { renderReplies, type SlackOutgoing } from './render.js';

/** Errors after which a message can never be delivered to that address. */
const UNDELIVERABLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'user_not_found', 'invalid_auth', 'token_revoked', 'cannot_dm_bot', 'msg_too_long', 'invalid_blocks']);

/** The `event_type` of the message metadata that marks a message as part `part` of outbox item `key`. */
export const OUTBOX_EVENT_TYPE = 'jembatan_outbox';

/** How far back a part in doubt is looked for (the attempt that may have sent it died at most this long ago). */
const LOOKUP_WINDOW_MS = 60 * 60_000;
/** Messages per page of the lookup, and pages read at most (newest first: a busy channel is read that far). */
const LOOKUP_PAGE = 50;
const LOOKUP_PAGES = 4;

/** A Slack address: a channel (or DM) id, and the thread when the conversation is in one. */
export interface SlackAddress {
  channel: string;
  thread_ts?: string;
}

type SlackClient = InstanceType<typeof webApi.WebClient>;

interface SlackFailure {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
  message?: string;
}

function isRateLimited(error: unknown): boolean {
  return (error as SlackFailure | undefined)?.code === 'slack_webapi_rate_limited_error';
}

/** Whether a message's metadata marks it as part `part` of outbox item `key`. */
function isPart(metadata: unknown, key: string, part: number): boolean {
  const m = metadata as { event_type?: unknown; event_payload?: { key?: unknown; part?: unknown } } | undefined;
  return m?.event_type === OUTBOX_EVENT_TYPE && m.event_payload?.key === key && Number(m.event_payload?.part) === part;
}

/**
 * Sends outbox items with the Web API: each reply as chat.postMessage with Block Kit, images with
 * filesUploadV2 (files.getUploadURLExternal, the upload, files.completeUploadExternal). Each of those is
 * one part of the item (SendProgress): sending resumes after the last delivered part, and every message
 * carries metadata `{event_type: 'jembatan_outbox', event_payload: {key, part}}`, so a part an earlier
 * attempt may have sent before dying is looked up (conversations.history, or conversations.replies in a
 * thread, with include_all_metadata) and not sent twice. When the lookup is not possible (missing
 * *:history scope) the part is sent again: at least once. A rate limit is retried after Slack's
 * Retry-After; an address that cannot receive messages is a failure.
 */
export class SlackSender implements ChannelSender {
  readonly channel = 'slack';

  constructor(
    private readonly client: SlackClient,
    private readonly logger: Logger,
  ) {}

  async send(address: ChannelAddress, replies: Reply[], progress?: SendProgress): Promise<SendOutcome> {
    const target = address as unknown as SlackAddress;
    if (typeof target.channel !== 'string') return { status: 'failed', error: 'address has no Slack channel' };
    const parts = renderReplies(replies);
    // Without durable progress (direct use) the metadata still names the item: by its content.
    const key = progress?.key ?? `jembatan-${createHash('sha256').update(JSON.stringify([address, replies])).digest('base64url').slice(0, 22)}`;
    let part = progress?.from ?? 0;
    try {
      if (progress?.inDoubt && part < parts.length && (await this.alreadySent(target, key, part, parts[part]!))) {
        this.logger.info({ channel: target.channel, part, key }, 'slack part in doubt after a crash was already delivered; not sent again');
        await progress.delivered(part);
        part++;
      }
      for (; part < parts.length; part++) {
        await progress?.starting(part);
        await this.sendPart(target, parts[part]!, key, part);
        await progress?.delivered(part);
      }
      return { status: 'sent' };
    } catch (error) {
      const e = error as SlackFailure;
      if (isRateLimited(error)) return { status: 'retry', afterMs: (e.retryAfter ?? 1) * 1000, error: 'rate limited' };
      const code = e.data?.error;
      if (code && UNDELIVERABLE.has(code)) {
        this.logger.warn({ error: code }, 'slack address cannot receive messages');
        return { status: 'failed', error: code };
      }
      return { status: 'retry', afterMs: 5000, error: code ?? e.message ?? String(error) };
    }
  }

  private async sendPart(target: SlackAddress, out: SlackOutgoing, key: string, part: number): Promise<void> {
    const thread = target.thread_ts ? { thread_ts: target.thread_ts } : {};
    if (out.kind === 'message') {
      await this.client.chat.postMessage({
        channel: target.channel,
        ...thread,
        text: out.message.text,
        blocks: out.message.blocks as never,
        metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { key, part } },
      });
    } else {
      await this.client.filesUploadV2({ channel_id: target.channel, ...thread, file: Buffer.from(out.bytes), filename: out.filename, title: out.title } as never);
    }
  }

  /**
   * Whether part `part` of item `key` is already in the conversation (found by its metadata). False when
   * it is not, or when it cannot be checked (a file upload carries no metadata; the lookup failed, e.g.
   * missing_scope): the part is then sent again. A rate limit on the lookup is thrown (the item is retried).
   */
  private async alreadySent(target: SlackAddress, key: string, part: number, out: SlackOutgoing): Promise<boolean> {
    const where = { channel: target.channel, thread_ts: target.thread_ts, part, key };
    if (out.kind !== 'message') {
      this.logger.warn(where, 'slack file part in doubt after a crash cannot be looked up; uploading it again');
      return false;
    }
    const oldest = ((Date.now() - LOOKUP_WINDOW_MS) / 1000).toFixed(6);
    try {
      let cursor: string | undefined;
      for (let page = 0; page < LOOKUP_PAGES; page++) {
        const common = { channel: target.channel, include_all_metadata: true, limit: LOOKUP_PAGE, oldest, ...(cursor ? { cursor } : {}) };
        const result = target.thread_ts
          ? await this.client.conversations.replies({ ...common, ts: target.thread_ts })
          : await this.client.conversations.history(common);
        if ((result.messages ?? []).some((message) => isPart((message as { metadata?: unknown }).metadata, key, part))) return true;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) return false;
      }
      return false;
    } catch (error) {
      if (isRateLimited(error)) throw error;
      const e = error as SlackFailure;
      this.logger.warn(
        { ...where, error: e.data?.error ?? e.message ?? String(error) },
        'slack part in doubt after a crash could not be looked up (needs channels:history, groups:history, im:history, mpim:history); sending it again',
      );
      return false;
    }
  }
}
