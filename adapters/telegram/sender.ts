import { createHash } from 'node:crypto';
import { Input, TelegramError, type Telegram } from 'telegraf';
import type { Reply } from '../../core/conversation/types.js';
import type { ChannelAddress, ChannelSender, SendOutcome, SendProgress } from '../../core/delivery/types.js';
import type { Logger } from '../../core/log.js';
import type { CallbackData } from './callback-data.js';
import { renderReplies, type OutgoingMessage } from './render.js';
import { CHANNEL, type TelegramAddress } from './updates.js';

/** Back-off when Telegram or the network fails without saying how long to wait. */
const TRANSIENT_RETRY_MS = 5_000;
/** Back-off when the token is refused: an operator has to fix the configuration. */
const UNAUTHORIZED_RETRY_MS = 60_000;

export interface TelegramSenderOptions {
  telegram: Telegram;
  callbackData: CallbackData;
  logger: Logger;
  /** Messages per second over all chats (Telegram: about 30). */
  perSecond?: number;
}

function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** Errors after which the chat can never be reached: the user blocked the bot, the chat is gone. */
function isPermanent(error: TelegramError): boolean {
  if (error.code === 403) return true;
  return error.code === 400 && /chat not found|peer_id_invalid|user is deactivated|bot was kicked|have no rights|not enough rights/i.test(error.description);
}

/**
 * The Telegram ChannelSender for the delivery worker: renders an outbox item's replies and sends them in
 * order, spaced to stay under Telegram's global limit. A 429 returns `retry` after Telegram's `retry_after`
 * (never dropped); a blocked bot or a deleted chat returns `failed`. When an item stops half way (a 429
 * after two of five messages), the messages already sent are remembered, so the retry continues where it
 * stopped instead of sending them twice.
 */
export class TelegramSender implements ChannelSender {
  readonly channel = CHANNEL;
  private readonly gapMs: number;
  private nextSlot = 0;
  /** Item fingerprint → messages already delivered (kept until the item completes or fails). */
  private readonly progress = new Map<string, number>();

  constructor(private readonly options: TelegramSenderOptions) {
    this.gapMs = Math.ceil(1000 / Math.max(1, options.perSecond ?? 30));
  }

  /** Waits for the next global sending slot. */
  private async slot(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextSlot);
    this.nextSlot = at + this.gapMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  private async sendOne(address: TelegramAddress, message: OutgoingMessage): Promise<void> {
    const telegram = this.options.telegram;
    const thread = address.threadId ? { message_thread_id: address.threadId } : {};
    await this.slot();
    if (message.kind === 'photo') {
      await telegram.sendPhoto(address.chatId, Input.fromBuffer(Buffer.from(message.png), 'image.png'), {
        caption: message.caption,
        parse_mode: 'HTML',
        ...thread,
      });
      return;
    }
    const extra = {
      ...thread,
      link_preview_options: { is_disabled: true },
      ...(message.keyboard ? { reply_markup: { inline_keyboard: message.keyboard } } : {}),
    };
    try {
      await telegram.sendMessage(address.chatId, message.html, { ...extra, parse_mode: 'HTML' });
    } catch (error) {
      // A markup Telegram refuses must not lose the message: send the same text without formatting.
      if (!(error instanceof TelegramError && error.code === 400 && /can't parse entities/i.test(error.description))) throw error;
      this.options.logger.warn({ err: error }, 'telegram refused the HTML of a message; sending it as plain text');
      await this.slot();
      await telegram.sendMessage(address.chatId, plainText(message.html), extra);
    }
  }

  async send(rawAddress: ChannelAddress, replies: Reply[], progress?: SendProgress): Promise<SendOutcome> {
    const address = rawAddress as TelegramAddress;
    if (typeof address.chatId !== 'number' && typeof address.chatId !== 'string') return { status: 'failed', error: 'address has no chatId' };
    const messages = renderReplies(replies, { callbackData: (action) => this.options.callbackData.encode(action) });
    // Without durable progress (direct use), remember it in memory for the retry in this process.
    const key = createHash('sha256').update(JSON.stringify([address, replies])).digest('base64url');
    let done = progress ? progress.from : (this.progress.get(key) ?? 0);
    if (progress?.inDoubt) {
      // Telegram has no idempotency key nor a way to read back what a bot sent: the part an earlier
      // attempt may have delivered before dying is sent again (at most one message can repeat).
      this.options.logger.warn({ chatId: address.chatId, part: done, key: progress.key }, 'telegram part in doubt after a crash; sending it again');
    }
    try {
      for (; done < messages.length; done++) {
        await progress?.starting(done);
        await this.sendOne(address, messages[done]!);
        await progress?.delivered(done);
      }
      this.progress.delete(key);
      return { status: 'sent' };
    } catch (error) {
      const outcome = this.classify(error);
      if (!progress && outcome.status === 'retry' && done > 0) {
        this.progress.set(key, done);
        if (this.progress.size > 10_000) this.progress.delete(this.progress.keys().next().value!);
      } else if (outcome.status === 'failed') {
        this.progress.delete(key);
      }
      this.options.logger[outcome.status === 'failed' ? 'warn' : 'info'](
        { chatId: address.chatId, sent: done, of: messages.length, outcome },
        outcome.status === 'failed' ? 'telegram message cannot be delivered' : 'telegram send will be retried',
      );
      return outcome;
    }
  }

  private classify(error: unknown): SendOutcome {
    if (error instanceof TelegramError) {
      const description = `${error.code}: ${error.description}`;
      if (error.code === 429) return { status: 'retry', afterMs: Math.max(1, error.parameters?.retry_after ?? 1) * 1000, error: description };
      if (isPermanent(error)) return { status: 'failed', error: description };
      if (error.code === 401 || error.code === 404) return { status: 'retry', afterMs: UNAUTHORIZED_RETRY_MS, error: description };
      if (error.code >= 500) return { status: 'retry', afterMs: TRANSIENT_RETRY_MS, error: description };
      // Any other 400 would fail the same way again.
      return { status: 'failed', error: description };
    }
    return { status: 'retry', afterMs: TRANSIENT_RETRY_MS, error: error instanceof Error ? error.message : String(error) };
  }
}
