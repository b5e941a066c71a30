import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../../core/config/env.js';
import { LISTING_KINDS, type ListingKind } from '../../core/domain/listing.js';
import { SECTORS } from '../../core/domain/sectors.js';
import { describeProvider } from '../../core/embeddings/provider.js';
import { EvalInputError, readEvalQueries, runEval } from '../../core/eval/run-eval.js';
import { reindex } from '../../core/listings/reindex.js';
import { log } from '../../core/log.js';
import { MATCH_MODES, MatchError, type MatchMode } from '../../core/retrieval/match.js';
import { DatabaseUnavailableError } from '../../core/store/db.js';
import { StoreModelMismatchError } from '../../core/store/listing-store.js';
import { Alerts } from '../../core/alerts/alerts.js';
import { DeliveryStore } from '../../core/delivery/delivery-store.js';
import { ingest } from '../../ingest/ingest.js';
import { PRESETS } from '../../ingest/presets/index.js';
import { InputError } from '../../ingest/read-records.js';
import { runConsoleChat } from '../../adapters/console/chat.js';
import { createAssistant } from '../assistant.js';
import { serve } from '../serve/serve.js';
import { runTelegramPolling } from '../telegram/run.js';
import { openContext, type CliContext } from './context.js';
import { formatEvalReport } from './format-eval.js';
import { formatIngestSummary, formatMatches } from './format.js';
import { recordsProgress } from './progress.js';

const SAMPLES = fileURLToPath(new URL('../../samples/listings.jsonl', import.meta.url));

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

function list<T extends string>(allowed: readonly T[], name: string) {
  return (value: string, previous: T[] = []): T[] => {
    const values = value.split(',').map((v) => v.trim()).filter(Boolean);
    for (const v of values) {
      if (!(allowed as readonly string[]).includes(v)) {
        throw new InvalidArgumentError(`unknown ${name} "${v}"; use one of: ${allowed.join(', ')}`);
      }
    }
    return [...previous, ...(values as T[])];
  };
}

function countries(value: string, previous: string[] = []): string[] {
  const values = value.split(',').map((v) => v.trim().toUpperCase()).filter(Boolean);
  for (const v of values) if (!/^[A-Z]{2}$/.test(v)) throw new InvalidArgumentError(`"${v}" is not an ISO country code such as VN`);
  return [...previous, ...values];
}

