import type { ClassExport, ExportSegment } from '@mmap-lab/shared/protocol/class-export.ts';
import {
  classReport, exerciseTable, quizAnswersTable, quizResultsTable, rosterTable, type RosterEntry, type Table,
} from '@mmap-lab/shared/report/index.ts';
import { recordFromJson, type LogRecord } from '@mmap-lab/shared/oplog/index.ts';
import { TraceWriter } from '@mmap-lab/shared/trace/export.ts';
import type { LessonStore, SegmentRow } from '../../persistence/lesson-store.ts';
import type { RoomStore } from '../../persistence/room-store.ts';
import { Refused } from '../refused.ts';
import type { Room } from '../room.ts';
import { resultsOf } from './exercise-run.ts';
import { runPart, segmentLog } from './past-results.ts';

export interface ExportStores {
  store: RoomStore;
  lessons: LessonStore;
}

/** The class export: the JSON document and its CSV tables, by name. */
export interface BuiltExport {
  json: ClassExport;
  tables: Map<string, Table>;
}

/** Students live now first (join order), then everyone else who ever joined, each name once. */
function roster(room: Room, store: RoomStore): RosterEntry[] {
  const out = new Map<string, RosterEntry>();
  for (const s of room.sessions.values()) out.set(s.name, { pid: s.pid, name: s.name, connected: s.link.state === 'connected' });
  for (const r of store.roster(room.code)) if (!out.has(r.name)) out.set(r.name, { pid: r.pid, name: r.name, connected: false });
  return [...out.values()];
}

/** The last export built per room, and what it was built from: a JSON download then its CSVs cost one build. */
const built = new WeakMap<Room, { key: string; export: BuiltExport }>();

/** The class export, built again only if the room changed since the last one. */
export async function classExportOf(room: Room, stores: ExportStores): Promise<BuiltExport> {
  const connected = room.studentSockets().length;
  const key = `${room.log.version}:${room.lesson.version}:${room.sessions.size}:${connected}`;
  const cached = built.get(room);
  if (cached?.key === key) return cached.export;
  const fresh = await buildClassExport(room, stores);
  built.set(room, { key, export: fresh });
  return fresh;
}

/**
 * Records per piece of work: a piece takes some milliseconds, and between
 * pieces the server runs every other room (a class's log can hold hundreds
 * of thousands of records, seconds of work in one go).
 */
