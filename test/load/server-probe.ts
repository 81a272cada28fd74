/**
 * Preloaded into the server children (`--import`) with LOAD_PROBE=1; it only
 * observes. Each SIGUSR2 moves it one step:
 *   1. collect garbage (the harness starts the server with --expose-gc) and
 *      note the heap in use: what the joined students hold;
 *   2. start the window: event loop delay and collector pauses from now;
 *   3. end it, collect garbage again and print one `LOAD-PROBE {json}` line
 *      on stderr: how late the loop ran, how long the collector paused, and
 *      how much heap the window left behind (logs, buffers that are kept).
 * Without LOAD_PROBE=1 it does nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { GcPauses } from './gc-pauses.ts';

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

if (process.env.LOAD_PROBE === '1') {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let step = 0;
  let heapBefore = 0;
  const pauses = new GcPauses();
  process.on('SIGUSR2', () => {
    step++;
    if (step === 1) {
      collect();
      heapBefore = process.memoryUsage().heapUsed;
    } else if (step === 2) {
      delay.reset();
      delay.enable();
      pauses.start();
    } else {
      delay.disable();
      pauses.stop();
      collect();
      const heapAfter = process.memoryUsage().heapUsed;
      const ms = (ns: number) => Number((ns / 1e6).toFixed(2));
      const figures = {
        loop_delay_p99_ms: ms(delay.percentile(99)),
        loop_delay_max_ms: ms(delay.max),
        heap_growth_mb: Number(((heapAfter - heapBefore) / 2 ** 20).toFixed(1)),
        gc_pause_total_ms: Number(pauses.totalMs.toFixed(2)),
        gc_pause_max_ms: Number(pauses.maxMs.toFixed(2)),
      };
      process.stderr.write(`LOAD-PROBE ${JSON.stringify(figures)}\n`);
      step = 0;
    }
  });
}

export {};
