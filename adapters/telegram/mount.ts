import type { ChannelMount } from '../../bots/serve/http-server.js';
import type { TelegramBot } from './bot.js';

/**
 * The Telegram channel on the shared server of `jembatan serve`: the webhook route (webhook mode), and
 * start/stop of the bot (registration, polling, delivery worker).
 */
export function telegramMount(bot: TelegramBot): ChannelMount {
  return {
    name: 'telegram',
    routes: bot.webhook ? [{ method: 'POST', path: bot.webhook.path, handle: (request, response) => bot.handleWebhook(request, response) }] : [],
    start: () => bot.start(),
    stop: () => bot.stop(),
  };
}
