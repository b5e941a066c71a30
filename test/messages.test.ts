import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MESSAGES_DIR, placeholders, readCatalog, type Catalog } from '../core/conversation/i18n.js';
import { DRAFT_FIELDS } from '../core/conversation/state.js';
import { LANGUAGES, type Language } from '../core/domain/languages.js';
import { IP_STATUSES, LISTING_KINDS, LISTING_STATUSES, PARTNERSHIP_TYPES } from '../core/domain/listing.js';
import { SECTORS } from '../core/domain/sectors.js';

/**
 * The message catalogs in prompts/messages: every language has English's keys, placeholders and bold
 * markers, nothing is left empty or untranslated, button labels stay short, and every key the
 * conversation code asks for exists. The checks are plain functions returning problems, so the last block
 * can show that each of them fails on a broken catalog.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONVERSATION_DIR = join(ROOT, 'core/conversation');
const OTHER_LANGUAGES = LANGUAGES.filter((language) => language !== 'en');

/** Key templates in the code (`t(\`sector.${…}\`)`) and the values they can take. */
const TEMPLATE_VALUES: Record<string, readonly string[]> = {
  sector: SECTORS,
  ip: IP_STATUSES,
  partnership: PARTNERSHIP_TYPES,
  kind: LISTING_KINDS,
  status: LISTING_STATUSES,
  field: DRAFT_FIELDS,
};

/** Keys without a dot that the code may name in a ternary or a switch. */
const SINGLE_WORD_KEYS = ['greeting', 'thanks', 'nothing_pending'];

/**
 * Messages that may legitimately read exactly as in English: `*` for every language, or the languages
 * where people use the English word. Messages made only of placeholders, acronyms, digits and punctuation
 * ("TRL", "IP: {{ip}}") are allowed everywhere without being listed.
 */
const SAME_AS_ENGLISH: Record<string, '*' | readonly Language[]> = {
  'sector.aerospace': ['fil'],
  'ip.open_source': ['fil'],
  'ip.trade_secret': ['fil'],
  'partnership.joint_venture': ['fil'],
};

/** A file with more identical messages than this share is reported as untranslated as a whole. */
const MAX_IDENTICAL_SHARE = 0.1;

/** Telegram buttons: labels longer than this are cut on phones. Counted in user-perceived characters. */
const MAX_LABEL_CHARS = 30;
/** Keys shown as button labels besides `button.*`: confirmations, feedback reasons, choice options. */
const LABEL_KEYS = ['forget.yes', 'forget.no', 'feedback.too_early', 'feedback.wrong_sector', 'feedback.wrong_country', 'feedback.other'];
const LABEL_PREFIXES = ['button.', 'sector.', 'ip.', 'partnership.'];

// ---------------------------------------------------------------------------------------------------
// Checks: each returns the problems it found (empty when all is well).

interface KeyReport {
  missing: string[];
  extra: string[];
}

function keyProblems(english: Catalog, other: Catalog): KeyReport | undefined {
  const missing = Object.keys(english).filter((key) => !(key in other));
  const extra = Object.keys(other).filter((key) => !(key in english));
  return missing.length || extra.length ? { missing, extra } : undefined;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function placeholderProblems(language: string, english: Catalog, other: Catalog): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(other)) {
    const source = english[key];
    if (source === undefined) continue;
    const want = unique(placeholders(source));
    const got = unique(placeholders(message));
    if (want.join() !== got.join()) {
      problems.push(`${language} ${key}: placeholders {${got.join(', ')}} instead of {${want.join(', ')}}`);
    }
    const leftover = message.replace(/\{\{\s*[\w.]+\s*\}\}/g, '');
    if (/\{\{|\}\}/.test(leftover)) problems.push(`${language} ${key}: broken placeholder braces in "${message}"`);
  }
  return problems;
}

function emptyProblems(language: string, catalog: Catalog): string[] {
  return Object.entries(catalog)
    .filter(([, message]) => message.trim().length === 0)
    .map(([key]) => `${language} ${key}: empty message`);
}

