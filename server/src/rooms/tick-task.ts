/**
 * Run `task` once, `ms` after the first `mark()` since it last ran: many
 * changes in one tick (a class answering a quiz, a burst of queued
 * operations) cost one message to the board.
 */
export class TickTask {
  readonly #ms: number;
  readonly #task: () => void;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | null = null;

  constructor(ms: number, task: () => void, onError: (error: unknown) => void) {
    this.#ms = ms;
    this.#task = task;
    this.#onError = onError;
  }

  mark(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      try {
        this.#task();
      } catch (error) {
        this.#onError(error);
      }
    }, this.#ms);
  }

  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
