/**
 * A join whose answer was lost (a timeout while the socket stays up, or a
 * link that dropped right after sending) is sent again with the same join
 * key: it must give back the process the first one made, not a second
 * student "Ada 2" beside a ghost "Ada".
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call, connect, Inbox, must } from './helpers/client.ts';
import { openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';
import { startServer, tempDir } from './helpers/server.ts';

const { server, d } = perTestServer();

const KEY = 'join-key-of-ada-0123456789';

describe('a join sent again with the same key', () => {
  it('gives back the process the first join made, under the same name, on the new socket', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, ['board:update']);
    const first = d.socket(await connect(server.url));
    const made = await must(first, 'student:join', { code: room.code, name: 'Ada', key: KEY });
    // The page never heard that answer: it dials again and sends the same join.
    first.close();
    const again = d.socket(await connect(server.url));
    const back = await must(again, 'student:join', { code: room.code, name: 'Ada', key: KEY });
    expect(back).toMatchObject({ pid: made.pid, name: 'Ada', token: made.token, resumed: false });
    expect((await must(again, 'op:open', { mode: 'O_RDONLY' })).outcome.display).toBe('fd 3');
    const roster = await board.next('board:update', (u) => u.roster?.some((r) => r.connected) ?? false);
    expect(roster.roster).toEqual([{ pid: made.pid, name: 'Ada', connected: true }]);
  });

  it('takes the process from a socket the server has not yet seen go', async () => {
    const room = await openRoom(server.url, d);
    const first = d.socket(await connect(server.url));
    const made = await must(first, 'student:join', { code: room.code, name: 'Ada', key: KEY });
    const again = d.socket(await connect(server.url));
    expect(await must(again, 'student:join', { code: room.code, name: 'Ada', key: KEY })).toMatchObject({ pid: made.pid });
    expect(await call(first, 'op:open', { mode: 'O_RDONLY' })).toMatchObject({ ok: false, error: { code: 'SESSION_GONE' } });
  });

  it('is a new student with another key, or with none', async () => {
    const room = await openRoom(server.url, d);
    const ada = await must(d.socket(await connect(server.url)), 'student:join', { code: room.code, name: 'Ada', key: KEY });
    const other = await must(d.socket(await connect(server.url)), 'student:join', { code: room.code, name: 'Ada', key: `${KEY}-other` });
    const none = await must(d.socket(await connect(server.url)), 'student:join', { code: room.code, name: 'Ada' });
    expect(new Set([ada.pid, other.pid, none.pid]).size).toBe(3);
    expect([other.name, none.name]).toEqual(['Ada 2', 'Ada 3']);
  });

  it('after a restart (every process gone) lets its student into the room the teacher has locked since, as a new process', async () => {
    const dataDir = tempDir();
    try {
      const before = await startServer({ dataDir });
      const room = await openRoom(before.url, d);
      const made = await must(d.socket(await connect(before.url)), 'student:join', { code: room.code, name: 'Ada', key: KEY });
      await must(room.teacher, 'teacher:lock-joins', { locked: true });
      await d.closeAll();
      await before.close();

      const after = await startServer({ dataDir });
      try {
        const stranger = d.socket(await connect(after.url));
        expect(await call(stranger, 'student:join', { code: room.code, name: 'Zed', key: `${KEY}-zed` })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
        const again = await must(d.socket(await connect(after.url)), 'student:join', { code: room.code, name: 'Ada', key: KEY });
        expect(again).toMatchObject({ name: 'Ada', resumed: false, process: { fds: [] } });
        expect(again.token).not.toBe(made.token);
        await d.closeAll();
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
