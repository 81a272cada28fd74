import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { Disposables } from '../server/helpers/client.ts';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { ensureClientBuilt, launchBrowser } from './harness.ts';

export interface LiveServer {
  /** The server's address, once the file's tests start. */
  url: string;
  browser: Browser;
  /** Sockets a test opens; closed after the file's tests. */
  readonly d: Disposables;
}

/**
 * A real server in its own process and data folder, and a Chromium, for the
 * tests of one file: started before them, taken down after. Call it at the
 * top of the file; the values are there once `beforeAll` has run.
 */
export function liveServer(name: string): LiveServer {
  const live: LiveServer = { url: '', browser: undefined as unknown as Browser, d: new Disposables() };
  let server: ChildServer | undefined;
  let dataDir = '';
  beforeAll(async () => {
    ensureClientBuilt();
    dataDir = mkdtempSync(join(tmpdir(), `mmap-lab-${name}-`));
    server = await spawnServer({ DATA_DIR: dataDir });
    live.url = server.url;
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
