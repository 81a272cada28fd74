/**
 * Every board device shows the same scheduler: the queue reaches every
 * teacher socket as soon as the teacher becomes the scheduler, and the
 * history of steps run is the server's (undo takes a step out of it, a
 * reboot clears it), not each device's own.
 */
import { describe, expect, it } from 'vitest';
import { connect, Inbox, must } from '../server/helpers/client.ts';
import { joinStudent, openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';

const { server, d } = perTestServer();

describe("the scheduler on a second board device", () => {
  it('shows the queue at once, and the same steps run, undone, redone and cleared by a reboot', async () => {
    const room = await openRoom(server.url, d);
    const other = d.socket(await connect(server.url));
    await must(other, 'teacher:attach', { code: room.code, credential: room.credential });
    const seen = new Inbox(other, ['board:queue', 'board:snapshot']);
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });

    await must(room.teacher, 'teacher:scheduler:start', {});
    expect((await seen.next('board:queue')).queue).toMatchObject({ ordering: 'teacher', rows: [], recent: [] });

    const queued = new Inbox(ada.socket, ['op:queued']);
    const stored = must(ada.socket, 'op:store', { map: 1, index: 0, value: 66 });
    await queued.next('op:queued');
    const { step } = await must(room.teacher, 'teacher:scheduler:round-robin', {});
    await stored;
    expect((await seen.next('board:queue', (q) => q.queue.steps === 1)).queue.recent).toEqual([step]);

    await must(room.teacher, 'teacher:scheduler:undo', {});
    expect((await seen.next('board:snapshot')).queue?.recent).toEqual([]);
    const redone = await must(room.teacher, 'teacher:scheduler:redo', {});
    expect(redone.queue.recent).toEqual([{ ...step, how: 'redo' }]);
    expect((await seen.next('board:queue', (q) => q.queue.steps === 1)).queue.recent).toEqual(redone.queue.recent);

    await must(room.teacher, 'teacher:reboot', { pageSize: 16 });
    expect((await seen.next('board:snapshot')).queue).toMatchObject({ ordering: 'teacher', recent: [] });
  });
});
