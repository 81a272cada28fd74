/**
 * Random multi-process traces that are deterministic on the real kernel. The
 * generator runs each candidate step on the simulator and keeps it only if it
 * avoids what Linux leaves to timing: a getlk that sees conflicting locks of
 * several holders. (Several waiters woken at once run in wake order: the
 * harness pins its children to one CPU under SCHED_FIFO.)
 */
import { Kernel, type Op, type Pid, parseTrace } from '@mmap-lab/shared';
import { Random } from './random.ts';

const PAGE = 4096;
const PROCS = ['A', 'B', 'C', 'D'];
const PROTS = ['PROT_NONE', 'PROT_READ', 'PROT_WRITE', 'PROT_READ|PROT_WRITE', 'PROT_READ|PROT_EXEC', 'PROT_READ|PROT_WRITE|PROT_EXEC'];
const MODES = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'];
const SIZES = [0, 1, 100, 4095, 4096, 4097, 5000, 8192, 12288];

interface Sim {
  kernel: Kernel;
  pids: Map<string, Pid>;
}

/** Run the trace so far on a fresh simulator: it is deterministic, so this is the state. */
function simulate(text: string): Sim {
  const trace = parseTrace(text);
  const kernel = new Kernel({ pageSize: trace.pageSize, file: trace.file });
  const pids = new Map<string, Pid>();
  for (const step of trace.steps) {
    let pid = pids.get(step.proc);
    if (pid === undefined) pids.set(step.proc, (pid = kernel.spawn()));
    kernel.apply(pid, step.op);
  }
  return { kernel, pids };
}

const OPS: [string, number][] = [
  ['open', 3], ['close', 2], ['mmap', 6], ['munmap', 2], ['mprotect', 3], ['load', 12], ['store', 10], ['msync', 2],
  ['pread', 3], ['pwrite', 3], ['ftruncate', 3], ['fstat', 1], ['lock', 14], ['getlk', 4], ['exit', 1],
];
const TOTAL = OPS.reduce((n, [, w]) => n + w, 0);

function weighted(r: Random): string {
  let x = r.next() * TOTAL;
  for (const [op, w] of OPS) if ((x -= w) < 0) return op;
  return 'fstat';
}

function candidate(r: Random, proc: string, sim: Sim): string {
  const pid = sim.pids.get(proc);
  const p = pid === undefined ? undefined : sim.kernel.process(pid);
  const maps = p?.mappings ?? [];
  const open = p === undefined ? [] : p.fds.flatMap((mode, n) => (mode === undefined ? [] : [n]));
  const fd = open.length > 0 && r.chance(0.9) ? r.pick(open) : r.pick([3, 4, 9]);
  if (open.length === 0 && r.chance(0.9)) return `open ${r.pick(['O_RDWR', 'O_RDWR', ...MODES])}`;
  const off = () => r.pick([0, 0, 0, PAGE, 2 * PAGE, 100]);
  const len = () => r.pick([0, 1, 100, PAGE, PAGE + 1, 2 * PAGE, 3 * PAGE]);
  // Lock ranges crowd into a few dozen bytes so that processes meet.
  const start = () => r.pick([0, 0, 5, 10, 10, 20, 30, r.int(0, 60)]);
  const kind = weighted(r);
  const needsMap = ['munmap', 'mprotect', 'load', 'store', 'msync'].includes(kind);
  if (needsMap && maps.length === 0) {
    return `mmap ${r.pick([PAGE, 2 * PAGE, 100])} ${r.pick(['PROT_READ|PROT_WRITE', 'PROT_READ', ...PROTS])} ${r.pick(['MAP_SHARED', 'MAP_PRIVATE'])} ${fd} 0`;
  }
  const k = r.int(1, maps.length);
  const length = (maps[k - 1]?.pages ?? 1) * PAGE;
  const m = `m${k}`;
  switch (kind) {
    case 'open': return `open ${r.pick(MODES)}`;
    case 'close': return `close ${fd}`;
    case 'mmap': return `mmap ${len()} ${r.pick(PROTS)} ${r.pick(['MAP_SHARED', 'MAP_SHARED', 'MAP_PRIVATE'])} ${fd} ${off()}`;
    case 'munmap': return `munmap ${m} ${off()} ${len()}`;
    case 'mprotect': return `mprotect ${m} ${off()} ${len()} ${r.pick(PROTS)}`;
    case 'load': return `load ${m} ${index(r, length)}`;
    case 'store': return `store ${m} ${index(r, length)} '${String.fromCharCode(r.int(65, 90))}'`;
    case 'msync': return `msync ${m}`;
    case 'pread': return `pread ${fd} ${r.pick([0, 50, 4090, 5000, 20000])} ${r.int(0, 20)}`;
    case 'pwrite': return `pwrite ${fd} ${r.pick([0, 50, 4094, 6000])} "${'xyz'.slice(0, r.int(0, 3))}"`;
    case 'ftruncate': return `ftruncate ${fd} ${r.pick(SIZES)}`;
    case 'fstat': return `fstat ${fd}`;
    case 'lock': return `lock ${fd} ${r.pick(['F_SETLK', 'F_SETLKW', 'F_SETLKW'])} ${r.pick(['F_RDLCK', 'F_WRLCK', 'F_WRLCK', 'F_UNLCK'])} ${start()} ${r.pick([0, 1, 5, 10, 10, 20])}`;
    case 'getlk': return `getlk ${fd} ${r.pick(['F_RDLCK', 'F_WRLCK'])} ${start()} ${r.pick([0, 1, 10, 50])}`;
    default: return 'exit';
  }
}

