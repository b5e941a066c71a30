import { isLanguage } from '../domain/languages.js';
import type { PublicListing } from '../domain/listing.js';
import type { MatchResult } from '../retrieval/match.js';
import { contentWords } from '../understanding/content-words.js';
import { countryName, sectorLabels, shorten } from './labels.js';
import type { Turn } from './turn.js';
import type { Button, ListingCard } from './types.js';

const SUMMARY_CHARS = 280;

export function listingCard(turn: Pick<Turn, 'language' | 't'>, listing: PublicListing, buttons: Button[]): ListingCard {
  return {
    listingId: listing.id,
    kind: listing.kind,
    title: listing.title,
    summary: shorten(listing.summary, SUMMARY_CHARS),
    country: countryName(listing.country, turn.language),
    sectors: sectorLabels(listing.sectors, turn.t),
    trl: listing.trl,
    buttons,
  };
}

/** One line saying why a result matched: shared concepts (in the user's language), words, sector, country. */
export function whyLine(turn: Turn, result: MatchResult): string | undefined {
  const parts: string[] = [];
  const concepts = result.reasons.sharedConcepts.slice(0, 4).map((concept) => concept.label);
  const seen = new Set(concepts.map((label) => label.toLowerCase()));
  const languages = [turn.language, ...(isLanguage(result.listing.language) ? [result.listing.language] : [])];
  // Function words ("for", "ដោយ", "สำหรับ") say nothing about why a listing fits.
  const informative = (term: string) => languages.every((language) => contentWords(term, language).length > 0);
  const words = result.reasons.sharedTerms.filter((term) => !seen.has(term.toLowerCase()) && informative(term)).slice(0, 4);
  if (concepts.length > 0) parts.push(turn.t('why.concepts', { list: concepts.join(', ') }));
  if (words.length > 0) parts.push(turn.t('why.words', { list: words.join(', ') }));
  if (result.reasons.sectorFit.length > 0) parts.push(turn.t('why.sector', { list: sectorLabels(result.reasons.sectorFit, turn.t).join(', ') }));
  if (result.reasons.countryFit) parts.push(turn.t('why.country', { country: countryName(result.listing.country, turn.language) }));
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

export function resultButtons(turn: Turn, listingId: number): Button[] {
  return [
    turn.button('button.details', `det:${listingId}`),
    turn.button('button.more_like', `like:${listingId}`),
    turn.button('button.not_relevant', `nr:${listingId}`),
    turn.button('button.introduce', `intro:${listingId}`),
  ];
}

/**
 * Cards for search results. With an LLM writer, the first three get a written explanation and a
 * machine-translated summary when the listing is in another language (labelled as such); any failure just
 * leaves the rule-based line.
 */
export async function resultCards(turn: Turn, results: MatchResult[], need: string | undefined): Promise<ListingCard[]> {
  const writer = turn.deps.writer;
  return Promise.all(
    results.map(async (result, index) => {
      const card = listingCard(turn, result.listing, resultButtons(turn, result.listing.id));
      card.score = Math.round(result.score * 100) / 100;
      card.why = whyLine(turn, result);
      if (writer && index < 3) {
        const [explanation, translated] = await Promise.all([
          need ? writer.explainMatch({ need, listing: result.listing, language: turn.language }).catch(() => undefined) : undefined,
          translatedSummary(turn, result.listing),
        ]);
        if (explanation) card.why = explanation;
        if (translated) card.summary = `${card.summary}\n${turn.t('card.machine_translated', { text: shorten(translated, SUMMARY_CHARS) })}`;
      }
      return card;
    }),
  );
}

export async function translatedSummary(turn: Turn, listing: PublicListing): Promise<string | undefined> {
  const writer = turn.deps.writer;
  if (!writer || listing.language === turn.language || !isLanguage(listing.language)) return undefined;
  return writer.translateSummary({ text: listing.summary, from: listing.language, to: turn.language }).catch(() => undefined);
}
