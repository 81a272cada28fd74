/**
 * A client that stops reading must not make the server hold without bound
 * what it writes to it: answers it asks for (a 64 KiB memory view is ~131 KB
 * of hex) or room ticks it only listens to. Past SOCKET_BACKLOG_BYTES queued
 * for its socket, the server cuts it. Its process survives the cut (the
 * resume grace, as for any disconnect) and resumes with the room's bytes as
 * they are; a classmate in the same room is served all along.
 */
import { describe, expect, it } from 'vitest';
import { roomRegistryOf } from '@mmap-lab/server/app.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { connect, Inbox, must, type ClientSocket } from './helpers/client.ts';
import { retained, until } from './helpers/held-memory.ts';
import { perTestServer } from './helpers/per-test-server.ts';
import { createRoom } from './helpers/server.ts';
import { stallingProxy, type StallingProxy } from './helpers/stalling-proxy.ts';

const CAP = 1 << 20;
/** What is sent to the stalled socket: ~40 MB, far past the cap and what the kernel's socket buffers absorb. */
const MESSAGES = 300;
const FILE = LIMITS.VIEW_MAX;
const MAP_ALL = { len: FILE, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 } as const;

// Ticks as fast as they go, so the listener's pile up within the test; no operation log,
// which would hold every pwrite's data and hide what the sockets hold.
const { server, d } = perTestServer({ socketBacklogBytes: CAP, tickMs: 1, logMaxRecords: 0 });

async function mappedStudent(socket: ClientSocket, code: string, name: string) {
  const joined = await must(socket, 'student:join', { code, name });
  await must(socket, 'op:open', { mode: 'O_RDWR' });
  await must(socket, 'op:mmap', MAP_ALL);
  return joined;
}

/** A room with a 64 KiB file; Ada, a student served normally, and Slow, one behind a proxy about to stop reading; both map it all. */
async function classroom() {
  const { code } = await createRoom(server.url, { template: 'custom', fileHex: '41'.repeat(FILE), pageSize: 4096 });
  const ada = d.socket(await connect(server.url));
  await mappedStudent(ada, code, 'Ada');
  const proxy: StallingProxy = d.add(await stallingProxy(server.url), (p) => p.close());
  const slow = d.socket(await connect(proxy.url));
  const joined = await mappedStudent(slow, code, 'Slow');
  const session = roomRegistryOf(server.app)!.live(code)!.sessions.byPid(joined.pid)!;
  return { code, ada, proxy, slow, token: joined.token, cut: () => session.link.state !== 'connected' };
}

/** Slow's process lives on: a new connection resumes it and sees the file as Ada does. */
async function resumesIntact(code: string, token: string, ada: ClientSocket): Promise<void> {
  const back = d.socket(await connect(server.url));
  expect((await must(back, 'student:resume', { code, token })).resumed).toBe(true);
  const view = { map: 1, offset: 0, length: FILE };
  expect((await must(back, 'view:memory', view)).hex).toBe((await must(ada, 'view:memory', view)).hex);
}

describe('a client that stops reading', () => {
  it('is cut once the answers it asked for pass the cap, keeps its process, and slows nobody else', async () => {
    const { code, ada, proxy, slow, token, cut } = await classroom();
    const adaSees = new Inbox(ada, ['room:bytes']);

    const before = retained();
    proxy.stall();
    const emit = (slow.emit as (e: string, p: unknown, ack: () => void) => void).bind(slow);
    for (let i = 0; i < MESSAGES; i++) emit('view:memory', { map: 1, offset: 0, length: FILE }, () => {});
    // Sent after the views: once Ada sees it, the server has answered them all (unless it cut the socket first).
    emit('op:store', { map: 1, index: 7, value: 0x5a }, () => {});

    // Ada is served all along.
    await must(ada, 'op:store', { map: 1, index: 9, value: 0x42 });
    expect((await must(ada, 'op:load', { map: 1, index: 9 })).outcome.display).toBe('0x42');

    const markerSeen = () => adaSees.received.some(({ payload }) => payload.runs.some((r) => r.offset <= 7 && r.hex.slice(2 * (7 - r.offset), 2 * (8 - r.offset)) === '5a'));
    await until('the stalled socket to be cut, or all its views answered', () => cut() || markerSeen());
    const held = retained() - before;
    expect(held, `bytes still held after the stalled socket's views: ${held}`).toBeLessThan(4 * CAP);
    expect(cut()).toBe(true);
    await resumesIntact(code, token, ada);
  });

  it('is cut once the room ticks it does not read pass the cap, while its classmate keeps writing', async () => {
    const { code, ada, proxy, token, cut } = await classroom();

    const before = retained();
    proxy.stall();
    // Each pwrite changes the whole file: the next tick carries all of it (~131 KB) to Slow.
    for (let i = 0; i < MESSAGES && !cut(); i++) {
      await must(ada, 'op:pwrite', { fd: 3, off: 0, data: (i & 0xff).toString(16).padStart(2, '0').repeat(FILE) });
    }
    const held = retained() - before;
    expect(held, `bytes still held after the ticks to the stalled socket: ${held}`).toBeLessThan(4 * CAP);
    expect(cut()).toBe(true);
    await resumesIntact(code, token, ada);
  });
});
