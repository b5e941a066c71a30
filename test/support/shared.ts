import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The read-only shared inputs (models, data): JEMBATAN_SHARED_DIR, else `../shared` beside the project
 * (the layout of this workplace), else the nearest `shared/` folder above the project. Read in place,
 * never copied into the repository.
 */
export function sharedDir(): string {
  const candidates = [
    process.env.JEMBATAN_SHARED_DIR,
    resolve(ROOT, '../shared'),
    ...ancestors(ROOT).map((dir) => join(dir, 'shared')),
    '/work/shared',
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => existsSync(join(dir, 'data')) && existsSync(join(dir, 'models')));
  if (!found) throw new Error(`The shared data folder was not found (tried ${candidates.join(', ')}); set JEMBATAN_SHARED_DIR.`);
  return found;
}

function ancestors(dir: string): string[] {
  const list: string[] = [];
  for (let current = dirname(dir); current !== dirname(current); current = dirname(current)) list.push(current);
  return list;
}

export const sharedPath = (...parts: string[]) => join(sharedDir(), ...parts);
