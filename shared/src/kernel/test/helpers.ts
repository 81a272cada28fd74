import { parseTrace } from '../../trace/parse.ts';
import { runTrace } from '../../trace/run.ts';

/** Run a trace on the simulator and return the result of each line, without the `<proc> <op> -> ` prefix. */
export function sim(text: string): string[] {
  const run = runTrace(parseTrace(text));
  if (run.error) throw run.error;
  return run.lines.map((l) => l.replace(/^\S+ \S+ -> /, (m) => (m.includes(' wakes ') ? m : '')));
}
