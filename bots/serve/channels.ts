import type { Env } from '../../core/config/env.js';
import type { ConversationEngine } from '../../core/conversation/types.js';
import type { Logger } from '../../core/log.js';
import type { ChannelMount } from './http-server.js';

/**
 * The chat channels `jembatan serve` mounts: each adapter whose credentials are set in the environment.
 * Adding a channel means adding its adapter here; the engine does not change.
 */
export function channelMounts(_env: Env, _engine: ConversationEngine, _logger: Logger): ChannelMount[] {
  return [];
}
