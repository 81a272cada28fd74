import type { InitialFile } from '@mmap-lab/shared/kernel/page-cache.ts';
import { RecordedKernel } from '@mmap-lab/shared/oplog/index.ts';
import type { LessonStore } from '../persistence/lesson-store.ts';

/** Why a kernel (and its log segment) began. */
export type SegmentReason = 'created' | 'restart' | 'reboot' | 'exercise';

export interface SegmentStart {
  code: string;
  segment: number;
  reason: SegmentReason;
  pageSize: number;
  file: InitialFile;
  memoryBytes: number;
  /** The exercise run this kernel belongs to, if one is running. */
  run: number | null;
  /** Past this many records the log stops growing (LOG_MAX_RECORDS). */
  maxRecords: number;
  /** Or past this many bytes of pwrites' data and reads' bytes (LOG_MAX_BYTES). */
  maxBytes: number;
}

/**
 * One kernel life of a room and its operation log: the room's
 * RecordedKernel, written to the store in batches (at each flush, not per
 * operation). A reboot, an exercise's setup or a restart starts a new one.
 */
export class RoomLog {
  readonly recorded: RecordedKernel;
  readonly segment: number;
  readonly startedAt: number;
  readonly #store: LessonStore;
  readonly #code: string;
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  /** Records already in the store. */
  #saved = 0;
  /** Set once an operation was applied without being recorded: from then on the log is only a prefix. */
  #full = false;
  /** Times the log was cut back: after an undo and a different step, the length alone is what it was. */
  #rewinds = 0;

  constructor(store: LessonStore, start: SegmentStart) {
    const startedAt = Date.now();
    this.recorded = new RecordedKernel({
      pageSize: start.pageSize, file: start.file, memoryBytes: start.memoryBytes, clock: () => Date.now() - startedAt,
    });
    this.segment = start.segment;
    this.startedAt = startedAt;
    this.#store = store;
    this.#code = start.code;
    this.#maxRecords = start.maxRecords;
    this.#maxBytes = start.maxBytes;
    store.addSegment(start.code, {
      segment: start.segment, reason: start.reason, startedAt, pageSize: start.pageSize,
      memoryBytes: start.memoryBytes, file: start.file, run: start.run,
    });
  }

  get length(): number {
    return this.recorded.length;
  }

  /** How many times the log was cut back: a reader that spans awaits checks it did not change. */
  get rewinds(): number {
    return this.#rewinds;
  }

  /** Names what the log holds: equal for two reads only if no record was added or taken back between them. */
  get version(): string {
    return `${this.segment}:${this.#rewinds}:${this.length}`;
  }

  /**
   * Is there room for one more record? A lecture that runs for an hour at
   * thousands of operations a second would otherwise hold gigabytes, and so
   * would one student's few minutes of 64 KiB pwrites and preads. Once
   * full, operations go to the kernel unrecorded (`full` stays true): results
   * and the export cover the log's first records, and undo, which rebuilds
   * the kernel from the log, is no longer possible.
   */
  get recording(): boolean {
    if (this.#full) return false;
    if (this.length < this.#maxRecords && this.recorded.payloadBytes < this.#maxBytes) return true;
    this.#full = true;
    return false;
  }

  get full(): boolean {
    return this.#full;
  }

  /**
   * Write the records added since the last save (one row). They are turned
   * into JSON text here, not as they are made: a packed record's text takes
   * ~0.3 µs, so a lecture's second of records costs well under a
   * millisecond, and no text waits in the heap for the save.
   */
  save(): void {
    this.#saveFrom(this.#saved);
  }

  #saveFrom(from: number): void {
    if (from >= this.length) return;
    const texts = this.recorded.jsonTexts(from);
    this.#store.appendRecords(this.#code, this.segment, from, texts);
    const saved = from + texts.length;
    this.#store.afterCommit(() => (this.#saved = saved));
  }

  /**
   * The log was cut back (the teacher's undo): forget what the store has
   * past its new end. The chunk holding the new end goes whole, so the
   * records it held before the end are written again in the same commit:
   * dropped alone, they were off the disk until the next flush, and kill -9
   * meanwhile lost records saved long before.
   */
  rewound(): void {
    this.#rewinds++;
    const length = this.length;
    if (this.#saved <= length) return;
    this.#store.inOneCommit(() => {
      const from = this.#store.dropRecordsFrom(this.#code, this.segment, length);
      this.#store.afterCommit(() => (this.#saved = from));
      this.#saveFrom(from);
    });
  }
}
