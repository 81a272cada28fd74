import { PROT_READ, PROT_WRITE } from '@mmap-lab/shared/kernel/constants.ts';
import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import { DemoRun } from '@mmap-lab/shared/exercises/demo.ts';
import type { DemoOutput } from '@mmap-lab/shared/content/demo-program.ts';
import { fromWireResult, type OpReply, type WireOutcome } from '@mmap-lab/shared/protocol/index.ts';
import type { ProcessView } from '@mmap-lab/shared/kernel/views.ts';
import type { CallResult } from '../net/room-connection.svelte.ts';
import type { WaitEnd } from '../student/student-session.svelte.ts';

/** What a helper needs of the student's process: send one operation, and hear when a wait ends. */
export interface ProgramHost {
  readonly process: ProcessView | undefined;
  readonly pageSize: number;
  run(form: string, op: Op): Promise<CallResult<OpReply>>;
  waitForWake(): Promise<WaitEnd>;
}

/** One operation's outcome, or why it did not run (the call failed, or the process died while it waited). */
async function send(host: ProgramHost, form: string, op: Op): Promise<WireOutcome | string> {
  const res = await host.run(form, op);
  if (!res.ok) return res.error.message;
  const { outcome } = res.data;
  if (outcome.result.kind !== 'blocked') return outcome;
  const end = await host.waitForWake();
  if (end === 'died') return 'the process died while it waited for the lock';
  // Woken while this page was away, its answer lost: asking again is safe, as a process's own lock
  // never blocks it. The server answers at once if the wake gave it the lock, or decides again.
  if (end === 'away') return send(host, form, op);
  return end;
}

const failed = (o: WireOutcome | string): o is string => typeof o === 'string';

/**
 * A shared, writable mapping of the counter's page: the newest one the
 * process has, or a new one (open O_RDWR, then mmap MAP_SHARED), so the
 * class can start from a fresh process with one click.
 */
async function counterMapping(host: ProgramHost, form: string): Promise<{ fd: number; map: number } | string> {
  const p = host.process;
  const fd = p?.fds.findLast((f) => f.mode === 'O_RDWR')?.fd;
  const m = p?.mappings.findLast((x) => x.flags === 'MAP_SHARED' && x.offset === '0' && x.segments.some((s) => s.from === 0 && (s.prot & PROT_WRITE) !== 0));
  if (fd !== undefined && m !== undefined) return { fd, map: m.map };
  let fdNow = fd;
  if (fdNow === undefined) {
    const opened = await send(host, form, { op: 'open', mode: 'O_RDWR' });
    if (failed(opened)) return opened;
    if (opened.result.kind !== 'fd') return `open returned ${opened.display}`;
    fdNow = opened.result.fd;
  }
  const mapped = await send(host, form, { op: 'mmap', len: BigInt(host.pageSize), prot: PROT_READ | PROT_WRITE, flags: 'MAP_SHARED', fd: fdNow, off: 0n });
  if (failed(mapped)) return mapped;
  if (mapped.result.kind !== 'map') return `mmap returned ${mapped.display}`;
  return { fd: fdNow, map: mapped.result.map };
}

/**
 * "Increment k times" for the counter exercises. Each increment is still
 * three steps: a load (sent to the server), the add (here, in the
 * student's register), a store (sent); with `locked`, inside an F_SETLKW
 * write lock on the counter's byte. The server applies each in the order
 * the class's operations arrive, so increments really race.
 */
export class CounterProgram {
  running = $state(false);
  done = $state(0);
  /** The student's register: the value loaded, then the value stored. */
  register = $state<number | undefined>();
  step = $state('');
  error = $state('');
  /** Said when a run stopped inside its lock and could not release it (the connection was down). */
  lockLeft = $state('');
  /** Set when the helper leaves the page: a run still going stops at its next step. */
  #cancelled = false;

  cancel(): void {
    this.#cancelled = true;
  }

  async run(host: ProgramHost, times: number, locked: boolean, offset = 0): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.error = '';
    this.lockLeft = '';
    this.done = 0;
    const pid = host.process?.pid;
    /** While the lock may be this process's (asked for, not yet released): how to release it. */
    let unlock: Op | undefined;
    /** One step's outcome, or undefined when the run stops, with `error` saying why. */
    const perform = async (name: string, op: Op, expect: WireOutcome['result']['kind']): Promise<WireOutcome | undefined> => {
      this.step = name;
      const got = await send(host, 'counter', op);
      if (failed(got)) this.error = got;
      else if (got.result.kind !== expect) this.error = `the ${name} returned ${got.display}`;
      else if (this.#cancelled) this.error = 'the helper left the page';
      else return got;
      return undefined;
    };
    try {
      const where = await counterMapping(host, 'counter');
      if (typeof where === 'string') return void (this.error = where);
      const range = { start: BigInt(offset), len: 1n };
      for (let i = 0; i < times; i++) {
        if (locked) {
          unlock = { op: 'lock', fd: where.fd, cmd: 'F_SETLK', type: 'F_UNLCK', ...range };
          if (!(await perform('lock', { op: 'lock', fd: where.fd, cmd: 'F_SETLKW', type: 'F_WRLCK', ...range }, 'ok'))) return;
        }
        const loaded = await perform('load', { op: 'load', map: where.map, index: offset }, 'byte');
        if (loaded?.result.kind !== 'byte') return;
        this.register = loaded.result.value;
        this.step = 'add';
        // The add happens in this process's register: nobody else sees it.
        const value = (this.register + 1) & 0xff;
        this.register = value;
        if (!(await perform('store', { op: 'store', map: where.map, index: offset, value }, 'ok'))) return;
        if (unlock && !(await perform('unlock', unlock, 'ok'))) return;
        unlock = undefined;
        this.done = i + 1;
      }
    } finally {
      await this.#release(host, pid, unlock, offset);
      this.step = '';
      this.running = false;
    }
  }

  /**
   * A run that stopped inside its lock releases it, so the class is not
   * kept waiting; a process that died (or was replaced) released it then.
   */
  async #release(host: ProgramHost, pid: number | undefined, unlock: Op | undefined, offset: number): Promise<void> {
    const p = host.process;
    if (unlock === undefined || p === undefined || p.pid !== pid || p.state.state === 'dead') return;
    this.step = 'unlock';
    if (failed(await send(host, 'counter', unlock))) {
      this.lockLeft = `Your write lock on byte ${offset} may still be held: once you are connected again, unlock it (F_UNLCK), or press the button again.`;
    }
  }
}

/** The demo program (peek.c) run as this process, one system call at a time. */
export class DemoProgram {
  running = $state(false);
  output = $state.raw<DemoOutput | undefined>();
  arg = $state('');

  async run(host: ProgramHost, arg: string): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.arg = arg;
    this.output = undefined;
    try {
      const program = new DemoRun(arg.trim() === '' ? undefined : arg.trim());
      for (let op = program.next(); op !== null; op = program.next()) {
        const res = await host.run('demo', op);
        if (!res.ok) {
          this.output = { stdout: '', stderr: `${res.error.message}\n`, status: 1 };
          return;
        }
        program.feed(fromWireResult(res.data.outcome.result));
      }
      this.output = program.output;
    } finally {
      this.running = false;
    }
  }
}
