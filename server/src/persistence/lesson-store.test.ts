/** A database written before the ordering was stored still opens, and its rooms keep the ordering they had. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.ts';
import { LESSON_SCHEMA, LessonStore } from './lesson-store.ts';
import { RoomStore } from './room-store.ts';

let db: Db | undefined;
let dir: string | undefined;
afterEach(() => {
  db?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The lesson table as it was before the ordering was stored. */
const OLD_LESSON = `CREATE TABLE lesson (
  code TEXT PRIMARY KEY REFERENCES rooms(code) ON DELETE CASCADE, chapter INTEGER NOT NULL DEFAULT 0, run INTEGER, round INTEGER
) WITHOUT ROWID`;

describe('the lesson store on an older database', () => {
  it('adds the ordering: slow motion for a room in a running slow-motion exercise, arrival order for the others', () => {
    dir = mkdtempSync(join(tmpdir(), 'lesson-store-'));
    db = openDatabase(dir);
    const rooms = new RoomStore(db);
    for (const code of ['SLOWMO', 'PLAIN1']) {
      rooms.createRoom({ code, teacherHash: 'x', template: 'counter', pageSize: 16, fileSize: 16 }, []);
    }
    // The other lesson tables are as they were.
    db.exec(OLD_LESSON);
    db.exec(LESSON_SCHEMA);
    const addRun = db.prepare(`INSERT INTO exercise_runs (code, run, exercise, increments, slow_motion, groups, started_at)
      VALUES (?, 1, 'shared-vs-private', 5, ?, '{"kind":"none"}', 1)`);
    addRun.run('SLOWMO', 1);
    addRun.run('PLAIN1', 0);
    for (const code of ['SLOWMO', 'PLAIN1']) db.prepare('INSERT INTO lesson (code, chapter, run) VALUES (?, 3, 1)').run(code);

    const lessons = new LessonStore(db);
    expect(lessons.lesson('SLOWMO')).toEqual({ chapter: 3, run: 1, round: null, ordering: 'slow-motion', seed: null });
    expect(lessons.lesson('PLAIN1')).toEqual({ chapter: 3, run: 1, round: null, ordering: 'arrival', seed: null });
    lessons.saveLesson('PLAIN1', { chapter: 3, run: 1, round: null, ordering: 'teacher', seed: 42 });
    expect(new LessonStore(db).lesson('PLAIN1')).toMatchObject({ ordering: 'teacher', seed: 42 });
  });

  it('turns the log of a database from before log_chunks (one row per record in log_records) into chunks', () => {
    dir = mkdtempSync(join(tmpdir(), 'lesson-store-'));
    db = openDatabase(dir);
    new RoomStore(db).createRoom({ code: 'OLDLOG', teacherHash: 'x', template: 'counter', pageSize: 16, fileSize: 16 }, []);
    const lessons = new LessonStore(db);
    for (const segment of [1, 2]) {
      lessons.addSegment('OLDLOG', { segment, reason: 'created', startedAt: 1, pageSize: 16, memoryBytes: null, file: new Uint8Array(16), run: null });
    }
    db.exec(`DROP TABLE log_chunks; CREATE TABLE log_records (code TEXT NOT NULL, segment INTEGER NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL,
      PRIMARY KEY (code, segment, seq), FOREIGN KEY (code, segment) REFERENCES log_segments(code, segment) ON DELETE CASCADE) WITHOUT ROWID`);
    const old = db.prepare('INSERT INTO log_records VALUES (?, ?, ?, ?)');
    for (const [segment, seq] of [[1, 0], [1, 1], [1, 2], [2, 0], [2, 1]]) old.run('OLDLOG', segment, seq, JSON.stringify({ segment, seq }));

    const upgraded = new LessonStore(db);
    expect(upgraded.records('OLDLOG', 1)).toEqual([0, 1, 2].map((seq) => ({ segment: 1, seq })));
    expect(upgraded.records('OLDLOG', 2)).toEqual([0, 1].map((seq) => ({ segment: 2, seq })));
    expect(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'log_records'").get()).toBeUndefined();
    // The chunks say where they start: an undo cuts them as it cuts chunks the server wrote.
    expect(upgraded.dropRecordsFrom('OLDLOG', 1, 2)).toBe(0);
  });
});
