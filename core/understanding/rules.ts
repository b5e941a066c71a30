import { LANGUAGES, type Language } from '../domain/languages.js';
import type { ListingKind } from '../domain/listing.js';
import type { Glossary } from '../glossary/glossary.js';
import { detectLanguage } from '../text/detect-language.js';
import { parseCommand, parseLanguageRequest } from './commands.js';
import { contentWords } from './content-words.js';
import { cleanText, extractFields as extractFieldsFromText } from './fields.js';
import { PhraseClassifier, type PhraseIntent } from './phrases.js';
import { analyseRefinement, splitRefinement } from './refinements.js';
import { findSectorWords } from './sector-words.js';
import type {
  DraftFields,
  Intent,
  MessageUnderstander,
  NeedAnalyzer,
  Refinement,
  Understanding,
  UnderstandingContext,
} from './types.js';

export { splitRefinement } from './refinements.js';

/**
 * Message understanding without any LLM, in all ten languages. Decision order:
 * 1. an explicit command ("/find x", "cari x", "ช่วยเหลือ", "帮助") → `command` (confidence 1); a message
 *    that only names a language ("English please", "tiếng Việt") → `language` with its code as `rest`;
 * 2. while the engine awaits an answer: yes / no / cancel ("ok", "ya", "ใช่", "是", "បាទ", "ແມ່ນ",
 *    "ဟုတ်ကဲ့", "oo") → that intent;
 * 3. with results on screen: "more" → `more`; a message that is nothing but a refinement ("only Vietnam",
 *    "TRL 6+", "ทุกประเทศ") → `refine` (see refinements.ts for how a need with filters is told apart);
 * 4. a researcher describing their work ("our lab developed …") → `describe_offer`; a founder who wants
 *    to post a need ("we are looking for a partner who can …") → `describe_need`;
 * 5. requests for the my / privacy / forget / help commands in a sentence ("delete all my data") → command;
 * 6. a message that names technology (a glossary concept, a sector word, two content words, or a search
 *    cue such as "I need" / "ខ្ញុំត្រូវការ") → `search`, with the whole message as the query: the engine
 *    separates the filters with `splitRefinement(query)` ("solar dryer only in Vietnam" → query "solar
 *    dryer", countries VN);
 *    (a message that is nothing but a refinement, with no results to refine, is `refine` just before);
 * 7. greeting, thanks; "cancel" outside a question; a search cue with nothing to search for (low confidence);
 * 8. otherwise `unknown`.
 *
 * The language is set only when detection is confident; otherwise the engine keeps the user's.
 */

/** Longest query passed on: the rest of a 100 kB paste would only slow the search down. */
const MAX_QUERY_CHARS = 2_000;
/** Thresholds for the phrase classifier, tuned on the example phrases and the tests. */
const WHOLE_THRESHOLD = 0.6;
const COMMAND_SENTENCE_THRESHOLD = 0.55;
const CUE_THRESHOLD = 0.85;
/** Whole-message intents are short: longer messages are something else that starts with "ok" or "thanks". */
const SHORT_MESSAGE_CHARS = 60;

const YES_EMOJI = /^[\s👍👌✅✔️🙆‍♂️🙆‍♀️🙆🆗]+$/u;
const NO_EMOJI = /^[\s👎❌✖️🙅‍♂️🙅‍♀️🙅]+$/u;

function siblings(language: Language): Language[] {
  if (language === 'id') return ['ms'];
  if (language === 'ms') return ['id'];
  return [];
}

function truncate(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : chars.slice(0, limit).join('');
}

/**
 * True when a text is too vague to search on ("help me", "technology", "ada teknologi?"): fewer than two
 * content words and no glossary concept. The engine asks one clarifying question instead of guessing.
 */
export function isVague(text: string, language: Language, glossary: Glossary): boolean {
  const sample = truncate(typeof text === 'string' ? text : '', 4_000);
  if (glossary.conceptIds(sample, language).length > 0) return false;
  return contentWords(sample, language).length < 2;
}

export class RuleUnderstander implements MessageUnderstander, NeedAnalyzer {
  private readonly classifier: PhraseClassifier;

  constructor(
    private readonly glossary: Glossary,
    classifier?: PhraseClassifier,
  ) {
    this.classifier = classifier ?? PhraseClassifier.shared();
  }

  async understand(text: string, context: UnderstandingContext): Promise<Understanding> {
    return this.understandSync(text, context);
  }

  async extractFields(text: string, kind: ListingKind, language: Language): Promise<DraftFields> {
    return extractFieldsFromText(text, kind, language, this.glossary, this.classifier);
  }

  /** See `splitRefinement` in refinements.ts. */
  splitRefinement(text: string, language: Language): { query: string; refinement: Refinement } {
    return splitRefinement(typeof text === 'string' ? truncate(text, 20_000) : '', language, this.glossary);
  }

  /** See `isVague` above. */
  isVague(text: string, language: Language): boolean {
    return isVague(text, language, this.glossary);
  }

