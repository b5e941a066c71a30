import type { ListingKind } from '../../domain/listing.js';
import { MatchError, type MatchOptions, type MatchResponse } from '../../retrieval/match.js';
import { recordMatchEvent } from '../../stats/events.js';
import type { Refinement } from '../../understanding/types.js';
import { listingCard, resultCards, translatedSummary } from '../cards.js';
import { countryName, sectorLabels } from '../labels.js';
import type { SearchState } from '../state.js';
import type { Turn } from '../turn.js';

/** A founder looks for offers and expertise unless they narrow it to other kinds. */
const DEFAULT_KINDS: ListingKind[] = ['offer', 'expertise'];

type Filters = SearchState['filters'];

export function mergeFilters(current: Filters, refinement: Refinement): Filters {
  if (refinement.clear) {
    const named = refinement.countries || refinement.minTrl || refinement.kinds || refinement.sectors;
    if (!named) return {};
    const next: Filters = { ...current };
    if (refinement.countries) delete next.countries;
    if (refinement.minTrl) delete next.minTrl;
    if (refinement.kinds) delete next.kinds;
    if (refinement.sectors) delete next.sectors;
    return next;
  }
  return {
    ...current,
    ...(refinement.countries?.length ? { countries: refinement.countries } : {}),
    ...(refinement.minTrl ? { minTrl: refinement.minTrl } : {}),
    ...(refinement.kinds?.length ? { kinds: refinement.kinds } : {}),
    ...(refinement.sectors?.length ? { sectors: refinement.sectors } : {}),
  };
}

export function hasFilters(filters: Filters): boolean {
  return Boolean(filters.countries?.length || filters.minTrl || filters.kinds?.length || filters.sectors?.length);
}

/** "Vietnam · TRL ≥ 6 · ICT" in the user's language. */
export function describeFilters(turn: Turn, filters: Filters): string {
  const parts: string[] = [];
  if (filters.countries?.length) parts.push(filters.countries.map((code) => countryName(code, turn.language)).join(', '));
  if (filters.minTrl) parts.push(turn.t('filter.min_trl', { trl: filters.minTrl }));
  if (filters.kinds?.length) parts.push(filters.kinds.map((kind) => turn.t(`kind.${kind}`)).join(', '));
  if (filters.sectors?.length) parts.push(sectorLabels(filters.sectors, turn.t).join(', '));
  return parts.join(' · ');
}

/** Starts a new search for a need, with the filters found in the same message. */
export async function startSearch(turn: Turn, query: string, refinement: Refinement = {}): Promise<void> {
  const search: SearchState = {
    query,
    language: turn.language,
    filters: mergeFilters({}, refinement),
    offset: 0,
    excludeIds: [],
  };
  await showResults(turn, search, { fresh: true });
}

/** Applies a plain-words refinement to the last search and shows its first page again. */
export async function refineSearch(turn: Turn, refinement: Refinement): Promise<void> {
  const current = turn.state.search;
  if (!current) {
    turn.say('find.nothing_to_refine');
    return;
  }
  await showResults(turn, { ...current, filters: mergeFilters(current.filters, refinement), offset: 0 }, { fresh: false });
}

export async function nextPage(turn: Turn): Promise<void> {
  const current = turn.state.search;
  if (!current) {
    turn.say('find.nothing_to_page');
    return;
  }
  await showResults(turn, { ...current, offset: current.offset + turn.pageSize }, { fresh: false });
}

export async function moreLikeThis(turn: Turn, listingId: number): Promise<void> {
  const listing = (await turn.deps.store.listingsByIds([listingId])).get(listingId);
  if (!listing || listing.status !== 'published') {
    turn.say('listing.not_available');
    return;
  }
  await showResults(
    turn,
    { query: listing.title, language: turn.language, filters: turn.state.search?.filters ?? {}, offset: 0, excludeIds: [], similarTo: listingId },
    { fresh: false },
  );
}

async function runMatch(turn: Turn, search: SearchState): Promise<MatchResponse> {
  const options: MatchOptions = {
    kinds: search.filters.kinds?.length ? search.filters.kinds : DEFAULT_KINDS,
    countries: search.filters.countries,
    sectors: search.filters.sectors,
    minTrl: search.filters.minTrl,
    limit: turn.pageSize,
    offset: search.offset,
    excludeIds: search.excludeIds,
  };
  if (search.similarTo !== undefined) {
    const { language: _ignored, ...rest } = options;
    return turn.deps.matcher.matchListing(search.similarTo, { ...rest, kinds: options.kinds });
  }
  return turn.deps.matcher.match(search.query, { ...options, language: search.language });
}

