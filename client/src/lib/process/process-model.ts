import { createContext } from 'svelte';
import type { Op } from '@mmap-lab/shared/kernel/types.ts';
import type { ProcessView } from '@mmap-lab/shared/kernel/views.ts';
import type { MappingMemory } from '../student/mapping-memory.svelte.ts';
import type { OpLog } from '../student/op-log.svelte.ts';
import type { FaultReport } from '../student/fault.ts';

/**
 * One process as the memory, program and log components draw it. A
 * student's process in a class (StudentSession, over the socket) and a
 * process of the solo lab (LabProcess, over a kernel in this tab) both
 * implement it, so the same components render either. Either way the
 * kernel decides every outcome; the model only carries it.
 */
export interface ProcessModel {
  readonly pid: number;
  readonly name: string;
  readonly process: ProcessView | undefined;
  /** Mapping number → its bytes as this process would load them. */
  readonly memories: ReadonlyMap<number, MappingMemory>;
  readonly log: OpLog;
  readonly fileSize: number;
  readonly pageSize: number;
  /** Operations can be sent now (alive, and connected when there is a connection). */
  readonly canAct: boolean;
  /** A new process can be asked for (after a death). */
  readonly canRespawn: boolean;
  /** The newest descriptor and mapping: what an empty form field means. */
  readonly defaultFd: number | undefined;
  readonly defaultMap: number | undefined;
  /** The access that killed the process, while its death screen is up. */
  readonly fault: FaultReport | undefined;
  /** How another process is named on screen ("Ada (pid 3)", or "pid 3" when no name is known). */
  nameOf(pid: number): string;
  /** Send one operation; its C line and result go to the log. */
  run(form: string, op: Op): Promise<unknown>;
  respawn(): Promise<void>;
}

export const [getProcessModel, setProcessModel] = createContext<ProcessModel>();