  /** The same as `understand`, synchronously (rules need no I/O). */
  understandSync(rawText: string, context: UnderstandingContext): Understanding {
    const text = cleanText(typeof rawText === 'string' ? rawText : '');
    const guess = text ? detectLanguage(truncate(text, 2_000)) : undefined;
    // Malay and Indonesian are told apart only by marker words: a guess of the sibling keeps the user's.
    const sibling = guess !== undefined && siblings(context.language).includes(guess.language);
    const detected = guess && guess.confidence >= 0.5 && !sibling ? guess.language : undefined;
    const language = detected ?? context.language;
    const result = (intent: Intent, confidence: number): Understanding => ({
      intent,
      confidence,
      via: 'rules',
      ...(detected ? { language: detected } : {}),
    });
    if (!/[\p{L}\p{N}\p{So}]/u.test(text)) return result({ kind: 'unknown' }, 0);

    // Example phrases of the message's language and its neighbours; all languages when unsure.
    const languages: ReadonlySet<Language> = detected
      ? new Set<Language>([detected, context.language, 'en', ...siblings(detected)])
      : new Set<Language>(LANGUAGES);
    const short = [...text].length <= SHORT_MESSAGE_CHARS;

    // 1. Commands.
    const command = parseCommand(text, language) ?? (context.awaiting === 'language' ? undefined : parseLanguageRequest(text));
    if (command) {
      return result({ kind: 'command', command: command.command, ...(command.rest ? { rest: command.rest } : {}) }, 1);
    }

    // 2. Answers to a question.
    if (context.awaiting && short) {
      if (YES_EMOJI.test(text)) return result({ kind: 'yes' }, 0.9);
      if (NO_EMOJI.test(text)) return result({ kind: 'no' }, 0.9);
      const best = this.classifier.whole(text, ['yes', 'no', 'cancel'], languages)[0];
      if (best && best.score >= WHOLE_THRESHOLD) return result({ kind: best.intent as 'yes' | 'no' | 'cancel' }, best.score);
    }

    // 3. Paging and refining results.
    const refinement = analyseRefinement(text, language, this.glossary);
    if (context.hasResults) {
      if (short) {
        const more = this.classifier.whole(text, ['more'], languages)[0];
        if (more && more.score >= WHOLE_THRESHOLD) return result({ kind: 'more' }, more.score);
      }
      if (refinement.refinementOnly) return result({ kind: 'refine', refinement: refinement.refinement }, 0.9);
    }

    // 4. Describing one's own work or a need to post.
    const cues = this.classifier.cover(text, ['describe_offer', 'describe_need', 'search'], languages);
    const cue = (intent: PhraseIntent) => cues.find((score) => score.intent === intent)?.score ?? 0;
    const offer = cue('describe_offer');
    const need = cue('describe_need');
    if (Math.max(offer, need) >= CUE_THRESHOLD) {
      const body = truncate(text, 20_000);
      return need >= offer
        ? result({ kind: 'describe_need', text: body }, Math.min(0.9, need))
        : result({ kind: 'describe_offer', text: body }, Math.min(0.9, offer));
    }

    // 5. The my / privacy / forget / help commands said in a sentence.
    if (short) {
      const sentence = this.classifier.whole(text, ['my', 'privacy', 'forget', 'help'], languages)[0];
      if (sentence && sentence.score >= COMMAND_SENTENCE_THRESHOLD) {
        return result({ kind: 'command', command: sentence.intent as 'my' | 'privacy' | 'forget' | 'help' }, sentence.score * 0.9);
      }
    }

    // A refinement with no results to refine: the engine may keep it for the next search.
    if (refinement.refinementOnly) return result({ kind: 'refine', refinement: refinement.refinement }, 0.5);

    // 6. A technology need.
    const sample = truncate(text, 4_000);
    const concepts = this.glossary.conceptIds(sample, language).length;
    const words = contentWords(sample, language).length;
    const sectorWords = findSectorWords(sample).length;
    const searchCue = cue('search') >= CUE_THRESHOLD;
    const social = short ? this.classifier.whole(text, ['greeting', 'thanks'], languages)[0] : undefined;
    const isSocial = social !== undefined && social.score >= WHOLE_THRESHOLD;
    if (concepts > 0 || (!isSocial && (words >= 2 || sectorWords > 0 || (searchCue && words >= 1)))) {
      const confidence = concepts > 0 ? 0.85 : searchCue ? 0.7 : 0.6;
      return result({ kind: 'search', query: truncate(text, MAX_QUERY_CHARS) }, confidence);
    }

    // 7. Small talk, a stray cancel, a search cue without content ("I need a technology": the engine asks).
    if (isSocial) return result({ kind: social.intent as 'greeting' | 'thanks' }, social.score);
    if (short) {
      const stop = this.classifier.whole(text, ['cancel'], languages)[0];
      if (stop && stop.score >= 0.8) return result({ kind: 'cancel' }, stop.score * 0.8);
    }
    if (searchCue) return result({ kind: 'search', query: truncate(text, MAX_QUERY_CHARS) }, 0.4);
    return result({ kind: 'unknown' }, 0);
  }
}
