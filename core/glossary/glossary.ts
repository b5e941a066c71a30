import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../domain/languages.js';
import { SECTORS, type Sector } from '../domain/sectors.js';
import { matchForm } from '../text/normalize.js';
import { AhoCorasick } from './aho-corasick.js';

const LabelsSchema = z.object(
  Object.fromEntries(LANGUAGES.map((language) => [language, z.array(z.string().trim().min(1)).min(1)])) as Record<
    Language,
    z.ZodArray<z.ZodString>
  >,
);

const ConceptSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'concept ids are lowercase kebab-case'),
  sectors: z.array(z.enum(SECTORS)),
  labels: LabelsSchema,
});

const GlossaryFileSchema = z.object({ about: z.string(), concepts: z.array(ConceptSchema) });

export interface Concept {
  id: string;
  sectors: Sector[];
  labels: Record<Language, string[]>;
}

export interface ConceptMatch {
  conceptId: string;
  /** The label as written in the glossary. */
  label: string;
  labelLanguage: Language;
}

interface LabelEntry {
  conceptId: string;
  label: string;
  language: Language;
  /** Latin-script (spaced) labels must match whole words; others match as substrings. */
  wordBounded: boolean;
}

export const DEFAULT_GLOSSARY_DIR = fileURLToPath(new URL('./data/', import.meta.url));

