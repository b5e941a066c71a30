import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n } from 'i18next';
import { LANGUAGES, type Language } from '../domain/languages.js';

/** Message catalogs: one JSON file per language in prompts/messages, i18next format with {{placeholders}}. */
export const MESSAGES_DIR = fileURLToPath(new URL('../../prompts/messages/', import.meta.url));

export type Catalog = Record<string, string>;

export function readCatalog(language: Language, dir = MESSAGES_DIR): Catalog {
  const raw = JSON.parse(readFileSync(`${dir}${language}.json`, 'utf8')) as Record<string, unknown>;
  const catalog: Catalog = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('_')) continue; // _comment and similar metadata
    if (typeof value !== 'string') throw new Error(`prompts/messages/${language}.json: "${key}" must be a string`);
    catalog[key] = value;
  }
  return catalog;
}

/** The placeholders a message uses, e.g. ["count", "query"]. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!).sort();
}

let shared: i18n | undefined;

function instance(): i18n {
  if (shared) return shared;
  const created = i18next.createInstance();
  void created.init({
    initAsync: false,
    resources: Object.fromEntries(LANGUAGES.map((language) => [language, { translation: readCatalog(language) }])),
    lng: 'en',
    fallbackLng: 'en',
    // Chat text is not HTML: adapters escape for their own markup.
    interpolation: { escapeValue: false },
    returnNull: false,
    keySeparator: false,
    nsSeparator: false,
  });
  shared = created;
  return created;
}

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** A translate function bound to one language (missing keys fall back to English). */
export function translator(language: Language): Translate {
  const fixed = instance().getFixedT(language);
  return (key, values) => fixed(key, values ?? {});
}
