import type { Button, ListingCard, Reply } from '../../core/conversation/types.js';
import type { ModerationItem } from '../../core/moderation/moderation-store.js';
import type { StatsAnswer } from '../../core/stats/index.js';

/** A Block Kit block (kept loose: Slack validates the shapes). */
export type Block = Record<string, unknown>;

/** One chat.postMessage: blocks plus the notification text. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** One outgoing unit: a message, or a file to upload. */
export type SlackOutgoing = { kind: 'message'; message: SlackMessage } | { kind: 'file'; bytes: Uint8Array; filename: string; title: string };

/** Engine buttons: action_id `eng:<n>` (unique in a message), value = the engine action. */
export const ENGINE_ACTION_PREFIX = 'eng:';
export const MOD_APPROVE = 'mod:approve';
export const MOD_REJECT = 'mod:reject';
export const MOD_EDIT = 'mod:edit';
export const STATS_CSV = 'stats:csv';
export const REJECT_VIEW = 'mod:reject_reason';

const MAX_SECTION_TEXT = 3000;
const MAX_BUTTON_TEXT = 75;
const MAX_FIELDS = 10;
const MAX_BLOCKS = 50;

/** Slack's three control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The engine's `*bold*` is already mrkdwn; everything else is escaped. */
export function toMrkdwn(text: string): string {
  return escapeSlack(text);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: cut(text, MAX_SECTION_TEXT) } };
}

function button(label: string, actionId: string, value: string, style?: 'primary' | 'danger'): Block {
  return {
    type: 'button',
    text: { type: 'plain_text', text: cut(label, MAX_BUTTON_TEXT), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function engineButtons(buttons: Button[], counter: { n: number }): Block[] {
  const blocks: Block[] = [];
  // An actions block holds at most 25 elements.
  for (let at = 0; at < buttons.length; at += 25) {
    blocks.push({
      type: 'actions',
      elements: buttons.slice(at, at + 25).map((b) => button(b.label, `${ENGINE_ACTION_PREFIX}${counter.n++}`, b.action)),
    });
  }
  return blocks;
}

function cardBlocks(card: ListingCard, counter: { n: number }): Block[] {
  const fields: Block[] = [
    { type: 'mrkdwn', text: `*${escapeSlack(card.kind)}*` },
    { type: 'mrkdwn', text: escapeSlack(card.country || '—') },
  ];
  if (card.sectors.length > 0) fields.push({ type: 'mrkdwn', text: escapeSlack(card.sectors.join(', ')) });
  if (card.trl !== null) fields.push({ type: 'mrkdwn', text: `TRL ${card.trl}` });
  if (card.score !== undefined) fields.push({ type: 'mrkdwn', text: `${Math.round(card.score * 100)}%` });
  if (card.status) fields.push({ type: 'mrkdwn', text: escapeSlack(card.status) });
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: cut(`*${escapeSlack(card.title)}*\n${escapeSlack(card.summary)}`, MAX_SECTION_TEXT) }, fields: fields.slice(0, MAX_FIELDS) },
  ];
  if (card.why) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escapeSlack(card.why), MAX_SECTION_TEXT) }] });
  blocks.push(...engineButtons(card.buttons, counter));
  return blocks;
}

function plain(reply: Reply): string {
  switch (reply.type) {
    case 'text':
    case 'buttons':
    case 'choice':
      return reply.text;
    case 'cards':
      return reply.cards.map((card) => card.title).join(' · ');
    case 'image':
      return reply.alt;
  }
}

/** Engine replies as Slack messages (one per text/buttons/choice, one per batch of cards) and file uploads (images). */
export function renderReplies(replies: Reply[]): SlackOutgoing[] {
  const out: SlackOutgoing[] = [];
  const counter = { n: 0 };
  for (const reply of replies) {
    switch (reply.type) {
      case 'text':
        out.push({ kind: 'message', message: { text: cut(reply.text, 3000), blocks: [section(toMrkdwn(reply.text))] } });
        break;
      case 'buttons':
        out.push({ kind: 'message', message: { text: cut(reply.text, 3000), blocks: [section(toMrkdwn(reply.text)), ...engineButtons(reply.buttons, counter)] } });
        break;
      case 'choice':
        out.push({ kind: 'message', message: { text: cut(reply.text, 3000), blocks: [section(toMrkdwn(reply.text)), ...engineButtons(reply.options, counter)] } });
        break;
      case 'cards': {
        const blocks: Block[] = [];
        for (const [index, card] of reply.cards.entries()) {
          if (index > 0) blocks.push({ type: 'divider' });
          blocks.push(...cardBlocks(card, counter));
        }
        out.push({ kind: 'message', message: { text: cut(plain(reply), 3000), blocks: blocks.slice(0, MAX_BLOCKS) } });
        break;
      }
      case 'image':
        out.push({ kind: 'file', bytes: reply.png, filename: 'image.png', title: reply.alt });
        break;
    }
  }
  return out;
}

