/**
 * A refresh, a sleeping phone or a wifi drop must not lose the student: the
 * resume token gives back the same process within the grace period; after
 * it, the process has died as if by SIGKILL, its locks released and its
 * waiters woken, as the kernel does.
 */
import { describe, expect, it } from 'vitest';
import { call, connect, Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d, start } = perTestServer('each test starts it');

async function lockHolder(code: string) {
  const a = await joinStudent(server.url, d, code, 'Ada');
  await must(a.socket, 'op:open', { mode: 'O_RDWR' });
  await must(a.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
  await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 4 });
  return a;
}

describe('resume', () => {
  it('gives back the same process (pid, descriptors, mappings, locks) within the grace period', async () => {
    await start();
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, ['board:update']);
    const a = await lockHolder(room.code);
    a.socket.close();
    await board.next('board:update', (u) => u.roster?.some((r) => r.pid === a.pid && !r.connected) ?? false);

    const again = d.socket(await connect(server.url));
    const back = await must(again, 'student:resume', { code: room.code.toLowerCase(), token: a.joined.token });
    expect(back).toMatchObject({ pid: a.pid, name: 'Ada', resumed: true, process: { state: { state: 'running' }, fds: [{ fd: 3, mode: 'O_RDWR' }] } });
    expect(back.process.mappings).toHaveLength(1);
    await board.next('board:update', (u) => u.roster?.some((r) => r.pid === a.pid && r.connected) ?? false);
    // The lock is still Ada's, and the mapping still works.
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    await must(b.socket, 'op:open', { mode: 'O_RDWR' });
    const held = await must(b.socket, 'op:getlk', { fd: 3, type: 'F_WRLCK', start: 0, len: 1 });
    expect(held.outcome.result).toMatchObject({ kind: 'lock', lock: { pid: a.pid } });
    expect((await must(again, 'op:store', { map: 1, index: 0, value: 7 })).outcome.display).toBe('ok');
  });

  it('kills the process with SIGKILL after the grace period: its lock is released and the waiter wakes', async () => {
    await start({ graceMs: 150 });
    const room = await openRoom(server.url, d);
    const a = await lockHolder(room.code);
    const b = await joinStudent(server.url, d, room.code, 'Bo');
    const bInbox = new Inbox(b.socket, ['op:woke']);
    await must(b.socket, 'op:open', { mode: 'O_RDWR' });
    expect((await must(b.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 4 })).outcome.display).toBe('blocked');

    a.socket.close();
    const woke = await bInbox.next('op:woke');
    expect(woke).toMatchObject({ pid: b.pid, outcome: { display: 'ok' } });

    const again = d.socket(await connect(server.url));
    const back = await must(again, 'student:resume', { code: room.code, token: a.joined.token });
    expect(back).toMatchObject({ pid: a.pid, resumed: true, process: { state: { state: 'dead', cause: 'SIGKILL' } } });
    expect((await must(again, 'op:open', { mode: 'O_RDONLY' })).outcome.result).toEqual({ kind: 'dead' });
    const fresh = await must(again, 'student:respawn', {});
    expect(fresh).toMatchObject({ name: 'Ada', resumed: false, process: { state: { state: 'running' } } });
    expect(fresh.pid).not.toBe(a.pid);
    expect((await must(again, 'op:open', { mode: 'O_RDONLY' })).outcome.display).toBe('fd 3');
  });

  it('moves the process to the newest connection and tells the old one', async () => {
    await start();
    const room = await openRoom(server.url, d);
    const a = await lockHolder(room.code);
    const oldInbox = new Inbox(a.socket, ['session:ended']);
    const tab2 = d.socket(await connect(server.url));
    await must(tab2, 'student:resume', { code: room.code, token: a.joined.token });
    expect(await oldInbox.next('session:ended')).toMatchObject({ reason: 'replaced' });
    expect(await call(a.socket, 'op:fstat', { fd: 3 })).toMatchObject({ ok: false, error: { code: 'SESSION_GONE' } });
    expect((await must(tab2, 'op:fstat', { fd: 3 })).outcome.display).toBe('size 16');
    // The old socket closing later must not start the grace period for the new one.
    a.socket.close();
    expect((await must(tab2, 'op:fstat', { fd: 3 })).outcome.display).toBe('size 16');
  });

  it('refuses a page reconnecting by itself once another page took the process over since it last had it', async () => {
    await start();
    const room = await openRoom(server.url, d);
    const a = await joinStudent(server.url, d, room.code, 'Ada');
    a.socket.close();
    // The page's link comes back: it resumes with the generation it last saw, and the process is still its own.
    const sameTab = d.socket(await connect(server.url));
    const back = await must(sameTab, 'student:resume', { code: room.code, token: a.joined.token, generation: a.joined.generation });
    expect(back).toMatchObject({ pid: a.pid, generation: a.joined.generation });
    sameTab.close();
    // The student opens the class in another tab: a page load takes the process over.
    const otherTab = d.socket(await connect(server.url));
    const taken = await must(otherTab, 'student:resume', { code: room.code, token: a.joined.token });
    expect(taken.generation).toBeGreaterThan(back.generation);
    // The first tab's link comes back: it is told it was replaced, and the other tab keeps the process.
    const leftBehind = d.socket(await connect(server.url));
    const refused = await call(leftBehind, 'student:resume', { code: room.code, token: a.joined.token, generation: back.generation });
    expect(refused).toMatchObject({ ok: false, error: { code: 'REPLACED' } });
    expect((await must(otherTab, 'op:open', { mode: 'O_RDONLY' })).outcome.display).toBe('fd 3');
    // Its "Use it here instead" resumes without a generation: that takes it back.
    expect(await must(leftBehind, 'student:resume', { code: room.code, token: a.joined.token })).toMatchObject({ pid: a.pid });
  });

  it('refuses a token it never gave', async () => {
    await start();
    const room = await openRoom(server.url, d);
    const s = d.socket(await connect(server.url));
    expect(await call(s, 'student:resume', { code: room.code, token: 'x'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'SESSION_GONE' } });
  });
});
