import type { LogRecordJson } from '@mmap-lab/shared/oplog/index.ts';
import type { ExerciseId } from '@mmap-lab/shared/exercises/catalog.ts';
import type { ExerciseGroups, ExerciseResultsWire, Ordering } from '@mmap-lab/shared/protocol/lesson.ts';
import type { InitialFile } from '@mmap-lab/shared/kernel/page-cache.ts';
import { afterCommit, transaction, type Db } from './database.ts';
import { packImage, unpackImage } from './file-image.ts';

/**
 * The lesson's tables: live chapter, exercise runs, the operation log (in
 * segments: one per kernel life) and the quiz. All of it goes when the room
 * is closed, with the file and the roster.
 */
export const LESSON_SCHEMA = `
CREATE TABLE IF NOT EXISTS lesson (
  code    TEXT PRIMARY KEY REFERENCES rooms(code) ON DELETE CASCADE,
  chapter INTEGER NOT NULL DEFAULT 0,
  run     INTEGER,            -- the running exercise, if any
  round   INTEGER,            -- the quiz question on screen, if any
  ordering TEXT NOT NULL DEFAULT 'arrival',  -- Ordering: how operations are ordered now
  seed    INTEGER             -- the teacher scheduler's seed, while the teacher is the scheduler
) WITHOUT ROWID;
-- One kernel life: from room creation, a reboot, an exercise's setup or a restart.
CREATE TABLE IF NOT EXISTS log_segments (
  code         TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
  segment      INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  page_size    INTEGER NOT NULL,
  memory_bytes INTEGER,
  file         BLOB NOT NULL,   -- the file's bytes, or with file_size its image's pages (file-image.ts packImage)
  file_size    INTEGER,
  run          INTEGER,         -- the exercise it belongs to
  full         INTEGER NOT NULL DEFAULT 0,  -- the log filled up: later operations were not recorded
  PRIMARY KEY (code, segment)
) WITHOUT ROWID;
-- The records of a segment, in chunks (one per flush): a class at thousands of operations a second costs one row a second.
CREATE TABLE IF NOT EXISTS log_chunks (
  code      TEXT NOT NULL,
  segment   INTEGER NOT NULL,
  first_seq INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  records   TEXT NOT NULL,      -- a JSON array of logRecordJson, seq first_seq to first_seq + count - 1
  PRIMARY KEY (code, segment, first_seq),
  FOREIGN KEY (code, segment) REFERENCES log_segments(code, segment) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS exercise_runs (
  code        TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
  run         INTEGER NOT NULL,
  exercise    TEXT NOT NULL,
  increments  INTEGER NOT NULL,
  slow_motion INTEGER NOT NULL,
  groups      TEXT NOT NULL,    -- ExerciseGroups
  started_at  INTEGER NOT NULL,
  stopped_at  INTEGER,
  end_segment INTEGER,          -- where it stopped: records from end_seq on are not part of it
  end_seq     INTEGER,
  results     TEXT,             -- its final ExerciseResultsWire, once stopped
  PRIMARY KEY (code, run)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quiz_rounds (
  code        TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
  round       INTEGER NOT NULL,
  question_id TEXT NOT NULL,
  pushed_at   INTEGER NOT NULL,
  revealed    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (code, round)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quiz_answers (
  code    TEXT NOT NULL,
  round   INTEGER NOT NULL,
  student TEXT NOT NULL,
  choice  INTEGER NOT NULL,
  at      INTEGER,
  ord     INTEGER NOT NULL,     -- answering order within the round
  PRIMARY KEY (code, round, student),
  FOREIGN KEY (code, round) REFERENCES quiz_rounds(code, round) ON DELETE CASCADE
) WITHOUT ROWID;
`;

export interface SegmentRow {
  segment: number;
  reason: string;
  startedAt: number;
  pageSize: number;
  memoryBytes: number | null;
  file: InitialFile;
  run: number | null;
  full: boolean;
}

export interface RunRow {
  run: number;
  exercise: ExerciseId;
  increments: number;
  slowMotion: boolean;
  groups: ExerciseGroups;
  startedAt: number;
  stoppedAt: number | null;
  endSegment: number | null;
  endSeq: number | null;
}

export interface RoundRow {
  round: number;
  questionId: string;
  pushedAt: number;
  revealed: boolean;
}

export interface AnswerRow {
  round: number;
  student: string;
  choice: number;
  at: number | null;
}

