import type { KernelEvent, Pid } from '@mmap-lab/shared';
import { kernelView, processView } from '@mmap-lab/shared';
import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import type { BoardProcess, BoardUpdate } from '@mmap-lab/shared/protocol/server-events.ts';
import { FEED_KEPT, type FeedEntry } from '@mmap-lab/shared/protocol/replies.ts';
import type { ServerPayload } from '@mmap-lab/shared/protocol/events.ts';
import type { RoomSummary } from '@mmap-lab/shared/protocol/replies.ts';
import type { KernelState } from '@mmap-lab/shared/kernel/state.ts';
import type { RoomOutbox } from './outbox.ts';
import type { SessionTable } from './sessions.ts';
import { seesFilePage } from './visibility.ts';

/** What the batcher reads from its room at flush time. */
export interface FanoutHost {
  readonly code: string;
  readonly kernelState: KernelState;
  readonly sessions: SessionTable;
  readonly outbox: RoomOutbox;
  /** A bug in a timer callback is reported here instead of crashing the process. */
  reportError(error: unknown, what: string): void;
  summary(): RoomSummary;
  roster(): { pid: Pid; name: string; connected: boolean }[];
  boardProcess(pid: Pid): BoardProcess | undefined;
}

/** A changed stretch of one page, and who wrote into it last (spans of a page never overlap). */
interface Span {
  from: number;
  to: number;
  by: Pid;
}

/** Past this many spans a page is sent whole: the bound on what a busy tick can cost. */
const SPANS_PER_PAGE = 8;
/** The board's feed keeps the latest entries of a tick; older ones are counted, not sent. */
const FEED_PER_TICK = 100;

/** Events that change what a process's own screen shows (its fds, mappings, state). */
export const PROCESS_EVENTS = new Set<KernelEvent['type']>([
  'fds-changed', 'mappings-changed', 'page-copied', 'died', 'stopped', 'continued', 'blocked',
]);

/**
 * Collects a room's changes and sends them once per tick. Bytes go out as
 * they are at flush time, so ten stores to one byte cost one update; students
 * that see the same changed pages share one broadcast, encoded once. Nothing
 * here delays an acknowledgement: answers go back to the caller at the end of
 * the turn that made them (PacedSender), not with the tick.
 */
export class Fanout {
  readonly #host: FanoutHost;
  readonly #tickMs: () => number;
  #timer: NodeJS.Timeout | null = null;
  /** Something changed since the last flush. */
  #pending = false;
  /** Broadcasts of the last flush still being written (a big room's go out over several turns). */
  #sending = 0;
  #spans = new Map<number, Span[]>();
  #sizeChanged = false;
  #studentPids = new Set<Pid>();
  #boardPids = new Set<Pid>();
  #locksChanged = false;
  #roomChanged = false;
  #rosterChanged = false;
  #feed: FeedEntry[] = [];
  #feedDropped = 0;
  #seq = 0;
  /** The latest FEED_KEPT entries, for board snapshots: a board that attaches (again) sees what it missed. A ring: this runs for every operation. */
  #kept: FeedEntry[] = [];
  #keptNext = 0;
  /** Students who joined since the last tick (everyone else learns their names). */
  #newNames: { pid: Pid; name: string }[] = [];
  /** Students who joined or resumed: they get every name at once. */
  #needAllNames = new Set<Pid>();

  constructor(host: FanoutHost, tickMs: () => number) {
    this.#host = host;
    this.#tickMs = tickMs;
  }

  /** Take in the events of one kernel call; `actor` is the caller (its own changes go back in its ack). */
  record(events: readonly KernelEvent[], actor: Pid | null): void {
    if (events.length === 0) return;
    const k = this.#host.kernelState;
    for (const e of events) {
      switch (e.type) {
        case 'file-bytes':
          this.#addSpan(e.offset, e.length, e.pid, k.pageSize);
          break;
        case 'file-size':
          // Private copies a shrink takes away come as mappings-changed, one per process that lost one.
          this.#sizeChanged = true;
          break;
        case 'locks-changed':
          this.#locksChanged = true;
          break;
        case 'woke':
          // The woken student was told at once; the board still redraws it.
          this.#boardPids.add(e.pid);
          break;
        case 'private-bytes':
          break;
        default:
          this.#boardPids.add(e.pid);
          if (e.pid !== actor && PROCESS_EVENTS.has(e.type)) this.#studentPids.add(e.pid);
      }
    }
    this.#schedule();
  }

