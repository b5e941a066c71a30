import { randomUUID } from 'node:crypto';
import { COUNTRIES } from '../../domain/countries.js';
import { IP_STATUSES, PARTNERSHIP_TYPES, type ListingKind } from '../../domain/listing.js';
import { SECTORS, isSector, type Sector } from '../../domain/sectors.js';
import { ListingValidationError, saveListing } from '../../listings/save-listing.js';
import type { DraftFields } from '../../understanding/types.js';
import { resultCards } from '../cards.js';
import { COUNTRY_CHOICES, countryName, sectorLabels, shorten } from '../labels.js';
import type { DraftField, DraftState } from '../state.js';
import type { Turn } from '../turn.js';

/** Source name of listings written in chat. */
export const CHAT_SOURCE = 'chat';
const TITLE_MAX = 120;

/** Fields asked for, in order, when missing; country and sectors are required, the others can be skipped. */
function questionOrder(kind: ListingKind): DraftField[] {
  return kind === 'need' ? ['country', 'sectors', 'partnership'] : ['country', 'sectors', 'trl', 'partnership'];
}
const REQUIRED: DraftField[] = ['title', 'summary', 'country', 'sectors'];

function isMissing(fields: DraftState['fields'], field: DraftField): boolean {
  const value = fields[field];
  return value === undefined || (Array.isArray(value) && value.length === 0) || value === '';
}

function firstClause(text: string): string {
  const clause = text.split(/(?<=[.!?。！？।])\s*|\n/u)[0] ?? text;
  return shorten(clause, TITLE_MAX);
}

/** Keeps only values our schema accepts (an understander may return anything). */
function cleanFields(fields: DraftFields): DraftFields {
  const clean: DraftFields = { ...fields };
  if (clean.country && !(COUNTRIES as readonly string[]).includes(clean.country)) delete clean.country;
  if (clean.sectors) clean.sectors = clean.sectors.filter(isSector).slice(0, 3);
  if (clean.trl !== undefined && !(Number.isInteger(clean.trl) && clean.trl >= 1 && clean.trl <= 9)) delete clean.trl;
  if (clean.partnership) clean.partnership = clean.partnership.filter((p) => (PARTNERSHIP_TYPES as readonly string[]).includes(p));
  if (clean.ipStatus && !(IP_STATUSES as readonly string[]).includes(clean.ipStatus)) delete clean.ipStatus;
  return clean;
}

/** "offer"/"need" without a description: ask for one. */
export function askDescription(turn: Turn, kind: ListingKind): void {
  turn.state.awaiting = { type: 'describe', kind };
  turn.say(kind === 'need' ? 'draft.ask_need' : 'draft.ask_offer');
}

/** Drafts a listing from a free-text description, then asks only for what is missing. */
export async function startDraft(turn: Turn, kind: ListingKind, text: string): Promise<void> {
  const extracted = cleanFields(await turn.deps.understander.extractFields(text, kind, turn.language));
  const summary = text.trim();
  turn.state.draft = {
    fields: {
      ...extracted,
      kind,
      summary,
      title: extracted.title?.trim() ? shorten(extracted.title, TITLE_MAX) : firstClause(summary),
    },
    skipped: [],
  };
  turn.state.search = undefined;
  await continueDraft(turn, true);
}

/** Asks the next missing field, or shows the preview when nothing is missing. */
export async function continueDraft(turn: Turn, justStarted = false): Promise<void> {
  const draft = turn.state.draft;
  if (!draft) {
    turn.say('draft.none');
    return;
  }
  if (justStarted) turn.say('draft.understood', { kind: turn.t(`kind.${draft.fields.kind}`) });
  const next = questionOrder(draft.fields.kind).find((field) => isMissing(draft.fields, field) && !draft.skipped.includes(field));
  if (next) {
    askField(turn, next);
    return;
  }
  showPreview(turn);
}

