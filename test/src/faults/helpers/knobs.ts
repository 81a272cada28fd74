/**
 * Fault tests run at a CI size by default and at full size on demand: each
 * knob is an environment variable (documented at the top of each test file).
 * `FAULTS_FULL=1` switches every knob to its full-size default at once.
 */
export const FULL = process.env.FAULTS_FULL === '1';

/** An integer knob: the environment's value, else the full or CI default. */
export function knob(name: string, ci: number, full: number = ci): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return FULL ? full : ci;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not ${JSON.stringify(raw)}`);
  return n;
}

/** The seed of a run: `<NAME>` from the environment, else a fresh one (printed on failure). */
export function seedFrom(name: string): number {
  const raw = process.env[name];
  if (raw !== undefined && raw !== '') return Number(raw) >>> 0;
  return (Math.random() * 2 ** 32) >>> 0;
}

/** Run `body`; if it fails, say the seed (and how to replay it) in the error. */
export async function withSeed<T>(name: string, seed: number, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    const note = `[${name}=${seed}: rerun with ${name}=${seed}]`;
    console.error(note);
    if (error instanceof Error) error.message = `${note} ${error.message}`;
    throw error;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wait until `test` holds, polling; fail with `what` after `timeoutMs`. */
export async function until(what: string, test: () => boolean | Promise<boolean>, timeoutMs = 10_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The p-th percentile (0..100) of some numbers, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
