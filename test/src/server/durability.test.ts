/**
 * The file outlives the server process, as it outlives processes in the
 * lesson: an acknowledged msync survives kill -9, a graceful SIGTERM loses
 * nothing, and after a restart the room is back with its file while every
 * process is gone. Each test runs the real server as a child process.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { call, connect, Disposables, must } from './helpers/client.ts';
import { spawnServer, stopServer, type ChildServer } from './helpers/child-server.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { tempDir } from './helpers/server.ts';
import { openDatabase } from '@mmap-lab/server/persistence/database.ts';
import { RoomStore } from '@mmap-lab/server/persistence/room-store.ts';

const d = new Disposables();
let servers: ChildServer[] = [];
let dataDir: string;

afterEach(async () => {
  await d.closeAll();
  for (const s of servers) await stopServer(s);
  servers = [];
  rmSync(dataDir, { recursive: true, force: true });
});

/** By default the periodic flush is pushed out of the way, so only msync or shutdown can have written. */
async function start(flushMs = '3600000'): Promise<ChildServer> {
  const s = await spawnServer({ DATA_DIR: dataDir, FLUSH_MS: flushMs });
  servers.push(s);
  return s;
}

async function mappedStudent(url: string, code: string) {
  const a = await joinStudent(url, d, code, 'Ada');
  await must(a.socket, 'op:open', { mode: 'O_RDWR' });
  await must(a.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
  return a;
}

/** Watch the database itself (as another reader would) until the periodic flush has put `value` at byte `index` of the stored file (tails past end of file included). */
async function untilOnDisk(code: string, index: number, value: number): Promise<void> {
  const db = openDatabase(dataDir);
  try {
    const store = new RoomStore(db);
    const deadline = Date.now() + 10_000;
    const onDisk = () => {
      const stored = store.loadRoom(code);
      const ps = stored?.row.pageSize ?? 1;
      return stored?.pages.find((p) => p.page === Math.floor(index / ps))?.bytes[index % ps];
    };
    while (onDisk() !== value) {
      expect(Date.now(), 'the periodic flush never wrote the byte').toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 25));
    }
  } finally {
    db.close();
  }
}

async function fileAfterRestart(url: string, code: string, credential: string): Promise<string> {
  const teacher = d.socket(await connect(url));
  const { board } = await must(teacher, 'teacher:attach', { code, credential });
  expect(board.view.processes).toEqual([]);
  return board.fileHex;
}

