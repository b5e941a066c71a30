import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the LLM prompts live (`prompts/llm/*.md`). */
export const PROMPT_DIR = fileURLToPath(new URL('../../prompts/llm/', import.meta.url));

/** Each prompt, the file it is read from and the placeholders it must contain (and may contain). */
const PROMPT_SPECS = {
  understandSystem: { file: 'understand.system.md', placeholders: ['function_name', 'commands', 'kinds', 'sectors', 'languages', 'data_rules'] },
  understandUser: { file: 'understand.user.md', placeholders: ['user_language', 'awaiting', 'has_results', 'message_block'] },
  extractSystem: {
    file: 'extract.system.md',
    placeholders: ['kind', 'kind_meaning', 'function_name', 'sectors', 'ip_statuses', 'partnership_types', 'data_rules'],
  },
  extractUser: { file: 'extract.user.md', placeholders: ['language_name', 'kind', 'description_block'] },
  explainSystem: { file: 'explain.system.md', placeholders: ['language_name', 'data_rules'] },
  explainUser: { file: 'explain.user.md', placeholders: ['need_block', 'title_block', 'summary_block', 'language_name'] },
  translateSystem: { file: 'translate.system.md', placeholders: ['from_language', 'to_language', 'data_rules'] },
  translateUser: { file: 'translate.user.md', placeholders: ['from_language', 'to_language', 'text_block'] },
} as const satisfies Record<string, { file: string; placeholders: readonly string[] }>;

export type PromptName = keyof typeof PROMPT_SPECS;
type PlaceholderOf<N extends PromptName> = (typeof PROMPT_SPECS)[N]['placeholders'][number];
/** Values for a prompt's placeholders; `data_rules` is filled in by `render` itself. */
export type PromptValues<N extends PromptName> = Record<Exclude<PlaceholderOf<N>, 'data_rules'>, string>;

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;

export class PromptError extends Error {
  override name = 'PromptError';
}

/** The LLM prompt templates, read once from disk and checked: every placeholder known, none missing. */
export class LlmPrompts {
  private constructor(
    private readonly templates: Record<PromptName, string>,
    /** The shared rules about delimited data (`data-rules.md`), inserted at `{{data_rules}}`. */
    readonly dataRules: string,
  ) {}

  static load(dir: string = PROMPT_DIR): LlmPrompts {
    const read = (file: string) => {
      try {
        return readFileSync(join(dir, file), 'utf8').trim();
      } catch (error) {
        throw new PromptError(`Cannot read the LLM prompt ${join(dir, file)}: ${(error as Error).message}`);
      }
    };
    const templates = {} as Record<PromptName, string>;
    for (const [name, spec] of Object.entries(PROMPT_SPECS) as Array<[PromptName, (typeof PROMPT_SPECS)[PromptName]]>) {
      const text = read(spec.file);
      const found = new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!));
      const allowed = new Set<string>(spec.placeholders);
      const unknown = [...found].filter((placeholder) => !allowed.has(placeholder));
      const missing = [...allowed].filter((placeholder) => !found.has(placeholder));
      if (unknown.length > 0 || missing.length > 0) {
        throw new PromptError(
          `LLM prompt ${spec.file}: ${[
            unknown.length ? `unknown placeholders ${unknown.map((p) => `{{${p}}}`).join(', ')}` : '',
            missing.length ? `missing placeholders ${missing.map((p) => `{{${p}}}`).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; ')}`,
        );
      }
      templates[name] = text;
    }
    const dataRules = read('data-rules.md');
    if (PLACEHOLDER.test(dataRules)) throw new PromptError('LLM prompt data-rules.md must not contain placeholders');
    PLACEHOLDER.lastIndex = 0;
    return new LlmPrompts(templates, dataRules);
  }

  /**
   * Fills a prompt in one pass, so text inside a value (user or listing data) is never itself treated as a
   * placeholder.
   */
  render<N extends PromptName>(name: N, values: PromptValues<N>): string {
    const all: Record<string, string> = { ...(values as Record<string, string>), data_rules: this.dataRules };
    return this.templates[name].replace(PLACEHOLDER, (_match, key: string) => {
      const value = all[key];
      if (value === undefined) throw new PromptError(`LLM prompt ${name}: no value for {{${key}}}`);
      return value;
    });
  }
}

let defaults: LlmPrompts | undefined;

/** The prompts in `prompts/llm/`, read on first use (at startup, when the LLM services are built). */
export function defaultPrompts(): LlmPrompts {
  defaults ??= LlmPrompts.load();
  return defaults;
}
