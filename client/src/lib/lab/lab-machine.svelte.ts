import { Kernel } from '@mmap-lab/shared/kernel/index.ts';
import { processView, type ProcessView } from '@mmap-lab/shared/kernel/views.ts';
import type { KernelEvent, Op, Outcome } from '@mmap-lab/shared/kernel/types.ts';
import { cLine } from '@mmap-lab/shared/content/c-line.ts';
import { toHex, toWireOutcome, type WireOutcome } from '@mmap-lab/shared/protocol/index.ts';
import type { FileSource, Glow } from '../board/file-source.ts';
import { LabProcess } from './lab-process.svelte.ts';

let glowSeq = 0;

export interface LabReply {
  outcome: WireOutcome;
  c: string;
  woke: { pid: number; outcome: WireOutcome }[];
}

/**
 * The solo lab's machine: the shared Kernel running in this tab, with no
 * server. It plays the server's part for its processes (apply, then tell
 * every process what changed) and never decides an outcome itself: every
 * result, byte and signal comes from the kernel.
 */
export class LabMachine implements FileSource {
  readonly kernel: Kernel;
  readonly pageSize: number;
  fileBytes = $state.raw<Uint8Array>(new Uint8Array(0));
  fileSize = $state(0);
  glows = $state.raw(new Map<number, Glow>());
  processes = $state.raw<LabProcess[]>([]);

  constructor(pageSize: number, file: Uint8Array) {
    this.kernel = new Kernel({ pageSize, file });
    this.pageSize = pageSize;
    this.#readFile();
  }

  /** A new process of the machine, named for the screen. */
  spawn(name: string): LabProcess {
    const process = new LabProcess(this, this.kernel.spawn(), name);
    this.processes = [...this.processes, process];
    process.refresh([]);
    return process;
  }

  /** A new pid, for a process whose old one died. */
  newPid(): number {
    return this.kernel.spawn();
  }

  nameOf = (pid: number): string => {
    const p = this.processes.find((x) => x.pid === pid);
    return p ? `${p.name} (pid ${pid})` : `pid ${pid}`;
  };

  view(pid: number): ProcessView | undefined {
    const p = this.kernel.process(pid);
    return p ? processView(this.kernel.state, p) : undefined;
  }

  /** Apply one operation for `pid` and tell every process what it changed. */
  apply(pid: number, op: Op): LabReply {
    const outcome = this.kernel.apply(pid, op);
    const reply: LabReply = {
      outcome: toWireOutcome(op.op, outcome.result),
      c: cLine(op, outcome.result),
      woke: woken(outcome),
    };
    this.#after(outcome.events);
    for (const w of reply.woke) this.processes.find((p) => p.pid === w.pid)?.woke(w.outcome);
    return reply;
  }

  #after(events: readonly KernelEvent[]): void {
    const writes = events.filter((e): e is Extract<KernelEvent, { type: 'file-bytes' }> => e.type === 'file-bytes');
    this.#readFile();
    if (writes.length > 0) {
      const glows = new Map(this.glows);
      for (const w of writes) for (let at = w.offset; at < w.offset + w.length; at++) glows.set(at, { by: w.pid, seq: ++glowSeq });
      this.glows = glows;
    }
    const runs = writes.map((w) => ({ offset: w.offset, hex: toHex(this.kernel.state.cache.readRaw(w.offset, w.length)), by: w.pid }));
    for (const p of this.processes) p.refresh(runs);
  }

  #readFile(): void {
    const cache = this.kernel.state.cache;
    this.fileSize = cache.size;
    this.fileBytes = cache.read(0, cache.size);
  }
}

/** F_SETLKW waiters this operation let proceed, with what their (lock) call returned. */
function woken(outcome: Outcome): LabReply['woke'] {
  return outcome.events.flatMap((e) => (e.type === 'woke' ? [{ pid: e.pid, outcome: toWireOutcome('lock', e.result) }] : []));
}
