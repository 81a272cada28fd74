import type { OpenMode } from './constants.ts';
import type { LockNode } from './locks/lock-node.ts';
import type { Mapping } from './mapping.ts';
import type { DeathCause, Pid } from './types.ts';

/** Where a process is in its life. A blocked process keeps its F_SETLKW request. */
export type ProcessStatus =
  | { state: 'running' }
  | { state: 'blocked'; request: LockNode; fd: number }
  | { state: 'dead'; cause: DeathCause };

export class Process {
  readonly pid: Pid;
  /** Descriptor table: index is the fd, value the mode it was opened with. */
  readonly fds: (OpenMode | undefined)[] = [];
  /** m<k> is mappings[k - 1]; a fully unmapped mapping stays as an empty husk. */
  readonly mappings: Mapping[] = [];
  status: ProcessStatus = { state: 'running' };
  /** SIGSTOP'd: takes no step until SIGCONT. */
  stopped = false;

  constructor(pid: Pid) {
    this.pid = pid;
  }

  get alive(): boolean {
    return this.status.state !== 'dead';
  }

  mode(fd: number): OpenMode | undefined {
    return Number.isInteger(fd) && fd >= 0 ? this.fds[fd] : undefined;
  }

  /** Any number that is not a k of this process (0, negative, fractional, NaN) finds no element. */
  mapping(map: number): Mapping | undefined {
    return this.mappings[map - 1];
  }
}

export const canRead = (mode: OpenMode): boolean => mode !== 'O_WRONLY';
export const canWrite = (mode: OpenMode): boolean => mode !== 'O_RDONLY';
