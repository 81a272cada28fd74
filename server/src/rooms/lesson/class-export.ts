import type { ClassExport, ExportSegment } from '@mmap-lab/shared/protocol/class-export.ts';
import {
  classReport, exerciseTable, quizAnswersTable, quizResultsTable, rosterTable, type RosterEntry, type Table,
} from '@mmap-lab/shared/report/index.ts';
import { exportTraceDetailed } from '@mmap-lab/shared/trace/export.ts';
import type { LessonStore } from '../../persistence/lesson-store.ts';
import type { RoomStore } from '../../persistence/room-store.ts';
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
export function classExportOf(room: Room, stores: ExportStores): BuiltExport {
  const connected = room.studentSockets().length;
  const key = `${room.log.version}:${room.lesson.version}:${room.sessions.size}:${connected}`;
  const cached = built.get(room);
  if (cached?.key === key) return cached.export;
  const fresh = buildClassExport(room, stores);
  built.set(room, { key, export: fresh });
  return fresh;
}

/**
 * Everything the teacher takes home after class: roster, each exercise's
 * results, the quiz, and the room's actual interleaving as traces (one per
 * kernel life) that replay with `pnpm trace`. Built from the store after
 * writing out what is only in memory; the current segment is read live.
 */
export function buildClassExport(room: Room, { store, lessons }: ExportStores): BuiltExport {
  room.persist();
  const code = room.code;
  const segmentRows = lessons.segments(code);
  const logs = new Map(segmentRows.map((row) => [row.segment, segmentLog(room, lessons, row)]));
  const segments: ExportSegment[] = segmentRows.map((row) => {
    const log = logs.get(row.segment)!;
    const detail = exportTraceDetailed(log, `mmap-lab room ${code}, segment ${row.segment} (${row.reason})`);
    return {
      segment: row.segment, reason: row.reason as ExportSegment['reason'], startedAt: row.startedAt, pageSize: row.pageSize,
      run: row.run, records: log.records.length, logFull: row.full, trace: detail.text, expected: detail.expected, omitted: detail.omitted,
      ...(detail.stoppedAt === undefined ? {} : { stoppedAt: detail.stoppedAt }),
    };
  });

  const tables = new Map<string, Table>();
  const runs: ClassExport['runs'] = lessons.runs(code).map((run) => {
    const parts = segmentRows.filter((s) => s.run === run.run).map((s, k) => {
      const log = logs.get(s.segment)!;
      const cut = runPart(run, s, log);
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
