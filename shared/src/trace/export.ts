import { MAX_FILE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../kernel/constants.ts';
import { PageCache } from '../kernel/page-cache.ts';
import type { Op, Pid, Result } from '../kernel/types.ts';
import type { LogRecord, OpLog } from '../oplog/types.ts';
import { escapeBytes, formatResult } from './format.ts';

/**
 * A room's actual interleaving as a trace in our trace language
 * (spec/trace-format.md), so a class can be replayed with `pnpm trace` and
 * on the real kernel through the conformance harness.
 *
 * Two things in a room have no trace statement: signals from outside
 * (the teacher's kill/stop/continue) and calls that did nothing (a call from
 * a blocked or stopped process, an m<k> that never existed, mprotect with
 * bits no name exists for). The second kind become comments. A SIGKILL of a
 * process that is not blocked becomes `exit` (the same release of fds,
 * mappings and locks, the same wake-ups); a SIGSTOP or SIGCONT of a process
 * that is not blocked changes nothing a trace can see. Killing or stopping a
 * *blocked* process changes the lock queues in a way no step can, so the
 * trace stops there, with a comment saying why.
 *
 * Nor has a room's memory limit (ROOM_MEMORY_BYTES): the trace stops at the
 * first result the limit decided (a short pwrite or ENOSPC, SIGBUS for a
 * page no block backs, the OOM killer), since a kernel without the limit,
 * the simulator's or Linux's, answers otherwise from there on.
 */
export interface TraceExport {
  text: string;
  /** What running `text` prints: the log's own results, in the contract's format. */
  expected: string[];
  /** The process name each pid has in the trace. */
  names: Map<Pid, string>;
  /** Records written as comments because they changed nothing. */
  omitted: { seq: number; reason: string }[];
  /** Set when the trace stops early: the first record it could not say. */
  stoppedAt?: { seq: number; reason: string };
}

/** Words a trace line may start with that are not process names. */
const RESERVED = new Set(['file', 'page']);
const MAX_NAME = 24;

/** A display name as a trace process name: ASCII letters, digits and `_`, starting with a letter. */
export function traceName(display: string): string {
  const ascii = display.normalize('NFKD').replace(/\p{M}/gu, '');
  let name = ascii.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, MAX_NAME);
  if (name !== '' && !/^[A-Za-z]/.test(name)) name = `P${name}`;
  if (RESERVED.has(name)) name = `${name}_`;
  return name;
}

/** Trace names as records come: one per pid, from the name of its first record; a second process of one student gets `_2`. */
class Names {
  readonly byPid = new Map<Pid, string>();
  readonly #taken = new Set<string>();

