import { io, type Socket } from 'socket.io-client';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import type {
  ClientEventName, ClientToServerEvents, ReplyOf, RequestIn, ServerEventName, ServerPayload, ServerToClientEvents,
} from '@mmap-lab/shared/protocol/events.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** How long a test waits for a signal before failing with a name, never a sleep. */
export const SIGNAL_TIMEOUT_MS = 5000;

export function connect(url: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Emit and wait for the acknowledgement, whatever it says. */
export function call<E extends ClientEventName>(socket: ClientSocket, event: E, payload: RequestIn<E>): Promise<Ack<ReplyOf<E>>> {
  const emit = socket.timeout(SIGNAL_TIMEOUT_MS).emitWithAck as (e: string, p: unknown) => Promise<Ack<ReplyOf<E>>>;
  return emit.call(socket.timeout(SIGNAL_TIMEOUT_MS), event, payload);
}

/** Emit anything at all (hostile tests): any event name, any arguments. */
export function raw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  const emit = socket.timeout(SIGNAL_TIMEOUT_MS).emitWithAck as (e: string, ...a: unknown[]) => Promise<Ack<unknown>>;
  return emit.call(socket.timeout(SIGNAL_TIMEOUT_MS), event, ...args);
}

/** Emit and insist on success: the ack's data. */
export async function must<E extends ClientEventName>(socket: ClientSocket, event: E, payload: RequestIn<E>): Promise<ReplyOf<E>> {
  const res = await call(socket, event, payload);
  if (!res.ok) throw new Error(`${event} failed: ${res.error.code}: ${res.error.message}`);
  return res.data;
}

/**
 * Collects every event of some names a socket receives, from the moment it
 * is made; `next` waits for the first one (after those already taken) that
 * matches, and fails with the event's name if it does not come.
 */
export class Inbox<E extends ServerEventName> {
  readonly received: { event: E; payload: ServerPayload<E> }[] = [];
  #waiters: (() => void)[] = [];
  /** Per event name: how far `next` has read. */
  #taken = new Map<string, number>();

  constructor(socket: ClientSocket, events: readonly E[]) {
    for (const event of events) {
      (socket.on as (e: string, l: (p: unknown) => void) => void).call(socket, event, (payload: unknown) => {
        this.received.push({ event, payload: payload as ServerPayload<E> });
        for (const w of this.#waiters.splice(0)) w();
      });
    }
  }

  of<F extends E>(event: F): ServerPayload<F>[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as ServerPayload<F>);
  }

  /** The next event named `event` (after the last one of that name `next` returned) that passes `match`. */
  async next<F extends E>(event: F, match: (p: ServerPayload<F>) => boolean = () => true): Promise<ServerPayload<F>> {
    const deadline = Date.now() + SIGNAL_TIMEOUT_MS;
    for (;;) {
      for (let i = this.#taken.get(event) ?? 0; i < this.received.length; i++) {
        const r = this.received[i];
        if (r.event === event && match(r.payload as ServerPayload<F>)) {
          this.#taken.set(event, i + 1);
          return r.payload as ServerPayload<F>;
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`event '${event}' did not arrive within ${SIGNAL_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/** Things to close after each test, closed in reverse order. */
export class Disposables {
  #items: (() => unknown)[] = [];
  add<T>(item: T, dispose: (item: T) => unknown): T {
    this.#items.push(() => dispose(item));
    return item;
  }
  socket(socket: ClientSocket): ClientSocket {
    return this.add(socket, (s) => s.close());
  }
  async closeAll(): Promise<void> {
    const items = this.#items.reverse();
    this.#items = [];
    for (const dispose of items) await dispose();
  }
}
