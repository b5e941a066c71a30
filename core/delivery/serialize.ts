import { z } from 'zod';
import { LISTING_KINDS } from '../domain/listing.js';
import type { Reply } from '../conversation/types.js';
import type { ChannelAddress } from './types.js';

/**
 * Replies and addresses as they are stored in the outbox (jsonb). Replies are plain JSON except images,
 * whose PNG bytes are stored as base64 (`{type:'image', pngBase64, alt}`) and come back as a Uint8Array.
 */

const ButtonSchema = z.object({ label: z.string(), action: z.string() });

const CardSchema = z.object({
  listingId: z.number(),
  kind: z.enum(LISTING_KINDS),
  title: z.string(),
  summary: z.string(),
  country: z.string(),
  sectors: z.array(z.string()),
  trl: z.number().nullable(),
  score: z.number().optional(),
  why: z.string().optional(),
  status: z.string().optional(),
  buttons: z.array(ButtonSchema),
});

const StoredReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('cards'), cards: z.array(CardSchema) }),
  z.object({ type: z.literal('buttons'), text: z.string(), buttons: z.array(ButtonSchema) }),
  z.object({ type: z.literal('choice'), text: z.string(), options: z.array(ButtonSchema) }),
  z.object({ type: z.literal('image'), pngBase64: z.string(), alt: z.string() }),
]);
const StoredRepliesSchema = z.array(StoredReplySchema);

type StoredReply = z.infer<typeof StoredReplySchema>;

/** Replies as a JSON string for a jsonb column (image bytes as base64). */
export function serializeReplies(replies: Reply[]): string {
  const stored: StoredReply[] = replies.map((reply) =>
    reply.type === 'image'
      ? { type: 'image', pngBase64: Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength).toString('base64'), alt: reply.alt }
      : reply,
  );
  return toJsonb(stored);
}

/** Replies read back from a jsonb column (already parsed or as text); throws when they are not replies. */
export function deserializeReplies(value: unknown): Reply[] {
  const parsed = StoredRepliesSchema.parse(typeof value === 'string' ? JSON.parse(value) : value);
  return parsed.map((reply): Reply => {
    if (reply.type !== 'image') return reply;
    const bytes = Buffer.from(reply.pngBase64, 'base64');
    return { type: 'image', png: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), alt: reply.alt };
  });
}

/**
 * JSON text for a jsonb parameter. PostgreSQL's jsonb cannot hold U+0000, so it is removed from strings
 * (platform text may carry one; it means nothing in a chat).
 */
export function toJsonb(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) => (typeof item === 'string' ? item.replace(/\u0000/g, '') : item)) ?? 'null';
}

/** JSON with object keys sorted at every level: the same address always gives the same key. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return sortKeys((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return value.map(sortKeys);
  const source = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(source)
      .filter((key) => source[key] !== undefined)
      .sort()
      .map((key) => [key, sortKeys(source[key])]),
  );
}

/** An address read back from a jsonb column. */
export function parseAddress(value: unknown): ChannelAddress {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('stored address is not an object');
  return parsed as ChannelAddress;
}
