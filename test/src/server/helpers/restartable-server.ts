import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { Disposables } from './client.ts';
import { spawnServer, stopServer, type ChildServer } from './child-server.ts';
import { tempDir } from './server.ts';

export interface RestartableServer {
  /** Sockets a test opens; closed after it, before its server stops. */
  readonly d: Disposables;
  /** The server running now (once started). */
  readonly server: ChildServer;
  /** This test's data folder: the same across its restarts. */
  readonly dataDir: string;
  /** Start the server (again) on the test's data folder, with `env` over the file's; its url. */
  start(env?: Record<string, string>): Promise<string>;
}

/**
 * A real server in its own process, for tests that stop it (SIGTERM,
 * kill -9) and start it again on the same data: each test gets a new data
 * folder at its first start; after the test, its sockets close, the server
 * stops and the folder goes. Call it at the top of the file.
 */
export function restartableServer(env: Record<string, string> = {}): RestartableServer {
  const d = new Disposables();
  let server: ChildServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await d.closeAll();
    await stopServer(server);
    server = undefined;
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });
  return {
    d,
    get server() {
      if (server === undefined) throw new Error('no server yet: start() it first');
      return server;
    },
    get dataDir() {
      if (dataDir === undefined) throw new Error('no data folder yet: start() the server first');
      return dataDir;
    },
    async start(more = {}) {
      dataDir ??= tempDir();
      server = await spawnServer({ DATA_DIR: dataDir, ...env, ...more });
      return server.url;
    },
  };
}
