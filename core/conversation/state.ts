import { z } from 'zod';
import { LANGUAGES } from '../domain/languages.js';
import { IP_STATUSES, LISTING_KINDS, PARTNERSHIP_TYPES } from '../domain/listing.js';
import { SECTORS } from '../domain/sectors.js';

/** Draft fields the user can be asked for or can edit, in the order they are asked. */
export const DRAFT_FIELDS = ['title', 'summary', 'country', 'sectors', 'trl', 'partnership', 'ipStatus'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

const RefinementSchema = z.object({
  countries: z.array(z.string()).optional(),
  minTrl: z.number().int().min(1).max(9).optional(),
  kinds: z.array(z.enum(LISTING_KINDS)).optional(),
  sectors: z.array(z.enum(SECTORS)).optional(),
});

export const DraftFieldsSchema = z.object({
  kind: z.enum(LISTING_KINDS).optional(),
  title: z.string().optional(),
  summary: z.string().optional(),
  sectors: z.array(z.enum(SECTORS)).optional(),
  trl: z.number().int().min(1).max(9).optional(),
  ipStatus: z.enum(IP_STATUSES).optional(),
  partnership: z.array(z.enum(PARTNERSHIP_TYPES)).optional(),
  country: z.string().optional(),
  organisation: z.string().optional(),
  confidential: z.string().optional(),
});

const AwaitingSchema = z.discriminatedUnion('type', [
  /** The last need was too vague; the next message adds to it. */
  z.object({ type: z.literal('clarify'), partial: z.string() }),
  /** After `offer`/`need` with no text: the next message is the description. */
  z.object({ type: z.literal('describe'), kind: z.enum(LISTING_KINDS) }),
  z.object({ type: z.literal('field'), field: z.enum(DRAFT_FIELDS) }),
  z.object({ type: z.literal('confirm_draft') }),
  z.object({ type: z.literal('confidential') }),
  z.object({ type: z.literal('feedback_reason'), listingId: z.number().int() }),
  z.object({ type: z.literal('forget_confirm') }),
  z.object({ type: z.literal('language') }),
  /** Introductions (flows/introduce.ts): what the requester wants, their contact, the owner's answers. */
  z.object({ type: z.literal('intro_message'), listingId: z.number().int() }),
  z.object({ type: z.literal('intro_contact'), listingId: z.number().int(), message: z.string() }),
  z.object({ type: z.literal('intro_accept_contact'), requestId: z.number().int() }),
  z.object({ type: z.literal('intro_decline'), requestId: z.number().int() }),
  z.object({ type: z.literal('intro_question'), requestId: z.number().int() }),
  z.object({ type: z.literal('intro_reply'), requestId: z.number().int() }),
  z.object({ type: z.literal('contact') }),
]);
export type Awaiting = z.infer<typeof AwaitingSchema>;

const SearchStateSchema = z.object({
  query: z.string(),
  language: z.enum(LANGUAGES),
  filters: RefinementSchema,
  offset: z.number().int().min(0),
  excludeIds: z.array(z.number().int()),
  /** Set for "more like this": the results are listings similar to this one. */
  similarTo: z.number().int().optional(),
});
export type SearchState = z.infer<typeof SearchStateSchema>;

const DraftStateSchema = z.object({
  fields: DraftFieldsSchema.extend({ kind: z.enum(LISTING_KINDS) }),
  /** Fields the user chose to skip: never asked again. */
  skipped: z.array(z.enum(DRAFT_FIELDS)),
  /** Set when editing a stored listing. */
  listingId: z.number().int().optional(),
  externalId: z.string().optional(),
});
export type DraftState = z.infer<typeof DraftStateSchema>;

export const ConversationStateSchema = z.object({
  awaiting: AwaitingSchema.optional(),
  search: SearchStateSchema.optional(),
  draft: DraftStateSchema.optional(),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;
