/**
 * pnpm trace [--server URL] FILE: run a trace on the simulated kernel (or
 * through a live server) and print its lines. A malformed trace exits 2.
 */
import { readFileSync } from 'node:fs';
import { MalformedTrace, parseTrace, runTrace, type TraceRun } from '@mmap-lab/shared';

async function main(argv: string[]): Promise<number> {
  const serverAt = argv.indexOf('--server');
  const server = serverAt >= 0 ? argv[serverAt + 1] : undefined;
  const files = serverAt < 0 ? argv : argv.filter((_, i) => i !== serverAt && i !== serverAt + 1);
  if (files.length !== 1 || (serverAt >= 0 && server === undefined)) {
    process.stderr.write('usage: pnpm trace [--server URL] FILE\n');
    return 2;
  }
  const path = files[0];
  let run: TraceRun;
  try {
    const trace = parseTrace(readFileSync(path, 'utf8'));
    if (server !== undefined) {
      const { runTraceOnServer } = await import('./network-runner.ts');
      run = await runTraceOnServer(trace, server);
    } else {
      run = runTrace(trace);
    }
  } catch (e) {
    if (e instanceof MalformedTrace) {
      process.stderr.write(`${path}: malformed trace: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(run.lines.map((l) => l + '\n').join(''));
  if (run.error !== undefined) {
    process.stderr.write(`${path}: malformed trace: ${run.error.message}\n`);
    return 2;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