const LATIN_WORD_CHAR = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}0-9]/u;
const SPACED_SCRIPT = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}0-9]/u;
const SEPARATORS = /[\s\-_/·.,;:()[\]"'“”‘’!?]+/gu;

/** Text form used for label matching on both sides: matchForm plus one space for any separator run. */
export function glossaryForm(text: string): string {
  return ` ${matchForm(text).replace(SEPARATORS, ' ').trim()} `;
}

/** Which label languages apply to text in a language: its own, English, and the Malay/Indonesian sibling. */
function labelLanguagesFor(language: Language | undefined): Set<Language> {
  if (!language) return new Set(LANGUAGES);
  const set = new Set<Language>([language, 'en']);
  if (language === 'id') set.add('ms');
  if (language === 'ms') set.add('id');
  if (language === 'fil') set.add('en');
  return set;
}

/**
 * Concepts written in different glossary parts under different ids but with an identical English label
 * ("drone" in robotics and in aerospace) are one concept: merged into the first id, labels united, so a
 * listing and a query do not score the same idea twice.
 */
function mergeSynonyms(concepts: Map<string, Concept>): Map<string, Concept> {
  const owner = new Map<string, string>();
  const mergedInto = new Map<string, string>();
  const canonical = (id: string): string => {
    let current = id;
    while (mergedInto.has(current)) current = mergedInto.get(current)!;
    return current;
  };
  for (const concept of concepts.values()) {
    for (const label of concept.labels.en) {
      const key = glossaryForm(label).trim();
      const existing = owner.get(key);
      if (existing === undefined) {
        owner.set(key, concept.id);
        continue;
      }
      const target = canonical(existing);
      const source = canonical(concept.id);
      if (target !== source) mergedInto.set(source, target);
    }
  }
  const result = new Map<string, Concept>();
  for (const concept of concepts.values()) {
    const id = canonical(concept.id);
    const target = result.get(id);
    if (!target) {
      result.set(id, { ...concept, id, labels: { ...concept.labels } });
      continue;
    }
    target.sectors = [...new Set([...target.sectors, ...concept.sectors])];
    for (const language of LANGUAGES) {
      target.labels[language] = [...new Set([...target.labels[language], ...concept.labels[language]])];
    }
  }
  return result;
}

/**
 * The multilingual technology glossary: concepts with labels in all ten languages. Maps text in any of the
 * languages to concept ids, which is how an offer written in English meets a need written in Khmer when no
 * neural model is available. Loaded once per process (`Glossary.shared()`).
 */
export class Glossary {
  readonly concepts: ReadonlyMap<string, Concept>;
  /** Content hash of the glossary files: recorded in the store so a changed glossary can prompt a reindex. */
  readonly version: string;
  private readonly matcher: AhoCorasick<LabelEntry>;
  private static instance: Glossary | undefined;

  private constructor(concepts: Map<string, Concept>, version: string) {
    this.concepts = concepts;
    this.version = version;
    this.matcher = new AhoCorasick<LabelEntry>();
    for (const concept of concepts.values()) {
      for (const language of LANGUAGES) {
        for (const label of concept.labels[language]) {
          const form = glossaryForm(label).trim();
          if (!form) continue;
          const wordBounded = SPACED_SCRIPT.test(form);
          this.matcher.add(form, { conceptId: concept.id, label, language, wordBounded });
        }
      }
    }
    this.matcher.build();
  }

  static shared(): Glossary {
    Glossary.instance ??= Glossary.load();
    return Glossary.instance;
  }

  /** Loads and validates every `*.json` file in a directory; concepts with the same id are merged. */
  static load(dir: string = DEFAULT_GLOSSARY_DIR): Glossary {
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
    const hash = createHash('sha256');
    const concepts = new Map<string, Concept>();
    for (const file of files) {
      const raw = readFileSync(join(dir, file), 'utf8');
      hash.update(file).update(raw);
      const parsed = GlossaryFileSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`Glossary file ${file} is invalid at ${issue.path.join('.')}: ${issue.message}`);
      }
      for (const concept of parsed.data.concepts) {
        const existing = concepts.get(concept.id);
        if (!existing) {
          concepts.set(concept.id, { id: concept.id, sectors: [...concept.sectors], labels: concept.labels });
          continue;
        }
        existing.sectors = [...new Set([...existing.sectors, ...concept.sectors])];
        for (const language of LANGUAGES) {
          existing.labels[language] = [...new Set([...existing.labels[language], ...concept.labels[language]])];
        }
      }
    }
    return new Glossary(mergeSynonyms(concepts), hash.digest('hex').slice(0, 16));
  }

  /** Concepts mentioned in a text, with the label that matched. Each concept is reported once. */
  match(text: string, language?: Language): ConceptMatch[] {
    const allowed = labelLanguagesFor(language);
    const form = glossaryForm(text);
    const chars = [...form];
    const found = new Map<string, ConceptMatch & { length: number }>();
    for (const hit of this.matcher.search(form)) {
      const entry = hit.value;
      if (!allowed.has(entry.language)) continue;
      if (entry.wordBounded && !this.isWordBounded(chars, hit.start, hit.end)) continue;
      const length = hit.end - hit.start;
      const previous = found.get(entry.conceptId);
      if (!previous || length > previous.length) {
        found.set(entry.conceptId, { conceptId: entry.conceptId, label: entry.label, labelLanguage: entry.language, length });
      }
    }
    return [...found.values()].map(({ length: _length, ...match }) => match);
  }

  /** Concept ids of a text (see `match`). */
  conceptIds(text: string, language?: Language): string[] {
    return this.match(text, language).map((match) => match.conceptId);
  }

  /** The display label of a concept in a language (first label), falling back to English. */
  label(conceptId: string, language: Language): string {
    const concept = this.concepts.get(conceptId);
    if (!concept) return conceptId;
    return concept.labels[language][0] ?? concept.labels.en[0] ?? conceptId;
  }

  /** Sectors suggested by a set of concepts, most supported first. */
  sectorsFor(conceptIds: Iterable<string>): Array<{ sector: Sector; support: number }> {
    const counts = new Map<Sector, number>();
    for (const id of conceptIds) {
      const concept = this.concepts.get(id);
      if (!concept || concept.sectors.length === 0) continue;
      const share = 1 / concept.sectors.length;
      for (const sector of concept.sectors) counts.set(sector, (counts.get(sector) ?? 0) + share);
    }
    return [...counts.entries()]
      .map(([sector, support]) => ({ sector, support }))
      .sort((a, b) => b.support - a.support || a.sector.localeCompare(b.sector));
  }

  get size(): number {
    return this.concepts.size;
  }

  /**
   * A Latin-script label matches whole words, optionally followed by a plural ending ("sensor" in
   * "sensors"). Only Latin letters and digits count as word characters here, so English words inside
   * Chinese or Thai text ("用FPGA做", "3d打印") still match.
   */
  private isWordBounded(chars: string[], start: number, end: number): boolean {
    const before = chars[start - 1];
    if (before !== undefined && LATIN_WORD_CHAR.test(before) && LATIN_WORD_CHAR.test(chars[start] ?? '')) return false;
    const last = chars[end - 1] ?? '';
    if (!LATIN_WORD_CHAR.test(last)) return true;
    let after = end;
    // Plural endings only after words of four letters or more: "sar" (radar) must not match "SARS".
    let wordStart = end - 1;
    while (wordStart > start && LATIN_WORD_CHAR.test(chars[wordStart - 1] ?? '')) wordStart--;
    if (end - wordStart >= 4) {
      if (chars[after] === 's') after += 1;
      else if (chars[after] === 'e' && chars[after + 1] === 's') after += 2;
    }
    const next = chars[after];
    if (next === undefined || !LATIN_WORD_CHAR.test(next)) return true;
    const direct = chars[end];
    return direct === undefined || !LATIN_WORD_CHAR.test(direct);
  }

}