export function askField(turn: Turn, field: DraftField): void {
  turn.state.awaiting = { type: 'field', field };
  const skip = REQUIRED.includes(field) ? [] : [turn.button('button.skip', 'skip')];
  switch (field) {
    case 'country':
      turn.choice('draft.ask_country', [
        ...COUNTRY_CHOICES.map((code) => ({ label: countryName(code, turn.language), action: `set:country:${code}` })),
      ]);
      return;
    case 'sectors':
      turn.choice('draft.ask_sectors', SECTORS.map((sector) => ({ label: turn.t(`sector.${sector}`), action: `set:sectors:${sector}` })));
      return;
    case 'trl':
      turn.choice('draft.ask_trl', [...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ label: String(n), action: `set:trl:${n}` })), ...skip]);
      return;
    case 'partnership':
      turn.choice('draft.ask_partnership', [
        ...PARTNERSHIP_TYPES.map((type) => ({ label: turn.t(`partnership.${type}`), action: `set:partnership:${type}` })),
        ...skip,
      ]);
      return;
    case 'ipStatus':
      turn.choice('draft.ask_ip', IP_STATUSES.map((status) => ({ label: turn.t(`ip.${status}`), action: `set:ipStatus:${status}` })));
      return;
    case 'title':
      turn.say('draft.ask_title');
      return;
    case 'summary':
      turn.say('draft.ask_summary');
      return;
  }
}

/** Matches a typed answer against the labels of a set of values in the user's language (and English). */
function byLabel<T extends string>(turn: Turn, text: string, values: readonly T[], prefix: string): T[] {
  const lowered = text.toLowerCase();
  return values.filter((value) => {
    const label = turn.t(`${prefix}.${value}`).toLowerCase();
    return label.length > 1 && (lowered.includes(label) || lowered === value.replace(/_/g, ' '));
  });
}

/** Reads a typed answer to the field being asked; false when it could not be understood. */
export async function answerField(turn: Turn, field: DraftField, text: string): Promise<boolean> {
  const draft = turn.state.draft;
  if (!draft) return false;
  const value = text.trim();
  const extracted = () => turn.deps.understander.extractFields(value, draft.fields.kind, turn.language).then(cleanFields);
  switch (field) {
    case 'title':
      if (value.length < 3) return false;
      draft.fields.title = shorten(value, 300);
      return true;
    case 'summary':
      if (value.length < 10) return false;
      draft.fields.summary = value;
      return true;
    case 'country': {
      const code = value.toUpperCase();
      if (/^[A-Z]{2}$/.test(code) && (COUNTRIES as readonly string[]).includes(code)) {
        draft.fields.country = code;
        return true;
      }
      const understood = await turn.deps.understander.understand(value, { language: turn.language, hasResults: false, awaiting: 'field' });
      const fromRefinement = understood.intent.kind === 'refine' ? understood.intent.refinement.countries?.[0] : undefined;
      const country = fromRefinement ?? (await extracted()).country;
      if (!country) return false;
      draft.fields.country = country;
      return true;
    }
    case 'sectors': {
      const named = byLabel(turn, value, SECTORS, 'sector');
      const sectors: Sector[] = named.length > 0 ? named : ((await extracted()).sectors ?? []);
      if (sectors.length === 0) return false;
      draft.fields.sectors = sectors.slice(0, 3);
      return true;
    }
    case 'trl': {
      const digit = value.match(/(?<![\d.])([1-9])(?![\d.])/);
      const trl = digit ? Number(digit[1]) : (await extracted()).trl;
      if (!trl) return false;
      draft.fields.trl = trl;
      return true;
    }
    case 'partnership': {
      const named = byLabel(turn, value, PARTNERSHIP_TYPES, 'partnership');
      const types = named.length > 0 ? named : ((await extracted()).partnership ?? []);
      if (types.length === 0) return false;
      draft.fields.partnership = types;
      return true;
    }
    case 'ipStatus': {
      const named = byLabel(turn, value, IP_STATUSES, 'ip');
      const status = named[0] ?? (await extracted()).ipStatus;
      if (!status) return false;
      draft.fields.ipStatus = status;
      return true;
    }
  }
}

