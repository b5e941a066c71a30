import { ASEAN_COUNTRIES } from '../domain/countries.js';
import type { Language } from '../domain/languages.js';
import type { Translate } from './i18n.js';

/** ICU locale for Intl APIs (Filipino is `fil`, the others are their own codes). */
export function intlLocale(language: Language): string {
  return language;
}

const regionNames = new Map<Language, Intl.DisplayNames>();

/** A country's name in the user's language, from ICU (Node ships full ICU). */
export function countryName(code: string, language: Language): string {
  let names = regionNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([intlLocale(language), 'en'], { type: 'region', fallback: 'code' });
    regionNames.set(language, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Countries offered as buttons when a listing's country is asked: ASEAN plus China. */
export const COUNTRY_CHOICES: readonly string[] = [...ASEAN_COUNTRIES, 'CN'];

export function sectorLabels(sectors: readonly string[], t: Translate): string[] {
  return sectors.map((sector) => t(`sector.${sector}`));
}

/** Cuts text at a word boundary near `max` characters and marks the cut. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Maps a platform locale ("th-TH", "zh_CN", "tl", "in") to one of our languages. */
export function languageFromLocale(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  const base = locale.toLowerCase().replace('_', '-').split('-')[0]!;
  const aliases: Record<string, Language> = {
    en: 'en', id: 'id', in: 'id', ms: 'ms', th: 'th', vi: 'vi', fil: 'fil', tl: 'fil', km: 'km', lo: 'lo', my: 'my', zh: 'zh',
  };
  return aliases[base];
}
