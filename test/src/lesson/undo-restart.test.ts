/**
 * The teacher's undo across a restart of the real server (a child process).
 * It takes records back from the log, also from the store: the records
 * before the undone step were on disk before it and must stay there through
 * kill -9, whatever chunk of the stored log they share with the undone one.
 * And it must not stop the server: a server that hangs flushes nothing and
 * cannot shut down gracefully.
 */
import { describe, expect, it } from 'vitest';
import { classExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { call, connect, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { restartableServer } from '../server/helpers/restartable-server.ts';
import { student } from './helpers.ts';

/** The periodic flush is pushed out of the way: only the export (which writes the log first) has saved it. */
const live = restartableServer({ FLUSH_MS: '3600000' });
const { d } = live;
const start = (): Promise<string> => live.start();

async function exportOf(url: string, code: string, credential: string) {
  const res = await fetch(`${url}/api/rooms/${code}/export.json`, { headers: { authorization: `Bearer ${credential}` } });
  return classExport.parse(await res.json());
}

describe("the teacher's undo across a restart", () => {
  it('keeps on disk the records from before the undone step', async () => {
    const url = await start();
    const room = await openRoom(url, d);
    const ada = await student(url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(room.teacher, 'teacher:scheduler:start', { seed: 1 });
    const fstat = call(ada.socket, 'op:fstat', { fd: 3 });
    const { id } = await ada.inbox.next('op:queued');
    await must(room.teacher, 'teacher:scheduler:run', { id });
    await fstat;
    // The export writes the log: open and fstat are on disk, in one chunk.
    const saved = await exportOf(url, room.code, room.credential);
    expect(saved.segments[0].trace).toMatch(/open O_RDWR[^]*fstat 3/);

    await must(room.teacher, 'teacher:scheduler:undo', {});
    await d.closeAll();
    live.server.child.kill('SIGKILL');
    await live.server.exited;

    const back = await exportOf(await start(), room.code, room.credential);
    expect(back.segments[0].records).toBe(1);
    expect(back.segments[0].trace).toMatch(/open O_RDWR/);
    expect(back.segments[0].trace).not.toMatch(/fstat/);
  });

  it('of an ftruncate to a terabyte answers at once, and SIGTERM then loses nothing', async () => {
    const url = await start();
    const room = await openRoom(url, d);
    const ada = await student(url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:pwrite', { fd: 3, off: 0, data: Buffer.from('kept').toString('hex') });
    await must(room.teacher, 'teacher:scheduler:start', { seed: 1 });
    // A sparse file: a terabyte costs the pages written, and an undo must cost no more.
    const grow = call(ada.socket, 'op:ftruncate', { fd: 3, len: String(2n ** 40n) });
    const { id } = await ada.inbox.next('op:queued');
    await must(room.teacher, 'teacher:scheduler:run', { id });
    expect((await grow).ok).toBe(true);
    const { undone } = await must(room.teacher, 'teacher:scheduler:undo', {});
    expect(undone).toMatchObject({ id, name: 'Ada' });

    await d.closeAll();
    live.server.child.kill('SIGTERM');
    expect((await live.server.exited).code).toBe(0);
    const teacher = d.socket(await connect(await start()));
    const { board } = await must(teacher, 'teacher:attach', { code: room.code, credential: room.credential });
    expect(board.room.fileSize).toBe(16);
    expect(Buffer.from(board.fileHex, 'hex').subarray(0, 4).toString()).toBe('kept');
  });
});
