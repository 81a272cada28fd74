/**
 * A room nobody is in (no student connected or within its grace period, no
 * teacher board) leaves memory after ROOM_IDLE_MS; it is in the store, and
 * the next request that names it loads it again, as after a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { roomRegistryOf } from '@mmap-lab/server/app.ts';
import { Disposables, must } from './helpers/client.ts';
import { openRoom } from './helpers/room.ts';
import { startServer, type TestServer } from './helpers/server.ts';
import { student } from '../lesson/helpers.ts';

const d = new Disposables();
let server: TestServer;
afterEach(async () => {
  await d.closeAll();
  await server.close();
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
});
