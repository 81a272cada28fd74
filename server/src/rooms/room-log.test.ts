/** The room's log in the store: saved in chunks, cut back by an undo (even inside a chunk), read back whole. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logFromJson } from '@mmap-lab/shared/oplog/index.ts';
import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import { openDatabase, type Db } from '../persistence/database.ts';
import { LessonStore } from '../persistence/lesson-store.ts';
import { RoomStore } from '../persistence/room-store.ts';
import { RoomLog } from './room-log.ts';

let db: Db | undefined;
let dir: string | undefined;
afterEach(() => {
  db?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function fresh(maxRecords = 1000, maxBytes = 1 << 20): { log: RoomLog; lessons: LessonStore } {
  dir = mkdtempSync(join(tmpdir(), 'room-log-'));
  db = openDatabase(dir);
  new RoomStore(db).createRoom({ code: 'ABCDEF', teacherHash: 'x', template: 'counter', pageSize: 16, fileSize: 16 }, []);
  const lessons = new LessonStore(db);
  const log = new RoomLog(lessons, { code: 'ABCDEF', segment: 1, reason: 'created', pageSize: 16, file: new Uint8Array(16), memoryBytes: 1 << 20, run: null, maxRecords, maxBytes });
  return { log, lessons };
}

function stored(lessons: LessonStore, log: RoomLog) {
  return logFromJson({ pageSize: 16, fileHex: toHex(log.recorded.log.file as Uint8Array), memoryBytes: 1 << 20, records: lessons.records('ABCDEF', 1) });
}

describe('the room log in the store', () => {
  it('saves in chunks and reads back the same log, also after an undo cut inside a saved chunk', () => {
    const { log, lessons } = fresh();
    const rk = log.recorded;
    const pid = rk.spawn();
    rk.apply(pid, 'Ada', { op: 'open', mode: 'O_RDWR' });
    rk.apply(pid, 'Ada', { op: 'mmap', len: 16n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    log.save();
    for (let i = 0; i < 4; i++) rk.apply(pid, 'Ada', { op: 'store', map: 1, index: i, value: 65 + i });
    log.save();
    log.save(); // nothing new: no empty chunk
    expect(stored(lessons, log)).toEqual(rk.log);

    rk.truncate(4); // inside the second chunk (records 2..5)
    log.rewound();
    rk.apply(pid, 'Ada', { op: 'pwrite', fd: 3, off: 8n, data: Uint8Array.from([1, 2]) });
    log.save();
    expect(stored(lessons, log)).toEqual(rk.log);
    expect(stored(lessons, log).records.map((r) => r.kind === 'op' && r.op.op)).toEqual(['open', 'mmap', 'store', 'store', 'pwrite']);
  });

  it('saves what an undo left of the records made since the last save (packed stores among them)', () => {
    const { log, lessons } = fresh();
    const rk = log.recorded;
    const pid = rk.spawn();
    rk.apply(pid, 'Ada', { op: 'open', mode: 'O_RDWR' });
    rk.apply(pid, 'Ada', { op: 'mmap', len: 16n, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0n });
    log.save();
    for (let i = 0; i < 3; i++) rk.apply(pid, 'Ada', { op: 'store', map: 1, index: i, value: 70 + i });
    rk.truncate(3); // keeps open, mmap and the first store: two unsaved records are gone
    log.rewound();
    rk.apply(pid, 'Ada', { op: 'load', map: 1, index: 0 });
    log.save();
    expect(stored(lessons, log)).toEqual(rk.log);
    expect(stored(lessons, log).records.map((r) => r.kind === 'op' && r.op.op)).toEqual(['open', 'mmap', 'store', 'load']);
  });

  it('stops recording at its limit, once, and says so', () => {
    const { log } = fresh(2);
    expect([log.recording, log.full]).toEqual([true, false]);
    const pid = log.recorded.spawn();
    log.recorded.apply(pid, 'Ada', { op: 'open', mode: 'O_RDWR' });
    log.recorded.apply(pid, 'Ada', { op: 'fstat', fd: 3 });
    expect([log.recording, log.full]).toEqual([false, true]);
  });

  it('stops recording at its byte limit too: a few big pwrites fill it long before the record limit', () => {
    const { log } = fresh(1000, 100_000);
    const pid = log.recorded.spawn();
    log.recorded.apply(pid, 'Ada', { op: 'open', mode: 'O_RDWR' });
    log.recorded.apply(pid, 'Ada', { op: 'pwrite', fd: 3, off: 0n, data: new Uint8Array(65536) });
    expect(log.recording).toBe(true);
    log.recorded.apply(pid, 'Ada', { op: 'pread', fd: 3, off: 0n, count: 65536n });
    expect([log.recording, log.full, log.length]).toEqual([false, true, 3]);
  });
});