export interface LessonRow {
  chapter: number;
  run: number | null;
  round: number | null;
  ordering: Ordering;
  /** Only with ordering `teacher`. */
  seed: number | null;
}

/**
 * A database from before the ordering was stored gets its columns. Then
 * slow motion was only ever on with a running exercise launched with it,
 * so that is what such a room was ordered by (the teacher's queue did not
 * survive a restart: arrival order).
 */
function addOrderingColumns(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(lesson)').all() as { name: string }[];
  if (columns.some((c) => c.name === 'ordering')) return;
  db.transaction(() => {
    db.exec("ALTER TABLE lesson ADD COLUMN ordering TEXT NOT NULL DEFAULT 'arrival'");
    db.exec('ALTER TABLE lesson ADD COLUMN seed INTEGER');
    db.exec(`UPDATE lesson SET ordering = 'slow-motion' WHERE EXISTS (SELECT 1 FROM exercise_runs r
      WHERE r.code = lesson.code AND r.run = lesson.run AND r.slow_motion = 1 AND r.stopped_at IS NULL)`);
  })();
}

/**
 * A database from before stopped runs kept their final results gets the
 * column; their results are computed from the log when asked, as they were.
 */
function addResultsColumn(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(exercise_runs)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'results')) db.exec('ALTER TABLE exercise_runs ADD COLUMN results TEXT');
}

/**
 * A database from before log_chunks kept one row per record in log_records,
 * which later servers left there unread: each run of consecutive records of
 * a segment becomes chunks (of at most OLD_CHUNK records, so no row is
 * huge), and the table goes, in one transaction. A chunk already there is
 * newer and stays.
 */
