import type { WireOutcome } from '@mmap-lab/shared/protocol/index.ts';

export type EntryStatus = 'pending' | 'queued' | 'ok' | 'failed' | 'blocked' | 'fault' | 'refused';

/** One operation as the student sees it: the C line, then what it returned. */
export interface LogEntry {
  id: number;
  /** Which form sent it, so the form can show its own latest result. */
  form: string;
  c: string;
  status: EntryStatus;
  /** How C shows the result: `3`, `-1 EACCES`, `SIGSEGV`, `blocked`; or the refusal. */
  display: string;
  explanation?: string;
  /** A note the client adds: the byte read, who woke, what the result means here. */
  note?: string;
}

export const LOG_MAX = 50;

export function statusOf(outcome: WireOutcome): EntryStatus {
  switch (outcome.result.kind) {
    case 'errno':
    case 'invalid':
    case 'dead':
    case 'not-runnable':
      return 'failed';
    case 'blocked':
      return 'blocked';
    case 'signal':
      return 'fault';
    default:
      return 'ok';
  }
}

/** How an operation waiting in the teacher's queue, at `position`, shows in the log. */
export function queuedAt(position: number): Pick<LogEntry, 'status' | 'display' | 'note'> {
  return { status: 'queued', display: `queued (#${position})`, note: 'it runs when the teacher picks it' };
}

/** The student's operations, newest first, and the line screen readers hear. */
export class OpLog {
  entries = $state.raw<LogEntry[]>([]);
  #next = 1;

  add(form: string, c: string): number {
    const id = this.#next++;
    const entry: LogEntry = { id, form, c, status: 'pending', display: 'sending…' };
    this.entries = [entry, ...this.entries].slice(0, LOG_MAX);
    return id;
  }

  settle(id: number, patch: Partial<Omit<LogEntry, 'id' | 'form'>>): void {
    this.entries = this.entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
  }

  /** Something the server reported without a request (a wake-up, an undo); returns its id. */
  push(entry: Omit<LogEntry, 'id'>): number {
    const id = this.#next++;
    this.entries = [{ ...entry, id }, ...this.entries].slice(0, LOG_MAX);
    return id;
  }

  /**
   * An F_SETLKW that was waiting (its C line `c`) finished: the lock is the
   * caller's, or the kernel refused it; `away` when it did while no page of
   * this student was connected.
   */
  pushWoke(c: string, outcome: WireOutcome, away = false): number {
    const ended = away ? 'returned while you were away' : 'woke up';
    return this.push({
      form: 'lock', c, status: statusOf(outcome), display: outcome.display, explanation: outcome.explanation,
      note: outcome.result.kind === 'ok' ? `${ended}: the lock is yours now` : ended,
    });
  }

  /** The oldest entry still waiting for its answer with this C line: the one the server just queued. */
  oldestPending(c: string): LogEntry | undefined {
    return this.entries.findLast((e) => e.status === 'pending' && e.c === c);
  }

  latestFor(form: string): LogEntry | undefined {
    return this.entries.find((e) => e.form === form);
  }

  /** The sentence an aria-live region reads out for the newest settled entry. */
  announcement = $derived.by(() => {
    const e = this.entries.find((x) => x.status !== 'pending');
    if (!e) return '';
    if (e.status === 'queued') return `${e.c} is queued: it runs when the teacher picks it.`;
    return `${e.c} returned ${e.display}.${e.note ? ` ${e.note}.` : ''}${e.explanation ? ` ${e.explanation}` : ''}`;
  });
}