async function showResults(turn: Turn, search: SearchState, { fresh }: { fresh: boolean }): Promise<void> {
  let response: MatchResponse;
  try {
    response = await runMatch(turn, search);
  } catch (error) {
    if (error instanceof MatchError) {
      turn.say('find.cannot_search');
      return;
    }
    throw error;
  }
  turn.state.search = search;
  turn.state.awaiting = undefined;
  if (fresh) {
    const top = response.results[0];
    await turn.deps.states.logSearch({
      userId: turn.user.id,
      channel: turn.user.channel,
      language: turn.language,
      query: search.query,
      filters: search.filters,
      concepts: response.queryConcepts.map((concept) => concept.id),
      sectors: [...new Set(response.results.flatMap((result) => result.listing.sectors))].slice(0, 12),
      resultCount: response.results.length,
      topScore: top ? top.score : null,
    });
  }
  const filters = describeFilters(turn, search.filters);
  if (response.results.length === 0) {
    if (search.offset > 0) {
      turn.say('find.no_more');
      return;
    }
    if (hasFilters(search.filters)) {
      turn.buttons('find.none_with_filters', [turn.button('button.clear_filters', 'clear')], { filters });
    } else {
      turn.say('find.none');
    }
    return;
  }
  const first = search.offset + 1;
  const last = search.offset + response.results.length;
  const header =
    search.similarTo !== undefined
      ? turn.t('find.similar_header', { title: search.query, first, last })
      : turn.t('find.header', { query: search.query, first, last });
  turn.text(filters ? `${header}\n${turn.t('find.filters', { filters })}` : header);
  turn.replies.push({ type: 'cards', cards: await resultCards(turn, response.results, search.similarTo === undefined ? search.query : undefined) });
  await recordMatchEvent(turn.deps.store.db, { event: 'shown', channel: turn.user.channel, language: turn.language, listings: response.results.map((r) => r.listing) }, turn.deps.logger);
  const after = [];
  if (response.hasMore) after.push(turn.button('button.more', 'more'));
  if (hasFilters(search.filters)) after.push(turn.button('button.clear_filters', 'clear'));
  if (search.offset === 0 && search.similarTo === undefined) after.push(turn.button('button.alert_me', 'alert'));
  turn.buttons(response.hasMore ? 'find.more_hint' : 'find.refine_hint', after);
}

/** Full details of a published listing (never its confidential part). */
export async function showDetails(turn: Turn, listingId: number): Promise<void> {
  const listing = (await turn.deps.store.listingsByIds([listingId])).get(listingId);
  const own = listing ? await turn.deps.store.ownedListing(listingId, turn.ownerRef) : undefined;
  if (!listing || (listing.status !== 'published' && !own)) {
    turn.say('listing.not_available');
    return;
  }
  const card = listingCard(turn, listing, [
    turn.button('button.more_like', `like:${listingId}`),
    turn.button('button.introduce', `intro:${listingId}`),
  ]);
  card.summary = listing.summary.length > 3000 ? `${listing.summary.slice(0, 3000)}…` : listing.summary;
  turn.replies.push({ type: 'cards', cards: [card] });
  const lines = [
    turn.t('details.kind', { kind: turn.t(`kind.${listing.kind}`) }),
    listing.organisation ? turn.t('details.organisation', { organisation: listing.organisation }) : undefined,
    turn.t('details.trl', { trl: listing.trl ?? turn.t('details.unknown') }),
    turn.t('details.ip', { ip: turn.t(`ip.${listing.ipStatus}`) }),
    listing.partnership.length
      ? turn.t('details.partnership', { list: listing.partnership.map((p) => turn.t(`partnership.${p}`)).join(', ') })
      : undefined,
    listing.url ? turn.t('details.url', { url: listing.url }) : undefined,
    turn.t('details.reference', { source: listing.source, id: listing.externalId }),
  ].filter((line): line is string => line !== undefined);
  turn.text(lines.join('\n'));
  const translated = await translatedSummary(turn, listing);
  if (translated) turn.text(turn.t('card.machine_translated', { text: translated }));
}

export async function notRelevant(turn: Turn, listingId: number): Promise<void> {
  const query = turn.state.search?.query ?? '';
  await turn.deps.states.recordFeedback(turn.user.id, listingId, query, null);
  if (turn.state.search && !turn.state.search.excludeIds.includes(listingId)) turn.state.search.excludeIds.push(listingId);
  turn.state.awaiting = { type: 'feedback_reason', listingId };
  turn.choice('feedback.ask_reason', [
    turn.button('feedback.too_early', 'why:too_early'),
    turn.button('feedback.wrong_sector', 'why:wrong_sector'),
    turn.button('feedback.wrong_country', 'why:wrong_country'),
    turn.button('feedback.other', 'why:other'),
  ]);
}

export async function feedbackReason(turn: Turn, reason: string): Promise<void> {
  const awaiting = turn.state.awaiting;
  if (awaiting?.type !== 'feedback_reason') {
    turn.say('feedback.thanks');
    return;
  }
  const allowed = ['too_early', 'wrong_sector', 'wrong_country', 'other'];
  await turn.deps.states.setFeedbackReason(turn.user.id, awaiting.listingId, allowed.includes(reason) ? reason : 'other');
  turn.state.awaiting = undefined;
  turn.say('feedback.thanks');
}

