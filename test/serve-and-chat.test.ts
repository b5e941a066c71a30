/**
 * `jembatan chat` (scripted through stdin, as in CI) and `jembatan serve` (health, readiness, graceful
 * shutdown on SIGTERM) as real child processes, plus the shared HTTP server's draining in-process.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JembatanServer } from '../bots/serve/http-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'jembatan-serve-'));

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, OPENAI_BASE_URL: _url, OPENAI_API_KEY: _key, ...rest } = process.env;
  return { ...rest, JEMBATAN_DATA_DIR: dataDir, JEMBATAN_EMBEDDINGS: 'none', LOG_LEVEL: 'info', ...extra };
}

function jembatan(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/jembatan.mjs', ...args], { cwd: ROOT, env: env(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function get(port: number, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  const ingest = await jembatan(['ingest', 'samples/listings.jsonl']);
  expect(ingest.code, ingest.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('jembatan chat without a terminal', () => {
  it('reads one message per line, numbers the buttons, and a number presses one', async () => {
    const run = await jembatan(['chat', '--user', 'scripted'], ['hello', 'ต้องการเครื่องกรองน้ำดื่มพลังงานแสงอาทิตย์สำหรับหมู่บ้าน', '1', '/my'].join('\n'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Embeddings: none/);
    expect(run.stderr).toMatch(/Understanding: rules/);
    const turns = run.stdout.split(/^› /m).slice(1);
    expect(turns).toHaveLength(4);
    expect(turns[0]).toMatch(/\[1\] Find technology/);
    // The Thai need finds the Thai solar water purifier, answered in Thai, with numbered buttons.
    expect(turns[1]).toContain('เครื่องกรองน้ำดื่มพลังงานแสงอาทิตย์สำหรับชุมชนห่างไกล');
    expect(turns[1]).toMatch(/\[1\] \S+/);
    // "1" pressed the first card's details button: the listing's reference is shown.
    expect(turns[2]).toMatch(/sample sample-\d{3}/);
    expect(turns[3]).toMatch(/\[\d\] /);
  }, 120_000);
});

describe('jembatan serve', () => {
  let child: ChildProcessWithoutNullStreams;
  let stderr = '';
  let port = 0;

  beforeAll(async () => {
    child = spawn(process.execPath, ['scripts/jembatan.mjs', 'serve', '--port', '0'], { cwd: ROOT, env: env({ JEMBATAN_HOST: '127.0.0.1' }) });
    child.stderr.setEncoding('utf8');
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${stderr}`)), 60_000);
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        const match = stderr.match(/"port":(\d+)/);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    });
  }, 90_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('answers /healthz and /readyz (database checked), 404 elsewhere, and stops cleanly on SIGTERM', async () => {
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    const ready = await get(port, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: expect.stringContaining(dataDir), embeddings: 'none' });
    expect((await get(port, '/telegram/webhook')).status).toBe(404);
    expect(stderr).toContain('no chat channel configured');

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('shutting down');
    expect(stderr).toContain('"msg":"stopped"');
  }, 60_000);
});

describe('the shared HTTP server', () => {
  it('finishes an in-flight request after close() and reports not-ready while draining or when a check fails', async () => {
    let healthy = true;
    let release: () => void = () => undefined;
    const server = new JembatanServer(
      {
        async ready() {
          if (!healthy) throw new Error('database unreachable');
          return { database: 'test' };
        },
      },
      [
        {
          name: 'slow',
          routes: [
            {
              method: 'GET',
              path: '/slow',
              handle: async (_request, response) => {
                await new Promise<void>((resolve) => (release = resolve));
                response.writeHead(200, { 'content-type': 'application/json' }).end('{"done":true}');
              },
            },
          ],
        },
      ],
      pino({ level: 'silent' }),
    );
    const { port } = await server.listen(0, '127.0.0.1');
    healthy = false;
    expect(await get(port, '/readyz')).toEqual({ status: 503, body: { status: 'not ready', reason: 'database unreachable' } });
    healthy = true;

    const slow = get(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.activeRequests).toBe(1);
    const closing = server.close(5_000);
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    release();
    expect(await slow).toEqual({ status: 200, body: { done: true } });
    await closing;
    expect(server.activeRequests).toBe(0);
  });
});
