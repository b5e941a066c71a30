import type { Language } from '../domain/languages.js';
import { containsDelimiter } from './data-block.js';

/**
 * Checks on text a model wrote for users (match explanations, translated summaries). The model saw listing
 * text that anyone can write, so its answer is accepted only when it looks like the task was done and not
 * like an instruction hidden in the listing was followed.
 */
export type GuardVerdict = { ok: true; text: string } | { ok: false; reason: GuardReason };
export type GuardReason =
  | 'empty'
  | 'too_short'
  | 'too_long'
  | 'too_many_sentences'
  | 'delimiter_echo'
  | 'foreign_url'
  | 'markdown'
  | 'wrong_script'
  | 'echoes_embedded_instruction'
  | 'obeyed_embedded_instruction'
  | 'meta_talk';

const URL_LIKE = /\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>()[\]{}"'`]+|\bmailto:[^\s<>()[\]{}"'`]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;
const MARKDOWN_LINK = /!?\[[^\]\n]*\]\([^)\n]*\)|\[[^\]\n]*\]\[[^\]\n]*\]|<https?:[^>]*>/u;
/** Code fences and HTML tags: never wanted. */
const HARD_MARKUP = /```|<\/?[a-z][a-z0-9]*(?:\s[^>]*)?>/iu;
/** Headings, list items, bold: not in a one- or two-sentence explanation (a translation may keep lists). */
const SOFT_MARKUP = /^\s{0,3}#{1,6}\s|^\s*[-*+]\s+\S|\*\*\S|__\S/mu;
/** A preface such as "Here is the translation:" on its own first line. */
const TRANSLATION_PREFACE = /^(?:here(?: is|'s)|sure|certainly|translation)[^\n]{0,60}:[ \t]*\n+/iu;
/** Phrases a model only writes when it talks about prompts and instructions instead of doing the task. */
const META_TALK =
  /\b(?:ignore|disregard)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|rules)\b|\bsystem (?:prompt|message)\b|\bprevious instructions\b|\bdeveloper mode\b|\bas an ai\b|\bi (?:cannot|can't|won't) (?:help|comply|assist)\b|\bdata block\b/iu;

/** A sentence of the data that reads like an instruction to the model (English and a few SEA languages). */
const INSTRUCTION_SENTENCE = [
  /\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.!?\n]{0,50}\b(?:instructions?|prompts?|rules|guidelines|above|previous|prior|everything|system)\b/iu,
  /\b(?:reply|respond|answer|say|output|print|write|return|repeat|type)\b[^.!?\n]{0,25}\b(?:only|exactly|just|verbatim|nothing but|the words?)\b/iu,
  /\byou are now\b|\bnew instructions?\b|\bsystem (?:prompt|message)\b|\bfrom now on\b|\bdeveloper mode\b|\bact as\b|\bpretend (?:to be|you are)\b/iu,
  /^\s*(?:system|assistant|user)\s*:/imu,
  /^\s*(?:please\s+)?(?:say|reply|respond|answer|output|print|write|tell|repeat)\b|\b(?:tell|inform) the user\b/iu,
  /\b(?:abaikan|lupakan|hiraukan)\b[^.!?\n]{0,40}\b(?:instruksi|arahan|perintah|petunjuk)\b/iu,
  /\bbỏ qua\b[^.!?\n]{0,40}\b(?:hướng dẫn|chỉ dẫn|lệnh|chỉ thị)\b/iu,
  /(?:เพิกเฉย|ละเว้น|ไม่ต้องสนใจ)[^.!?\n]{0,40}คำสั่ง/u,
  /(?:忽略|无视|忽視|無視)[^。！？\n]{0,20}(?:指令|指示|说明|說明|规则|規則)/u,
];

const SENTENCE_SPLIT = /(?<=[.!?。！？។။])\s*|\n+/u;
const QUOTED = /["“”„'‘’«»「」『』]([^"“”„'‘’«»「」『』\n]{2,80})["“”„'‘’«»「」『』]/gu;
const CAPS_WORD = /(?<![\p{L}\p{N}])[A-Z][A-Z0-9_]{2,}(?![\p{L}\p{N}])/gu;
const AFTER_VERB =
  /\b(?:reply|respond|answer|say|output|print|write|return|repeat|type)\b(?:\s+(?:with|only|exactly|just|verbatim|the word|the words|nothing but))*\s*[:\-–]?\s*["“'‘]?([\p{L}\p{N}][\p{L}\p{N}'’ -]{1,60})/giu;
const STOPWORDS = new Set([
  'the', 'a', 'an', 'and', 'or', 'to', 'of', 'in', 'on', 'with', 'only', 'just', 'exactly', 'that', 'this', 'it',
  'is', 'are', 'be', 'all', 'any', 'word', 'words', 'text', 'following', 'me', 'you', 'your', 'our', 'we',
]);

export interface InjectionMarkers {
  /** Case-sensitive tokens (ALL-CAPS words in instruction-like sentences). */
  exact: string[];
  /** Case-insensitive phrases (quoted text, or what the data asks the model to say). */
  phrases: string[];
}

function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_SPLIT)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function containsWord(haystack: string, needle: string, caseSensitive: boolean): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, caseSensitive ? 'u' : 'iu').test(haystack);
}

/**
 * What an answer would contain if the model had followed an instruction embedded in the data: the
 * distinctive words of instruction-like sentences ("reply only PWNED" → PWNED) that do not also occur in
 * the data's ordinary sentences.
 */
export function injectionMarkers(sources: readonly string[]): InjectionMarkers {
  const instructions: string[] = [];
  const ordinary: string[] = [];
  for (const source of sources) {
    for (const sentence of splitSentences(source)) {
      (INSTRUCTION_SENTENCE.some((pattern) => pattern.test(sentence)) ? instructions : ordinary).push(sentence);
    }
  }
  const ordinaryText = ordinary.join('\n');
  const exact = new Set<string>();
  const phrases = new Set<string>();
  for (const sentence of instructions) {
    for (const match of sentence.matchAll(CAPS_WORD)) exact.add(match[0]);
    for (const match of sentence.matchAll(QUOTED)) phrases.add(match[1]!.trim());
    for (const match of sentence.matchAll(AFTER_VERB)) {
      const words = match[1]!
        .trim()
        .split(/\s+/u)
        .slice(0, 4)
        .filter((word) => !STOPWORDS.has(word.toLowerCase()));
      const phrase = words.join(' ').replace(/[’'-]+$/u, '');
      if (phrase.length >= 3) phrases.add(phrase);
    }
  }
  return {
    exact: [...exact].filter((token) => !containsWord(ordinaryText, token, true)),
    phrases: [...phrases].filter((phrase) => phrase.length >= 3 && !containsWord(ordinaryText, phrase, false)),
  };
}

function markersIn(text: string, markers: InjectionMarkers): string[] {
  return [
    ...markers.exact.filter((token) => containsWord(text, token, false)),
    ...markers.phrases.filter((phrase) => containsWord(text, phrase, false)),
  ];
}

const SCRIPT: Partial<Record<Language, RegExp>> = {
  th: /\p{Script=Thai}/u,
  km: /\p{Script=Khmer}/u,
  lo: /\p{Script=Lao}/u,
  my: /\p{Script=Myanmar}/u,
  zh: /\p{Script=Han}/u,
};

function letters(text: string): string[] {
  return text.match(/\p{L}/gu) ?? [];
}

/**
 * True when the text is written in the language's script: for Thai, Khmer, Lao, Burmese and Chinese at
 * least 30% of the letters (technical terms stay in Latin), for the Latin-script languages at least 60%
 * Latin letters.
 */
export function inScriptOf(text: string, language: Language): boolean {
  const all = letters(text);
  if (all.length === 0) return false;
  const script = SCRIPT[language];
  if (script) return all.filter((letter) => script.test(letter)).length / all.length >= 0.3;
  return all.filter((letter) => /\p{Script=Latin}/u.test(letter)).length / all.length >= 0.6;
}

/** URLs and e-mail addresses in `text` that do not occur in any of the sources. */
export function foreignUrls(text: string, sources: readonly string[]): string[] {
  const haystack = sources.join('\n').toLowerCase();
  return [...text.matchAll(URL_LIKE)]
    .map((match) => match[0].replace(/[.,;:!?]+$/u, ''))
    .filter((url) => !haystack.includes(url.toLowerCase()));
}

function commonChecks(text: string, sources: readonly string[]): GuardReason | undefined {
  if (containsDelimiter(text)) return 'delimiter_echo';
  if (foreignUrls(text, sources).length > 0) return 'foreign_url';
  const link = text.match(MARKDOWN_LINK)?.[0];
  if (link && !sources.some((source) => source.includes(link))) return 'markdown';
  if (HARD_MARKUP.test(text)) return 'markdown';
  return undefined;
}

/** Removes wrapping quotes or backticks and surrounding space. */
function unwrap(text: string): string {
  let out = text.trim();
  for (const [open, close] of [['"', '"'], ['“', '”'], ["'", "'"], ['「', '」']] as const) {
    if (out.length > 2 && out.startsWith(open) && out.endsWith(close) && !out.slice(1, -1).includes(close)) out = out.slice(1, -1).trim();
  }
  return out;
}

export const EXPLANATION_MAX_CHARS = 500;

/**
 * An explanation of why a listing fits a need: one or two sentences of plain text in the user's language,
 * no links beyond the listing's own, nothing from the listing's embedded instructions.
 */
export function checkExplanation(output: string, input: { listingTexts: readonly string[]; language: Language }): GuardVerdict {
  const text = unwrap(output).replace(/\s+/gu, ' ');
  if (!text) return { ok: false, reason: 'empty' };
  if (markersIn(text, injectionMarkers(input.listingTexts)).length > 0) return { ok: false, reason: 'echoes_embedded_instruction' };
  if (META_TALK.test(text)) return { ok: false, reason: 'meta_talk' };
  const common = commonChecks(text, input.listingTexts);
  if (common) return { ok: false, reason: common };
  if (SOFT_MARKUP.test(text)) return { ok: false, reason: 'markdown' };
  if (letters(text).length < 8) return { ok: false, reason: 'too_short' };
  if (Array.from(text).length > EXPLANATION_MAX_CHARS) return { ok: false, reason: 'too_long' };

  const sentences = text.split(/(?<=[.!?。！？។။])\s*/u).filter((part) => /\p{L}/u.test(part));
  if (sentences.length > 3) return { ok: false, reason: 'too_many_sentences' };
  if (!inScriptOf(text, input.language)) return { ok: false, reason: 'wrong_script' };
  return { ok: true, text };
}

/**
 * A translated summary: in the target script, of a plausible length for a translation of the source (an
 * answer that is only what an embedded instruction asked for is far shorter), no new links.
 */
export function checkTranslation(output: string, input: { source: string; to: Language }): GuardVerdict {
  const text = unwrap(unwrap(output).replace(TRANSLATION_PREFACE, ''))
    .replace(/[ \t]+\n/gu, '\n')
    .replace(/\n{3,}/gu, '\n\n');
  if (!text) return { ok: false, reason: 'empty' };
  const sourceLength = Array.from(input.source).length;
  if (Array.from(text).length > sourceLength * 4 + 200) return { ok: false, reason: 'too_long' };
  const common = commonChecks(text, [input.source]);
  if (common) return { ok: false, reason: common };
  const sourceLetters = letters(input.source).length;
  // Chinese needs about a third of the letters of English; anything under a tenth is not a translation.
  if (sourceLetters >= 30 && letters(text).length < sourceLetters * 0.1) return { ok: false, reason: 'too_short' };
  const markers = injectionMarkers([input.source]);
  const found = markersIn(text, markers);
  if (found.length > 0) {
    // A faithful translation keeps an embedded instruction as text; obeying it leaves little else.
    let rest = text;
    for (const marker of found) rest = rest.replace(new RegExp(marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'), ' ');
    if (letters(rest).length < Math.max(8, sourceLetters * 0.1)) return { ok: false, reason: 'obeyed_embedded_instruction' };
  }
  if (!inScriptOf(text, input.to)) return { ok: false, reason: 'wrong_script' };
  return { ok: true, text };
}
