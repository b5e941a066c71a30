import { ConfigError, type Env } from '../../core/config/env.js';

/** The bot registration Teams talks to (Azure Bot resource → Configuration). */
export interface TeamsConfig {
  /** '' = unauthenticated (Bot Framework Emulator, local tests): every request is accepted. */
  appId: string;
  password?: string;
  tenantId?: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
}

/**
 * Teams is mounted when MICROSOFT_APP_ID is set, or, unauthenticated, when TEAMS_ENABLED=1. Throws a
 * ConfigError naming what is missing for the chosen app type.
 */
export function teamsConfig(env: Env): TeamsConfig | undefined {
  const appId = env.MICROSOFT_APP_ID?.trim() ?? '';
  if (!appId && !env.TEAMS_ENABLED) return undefined;
  const config: TeamsConfig = {
    appId,
    password: env.MICROSOFT_APP_PASSWORD,
    tenantId: env.MICROSOFT_APP_TENANT_ID,
    appType: env.MICROSOFT_APP_TYPE,
  };
  if (!appId) return config;
  const missing: string[] = [];
  if (config.appType !== 'UserAssignedMSI' && !config.password) missing.push('MICROSOFT_APP_PASSWORD');
  if (config.appType !== 'MultiTenant' && !config.tenantId) missing.push('MICROSOFT_APP_TENANT_ID');
  if (config.appType === 'UserAssignedMSI' && config.password) {
    throw new ConfigError('Invalid environment: MICROSOFT_APP_PASSWORD must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI. See docs/TEAMS.md.');
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid environment: MICROSOFT_APP_ID is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing (MICROSOFT_APP_TYPE=${config.appType}). See docs/TEAMS.md.`,
    );
  }
  return config;
}
