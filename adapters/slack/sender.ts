import type { webApi } from '@slack/bolt';
import type { ChannelAddress, ChannelSender, SendOutcome } from '../../core/delivery/types.js';
import type { Reply } from '../../core/conversation/types.js';
import type { Logger } from '../../core/log.js';
import { renderReplies } from './render.js';

/** Errors after which a message can never be delivered to that address. */
const UNDELIVERABLE = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'user_not_found', 'invalid_auth', 'token_revoked', 'cannot_dm_bot', 'msg_too_long', 'invalid_blocks']);

/** A Slack address: a channel (or DM) id, and the thread when the conversation is in one. */
export interface SlackAddress {
  channel: string;
  thread_ts?: string;
}

/**
 * Sends outbox items with the Web API: each reply as chat.postMessage with Block Kit, images with
 * filesUploadV2 (files.getUploadURLExternal, the upload, files.completeUploadExternal). A rate limit is
 * retried after Slack's Retry-After; an address that cannot receive messages is a failure.
 */
export class SlackSender implements ChannelSender {
  readonly channel = 'slack';

  constructor(
    private readonly client: InstanceType<typeof webApi.WebClient>,
    private readonly logger: Logger,
  ) {}

  async send(address: ChannelAddress, replies: Reply[]): Promise<SendOutcome> {
    const target = address as unknown as SlackAddress;
    if (typeof target.channel !== 'string') return { status: 'failed', error: 'address has no Slack channel' };
    const thread = target.thread_ts ? { thread_ts: target.thread_ts } : {};
    try {
      for (const out of renderReplies(replies)) {
        if (out.kind === 'message') {
          await this.client.chat.postMessage({ channel: target.channel, ...thread, text: out.message.text, blocks: out.message.blocks as never });
        } else {
          await this.client.filesUploadV2({ channel_id: target.channel, ...thread, file: Buffer.from(out.bytes), filename: out.filename, title: out.title } as never);
        }
      }
      return { status: 'sent' };
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; message?: string };
      if (e.code === 'slack_webapi_rate_limited_error') return { status: 'retry', afterMs: (e.retryAfter ?? 1) * 1000, error: 'rate limited' };
      const code = e.data?.error;
      if (code && UNDELIVERABLE.has(code)) {
        this.logger.warn({ error: code }, 'slack address cannot receive messages');
        return { status: 'failed', error: code };
      }
      return { status: 'retry', afterMs: 5000, error: code ?? e.message ?? String(error) };
    }
  }
}
