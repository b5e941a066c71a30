import { commaList, ConfigError, type Env } from '../../core/config/env.js';

export interface SlackConfig {
  botToken: string;
  /** HTTP Request URLs (Events API, slash command, interactivity) are mounted only with it. */
  signingSecret?: string;
  /** App-level token (xapp-…): Socket Mode, the same events over a WebSocket. */
  appToken?: string;
  /** Web API base, ending in a slash (default https://slack.com/api/). */
  apiUrl: string;
  /** Workspaces whose members may be secretariat staff; empty = any workspace the app is installed in. */
  allowedTeams: string[];
  /** User ids (U…/W…), channel ids (C…/G…/D…) and user-group ids (S…) allowed to see statistics and moderate. */
  moderators: string[];
  /** Where pending listings are posted for review; undefined = no moderation queue. */
  moderationChannel?: string;
  moderationPollMs: number;
}


/**
 * Slack is mounted with SLACK_BOT_TOKEN and at least one way to receive events: SLACK_SIGNING_SECRET
 * (HTTP Request URLs) and/or SLACK_APP_TOKEN (Socket Mode). Nothing set: no Slack. Anything else is an error.
 */
export function slackConfig(env: Env): SlackConfig | undefined {
  const token = env.SLACK_BOT_TOKEN?.trim() || undefined;
  const secret = env.SLACK_SIGNING_SECRET?.trim() || undefined;
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined;
  if (!token && !secret && !appToken) return undefined;
  if (!token) {
    throw new ConfigError(
      `Invalid environment: SLACK_BOT_TOKEN is missing (${secret ? 'SLACK_SIGNING_SECRET' : 'SLACK_APP_TOKEN'} is set; Slack needs the bot token to answer). See docs/SLACK.md.`,
    );
  }
  if (!secret && !appToken) {
    throw new ConfigError(
      'Invalid environment: SLACK_BOT_TOKEN is set but Slack cannot reach the app: set SLACK_SIGNING_SECRET (HTTP Request URLs) and/or SLACK_APP_TOKEN (Socket Mode, xapp-…). See docs/SLACK.md.',
    );
  }
  const apiUrl = env.SLACK_API_URL ?? 'https://slack.com/api/';
  return {
    botToken: token,
    ...(secret ? { signingSecret: secret } : {}),
    ...(appToken ? { appToken } : {}),
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    allowedTeams: commaList(env.SLACK_ALLOWED_TEAM_IDS),
    moderators: commaList(env.JEMBATAN_MODERATORS),
    moderationChannel: env.JEMBATAN_MODERATION_SLACK_CHANNEL?.trim() || undefined,
    moderationPollMs: env.JEMBATAN_MODERATION_POLL_MS,
  };
}

/** Slack user-group ids (subteams) start with S. */
export function isUserGroupId(id: string): boolean {
  return /^S[A-Z0-9]+$/.test(id);
}

/** Who belongs to a Slack user group (adapters/slack/usergroups.ts reads it from the Web API, cached). */
export interface UserGroupMembership {
  /** False when the user is not a member or when membership could not be read. */
  isMember(groupId: string, userId: string): Promise<boolean>;
}

/**
 * Secretariat access (statistics, moderation): the workspace must be allowed (when a list is set), and the
 * user, the channel the request came from, or a user group the user belongs to must be listed in
 * JEMBATAN_MODERATORS. Nobody is a moderator when the list is empty; user groups count only when
 * `groups` is given.
 */
export async function isSecretariat(
  config: SlackConfig,
  who: { teamId?: string; userId?: string; channelId?: string },
  groups?: UserGroupMembership,
): Promise<boolean> {
  if (config.allowedTeams.length > 0 && (!who.teamId || !config.allowedTeams.includes(who.teamId))) return false;
  if ((!!who.userId && config.moderators.includes(who.userId)) || (!!who.channelId && config.moderators.includes(who.channelId))) return true;
  if (!who.userId || !groups) return false;
  for (const id of config.moderators) {
    if (isUserGroupId(id) && (await groups.isMember(id, who.userId))) return true;
  }
  return false;
}
