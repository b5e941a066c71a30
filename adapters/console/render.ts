import type { Button, ListingCard, Reply } from '../../core/conversation/types.js';

/**
 * Renders engine replies as plain terminal text. Buttons become numbered choices; the returned list maps
 * each number to its action, so typing "2" presses the second button.
 */
export interface RenderedReplies {
  text: string;
  choices: Button[];
}

function bold(text: string, color: boolean): string {
  return text.replace(/\*([^*\n]+)\*/g, (_, inner: string) => (color ? `\u001b[1m${inner}\u001b[22m` : inner));
}

function card(c: ListingCard, index: number, color: boolean, number: (button: Button) => string): string {
  const facts = [c.country, c.sectors.join(', '), c.trl ? `TRL ${c.trl}` : undefined, c.score !== undefined ? `${Math.round(c.score * 100)}%` : undefined]
    .filter(Boolean)
    .join(' · ');
  const lines = [`${index + 1}. ${bold(`*${c.title}*`, color)}`, `   ${facts}`];
  if (c.status) lines.push(`   [${c.status}]`);
  lines.push(...c.summary.split('\n').map((line) => `   ${line}`));
  if (c.why) lines.push(`   → ${c.why}`);
  if (c.buttons.length > 0) lines.push(`   ${c.buttons.map(number).join('  ')}`);
  return lines.join('\n');
}

export function renderReplies(replies: Reply[], options: { color?: boolean } = {}): RenderedReplies {
  const color = options.color ?? false;
  const choices: Button[] = [];
  const number = (button: Button) => {
    choices.push(button);
    return `[${choices.length}] ${button.label}`;
  };
  const blocks = replies.map((reply) => {
    switch (reply.type) {
      case 'text':
        return bold(reply.text, color);
      case 'cards':
        return reply.cards.map((c, i) => card(c, i, color, number)).join('\n\n');
      case 'buttons':
        return `${bold(reply.text, color)}${reply.buttons.length ? `\n${reply.buttons.map(number).join('  ')}` : ''}`;
      case 'choice':
        return `${bold(reply.text, color)}\n${reply.options.map((option) => `  ${number(option)}`).join('\n')}`;
      case 'image':
        return `[image: ${reply.alt} (${reply.png.byteLength} bytes PNG)]`;
    }
  });
  return { text: blocks.join('\n\n'), choices };
}
