import type { Logger } from '../log.js';
import type { DeliveryStore } from './delivery-store.js';
import type { ChannelSender, InboxItem, OutboxItem, SendOutcome } from './types.js';

export interface DeliveryPacing {
  /** At most one outbox item per address per this many ms, across every process (Telegram: ~1000 per chat). */
  perAddressMs?: number;
  /** At most this many outbox items per second from this process (Telegram: 30 per bot). */
  perSecond?: number;
}

export interface DeliveryWorkerOptions {
  store: DeliveryStore;
  channel: string;
  /** Sends this channel's outbox; without it the worker only handles the inbox. */
  sender?: ChannelSender;
  /** Handles one stored update (usually `inboxHandler(...)`); without it the worker only sends. */
  handleInbox?: (item: InboxItem) => Promise<void>;
  logger: Logger;
  /** How often to look for work when not woken (default 1000 ms). */
  pollMs?: number;
  pacing?: DeliveryPacing;
  /** Leases (default inbox 120 s: an engine turn with LLM calls; outbox 60 s). */
  leaseMs?: { inbox?: number; outbox?: number };
  /** Items claimed per pass (default inbox 4, outbox 10). */
  batch?: { inbox?: number; outbox?: number };
  /** First back-off after an exception (default 1000 ms); doubles per attempt, jittered, capped at 5 min. */
  retryBaseMs?: number;
}

/** Shortest wait before an item answered with `retry` is tried again. */
const MIN_RETRY_MS = 100;

/** Back-off ceiling after exceptions. */
export const MAX_BACKOFF_MS = 5 * 60_000;

/** Jittered exponential back-off for the `attempt`-th failure (1-based): between half and all of base·2^(n-1), capped. */
export function backoffMs(attempt: number, baseMs = 1000, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** exponent);
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * One channel's delivery loop, in any number of processes at once: claims stored updates and runs them
 * through `handleInbox`, claims outbox items and sends them with `sender`, paced. A rate limit or an
 * exception reschedules the item (it is never dropped); a `failed` outcome keeps it with its error.
 * Logs carry item ids and outcomes, never message text.
 */
export class DeliveryWorker {
  private readonly store: DeliveryStore;
  private readonly channel: string;
  private readonly sender?: ChannelSender;
  private readonly handleInbox?: (item: InboxItem) => Promise<void>;
  private readonly logger: Logger;
  private readonly pollMs: number;
  private readonly perAddressMs: number;
  private readonly minGapMs: number;
  private readonly leases: { inbox: number; outbox: number };
  private readonly batch: { inbox: number; outbox: number };
  private readonly retryBaseMs: number;

  private loop: Promise<void> | undefined;
  private stopping = false;
  private wakeRequested = false;
  private wakeSleeper: (() => void) | undefined;
  /** Times (Date.now()) at which something this process rescheduled becomes claimable. */
  private dueTimes: number[] = [];
  /** Earliest time the next send may start (overall pacing). */
  private nextSendAt = 0;
  /** Passes run one at a time (start() and runOnce() may overlap in tests). */
  private pass: Promise<unknown> = Promise.resolve();

  constructor(options: DeliveryWorkerOptions) {
    if (options.sender && options.sender.channel !== options.channel) {
      throw new Error(`The sender is for channel "${options.sender.channel}", the worker for "${options.channel}".`);
    }
    this.store = options.store;
    this.channel = options.channel;
    this.sender = options.sender;
    this.handleInbox = options.handleInbox;
    this.logger = options.logger.child({ component: 'delivery', channel: options.channel });
    this.pollMs = Math.max(1, options.pollMs ?? 1000);
    this.perAddressMs = Math.max(0, options.pacing?.perAddressMs ?? 0);
    const perSecond = options.pacing?.perSecond;
    this.minGapMs = perSecond && perSecond > 0 ? 1000 / perSecond : 0;
    this.leases = { inbox: options.leaseMs?.inbox ?? 120_000, outbox: options.leaseMs?.outbox ?? 60_000 };
    this.batch = { inbox: Math.max(1, options.batch?.inbox ?? 4), outbox: Math.max(1, options.batch?.outbox ?? 10) };
    this.retryBaseMs = Math.max(1, options.retryBaseMs ?? 1000);
  }

