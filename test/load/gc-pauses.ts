import { PerformanceObserver } from 'node:perf_hooks';

/**
 * The garbage collector's pauses between `start` and `stop`: in all and the
 * longest. A long one stalls every socket of the process at once. Used by the
 * bot process and, through server-probe.ts, by the server under test.
 */
export class GcPauses {
  totalMs = 0;
  maxMs = 0;
  #on = false;

  constructor() {
    new PerformanceObserver((list) => {
      if (!this.#on) return;
      for (const e of list.getEntries()) {
        this.totalMs += e.duration;
        this.maxMs = Math.max(this.maxMs, e.duration);
      }
    }).observe({ entryTypes: ['gc'] });
  }

  start(): void {
    this.totalMs = 0;
    this.maxMs = 0;
    this.#on = true;
  }

  stop(): void {
    this.#on = false;
  }
}
