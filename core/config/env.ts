import { resolve } from 'node:path';
import { z } from 'zod';

function isParsableUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const optionalString = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

/** Every environment variable Jembatan reads (documented in README.md). */
export const EnvSchema = z.object({
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection string')
      .refine(isParsableUrl, 'is not a valid URL (check the host, the port and that special characters in the password are %-encoded)')
      .optional(),
  ),
  JEMBATAN_DATA_DIR: optionalString,
  JEMBATAN_EMBEDDINGS: z.preprocess(
    (value) => (value === '' || value === undefined ? 'none' : value),
    z.enum(['none', 'local', 'openai'], { message: 'must be none, local or openai' }),
  ),
  JEMBATAN_MODEL: optionalString,
  JEMBATAN_MODEL_DIR: optionalString,
  JEMBATAN_MODEL_CACHE: optionalString,
  JEMBATAN_EMBEDDING_BATCH: z.coerce.number().int().min(1).max(512).default(32),
  OPENAI_BASE_URL: optionalString.pipe(z.url({ message: 'must be a URL such as http://localhost:8000/v1' }).optional()),
  OPENAI_API_KEY: optionalString,
  JEMBATAN_OPENAI_EMBEDDING_MODEL: z.string().default('text-embedding-3-small'),
  /** Chat model for understanding, explanations and translation (OpenAI-compatible endpoint). */
  JEMBATAN_LLM: z.preprocess(
    (value) => (value === '' || value === undefined ? 'auto' : value),
    z.enum(['auto', 'off'], { message: 'must be auto (use an LLM when OPENAI_BASE_URL or OPENAI_API_KEY is set) or off' }),
  ),
  JEMBATAN_LLM_MODEL: z.string().default('gpt-4o-mini'),
  JEMBATAN_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(8000),
  /** `jembatan serve`: HTTP port and interface. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  JEMBATAN_HOST: z.string().default('0.0.0.0'),
  /** Telegram (docs/TELEGRAM.md): the token from BotFather turns the channel on. */
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must be the token BotFather gave you, like 123456789:AAH…').optional(),
  ),
  /** Public HTTPS URL Telegram posts updates to (webhook mode in `jembatan serve`); unset = long polling. */
  TELEGRAM_WEBHOOK_URL: optionalString.pipe(z.url({ message: 'must be a URL such as https://bot.example.org/telegram/webhook' }).optional()),
  /** Compared with X-Telegram-Bot-Api-Secret-Token on every webhook request; unset = derived from the token. */
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -').optional(),
  ),
  /** A self-hosted Telegram Bot API server instead of https://api.telegram.org. */
  TELEGRAM_API_ROOT: optionalString.pipe(z.url({ message: 'must be a URL such as http://localhost:8081' }).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Microsoft Teams (adapters/teams, docs/TEAMS.md): the Azure Bot's app registration. */
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: z.preprocess(
    (value) => (value === '' || value === undefined ? 'MultiTenant' : value),
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], { message: 'must be MultiTenant, SingleTenant or UserAssignedMSI' }),
  ),
  /** 1: mount Teams without MICROSOFT_APP_ID (unauthenticated, for the Bot Framework Emulator and local tests). */
  TEAMS_ENABLED: z.preprocess(
    (value) => (value === '' || value === undefined ? '0' : value),
    z.enum(['0', '1', 'true', 'false'], { message: 'must be 1 or 0' }).transform((value) => value === '1' || value === 'true'),
  ),
  /** Slack (adapters/slack, docs/SLACK.md): the bot token with the signing secret (HTTP) and/or the app token (Socket Mode). */
  SLACK_BOT_TOKEN: optionalString.pipe(z.string().regex(/^xox[a-z]-/, 'must be a bot token such as xoxb-…').optional()),
  /** Verifies the HTTP Request URLs; without it they are not mounted. */
  SLACK_SIGNING_SECRET: optionalString,
  /** Socket Mode app-level token (xapp-…, scope connections:write): events over a WebSocket, no public URL needed. */
  SLACK_APP_TOKEN: optionalString.pipe(z.string().regex(/^xapp-/, 'must be an app-level token such as xapp-…').optional()),
  /** Web API base URL (default https://slack.com/api/), e.g. a corporate proxy. */
  SLACK_API_URL: optionalString.pipe(z.url({ message: 'must be a URL such as https://slack.com/api/' }).optional()),
  /** Comma-separated workspace (team) ids whose members may be secretariat staff; unset = any workspace. */
  SLACK_ALLOWED_TEAM_IDS: optionalString,
  /** Slack channel id where new listings are posted for moderation; unset = no moderation queue. */
  JEMBATAN_MODERATION_SLACK_CHANNEL: optionalString,
  /** Comma-separated Slack user ids (U…), channel ids (C…/G…) and user-group ids (S…) allowed to moderate and see statistics. */
  JEMBATAN_MODERATORS: optionalString,
  /** How often pending listings are looked for (ms). */
  JEMBATAN_MODERATION_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(15_000),
  /** Introduction requests a user may make in 24 hours. */
  JEMBATAN_INTRO_DAILY_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  /** A pending introduction request expires after this many hours (both sides are told). */
  JEMBATAN_INTRO_TTL_HOURS: z.coerce.number().min(0.001).max(24 * 365).default(336),
  /** How often `serve` expires requests, matches saved needs and sends alert digests (ms). */
  JEMBATAN_JOBS_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(60_000),
});
export type Env = z.infer<typeof EnvSchema>;

/** A comma-separated setting (`JEMBATAN_MODERATORS=U1, C2`) as its trimmed, non-empty parts. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid environment: ${problems}. See README.md, "Configuration".`);
  }
  return parsed.data;
}

export function dataDir(env: Env): string {
  return resolve(env.JEMBATAN_DATA_DIR ?? '.jembatan');
}