/** A statistics answer: title, the table as section fields (label | count), notes, and the CSV button. */
export function renderStats(answer: StatsAnswer, question: string): SlackMessage {
  const blocks: Block[] = [section(`*${escapeSlack(answer.title)}*`)];
  const header = answer.columns.map((column) => escapeSlack(column.label));
  const cells = answer.rows.map((row) => row.map((cell) => escapeSlack(String(cell))));
  // Two columns per row (label, figures); more figures are joined into the second column.
  const fieldPairs: Array<[string, string]> = [];
  if (header.length > 1) fieldPairs.push([`*${header[0]}*`, `*${header.slice(1).join(' · ')}*`]);
  for (const row of cells) {
    if (row.length === 1) fieldPairs.push([`${header[0] ?? ''}`, row[0]!]);
    else fieldPairs.push([row[0]!, row.slice(1).join(' · ')]);
  }
  if (fieldPairs.length === 0) fieldPairs.push(['—', String(answer.total)]);
  const perSection = MAX_FIELDS / 2;
  for (let at = 0; at < fieldPairs.length && blocks.length < MAX_BLOCKS - 3; at += perSection) {
    blocks.push({ type: 'section', fields: fieldPairs.slice(at, at + perSection).flat().map((text) => ({ type: 'mrkdwn', text: cut(text, 2000) })) });
  }
  if (answer.notes.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(escapeSlack(answer.notes.join('\n')), MAX_SECTION_TEXT) }] });
  blocks.push({ type: 'actions', elements: [button('CSV', STATS_CSV, cut(question, 2000))] });
  return { text: answer.title, blocks };
}

/** What can be asked, with examples (a question that was not understood). */
export function renderStatsHelp(help: { message: string; examples: string[] }): SlackMessage {
  const text = `${help.message}\n${help.examples.map((example) => `• ${example}`).join('\n')}`;
  return { text: help.message, blocks: [section(escapeSlack(text))] };
}

/** The review message in the moderation channel: preview and Approve / Reject / Edit. */
export function renderModerationPost(item: ModerationItem): SlackMessage {
  const fields: Block[] = [
    { type: 'mrkdwn', text: `*Kind*\n${escapeSlack(item.kind)}` },
    { type: 'mrkdwn', text: `*Country*\n${escapeSlack(item.country ?? '—')}` },
    { type: 'mrkdwn', text: `*Sectors*\n${escapeSlack(item.sectors.join(', ') || '—')}` },
    { type: 'mrkdwn', text: `*TRL*\n${item.trl ?? '—'}` },
    { type: 'mrkdwn', text: `*Language*\n${escapeSlack(item.language)}` },
    { type: 'mrkdwn', text: `*Submitted by*\n${escapeSlack(item.ownerRef ?? '—')}` },
  ];
  const value = String(item.listingId);
  return {
    text: `New listing to review: ${item.title}`,
    blocks: [
      section(`:inbox_tray: *New listing to review* (#${item.listingId})`),
      { type: 'section', text: { type: 'mrkdwn', text: cut(`*${escapeSlack(item.title)}*\n${escapeSlack(item.summary)}`, MAX_SECTION_TEXT) }, fields },
      {
        type: 'actions',
        block_id: `mod:${item.listingId}`,
        elements: [button('Approve', MOD_APPROVE, value, 'primary'), button('Reject', MOD_REJECT, value, 'danger'), button('Edit', MOD_EDIT, value)],
      },
    ],
  };
}

/** The review message after a decision: the preview stays, the buttons go. */
export function renderModerationDone(item: ModerationItem, decision: 'approved' | 'rejected', moderatorId: string, reason: string | null): SlackMessage {
  const outcome =
    decision === 'approved'
      ? `:white_check_mark: Approved by <@${escapeSlack(moderatorId)}>: now published.`
      : `:x: Rejected by <@${escapeSlack(moderatorId)}>. Reason: ${escapeSlack(reason ?? '—')}`;
  return {
    text: `${decision === 'approved' ? 'Approved' : 'Rejected'}: ${item.title}`,
    blocks: [
      section(`*${escapeSlack(item.title)}* (#${item.listingId})\n${escapeSlack(cut(item.summary, 500))}`),
      { type: 'context', elements: [{ type: 'mrkdwn', text: outcome }] },
    ],
  };
}

/** The modal that asks a moderator for the reason of a rejection. */
export function rejectReasonView(listingId: number, title: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: REJECT_VIEW,
    private_metadata: String(listingId),
    title: { type: 'plain_text', text: 'Reject listing' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${escapeSlack(cut(title, 200))}*`),
      {
        type: 'input',
        block_id: 'reason',
        label: { type: 'plain_text', text: 'Reason (sent to the submitter)' },
        element: { type: 'plain_text_input', action_id: 'reason', multiline: true, max_length: 1000 },
      },
    ],
  };
}
