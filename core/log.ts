import pino from 'pino';

/** Structured logs (JSON lines) on stderr, so stdout stays for command output. */
export const log = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: { app: 'jembatan' } },
  pino.destination({ fd: 2, sync: true }),
);
export type Logger = pino.Logger;