  /** One line of the board's event feed: kept even with no board open, sent with the next tick to boards that are. */
  feed(entry: Omit<FeedEntry, 'seq'>): void {
    const { pid, name, text, display, explanation } = entry;
    const line: FeedEntry = { seq: ++this.#seq, pid, name, text, display, explanation };
    this.#kept[this.#keptNext] = line;
    this.#keptNext = (this.#keptNext + 1) % FEED_KEPT;
    if (!this.#host.outbox.hasTeachers(this.#host.code)) return;
    this.#feed.push(line);
    if (this.#feed.length > FEED_PER_TICK) {
      this.#feed.shift();
      this.#feedDropped++;
    }
    this.#schedule();
  }

  /** The kept feed, oldest first (a board snapshot's). */
  keptFeed(): FeedEntry[] {
    return [...this.#kept.slice(this.#keptNext), ...this.#kept.slice(0, this.#keptNext)];
  }

  markProcess(pid: Pid): void {
    this.#boardPids.add(pid);
    this.#schedule();
  }

  /** A student joined (its name is news to the others) or resumed (it must learn every name again). */
  markArrival(pid: Pid, name: string, joined: boolean): void {
    if (joined) this.#newNames.push({ pid, name });
    this.#needAllNames.add(pid);
    this.markRoster();
  }

  markRoster(): void {
    this.#rosterChanged = true;
    this.#roomChanged = true;
    this.#schedule();
  }

  markRoom(): void {
    this.#roomChanged = true;
    this.#schedule();
  }

  /**
   * Each changed byte once, named after its last writer: a new span cuts
   * what it covers out of the older ones, and neighbours by the same writer
   * join. Ten students storing to one byte in a tick send one byte.
   */
  #addSpan(offset: number, length: number, by: Pid, ps: number): void {
    const end = offset + length;
    for (let at = offset; at < end; ) {
      const page = Math.floor(at / ps);
      const to = Math.min(end, (page + 1) * ps);
      const old = this.#spans.get(page) ?? [];
      // Nothing to cut or merge: this writer's one span on the page already covers it.
      if (old.length === 1 && old[0].by === by && old[0].from <= at && to <= old[0].to) {
        at = to;
        continue;
      }
      const kept: Span[] = [];
      for (const s of old) {
        if (s.to <= at || s.from >= to) kept.push(s);
        else {
          if (s.from < at) kept.push({ from: s.from, to: at, by: s.by });
          if (s.to > to) kept.push({ from: to, to: s.to, by: s.by });
        }
      }
      kept.push({ from: at, to, by });
      kept.sort((x, y) => x.from - y.from);
      const spans: Span[] = [];
      for (const s of kept) {
        const last = spans[spans.length - 1];
        if (last !== undefined && last.by === s.by && last.to === s.from) last.to = s.to;
        else spans.push(s);
      }
      this.#spans.set(page, spans.length <= SPANS_PER_PAGE ? spans : [{ from: page * ps, to: (page + 1) * ps, by }]);
      at = to;
    }
  }

  /**
   * The next tick comes `tickMs` after the last one's broadcast has gone
   * out, not after it began: a room too big to write in one go gets fewer,
   * fuller ticks instead of falling behind.
   */
  #schedule(): void {
    this.#pending = true;
    if (this.#timer === null && this.#sending === 0) this.#startTimer();
  }

  #startTimer(): void {
    this.#timer = setTimeout(() => {
      try {
        this.flush();
      } catch (error) {
        this.#reset();
        this.#host.reportError(error, 'fan-out');
      }
    }, this.#tickMs());
  }

  #sent = (): void => {
    if (--this.#sending === 0 && this.#pending && this.#timer === null) this.#startTimer();
  };

