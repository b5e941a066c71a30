import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Language } from '../domain/languages.js';

/** Languages statistics answer in; other languages get English answers. */
export const STATS_LANGUAGES = ['en', 'id', 'ms', 'th', 'vi'] as const;
export type StatsLanguage = (typeof STATS_LANGUAGES)[number];

export function statsLanguage(language: Language | string | undefined): StatsLanguage {
  return (STATS_LANGUAGES as readonly string[]).includes(language ?? '') ? (language as StatsLanguage) : 'en';
}

/** Where the texts live: `prompts/stats/<language>.json` (written for the project). */
export const STATS_MESSAGES_DIR = fileURLToPath(new URL('../../prompts/stats/', import.meta.url));

const CatalogSchema = z.record(z.string(), z.union([z.string(), z.array(z.string().min(1)).min(1)]));

export class StatsTexts {
  constructor(
    readonly language: StatsLanguage,
    private readonly catalog: Record<string, string | string[]>,
  ) {}

  /** One text with `{{placeholders}}` filled; throws on an unknown key (a bug, caught by the tests). */
  t(key: string, values: Record<string, string | number> = {}): string {
    const text = this.catalog[key];
    if (typeof text !== 'string') throw new Error(`prompts/stats/${this.language}.json has no text "${key}"`);
    return text.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`prompts/stats/${this.language}.json "${key}": no value for {{${name}}}`);
      return String(value);
    });
  }

  list(key: string): string[] {
    const list = this.catalog[key];
    if (!Array.isArray(list)) throw new Error(`prompts/stats/${this.language}.json has no list "${key}"`);
    return [...list];
  }

  keys(): string[] {
    return Object.keys(this.catalog);
  }
}

export function loadStatsTexts(language: StatsLanguage, dir = STATS_MESSAGES_DIR): StatsTexts {
  const raw = JSON.parse(readFileSync(`${dir}${language}.json`, 'utf8')) as Record<string, unknown>;
  const entries = Object.fromEntries(Object.entries(raw).filter(([key]) => !key.startsWith('_')));
  const parsed = CatalogSchema.safeParse(entries);
  if (!parsed.success) throw new Error(`prompts/stats/${language}.json is invalid: ${parsed.error.issues[0]?.message}`);
  return new StatsTexts(language, parsed.data);
}

const cache = new Map<StatsLanguage, StatsTexts>();

/** The texts for a language (any of the ten; unsupported ones answer in English). */
export function statsTexts(language: Language | string | undefined): StatsTexts {
  const lang = statsLanguage(language);
  let texts = cache.get(lang);
  if (!texts) {
    texts = loadStatsTexts(lang);
    cache.set(lang, texts);
  }
  return texts;
}
