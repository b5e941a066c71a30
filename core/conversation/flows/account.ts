import { LANGUAGES, LANGUAGE_NAMES, isLanguage, type Language } from '../../domain/languages.js';
import { listingCard } from '../cards.js';
import { translator } from '../i18n.js';
import type { Turn } from '../turn.js';

export function showHelp(turn: Turn): void {
  turn.buttons('help.text', [
    turn.button('button.find', 'cmd:find'),
    turn.button('button.offer', 'cmd:offer'),
    turn.button('button.need', 'cmd:need'),
    turn.button('button.my', 'cmd:my'),
    turn.button('button.language', 'cmd:language'),
  ]);
}

export function showPrivacy(turn: Turn): void {
  turn.say('privacy.text');
}

export function chooseLanguage(turn: Turn): void {
  turn.state.awaiting = { type: 'language' };
  turn.choice(
    'language.choose',
    LANGUAGES.map((language) => ({ label: LANGUAGE_NAMES[language].native, action: `lang:${language}` })),
  );
}

/** Reads a language from a code or a name in any of our languages ("th", "Thai", "ไทย", "bahasa"). */
export function parseLanguage(text: string): Language | undefined {
  const value = text.trim().toLowerCase();
  if (isLanguage(value)) return value;
  for (const language of LANGUAGES) {
    const names = LANGUAGE_NAMES[language];
    if (value === names.english.toLowerCase() || value === names.native.toLowerCase()) return language;
    if (value.includes(names.native.toLowerCase()) && names.native.length > 2) return language;
    for (const other of LANGUAGES) {
      const local = new Intl.DisplayNames([other], { type: 'language' }).of(language)?.toLowerCase();
      if (local && local.length > 1 && value === local) return language;
    }
  }
  return undefined;
}

export async function setLanguage(turn: Turn, language: Language): Promise<void> {
  await turn.deps.states.setLanguage(turn.user.id, language, true);
  turn.user.language = language;
  turn.user.languageLocked = true;
  turn.language = language;
  turn.t = translator(language);
  turn.state.awaiting = undefined;
  turn.say('language.set', { language: LANGUAGE_NAMES[language].native });
}

export async function showMyListings(turn: Turn): Promise<void> {
  turn.state.awaiting = undefined;
  const listings = await turn.deps.store.listingsByOwner(turn.ownerRef);
  if (listings.length === 0) {
    turn.buttons('my.none', [turn.button('button.offer', 'cmd:offer'), turn.button('button.need', 'cmd:need')]);
    return;
  }
  turn.say('my.header', { count: listings.length });
  turn.replies.push({
    type: 'cards',
    cards: listings.slice(0, 20).map((listing) => {
      const active = listing.status !== 'archived';
      const card = listingCard(
        turn,
        listing,
        active ? [turn.button('button.edit', `med:${listing.id}`), turn.button('button.withdraw', `mwd:${listing.id}`)] : [],
      );
      card.status =
        listing.status === 'rejected' && listing.statusReason
          ? turn.t('my.rejected_with_reason', { reason: listing.statusReason })
          : turn.t(`status.${listing.status}`);
      return card;
    }),
  });
}

export async function withdrawListing(turn: Turn, listingId: number): Promise<void> {
  const listing = await turn.deps.store.ownedListing(listingId, turn.ownerRef);
  if (!listing) {
    turn.say('listing.not_yours');
    return;
  }
  await turn.deps.store.setOwnedStatus(listingId, turn.ownerRef, 'archived', 'withdrawn by owner');
  turn.say('my.withdrawn', { title: listing.title });
}

export function askForget(turn: Turn): void {
  turn.state.awaiting = { type: 'forget_confirm' };
  turn.buttons('forget.confirm', [turn.button('forget.yes', 'forget:yes'), turn.button('forget.no', 'forget:no')]);
}

/** Deletes the user's data; the conversation state goes with it, so nothing is saved afterwards. */
export async function forgetUser(turn: Turn): Promise<void> {
  const report = await turn.deps.states.forget(turn.user.id, turn.ownerRef);
  turn.state = {};
  turn.forgotten = true;
  turn.say('forget.done', {
    listings: report.listings,
    feedback: report.feedback,
    introductions: report.introductionRequests,
    searches: report.searches,
  });
}
