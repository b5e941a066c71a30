import { createReadStream, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

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
  const parser = createReadStream(file).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }),
  );
  try {
    for await (const row of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { file: name, line: row.info.lines, value: row.record };
    }
  } catch (error) {
    yield { file: name, line: (error as { lines?: number }).lines ?? 0, error: `CSV error: ${(error as Error).message}` };
  }
}