const SLICE = 1_000;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The export as JSON text, in pieces: the same document as
 * `JSON.stringify(json, null, 2)` but with the segments last and each on
 * lines of its own, their `expected` lines a slice at a time (one string
 * of a whole class's export would block the server as long as building it).
 */
export async function* exportJsonText(json: ClassExport): AsyncGenerator<string> {
  const { segments, ...rest } = json;
  // Everything but the segments, with its closing brace cut off.
  yield `${JSON.stringify(rest, null, 2).slice(0, -2)},\n  "segments": [`;
  for (const [n, { expected, ...segment }] of segments.entries()) {
    yield `${n === 0 ? '' : ','}\n    ${JSON.stringify(segment).slice(0, -1)},\n      "expected": [`;
    for (let i = 0; i < expected.length; i += SLICE) {
      yield `${i === 0 ? '' : ','}\n        ${expected.slice(i, i + SLICE).map((line) => JSON.stringify(line)).join(',\n        ')}`;
      await nextTurn();
    }
    yield '\n      ]}';
  }
  yield '\n  ]\n}\n';
}

/** Exports of segments that are over, by room: a kernel life that ended never changes, so each is built once. */
const finished = new WeakMap<Room, Map<number, Promise<ExportSegment>>>();

/** A segment's records, a slice at a time: the current one from the room, past ones from the store a chunk at a time. */
async function* recordSlices(room: Room, lessons: LessonStore, row: SegmentRow): AsyncGenerator<LogRecord[]> {
  if (row.segment === room.log.segment) {
    const { log } = room;
    const { recorded, rewinds, length } = log;
    for (let from = 0; from < length; from += SLICE) {
      // An undo while we waited changed the records from there on: the export must start again.
      if (log.rewinds !== rewinds) throw new LogRewound();
      const slice: LogRecord[] = [];
      for (let i = from; i < Math.min(length, from + SLICE); i++) slice.push(recorded.record(i));
      yield slice;
    }
    return;
  }
  for (let seq = 0; ; ) {
    const chunk = lessons.recordsFrom(room.code, row.segment, seq);
    if (chunk === undefined) return;
    for (let i = 0; i < chunk.length; i += SLICE) yield chunk.slice(i, i + SLICE).map(recordFromJson);
    seq += chunk.length;
  }
}

class LogRewound extends Error {}

/** One segment's trace, built a slice at a time. */
async function buildSegment(room: Room, lessons: LessonStore, row: SegmentRow): Promise<ExportSegment> {
  const writer = new TraceWriter(
    { pageSize: row.pageSize, file: row.file }, `mmap-lab room ${room.code}, segment ${row.segment} (${row.reason})`,
  );
  let records = 0;
  let writing = true;
  for await (const slice of recordSlices(room, lessons, row)) {
    records += slice.length;
    for (const r of slice) if (writing) writing = writer.add(r);
    await nextTurn();
  }
  const detail = writer.finish();
  return {
    segment: row.segment, reason: row.reason as ExportSegment['reason'], startedAt: row.startedAt, pageSize: row.pageSize,
    run: row.run, records, logFull: row.full, trace: detail.text, expected: detail.expected, omitted: detail.omitted,
    ...(detail.stoppedAt === undefined ? {} : { stoppedAt: detail.stoppedAt }),
  };
}

/** A segment's export: built once if the segment is over, else now (again if an undo cut its log meanwhile). */
async function segmentExport(room: Room, lessons: LessonStore, row: SegmentRow): Promise<ExportSegment> {
  if (row.segment !== room.log.segment) {
    let done = finished.get(room);
    if (done === undefined) finished.set(room, (done = new Map()));
    let segment = done.get(row.segment);
    if (segment === undefined) {
      segment = buildSegment(room, lessons, row);
      done.set(row.segment, segment);
      segment.catch(() => done.delete(row.segment));
    }
    return segment;
  }
  for (;;) {
    try {
      return await buildSegment(room, lessons, row);
    } catch (error) {
      if (!(error instanceof LogRewound)) throw error;
    }
  }
}

/**
 * Everything the teacher takes home after class: roster, each exercise's
 * results, the quiz, and the room's actual interleaving as traces (one per
 * kernel life) that replay with `pnpm trace`. Built from the store after
 * writing out what is only in memory; the current segment is read live.
 */
export async function buildClassExport(room: Room, { store, lessons }: ExportStores): Promise<BuiltExport> {
  room.persist();
  const code = room.code;
  const segmentRows = lessons.segments(code);
  const segments: ExportSegment[] = [];
  for (const row of segmentRows) segments.push(await segmentExport(room, lessons, row));
  if (room.closed) throw new Refused('ROOM_CLOSED', 'The room was closed while its export was being built.');

  const tables = new Map<string, Table>();
  const runs: ClassExport['runs'] = lessons.runs(code).map((run) => {
    const parts = segmentRows.filter((s) => s.run === run.run).map((s, k) => {
      const cut = runPart(run, s, segmentLog(room, lessons, s));
      const exercise = resultsOf(run, cut);
      const table = `exercise-${run.run}-${run.exercise}${k === 0 ? '' : `-${k + 1}`}`;
      tables.set(table, { ...exerciseTable(exercise), name: table });
      return { segment: s.segment, records: cut.records.length, table, exercise };
    });
    return {
      run: run.run, id: run.exercise, startedAt: run.startedAt, stoppedAt: run.stoppedAt, increments: run.increments,
      slowMotion: run.slowMotion, groups: run.groups, parts,
    };
  });

  const people = roster(room, store);
  const { questions, answers } = room.lesson.quiz.history();
  tables.set('roster', rosterTable(people));
  tables.set('quiz-answers', quizAnswersTable(questions, answers));
  tables.set('quiz-results', quizResultsTable(questions, answers));
  const current = segments.find((s) => s.segment === room.log.segment);
  const report = classReport({
    room: { code, pageSize: room.kernel.pageSize, template: room.template },
    roster: people,
    exercises: runs.flatMap((r) => r.parts.map((p) => p.exercise)),
    questions,
    answers,
    ...(current === undefined ? {} : { trace: current.trace }),
  });
  const json: ClassExport = {
    ...report,
    quiz: { ...report.quiz, questions: report.quiz.questions.map((q) => ({ ...q, choices: [...q.choices] })) },
    runs,
    segments,
    tables: [...tables.keys()],
  };
  return { json, tables };
}
