/**
 * The board's feed is kept by the server (the latest entries of the room
 * since the server started) and comes in every board snapshot: a board that
 * was offline, a second device and a board after a restart all show the same
 * feed. The teacher's undo, redo and reboot are lines of it.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedEntry } from '@mmap-lab/shared/protocol/index.ts';
import { connect, Disposables, Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { startServer, tempDir, type TestServer } from './helpers/server.ts';

const d = new Disposables();
let servers: TestServer[] = [];
afterEach(async () => {
  await d.closeAll();
  for (const s of servers) await s.close();
  servers = [];
});

async function start(dataDir?: string): Promise<TestServer> {
  const s = await startServer(dataDir === undefined ? {} : { dataDir });
  servers.push(s);
  return s;
}

async function attach(url: string, code: string, credential: string) {
  const teacher = d.socket(await connect(url));
  const { board } = await must(teacher, 'teacher:attach', { code, credential });
  return { teacher, board };
}

const texts = (feed: readonly FeedEntry[]) => feed.map((e) => e.text);

describe("the board's feed", () => {
  it('comes in the snapshot: what happened while no board was open, in order, once', async () => {
    const server = await start();
    const room = await openRoom(server.url, d);
    room.teacher.close();
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    const { teacher, board } = await attach(server.url, room.code, room.credential);
    expect(texts(board.feed)).toEqual(['Ada joined as pid 1', 'fd = open("file", O_RDWR);']);
    // A second device, attached later, is sent the same entries; what follows continues the numbering.
    const second = await attach(server.url, room.code, room.credential);
    expect(second.board.feed).toEqual(board.feed);
    const updates = new Inbox(teacher, ['board:update']);
    await must(ada.socket, 'op:fstat', { fd: 3 });
    const next = await updates.next('board:update', (u) => u.feed.length > 0);
    expect(next.feed[0].seq).toBeGreaterThan(board.feed[board.feed.length - 1].seq);
  });

  it('keeps the latest 200 entries', async () => {
    const server = await start();
    const room = await openRoom(server.url, d);
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    for (let i = 0; i < 210; i++) await must(ada.socket, 'op:fstat', { fd: 3 });
    const { board } = await attach(server.url, room.code, room.credential);
    expect(board.feed).toHaveLength(200);
    expect(board.feed.at(-1)!.text).toContain('fstat');
    // Oldest first, with nothing missing between them.
    const first = board.feed[0].seq;
    expect(board.feed.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => first + i));
  });

  it("says so after the teacher's undo, redo and reboot", async () => {
    const server = await start();
    const room = await openRoom(server.url, d);
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await must(ada.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    const snapshots = new Inbox(room.teacher, ['board:snapshot']);
    await must(room.teacher, 'teacher:scheduler:start', {});
    const queued = new Inbox(ada.socket, ['op:queued']);
    const stored = must(ada.socket, 'op:store', { map: 1, index: 0, value: 66 });
    await queued.next('op:queued');
    await must(room.teacher, 'teacher:scheduler:round-robin', {});
    await stored;
    await must(room.teacher, 'teacher:scheduler:undo', {});
    const undone = await snapshots.next('board:snapshot');
    expect(undone.feed.at(-1)).toMatchObject({ pid: ada.pid, name: 'Ada', text: "teacher: undo m1[0] = 'B';" });
    await must(room.teacher, 'teacher:scheduler:redo', {});
    const { board } = await attach(server.url, room.code, room.credential);
    expect(texts(board.feed).slice(-2)).toEqual(["m1[0] = 'B';", "teacher: redo m1[0] = 'B';"]);
    await must(room.teacher, 'teacher:reboot', { pageSize: 16 });
    const rebooted = await snapshots.next('board:snapshot');
    expect(rebooted.feed.at(-1)!.text).toBe('reboot (new file or page size): every process died; pids start again at 1');
  });

  it('starts again after a server restart, and says so', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const room = await openRoom(first.url, d);
    const ada = await joinStudent(first.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    await d.closeAll();
    await first.close();
    servers = [];
    const second = await start(dataDir);
    const { board } = await attach(second.url, room.code, room.credential);
    rmSync(dataDir, { recursive: true, force: true });
    expect(texts(board.feed)).toEqual(['restarted: the file is as it was, every process is gone, and what happened before is not listed here']);
  });
});
