import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import type { ProcessView } from '@mmap-lab/shared/kernel/views.ts';
import type { WireOutcome } from '@mmap-lab/shared/protocol/index.ts';
import { cLine } from '@mmap-lab/shared/content/c-line.ts';
import type { ProcessModel } from '../process/process-model.ts';
import { replyNote } from '../process/reply-note.ts';
import { MappingMemory } from '../student/mapping-memory.svelte.ts';
import { OpLog, statusOf } from '../student/op-log.svelte.ts';
import { describeFault, type FaultReport } from '../student/fault.ts';
import type { LabMachine, LabReply } from './lab-machine.svelte.ts';
import { memoryView } from '@mmap-lab/shared/protocol/memory-view.ts';

/**
 * One process of the solo lab, drawn by the same components as a student's
 * process in class (ProcessModel). Its machine applies the operations.
 */
export class LabProcess implements ProcessModel {
  readonly #machine: LabMachine;
  readonly name: string;
  readonly log = new OpLog();
  pid = $state(0);
  process = $state.raw<ProcessView | undefined>();
  memories = $state.raw(new Map<number, MappingMemory>());
  fault = $state.raw<FaultReport | undefined>();
  /** The C line of the F_SETLKW that is waiting, to name it again when it wakes. */
  #waitingC = 'fcntl(fd, F_SETLKW, &fl);';

  defaultFd = $derived(this.process?.fds.at(-1)?.fd);
  defaultMap = $derived(this.process?.mappings.at(-1)?.map);
  canAct = $derived(this.process !== undefined && this.process.state.state !== 'dead');
  readonly canRespawn = true;

  constructor(machine: LabMachine, pid: number, name: string) {
    this.#machine = machine;
    this.pid = pid;
    this.name = name;
  }

  get fileSize(): number {
    return this.#machine.fileSize;
  }

  get pageSize(): number {
    return this.#machine.pageSize;
  }

  nameOf = (pid: number): string => (pid === this.pid ? `you (pid ${pid})` : this.#machine.nameOf(pid));

  run(form: string, op: Op): Promise<LabReply> {
    const id = this.log.add(form, cLine(op));
    const before = this.process;
    const reply = this.#machine.apply(this.pid, op);
    const { outcome, c, woke } = reply;
    if (outcome.result.kind === 'blocked') this.#waitingC = c;
    const note = replyNote(outcome.result, woke, this.nameOf);
    this.log.settle(id, { c, status: statusOf(outcome), display: outcome.display, explanation: outcome.explanation, note });
    if (outcome.result.kind === 'signal') this.fault = describeFault(op, c, outcome, before, this.pageSize, this.fileSize);
    return Promise.resolve(reply);
  }

  respawn(): Promise<void> {
    this.pid = this.#machine.newPid();
    this.fault = undefined;
    this.memories = new Map();
    this.refresh([]);
    return Promise.resolve();
  }

  /** An F_SETLKW of this process finished waiting (another process unlocked, or the kernel found a deadlock). */
  woke(outcome: WireOutcome): void {
    this.log.pushWoke(this.#waitingC, outcome);
  }

  /**
   * Read the process and its mappings back from the kernel after any
   * operation of the machine; `runs` are the file bytes it wrote, so the
   * cells another process changed flash and say who.
   */
  refresh(runs: readonly { offset: number; hex: string; by: number }[]): void {
    const view = this.#machine.view(this.pid);
    this.process = view;
    const next = new Map<number, MappingMemory>();
    const state = this.#machine.kernel.state;
    const process = state.procs.get(this.pid);
    for (const m of view?.mappings ?? []) {
      const memory = this.memories.get(m.map) ?? new MappingMemory(m);
      memory.view = m;
      // The runs mark who changed what; the bytes themselves come whole from the kernel just below.
      memory.applyRuns(runs, this.pageSize, this.pid);
      const bytes = process === undefined ? undefined : memoryView(state, process, m.map);
      if (bytes) memory.load(bytes);
      next.set(m.map, memory);
    }
    this.memories = next;
  }
}
