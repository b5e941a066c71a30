import { ConfigError, type Env } from '../../core/config/env.js';

export interface SlackConfig {
  botToken: string;
  signingSecret: string;
  /** Web API base, ending in a slash (default https://slack.com/api/). */
  apiUrl: string;
  /** Workspaces whose members may be secretariat staff; empty = any workspace the app is installed in. */
  allowedTeams: string[];
  /** User ids (U…/W…) and channel ids (C…/G…/D…) allowed to see statistics and moderate. */
  moderators: string[];
  /** Where pending listings are posted for review; undefined = no moderation queue. */
  moderationChannel?: string;
  moderationPollMs: number;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Slack is mounted when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are both set; one without the other is an error. */
export function slackConfig(env: Env): SlackConfig | undefined {
  const token = env.SLACK_BOT_TOKEN?.trim();
  const secret = env.SLACK_SIGNING_SECRET?.trim();
  if (!token && !secret) return undefined;
  if (!token || !secret) {
    throw new ConfigError(
      `Invalid environment: ${token ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN'} is missing (Slack needs both the bot token and the signing secret). See docs/SLACK.md.`,
    );
  }
  const apiUrl = env.SLACK_API_URL ?? 'https://slack.com/api/';
  return {
    botToken: token,
    signingSecret: secret,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    allowedTeams: list(env.SLACK_ALLOWED_TEAM_IDS),
    moderators: list(env.JEMBATAN_MODERATORS),
    moderationChannel: env.JEMBATAN_MODERATION_SLACK_CHANNEL?.trim() || undefined,
    moderationPollMs: env.JEMBATAN_MODERATION_POLL_MS,
  };
}

/**
 * Secretariat access (statistics, moderation): the workspace must be allowed (when a list is set), and the
 * user, or the channel the request came from, must be listed in JEMBATAN_MODERATORS. Nobody is a
 * moderator when the list is empty.
 */
export function isSecretariat(config: SlackConfig, who: { teamId?: string; userId?: string; channelId?: string }): boolean {
  if (config.allowedTeams.length > 0 && (!who.teamId || !config.allowedTeams.includes(who.teamId))) return false;
  return (!!who.userId && config.moderators.includes(who.userId)) || (!!who.channelId && config.moderators.includes(who.channelId));
}