async function withContext<T>(fn: (ctx: CliContext) => Promise<T>, options: { checkModel?: boolean } = {}): Promise<T> {
  const ctx = await openContext(options);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function sayProvider(ctx: CliContext): void {
  process.stderr.write(`${describeProvider(ctx.encoder)}\n`);
}

async function runIngest(ctx: CliContext, path: string, opts: { preset: string; source?: string; batchSize: number; json?: boolean; duplicates: boolean }) {
  const preset = PRESETS[opts.preset]!;
  const progress = recordsProgress('ingest');
  const summary = await ingest(resolve(path), ctx.store, ctx.glossary, ctx.encoder, {
    preset,
    source: opts.source,
    batchSize: opts.batchSize,
    detectDuplicates: opts.duplicates,
    log,
    onProgress: ({ done, total }) => progress.update(done, total),
  });
  progress.stop();
  await ctx.store.setMeta('glossary_version', ctx.glossary.version);
  if (summary.added + summary.updated > 0) {
    // New listings: match saved needs now and queue the digests that are due (a running `serve` delivers them).
    const alerts = new Alerts(ctx.store.db, new DeliveryStore(ctx.store.db), ctx.matcher, ctx.store);
    const alertMatches = await alerts.scan();
    const digests = await alerts.sendDigests();
    if (alertMatches + digests > 0) log.info({ alertMatches, digests }, 'saved-need alerts');
  }
  log.info(
    {
      added: summary.added,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected.length,
      duplicates: summary.duplicates.length,
      seconds: Number(summary.seconds.toFixed(2)),
      recordsPerSecond: Math.round(summary.read / Math.max(summary.seconds, 0.001)),
    },
    'ingest finished',
  );
  return summary;
}

export function buildProgram(): Command {
  const program = new Command()
    .name('jembatan')
    .description('Technology-transfer matchmaking for Southeast Asia: ingest listings, search across ten languages, evaluate.')
    .showHelpAfterError();

  program
    .command('ingest')
    .description('Store listings from a CSV, JSON or JSONL file, or a directory of them (idempotent)')
    .argument('<path>', 'file or directory')
    .addOption(new Option('--preset <name>', 'field mapping').choices(Object.keys(PRESETS)).default('generic'))
    .option('--source <name>', 'source name for records that carry none (generic preset)')
    .option('--batch-size <n>', 'records per transaction', positiveInt, 64)
    .option('--no-duplicates', 'skip near-duplicate detection')
    .option('--json', 'print the summary as JSON')
    .action(async (path: string, opts) => {
      await withContext(async (ctx) => {
        sayProvider(ctx);
        const summary = await runIngest(ctx, path, opts);
        process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatIngestSummary(summary)}\n`);
      });
    });

  program
    .command('search')
    .description('Find published listings for a need (or any text) in any of the ten languages')
    .argument('<text>', 'what you are looking for')
    .option('--kind <kinds>', `listing kinds (${LISTING_KINDS.join(', ')}); default offer,expertise`, list(LISTING_KINDS, 'kind'))
    .option('--country <codes>', 'ISO country codes, comma-separated', countries)
    .option('--sector <sectors>', `sectors (${SECTORS.join(', ')})`, list(SECTORS, 'sector'))
    .option('--min-trl <n>', 'minimum technology readiness level (1-9)', positiveInt)
    .option('--limit <n>', 'results per page', positiveInt, 10)
    .option('--offset <n>', 'skip this many results', positiveInt, 0)
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices([...MATCH_MODES]).default('hybrid'))
    .option('--json', 'print results as JSON')
    .action(async (text: string, opts) => {
      await withContext(async (ctx) => {
        if (!opts.json) sayProvider(ctx);
        const response = await ctx.matcher.match(text, {
          kinds: opts.kind as ListingKind[] | undefined,
          countries: opts.country,
          sectors: opts.sector,
          minTrl: opts.minTrl,
          limit: opts.limit,
          offset: opts.offset,
          mode: opts.mode as MatchMode,
        });
        process.stdout.write(opts.json ? `${JSON.stringify(response, null, 2)}\n` : `${formatMatches(response, opts.offset)}\n`);
      });
    });

  program
    .command('reindex')
    .description('Rebuild passages, concepts and vectors of every listing with the active glossary and embedding model')
    .action(async () => {
      await withContext(
        async (ctx) => {
          sayProvider(ctx);
          const progress = recordsProgress('reindex');
          const total = await ctx.store.listingCount();
          const summary = await reindex(ctx.store, ctx.glossary, ctx.encoder, (done) => progress.update(done, total));
          progress.stop();
          process.stdout.write(
            `Reindexed ${summary.listings} listings (${summary.passages} passages) in ${summary.seconds.toFixed(1)} s with ` +
              `${summary.model.provider === 'none' ? 'no embedding model' : `${summary.model.provider} ${summary.model.model}`}.\n`,
          );
        },
        { checkModel: false },
      );
    });

  program
    .command('stats')
    .description('Listings in the store by kind, status and language')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      await withContext(async (ctx) => {
        const counts = await ctx.store.counts();
        const model = await ctx.store.embeddingModel();
        const info = { store: ctx.store.db.location, model: model ?? { provider: 'none' }, glossaryConcepts: ctx.glossary.size, counts };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
          return;
        }
        const total = counts.reduce((sum, row) => sum + row.n, 0);
        const lines = [`Store: ${info.store}`, `Embedding model: ${JSON.stringify(info.model)}`, `Glossary: ${ctx.glossary.size} concepts`, `Listings: ${total}`];
        for (const row of counts) lines.push(`  ${row.kind.padEnd(9)} ${row.status.padEnd(9)} ${row.language.padEnd(3)} ${row.n}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  program
    .command('eval')
    .description('Score retrieval on a JSONL set of {"qid","lang","query","relevant":{"<external id>":2|1}}')
    .argument('<queries>', 'JSONL file')
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices([...MATCH_MODES]).default('hybrid'))
    .option('--k <n>', 'cut-off for MRR and nDCG', positiveInt, 10)
    .option('--json', 'print the full report as JSON')
    .action(async (file: string, opts) => {
      const queries = readEvalQueries(file);
      await withContext(async (ctx) => {
        if (!opts.json) sayProvider(ctx);
        const report = await runEval(queries, ctx.matcher, ctx.store, { mode: opts.mode as MatchMode, k: Math.max(1, opts.k) });
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEvalReport(report)}\n`);
      });
    });

  program
    .command('chat')
    .description('Chat with the assistant in this terminal (buttons are numbered; without a terminal, one message per line)')
    .option('--user <id>', 'console user id (each id is a separate user)')
    .option('--locale <code>', 'starting language, e.g. th or km (otherwise detected from what you write)')
    .action(async (opts: { user?: string; locale?: string }) => {
      await withContext(async (ctx) => {
        sayProvider(ctx);
        const assistant = createAssistant({ ...ctx, logger: log });
        process.stderr.write(`Understanding: ${assistant.understanding}\n`);
        if ((await ctx.store.listingCount()) === 0) {
          process.stderr.write('The store has no listings yet: run `npm run demo` or `jembatan ingest PATH` first.\n');
        }
        const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
        await runConsoleChat(assistant.engine, { input: process.stdin, output: process.stdout, interactive, userId: opts.user, locale: opts.locale });
        await assistant.engine.drain();
      });
    });

  program
    .command('serve')
    .description('Run the HTTP server for the chat channels whose credentials are configured (health: /healthz, /readyz)')
    .option('--port <n>', 'port (default: PORT or 8080)', positiveInt)
    .action(async (opts: { port?: number }) => {
      await withContext((ctx) => serve(ctx, { port: opts.port }));
    });

  program
    .command('telegram')
    .description('Run the Telegram bot with long polling (needs TELEGRAM_BOT_TOKEN; production: `serve` with TELEGRAM_WEBHOOK_URL, see docs/TELEGRAM.md)')
    .action(async () => {
      await withContext(async (ctx) => {
        sayProvider(ctx);
        await runTelegramPolling(ctx);
      });
    });

  program
    .command('demo')
    .description('Ingest the sample listings into the embedded store, show cross-language matches and a scripted chat')
    .action(async () => {
      await withContext(async (ctx) => {
        sayProvider(ctx);
        const summary = await runIngest(ctx, SAMPLES, { preset: 'generic', batchSize: 64, duplicates: true });
        process.stdout.write(`${formatIngestSummary(summary)}\n`);
        const demoQueries: Array<{ text: string; note: string }> = [
          { text: 'ប្រព័ន្ធចម្រោះទឹកដោយថាមពលព្រះអាទិត្យសម្រាប់ភូមិ', note: 'Khmer: solar water purification for a village' },
          { text: 'บ่อกุ้งออกซิเจนต่ำ กุ้งตายตอนกลางคืน', note: 'Thai: low oxygen in shrimp ponds, shrimp die at night' },
          { text: 'cần máy sấy lúa dùng năng lượng mặt trời', note: 'Vietnamese: solar rice dryer' },
          { text: 'early warning for floods in a river city', note: 'English' },
        ];
        for (const query of demoQueries) {
          const response = await ctx.matcher.match(query.text, { limit: 3 });
          process.stdout.write(`\n=== ${query.note}\n> ${query.text}\n${formatMatches(response)}\n`);
        }
        process.stdout.write('\n=== The assistant, as a Thai founder would use it (console channel; Telegram, Slack and Teams get the same replies)\n');
        const assistant = createAssistant({ ...ctx, logger: log });
        const script = ['บ่อกุ้งออกซิเจนต่ำ กุ้งตายตอนกลางคืน ต้องการเซ็นเซอร์', 'เฉพาะสิงคโปร์', 'forget', '1'];
        await runConsoleChat(assistant.engine, {
          input: Readable.from(script.map((line) => `${line}\n`)),
          output: process.stdout,
          interactive: false,
          userId: 'demo',
        });
        await assistant.engine.drain();
        process.stdout.write(
          `\nStore: ${ctx.store.db.location}.\nChat yourself:  npx jembatan chat\nSearch:         npx jembatan search "your need in any language"\n`,
        );
      });
    });

  return program;
}

/** Errors a user can act on get one clear line; anything else is a bug and shows its stack. */
export async function main(argv = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    const known = [ConfigError, DatabaseUnavailableError, StoreModelMismatchError, InputError, MatchError, EvalInputError];
    if (known.some((type) => error instanceof type)) {
      process.stderr.write(`jembatan: ${(error as Error).message}\n`);
      return 1;
    }
    log.error({ err: error }, 'unexpected failure');
    process.stderr.write(`jembatan: unexpected failure: ${(error as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
