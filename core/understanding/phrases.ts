import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../domain/languages.js';
import { matchForm } from '../text/normalize.js';
import { PhraseMatcher, baseText, cut } from './phrase-matcher.js';

/**
 * Example phrases per intent (`prompts/intents/<lang>.json`, written for the project) and a similarity
 * classifier that scores a message against them.
 *
 * Similarity works on character n-grams of the matching form (NFKC, lowercase, Latin diacritics folded):
 * trigrams, with spaces between words kept, for every script, except Chinese, which gets character
 * bigrams (most Chinese words are two characters). Spaces between characters of Thai, Lao, Khmer, Burmese
 * and Chinese are dropped first, since writers of those scripts space phrases, not words, and not
 * consistently. Two scores:
 * - `coverage` (how much of an example the message contains) for cue intents whose example is the start
 *   of a longer message ("our lab developed …", "ខ្ញុំត្រូវការ …");
 * - `dice` (how alike message and example are as a whole) for short whole-message intents ("ok", "ใช่",
 *   "thanks", "more"), after politeness words ("please", "ครับ", "ạ", "po") are stripped.
 */

export const INTENT_NAMES = [
  'search',
  'describe_offer',
  'describe_need',
  'more',
  'yes',
  'no',
  'cancel',
  'greeting',
  'thanks',
  'my',
  'privacy',
  'forget',
  'help',
] as const;
export type PhraseIntent = (typeof INTENT_NAMES)[number];

const IntentFileSchema = z.object({
  about: z.string().min(1),
  language: z.enum(LANGUAGES),
  polite: z.array(z.string().min(1)),
  intents: z.object(
    Object.fromEntries(INTENT_NAMES.map((name) => [name, z.array(z.string().trim().min(1)).min(1)])) as Record<
      PhraseIntent,
      z.ZodArray<z.ZodString>
    >,
  ),
});
export type IntentFile = z.infer<typeof IntentFileSchema>;

export const DEFAULT_INTENTS_DIR = fileURLToPath(new URL('../../prompts/intents/', import.meta.url));

const HAN = /\p{Script=Han}/u;
const UNSPACED_PAIR = /([\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Han}][\p{M}]*) +(?=[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Han}])/gu;

/** The text n-grams are taken from: matching form, separators as single spaces, unspaced scripts joined. */
export function gramForm(text: string): string {
  const spaced = matchForm(text)
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, ' ')
    .replace(UNSPACED_PAIR, '$1')
    .trim();
  return spaced ? ` ${spaced} ` : '';
}

export function grams(text: string): Set<string> {
  const chars = [...gramForm(text)];
  const result = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (HAN.test(char)) {
      const next = chars[i + 1];
      const previous = chars[i - 1];
      if (next !== undefined && HAN.test(next)) result.add(char + next);
      else if (previous === undefined || !HAN.test(previous)) result.add(char);
      continue;
    }
    if (i + 3 <= chars.length) {
      const gram = chars.slice(i, i + 3).join('');
      if (gram.trim() && !HAN.test(chars[i + 1]!) && !HAN.test(chars[i + 2]!)) result.add(gram);
    }
  }
  return result;
}

function intersection(a: Set<string>, b: Set<string>): number {
  let count = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const item of small) if (large.has(item)) count++;
  return count;
}

interface Example {
  intent: PhraseIntent;
  language: Language;
  text: string;
  form: string;
  grams: Set<string>;
}

export interface IntentScore {
  intent: PhraseIntent;
  score: number;
  /** The example that scored best. */
  example: string;
  language: Language;
}

function loadFiles(dir: string): IntentFile[] {
  return LANGUAGES.map((language) => {
    const path = `${dir.replace(/\/?$/, '/')}${language}.json`;
    const parsed = IntentFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`Intent phrases ${path} are invalid at ${issue.path.join('.')}: ${issue.message}`);
    }
    if (parsed.data.language !== language) throw new Error(`Intent phrases ${path} say language ${parsed.data.language}`);
    return parsed.data;
  });
}

/** Longest text the classifier looks at: cues sit at the start, and 100 kB of text must stay cheap. */
const MAX_CLASSIFIED_CHARS = 600;

export class PhraseClassifier {
  private readonly examples: Example[] = [];
  private readonly polite: PhraseMatcher<true>;
  private readonly cues: PhraseMatcher<PhraseIntent>;
  private static instance: PhraseClassifier | undefined;

