import type { Op } from '../kernel/types.ts';

/** A parsed trace: the file, the page size and the steps, each with its source line. */
export interface Trace {
  pageSize: number;
  file: Uint8Array;
  steps: TraceStep[];
}

export interface TraceStep {
  line: number;
  proc: string;
  op: Op;
}

/** A trace that breaks the contract, with the line that does. */
export class MalformedTrace extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}
