import { ConfigError } from '../../core/config/env.js';
import { MatchmakingJobs } from '../../core/jobs/matchmaking-jobs.js';
import { log } from '../../core/log.js';
import { createAssistant } from '../assistant.js';
import type { CliContext } from '../cli/context.js';
import { telegramBotFromEnv } from './telegram.js';

/**
 * `jembatan telegram`: the assistant on Telegram with long polling, in this process (development, or a
 * single machine without a public URL). Stops on SIGINT/SIGTERM (or `signal`): polling ends, the message in
 * progress is finished and its replies sent. Production runs the webhook in `jembatan serve`.
 */
export async function runTelegramPolling(ctx: CliContext, options: { signal?: AbortSignal } = {}): Promise<void> {
  if (!ctx.env.TELEGRAM_BOT_TOKEN) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather and run: TELEGRAM_BOT_TOKEN=<token> npx jembatan telegram (docs/TELEGRAM.md).');
  }
  const assistant = createAssistant({ ...ctx, logger: log });
  const bot = telegramBotFromEnv({ env: ctx.env, engine: assistant.engine, db: ctx.store.db, logger: log, mode: 'polling' });
  try {
    await bot.start();
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  // Introduction expiry and alert digests, as in `jembatan serve`.
  const jobs = new MatchmakingJobs({ db: ctx.store.db, introductions: assistant.introductions, alerts: assistant.alerts, logger: log }, ctx.env.JEMBATAN_JOBS_POLL_MS);
  jobs.start();
  process.stderr.write(
    `Understanding: ${assistant.understanding}\nTelegram bot @${bot.me!.username} is running with long polling: open https://t.me/${bot.me!.username} and send /start. Ctrl-C stops it.\n`,
  );
  if ((await ctx.store.listingCount()) === 0) {
    process.stderr.write('The store has no listings yet: run `npm run demo` or `jembatan ingest PATH` first.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  log.info('stopping the telegram bot');
  await jobs.stop();
  await bot.stop();
  await assistant.engine.drain();
}
