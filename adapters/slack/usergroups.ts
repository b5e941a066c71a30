import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/log.js';
import type { UserGroupMembership } from './config.js';

/** How long a user group's members are trusted before they are read again (default). */
export const USER_GROUP_CACHE_MS = 5 * 60_000;

type WebClient = InstanceType<typeof webApi.WebClient>;

interface Cached {
  members: ReadonlySet<string>;
  until: number;
}

/** What a failed `usergroups.users.list` call said, for the log. */
function failureOf(error: unknown): { error: string; needed?: string } {
  const data = (error as { data?: { error?: unknown; needed?: unknown } }).data;
  if (data && typeof data.error === 'string') return { error: data.error, ...(typeof data.needed === 'string' ? { needed: data.needed } : {}) };
  return { error: error instanceof Error ? error.message : String(error) };
}

/**
 * Members of the Slack user groups listed in JEMBATAN_MODERATORS, read with `usergroups.users.list`
 * (bot scope usergroups:read) and cached per group for `ttlMs`. Concurrent lookups of one group share one
 * call. When the call fails, nobody is a member of that group this time (a warning is logged, nothing is
 * cached, the next request asks again): a refusal, never a crash.
 */
export class SlackUserGroups implements UserGroupMembership {
  private readonly cache = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string> | undefined>>();

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly options: { ttlMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async isMember(groupId: string, userId: string): Promise<boolean> {
    const members = await this.members(groupId);
    return members?.has(userId) ?? false;
  }

  /** The group's members, or undefined when they could not be read. */
  members(groupId: string): Promise<ReadonlySet<string> | undefined> {
    const cached = this.cache.get(groupId);
    if (cached && cached.until > this.now()) return Promise.resolve(cached.members);
    let pending = this.inFlight.get(groupId);
    if (!pending) {
      pending = this.read(groupId).finally(() => this.inFlight.delete(groupId));
      this.inFlight.set(groupId, pending);
    }
    return pending;
  }

  private async read(groupId: string): Promise<ReadonlySet<string> | undefined> {
    try {
      const result = await this.client.usergroups.users.list({ usergroup: groupId });
      const members = new Set(result.users ?? []);
      this.cache.set(groupId, { members, until: this.now() + (this.options.ttlMs ?? USER_GROUP_CACHE_MS) });
      this.logger.debug({ usergroup: groupId, members: members.size }, 'slack user group read');
      return members;
    } catch (error) {
      this.cache.delete(groupId);
      this.logger.warn(
        { usergroup: groupId, ...failureOf(error) },
        'reading a Slack user group failed (usergroups.users.list, scope usergroups:read); its members are not authorised this time',
      );
      return undefined;
    }
  }
}