/** A button answer `set:<field>:<value>`; false when the value is not one we offer. */
export function setFieldFromButton(turn: Turn, field: string, value: string): boolean {
  const draft = turn.state.draft;
  if (!draft) return false;
  switch (field) {
    case 'country':
      if (!(COUNTRIES as readonly string[]).includes(value)) return false;
      draft.fields.country = value;
      return true;
    case 'sectors':
      if (!isSector(value)) return false;
      draft.fields.sectors = [value];
      return true;
    case 'trl': {
      const trl = Number(value);
      if (!Number.isInteger(trl) || trl < 1 || trl > 9) return false;
      draft.fields.trl = trl;
      return true;
    }
    case 'partnership':
      if (!(PARTNERSHIP_TYPES as readonly string[]).includes(value)) return false;
      draft.fields.partnership = [value as (typeof PARTNERSHIP_TYPES)[number]];
      return true;
    case 'ipStatus':
      if (!(IP_STATUSES as readonly string[]).includes(value)) return false;
      draft.fields.ipStatus = value as (typeof IP_STATUSES)[number];
      return true;
    default:
      return false;
  }
}

export function skipField(turn: Turn): void {
  const draft = turn.state.draft;
  const awaiting = turn.state.awaiting;
  if (draft && awaiting?.type === 'field' && !REQUIRED.includes(awaiting.field) && !draft.skipped.includes(awaiting.field)) {
    draft.skipped.push(awaiting.field);
  }
}

export function showPreview(turn: Turn): void {
  const draft = turn.state.draft;
  if (!draft) {
    turn.say('draft.none');
    return;
  }
  const f = draft.fields;
  turn.state.awaiting = { type: 'confirm_draft' };
  const unknown = turn.t('details.unknown');
  const lines = [
    turn.t('draft.preview_header', { kind: turn.t(`kind.${f.kind}`) }),
    `*${turn.t('field.title')}:* ${f.title ?? unknown}`,
    `*${turn.t('field.summary')}:* ${shorten(f.summary ?? '', 600)}`,
    `*${turn.t('field.country')}:* ${f.country ? countryName(f.country, turn.language) : unknown}`,
    `*${turn.t('field.sectors')}:* ${f.sectors?.length ? sectorLabels(f.sectors, turn.t).join(', ') : unknown}`,
    ...(f.kind === 'need' ? [] : [`*${turn.t('field.trl')}:* ${f.trl ?? unknown}`]),
    `*${turn.t('field.partnership')}:* ${f.partnership?.length ? f.partnership.map((p) => turn.t(`partnership.${p}`)).join(', ') : unknown}`,
    `*${turn.t('field.ipStatus')}:* ${turn.t(`ip.${f.ipStatus ?? 'unknown'}`)}`,
    `*${turn.t('field.confidential')}:* ${f.confidential ? turn.t('draft.confidential_given') : turn.t('draft.confidential_none')}`,
  ];
  turn.buttons('draft.preview', [
    turn.button('button.submit', 'submit'),
    turn.button('button.edit', 'edit'),
    turn.button('button.confidential', 'conf'),
    turn.button('button.cancel', 'cancel'),
  ], { details: lines.join('\n') });
}

export function chooseFieldToEdit(turn: Turn): void {
  const draft = turn.state.draft;
  if (!draft) {
    turn.say('draft.none');
    return;
  }
  const fields: DraftField[] = ['title', 'summary', 'country', 'sectors', ...(draft.fields.kind === 'need' ? [] : (['trl'] as DraftField[])), 'partnership', 'ipStatus'];
  turn.state.awaiting = { type: 'confirm_draft' };
  turn.choice('draft.which_field', fields.map((field) => ({ label: turn.t(`field.${field}`), action: `ef:${field}` })));
}

