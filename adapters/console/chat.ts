import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import type { ConversationEngine, EngineInput } from '../../core/conversation/types.js';
import { renderReplies, type RenderedReplies } from './render.js';

export interface ConsoleChatOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Interactive terminal: prompt and colours; otherwise one message per input line, plain output. */
  interactive: boolean;
  userId?: string;
  conversationId?: string;
  locale?: string;
}

/**
 * The console channel: a terminal chat on the same engine as Telegram, Slack and Teams. A number that
 * matches a shown button presses it; anything else is sent as text. Returns when input ends.
 */
export async function runConsoleChat(engine: ConversationEngine, options: ConsoleChatOptions): Promise<void> {
  const userId = options.userId ?? `local-${userInfo().username}`;
  const conversationId = options.conversationId ?? 'console';
  const write = (text: string) => options.output.write(`${text}\n`);
  const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
  let last: RenderedReplies = { text: '', choices: [] };
  const prompt = () => {
    if (options.interactive) options.output.write('\n› ');
  };
  if (options.interactive) write('Jembatan console chat. Type help, describe a need, or a number to press a button. Ctrl-D to quit.');
  prompt();
  for await (const line of lines) {
    const text = line.trim();
    if (!options.interactive) write(`› ${line}`);
    if (text === '') {
      prompt();
      continue;
    }
    const pressed = /^\d{1,2}$/.test(text) ? last.choices[Number(text) - 1] : undefined;
    const message: EngineInput['message'] = pressed ? { type: 'action', action: pressed.action } : { type: 'text', text: line };
    const output = await engine.handle({ channel: 'console', userId, conversationId, message, localeHint: options.locale });
    last = renderReplies(output.replies, { color: options.interactive });
    write(last.text);
    prompt();
  }
}