function chunkOldRecords(db: Db): void {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log_records'").get() === undefined) return;
  const OLD_CHUNK = 10_000;
  const add = db.prepare('INSERT OR IGNORE INTO log_chunks (code, segment, first_seq, count, records) VALUES (?, ?, ?, ?, ?)');
  const records = db.prepare('SELECT seq, record FROM log_records WHERE code = ? AND segment = ? ORDER BY seq');
  db.transaction(() => {
    for (const { code, segment } of db.prepare('SELECT DISTINCT code, segment FROM log_records').all() as { code: string; segment: number }[]) {
      let first = 0;
      let texts: string[] = [];
      const flush = () => {
        if (texts.length > 0) add.run(code, segment, first, texts.length, `[${texts.join(',')}]`);
      };
      for (const r of records.all(code, segment) as { seq: number; record: string }[]) {
        if (r.seq !== first + texts.length || texts.length === OLD_CHUNK) {
          flush();
          first = r.seq;
          texts = [];
        }
        texts.push(r.record);
      }
      flush();
    }
    db.exec('DROP TABLE log_records');
  })();
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** Every statement of the lesson tables, prepared once; all calls are synchronous. */
export class LessonStore {
  readonly #db: Db;
  readonly #s;

  constructor(db: Db) {
    this.#db = db;
    db.exec(LESSON_SCHEMA);
    // A database from before `full` existed gets the column (it cannot have filled a log then).
    const columns = db.prepare('PRAGMA table_info(log_segments)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'full')) db.exec('ALTER TABLE log_segments ADD COLUMN full INTEGER NOT NULL DEFAULT 0');
    // ...and `file_size` (its segments start from the file's bytes).
    if (!columns.some((c) => c.name === 'file_size')) db.exec('ALTER TABLE log_segments ADD COLUMN file_size INTEGER');
    addOrderingColumns(db);
    addResultsColumn(db);
    chunkOldRecords(db);
    const p = (sql: string) => db.prepare(sql);
    this.#s = {
      lesson: p('SELECT chapter, run, round, ordering, seed FROM lesson WHERE code = ?'),
      saveLesson: p(`INSERT INTO lesson (code, chapter, run, round, ordering, seed) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET
        chapter = excluded.chapter, run = excluded.run, round = excluded.round, ordering = excluded.ordering, seed = excluded.seed`),
      addSegment: p('INSERT INTO log_segments (code, segment, reason, started_at, page_size, memory_bytes, file, file_size, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      segments: p('SELECT * FROM log_segments WHERE code = ? ORDER BY segment'),
      setFull: p('UPDATE log_segments SET full = 1 WHERE code = ? AND segment = ?'),
      maxSegment: p('SELECT MAX(segment) AS n FROM log_segments WHERE code = ?'),
      addChunk: p('INSERT OR REPLACE INTO log_chunks (code, segment, first_seq, count, records) VALUES (?, ?, ?, ?, ?)'),
      chunkAt: p('SELECT first_seq FROM log_chunks WHERE code = ? AND segment = ? AND first_seq < ? AND first_seq + count > ?'),
      dropChunks: p('DELETE FROM log_chunks WHERE code = ? AND segment = ? AND first_seq >= ?'),
      chunks: p('SELECT records FROM log_chunks WHERE code = ? AND segment = ? ORDER BY first_seq'),
      chunkFrom: p('SELECT records FROM log_chunks WHERE code = ? AND segment = ? AND first_seq >= ? ORDER BY first_seq LIMIT 1'),
      addRun: p('INSERT INTO exercise_runs (code, run, exercise, increments, slow_motion, groups, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      setGroups: p('UPDATE exercise_runs SET groups = ? WHERE code = ? AND run = ?'),
      stopRun: p('UPDATE exercise_runs SET stopped_at = ?, end_segment = ?, end_seq = ?, results = ? WHERE code = ? AND run = ?'),
      finalResults: p('SELECT results FROM exercise_runs WHERE code = ? AND run = ?'),
      runs: p('SELECT * FROM exercise_runs WHERE code = ? ORDER BY run'),
      maxRun: p('SELECT MAX(run) AS n FROM exercise_runs WHERE code = ?'),
      addRound: p('INSERT INTO quiz_rounds (code, round, question_id, pushed_at) VALUES (?, ?, ?, ?)'),
      reveal: p('UPDATE quiz_rounds SET revealed = 1 WHERE code = ? AND round = ?'),
      rounds: p('SELECT * FROM quiz_rounds WHERE code = ? ORDER BY round'),
      saveAnswer: p('INSERT OR REPLACE INTO quiz_answers (code, round, student, choice, at, ord) VALUES (?, ?, ?, ?, ?, ?)'),
      dropAnswers: p('DELETE FROM quiz_answers WHERE code = ? AND round = ?'),
      answers: p('SELECT round, student, choice, at FROM quiz_answers WHERE code = ? ORDER BY round, ord'),
      drop: ['lesson', 'log_chunks', 'log_segments', 'exercise_runs', 'quiz_answers', 'quiz_rounds'].map((t) => p(`DELETE FROM ${t} WHERE code = ?`)),
    };
  }

  /** Run `write` as one commit (database.ts). */
  inOneCommit(write: () => void): void {
    transaction(this.#db, write);
  }

  /** `then` once the commit that holds what was just written has succeeded (database.ts). */
  afterCommit(then: () => void): void {
    afterCommit(this.#db, then);
  }

  lesson(code: string): LessonRow {
    return (this.#s.lesson.get(code) as LessonRow | undefined) ?? { chapter: 0, run: null, round: null, ordering: 'arrival', seed: null };
  }

  saveLesson(code: string, row: LessonRow): void {
    this.#s.saveLesson.run(code, row.chapter, row.run, row.round, row.ordering, row.seed);
  }

  setSegmentFull(code: string, segment: number): void {
    this.#s.setFull.run(code, segment);
  }

  addSegment(code: string, row: Omit<SegmentRow, 'full'>): void {
    const [file, fileSize] = row.file instanceof Uint8Array ? [row.file, null] : [packImage(row.file), row.file.size];
    this.#s.addSegment.run(code, row.segment, row.reason, row.startedAt, row.pageSize, row.memoryBytes, file, fileSize, row.run);
  }

  /** The highest segment number this room used, or 0. */
  lastSegment(code: string): number {
    return (this.#s.maxSegment.get(code) as { n: number | null }).n ?? 0;
  }

  segments(code: string): SegmentRow[] {
    type Raw = {
      segment: number; reason: string; started_at: number; page_size: number; memory_bytes: number | null; file: Buffer;
      file_size: number | null; run: number | null; full: number;
    };
    return (this.#s.segments.all(code) as Raw[]).map((r) => ({
      segment: r.segment, reason: r.reason, startedAt: r.started_at, pageSize: r.page_size,
      memoryBytes: r.memory_bytes, run: r.run,
      file: r.file_size === null ? bytes(r.file) : unpackImage(bytes(r.file), r.page_size, r.file_size), full: r.full !== 0,
    }));
  }

  /** Records `from`, `from + 1`... of a segment, each as JSON text: one chunk, one row. */
  appendRecords(code: string, segment: number, from: number, records: string[]): void {
    this.#s.addChunk.run(code, segment, from, records.length, `[${records.join(',')}]`);
  }

  /**
   * An undo took records back: forget them from `seq` on. A chunk that
   * holds `seq` goes whole; the answer is how many records the store still
   * has (the caller writes the rest of that chunk again, in the same commit).
   */
  dropRecordsFrom(code: string, segment: number, seq: number): number {
    const straddling = this.#s.chunkAt.get(code, segment, seq, seq) as { first_seq: number } | undefined;
    const from = straddling?.first_seq ?? seq;
    this.#s.dropChunks.run(code, segment, from);
    return from;
  }

  /** The first chunk of records from `seq` on (a long log read one chunk at a time), or undefined past the end. */
  recordsFrom(code: string, segment: number, seq: number): LogRecordJson[] | undefined {
    const row = this.#s.chunkFrom.get(code, segment, seq) as { records: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.records) as LogRecordJson[]);
  }

  records(code: string, segment: number): LogRecordJson[] {
    return (this.#s.chunks.all(code, segment) as { records: string }[]).flatMap((c) => JSON.parse(c.records) as LogRecordJson[]);
  }

  addRun(code: string, row: RunRow): void {
    this.#s.addRun.run(code, row.run, row.exercise, row.increments, row.slowMotion ? 1 : 0, JSON.stringify(row.groups), row.startedAt);
  }

  setGroups(code: string, run: number, groups: ExerciseGroups): void {
    this.#s.setGroups.run(JSON.stringify(groups), code, run);
  }

  /** The run stopped at record `seq` of `segment`, with these final results (kept: computing them again means reading and replaying its whole log). */
  stopRun(code: string, run: number, at: number, segment: number, seq: number, results: ExerciseResultsWire): void {
    this.#s.stopRun.run(at, segment, seq, JSON.stringify(results), code, run);
  }

  /** A stopped run's final results, as it kept them (null: still running, or stopped by a server from before they were kept). */
  finalResults(code: string, run: number): ExerciseResultsWire | null {
    const row = this.#s.finalResults.get(code, run) as { results: string | null } | undefined;
    return row?.results == null ? null : (JSON.parse(row.results) as ExerciseResultsWire);
  }

  /** The highest exercise run number this room used, or 0. */
  lastRun(code: string): number {
    return (this.#s.maxRun.get(code) as { n: number | null }).n ?? 0;
  }

  runs(code: string): RunRow[] {
    type Raw = {
      run: number; exercise: string; increments: number; slow_motion: number; groups: string; started_at: number;
      stopped_at: number | null; end_segment: number | null; end_seq: number | null;
    };
    return (this.#s.runs.all(code) as Raw[]).map((r) => ({
      run: r.run, exercise: r.exercise as ExerciseId, increments: r.increments, slowMotion: r.slow_motion !== 0,
      groups: JSON.parse(r.groups) as ExerciseGroups, startedAt: r.started_at, stoppedAt: r.stopped_at,
      endSegment: r.end_segment, endSeq: r.end_seq,
    }));
  }

  addRound(code: string, row: RoundRow): void {
    this.#s.addRound.run(code, row.round, row.questionId, row.pushedAt);
  }

  setRevealed(code: string, round: number): void {
    this.#s.reveal.run(code, round);
  }

  rounds(code: string): RoundRow[] {
    type Raw = { round: number; question_id: string; pushed_at: number; revealed: number };
    return (this.#s.rounds.all(code) as Raw[]).map((r) => ({ round: r.round, questionId: r.question_id, pushedAt: r.pushed_at, revealed: r.revealed !== 0 }));
  }

  /** A round's answers as they are now, in answering order (one commit). */
  saveAnswers(code: string, round: number, answers: readonly { student: string; choice: number; at?: number }[]): void {
    transaction(this.#db, () => {
      this.#s.dropAnswers.run(code, round);
      answers.forEach((a, i) => this.#s.saveAnswer.run(code, round, a.student, a.choice, a.at ?? null, i));
    });
  }

  answers(code: string): AnswerRow[] {
    return this.#s.answers.all(code) as AnswerRow[];
  }

  /** The room was closed: its lesson goes with its file. */
  dropAll(code: string): void {
    transaction(this.#db, () => {
      for (const s of this.#s.drop) s.run(code);
    });
  }
}