  /** Starts the loop (idempotent). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Look for work now instead of at the next poll (webhook handlers call it after `accept`). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /** Stops claiming and waits for the item in progress; claimed items not yet started are given back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSleeper?.();
    const loop = this.loop;
    if (loop) await loop;
    await this.pass.catch(() => undefined);
    this.loop = undefined;
  }

  /** One pass: handles claimable inbox items, then sends claimable outbox items. */
  runOnce(): Promise<{ inbox: number; outbox: number }> {
    const next = this.pass.catch(() => undefined).then(() => this.passOnce());
    this.pass = next;
    return next;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      this.wakeRequested = false;
      let worked = false;
      try {
        const done = await this.runOnce();
        worked = done.inbox + done.outbox > 0;
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.error({ err: error, failures }, 'delivery pass failed');
      }
      if (this.stopping) break;
      if (worked || this.wakeRequested) continue;
      const untilDue = this.dueTimes.length > 0 ? Math.min(...this.dueTimes) - Date.now() : Number.POSITIVE_INFINITY;
      const wait = failures > 0 ? Math.max(this.pollMs, backoffMs(failures, this.pollMs)) : Math.min(this.pollMs, Math.max(0, untilDue));
      await this.sleep(wait);
    }
  }

  /** Sleeps until `ms` pass or `wake()`/`stop()` is called. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wakeSleeper === done) this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakeSleeper = done;
    });
  }

  /** Something becomes claimable at `at` (a retry, a paced address): wake up for it. */
  private due(at: number): void {
    // A few ms of margin: the database decides with its own clock.
    this.dueTimes.push(at + 5);
  }

  private async passOnce(): Promise<{ inbox: number; outbox: number }> {
    const now = Date.now();
    this.dueTimes = this.dueTimes.filter((at) => at > now);
    const inbox = this.handleInbox && !this.stopping ? await this.inboxPass(this.handleInbox) : 0;
    const outbox = this.sender && !this.stopping ? await this.outboxPass(this.sender) : 0;
    return { inbox, outbox };
  }

  private async inboxPass(handle: (item: InboxItem) => Promise<void>): Promise<number> {
    const items = await this.store.claimInbox(this.channel, this.batch.inbox, this.leases.inbox);
    let done = 0;
    for (const [index, item] of items.entries()) {
      if (this.stopping) {
        await this.store.release('inbox', items.slice(index).map((rest) => rest.id));
        break;
      }
      await this.handleOne(handle, item);
      done++;
    }
    return done;
  }

  private async handleOne(handle: (item: InboxItem) => Promise<void>, item: InboxItem): Promise<void> {
    const started = Date.now();
    try {
      await handle(item);
      await this.store.completeInbox(item.id);
      this.logger.debug({ inboxId: item.id, messageId: item.messageId, attempts: item.attempts, ms: Date.now() - started }, 'inbox item handled');
    } catch (error) {
      const afterMs = backoffMs(item.attempts, this.retryBaseMs);
      const willRetry = await this.store.retryInbox(item.id, afterMs, describe(error));
      if (willRetry) {
        this.due(Date.now() + afterMs);
        this.logger.warn({ err: error, inboxId: item.id, messageId: item.messageId, attempts: item.attempts, retryInMs: afterMs }, 'inbox item failed, will retry');
      } else {
        this.logger.error({ err: error, inboxId: item.id, messageId: item.messageId, attempts: item.attempts }, 'inbox item failed, gave up');
      }
    }
  }

  private async outboxPass(sender: ChannelSender): Promise<number> {
    const items = await this.store.claimOutbox(this.channel, this.batch.outbox, this.leases.outbox, { perAddressMs: this.perAddressMs });
    let done = 0;
    for (const [index, item] of items.entries()) {
      if (!this.stopping) await this.paceOverall();
      if (this.stopping) {
        await this.store.release('outbox', items.slice(index).map((rest) => rest.id));
        break;
      }
      await this.sendOne(sender, item);
      done++;
    }
    return done;
  }

  /** Waits for the next overall send slot (perSecond). */
  private async paceOverall(): Promise<void> {
    if (this.minGapMs <= 0) return;
    // performance.now: sub-millisecond and monotonic; timers may fire a little early, so wait until the slot really came.
    const at = this.nextSendAt;
    for (let left = at - performance.now(); left > 0; left = at - performance.now()) await sleep(Math.ceil(left));
    // The next slot counts from when this send really starts (a late timer must not shorten the next gap).
    this.nextSendAt = performance.now() + this.minGapMs;
  }

  private async sendOne(sender: ChannelSender, item: OutboxItem): Promise<void> {
    const started = Date.now();
    let outcome: SendOutcome;
    let thrown: unknown;
    try {
      outcome = await sender.send(item.address, item.replies, {
        key: `jembatan-outbox-${item.id}`,
        from: item.partsSent,
        inDoubt: item.partInDoubt,
        starting: (part) => this.store.partStarting(item.id, part),
        delivered: (part) => this.store.partDelivered(item.id, part),
      });
    } catch (error) {
      thrown = error;
      outcome = { status: 'retry', afterMs: backoffMs(item.attempts, this.retryBaseMs), error: describe(error) };
    }
    const log = { outboxId: item.id, attempts: item.attempts, replies: item.replies.length, ms: Date.now() - started };
    switch (outcome.status) {
      case 'sent':
        await this.store.markSent(item.id);
        // The address's next item (if any) becomes claimable once the per-address gap has passed.
        if (this.perAddressMs > 0) this.due(Date.now() + this.perAddressMs);
        this.logger.debug(log, 'outbox item sent');
        return;
      case 'retry': {
        // At least MIN_RETRY_MS, so a sender answering "retry now" cannot spin the loop.
        const afterMs = Math.max(MIN_RETRY_MS, Number.isFinite(outcome.afterMs) ? outcome.afterMs : backoffMs(item.attempts, this.retryBaseMs));
        await this.store.retryOutbox(item.id, afterMs, outcome.error);
        this.due(Date.now() + afterMs);
        this.logger.warn({ ...log, err: thrown, error: thrown ? undefined : outcome.error, retryInMs: afterMs }, 'outbox item not sent, will retry');
        return;
      }
      case 'failed':
        await this.store.markFailed(item.id, outcome.error);
        this.logger.error({ ...log, error: outcome.error }, 'outbox item cannot be delivered');
        return;
    }
  }
}
