import { parseTrace } from '../../trace/parse.ts';
import { runTrace, type MachineOptions } from '../../trace/run.ts';

/** Run a trace on the simulator and return the result of each line, without the `<proc> <op> -> ` prefix. */
export function sim(text: string, machine?: MachineOptions): string[] {
  const run = runTrace(parseTrace(text), machine);
  if (run.error) throw run.error;
  return run.lines.map((l) => l.replace(/^\S+ \S+ -> /, (m) => (m.includes(' wakes ') ? m : '')));
}
