import { close, fstat, ftruncate, open, pread, pwrite } from './ops/files.ts';
import { abandonWait, terminate } from './ops/lifecycle.ts';
import { getlk, lock, retryWait } from './ops/locks.ts';
import { mmap, mprotect, msync, munmap } from './ops/mappings.ts';
import { load, store } from './ops/memory.ts';
import { Process } from './process.ts';
import { DEAD, OK } from './results.ts';
import { KernelState, type KernelOptions } from './state.ts';
import type { KernelEvent, Op, Outcome, Pid, Result } from './types.ts';

export type Signal = 'SIGKILL' | 'SIGSTOP' | 'SIGCONT';

const NO_EVENTS: KernelEvent[] = Object.freeze([]) as unknown as KernelEvent[];

function exhaustive(value: never): never {
  throw new Error(`unhandled operation ${JSON.stringify(value)}`);
}

/**
 * The simulated kernel: one file, its processes, their mappings and the lock
 * table. Deterministic: the same calls in the same order give the same
 * results and events. It does no I/O and reads no clock.
 */
export class Kernel {
  readonly state: KernelState;

  constructor(options: KernelOptions = {}) {
    this.state = new KernelState(options);
  }

  get pageSize(): number {
    return this.state.pageSize;
  }

  /** A new process with no descriptors and no mappings. */
  spawn(): Pid {
    const pid = this.state.nextPid++;
    this.state.procs.set(pid, new Process(pid));
    return pid;
  }

  process(pid: Pid): Process | undefined {
    return this.state.procs.get(pid);
  }

  /** Apply one system call or memory access for one process. */
  apply(pid: Pid, op: Op): Outcome {
    const k = this.state;
    const p = k.procs.get(pid);
    if (p === undefined) throw new RangeError(`no process ${pid}`);
    if (!p.alive) return { result: DEAD, events: NO_EVENTS };
    if (p.stopped) return { result: { kind: 'not-runnable', state: 'stopped' }, events: NO_EVENTS };
    if (p.status.state === 'blocked') return { result: { kind: 'not-runnable', state: 'blocked' }, events: NO_EVENTS };
    k.events = NO_EVENTS;
    const result = this.#dispatch(p, op);
    return this.#finish(result);
  }

  /** SIGKILL kills (even a blocked or stopped process); SIGSTOP and SIGCONT pause and resume. */
  signal(pid: Pid, signal: Signal): Outcome {
    const k = this.state;
    const p = k.procs.get(pid);
    if (p === undefined) throw new RangeError(`no process ${pid}`);
    k.events = NO_EVENTS;
    if (!p.alive) return { result: DEAD, events: NO_EVENTS };
    switch (signal) {
      case 'SIGKILL':
        terminate(k, p, 'SIGKILL');
        break;
      case 'SIGSTOP':
        // The signal interrupts an F_SETLKW wait; SIGCONT restarts the call from scratch.
        if (!p.stopped) {
          abandonWait(k, p);
          p.stopped = true;
          k.emit({ type: 'stopped', pid });
        }
        break;
      case 'SIGCONT':
        if (p.stopped) {
          p.stopped = false;
          k.emit({ type: 'continued', pid });
          retryWait(k, p);
        }
        break;
    }
    return this.#finish(OK);
  }

  #finish(result: Result): Outcome {
    if (this.state.locks.woken.length > 0) this.#runWakeups();
    const events = this.state.events;
    this.state.events = NO_EVENTS;
    return { result, events };
  }

  /**
   * Woken requests run again in wake order (the order the unlock walked the
   * locks and their waiters): on Linux the woken tasks run in that order, and
   * the first to run may take what a later one wanted. Requests woken by a
   * retry join the end of the queue.
   */
  #runWakeups(): void {
    const k = this.state;
    const woken = k.locks.woken;
    while (woken.length > 0) {
      const request = woken.shift()!;
      const p = k.procs.get(request.owner);
      if (p !== undefined && p.status.state === 'blocked' && p.status.request === request && !p.stopped) retryWait(k, p);
    }
  }

  #dispatch(p: Process, op: Op): Result {
    const k = this.state;
    switch (op.op) {
      case 'open': return open(k, p, op);
      case 'close': return close(k, p, op);
      case 'mmap': return mmap(k, p, op);
      case 'munmap': return munmap(k, p, op);
      case 'mprotect': return mprotect(k, p, op);
      case 'load': return load(k, p, op);
      case 'store': return store(k, p, op);
      case 'msync': return msync(k, p, op);
      case 'pread': return pread(k, p, op);
      case 'pwrite': return pwrite(k, p, op);
      case 'ftruncate': return ftruncate(k, p, op);
      case 'fstat': return fstat(k, p, op);
      case 'lock': return lock(k, p, op);
      case 'getlk': return getlk(k, p, op);
      case 'exit':
        terminate(k, p, 'exit');
        return OK;
      default:
        return exhaustive(op);
    }
  }
}
