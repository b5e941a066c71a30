import type { Logger } from 'pino';
import type { Alerts } from '../alerts/alerts.js';
import type { Introductions } from '../introductions/introductions.js';
import type { Queryable } from '../store/db.js';
import { publishedListingsFingerprint } from '../store/listing-store.js';

export interface JobsRun {
  expired: number;
  alertMatches: number;
  digests: number;
}

/**
 * The periodic work of `jembatan serve` (any number of processes may run it: every step is a transaction
 * that claims its rows): expire introduction requests past their time, match saved needs when the
 * published listings changed (an ingest, an approval, an edit — also by another process), and send alert
 * digests that are due.
 */
export class MatchmakingJobs {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private fingerprint = '';

  constructor(
    private readonly deps: { db: Queryable; introductions: Introductions; alerts: Alerts; logger: Logger },
    private readonly pollMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.runOnce().catch((error: unknown) => this.deps.logger.warn({ err: error }, 'matchmaking jobs failed'));
    };
    this.timer = setInterval(tick, this.pollMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async runOnce(): Promise<JobsRun> {
    const expired = await this.deps.introductions.expireDue();
    const { rows } = await this.deps.db.query<{ needs: number }>('SELECT count(*)::int AS needs FROM saved_needs WHERE stopped_at IS NULL');
    // Saved needs are matched again when the searchable listings or the set of saved needs changed.
    const fingerprint = `${await publishedListingsFingerprint(this.deps.db)}|${rows[0]?.needs ?? 0}`;
    let alertMatches = 0;
    if (fingerprint !== this.fingerprint) {
      alertMatches = await this.deps.alerts.scan();
      this.fingerprint = fingerprint;
    }
    const digests = await this.deps.alerts.sendDigests();
    if (expired + alertMatches + digests > 0) this.deps.logger.info({ expired, alertMatches, digests }, 'matchmaking jobs');
    return { expired, alertMatches, digests };
  }
}
