import { Samples } from './stats.ts';

/** Everything the bots count, shared by both kinds of bot. Times are performance.now() of the bot process. */
export class Metrics {
  windowStart = Infinity;
  windowEnd = Infinity;
  readonly rtt = new Samples();
  readonly seen = new Samples();
  ops = 0;
  rounds = 0;
  skipped = 0;
  unseen = 0;
  updates = 0;
  byteUpdates = 0;
  messages = 0;
  boardUpdates = 0;
  errors = 0;
  readonly errorSamples: string[] = [];

  inWindow(t: number): boolean {
    return t >= this.windowStart && t < this.windowEnd;
  }

  /** One acknowledged operation emitted at t0, answered at t1. */
  op(t0: number, t1: number): void {
    if (!this.inWindow(t0)) return;
    this.ops++;
    this.rtt.push(t1 - t0);
  }

  error(message: string): void {
    this.errors++;
    if (this.errorSamples.length < 10) this.errorSamples.push(message);
  }
}
