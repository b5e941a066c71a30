import type { Button, ListingCard, Reply } from '../../core/conversation/types.js';

/**
 * Engine replies as Bot Framework activities for Microsoft Teams. Pure functions: no network, no database.
 *
 * - Text: markdown (`textFormat: 'markdown'`), the engine's `*bold*` as `**bold**`, everything else
 *   escaped (markdown punctuation with a backslash, HTML with entities), line breaks as `<br>`.
 * - Listing cards, button rows and "choose one" prompts: Adaptive Cards whose buttons are `Action.Submit`
 *   with data `{ action: '<engine action id>' }`; Teams sends a press back as a message activity whose
 *   `value` is that data (see incoming.ts).
 * - The draft preview (lines `*Field:* value`) as a card with a fact set.
 * - Images: an inline `image/png` attachment (data URL) with the alt text as the message text.
 *
 * Consecutive replies are packed into as few activities as possible (text followed by cards becomes one
 * message with the text above the cards), so one engine answer is usually one or two sends.
 */

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/** Teams renders Adaptive Cards up to 1.5 on desktop and web; 1.4 also renders on older mobile clients. */
export const CARD_VERSION = '1.4';
/** Teams rejects bot messages above about 28 KB; activities are split below this (JSON bytes). */
export const MAX_ACTIVITY_BYTES = 24_000;
/** More options than this in a "choose one" prompt are shown as a tappable list instead of a button row. */
export const MAX_BUTTON_ROW = 5;

export interface CardAction {
  type: 'Action.Submit';
  title: string;
  data: { action: string };
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Record<string, unknown>[];
  actions?: CardAction[];
  msteams?: { width: 'Full' };
}

export interface Attachment {
  contentType: string;
  content?: AdaptiveCard;
  contentUrl?: string;
  name?: string;
}

