import type { ExerciseResultsWire } from '@mmap-lab/shared/protocol/lesson.ts';

/**
 * Computing results replays the exercise's whole log, so it never runs per
 * operation. A result costing `ms` to compute is not recomputed sooner than
 * RESULTS_COST_FACTOR × ms later: in a huge room the board's refresh slows
 * down instead of the room.
 */
export const RESULTS_COST_FACTOR = 20;

export interface ResultsSource {
  /** What the results depend on (run, segment, log length): unchanged key, unchanged results. */
  key(): string | null;
  compute(): ExerciseResultsWire | null;
  /** Does anyone watch the board? If not, nothing is computed. */
  watched(): boolean;
  push(results: ExerciseResultsWire): void;
  reportError(error: unknown): void;
}

/** The running exercise's results: on demand, and pushed to the board every `periodMs` while the log changes. */
export class ResultsPusher {
  readonly #source: ResultsSource;
  readonly #periodMs: number;
  #timer: NodeJS.Timeout | null = null;
  #cached: { key: string; results: ExerciseResultsWire | null } | null = null;
  #pushedKey: string | null = null;
  #costMs = 0;

  constructor(source: ResultsSource, periodMs: number) {
    this.#source = source;
    this.#periodMs = periodMs;
  }

  /** The results as of now (computed only if the log changed since the last time). */
  latest(): ExerciseResultsWire | null {
    const key = this.#source.key();
    if (key === null) return null;
    if (this.#cached?.key !== key) {
      const start = performance.now();
      this.#cached = { key, results: this.#source.compute() };
      this.#costMs = performance.now() - start;
    }
    return this.#cached.results;
  }

  /** Keep this value as the latest (the final results of a stopped run). */
  pin(key: string, results: ExerciseResultsWire): void {
    this.#cached = { key, results };
  }

  start(): void {
    this.stop();
    this.#schedule(this.#periodMs);
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => this.#tick(), ms);
  }

  #tick(): void {
    try {
      const key = this.#source.key();
      if (key !== null && key !== this.#pushedKey && this.#source.watched()) {
        const results = this.latest();
        this.#pushedKey = key;
        if (results !== null) this.#source.push(results);
      }
    } catch (error) {
      this.#source.reportError(error);
    }
    this.#schedule(Math.max(this.#periodMs, RESULTS_COST_FACTOR * this.#costMs));
  }
}