/** Only placeholders, acronyms (two or more capitals), digits, punctuation and spaces. */
function languageNeutral(message: string): boolean {
  const rest = message.replace(/\{\{\s*[\w.]+\s*\}\}/g, ' ').replace(/\b[A-Z]{2,}\b/g, ' ');
  return !/\p{L}/u.test(rest);
}

function identicalKeys(english: Catalog, other: Catalog): string[] {
  return Object.keys(other).filter((key) => other[key] === english[key]);
}

function untranslatedProblems(language: Language, english: Catalog, other: Catalog): string[] {
  const identical = identicalKeys(english, other);
  const total = Object.keys(other).length;
  const problems: string[] = [];
  if (total > 0 && identical.length / total > MAX_IDENTICAL_SHARE) {
    problems.push(`${language}: ${identical.length} of ${total} messages are identical to English; the file looks untranslated`);
  }
  for (const key of identical) {
    const allowed = SAME_AS_ENGLISH[key];
    if (allowed === '*' || allowed?.includes(language) || languageNeutral(other[key]!)) continue;
    problems.push(`${language} ${key}: identical to English ("${other[key]}")`);
  }
  return problems;
}

/** `*bold*` spans: a marker pair on one line around some text. */
function boldSpans(message: string): number {
  return (message.match(/\*[^*\n]+\*/g) ?? []).length;
}

function boldProblems(language: string, english: Catalog, catalog: Catalog): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(catalog)) {
    if (message.replace(/\*[^*\n]+\*/g, '').includes('*')) {
      problems.push(`${language} ${key}: unpaired * bold marker in "${message}"`);
      continue;
    }
    const source = english[key];
    if (source !== undefined && boldSpans(source) !== boldSpans(message)) {
      problems.push(`${language} ${key}: ${boldSpans(message)} bold span(s) instead of ${boldSpans(source)}`);
    }
  }
  return problems;
}

/** Line breaks and • bullets are the only layout: a translation keeps as many as English. */
function layoutProblems(language: string, english: Catalog, catalog: Catalog): string[] {
  const count = (text: string, char: string) => text.split(char).length - 1;
  const problems: string[] = [];
  for (const [key, message] of Object.entries(catalog)) {
    const source = english[key];
    if (source === undefined) continue;
    for (const [char, name] of [['\n', 'line break'], ['•', 'bullet']] as const) {
      if (count(message, char) !== count(source, char)) {
        problems.push(`${language} ${key}: ${count(message, char)} ${name}(s) instead of ${count(source, char)}`);
      }
    }
  }
  return problems;
}

/** Messages that tell the user to press a button name it by its label ("Press \"More\" …"). */
const BUTTON_REFERENCES: ReadonlyArray<readonly [message: string, button: string]> = [
  ['find.more_hint', 'button.more'],
  ['draft.use_buttons', 'button.submit'],
];

function namesInQuotes(message: string, label: string): boolean {
  const quotes = [['"', '"'], ['“', '”'], ['«', '»']] as const;
  return quotes.some(([open, close]) => message.includes(`${open}${label}${close}`));
}

function buttonReferenceProblems(language: string, catalog: Catalog): string[] {
  return BUTTON_REFERENCES.filter(([message, button]) => !namesInQuotes(catalog[message] ?? '', catalog[button] ?? '')).map(
    ([message, button]) => `${language} ${message}: does not name the button ${button} in quotes as labelled ("${catalog[button]}")`,
  );
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function visibleLength(text: string): number {
  return [...graphemes.segment(text)].length;
}

function labelProblems(language: string, catalog: Catalog, labelKeys: ReadonlySet<string>): string[] {
  return Object.entries(catalog)
    .filter(([key]) => labelKeys.has(key) || LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)))
    .filter(([, label]) => visibleLength(label) > MAX_LABEL_CHARS)
    .map(([key, label]) => `${language} ${key}: button label of ${visibleLength(label)} characters (max ${MAX_LABEL_CHARS}): "${label}"`);
}

// ---------------------------------------------------------------------------------------------------
// Keys used by the conversation code.

