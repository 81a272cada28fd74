import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SIGNAL_TIMEOUT_MS } from './client.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** What this process (an in-process server and its clients) holds once garbage is gone. */
export function retained(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Polls `check` until it holds, or fails after SIGNAL_TIMEOUT_MS naming `what`. */
export async function until(what: string, check: () => boolean): Promise<void> {
  for (const t0 = Date.now(); !check(); await new Promise((r) => setTimeout(r, 20))) {
    if (Date.now() - t0 > SIGNAL_TIMEOUT_MS) throw new Error(`timed out waiting for ${what}`);
  }
}
