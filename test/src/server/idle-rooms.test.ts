/**
 * A room nobody is in (no student connected or within its grace period, no
 * teacher board) leaves memory after ROOM_IDLE_MS; it is in the store, and
 * the next request that names it loads it again, as after a restart.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { roomRegistryOf } from '@mmap-lab/server/app.ts';
import { Disposables, must } from './helpers/client.ts';
import { openRoom } from './helpers/room.ts';
import { startServer, tempDir, type TestServer } from './helpers/server.ts';
import { student } from '../lesson/helpers.ts';

const d = new Disposables();
let server: TestServer;
/** A data directory a test chose itself, removed after its server closes. */
let dataDir: string | undefined;
afterEach(async () => {
  await d.closeAll();
  await server.close();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** Poll until `check` holds; rejects with `what` after 5 s. */
async function until(what: string, check: () => boolean): Promise<void> {
  for (const t0 = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - t0 > 5_000) throw new Error(`timed out waiting for ${what}`);
  }
}

describe('idle rooms', () => {
  it('leave memory once nobody is in them for ROOM_IDLE_MS, and come back with their file on the next request', async () => {
    server = await startServer({ roomIdleMs: 100, graceMs: 50 });
    const registry = roomRegistryOf(server.app)!;
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:pwrite', { fd: 3, off: 0, data: Buffer.from('kept').toString('hex') });

    // A teacher's board alone keeps the room loaded.
    ada.socket.disconnect();
    await new Promise((r) => setTimeout(r, 400));
    expect(registry.live(room.code)).toBeDefined();

    room.teacher.disconnect();
    await until('the idle room to leave memory', () => registry.live(room.code) === undefined);
    expect(registry.count).toBe(0);

    const info = await fetch(`${server.url}/api/rooms/${room.code}`);
    expect(info.status).toBe(200);
    expect(registry.count).toBe(1);
    const bo = await student(server.url, d, room.code, 'Bo');
    await must(bo.socket, 'op:open', { mode: 'O_RDONLY' });
    const read = await must(bo.socket, 'op:pread', { fd: 3, off: 0, count: 4 });
    expect(read.outcome.display).toContain('kept');
  });

  it('leave nothing behind: the heap after a full GC does not grow with the number of rooms unloaded', async () => {
    // Creating a room commits with synchronous=FULL; on tmpfs that costs no disk flush.
    dataDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/mmap-lab-') : tempDir();
    server = await startServer({ dataDir, roomIdleMs: 3_600_000 });
    const registry = roomRegistryOf(server.app)!;
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heapAfterGc = async (): Promise<number> => {
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      return process.memoryUsage().heapUsed;
    };
    const loadAndUnload = (n: number): void => {
      for (let i = 0; i < n; i++) registry.create({ template: 'blank', pageSize: 64 });
      registry.unloadIdle(0, 0, (_room, error) => {
        throw error;
      });
      expect(registry.count).toBe(0);
    };

    const rooms = 8_000;
    loadAndUnload(rooms); // code compiled, statements prepared, tables grown to size
    const before = await heapAfterGc();
    loadAndUnload(rooms);
    const perRoom = ((await heapAfterGc()) - before) / rooms;
    // Anything kept by code (a name cache, a map entry) costs about 100 bytes a room; the noise is within ±20.
    expect(perRoom, 'heap bytes left per unloaded room').toBeLessThan(50);
  });
});