interface SourceScan {
  /** First arguments of say/buttons/choice/button/t written as plain string literals. */
  literals: Set<string>;
  /** First arguments of button(): shown as labels. */
  buttonKeys: Set<string>;
  /**
   * Prefixes of key templates, "sector" for `sector.${…}`: `inCall` when the template is the first
   * argument of t() & co. Fully dynamic templates (`${prefix}.${value}`) cannot be checked and are skipped.
   */
  prefixes: Map<string, { where: string; inCall: boolean }>;
  /** Every quoted string that looks like a message key (ternaries, variables, helpers), with its file. */
  keyLike: Map<string, string>;
}

const LITERAL_ARGUMENT = /\b(say|buttons|choice|button|t)\(\s*(['"`])([^'"`$\\\n]*)\2/g;
const TEMPLATE_ARGUMENT = /\b(?:say|buttons|choice|button|t)\(\s*`([A-Za-z_]+)\.\$\{/g;
const ANY_TEMPLATE = /`([a-z_]+)\.\$\{/g;
const KEY_LIKE = new RegExp(`(['"\`])([a-z_]+\\.[A-Za-z_.]+|${SINGLE_WORD_KEYS.join('|')})\\1`, 'g');

function scanSource(source: string, where: string, scan?: SourceScan): SourceScan {
  const result: SourceScan = scan ?? { literals: new Set(), buttonKeys: new Set(), prefixes: new Map(), keyLike: new Map() };
  for (const match of source.matchAll(LITERAL_ARGUMENT)) {
    result.literals.add(match[3]!);
    if (match[1] === 'button') result.buttonKeys.add(match[3]!);
  }
  for (const match of source.matchAll(ANY_TEMPLATE)) {
    if (!result.prefixes.has(match[1]!)) result.prefixes.set(match[1]!, { where, inCall: false });
  }
  for (const match of source.matchAll(TEMPLATE_ARGUMENT)) result.prefixes.set(match[1]!, { where, inCall: true });
  for (const match of source.matchAll(KEY_LIKE)) result.keyLike.set(match[2]!, where);
  return result;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(dir, name))
    .sort();
}

function scanConversationCode(dir = CONVERSATION_DIR): SourceScan {
  let scan: SourceScan | undefined;
  for (const file of typeScriptFiles(dir)) scan = scanSource(readFileSync(file, 'utf8'), relative(ROOT, file), scan);
  if (!scan) throw new Error(`no TypeScript files in ${dir}`);
  return scan;
}

function codeKeyProblems(scan: SourceScan, english: Catalog): string[] {
  const problems: string[] = [];
  const catalogPrefixes = new Set(Object.keys(english).filter((key) => key.includes('.')).map((key) => key.split('.')[0]!));
  for (const key of scan.literals) {
    if (!(key in english)) problems.push(`the code uses "${key}", which en.json does not have`);
  }
  for (const [prefix, { where, inCall }] of scan.prefixes) {
    const values = TEMPLATE_VALUES[prefix];
    if (!values) {
      // Other templates (`set:country:${…}`, file names) are no message keys, unless t() & co. get them.
      if (inCall || catalogPrefixes.has(prefix)) problems.push(`${where}: key template "${prefix}.\${…}" has no known set of values`);
      continue;
    }
    for (const value of values) {
      if (!(`${prefix}.${value}` in english)) problems.push(`${where}: "${prefix}.${value}" (from a key template) is missing in en.json`);
    }
  }
  for (const [text, where] of scan.keyLike) {
    const looksLikeKey = SINGLE_WORD_KEYS.includes(text) || catalogPrefixes.has(text.split('.')[0]!);
    if (looksLikeKey && !(text in english)) problems.push(`${where}: "${text}" looks like a message key but en.json does not have it`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------

const english = readCatalog('en');
const catalogs = new Map<Language, Catalog>(LANGUAGES.map((language): [Language, Catalog] => [language, readCatalog(language)]));
const catalog = (language: Language): Catalog => catalogs.get(language)!;
const scan = scanConversationCode();
const labelKeys = new Set([...LABEL_KEYS, ...scan.buttonKeys]);

describe('message catalogs', () => {
  it('exist for every language, with a _comment', () => {
    for (const language of LANGUAGES) {
      const raw = JSON.parse(readFileSync(`${MESSAGES_DIR}${language}.json`, 'utf8')) as Record<string, unknown>;
      expect(typeof raw._comment, `${language}.json _comment`).toBe('string');
    }
  });

  it('have exactly the keys of en.json', () => {
    const report: Record<string, KeyReport> = {};
    for (const language of OTHER_LANGUAGES) {
      const problem = keyProblems(english, catalog(language));
      if (problem) report[language] = problem;
    }
    const summary = Object.entries(report)
      .map(([language, { missing, extra }]) => `${language}.json: missing [${missing.join(', ')}], extra [${extra.join(', ')}]`)
      .join('\n');
    expect(report, `keys differ from en.json:\n${summary}`).toEqual({});
  });

  it('use the same placeholders as English', () => {
    const problems = OTHER_LANGUAGES.flatMap((language) => placeholderProblems(language, english, catalog(language)));
    expect(problems).toEqual([]);
  });

  it('have no empty message', () => {
    const problems = LANGUAGES.flatMap((language) => emptyProblems(language, catalog(language)));
    expect(problems).toEqual([]);
  });

  it('are translated (identical to English only where allowed)', () => {
    const problems = OTHER_LANGUAGES.flatMap((language) => untranslatedProblems(language, english, catalog(language)));
    expect(problems).toEqual([]);
  });

  it('pair every * bold marker, with as many bold spans as English', () => {
    const problems = LANGUAGES.flatMap((language) => boldProblems(language, english, catalog(language)));
    expect(problems).toEqual([]);
  });

  it('keep the line breaks and bullets of English', () => {
    const problems = OTHER_LANGUAGES.flatMap((language) => layoutProblems(language, english, catalog(language)));
    expect(problems).toEqual([]);
  });

  it('name the buttons they refer to by their labels', () => {
    const problems = LANGUAGES.flatMap((language) => buttonReferenceProblems(language, catalog(language)));
    expect(problems).toEqual([]);
  });

  it(`keep button labels within ${MAX_LABEL_CHARS} characters`, () => {
    const problems = LANGUAGES.flatMap((language) => labelProblems(language, catalog(language), labelKeys));
    expect(problems).toEqual([]);
  });
});

describe('keys used by core/conversation', () => {
  it('are found by the scan (the scan itself works)', () => {
    expect(scan.literals.size).toBeGreaterThan(50);
    expect(scan.literals).toContain('help.text');
    expect(scan.buttonKeys).toContain('button.find');
    expect([...scan.prefixes.keys()]).toEqual(expect.arrayContaining(['sector', 'ip', 'partnership', 'kind', 'status', 'field']));
    expect(scan.keyLike.has('draft.ask_need') && scan.keyLike.has('intro.already')).toBe(true);
  });

  it('all exist in en.json (literals, key templates over their enums, keys chosen in ternaries)', () => {
    expect(codeKeyProblems(scan, english)).toEqual([]);
  });
});

describe('the checks fail on broken catalogs', () => {
  // A deliberately broken Thai catalog in a temporary directory, read with readCatalog like the real ones.
  const dir = `${mkdtempSync(join(tmpdir(), 'jembatan-messages-'))}/`;
  const broken: Record<string, string> = { ...english };
  delete broken['find.no_more'];
  broken['find.bogus'] = 'extra';
  broken['input.truncated'] = 'ยาวเกิน อ่านแค่ {{maximum}} ตัวอักษร';
  broken['find.filters'] = 'ตัวกรอง: {{filters}';
  broken['input.empty'] = '  ';
  broken['help.text'] = '*สิ่งที่เราช่วยได้\nพิมพ์ "offer"';
  broken['privacy.text'] = 'ความเป็นส่วนตัว: ไม่มีตัวหนา';
  broken['button.find'] = 'ค้นหาเทคโนโลยีที่เหมาะกับธุรกิจของคุณได้ที่นี่';
  writeFileSync(`${dir}th.json`, JSON.stringify({ _comment: 'broken on purpose', ...broken }));
  const bad = readCatalog('th', dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports missing and extra keys', () => {
    expect(keyProblems(english, bad)).toEqual({ missing: ['find.no_more'], extra: ['find.bogus'] });
    expect(keyProblems(english, english)).toBeUndefined();
  });

  it('reports renamed and broken placeholders', () => {
    const problems = placeholderProblems('th', english, bad);
    expect(problems.some((p) => p.startsWith('th input.truncated'))).toBe(true);
    expect(problems.some((p) => p.startsWith('th find.filters'))).toBe(true);
  });

  it('reports empty messages', () => {
    expect(emptyProblems('th', bad)).toEqual(['th input.empty: empty message']);
  });

  it('reports a whole untranslated file and single untranslated messages, but not allowed ones', () => {
    const problems = untranslatedProblems('th', english, bad);
    expect(problems[0]).toMatch(/looks untranslated/);
    expect(problems).toContainEqual(expect.stringMatching(/^th greeting: identical to English/));
    expect(problems.some((p) => p.startsWith('th field.trl') || p.startsWith('th details.ip'))).toBe(false);
    const almost = { ...catalog('th'), greeting: english.greeting! };
    expect(untranslatedProblems('th', english, almost)).toEqual([`th greeting: identical to English ("${english.greeting}")`]);
    expect(untranslatedProblems('fil', english, { ...catalog('fil') })).toEqual([]);
    expect(untranslatedProblems('id', english, { ...catalog('id'), 'ip.open_source': english['ip.open_source']! })).toHaveLength(1);
  });

  it('reports unpaired and lost bold markers', () => {
    const problems = boldProblems('th', english, bad);
    expect(problems).toContainEqual(expect.stringMatching(/^th help\.text: unpaired/));
    expect(problems).toContainEqual(expect.stringMatching(/^th privacy\.text: 0 bold span\(s\) instead of 1/));
  });

  it('reports lost line breaks and bullets', () => {
    const problems = layoutProblems('th', english, bad);
    expect(problems).toContain('th help.text: 1 line break(s) instead of 5');
    expect(problems).toContain('th help.text: 0 bullet(s) instead of 5');
    expect(problems).toContain('th privacy.text: 0 line break(s) instead of 1');
  });

  it('reports a hint naming a button by another label', () => {
    expect(buttonReferenceProblems('th', { ...catalog('th'), 'button.more': 'ถัดไป' })).toEqual([
      'th find.more_hint: does not name the button button.more in quotes as labelled ("ถัดไป")',
    ]);
  });

  it('reports long button labels', () => {
    expect(labelProblems('th', bad, labelKeys)).toEqual([expect.stringMatching(/^th button\.find: button label of \d+ characters/)]);
    expect(labelProblems('th', { 'forget.yes': 'x'.repeat(31), 'forget.confirm': 'x'.repeat(200) }, labelKeys)).toHaveLength(1);
  });

  it('reports keys the code uses that do not exist', () => {
    const source = [
      "turn.say('draft.no_such_key');",
      "turn.say(created ? 'intro.requested' : 'intro.never_written', { title });",
      'turn.t(`sector.${sector}`);',
      'turn.t(`mood.${mood}`);',
      "const label = 'greeting';",
      "import { x } from './labels.js';",
      'const action = `set:country:${code}`;',
    ].join('\n');
    const withoutSector = { ...english };
    delete withoutSector['sector.health'];
    delete withoutSector.greeting;
    const problems = codeKeyProblems(scanSource(source, 'fixture.ts'), withoutSector);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"draft.no_such_key"'),
        expect.stringContaining('"intro.never_written"'),
        expect.stringContaining('"sector.health"'),
        expect.stringContaining('"mood.${…}"'),
        expect.stringContaining('"greeting"'),
      ]),
    );
    expect(problems.some((p) => p.includes('labels.js') || p.includes('set:country'))).toBe(false);
  });
});
