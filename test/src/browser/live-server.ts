import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { Disposables } from '../server/helpers/client.ts';
import { freePort, spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser } from './harness.ts';

export interface LiveServer {
  /** The server's address, once the file's tests start; the same after `start()` again. */
  url: string;
  browser: Browser;
  /** Sockets a test opens; closed after the file's tests. */
  readonly d: Disposables;
  /** A graceful stop (SIGTERM), resolved once the process has exited. */
  stop(): Promise<void>;
  /** The server again, on the same address and data folder, so open pages reconnect to it. */
  start(): Promise<void>;
}

/**
 * A real server in its own process and data folder, and a Chromium, for the
 * tests of one file: started before them, taken down after. Call it at the
 * top of the file; the values are there once `beforeAll` has run. `env`
 * sets the server's environment (RESUME_GRACE_MS...).
 */
export function liveServer(name: string, env: Record<string, string> = {}): LiveServer {
  let server: ChildServer | undefined;
  let dataDir = '';
  let port = '';
  const live: LiveServer = {
    url: '',
    browser: undefined as unknown as Browser,
    d: new Disposables(),
    async stop() {
      server?.child.kill('SIGTERM');
      await server?.exited;
    },
    async start() {
      server = await spawnServer({ ...env, DATA_DIR: dataDir, PORT: port });
      live.url = server.url;
    },
  };
  beforeAll(async () => {
    ensureClientBuilt();
    dataDir = mkdtempSync(join(tmpdir(), `mmap-lab-${name}-`));
    port = String(await freePort());
    await live.start();
    live.browser = await launchBrowser();
  });
  afterAll(async () => {
    await live.d.closeAll();
    await live.browser?.close();
    await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return live;
}
