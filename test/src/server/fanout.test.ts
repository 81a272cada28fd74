/**
 * Who hears about a store. A store into the page cache reaches the students
 * whose process maps that page MAP_SHARED, or MAP_PRIVATE without its own
 * copy yet, plus the board; a store into a private copy reaches nobody else.
 *
 * Absence is proven without waiting on a clock: messages on one socket
 * arrive in order, so when a later update (a sentinel everyone receives)
 * is the first thing a socket got, the earlier one was never sent to it.
 */
import { describe, expect, it } from 'vitest';
import type { RequestIn } from '@mmap-lab/shared/protocol/events.ts';
import { Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom, type Student } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d, start } = perTestServer('each test starts it');

/** A room with a 32-byte file of two 16-byte pages. */
async function twoPageRoom() {
  return openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '2e'.repeat(32) });
}

async function student(code: string, name: string, mmap?: Partial<RequestIn<'op:mmap'>>): Promise<Student & { inbox: Inbox<'room:bytes' | 'process:update'> }> {
  const s = await joinStudent(server.url, d, code, name);
  const inbox = new Inbox(s.socket, ['room:bytes', 'process:update']);
  await must(s.socket, 'op:open', { mode: 'O_RDWR' });
  if (mmap !== undefined) await must(s.socket, 'op:mmap', { len: 32, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0, ...mmap });
  return { ...s, inbox };
}

/** A size change reaches every student: the sentinel that closes a "did not receive" check. */
async function sentinel(s: Student): Promise<void> {
  await must(s.socket, 'op:ftruncate', { fd: 3, len: 33 });
}
const isSentinel = (u: { size: number }) => u.size === 33;

describe('fan-out of stores', () => {
  it('a shared store reaches shared mappers, uncopied private mappers and the board, and nobody else', async () => {
    await start();
    const room = await twoPageRoom();
    const board = new Inbox(room.teacher, ['board:update']);
    const a = await student(room.code, 'A', {});
    const b = await student(room.code, 'B', {});
    const c = await student(room.code, 'C', { flags: 'MAP_PRIVATE' });
    const e = await student(room.code, 'E'); // has the file open, maps nothing
    const f = await student(room.code, 'F', { off: 16, len: 16 }); // maps only the second page

    await must(a.socket, 'op:store', { map: 1, index: 3, value: 0x41 });
    const expected = { size: 32, runs: [{ offset: 3, hex: '41', by: a.pid }] };
    expect(await b.inbox.next('room:bytes')).toEqual(expected);
    expect(await c.inbox.next('room:bytes')).toEqual(expected);
    const seen = await board.next('board:update', (u) => u.runs.length > 0);
    expect(seen.runs).toEqual(expected.runs);
    expect(seen.feed.map((x) => x.text)).toContain("m1[3] = 'A';");

    await sentinel(a);
    expect(await e.inbox.next('room:bytes')).toSatisfy(isSentinel);
    expect(await f.inbox.next('room:bytes')).toSatisfy(isSentinel);
  });

  it('a store into a private copy reaches nobody else, and the copied page stops following the file', async () => {
    await start();
    const room = await twoPageRoom();
    const board = new Inbox(room.teacher, ['board:update']);
    const a = await student(room.code, 'A', {});
    const b = await student(room.code, 'B', {});
    const c = await student(room.code, 'C', { flags: 'MAP_PRIVATE' });

    const priv = await must(c.socket, 'op:store', { map: 1, index: 5, value: 0x5a });
    expect(priv.process?.mappings[0].copiedPages).toEqual([0]);
    // The board is told the page was copied, and the store shows in its feed, not as file bytes.
    const copied = await board.next('board:update', (u) => u.processes.some((p) => p.pid === c.pid && p.mappings[0]?.copiedPages.length === 1));
    expect(copied.runs).toEqual([]);

    // A writes one byte into each page: C has a copy of page 0, so it hears only about page 1.
    await must(a.socket, 'op:store', { map: 1, index: 2, value: 0x31 });
    await must(a.socket, 'op:store', { map: 1, index: 18, value: 0x32 });
    const toB = await b.inbox.next('room:bytes', (u) => u.runs.length === 2);
    expect(toB.runs).toEqual([
      { offset: 2, hex: '31', by: a.pid },
      { offset: 18, hex: '32', by: a.pid },
    ]);
    const toC = await c.inbox.next('room:bytes', (u) => u.runs.some((r) => r.offset === 18));
    expect(toC.runs).toEqual([{ offset: 18, hex: '32', by: a.pid }]);
    // Nothing B received ever carried C's private byte.
    for (const u of b.inbox.of('room:bytes')) expect(u.runs.map((r) => r.offset)).not.toContain(5);
    expect((await must(c.socket, 'op:load', { map: 1, index: 5 })).outcome.display).toBe('0x5a');
    expect((await must(a.socket, 'op:load', { map: 1, index: 5 })).outcome.display).toBe('0x2e');
  });

  it('stores within one tick reach others as one update with the bytes as they are at the end', async () => {
    await start({ tickMs: 1000 });
    const room = await twoPageRoom();
    const a = await student(room.code, 'A', {});
    const b = await student(room.code, 'B', {});
    for (let v = 1; v <= 10; v++) await must(a.socket, 'op:store', { map: 1, index: 0, value: v });
    await must(a.socket, 'op:store', { map: 1, index: 1, value: 0xff });
    const update = await b.inbox.next('room:bytes');
    expect(update.runs).toEqual([{ offset: 0, hex: '0aff', by: a.pid }]);
    await sentinel(a);
    await b.inbox.next('room:bytes', isSentinel);
    expect(b.inbox.of('room:bytes')).toHaveLength(2);
  });

  it('a process changed by someone else is told: private copies dropped by a shrinking ftruncate', async () => {
    await start();
    const room = await twoPageRoom();
    const a = await student(room.code, 'A', {});
    const c = await student(room.code, 'C', { flags: 'MAP_PRIVATE' });
    await must(c.socket, 'op:store', { map: 1, index: 20, value: 1 });
    await must(a.socket, 'op:ftruncate', { fd: 3, len: 8 });
    const update = await c.inbox.next('process:update');
    expect(update.process.mappings[0].copiedPages).toEqual([]);
    expect(await c.inbox.next('room:bytes', (u) => u.size === 8)).toMatchObject({ size: 8 });
  });

  it('the board sees the lock table with its waiters', async () => {
    await start();
    const room = await twoPageRoom();
    const board = new Inbox(room.teacher, ['board:update']);
    const a = await student(room.code, 'A');
    const b = await student(room.code, 'B');
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 10 });
    await must(b.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 5, len: 10 });
    const update = await board.next('board:update', (u) => u.locks?.waitsFor.length === 1);
    expect(update.locks).toEqual({
      locks: [{ type: 'F_WRLCK', pid: a.pid, start: '0', end: '9', waiters: [b.pid] }],
      waitsFor: [{ from: b.pid, to: a.pid }],
    });
  });
});
