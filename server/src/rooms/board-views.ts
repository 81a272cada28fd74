import { kernelView, processView, type Pid } from '@mmap-lab/shared';
import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import type { BoardSnapshot } from '@mmap-lab/shared/protocol/replies.ts';
import type { BoardProcess } from '@mmap-lab/shared/protocol/server-events.ts';
import type { Room } from './room.ts';

export interface RosterEntry {
  pid: Pid;
  name: string;
  connected: boolean;
}

/** What the teacher board draws: built from a room, never stored. */
export function rosterOf(room: Room): RosterEntry[] {
  return [...room.sessions.values()].map((s) => ({ pid: s.pid, name: s.name, connected: s.link.state === 'connected' }));
}

export function boardProcess(room: Room, pid: Pid): BoardProcess | undefined {
  const p = room.kernel.process(pid);
  if (p === undefined) return undefined;
  const s = room.sessions.byPid(pid);
  return { ...processView(room.kernelState, p), name: room.nameOf(pid), connected: s?.link.state === 'connected' };
}

export function boardSnapshot(room: Room): BoardSnapshot {
  const k = room.kernelState;
  return {
    room: room.summary(),
    view: kernelView(k),
    roster: rosterOf(room),
    fileHex: toHex(k.cache.readRaw(0, Math.min(k.cache.size, LIMITS.FILE_MAX))),
    lesson: room.lesson.board(),
    queue: room.lesson.ordering.teacher?.state() ?? null,
    results: latestResults(room),
    feed: room.fanout.keptFeed(),
  };
}

/** The board must draw even if computing the results fails (a bug there is logged, not fatal to the board). */
function latestResults(room: Room): BoardSnapshot['results'] {
  try {
    return room.lesson.latestResults();
  } catch (error) {
    room.reportError(error, 'exercise results');
    return null;
  }
}
