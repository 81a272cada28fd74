/**
 * Many clients that stop reading, each under its own cap (SOCKET_BACKLOG_BYTES),
 * must not add up to more than the server's budget (SERVER_BACKLOG_BYTES):
 * one student can open as many sockets as it likes, and a per-address limit
 * would shut out a lecture hall behind one NAT. Past the budget, each socket
 * holding a backlog of its own is cut; a classmate reading normally is not.
 */
import { describe, expect, it } from 'vitest';
import { roomRegistryOf } from '@mmap-lab/server/app.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { connect, must, type ClientSocket } from './helpers/client.ts';
import { retained, until } from './helpers/held-memory.ts';
import { perTestServer } from './helpers/per-test-server.ts';
import { createRoom } from './helpers/server.ts';
import { stallingProxy, type StallingProxy } from './helpers/stalling-proxy.ts';

const BUDGET = 4 << 20;
const STALLED = 3;
/** Views each stalled socket asks for: ~20 MB, past what the kernel's buffers absorb, and far under its own cap. */
const VIEWS = 150;
const FILE = LIMITS.VIEW_MAX;
const VIEW = { map: 1, offset: 0, length: FILE };

const { server, d } = perTestServer({ socketBacklogBytes: 64 << 20, serverBacklogBytes: BUDGET, logMaxRecords: 0 });

async function mapped(socket: ClientSocket, code: string, name: string) {
  const joined = await must(socket, 'student:join', { code, name });
  await must(socket, 'op:open', { mode: 'O_RDWR' });
  await must(socket, 'op:mmap', { len: FILE, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
  return joined;
}

describe('many clients that stop reading', () => {
  it('are cut once together they pass the server\'s budget, though each is under its own cap; a reading classmate is not', async () => {
    const { code } = await createRoom(server.url, { template: 'custom', fileHex: '41'.repeat(FILE), pageSize: 4096 });
    const room = roomRegistryOf(server.app)!.live(code)!;
    const ada = d.socket(await connect(server.url));
    const adaPid = (await mapped(ada, code, 'Ada')).pid;
    const slow: { proxy: StallingProxy; socket: ClientSocket; cut: () => boolean }[] = [];
    for (let i = 0; i < STALLED; i++) {
      const proxy = d.add(await stallingProxy(server.url), (p) => p.close());
      const socket = d.socket(await connect(proxy.url));
      const { pid } = await mapped(socket, code, `Slow ${i}`);
      slow.push({ proxy, socket, cut: () => room.sessions.byPid(pid)!.link.state !== 'connected' });
    }

    const before = retained();
    for (const s of slow) {
      s.proxy.stall();
      const emit = (s.socket.emit as (e: string, p: unknown, ack: () => void) => void).bind(s.socket);
      for (let i = 0; i < VIEWS; i++) emit('view:memory', VIEW, () => {});
    }
    // Ada asks for as much, and reads it all.
    for (let i = 0; i < 20; i++) expect((await must(ada, 'view:memory', VIEW)).hex.length).toBe(2 * FILE);

    await until('every stalled socket to be cut', () => slow.every((s) => s.cut()));
    const held = retained() - before;
    expect(held, `bytes still held: ${held}`).toBeLessThan(4 * BUDGET);
    expect(room.sessions.byPid(adaPid)!.link.state).toBe('connected');
  });
});
