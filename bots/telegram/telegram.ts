import { TelegramBot, type TelegramBotOptions, type TelegramMode } from '../../adapters/telegram/bot.js';
import { telegramMount } from '../../adapters/telegram/mount.js';
import type { ChannelMount } from '../serve/http-server.js';
import type { Env } from '../../core/config/env.js';
import type { ConversationEngine } from '../../core/conversation/types.js';
import { DeliveryStore } from '../../core/delivery/delivery-store.js';
import type { Logger } from '../../core/log.js';
import type { Db } from '../../core/store/db.js';

/**
 * The founder/researcher assistant on Telegram, configured from the environment: TELEGRAM_BOT_TOKEN,
 * TELEGRAM_API_ROOT, and TELEGRAM_WEBHOOK_URL / TELEGRAM_WEBHOOK_SECRET for webhook mode (long polling
 * without a webhook URL, or when `mode: 'polling'` is asked for, as `jembatan telegram` does).
 */
export function telegramBotFromEnv(deps: {
  env: Env;
  engine: ConversationEngine;
  db: Db;
  logger: Logger;
  mode?: 'polling' | 'auto';
  overrides?: Partial<TelegramBotOptions>;
}): TelegramBot {
  const { env } = deps;
  if (!env.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set: create a bot with BotFather (docs/TELEGRAM.md).');
  const mode: TelegramMode =
    deps.mode !== 'polling' && env.TELEGRAM_WEBHOOK_URL
      ? { kind: 'webhook', url: env.TELEGRAM_WEBHOOK_URL, secret: env.TELEGRAM_WEBHOOK_SECRET }
      : { kind: 'polling' };
  return new TelegramBot({
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT,
    mode,
    engine: deps.engine,
    delivery: new DeliveryStore(deps.db),
    logger: deps.logger,
    ...deps.overrides,
  });
}

/** The Telegram channel for `jembatan serve` when TELEGRAM_BOT_TOKEN is set (webhook with TELEGRAM_WEBHOOK_URL, else polling). */
export function telegramMountFromEnv(deps: { env: Env; engine: ConversationEngine; db: Db; logger: Logger }): ChannelMount | undefined {
  return deps.env.TELEGRAM_BOT_TOKEN ? telegramMount(telegramBotFromEnv(deps)) : undefined;
}