  /** A name for `display` that no process has yet (also for the setup process, which has no pid). */
  claim(display: string, pid?: Pid): string {
    const base = traceName(display) || `P${pid}`;
    let name = base;
    for (let n = 2; this.#taken.has(name); n++) name = `${base}_${n}`;
    this.#taken.add(name);
    if (pid !== undefined) this.byPid.set(pid, name);
    return name;
  }

  record(r: LogRecord): void {
    if (!this.byPid.has(r.pid)) this.claim(r.name, r.pid);
    for (const w of r.woke) if (!this.byPid.has(w.pid)) this.claim(`P${w.pid}`, w.pid);
  }

  of(pid: Pid): string {
    return this.byPid.get(pid) ?? `P${pid}`;
  }
}

/** One trace name per pid, from the name of its first record; a second process of one student gets `_2`. */
export function processNames(log: OpLog): Map<Pid, string> {
  const names = new Names();
  for (const r of log.records) names.record(r);
  return names.byPid;
}

function protWords(prot: number): string {
  const parts: string[] = [];
  if (prot & PROT_READ) parts.push('PROT_READ');
  if (prot & PROT_WRITE) parts.push('PROT_WRITE');
  if (prot & PROT_EXEC) parts.push('PROT_EXEC');
  return parts.length === 0 ? 'PROT_NONE' : parts.join('|');
}

/** 64-bit arguments as the C harness reads them: the same bits, unsigned (the kernel reads them signed where C does). */
const u64 = (v: bigint): string => BigInt.asUintN(64, v).toString();
const hexByte = (v: number): string => `0x${(v & 0xff).toString(16).padStart(2, '0')}`;

/** The arguments of a step; mmap drops protection bits that mmap itself ignores. */
function stepArgs(op: Op): string {
  switch (op.op) {
    case 'open': return op.mode;
    case 'close': case 'fstat': return String(op.fd);
    case 'mmap': return `${u64(op.len)} ${protWords(op.prot)} ${op.flags} ${op.fd} ${u64(op.off)}`;
    case 'munmap': return `m${op.map} ${u64(op.off)} ${u64(op.len)}`;
    case 'mprotect': return `m${op.map} ${u64(op.off)} ${u64(op.len)} ${protWords(op.prot)}`;
    case 'load': return `m${op.map} ${op.index}`;
    case 'store': return `m${op.map} ${op.index} ${hexByte(op.value)}`;
    case 'msync': return `m${op.map}`;
    case 'pread': return `${op.fd} ${u64(op.off)} ${u64(op.count)}`;
    case 'pwrite': return `${op.fd} ${u64(op.off)} ${escapeBytes(op.data)}`;
    case 'ftruncate': return `${op.fd} ${u64(op.len)}`;
    case 'lock': return `${op.fd} ${op.cmd} ${op.type} ${u64(op.start)} ${u64(op.len)}`;
    case 'getlk': return `${op.fd} ${op.type} ${u64(op.start)} ${u64(op.len)}`;
    case 'exit': return '';
  }
}

const KNOWN_PROT = PROT_READ | PROT_WRITE | PROT_EXEC;

/** What the room's memory limit did in this result, or undefined if a kernel without one answers the same. */
function memoryLimitEffect(op: Op, result: Result): string | undefined {
  if (result.kind === 'errno' && result.errno === 'ENOSPC') return 'ENOSPC';
  if (result.kind === 'signal' && (result.reason === 'no-space' || result.reason === 'out-of-memory')) return `${result.signal} (${result.reason})`;
  // A write is also cut short at the largest file size: that one a trace replays.
  if (op.op === 'pwrite' && result.kind === 'count' && result.count < op.data.length && op.off + BigInt(result.count) < MAX_FILE_SIZE) {
    return `a short write (${result.count} of ${op.data.length} bytes)`;
  }
  return undefined;
}

/** Why an op record changed nothing and has no step, or undefined if it is a step. */
function noStepReason(op: Op, result: Result): string | undefined {
  if (result.kind === 'invalid') return `named something that never existed (${result.message})`;
  if (result.kind === 'not-runnable') return `the process was ${result.state} and could not run`;
  if (op.op === 'mprotect' && (op.prot & ~KNOWN_PROT) !== 0) return `mprotect with unknown protection bits 0x${op.prot.toString(16)} (changes nothing)`;
  return undefined;
}

/** The largest first file a header spells out (a room's file is at most 1 MiB until a student grows it). */
const HEADER_FILE_MAX = 1 << 20;

/**
 * The header that gives the log's first file, and the steps that finish
 * it. A file up to HEADER_FILE_MAX is spelled out. A bigger one (a student's
 * ftruncate to a terabyte, written at its end) starts empty and a process
 * of its own grows it and writes its pages that are not all zeros: the
 * trace costs what the written pages cost, and on Linux the file is sparse
 * as it was in the room.
 */
function fileSetup({ file, pageSize }: Omit<OpLog, 'records'>): { header: string; steps: [op: string, args: string, result: string][] } {
  const size = file instanceof Uint8Array ? file.length : file.size;
  if (size <= HEADER_FILE_MAX) {
    const bytes = file instanceof Uint8Array ? file : new PageCache(pageSize, file).read(0, size);
    return { header: bytes.every((b) => b === 0) ? `file zeros ${size}` : `file text ${escapeBytes(bytes)}`, steps: [] };
  }
  const steps: [string, string, string][] = [['open', 'O_RDWR', 'fd 3'], ['ftruncate', `3 ${size}`, 'ok']];
  const pages = file instanceof Uint8Array ? new PageCache(pageSize, file).image().pages : file.pages;
  for (const index of [...pages.keys()].sort((a, b) => a - b)) {
    const start = index * pageSize;
    const bytes = pages.get(index)!.subarray(0, Math.max(0, Math.min(pageSize, size - start)));
    const first = bytes.findIndex((b) => b !== 0);
    if (first < 0) continue;
    const data = bytes.subarray(first, bytes.findLastIndex((b) => b !== 0) + 1);
    steps.push(['pwrite', `3 ${start + first} ${escapeBytes(data)}`, String(data.length)]);
  }
  steps.push(['exit', '', 'ok']);
  return { header: 'file zeros 0', steps };
}

/**
 * A log's trace, written as its records come (`add` each in order, then
 * `finish`), so that a long log can be written a slice at a time.
 */
export class TraceWriter {
  readonly #names = new Names();
  readonly #lines: string[] = [];
  readonly #out: TraceExport;
  readonly #dead = new Set<Pid>();
  /** Blocked processes, in the order they printed `blocked`: wake lines print in that order. */
  readonly #blockedAt = new Map<Pid, number>();
  #blocks = 0;

