/** The periodic flush: every room once per round of slots, in short commits. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../persistence/database.ts';
import { LessonStore } from '../persistence/lesson-store.ts';
import { RoomStore } from '../persistence/room-store.ts';
import { RoomRegistry } from './registry.ts';
import { Room } from './room.ts';

let db: Db | undefined;
let dir: string | undefined;
let registry: RoomRegistry | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  registry?.dispose();
  db?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the periodic flush', () => {
  it('writes every room exactly once per round of slots, a share of the rooms at a time', () => {
    dir = mkdtempSync(join(tmpdir(), 'registry-'));
    db = openDatabase(dir);
    const outbox = { toSocket() {}, toSockets() {}, toTeachers() {}, hasTeachers: () => false, dropTeachers() {} };
    registry = new RoomRegistry({
      outbox, store: new RoomStore(db), lessons: new LessonStore(db), graceMs: 60_000, tickMs: 60_000, maxStudents: 10,
      memoryBytes: 1 << 20, slowMotionMs: 0, resultsMs: 60_000, logMaxRecords: 100, logMaxBytes: 1 << 20, reportError: (e) => { throw e; },
    });
    const codes = Array.from({ length: 40 }, () => registry!.create({ template: 'counter', pageSize: 16 }).room.code);
    const written: string[][] = [];
    vi.spyOn(Room.prototype, 'persist').mockImplementation(function (this: Room) {
      written[written.length - 1].push(this.code);
    });
    for (let slot = 0; slot < 10; slot++) {
      written.push([]);
      registry.persistSlice(slot, 10, (_room, error) => { throw error; });
    }
    expect(written.flat().sort()).toEqual([...codes].sort());
    // Spread out: no turn writes more than a third of the rooms.
    expect(Math.max(...written.map((w) => w.length))).toBeLessThanOrEqual(codes.length / 3);
  });
});
