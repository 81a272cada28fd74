/**
 * Runs traces on the real Linux kernel through our C harness (test/harness),
 * built with `cc` on first use into test/.build.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toHarnessInput, type MachineOptions, type Trace } from '@mmap-lab/shared';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = join(here, '../../harness/real-kernel.c');
const BUILD_DIR = join(here, '../../.build');
const BINARY = join(BUILD_DIR, 'real-kernel');

/** Compile the harness if the binary is missing or older than its source. */
export function buildHarness(): string {
  const fresh = (() => {
    try {
      return statSync(BINARY).mtimeMs >= statSync(SOURCE).mtimeMs;
    } catch {
      return false;
    }
  })();
  if (!fresh) {
    mkdirSync(BUILD_DIR, { recursive: true });
    // Build beside and rename: a run in progress never executes a half-written binary.
    const partial = `${BINARY}.${process.pid}.tmp`;
    execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', partial, SOURCE], { stdio: 'inherit' });
    renameSync(partial, BINARY);
  }
  return BINARY;
}

export interface RealRun {
  lines: string[];
  status: number;
  stderr: string;
}

/** Run one trace on the real kernel. Status 2 means the trace was malformed. */
export function runOnRealKernel(trace: Trace): RealRun {
  const binary = buildHarness();
  const run = spawnSync(binary, [], { input: toHarnessInput(trace), encoding: 'utf8', timeout: 60_000 });
  if (run.error) throw run.error;
  const out = run.stdout;
  return { lines: out === '' ? [] : out.replace(/\n$/, '').split('\n'), status: run.status ?? -1, stderr: run.stderr };
}

/**
 * This machine as the simulator models it: under the default overcommit
 * heuristic Linux refuses any single charge over MemTotal + SwapTotal, so
 * the simulator gets the same limit to agree with it here.
 */
export function thisMachine(): MachineOptions {
  if (readFileSync('/proc/sys/vm/overcommit_memory', 'utf8').trim() !== '0') {
    throw new Error('the simulator models vm.overcommit_memory = 0 (the heuristic): set it to run the conformance tests');
  }
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(meminfo)?.[1]);
  const total = kib('MemTotal') + kib('SwapTotal');
  if (!Number.isSafeInteger(total)) throw new Error('cannot read MemTotal and SwapTotal from /proc/meminfo');
  return { commitLimitBytes: total * 1024 };
}