/** Mostly inside the mapping, often near its edges (start, page boundaries, end). */
function index(r: Random, length: number): number {
  if (r.chance(0.6)) return r.int(0, length - 1);
  const edge = r.pick([0, PAGE, 2 * PAGE, length]);
  return edge + r.int(-2, 2);
}

/** Would this getlk see conflicting locks of several holders? */
function risky(sim: Sim, proc: string, op: Op): boolean {
  const k = sim.kernel.state;
  const pid = sim.pids.get(proc) ?? -1;
  if (op.op === 'getlk') {
    const probeEnd = op.len === 0n ? Infinity : Number(op.start + op.len - 1n);
    const holders = new Set<Pid>();
    for (const l of k.locks.locks()) {
      const overlaps = Number(l.start) <= probeEnd && Number(op.start) <= Number(l.end);
      if (l.owner !== pid && overlaps && (l.type === 'F_WRLCK' || op.type === 'F_WRLCK')) holders.add(l.owner);
    }
    if (holders.size > 1) return true;
  }
  return false;
}

/** One random trace of up to `steps` steps, deterministic on the real kernel. */
export function generateTrace(r: Random, steps: number): string {
  const head = `file pattern ${r.pick(SIZES)}`;
  const procs = PROCS.slice(0, r.int(2, 4));
  let text = head + '\n';
  let sim = simulate(text);
  for (let n = 0, tries = 0; n < steps && tries < steps * 20; tries++) {
    const state = (name: string) => {
      const pid = sim.pids.get(name);
      return pid === undefined ? 'new' : sim.kernel.process(pid)!.status.state;
    };
    const runnable = procs.filter((name) => state(name) !== 'blocked');
    const alive = runnable.filter((name) => state(name) !== 'dead');
    if (alive.length === 0) break;
    // A dead process's steps all print `dead`: a few are worth checking, many are not.
    const proc = r.chance(0.97) ? r.pick(alive) : r.pick(runnable);
    const line = `${proc} ${candidate(r, proc, sim)}\n`;
    const op = parseTrace(head + '\n' + line).steps[0].op;
    if (risky(sim, proc, op)) continue;
    text += line;
    sim = simulate(text);
    n++;
  }
  return text;
}
