import { slackMountFromEnv } from '../../adapters/slack/mount.js';
import { teamsMountFromEnv } from '../../adapters/teams/mount.js';
import { telegramMountFromEnv } from '../telegram/telegram.js';
import type { Env } from '../../core/config/env.js';
import type { ConversationEngine } from '../../core/conversation/types.js';
import type { Logger } from '../../core/log.js';
import type { Db } from '../../core/store/db.js';
import type { ChannelMount } from './http-server.js';

/**
 * The chat channels `jembatan serve` mounts: each adapter whose credentials are set in the environment.
 * Adding a channel means adding its adapter here; the engine does not change.
 */
export function channelMounts(env: Env, engine: ConversationEngine, logger: Logger, db: Db): ChannelMount[] {
  const mounts: ChannelMount[] = [];
  // Microsoft Teams: MICROSOFT_APP_ID (authenticated) or TEAMS_ENABLED=1 (local, unauthenticated); docs/TEAMS.md.
  const teams = teamsMountFromEnv({ env, engine, db, logger });
  if (teams) mounts.push(teams);
  // Telegram: TELEGRAM_BOT_TOKEN (webhook with TELEGRAM_WEBHOOK_URL, else long polling); docs/TELEGRAM.md.
  const telegram = telegramMountFromEnv({ env, engine, db, logger });
  if (telegram) mounts.push(telegram);
  // Slack: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; docs/SLACK.md.
  const slack = slackMountFromEnv({ env, engine, db, logger });
  if (slack) mounts.push(slack);
  return mounts;
}
