/**
 * A student away past the grace period has left their process for good: if
 * it had already died, the grace period's end does not kill it again, and
 * the teacher's undo must not bring it back either. Back, it would run and
 * hold its locks with nobody to use it and no grace period left to end it.
 */
import { describe, expect, it } from 'vitest';
import { call, connect, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, student } from './helpers.ts';

const { server, d } = perTestServer({ graceMs: 100 });

const PROT_READ = 1;

describe("the teacher's undo and a student away past the grace period", () => {
  it('cannot bring back the process that died before its student left: its lock stays free', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 1 });
    await must(ada.socket, 'op:mmap', { len: 16, prot: PROT_READ, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    await must(room.teacher, 'teacher:scheduler:start', {});
    const store = call(ada.socket, 'op:store', { map: 1, index: 0, value: 1 });
    const { id } = await ada.inbox.next('op:queued');
    await must(room.teacher, 'teacher:scheduler:run', { id });
    expect(await store).toMatchObject({ ok: true, data: { outcome: { display: 'SIGSEGV' } } });

    ada.socket.close();
    await board.next('board:update', (u) => u.feed.some((e) => /away past the grace period/.test(e.text)));
    expect(await must(room.teacher, 'teacher:scheduler:undo', {})).toMatchObject({ undone: null, queue: { canUndo: false } });

    // Ada's dead process holds no lock: Bo, in arrival order again, gets it.
    await must(room.teacher, 'teacher:scheduler:stop', {});
    const bo = d.socket(await connect(server.url));
    await must(bo, 'student:join', { code: room.code, name: 'Bo' });
    await must(bo, 'op:open', { mode: 'O_RDWR' });
    expect((await must(bo, 'op:lock', { fd: 3, cmd: 'F_SETLK', type: 'F_WRLCK', start: 0, len: 1 })).outcome.display).toBe('ok');
  });
});
