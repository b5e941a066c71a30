import type { Button, ListingCard, Reply } from '../../core/conversation/types.js';

/**
 * Engine replies as Telegram messages: HTML parse mode with every text escaped, `*bold*` as `<b>`, cards
 * as one message each with an inline keyboard, choices as a one-per-row keyboard, images as photos with
 * a caption. Pure functions: no network, no database.
 */

/** Telegram's limit for a message text, after entity parsing (UTF-16 code units). */
export const MAX_MESSAGE_CHARS = 4096;
/** Telegram's limit for a photo caption. */
export const MAX_CAPTION_CHARS = 1024;
/** Telegram's limit for callback data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;

export interface KeyboardButton {
  text: string;
  callback_data: string;
}

export type OutgoingMessage =
  | { kind: 'text'; html: string; keyboard?: KeyboardButton[][] }
  | { kind: 'photo'; png: Uint8Array; caption: string };

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The engine's light markup (`*bold*` within a line) as Telegram HTML; everything else escaped. */
export function toHtml(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(/\*([^*\n]+)\*/g)) {
    html += escapeHtml(text.slice(last, match.index));
    html += `<b>${escapeHtml(match[1]!)}</b>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

/** Does not cut a surrogate pair in two. */
function safeCut(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * Splits text (engine markup) into pieces of at most `max` characters: at a paragraph break if one is in
 * the second half of the window, else a line break, else a sentence end or a space, else anywhere (a
 * single word longer than a message). Separators at a cut are dropped; nothing else is lost.
 */
export function splitText(text: string, max = MAX_MESSAGE_CHARS): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const floor = Math.floor(max / 2);
    const candidates: Array<[RegExp, number]> = [
      [/\n\s*\n/g, 0],
      [/\n/g, 0],
      [/[.!?。！？។៕။၊]\s/g, 1],
      [/\s/g, 0],
    ];
    let cut = -1;
    let skip = 0;
    for (const [pattern, keep] of candidates) {
      let found = -1;
      let length = 0;
      for (const match of window.matchAll(pattern)) {
        if (match.index + keep <= max && match.index + keep >= floor) {
          found = match.index + keep;
          length = match[0].length - keep;
        }
      }
      if (found > 0) {
        cut = found;
        skip = length;
        break;
      }
    }
    if (cut <= 0) {
      cut = safeCut(rest, max);
      skip = 0;
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut + skip).replace(/^\n+/, '');
  }
  if (rest.trim().length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces.filter((piece, i) => piece.length > 0 || i === 0);
}

function textMessages(text: string, keyboard?: KeyboardButton[][]): OutgoingMessage[] {
  const pieces = splitText(text.trim().length > 0 ? text : '…');
  return pieces.map((piece, i) => ({
    kind: 'text' as const,
    html: toHtml(piece),
    ...(keyboard && keyboard.length > 0 && i === pieces.length - 1 ? { keyboard } : {}),
  }));
}

function rows(buttons: KeyboardButton[], perRow: number): KeyboardButton[][] {
  const result: KeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) result.push(buttons.slice(i, i + perRow));
  return result;
}

/** Card text in engine markup (title bold), so long cards split like any text. */
export function cardText(card: ListingCard): string {
  const facts = [
    card.country,
    card.sectors.join(', '),
    card.trl ? `TRL ${card.trl}` : undefined,
    card.score !== undefined ? `${Math.round(card.score * 100)}%` : undefined,
  ]
    .filter((fact) => fact && fact.length > 0)
    .join(' · ');
  const unstar = (text: string) => text.replace(/\*/g, '∗');
  const lines = [`*${unstar(card.title).replace(/\n/g, ' ')}*`];
  if (facts) lines.push(unstar(facts));
  if (card.status) lines.push(`[${unstar(card.status)}]`);
  lines.push('', unstar(card.summary));
  if (card.why) lines.push('', `→ ${unstar(card.why)}`);
  return lines.join('\n');
}

export interface RenderOptions {
  /** Turns a button's action into callback data of at most 64 bytes. */
  callbackData(action: string): string;
}

/**
 * Every reply as Telegram messages, in order. Keyboards: card and button rows two per row, choices one per
 * row (a keyboard whose rows all hold one button is a choice: see `isChoiceKeyboard`).
 */
export function renderReplies(replies: Reply[], options: RenderOptions): OutgoingMessage[] {
  const key = (button: Button): KeyboardButton => ({ text: button.label, callback_data: options.callbackData(button.action) });
  const messages: OutgoingMessage[] = [];
  for (const reply of replies) {
    switch (reply.type) {
      case 'text':
        messages.push(...textMessages(reply.text));
        break;
      case 'cards':
        for (const card of reply.cards) messages.push(...textMessages(cardText(card), rows(card.buttons.map(key), 2)));
        break;
      case 'buttons':
        messages.push(...textMessages(reply.text, rows(reply.buttons.map(key), 2)));
        break;
      case 'choice':
        // One option per row; a single option goes next to nothing, which reads the same.
        messages.push(...textMessages(reply.text, rows(reply.options.map(key), 1)));
        break;
      case 'image': {
        const caption = reply.alt.length > MAX_CAPTION_CHARS ? `${reply.alt.slice(0, safeCut(reply.alt, MAX_CAPTION_CHARS - 1))}…` : reply.alt;
        messages.push({ kind: 'photo', png: toBytes(reply.png), caption: escapeHtml(caption) });
        break;
      }
    }
  }
  return messages;
}

/**
 * Image bytes as they come: a Uint8Array from the engine, or what JSON made of one after a trip through
 * the outbox (a Buffer's `{type:'Buffer',data}`, an index-keyed object, an array, or base64).
 */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (object.type === 'Buffer' && Array.isArray(object.data)) return Uint8Array.from(object.data as number[]);
    const keys = Object.keys(object).filter((k) => /^\d+$/.test(k));
    return Uint8Array.from(keys.sort((a, b) => Number(a) - Number(b)).map((k) => Number(object[k])));
  }
  return new Uint8Array();
}

/** A keyboard of two or more rows of one button each: how `renderReplies` lays out a choice. */
export function isChoiceKeyboard(keyboard: ReadonlyArray<ReadonlyArray<unknown>> | undefined): boolean {
  return Boolean(keyboard && keyboard.length >= 2 && keyboard.every((row) => row.length === 1));
}
