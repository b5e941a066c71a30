import { randomBytes } from 'node:crypto';

/**
 * Untrusted text (chat messages, listing titles and summaries) goes to a model only inside a delimited
 * block of the user message:
 *
 *     <<<BEGIN listing_summary 9f2c4e1a7b3d>>>
 *     …data…
 *     <<<END listing_summary 9f2c4e1a7b3d>>>
 *
 * The id is random per request, so data cannot know it, and every run of three or more angle brackets in
 * the data is rewritten, so data cannot even write something that looks like a delimiter. The system
 * message (prompts/llm/data-rules.md) tells the model that block contents are never instructions.
 */

/** A fresh random block id (12 hex digits) for one request. */
export function newBlockId(): string {
  return randomBytes(6).toString('hex');
}

// Runs of <, >, and their full-width and guillemet look-alikes that could imitate a delimiter.
const OPENERS = /[<＜﹤‹«]{2,}/g;
const CLOSERS = /[>＞﹥›»]{2,}/g;
// C0/C1 controls except tab and newline, zero-width and bidi-control characters.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Makes text safe to put inside a block: line ends normalised, invisible and control characters removed,
 * delimiter look-alikes neutralised (`<<<` → `‹ ‹ ‹`), and at most `maxChars` characters (cut at a code
 * point, marked with `…`).
 */
export function sanitizeData(text: string, maxChars: number): string {
  let clean = text
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(OPENERS, (run) => Array.from(run, () => '‹').join(' '))
    .replace(CLOSERS, (run) => Array.from(run, () => '›').join(' '))
    .trim();
  const codePoints = Array.from(clean);
  if (codePoints.length > maxChars) clean = `${codePoints.slice(0, maxChars - 1).join('').trimEnd()}…`;
  return clean;
}

/** Block names are ours (never data): lowercase letters and underscores. */
const BLOCK_NAME = /^[a-z][a-z_]{0,40}$/;

/** One delimited data block; `text` is sanitised here. */
export function dataBlock(name: string, text: string, id: string, maxChars = 4000): string {
  if (!BLOCK_NAME.test(name)) throw new Error(`invalid data block name: ${name}`);
  if (!/^[0-9a-f]{8,}$/.test(id)) throw new Error('invalid data block id');
  return `<<<BEGIN ${name} ${id}>>>\n${sanitizeData(text, maxChars)}\n<<<END ${name} ${id}>>>`;
}

/** True when model output reproduces block delimiters (a sign it is echoing its input). */
export function containsDelimiter(text: string): boolean {
  return /<<<|>>>|<<<\s*(BEGIN|END)\b/.test(text) || /\b(BEGIN|END) [a-z_]+ [0-9a-f]{8,}\b/.test(text);
}
