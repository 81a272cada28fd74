import { afterEach, beforeEach } from 'vitest';
import type { Config } from '@mmap-lab/server/config.ts';
import { Disposables } from './client.ts';
import { startServer, type TestServer } from './server.ts';

export interface PerTestServer {
  /** Always the running test's server (its url and app), once started. */
  readonly server: Pick<TestServer, 'url' | 'app'>;
  /** Sockets a test opens; closed after each test, before its server. */
  readonly d: Disposables;
  /** Starts this test's server (for files whose tests each pick their own settings). */
  start(overrides?: Partial<Config>): Promise<void>;
}

/**
 * A fresh in-process server for each test of the calling file, so no test sees
 * another's rooms; after the test its sockets close, then the server. Started
 * before each test with `beforeEachTest`, or by each test's own `start` with
 * `'each test starts it'`. Call it at the top of the file.
 */
export function perTestServer(beforeEachTest: Partial<Config> | 'each test starts it' = {}): PerTestServer {
  let current: TestServer | undefined;
  const running = (): TestServer => {
    if (current === undefined) throw new Error('no server yet: the test must call start() first');
    return current;
  };
  const t: PerTestServer = {
    server: {
      get url() { return running().url; },
      get app() { return running().app; },
    },
    d: new Disposables(),
    async start(overrides = {}) {
      current = await startServer(overrides);
    },
  };
  if (beforeEachTest !== 'each test starts it') beforeEach(() => t.start(beforeEachTest));
  afterEach(async () => {
    await t.d.closeAll();
    await current?.close();
    current = undefined;
  });
  return t;
}
