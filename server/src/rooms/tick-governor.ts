import { performance } from 'node:perf_hooks';

/** Above this share of the event loop busy, the server is falling behind: stretch the ticks. */
const BUSY = 0.95;
/** Below this, there is room again: shrink them back towards TICK_MS. */
const EASY = 0.8;
const STEP = 1.25;

/**
 * Every room's tick, stretched while the server is overloaded. A tick costs
 * one write per student, an operation's answer one write per operation:
 * when the event loop has no time left, fewer, fuller ticks keep answers
 * fast and every update still arrives, later. Without overload the scale
 * stays 1 and ticks are `TICK_MS`.
 */
export class TickGovernor {
  readonly #maxScale: number;
  #scale = 1;

  constructor(maxScale: number) {
    this.#maxScale = Math.max(1, maxScale);
  }

  get scale(): number {
    return this.#scale;
  }

  /** One reading of the event loop's utilisation since the last one (0 to 1). */
  observe(utilization: number): void {
    if (utilization > BUSY) this.#scale = Math.min(this.#maxScale, this.#scale * STEP);
    else if (utilization < EASY) this.#scale = Math.max(1, this.#scale / STEP);
  }
}

/** Feed the governor the event loop's utilisation every `everyMs`; returns how to stop. */
export function watchEventLoop(governor: TickGovernor, everyMs: number): () => void {
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    governor.observe(performance.eventLoopUtilization(now, last).utilization);
    last = now;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