  constructor(start: Omit<OpLog, 'records'>, title?: string) {
    this.#out = { text: '', expected: [], names: this.#names.byPid, omitted: [] };
    if (title !== undefined) this.#lines.push(...title.split('\n').map((t) => `# ${t}`));
    const setup = fileSetup(start);
    this.#lines.push(`page ${start.pageSize}`, setup.header);
    // Named before any student, so a student called `setup` is `setup_2`.
    const proc = setup.steps.length === 0 ? '' : this.#names.claim('setup');
    for (const [op, args, result] of setup.steps) this.#line(proc, op, args, result);
  }

  /** Add the next record; false once the trace has stopped (every later record is left out). */
  add(r: LogRecord): boolean {
    if (this.#out.stoppedAt !== undefined) return false;
    this.#names.record(r);
    const name = this.#names.of(r.pid);
    if (r.kind === 'op') {
      const reason = noStepReason(r.op, r.result);
      if (reason !== undefined) {
        this.#omit(r, reason);
        return true;
      }
      const limited = memoryLimitEffect(r.op, r.result);
      if (limited !== undefined) return this.#stop(r, `${r.op.op} of ${name} got ${limited} from the room's memory limit, which no trace statement can state`);
      this.#step(r, r.op.op, stepArgs(r.op), this.#show(r.result));
      if (r.result.kind === 'blocked') this.#blockedAt.set(r.pid, this.#blocks++);
      if (r.result.kind === 'signal' || (r.op.op === 'exit' && r.result.kind === 'ok')) this.#dead.add(r.pid);
      return true;
    }
    if (this.#blockedAt.has(r.pid) && r.signal !== 'SIGCONT') {
      return this.#stop(r, `${r.signal} of ${name} while it waited in F_SETLKW has no trace statement`);
    }
    if (r.signal === 'SIGKILL') {
      this.#lines.push(`# [${r.seq}] kill(${name}, SIGKILL), written as exit: the same release of everything it held`);
      this.#step(r, 'exit', '', this.#dead.has(r.pid) ? 'dead' : 'ok');
      this.#dead.add(r.pid);
    } else {
      this.#omit(r, `${r.signal} (changes nothing a trace can see: the process was not waiting)`);
    }
    return true;
  }

  finish(): TraceExport {
    this.#out.text = this.#lines.join('\n') + '\n';
    return this.#out;
  }

  #show(r: Result): string {
    return formatResult(r, (pid) => this.#names.of(pid));
  }

  #line(proc: string, op: string, args: string, result: string): void {
    this.#lines.push(`${proc} ${op}${args === '' ? '' : ` ${args}`}`);
    this.#out.expected.push(`${proc} ${op} -> ${result}`);
  }

  #step(r: LogRecord, op: string, args: string, result: string): void {
    this.#line(this.#names.of(r.pid), op, args, result);
    const order = (pid: Pid) => this.#blockedAt.get(pid) ?? 0;
    for (const w of [...r.woke].sort((a, b) => order(a.pid) - order(b.pid))) {
      this.#blockedAt.delete(w.pid);
      this.#out.expected.push(`${this.#names.of(w.pid)} wakes -> ${this.#show(w.result)}`);
    }
  }

  #omit(r: LogRecord, reason: string): void {
    this.#out.omitted.push({ seq: r.seq, reason });
    this.#lines.push(`# [${r.seq}] ${this.#names.of(r.pid)}: ${reason}`);
  }

  #stop(r: LogRecord, reason: string): false {
    this.#out.stoppedAt = { seq: r.seq, reason };
    this.#lines.push(`# [${r.seq}] the trace stops here: ${reason}`);
    return false;
  }
}

/** The trace of a log, with what it prints and what it left out. */
export function exportTraceDetailed(log: OpLog, title?: string): TraceExport {
  const writer = new TraceWriter(log, title);
  for (const r of log.records) if (!writer.add(r)) break;
  return writer.finish();
}

/** The trace text of a log (see exportTraceDetailed for what it prints and leaves out). */
export function exportTrace(log: OpLog, title?: string): string {
  return exportTraceDetailed(log, title).text;
}