  /** Send everything collected since the last tick (also called before a reboot or close). */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = false;
    const host = this.#host;
    const k = host.kernelState;
    const runs: { page: number; run: ServerPayload<'room:bytes'>['runs'][number] }[] = [];
    for (const [page, spans] of [...this.#spans].sort((a, b) => a[0] - b[0])) {
      for (const s of spans) runs.push({ page, run: { offset: s.from, hex: toHex(k.cache.readRaw(s.from, s.to - s.from)), by: s.by } });
    }
    // Names first: the runs that follow may name a newcomer as their writer.
    this.#sendNames();
    if (runs.length > 0 || this.#sizeChanged) this.#sendBytes(runs);
    for (const pid of this.#studentPids) {
      const s = host.sessions.byPid(pid);
      const p = k.procs.get(pid);
      if (s?.link.state === 'connected' && p !== undefined) host.outbox.toSocket(s.link.socketId, 'process:update', { process: processView(k, p) });
    }
    if (host.outbox.hasTeachers(host.code)) this.#sendBoard(runs.map((r) => r.run));
    this.#reset();
  }

  /** Group students by the set of changed runs they can see: one broadcast per group. */
  #sendBytes(runs: { page: number; run: ServerPayload<'room:bytes'>['runs'][number] }[]): void {
    const host = this.#host;
    const k = host.kernelState;
    const groups = new Map<string, { ids: string[]; picks: number[] }>();
    for (const s of host.sessions.values()) {
      if (s.link.state !== 'connected') continue;
      const p = k.procs.get(s.pid);
      const picks: number[] = [];
      if (p !== undefined && p.alive && p.mappings.length > 0) {
        for (let i = 0; i < runs.length; i++) if (seesFilePage(p, runs[i].page)) picks.push(i);
      }
      if (picks.length === 0 && !this.#sizeChanged) continue;
      const key = picks.join(',');
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { ids: [s.link.socketId], picks });
      else group.ids.push(s.link.socketId);
    }
    const size = k.cache.size;
    for (const { ids, picks } of groups.values()) {
      this.#sending++;
      host.outbox.toSockets(ids, 'room:bytes', { size, runs: picks.map((i) => runs[i].run) }, this.#sent);
    }
  }

  /** Names cost O(students) per arrival: the full list to the newcomer, one addition to each of the others. */
  #sendNames(): void {
    if (this.#needAllNames.size === 0) return;
    const host = this.#host;
    const all: { pid: Pid; name: string }[] = [];
    const others: string[] = [];
    const newcomers: string[] = [];
    for (const s of host.sessions.values()) {
      all.push({ pid: s.pid, name: s.name });
      if (s.link.state !== 'connected') continue;
      (this.#needAllNames.has(s.pid) ? newcomers : others).push(s.link.socketId);
    }
    if (newcomers.length > 0) host.outbox.toSockets(newcomers, 'room:names', { names: all, full: true });
    if (others.length > 0 && this.#newNames.length > 0) {
      host.outbox.toSockets(others, 'room:names', { names: this.#newNames, full: false });
    }
  }

  #sendBoard(runs: ServerPayload<'room:bytes'>['runs']): void {
    const host = this.#host;
    const processes: BoardProcess[] = [];
    for (const pid of this.#boardPids) {
      const view = host.boardProcess(pid);
      if (view !== undefined) processes.push(view);
    }
    const nothing =
      runs.length === 0 && !this.#sizeChanged && processes.length === 0 && !this.#locksChanged &&
      !this.#roomChanged && !this.#rosterChanged && this.#feed.length === 0;
    if (nothing) return;
    const update: BoardUpdate = {
      size: host.kernelState.cache.size,
      runs,
      processes,
      feed: this.#feed,
      feedDropped: this.#feedDropped,
    };
    if (this.#locksChanged) {
      const view = kernelView(host.kernelState);
      update.locks = { locks: view.locks, waitsFor: view.waitsFor };
    }
    if (this.#roomChanged) update.room = host.summary();
    if (this.#rosterChanged) update.roster = host.roster();
    host.outbox.toTeachers(host.code, 'board:update', update);
  }

  #reset(): void {
    this.#spans = new Map();
    this.#sizeChanged = false;
    this.#studentPids = new Set();
    this.#boardPids = new Set();
    this.#locksChanged = false;
    this.#roomChanged = false;
    this.#rosterChanged = false;
    this.#newNames = [];
    this.#needAllNames = new Set();
    this.#feed = [];
    this.#feedDropped = 0;
  }

  /** Forget everything pending (room closed or rebooted after its last flush). */
  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = false;
    this.#reset();
  }
}