/** The parts of a Bot Framework message activity this adapter sends. */
export interface OutgoingActivity {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain' | 'xml';
  attachments?: Attachment[];
  attachmentLayout?: 'list' | 'carousel';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for an Adaptive Card TextBlock (markdown subset, no HTML): markdown punctuation with a
 * backslash, list and heading markers at a line start too.
 */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(/[\\`*_~[\]|]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#>+-])/gm, (_, space: string, marker: string) => `${space}\\${marker}`)
    .replace(/^(\s*\d+)([.)])/gm, (_, number: string, dot: string) => `${number}\\${dot}`);
}

/** Escapes text for a Teams markdown message: markdown punctuation and HTML. */
export function escapeMessageMarkdown(text: string): string {
  return escapeCardMarkdown(text).replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!);
}

/** The engine's light markup (`*bold*` within a line) as markdown, everything else escaped. */
function withBold(text: string, escape: (text: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\*([^*\n]+)\*/g)) {
    out += escape(text.slice(last, match.index));
    const inner = match[1]!.trim();
    out += inner ? `**${escape(inner)}**` : escape(match[0]);
    last = match.index + match[0].length;
  }
  return out + escape(text.slice(last));
}

/** A text reply as a Teams message text (markdown; line breaks as `<br>`). */
export function toMessageMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) => withBold(line, escapeMessageMarkdown))
    .join('<br>');
}

/** Text for an Adaptive Card TextBlock (markdown, `*bold*` kept, line breaks as paragraph breaks). */
export function toCardMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) => withBold(line, escapeCardMarkdown))
    .join('\n\n');
}

function card(body: Record<string, unknown>[], actions: Button[] = []): Attachment {
  const content: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    msteams: { width: 'Full' },
  };
  if (actions.length > 0) content.actions = actions.map(submit);
  return { contentType: ADAPTIVE_CARD, content };
}

function submit(button: Button): CardAction {
  return { type: 'Action.Submit', title: button.label, data: { action: button.action } };
}

function textBlock(text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/** A search result or one of the user's listings. */
export function listingCardAttachment(c: ListingCard): Attachment {
  const facts = [
    c.country,
    c.sectors.join(', '),
    c.trl ? `TRL ${c.trl}` : undefined,
    c.score !== undefined ? `${Math.round(c.score * 100)}%` : undefined,
  ].filter((part): part is string => Boolean(part));
  const body: Record<string, unknown>[] = [
    textBlock(escapeCardMarkdown(c.title), { weight: 'Bolder', size: 'Medium' }),
    textBlock(escapeCardMarkdown(facts.join(' · ')), { isSubtle: true, spacing: 'None' }),
  ];
  if (c.status) body.push(textBlock(escapeCardMarkdown(c.status), { color: 'Accent', weight: 'Bolder', spacing: 'Small' }));
  body.push(textBlock(toCardMarkdown(c.summary)));
  if (c.why) body.push(textBlock(`→ ${escapeCardMarkdown(c.why)}`, { isSubtle: true, size: 'Small' }));
  return card(body, c.buttons);
}

const FACT_LINE = /^\*([^*\n]+?)(?::\*|\*:)\s*(\S.*)$/;

/**
 * Text with buttons. When most lines read `*Field:* value` (the draft preview), those lines become a fact
 * set, the other lines stay text blocks around it.
 */
export function buttonsAttachment(text: string, buttons: Button[]): Attachment {
  const lines = text.split('\n');
  const factLines = lines.filter((line) => FACT_LINE.test(line));
  if (factLines.length < 3) return card([textBlock(toCardMarkdown(text))], buttons);
  const body: Record<string, unknown>[] = [];
  let facts: Array<{ title: string; value: string }> = [];
  let prose: string[] = [];
  const flushProse = () => {
    const joined = prose.join('\n').trim();
    if (joined) body.push(textBlock(toCardMarkdown(joined)));
    prose = [];
  };
  const flushFacts = () => {
    if (facts.length) body.push({ type: 'FactSet', facts });
    facts = [];
  };
  for (const line of lines) {
    const match = FACT_LINE.exec(line);
    if (match) {
      flushProse();
      facts.push({ title: escapeCardMarkdown(match[1]!.trim()), value: escapeCardMarkdown(match[2]!.trim()) });
    } else {
      flushFacts();
      prose.push(line);
    }
  }
  flushFacts();
  flushProse();
  return card(body, buttons);
}

/**
 * "Choose one": a short list as buttons; a longer one (countries, sectors) as a tappable list, each row an
 * `Action.Submit` (no extra label needed in any language).
 */
export function choiceAttachment(text: string, options: Button[]): Attachment {
  if (options.length <= MAX_BUTTON_ROW) return card([textBlock(toCardMarkdown(text))], options);
  const rows = options.map((option) => ({
    type: 'Container',
    style: 'emphasis',
    spacing: 'Small',
    selectAction: submit(option),
    items: [textBlock(escapeCardMarkdown(option.label))],
  }));
  return card([textBlock(toCardMarkdown(text)), ...rows]);
}

export function imageAttachment(png: Uint8Array, alt: string): Attachment {
  return { contentType: 'image/png', contentUrl: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, name: alt.slice(0, 120) || 'image.png' };
}

function sizeOf(activity: OutgoingActivity): number {
  return Buffer.byteLength(JSON.stringify(activity));
}

/** One activity per reply, before packing. */
function activityOf(reply: Reply): OutgoingActivity {
  switch (reply.type) {
    case 'text':
      return { type: 'message', textFormat: 'markdown', text: toMessageMarkdown(reply.text) };
    case 'cards':
      return { type: 'message', attachmentLayout: 'list', attachments: reply.cards.map(listingCardAttachment) };
    case 'buttons':
      if (reply.buttons.length === 0) return { type: 'message', textFormat: 'markdown', text: toMessageMarkdown(reply.text) };
      return { type: 'message', attachments: [buttonsAttachment(reply.text, reply.buttons)] };
    case 'choice':
      return { type: 'message', attachments: [choiceAttachment(reply.text, reply.options)] };
    case 'image':
      return { type: 'message', textFormat: 'markdown', text: escapeMessageMarkdown(reply.alt), attachments: [imageAttachment(reply.png, reply.alt)] };
  }
}

function isTextOnly(activity: OutgoingActivity): boolean {
  return activity.text !== undefined && !activity.attachments;
}

function isImage(activity: OutgoingActivity): boolean {
  return activity.attachments?.some((attachment) => attachment.contentType !== ADAPTIVE_CARD) ?? false;
}

/**
 * The replies of one engine answer as activities, in order. A text is merged into the following cards
 * (it is shown above them); consecutive card messages are merged into one list; nothing is merged past
 * MAX_ACTIVITY_BYTES or across an image.
 */
export function renderActivities(replies: Reply[]): OutgoingActivity[] {
  const out: OutgoingActivity[] = [];
  for (const reply of replies) {
    const next = activityOf(reply);
    const previous = out[out.length - 1];
    if (previous && isTextOnly(previous) && isTextOnly(next)) {
      const merged: OutgoingActivity = { ...previous, text: `${previous.text}<br><br>${next.text}` };
      if (sizeOf(merged) <= MAX_ACTIVITY_BYTES) {
        out[out.length - 1] = merged;
        continue;
      }
    }
    if (previous && !isImage(previous) && !isImage(next) && next.attachments && !next.text) {
      const merged: OutgoingActivity = {
        ...previous,
        attachmentLayout: 'list',
        attachments: [...(previous.attachments ?? []), ...next.attachments],
      };
      if (sizeOf(merged) <= MAX_ACTIVITY_BYTES) {
        out[out.length - 1] = merged;
        continue;
      }
    }
    out.push(...splitLarge(next));
  }
  return out;
}

/** A message above the size limit is split into one message per attachment (the text stays on the first). */
function splitLarge(activity: OutgoingActivity): OutgoingActivity[] {
  if (sizeOf(activity) <= MAX_ACTIVITY_BYTES || !activity.attachments || activity.attachments.length < 2) return [activity];
  const [first, ...rest] = activity.attachments;
  return [
    { ...activity, attachments: [first!] },
    ...rest.map((attachment): OutgoingActivity => ({ type: 'message', attachmentLayout: activity.attachmentLayout, attachments: [attachment] })),
  ];
}
