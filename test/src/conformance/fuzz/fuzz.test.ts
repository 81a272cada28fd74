/**
 * Differential fuzzing: random multi-process traces run on the real kernel
 * (C harness) and on the simulator must print the same lines. CI uses a fixed
 * seed; FUZZ_SEED=random (or a number) and FUZZ_COUNT change the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, runTrace } from '@mmap-lab/shared';
import { buildHarness, runOnRealKernel, thisMachine } from '../real-kernel.ts';
import { generateTrace } from './generate.ts';
import { Random } from './random.ts';

const FIXED_SEED = 20261127;
const seedEnv = process.env.FUZZ_SEED;
const seed = seedEnv === 'random' ? Math.floor(Math.random() * 2 ** 31) : seedEnv ? Number(seedEnv) : FIXED_SEED;
const count = Number(process.env.FUZZ_COUNT ?? 2000);
const FAILURES = join(dirname(fileURLToPath(import.meta.url)), '../../../.build/fuzz-failures');

describe('differential fuzzing against the real kernel', () => {
  it(`${count} random traces from seed ${seed} print the same lines on Linux and on the simulator`, () => {
    buildHarness();
    const machine = thisMachine();
    const master = new Random(seed);
    let steps = 0;
    for (let i = 0; i < count; i++) {
      const traceSeed = Math.floor(master.next() * 2 ** 31);
      const text = generateTrace(new Random(traceSeed), 12 + (i % 30));
      const trace = parseTrace(text);
      steps += trace.steps.length;
      const simulated = runTrace(trace, machine);
      const real = runOnRealKernel(trace);
      if (real.status !== 0 || simulated.error || real.lines.join('\n') !== simulated.lines.join('\n')) {
        mkdirSync(FAILURES, { recursive: true });
        const file = join(FAILURES, `seed-${traceSeed}.trace`);
        writeFileSync(file, `# fuzz regression: trace seed ${traceSeed} (run seed ${seed}, #${i})\n${text}`);
        console.error(`fuzz trace seed ${traceSeed} differs (saved to ${file}):\n${text}\nreal (status ${real.status}):\n${real.lines.join('\n')}\n${real.stderr}\nsimulated:\n${simulated.lines.join('\n')}`);
      }
      expect.soft(real.status, `trace seed ${traceSeed}`).toBe(0);
      expect(simulated.lines, `trace seed ${traceSeed}: simulator differs from Linux`).toEqual(real.lines);
    }
    expect(steps).toBeGreaterThan(count * 10);
  }, 600_000);
});
