import { recordFromJson, type OpLog } from '@mmap-lab/shared/oplog/index.ts';
import type { ExerciseResultsWire } from '@mmap-lab/shared/protocol/lesson.ts';
import type { LessonStore, RunRow, SegmentRow } from '../../persistence/lesson-store.ts';
import { Refused } from '../refused.ts';
import type { RoomLog } from '../room-log.ts';
import { resultsOf } from './exercise-run.ts';

/** A room's code and its current log segment (the room, or its lesson's host). */
export interface RoomLogs {
  readonly code: string;
  readonly log: RoomLog;
}

/** A segment's log: the room's own for the current one, else read back from the store. */
export function segmentLog(room: RoomLogs, lessons: LessonStore, row: SegmentRow): OpLog {
  if (row.segment === room.log.segment) return room.log.recorded.log;
  const log: OpLog = { pageSize: row.pageSize, file: row.file, records: lessons.records(room.code, row.segment).map(recordFromJson) };
  if (row.memoryBytes !== null) log.memoryBytes = row.memoryBytes;
  return log;
}

/** The part of a segment's log that belongs to a run: up to where the run stopped. */
export function runPart(run: RunRow, segment: SegmentRow, log: OpLog): OpLog {
  return segment.segment === run.endSegment && run.endSeq !== null ? { ...log, records: log.records.slice(0, run.endSeq) } : log;
}

/**
 * The results of exercise run `number` (an earlier round, for the board's
 * chart of the unlocked counter beside the locked one): over its last
 * segment, the same as the board saw when it stopped.
 */
export function pastResults(room: RoomLogs, lessons: LessonStore, number: number): ExerciseResultsWire {
  // Kept at the stop: computing them again reads and replays the run's log, ~0.35 s for 20,000 records.
  const kept = lessons.finalResults(room.code, number);
  if (kept !== null) return kept;
  const run = lessons.runs(room.code).find((r) => r.run === number);
  const segment = lessons.segments(room.code).filter((s) => s.run === number).at(-1);
  if (run === undefined || segment === undefined) throw new Refused('INVALID_PAYLOAD', `This room has no exercise run ${number}.`);
  const log = runPart(run, segment, segmentLog(room, lessons, segment));
  return { run: number, records: log.records.length, final: run.stoppedAt !== null, complete: !segment.full, exercise: resultsOf(run, log) };
}
