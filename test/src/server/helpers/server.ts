import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, type Config } from '@mmap-lab/server/config.ts';
import { buildServer } from '@mmap-lab/server/server.ts';
import { createRoomReply, type CreateRoomReply } from '@mmap-lab/shared/protocol/http.ts';

export interface TestServer {
  url: string;
  config: Config;
  app: Awaited<ReturnType<typeof buildServer>>;
  close(): Promise<void>;
}

export const tempDir = (prefix = 'mmap-lab-'): string => mkdtempSync(join(tmpdir(), prefix));

/** A real server on an ephemeral loopback port with its own temporary data directory. */
export async function startServer(overrides: Partial<Config> = {}): Promise<TestServer> {
  const ownDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? tempDir();
  const config = defaultConfig({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    clientDist: join(dataDir, 'no-client'),
    logLevel: 'silent',
    // Tests send in bursts; the rate-limit tests lower these.
    socketRatePerS: 10_000,
    socketBurst: 10_000,
    roomCreateBurst: 10_000,
    ...overrides,
  });
  const app = await buildServer(config);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    config,
    app,
    async close() {
      await app.close();
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function createRoom(url: string, body: Record<string, unknown>): Promise<CreateRoomReply> {
  const res = await fetch(`${url}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST /api/rooms: HTTP ${res.status} ${await res.text()}`);
  return createRoomReply.parse(await res.json());
}