export function askConfidential(turn: Turn): void {
  turn.state.awaiting = { type: 'confidential' };
  turn.say('draft.ask_confidential');
}

export function setConfidential(turn: Turn, text: string): void {
  if (turn.state.draft) turn.state.draft.fields.confidential = text.trim().slice(0, 20_000);
  showPreview(turn);
}

export function cancelDraft(turn: Turn): void {
  turn.state.draft = undefined;
  turn.state.awaiting = undefined;
  turn.say('draft.cancelled');
}

/** Stores the draft as `pending` (for moderation), then shows what already matches it. */
export async function submitDraft(turn: Turn): Promise<void> {
  const draft = turn.state.draft;
  if (!draft) {
    turn.say('draft.none');
    return;
  }
  const missing = REQUIRED.find((field) => isMissing(draft.fields, field));
  if (missing) {
    askField(turn, missing);
    return;
  }
  const f = draft.fields;
  const externalId = draft.externalId ?? `${turn.user.channel}-${randomUUID()}`;
  let saved;
  try {
    saved = await saveListing(turn.deps, {
      external_id: externalId,
      source: CHAT_SOURCE,
      kind: f.kind,
      title: f.title,
      summary: f.summary,
      confidential: f.confidential,
      language: turn.language,
      country: f.country,
      sectors: f.sectors,
      trl: f.kind === 'need' ? undefined : f.trl,
      ip_status: f.ipStatus ?? 'unknown',
      partnership: f.partnership ?? [],
      organisation: f.organisation,
      owner_ref: turn.ownerRef,
      status: 'pending',
    });
  } catch (error) {
    if (error instanceof ListingValidationError) {
      const problem = error.problems[0]!;
      const field = (
        { title: 'title', summary: 'summary', country: 'country', sectors: 'sectors', trl: 'trl' } as Record<string, DraftField>
      )[problem.field.split('.')[0]!];
      turn.say('draft.invalid', { field: turn.t(`field.${field ?? 'summary'}`), reason: problem.message });
      if (field) askField(turn, field);
      return;
    }
    throw error;
  }
  turn.state.draft = undefined;
  turn.state.awaiting = undefined;
  turn.say(draft.listingId ? 'draft.updated' : 'draft.submitted', { title: f.title ?? '', reference: externalId });
  const kinds: ListingKind[] = f.kind === 'need' ? ['offer', 'expertise'] : ['need', 'offer', 'expertise'];
  const response = await turn.deps.matcher.matchListing(saved.id, { kinds, limit: turn.pageSize });
  if (response.results.length === 0) {
    turn.say('draft.no_matches_yet');
    return;
  }
  turn.say(f.kind === 'need' ? 'draft.matches_for_need' : 'draft.matches_for_offer');
  turn.replies.push({ type: 'cards', cards: await resultCards(turn, response.results, undefined) });
}

/** Loads one of the user's stored listings into a draft for editing. */
export async function editOwnListing(turn: Turn, listingId: number): Promise<void> {
  const listing = await turn.deps.store.ownedListing(listingId, turn.ownerRef);
  if (!listing || listing.status === 'archived') {
    turn.say('listing.not_yours');
    return;
  }
  const confidential = await turn.deps.store.confidentialDetails(listingId);
  turn.state.draft = {
    fields: {
      kind: listing.kind,
      title: listing.title,
      summary: listing.summary,
      country: listing.country,
      sectors: listing.sectors.filter(isSector),
      trl: listing.trl ?? undefined,
      ipStatus: listing.ipStatus,
      partnership: listing.partnership,
      organisation: listing.organisation ?? undefined,
      confidential,
    },
    skipped: ['trl', 'partnership'],
    listingId,
    externalId: listing.externalId,
  };
  turn.say('draft.editing', { title: listing.title });
  showPreview(turn);
}