  constructor(files: IntentFile[]) {
    const politeEntries: Array<{ phrase: string; value: true }> = [];
    const cueEntries: Array<{ phrase: string; value: PhraseIntent }> = [];
    for (const file of files) {
      for (const word of file.polite) politeEntries.push({ phrase: word, value: true });
      for (const intent of INTENT_NAMES) {
        for (const text of file.intents[intent]) {
          this.examples.push({ intent, language: file.language, text, form: gramForm(text), grams: grams(text) });
          if (intent === 'search' || intent === 'describe_offer' || intent === 'describe_need') cueEntries.push({ phrase: text, value: intent });
        }
      }
    }
    this.polite = new PhraseMatcher(politeEntries);
    this.cues = new PhraseMatcher(cueEntries);
  }

  static shared(): PhraseClassifier {
    PhraseClassifier.instance ??= new PhraseClassifier(loadFiles(DEFAULT_INTENTS_DIR));
    return PhraseClassifier.instance;
  }

  static load(dir: string = DEFAULT_INTENTS_DIR): PhraseClassifier {
    return new PhraseClassifier(loadFiles(dir));
  }

  /** Example phrases of one intent in one language (for tests and prompts). */
  examplesOf(intent: PhraseIntent, language: Language): string[] {
    return this.examples.filter((e) => e.intent === intent && e.language === language).map((e) => e.text);
  }

  /**
   * The message with politeness words at its start or end removed ("yes please", "ใช่ครับ", "oo po"),
   * unless nothing else is left ("ครับ" alone stays). Only at the edges: inside a word of a script without
   * spaces the same letters mean something else (Burmese "ပါ" in "ရပါတယ်").
   */
  stripPolite(text: string): string {
    let current = baseText(text).replace(/[\s\p{P}\p{S}]+$/u, '').trim();
    for (let round = 0; round < 4; round++) {
      const chars = [...current];
      const edge = this.polite
        .find(current)
        .filter((hit) => hit.start === 0 || /^[\s\p{P}\p{S}]*$/u.test(chars.slice(hit.end).join('')));
      if (edge.length === 0) break;
      const next = cut(current, edge);
      if (!/[\p{L}\p{N}]/u.test(next)) break;
      current = next;
    }
    return current;
  }

  /**
   * Best whole-message similarity (Dice over n-grams) per intent. An exact match of the matching form
   * scores 1. `languages` limits the examples used (all languages when omitted).
   */
  whole(text: string, intents: readonly PhraseIntent[], languages?: ReadonlySet<Language>): IntentScore[] {
    const stripped = this.stripPolite(text.slice(0, MAX_CLASSIFIED_CHARS));
    const form = gramForm(stripped);
    if (!form) return [];
    const message = grams(stripped);
    return this.best(intents, languages, (example) => {
      if (example.form === form) return 1;
      const shared = intersection(example.grams, message);
      return (2 * shared) / (example.grams.size + message.size || 1);
    });
  }

  /** Best coverage (share of an example's n-grams found in the message) per intent. */
  cover(text: string, intents: readonly PhraseIntent[], languages?: ReadonlySet<Language>): IntentScore[] {
    const head = text.slice(0, MAX_CLASSIFIED_CHARS);
    const message = grams(head);
    if (message.size === 0) return [];
    return this.best(intents, languages, (example) => {
      // Very short examples ("ok", "是") would be found everywhere: they only count as whole messages.
      if (example.grams.size < 3 && !HAN.test(example.text)) return 0;
      if (example.grams.size < 2) return 0;
      return intersection(example.grams, message) / example.grams.size;
    });
  }

  /** Cue phrases (search / offer / need examples) found as written at the very start of a text. */
  leadingCue(text: string): { intent: PhraseIntent; end: number } | undefined {
    const trimmed = baseText(text).trimStart();
    const offset = [...baseText(text)].length - [...trimmed].length;
    const hits = this.cues.all(trimmed.slice(0, MAX_CLASSIFIED_CHARS)).filter((hit) => hit.start === 0);
    const longest = hits.sort((a, b) => b.end - a.end)[0];
    return longest ? { intent: longest.value, end: longest.end + offset } : undefined;
  }

  private best(
    intents: readonly PhraseIntent[],
    languages: ReadonlySet<Language> | undefined,
    score: (example: Example) => number,
  ): IntentScore[] {
    const bestByIntent = new Map<PhraseIntent, IntentScore>();
    for (const example of this.examples) {
      if (!intents.includes(example.intent)) continue;
      if (languages && !languages.has(example.language)) continue;
      const value = score(example);
      const current = bestByIntent.get(example.intent);
      if (!current || value > current.score) {
        bestByIntent.set(example.intent, { intent: example.intent, score: value, example: example.text, language: example.language });
      }
    }
    return [...bestByIntent.values()].sort((a, b) => b.score - a.score);
  }
}
