/**
 * The board's lock table and wait-for graph follow every change to who
 * waits: a waiter killed or stopped leaves them, a continued one that waits
 * again comes back. Each is checked on the teacher socket's board:update.
 */
import { describe, expect, it } from 'vitest';
import { Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d } = perTestServer();

const waits = (u: { locks?: { waitsFor: unknown[] } }) => u.locks?.waitsFor;

describe('waiters on the board', () => {
  it('a killed waiter, a stopped one and a continued one that waits again', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, ['board:update']);
    const students = [];
    for (const name of ['Ada', 'Bob', 'Cy']) {
      const s = await joinStudent(server.url, d, room.code, name);
      await must(s.socket, 'op:open', { mode: 'O_RDWR' });
      students.push(s);
    }
    const [a, b, c] = students;
    await must(a.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 4 });
    expect((await must(b.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 4 })).outcome.display).toBe('blocked');
    await board.next('board:update', (u) => waits(u)?.length === 1);

    await must(room.teacher, 'teacher:kill', { pid: b.pid });
    expect(waits(await board.next('board:update', (u) => u.locks !== undefined))).toEqual([]);

    await must(c.socket, 'op:lock', { fd: 3, cmd: 'F_SETLKW', type: 'F_RDLCK', start: 2, len: 1 });
    await board.next('board:update', (u) => waits(u)?.length === 1);
    await must(room.teacher, 'teacher:stop-all', {});
    expect(waits(await board.next('board:update', (u) => u.locks !== undefined))).toEqual([]);

    // Ada still holds her lock: Cy's F_SETLKW runs again and waits again.
    await must(room.teacher, 'teacher:continue-all', {});
    expect(waits(await board.next('board:update', (u) => u.locks !== undefined))).toEqual([{ from: c.pid, to: a.pid }]);
  });
});
