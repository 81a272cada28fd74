import type { InitialFile } from '@mmap-lab/shared/kernel/page-cache.ts';
import type { TemplateId } from '@mmap-lab/shared/content/templates.ts';
import type { LessonStore } from '../persistence/lesson-store.ts';
import type { RoomStore } from '../persistence/room-store.ts';
import type { RestoredLesson } from './lesson/room-lesson.ts';
import type { RoomOutbox } from './outbox.ts';

/** What every room gets from the server: transport, stores and settings. */
export interface RoomDeps {
  outbox: RoomOutbox;
  store: RoomStore;
  lessons: LessonStore;
  graceMs: number;
  tickMs: number;
  /** How much ticks are stretched now (1: not at all); the server's TickGovernor, under overload. */
  tickScale?: () => number;
  maxStudents: number;
  /** The memory budget of each room's kernel (KernelOptions.memoryBytes). */
  memoryBytes: number;
  /** How long slow motion holds back each student operation. */
  slowMotionMs: number;
  /** How often the board gets a running exercise's results (when its log changed). */
  resultsMs: number;
  /** Records one log segment may hold in memory (LOG_MAX_RECORDS). */
  logMaxRecords: number;
  /** Bytes of pwrites' data and reads' bytes one log segment may hold (LOG_MAX_BYTES). */
  logMaxBytes: number;
  /** Where a failure inside a timer (fan-out tick, grace expiry) goes: logged, never thrown. */
  reportError(error: unknown, context: { room: string; what: string }): void;
}

export interface RoomInit {
  code: string;
  teacherHash: string;
  template: TemplateId;
  locked: boolean;
  pageSize: number;
  /** The file as the kernel starts: a restart gives its image, which may be sparse and huge. */
  file: InitialFile;
  /** A new room, or one loaded from the store after a restart. */
  reason: 'created' | 'restart';
  lesson?: RestoredLesson;
}
