import { OFFSET_MAX, type HeldLockType, type OpenMode } from './constants.ts';
import { lockInfo } from './ops/locks.ts';
import type { Process } from './process.ts';
import type { KernelState } from './state.ts';
import type { DeathCause, LockInfo, Pid } from './types.ts';

/**
 * Plain data for views: what a board or a student's screen draws. No bigints:
 * a value that may pass 2^53 (lock ranges, a mapping's file offset, up to
 * 2^63-1) is a decimal string, exactly what Linux reports; Number() of it is
 * close enough to draw with, never to print.
 */
export interface MappingView {
  map: number;
  /** File offset of the mapping's first page, in decimal. */
  offset: string;
  length: number;
  flags: 'MAP_SHARED' | 'MAP_PRIVATE';
  segments: { from: number; to: number; prot: number }[];
  copiedPages: number[];
}

export type ProcessStateView =
  | { state: 'running' }
  | { state: 'stopped' }
  | { state: 'blocked'; on: LockInfoView; request: RangeView & { type: HeldLockType } }
  | { state: 'dead'; cause: DeathCause };

export interface ProcessView {
  pid: Pid;
  state: ProcessStateView;
  fds: { fd: number; mode: OpenMode }[];
  mappings: MappingView[];
}

export interface RangeView {
  /** First byte, in decimal. */
  start: string;
  /** Inclusive end, in decimal; null means "to the largest offset" (len 0). */
  end: string | null;
}

export interface LockInfoView extends RangeView {
  type: HeldLockType;
  pid: Pid;
}

export interface LockView extends LockInfoView {
  /** Pids waiting on this lock, directly or under another waiter, oldest first. */
  waiters: Pid[];
}

export interface KernelView {
  pageSize: number;
  size: number;
  processes: ProcessView[];
  locks: LockView[];
  /** Edges "pid waits for holder": a cycle is a deadlock. */
  waitsFor: { from: Pid; to: Pid }[];
}

const decimal = (v: bigint): string => v.toString(10);
const endOf = (end: bigint): string | null => (end === OFFSET_MAX ? null : decimal(end));

function infoView(info: LockInfo): LockInfoView {
  return { type: info.type, pid: info.pid, start: decimal(info.start), end: info.len === 0n ? null : decimal(info.start + info.len - 1n) };
}

function stateView(k: KernelState, p: Process): ProcessStateView {
  const st = p.status;
  if (st.state === 'dead') return { state: 'dead', cause: st.cause };
  if (p.stopped) return { state: 'stopped' };
  if (st.state === 'blocked') {
    const r = st.request;
    return {
      state: 'blocked',
      on: infoView(lockInfo(k.locks.rootOf(r))),
      request: { type: r.type as HeldLockType, start: decimal(r.start), end: endOf(r.end) },
    };
  }
  return { state: 'running' };
}

export function processView(k: KernelState, p: Process): ProcessView {
  const ps = k.pageSize;
  return {
    pid: p.pid,
    state: stateView(k, p),
    fds: p.fds.flatMap((mode, fd) => (mode === undefined ? [] : [{ fd, mode }])),
    mappings: p.mappings.map((m) => ({
      map: m.id,
      offset: decimal(m.offset),
      length: m.pages * ps,
      flags: m.flags,
      segments: m.segments.map(({ from, to, prot }) => ({ from, to, prot })),
      copiedPages: [...m.copies.keys()].sort((a, b) => a - b),
    })),
  };
}

export function kernelView(k: KernelState): KernelView {
  const locks: LockView[] = [];
  const waitsFor: { from: Pid; to: Pid }[] = [];
  for (const node of k.locks.locks()) {
    const waiters: Pid[] = [];
    const stack = [...node.waiters];
    while (stack.length > 0) {
      const w = stack.shift()!;
      waiters.push(w.owner);
      waitsFor.push({ from: w.owner, to: node.owner });
      stack.push(...w.waiters);
    }
    locks.push({ ...infoView(lockInfo(node)), waiters });
  }
  return {
    pageSize: k.pageSize,
    size: k.cache.size,
    processes: [...k.procs.values()].map((p) => processView(k, p)),
    locks,
    waitsFor,
  };
}
