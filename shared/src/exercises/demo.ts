import { PROT_READ, type Errno } from '../kernel/constants.ts';
import type { Op, Pid, Result } from '../kernel/types.ts';
import { DEMO_PROGRAM_NAME, DEMO_USAGE, demoByteLine, demoRefusal, parseDemoOffset, type DemoOutput } from '../content/demo-program.ts';
import { replayLog } from '../oplog/replay.ts';
import type { OpLog } from '../oplog/types.ts';
import { accessCollector, combineHooks } from './accesses.ts';
import { Students } from './students.ts';

/** glibc's strerror text, so a failed call prints what perror would. */
const STRERROR: Partial<Record<Errno | 'ENOSPC', string>> = {
  EPERM: 'Operation not permitted',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EDEADLK: 'Resource deadlock avoided',
  EOVERFLOW: 'Value too large for defined data type',
};

/** What a shell says when a program dies of a signal, and the status it reports (128 + signal number). */
const DEATH: Record<string, { text: string; status: number }> = {
  SIGSEGV: { text: 'Segmentation fault', status: 128 + 11 },
  SIGBUS: { text: 'Bus error', status: 128 + 7 },
  SIGKILL: { text: 'Killed', status: 128 + 9 },
};

type Stage = 'open' | 'fstat' | 'refuse' | 'mmap' | 'close' | 'load' | 'munmap' | 'done';

/**
 * The demo program run as a student's process in the room, one system call
 * at a time, exactly as peek.c makes them: open, fstat, (close and refuse
 * an offset outside the file), mmap, close, the load, munmap. The client
 * sends each `next()` as an operation and gives its result to `feed`;
 * when `next()` returns null, `output` is what the program printed.
 */
export class DemoRun {
  #stage: Stage = 'open';
  #offset = 0n;
  #fd = -1;
  #size = 0;
  #map = 0;
  #stdout = '';
  output: DemoOutput | undefined;

  constructor(arg: string | undefined) {
    const offset = arg === undefined ? null : parseDemoOffset(arg);
    if (offset === null) this.#finish('', DEMO_USAGE, 2);
    else this.#offset = offset;
  }

  next(): Op | null {
    switch (this.#stage) {
      case 'open': return { op: 'open', mode: 'O_RDONLY' };
      case 'fstat': return { op: 'fstat', fd: this.#fd };
      case 'refuse': case 'close': return { op: 'close', fd: this.#fd };
      case 'mmap': return { op: 'mmap', len: BigInt(this.#size), prot: PROT_READ, flags: 'MAP_SHARED', fd: this.#fd, off: 0n };
      case 'load': return { op: 'load', map: this.#map, index: Number(this.#offset) };
      case 'munmap': return { op: 'munmap', map: this.#map, off: 0n, len: BigInt(this.#size) };
      case 'done': return null;
    }
  }

  feed(result: Result): void {
    if (this.#stage === 'done') throw new Error('the program has finished');
    if (result.kind === 'errno') return this.#fail(result.errno);
    if (result.kind === 'signal') {
      const death = DEATH[result.signal] ?? { text: result.signal, status: 128 };
      return this.#finish(this.#stdout, `${death.text}\n`, death.status);
    }
    if (result.kind === 'dead' || result.kind === 'not-runnable' || result.kind === 'invalid') {
      return this.#finish(this.#stdout, 'peek: the process cannot run\n', 1);
    }
    switch (this.#stage) {
      case 'open':
        if (result.kind === 'fd') this.#fd = result.fd;
        this.#stage = 'fstat';
        break;
      case 'fstat':
        if (result.kind === 'size') this.#size = result.size;
        this.#stage = this.#offset < 0n || this.#offset >= BigInt(this.#size) ? 'refuse' : 'mmap';
        break;
      case 'refuse':
        this.#finish('', demoRefusal(this.#offset, this.#size), 1);
        break;
      case 'mmap':
        if (result.kind === 'map') this.#map = result.map;
        this.#stage = 'close';
        break;
      case 'close':
        this.#stage = 'load';
        break;
      case 'load':
        if (result.kind === 'byte') this.#stdout = demoByteLine(this.#offset, result.value);
        this.#stage = 'munmap';
        break;
      case 'munmap':
        this.#finish(this.#stdout, '', 0);
        break;
    }
  }

  #fail(errno: Errno): void {
    const who = this.#stage === 'open' ? DEMO_PROGRAM_NAME : this.#stage === 'refuse' || this.#stage === 'close' ? 'close' : this.#stage;
    // peek.c ignores close's answer; every other failure is reported with perror and exit status 1.
    if (who === 'close') return this.feed({ kind: 'ok' });
    this.#finish(this.#stdout, `${who}: ${STRERROR[errno] ?? errno}\n`, 1);
  }

  #finish(stdout: string, stderr: string, status: number): void {
    this.#stage = 'done';
    this.output = { stdout, stderr, status };
  }
}

/** Exercise 8 on the board: what each student's runs printed, and offsets refused. */
export interface DemoResults {
  students: { name: string; pids: Pid[]; runs: { seq: number; offset: number; line: string }[]; refused: number; faults: number }[];
  /** Every offset someone read, with the byte and how many runs read it. */
  offsets: { offset: number; value: number; count: number }[];
}

/**
 * From the log: a run that printed is a successful load through a read-only
 * shared mapping; a refusal is an fstat followed by that process's close
 * with no mmap between (peek.c checks the offset in between).
 */
export function demoResults(log: OpLog): DemoResults {
  const students = new Students(log);
  const rows = new Map(students.all().map((s) => [s.name, { name: s.name, pids: s.pids, runs: [] as { seq: number; offset: number; line: string }[], refused: 0, faults: 0 }]));
  const afterFstat = new Set<Pid>();
  const readOnly = new Map<string, boolean>();
  const offsets = new Map<number, { offset: number; value: number; count: number }>();
  replayLog(log, {
    hooks: combineHooks(
      {
        after(r) {
          if (r.kind !== 'op') return;
          const row = rows.get(r.name)!;
          if (r.op.op === 'mmap' && r.result.kind === 'map') readOnly.set(`${r.pid}:${r.result.map}`, r.op.prot === PROT_READ && r.op.flags === 'MAP_SHARED');
          if (r.op.op === 'close' && afterFstat.has(r.pid)) row.refused++;
          if (r.op.op === 'fstat' && r.result.kind === 'size') afterFstat.add(r.pid);
          else afterFstat.delete(r.pid);
          if (r.op.op === 'load' && r.result.kind === 'signal') row.faults++;
        },
      },
      accessCollector((a) => {
        if (a.kind !== 'load' || a.value === null || a.offset === null || !readOnly.get(`${a.pid}:${a.map}`)) return;
        rows.get(a.name)!.runs.push({ seq: a.seq, offset: a.offset, line: demoByteLine(a.offset, a.value).trimEnd() });
        const o = offsets.get(a.offset) ?? { offset: a.offset, value: a.value, count: 0 };
        o.value = a.value;
        o.count++;
        offsets.set(a.offset, o);
      }),
    ),
  });
  return { students: [...rows.values()], offsets: [...offsets.values()].sort((a, b) => a.offset - b.offset) };
}
