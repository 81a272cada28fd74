/**
 * The teacher's undo takes records back from the log, also from the store.
 * The records before the undone step were on disk before it and must stay
 * there through kill -9 (the real server as a child process), whatever
 * chunk of the stored log they share with the undone one.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { classExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { call, Disposables, must } from '../server/helpers/client.ts';
import { spawnServer, stopServer, type ChildServer } from '../server/helpers/child-server.ts';
import { openRoom } from '../server/helpers/room.ts';
import { tempDir } from '../server/helpers/server.ts';
import { student } from './helpers.ts';

const d = new Disposables();
let server: ChildServer | undefined;
let dataDir: string;

afterEach(async () => {
  await d.closeAll();
  await stopServer(server);
  server = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

/** The periodic flush is pushed out of the way: only the export (which writes the log first) has saved it. */
async function start(): Promise<string> {
  server = await spawnServer({ DATA_DIR: dataDir, FLUSH_MS: '3600000' });
  return server.url;
}

async function exportOf(url: string, code: string, credential: string) {
  const res = await fetch(`${url}/api/rooms/${code}/export.json`, { headers: { authorization: `Bearer ${credential}` } });
  return classExport.parse(await res.json());
}

describe("the teacher's undo and kill -9", () => {
  it('keeps on disk the records from before the undone step', async () => {
    dataDir = tempDir();
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
    server!.child.kill('SIGKILL');
    await server!.exited;

    const back = await exportOf(await start(), room.code, room.credential);
    expect(back.segments[0].records).toBe(1);
    expect(back.segments[0].trace).toMatch(/open O_RDWR/);
    expect(back.segments[0].trace).not.toMatch(/fstat/);
  });
});
