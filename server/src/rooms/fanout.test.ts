/**
 * The batcher without sockets: a fake outbox records what would be sent, and
 * the test flushes explicitly instead of waiting for a tick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../persistence/database.ts';
import { LessonStore } from '../persistence/lesson-store.ts';
import { RoomStore } from '../persistence/room-store.ts';
import type { RoomOutbox } from './outbox.ts';
import { Room } from './room.ts';

interface Sent {
  to: string[] | 'teachers';
  event: string;
  payload: unknown;
}

let db: Db | undefined;
let dir: string | undefined;
let room: Room | undefined;
afterEach(() => {
  room?.dispose();
  db?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** With `held`, broadcasts finish only when the test calls the returned callbacks (a big room's slow write). */
function makeRoom(tickMs = 60_000, held?: (() => void)[]): { room: Room; sent: Sent[] } {
  dir = mkdtempSync(join(tmpdir(), 'fanout-'));
  db = openDatabase(dir);
  const store = new RoomStore(db);
  const code = 'ABCDEF';
  store.createRoom({ code, teacherHash: 'x', template: 'blank', pageSize: 16, fileSize: 32 }, []);
  const sent: Sent[] = [];
  const outbox: RoomOutbox = {
    toSocket: (id, event, payload) => sent.push({ to: [id], event, payload }),
    toSockets: (ids, event, payload, done) => {
      sent.push({ to: [...ids], event, payload });
      if (held !== undefined && done !== undefined) held.push(done);
      else done?.();
    },
    toTeachers: (_code, event, payload) => sent.push({ to: 'teachers', event, payload }),
    hasTeachers: () => false,
    dropTeachers: () => {},
  };
  room = new Room(
    { code, teacherHash: 'x', template: 'blank', locked: false, pageSize: 16, file: new Uint8Array(32), reason: 'created' },
    {
      outbox, store, lessons: new LessonStore(db), graceMs: 60_000, tickMs, maxStudents: 100, memoryBytes: 1 << 20,
      slowMotionMs: 0, resultsMs: 60_000, logMaxRecords: 1000, logMaxBytes: 1 << 20, reportError: (e) => { throw e; },
    },
  );
  return { room, sent };
}

describe('fan-out batching', () => {
  it('sends one broadcast to every student that sees the same changed pages, encoded once', () => {
    const { room, sent } = makeRoom();
    const students = ['a', 'b', 'c', 'd', 'e'].map((id) => room.join(id.toUpperCase(), id));
    const [a, , , d] = students; // e has the file open but maps nothing
    for (const s of students) room.apply(s, { op: 'open', mode: 'O_RDWR' });
    for (const s of students.slice(0, 3)) room.apply(s, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    room.apply(d, { op: 'mmap', len: 16n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 16n }); // second page only
    room.fanout.flush();
    sent.length = 0;

    for (let i = 0; i < 5; i++) room.apply(a, { op: 'store', map: 1, index: 4, value: 65 + i });
    room.fanout.flush();
    expect(sent).toEqual([{ to: ['a', 'b', 'c'], event: 'room:bytes', payload: { size: 32, runs: [{ offset: 4, hex: '45', by: a.pid }] } }]);
  });

  it('splits recipients by what they can see and sends nothing for a private store', () => {
    const { room, sent } = makeRoom();
    const [a, b, c] = ['a', 'b', 'c'].map((id) => room.join(id.toUpperCase(), id));
    for (const s of [a, b, c]) room.apply(s, { op: 'open', mode: 'O_RDWR' });
    room.apply(a, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    room.apply(b, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    room.apply(c, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_PRIVATE', fd: 3, off: 0n });
    room.apply(c, { op: 'store', map: 1, index: 0, value: 1 }); // c copies page 0
    room.fanout.flush();
    expect(sent.filter((s) => s.event === 'room:bytes')).toEqual([]);

    room.apply(a, { op: 'store', map: 1, index: 1, value: 2 });
    room.apply(a, { op: 'store', map: 1, index: 17, value: 3 });
    room.fanout.flush();
    const bytes = sent.filter((s) => s.event === 'room:bytes');
    expect(bytes).toEqual([
      { to: ['a', 'b'], event: 'room:bytes', payload: { size: 32, runs: [{ offset: 1, hex: '02', by: a.pid }, { offset: 17, hex: '03', by: a.pid }] } },
      { to: ['c'], event: 'room:bytes', payload: { size: 32, runs: [{ offset: 17, hex: '03', by: a.pid }] } },
    ]);
  });

  it('sends each changed byte once, named after the writer that stored it last', () => {
    const { room, sent } = makeRoom();
    const students = Array.from({ length: 12 }, (_, i) => room.join(`S${i}`, `s${i}`));
    for (const s of students) {
      room.apply(s, { op: 'open', mode: 'O_RDWR' });
      room.apply(s, { op: 'mmap', len: 32n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    }
    room.fanout.flush();
    sent.length = 0;
    const [a, b] = students;
    // Twelve writers on one byte: one byte goes out, by the last of them.
    students.forEach((s, i) => room.apply(s, { op: 'store', map: 1, index: 0, value: i }));
    // a writes 4..7, then b overwrites 5..6 inside it: a's run is cut around b's.
    room.apply(a, { op: 'pwrite', fd: 3, data: new Uint8Array([1, 1, 1, 1]), off: 4n });
    room.apply(b, { op: 'pwrite', fd: 3, data: new Uint8Array([2, 2]), off: 5n });
    room.fanout.flush();
    const bytes = sent.filter((s) => s.event === 'room:bytes');
    expect(bytes.map((s) => s.payload)).toEqual([{
      size: 32,
      runs: [
        { offset: 0, hex: '0b', by: students[11].pid },
        { offset: 4, hex: '01', by: a.pid },
        { offset: 5, hex: '0202', by: b.pid },
        { offset: 7, hex: '01', by: a.pid },
      ],
    }]);
  });

  it('starts the next tick only a tick after the last one has been written', async () => {
    const held: (() => void)[] = [];
    const { room, sent } = makeRoom(20, held);
    const [a, b] = ['a', 'b'].map((id) => room.join(id.toUpperCase(), id));
    for (const s of [a, b]) {
      room.apply(s, { op: 'open', mode: 'O_RDWR' });
      room.apply(s, { op: 'mmap', len: 16n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    }
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const ticks = () => sent.filter((s) => s.event === 'room:bytes').length;
    room.apply(a, { op: 'store', map: 1, index: 0, value: 1 });
    await wait(60);
    expect(ticks()).toBe(1);
    room.apply(b, { op: 'store', map: 1, index: 0, value: 2 }); // while the first is still being written
    await wait(60);
    expect(ticks()).toBe(1);
    for (const done of held.splice(0)) done();
    await wait(60);
    expect(ticks()).toBe(2);
  });
});
