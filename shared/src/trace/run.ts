import { Kernel } from '../kernel/kernel.ts';
import type { KernelOptions } from '../kernel/state.ts';
import type { KernelEvent, Pid, Result } from '../kernel/types.ts';
import { formatResult } from './format.ts';
import { MalformedTrace, type Trace, type TraceStep } from './types.ts';

/** Runs steps one at a time and prints them as the contract does. Used in-process and over the network. */
export interface StepDriver {
  /** Apply a step for a process (created on its first step) and return its result and events. */
  step(step: TraceStep): Promise<StepOutcome> | StepOutcome;
  /** The process name for a pid in getlk answers. */
  name(pid: Pid): string;
}

export interface TraceRun {
  lines: string[];
  /** Set when running revealed a malformed trace (a step for a blocked process, an m<k> that does not exist). */
  error?: MalformedTrace;
}

type StepOutcome = { result: Result; woke: { proc: string; result: Result }[] };

/**
 * Prints a run one step at a time: one line per step plus one per process
 * that wakes, in the order in which they blocked.
 */
class TracePrinter {
  readonly lines: string[] = [];
  readonly #blockedAt = new Map<string, number>();
  #blocks = 0;
  constructor(private readonly name: (pid: Pid) => string) {}

  /** A step for a blocked process is a malformed trace. */
  check(step: TraceStep): MalformedTrace | undefined {
    if (this.#blockedAt.has(step.proc)) {
      return new MalformedTrace(step.line, `${step.proc} is blocked in F_SETLKW and can take no step until it wakes`);
    }
    return undefined;
  }

  print(step: TraceStep, { result, woke }: StepOutcome): MalformedTrace | undefined {
    if (result.kind === 'invalid') return new MalformedTrace(step.line, result.message);
    this.lines.push(`${step.proc} ${step.op.op} -> ${formatResult(result, this.name)}`);
    if (result.kind === 'blocked') this.#blockedAt.set(step.proc, this.#blocks++);
    const order = (proc: string) => this.#blockedAt.get(proc) ?? 0;
    for (const w of [...woke].sort((a, b) => order(a.proc) - order(b.proc))) {
      this.#blockedAt.delete(w.proc);
      this.lines.push(`${w.proc} wakes -> ${formatResult(w.result, this.name)}`);
    }
    return undefined;
  }
}

/** Run a trace through any driver (the network runner uses this). */
export async function runTraceWith(trace: Trace, driver: StepDriver): Promise<TraceRun> {
  const printer = new TracePrinter((pid) => driver.name(pid));
  for (const step of trace.steps) {
    const error = printer.check(step) ?? printer.print(step, await driver.step(step));
    if (error !== undefined) return { lines: printer.lines, error };
  }
  return { lines: printer.lines };
}

/** Options of the machine a trace runs on; the trace itself gives the page size and the file. */
export type MachineOptions = Omit<KernelOptions, 'pageSize' | 'file'>;

/** A driver over an in-process kernel. */
export function kernelDriver(trace: Trace, machine: MachineOptions = {}): StepDriver & { kernel: Kernel } {
  const kernel = new Kernel({ ...machine, pageSize: trace.pageSize, file: trace.file });
  const pids = new Map<string, Pid>();
  const names = new Map<Pid, string>();
  return {
    kernel,
    step(step) {
      let pid = pids.get(step.proc);
      if (pid === undefined) {
        pid = kernel.spawn();
        pids.set(step.proc, pid);
        names.set(pid, step.proc);
      }
      const { result, events } = kernel.apply(pid, step.op);
      return { result, woke: wokeOf(events, names) };
    },
    name: (pid) => names.get(pid) ?? `pid${pid}`,
  };
}

function wokeOf(events: KernelEvent[], names: Map<Pid, string>): { proc: string; result: Result }[] {
  const out: { proc: string; result: Result }[] = [];
  for (const e of events) if (e.type === 'woke') out.push({ proc: names.get(e.pid) ?? `pid${e.pid}`, result: e.result });
  return out;
}

/** Run a trace on the simulated kernel, synchronously. */
export function runTrace(trace: Trace, machine: MachineOptions = {}): TraceRun {
  const driver = kernelDriver(trace, machine);
  const printer = new TracePrinter(driver.name);
  for (const step of trace.steps) {
    const error = printer.check(step) ?? printer.print(step, driver.step(step) as StepOutcome);
    if (error !== undefined) return { lines: printer.lines, error };
  }
  return { lines: printer.lines };
}
