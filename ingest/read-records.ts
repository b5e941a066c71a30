import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse/sync';

export const SUPPORTED_EXTENSIONS = ['.csv', '.json', '.jsonl', '.ndjson'] as const;

/** One record read from a file, or the reason it could not be read. `line` is 1-based (CSV: the row's first line). */
export type RawRecord =
  | { file: string; line: number; value: Record<string, unknown> }
  | { file: string; line: number; error: string };

export class InputError extends Error {
  override name = 'InputError';
}

/** Files to ingest: the file itself, or every supported file under a directory (sorted). */
export function listInputFiles(path: string): string[] {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new InputError(`${path} does not exist. Give a .csv, .json or .jsonl file, or a directory of them.`);
  }
  if (stats.isFile()) {
    if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())) {
      throw new InputError(`${path}: unsupported file type. Use .csv, .json, .jsonl or .ndjson.`);
    }
    return [path];
  }
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if ((SUPPORTED_EXTENSIONS as readonly string[]).includes(extname(entry.name).toLowerCase())) files.push(full);
    }
  };
  walk(path);
  if (files.length === 0) throw new InputError(`${path} contains no .csv, .json or .jsonl files.`);
  return files;
}

/** Quick estimate of the number of records in a file, for the progress bar. */
export function estimateRecords(file: string): number {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return -1;
  const text = readFileSync(file, 'utf8');
  let lines = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
  if (text.length > 0 && !text.endsWith('\n')) lines++;
  return ext === '.csv' ? Math.max(0, lines - 1) : lines;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Streams the records of one file; a broken record becomes an error entry and reading goes on. */
export async function* readRecords(file: string, root = '.'): AsyncGenerator<RawRecord> {
  const name = relative(root, file) || file;
  const ext = extname(file).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      try {
        const value: unknown = JSON.parse(text);
        if (isObject(value)) yield { file: name, line, value };
        else yield { file: name, line, error: 'line is not a JSON object' };
      } catch (error) {
        yield { file: name, line, error: `invalid JSON (${(error as Error).message})` };
      }
    }
    return;
  }
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      yield { file: name, line: 1, error: `invalid JSON file (${(error as Error).message})` };
      return;
    }
    const records = Array.isArray(parsed) ? parsed : isObject(parsed) && Array.isArray(parsed.records) ? parsed.records : undefined;
    if (!records) {
      yield { file: name, line: 1, error: 'a .json file must hold an array of records or {"records": [...]}' };
      return;
    }
    for (const [index, value] of records.entries()) {
      // JSON arrays have no line numbers worth reporting: the record's position (1-based) stands in.
      if (isObject(value)) yield { file: name, line: index + 1, value };
      else yield { file: name, line: index + 1, error: 'record is not a JSON object' };
    }
    return;
  }
  yield* readCsvRecords(readFileSync(file, 'utf8'), name);
}

/** Offsets (in characters) where each physical line starts; index 0 is line 1. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10 && i + 1 < text.length) starts.push(i + 1);
  return starts;
}

function newlinesWithin(raw: string): number {
  let count = 0;
  const body = raw.replace(/\r?\n$/, '');
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) count++;
  return count;
}

/**
 * CSV with recovery: csv-parse stops at a malformed row (a stray quote, say), so on an error the row is
 * reported at the line where it starts and parsing resumes on the next physical line, with the header
 * already read. Good rows before and after a broken one are all returned.
 */
async function* readCsvRecords(text: string, name: string): AsyncGenerator<RawRecord> {
  const starts = lineStarts(text);
  let header: string[] | undefined;
  let fromLine = 1; // physical line where the current parse begins
  while (fromLine <= starts.length) {
    let lastEnd = fromLine === 1 ? 1 : fromLine - 1; // last physical line consumed by a good record or the header
    const offset = fromLine - 1;
    const rows: Array<{ value: Record<string, string>; start: number; end: number }> = [];
    let failure: unknown;
    try {
      // on_record sees each good row as soon as it is parsed, so the rows before a failure are kept.
      parse(text.slice(starts[fromLine - 1]), {
        columns: header ?? ((names: string[]) => (header = names)),
        bom: fromLine === 1,
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true,
        raw: true,
        on_record: (row: { record: Record<string, string>; raw: string }, context: { lines: number }) => {
          const end = offset + context.lines;
          rows.push({ value: row.record, start: end - newlinesWithin(row.raw), end });
          return null;
        },
      });
    } catch (error) {
      failure = error;
    }
    for (const row of rows) {
      yield { file: name, line: row.start, value: row.value };
      lastEnd = row.end;
    }
    if (failure === undefined) return;
    const message = (failure as Error).message.replace(/ at line \d+/, '');
    if (!header) {
      yield { file: name, line: 1, error: `CSV error in the header row: ${message}` };
      return;
    }
    let badLine = lastEnd + 1;
    while (badLine < starts.length && text.slice(starts[badLine - 1], starts[badLine]).trim() === '') badLine++;
    yield { file: name, line: badLine, error: `CSV error: ${message}` };
    fromLine = badLine + 1;
  }
}
