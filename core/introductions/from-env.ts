import { commaList, type Env } from '../config/env.js';
import type { Actor, IntroductionSettings } from './introductions.js';


/**
 * Introduction settings from the environment: the daily limit and expiry, and the secretariat route —
 * requests for listings without a reachable owner go to the Slack moderation channel
 * (JEMBATAN_MODERATION_SLACK_CHANNEL, when Slack is configured), where the Slack users and channels listed
 * in JEMBATAN_MODERATORS may decide them.
 */
export function introductionSettingsFromEnv(env: Env): IntroductionSettings {
  const moderators = new Set(commaList(env.JEMBATAN_MODERATORS));
  const channel = env.JEMBATAN_MODERATION_SLACK_CHANNEL?.trim();
  return {
    dailyLimit: env.JEMBATAN_INTRO_DAILY_LIMIT,
    ttlMs: env.JEMBATAN_INTRO_TTL_HOURS * 3600 * 1000,
    secretariat: channel && env.SLACK_BOT_TOKEN ? { channel: 'slack', address: { channel } } : undefined,
    isSecretariat: (actor: Actor) =>
      actor.channel === 'slack' && (moderators.has(actor.channelUserId) || moderators.has(actor.conversationId.split(':')[0] ?? '')),
  };
}