describe('durability across a real restart', () => {
  it('keeps a byte whose msync was acknowledged through kill -9', async () => {
    dataDir = tempDir();
    const first = await start();
    const room = await openRoom(first.url, d);
    const a = await mappedStudent(first.url, room.code);
    await must(a.socket, 'op:store', { map: 1, index: 5, value: 0x58 });
    expect((await must(a.socket, 'op:msync', { map: 1 })).outcome.display).toBe('ok');
    // Stored after the msync and never synced: a crash may lose it (here it does: no flush ran).
    await must(a.socket, 'op:store', { map: 1, index: 6, value: 0x59 });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start();
    const hex = await fileAfterRestart(second.url, room.code, room.credential);
    expect(hex.slice(10, 12)).toBe('58');
    expect(hex.slice(12, 14)).toBe('00');
  });

  it('loses nothing on SIGTERM, even stores never synced', async () => {
    dataDir = tempDir();
    const first = await start();
    const room = await openRoom(first.url, d, { template: 'custom', pageSize: 16, fileHex: '2e'.repeat(20) });
    const a = await mappedStudent(first.url, room.code);
    await must(a.socket, 'op:store', { map: 1, index: 15, value: 0x21 });
    await must(a.socket, 'op:pwrite', { fd: 3, off: 20, data: [0x61, 0x62] });
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start();
    const hex = await fileAfterRestart(second.url, room.code, room.credential);
    expect(hex).toBe('2e'.repeat(15) + '21' + '2e'.repeat(4) + '6162');
  });

  it('brings rooms back without processes: old tokens are told to join again, settings are kept', async () => {
    dataDir = tempDir();
    const first = await start();
    const room = await openRoom(first.url, d);
    const a = await mappedStudent(first.url, room.code);
    const token = a.joined.token;
    await must(room.teacher, 'teacher:lock-joins', { locked: true });
    first.child.kill('SIGTERM');
    await first.exited;

    const second = await start();
    const info = (await (await fetch(`${second.url}/api/rooms/${room.code}`)).json()) as { room: { locked: boolean; pageSize: number } };
    expect(info.room).toMatchObject({ locked: true, pageSize: 16 });
    const back = d.socket(await connect(second.url));
    const resumed = await call(back, 'student:resume', { code: room.code, token });
    expect(resumed).toMatchObject({ ok: false, error: { code: 'SESSION_GONE' } });
    if (!resumed.ok) expect(resumed.error.message).toMatch(/restarted/);
    // The room is still locked to newcomers, but a student who was in it comes back as a new process.
    const newcomer = d.socket(await connect(second.url));
    expect(await call(newcomer, 'student:join', { code: room.code, name: 'Zed' })).toMatchObject({ ok: false, error: { code: 'ROOM_LOCKED' } });
    const again = await must(back, 'student:join', { code: room.code, name: 'Ada' });
    expect(again).toMatchObject({ name: 'Ada', resumed: false, process: { fds: [], mappings: [] } });
  });

  it('keeps the zeros of a shrink and regrowth through kill -9 once msync was acknowledged', async () => {
    dataDir = tempDir();
    const first = await start();
    const room = await openRoom(first.url, d, { template: 'custom', pageSize: 16, fileHex: '41'.repeat(64) });
    const a = await mappedStudent(first.url, room.code);
    await must(a.socket, 'op:ftruncate', { fd: 3, len: 0 });
    await must(a.socket, 'op:ftruncate', { fd: 3, len: 64 });
    expect((await must(a.socket, 'op:msync', { map: 1 })).outcome.display).toBe('ok');
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await start();
    expect(await fileAfterRestart(second.url, room.code, room.credential)).toBe('00'.repeat(64));
  });

  // A store past the end of file (in the last page) reaches the disk with its page; growing the file zeroes it.
  for (const grow of ['ftruncate', 'pwrite'] as const) {
    it(`keeps the bytes a growing ${grow} zeroed past the old end of file as zeros after a restart`, async () => {
      dataDir = tempDir();
      const first = await start('100');
      const room = await openRoom(first.url, d, { template: 'custom', pageSize: 16, fileHex: '42'.repeat(20) });
      const a = await joinStudent(first.url, d, room.code, 'Ada');
      await must(a.socket, 'op:open', { mode: 'O_RDWR' });
      await must(a.socket, 'op:mmap', { len: 32, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
      await must(a.socket, 'op:store', { map: 1, index: 25, value: 0x5a });
      await untilOnDisk(room.code, 25, 0x5a);
      if (grow === 'ftruncate') await must(a.socket, 'op:ftruncate', { fd: 3, len: 64 });
      else await must(a.socket, 'op:pwrite', { fd: 3, off: 63, data: [0x43] });
      expect((await must(a.socket, 'op:msync', { map: 1 })).outcome.display).toBe('ok');
      first.child.kill('SIGKILL');
      await first.exited;
      const second = await start();
      const tail = grow === 'ftruncate' ? '00' : '43';
      expect(await fileAfterRestart(second.url, room.code, room.credential)).toBe('42'.repeat(20) + '00'.repeat(43) + tail);
    });
  }

  it('writes again, once it can, what a flush whose commit failed (a full disk) did not write', async () => {
    dataDir = tempDir();
    const first = await start('100');
    const room = await openRoom(first.url, d);
    const a = await mappedStudent(first.url, room.code);
    await must(a.socket, 'op:store', { map: 1, index: 0, value: 0x41 });
    await untilOnDisk(room.code, 0, 0x41);
    // Until the trigger goes, every commit that writes the file fails at COMMIT (a deferred foreign key left unmet), as on a full disk.
    const db = openDatabase(dataDir);
    db.exec(`CREATE TABLE disk_full (code TEXT REFERENCES rooms(code) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER disk_full AFTER UPDATE ON rooms BEGIN INSERT INTO disk_full VALUES ('nowhere'); END`);
    await must(a.socket, 'op:store', { map: 1, index: 0, value: 0x42 });
    await new Promise((r) => setTimeout(r, 500));
    db.exec('DROP TRIGGER disk_full');
    db.close();
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start();
    expect((await fileAfterRestart(second.url, room.code, room.credential)).slice(0, 2)).toBe('42');
    const res = await fetch(`${second.url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
    const { segments } = (await res.json()) as { segments: { records: number; trace: string }[] };
    expect(segments[0].trace).toMatch(/store m1 0 0x42/);
  });

  it('closes a room for good only once the disk has it all: a close whose commit failed (a full disk) changed nothing', async () => {
    dataDir = tempDir();
    const first = await start();
    const room = await openRoom(first.url, d);
    const a = await mappedStudent(first.url, room.code);
    await must(room.teacher, 'teacher:quiz:push', { questionId: 'c5-lost-update' });
    await must(a.socket, 'student:quiz:answer', { questionId: 'c5-lost-update', choice: 1 });
    await must(room.teacher, 'teacher:chapter', { chapter: 3 });
    // The commit that drops the lesson fails, as on a full disk (see above).
    const db = openDatabase(dataDir);
    db.exec(`CREATE TABLE disk_full (code TEXT REFERENCES rooms(code) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER disk_full AFTER DELETE ON lesson BEGIN INSERT INTO disk_full VALUES ('nowhere'); END`);
    expect(await call(room.teacher, 'teacher:close', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    // As the answer says, nothing changed: the student still has its process.
    expect((await must(a.socket, 'op:store', { map: 1, index: 0, value: 0x41 })).outcome.display).toBe('ok');
    db.exec('DROP TRIGGER disk_full');
    await must(room.teacher, 'teacher:close', {});
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start();
    expect((await fetch(`${second.url}/api/rooms/${room.code}`)).status).toBe(410);
    const left = ['pages', 'roster', 'lesson', 'log_segments', 'log_chunks', 'quiz_rounds', 'quiz_answers'].map(
      (table) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE code = ?`).get(room.code) as { n: number }).n],
    );
    db.close();
    expect(Object.fromEntries(left)).toEqual({ pages: 0, roster: 0, lesson: 0, log_segments: 0, log_chunks: 0, quiz_rounds: 0, quiz_answers: 0 });
  });

  it('writes unsynced stores within the flush period, so kill -9 loses only the last moments', async () => {
    dataDir = tempDir();
    const first = await start('200');
    const room = await openRoom(first.url, d);
    const a = await mappedStudent(first.url, room.code);
    await must(a.socket, 'op:store', { map: 1, index: 9, value: 0x77 });
    await untilOnDisk(room.code, 9, 0x77);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await start();
    expect((await fileAfterRestart(second.url, room.code, room.credential)).slice(18, 20)).toBe('77');
  });
});
