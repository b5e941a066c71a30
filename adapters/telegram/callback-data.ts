import { createHash } from 'node:crypto';
import { MAX_CALLBACK_BYTES } from './render.js';

/**
 * Button actions ↔ Telegram callback data. The engine's actions are short opaque ids (`det:42`, `why:other`)
 * that fit the 64-byte limit and go into the button as they are, so a button still works after a restart.
 * An action that would not fit is kept here and the button carries a short key (`~` + hash) instead;
 * `~` never starts an engine action. Those keys live in memory (bounded): after a restart such a button
 * answers "no longer valid", which the engine says politely.
 */
export class CallbackData {
  private readonly long = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  encode(action: string): string {
    if (Buffer.byteLength(action, 'utf8') <= MAX_CALLBACK_BYTES && !action.startsWith('~')) return action;
    const key = `~${createHash('sha256').update(action).digest('base64url').slice(0, 22)}`;
    this.long.delete(key);
    this.long.set(key, action);
    if (this.long.size > this.capacity) this.long.delete(this.long.keys().next().value!);
    return key;
  }

  /** The action behind callback data; an unknown short key is returned as is (the engine rejects it). */
  decode(data: string): string {
    return data.startsWith('~') ? (this.long.get(data) ?? data) : data;
  }
}
