import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SIGNAL_TIMEOUT_MS } from './client.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..');

let bundled: Promise<unknown> | undefined;
/**
 * Build server/dist/main.mjs from the source as it is now (server/build.mjs), once per
 * process: `pnpm test` has built it already, but a test file run on its own after an edit
 * (or a load run) would otherwise use an old bundle, or find none.
 */
export function bundle(): Promise<unknown> {
  bundled ??= promisify(execFile)(process.execPath, ['server/build.mjs'], { cwd: root });
  return bundled;
}

/**
 * The node options of server/package.json's `start` script (`node <options> dist/main.mjs`),
 * so that every server a test or a load run starts runs as `pnpm start` runs it.
 */
export function serverNodeOptions(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'server/package.json'), 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.split(/\s+/);
  if (words[0] !== 'node' || words[words.length - 1] !== 'dist/main.mjs') {
    throw new Error(`server/package.json's start is not "node [options] dist/main.mjs": ${pkg.scripts.start}`);
  }
  return words.slice(1, -1);
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real thing: the bundle, run as `pnpm start` runs it (`node <options> dist/main.mjs`), as
 * its own process, configured by environment variables, ready once it prints
 * its address.
 */
export async function spawnServer(env: Record<string, string>): Promise<ChildServer> {
  await bundle();
  const child = spawn(process.execPath, [...serverNodeOptions(), 'server/dist/main.mjs'], {
    cwd: root,
    // Tests make many rooms from one address; the limit itself is tested with a server of its own.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ROOM_CREATE_BURST: '10000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  return new Promise((resolve, reject) => {
    let stdout = '';
    // Node loading the server's packages takes a few seconds on a busy machine.
    const timer = setTimeout(() => reject(new Error(`server did not print its address: ${stderr}`)), SIGNAL_TIMEOUT_MS * 4);
    child.stdout!.on('data', (chunk) => {
      stdout += String(chunk);
      const m = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
}

/** A port nothing listens on now: a restarted server must come back on the same address, so pages can reconnect to it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Stop a child server if it still runs (afterEach). */
export async function stopServer(server: ChildServer | undefined): Promise<void> {
  if (server === undefined || server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGKILL');
  await server.exited;
}
