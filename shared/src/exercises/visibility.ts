import { UNMAPPED } from '../kernel/mapping.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Pid } from '../kernel/types.ts';
import { replayLog } from '../oplog/replay.ts';
import type { OpLog } from '../oplog/types.ts';
import { Students } from './students.ts';

/**
 * Who sees whose stores (exercises 1 and 2). A store through a shared
 * mapping changes the file's page, so every other process whose view of
 * that page follows the file sees it at once: a shared mapping, or a
 * private one that has not copied that page yet. A store through a private
 * mapping copies the page first and changes only the copy: nobody else
 * sees it, and from then on the copy no longer follows the file.
 */
export interface StoreSeen {
  seq: number;
  pid: Pid;
  name: string;
  /** File offset and file page of the byte stored. */
  offset: number;
  page: number;
  value: number;
  shared: boolean;
  /** Other processes whose view of the page showed the store the moment it happened. */
  seenBy: string[];
  /** Other processes mapping that page that did not see it (their own private copy, or the store was private). */
  missedBy: string[];
}

export interface PageCopy {
  seq: number;
  pid: Pid;
  name: string;
  map: number;
  /** The file page that was copied. */
  page: number;
}

export type MappingKind = 'shared' | 'private' | 'both' | 'none';

export interface VisibilityResults {
  stores: StoreSeen[];
  /** How many of `writer`'s stores into `page` `viewer` saw. */
  sees: { viewer: string; writer: string; page: number; count: number }[];
  copies: PageCopy[];
  /** Per file page: stores that reached the file, private stores, and who holds a private copy of it. */
  pages: { page: number; sharedStores: number; privateStores: number; copiedBy: string[] }[];
  students: { name: string; pids: Pid[]; mapping: MappingKind; stores: number; sawOthers: number; seenByOthers: number }[];
}

/** Every live process's view of a file page, other than the writer's, split by whether it follows the file. */
function viewers(kernel: Kernel, writer: Pid, filePage: number): { follows: Pid[]; copied: Pid[] } {
  const follows: Pid[] = [];
  const copied: Pid[] = [];
  for (const p of kernel.state.liveProcesses()) {
    if (p.pid === writer) continue;
    let sees = false;
    let hasCopy = false;
    for (const m of p.mappings) {
      const page = filePage - m.filePage;
      if (page < 0 || page >= m.pages || m.protAt(page) === UNMAPPED) continue;
      if (m.shared || !m.copies.has(page)) sees = true;
      else hasCopy = true;
    }
    if (sees) follows.push(p.pid);
    else if (hasCopy) copied.push(p.pid);
  }
  return { follows, copied };
}

export function visibilityResults(log: OpLog): VisibilityResults {
  const students = new Students(log);
  const stores: StoreSeen[] = [];
  const copies: PageCopy[] = [];
  const kinds = new Map<string, Set<'MAP_SHARED' | 'MAP_PRIVATE'>>();
  let pending: { offset: number; page: number; shared: boolean; follows: Pid[]; copied: Pid[] } | undefined;

  replayLog(log, {
    hooks: {
      before(r, kernel) {
        pending = undefined;
        if (r.kind !== 'op' || r.op.op !== 'store') return;
        const ps = kernel.pageSize;
        const m = kernel.process(r.pid)?.mapping(r.op.map);
        if (m === undefined || r.op.index < 0 || r.op.index >= m.pages * ps) return;
        const offset = m.filePage * ps + r.op.index;
        const page = Math.floor(offset / ps);
        pending = { offset, page, shared: m.shared, ...viewers(kernel, r.pid, page) };
      },
      after(r, outcome, kernel) {
        if (r.kind !== 'op') return;
        if (r.op.op === 'mmap' && r.result.kind === 'map') {
          const set = kinds.get(r.name) ?? new Set();
          kinds.set(r.name, set.add(r.op.flags));
        }
        if (r.op.op !== 'store' || pending === undefined || r.result.kind !== 'ok') return;
        const names = (pids: Pid[]) => pids.map((p) => students.name(p));
        const { offset, page, shared, follows, copied } = pending;
        stores.push({
          seq: r.seq, pid: r.pid, name: r.name, offset, page, value: r.op.value & 0xff, shared,
          seenBy: shared ? names(follows) : [],
          missedBy: shared ? names(copied) : names([...follows, ...copied]),
        });
        for (const e of outcome.events) {
          if (e.type !== 'page-copied') continue;
          const m = kernel.process(e.pid)?.mapping(e.map);
          copies.push({ seq: r.seq, pid: e.pid, name: r.name, map: e.map, page: (m?.filePage ?? 0) + e.page });
        }
      },
    },
  });

  // Counted in one pass over the stores, with numeric keys: a lecture has hundreds of viewers per store.
  const sees = new Map<number, { viewer: string; writer: string; page: number; count: number }>();
  const counts = new Map<string, { index: number; stores: number; sawOthers: number; seenByOthers: number }>();
  const countOf = (name: string) => {
    let c = counts.get(name);
    if (c === undefined) counts.set(name, (c = { index: counts.size, stores: 0, sawOthers: 0, seenByOthers: 0 }));
    return c;
  };
  for (const ref of students.all()) countOf(ref.name);
  const people = counts.size + 1;
  for (const s of stores) {
    const writer = countOf(s.name);
    writer.stores++;
    writer.seenByOthers += s.seenBy.length;
    for (const viewer of s.seenBy) {
      const v = countOf(viewer);
      v.sawOthers++;
      const key = (s.page * people + writer.index) * people + v.index;
      const row = sees.get(key);
      if (row === undefined) sees.set(key, { viewer, writer: s.name, page: s.page, count: 1 });
      else row.count++;
    }
  }
  const pageRows = new Map<number, VisibilityResults['pages'][number]>();
  const pageRow = (page: number) => {
    let row = pageRows.get(page);
    if (row === undefined) pageRows.set(page, (row = { page, sharedStores: 0, privateStores: 0, copiedBy: [] }));
    return row;
  };
  for (const s of stores) pageRow(s.page)[s.shared ? 'sharedStores' : 'privateStores']++;
  for (const c of copies) if (!pageRow(c.page).copiedBy.includes(c.name)) pageRow(c.page).copiedBy.push(c.name);

  const kindOf = (name: string): MappingKind => {
    const set = kinds.get(name);
    if (set === undefined) return 'none';
    return set.size === 2 ? 'both' : set.has('MAP_SHARED') ? 'shared' : 'private';
  };
  return {
    stores,
    sees: [...sees.values()],
    copies,
    pages: [...pageRows.values()].sort((a, b) => a.page - b.page),
    students: students.all().map(({ name, pids }) => {
      const { stores: n, sawOthers, seenByOthers } = countOf(name);
      return { name, pids, mapping: kindOf(name), stores: n, sawOthers, seenByOthers };
    }),
  };
}
