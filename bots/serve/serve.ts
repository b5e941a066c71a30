import { DeliveryStore } from '../../core/delivery/delivery-store.js';
import { MatchmakingJobs } from '../../core/jobs/matchmaking-jobs.js';
import { log } from '../../core/log.js';
import { createAssistant } from '../assistant.js';
import type { CliContext } from '../cli/context.js';
import { channelMounts } from './channels.js';
import { JembatanServer } from './http-server.js';

const SHUTDOWN_TIMEOUT_MS = 15_000;
/** Handled inbox rows and sent outbox rows are kept two days (platforms redeliver within a day), then pruned. */
const KEEP_DELIVERED_MS = 48 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/**
 * `jembatan serve`: one HTTP server, every configured channel mounted on it, graceful shutdown on SIGTERM
 * or SIGINT (stop accepting, finish in-flight messages, close the database). Resolves after shutdown.
 */
export async function serve(ctx: CliContext, options: { port?: number; signal?: AbortSignal } = {}): Promise<void> {
  const assistant = createAssistant({ ...ctx, logger: log });
  const mounts = channelMounts(ctx.env, assistant.engine, log, ctx.store.db);
  const delivery = new DeliveryStore(ctx.store.db);
  const server = new JembatanServer(
    {
      async ready() {
        await ctx.store.db.query('SELECT 1');
        const embeddings = ctx.encoder ? `${ctx.encoder.provider} ${ctx.encoder.model} (${await ctx.encoder.dimension()} dimensions)` : 'none';
        const pending = await delivery.pending();
        return {
          database: ctx.store.db.location,
          embeddings,
          understanding: assistant.understanding,
          outboxWaiting: String(pending.outbox.waiting),
          inboxWaiting: String(pending.inbox.waiting),
        };
      },
    },
    mounts,
    log,
  );
  const address = await server.listen(options.port ?? ctx.env.PORT, ctx.env.JEMBATAN_HOST);
  const started: typeof mounts = [];
  try {
    for (const mount of mounts) {
      await mount.start?.();
      started.push(mount);
    }
  } catch (error) {
    // A channel that cannot start (e.g. Slack refused the app token): stop what started, then report it.
    log.error({ err: error }, 'a channel could not start; shutting down');
    await server.close(SHUTDOWN_TIMEOUT_MS);
    for (const mount of started) await mount.stop?.();
    await assistant.engine.drain();
    throw error;
  }
  const jobs = new MatchmakingJobs(
    { db: ctx.store.db, introductions: assistant.introductions, alerts: assistant.alerts, logger: log },
    ctx.env.JEMBATAN_JOBS_POLL_MS,
  );
  jobs.start();
  log.info(
    { port: address.port, host: address.address, channels: mounts.map((mount) => mount.name), understanding: assistant.understanding },
    mounts.length > 0 ? 'jembatan serve is listening' : 'jembatan serve is listening with no chat channel configured (see README: Channels)',
  );
  const prune = () =>
    delivery.prune(KEEP_DELIVERED_MS).catch((error: unknown) => log.warn({ err: error }, 'pruning delivered messages failed'));
  const pruner = setInterval(prune, PRUNE_EVERY_MS);
  pruner.unref();
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  log.info({ inFlight: server.activeRequests }, 'shutting down: no new connections, finishing in-flight messages');
  clearInterval(pruner);
  await jobs.stop();
  await server.close(SHUTDOWN_TIMEOUT_MS);
  for (const mount of mounts) await mount.stop?.();
  await assistant.engine.drain();
  log.info('stopped');
}
