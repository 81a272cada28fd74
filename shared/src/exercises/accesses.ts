import { UNMAPPED } from '../kernel/mapping.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Outcome, Pid, Result } from '../kernel/types.ts';
import { replayLog, type ReplayHooks } from '../oplog/replay.ts';
import type { LogRecord, OpLog } from '../oplog/types.ts';

/**
 * A load or store resolved against the room's state at the moment it ran:
 * which file byte it addressed and whether it touched the file itself.
 */
export interface MemoryAccess {
  seq: number;
  pid: Pid;
  name: string;
  at?: number;
  kind: 'load' | 'store';
  map: number;
  index: number;
  /** The file offset the address shows, or null outside the mapping's live pages. */
  offset: number | null;
  /** Through a MAP_SHARED mapping. */
  shared: boolean;
  /**
   * The access read or changed the file's page itself (the page cache): a
   * shared access, or a private load from a page not yet copied. A private
   * store never does.
   */
  reachesFile: boolean;
  /** The process held a write lock covering `offset` when it ran (advisory: nothing enforced it). */
  underWriteLock: boolean;
  /** The byte loaded or stored; null if the access faulted. */
  value: number | null;
  result: Result;
}

/** A pid holds an F_WRLCK over a file offset. */
export function holdsWriteLock(kernel: Kernel, pid: Pid, offset: number): boolean {
  const at = BigInt(offset);
  for (const node of kernel.state.locks.locks()) {
    if (node.owner === pid && node.type === 'F_WRLCK' && node.start <= at && at <= node.end) return true;
  }
  return false;
}

type Resolved = Omit<MemoryAccess, 'value' | 'reachesFile' | 'result'>;

/** Resolve a load/store before it runs (a faulting store takes its mapping away with the process). */
function resolve(record: LogRecord, kernel: Kernel): { access: Resolved; copied: boolean } | undefined {
  if (record.kind !== 'op' || (record.op.op !== 'load' && record.op.op !== 'store')) return undefined;
  const { op } = record;
  const ps = kernel.pageSize;
  const m = kernel.process(record.pid)?.mapping(op.map);
  let offset: number | null = null;
  let copied = false;
  const page = Math.floor(op.index / ps);
  if (m !== undefined && op.index >= 0 && op.index < m.pages * ps && m.protAt(page) !== UNMAPPED) {
    offset = m.filePage * ps + op.index;
    copied = m.copies.has(page);
  }
  const access: Resolved = {
    seq: record.seq,
    pid: record.pid,
    name: record.name,
    ...(record.at === undefined ? {} : { at: record.at }),
    kind: op.op,
    map: op.map,
    index: op.index,
    offset,
    shared: m?.shared ?? false,
    underWriteLock: offset !== null && holdsWriteLock(kernel, record.pid, offset),
  };
  return { access, copied };
}

function finish({ access, copied }: { access: Resolved; copied: boolean }, outcome: Outcome, stored: number): MemoryAccess {
  const result = outcome.result;
  const ok = result.kind === 'byte' || result.kind === 'ok';
  const value = result.kind === 'byte' ? result.value : ok && access.kind === 'store' ? stored : null;
  // A private load reads the file's page until that page is copied; a private store never reaches it.
  const reachesFile = ok && (access.shared || (access.kind === 'load' && !copied));
  return { ...access, value, reachesFile, result };
}

/** Hooks that collect every load and store of a replay; combine them with your own. */
export function accessCollector(onAccess: (access: MemoryAccess, kernel: Kernel) => void): ReplayHooks {
  let pending: ReturnType<typeof resolve>;
  return {
    before(record, kernel) {
      pending = resolve(record, kernel);
    },
    after(record, outcome, kernel) {
      if (pending !== undefined) {
        const stored = record.kind === 'op' && record.op.op === 'store' ? record.op.value & 0xff : 0;
        onAccess(finish(pending, outcome, stored), kernel);
      }
      pending = undefined;
    },
  };
}

/** Run several sets of hooks in one replay, in order. */
export function combineHooks(...all: ReplayHooks[]): ReplayHooks {
  return {
    before: (r, k) => all.forEach((h) => h.before?.(r, k)),
    after: (r, o, k) => all.forEach((h) => h.after?.(r, o, k)),
  };
}

/** Every load and store in the log, resolved to file offsets. */
export function memoryAccesses(log: OpLog): MemoryAccess[] {
  const out: MemoryAccess[] = [];
  replayLog(log, { hooks: accessCollector((a) => out.push(a)) });
  return out;
}
