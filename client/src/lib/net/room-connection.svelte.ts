import { io, type Socket } from 'socket.io-client';
import type {
  Ack, ClientEventName, ClientToServerEvents, ReplyOf, RequestIn, ServerEventName, ServerPayload, ServerToClientEvents,
} from '@mmap-lab/shared/protocol/index.ts';

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Errors the browser itself detects, beside the server's AckError codes. */
export type LocalErrorCode = 'OFFLINE' | 'NO_ANSWER';
export type CallResult<T> = Ack<T> | { ok: false; error: { code: LocalErrorCode; message: string } };

/** The call never reached the server or its answer never came back: the connection, not a refusal. */
export function lostConnection(code: string): boolean {
  return code === 'OFFLINE' || code === 'NO_ANSWER';
}

export interface CallOptions<T> {
  timeoutMs?: number;
  /** Applies the answer in wire order: before any event the server sent after it. */
  apply?: (res: CallResult<T>) => void;
  /** Gets, once the call is sent, a way to wait `ms` from then on instead: for an answer the server said it holds back. */
  onWait?: (waitFor: (ms: number) => void) => void;
}

export type LinkStatus = 'connecting' | 'online' | 'offline';

const NOT_SENT = { ok: false, error: { code: 'OFFLINE', message: 'Not connected to the class: nothing was sent.' } } as const;
const NO_ANSWER = { ok: false, error: { code: 'NO_ANSWER', message: 'No answer from the server: the connection dropped, so this may or may not have happened.' } } as const;

/** How long a call waits for its acknowledgement before telling the user it may not have happened. */
export const CALL_TIMEOUT_MS = 10_000;
/** How long an operation may wait for its answer while the room holds operations back (slow motion, the teacher's queue). */
export const HELD_CALL_TIMEOUT_MS = 60 * 60_000;
/** After the server said goodbye (a restart), how long before knocking again. */
export const SERVER_GONE_RETRY_MS = 1000;

/**
 * Owns one typed Socket.IO connection to the server (same origin). Every call
 * is refused at once while offline: Socket.IO would otherwise buffer emits and
 * replay them on reconnect, which would run a student's operations later than
 * they think, so we never let it queue anything.
 */
export class RoomConnection {
  status = $state<LinkStatus>('connecting');
  readonly #socket: RoomSocket;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  /** Ends each call still waiting for its answer, with no answer. */
  readonly #inFlight = new Set<() => void>();

  constructor(onConnect: () => void) {
    this.#socket = io({ autoConnect: false, reconnectionDelayMax: 4000 });
    this.#socket.on('connect', () => {
      this.status = 'online';
      onConnect();
    });
    this.#socket.on('disconnect', (reason) => {
      this.status = 'offline';
      this.#loseInFlight();
      // A server shutting down (a restart) closes its sockets itself, and Socket.IO then leaves
      // reconnecting to us; a dropped network it retries on its own.
      if (reason === 'io server disconnect' && !this.#closed) {
        this.#retry = setTimeout(() => this.#socket.connect(), SERVER_GONE_RETRY_MS);
      }
    });
    this.#socket.on('connect_error', () => {
      this.status = 'offline';
    });
    this.#socket.connect();
  }

  get online(): boolean {
    return this.status === 'online';
  }

  on<E extends ServerEventName>(event: E, handler: (payload: ServerPayload<E>) => void): void {
    // Socket.IO's typed map cannot see through the generic E; the handler type is the map's own.
    (this.#socket.on as (e: string, h: (p: ServerPayload<E>) => void) => void)(event, handler);
  }

  /**
   * Send one event and wait for its acknowledgement, at most `timeoutMs`
   * (an operation in the teacher's queue waits as long as the teacher
   * takes: the caller gives a longer limit then, or sets one through
   * `onWait` once the server says it holds the operation back).
   *
   * State the answer changes belongs in `apply`, which runs the moment the
   * answer is decoded. A promise's continuation runs later: after any event
   * decoded in the same read (a long-poll response carries many), so code
   * after `await` would put an older answer over a newer event.
   */
  call<E extends ClientEventName>(event: E, payload: RequestIn<E>, options: CallOptions<ReplyOf<E>> = {}): Promise<CallResult<ReplyOf<E>>> {
    const { timeoutMs = CALL_TIMEOUT_MS, apply, onWait } = options;
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settled = false;
      // Once only: a late answer after the timeout, or after the link dropped, changes nothing.
      // The caller's promise settles even if `apply` throws.
      const settle = (res: CallResult<ReplyOf<E>>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#inFlight.delete(lost);
        try {
          apply?.(res);
        } finally {
          resolve(res);
        }
      };
      let unsent = false;
      const lost = (): void => settle(unsent ? NOT_SENT : NO_ANSWER);
      if (!this.#socket.connected) {
        settle(NOT_SENT);
        return;
      }
      const waitFor = (ms: number): void => {
        clearTimeout(timer);
        timer = setTimeout(lost, ms);
      };
      waitFor(timeoutMs);
      this.#inFlight.add(lost);
      const buffered = this.#socket.sendBuffer.length;
      (this.#socket.emit as (e: string, p: unknown, ack: (res: Ack<ReplyOf<E>>) => void) => void)
        .call(this.#socket, event, payload, settle);
      // A link that died unnoticed (a phone waking after the pings it slept through) makes Socket.IO
      // buffer the emit, to send on reconnect ahead of our resume, as a stranger. Take it back: the
      // disconnect Socket.IO starts at once then ends the call.
      if (this.#socket.sendBuffer.length > buffered) {
        unsent = true;
        this.#socket.sendBuffer.pop();
      }
      onWait?.(waitFor);
    });
  }

  /** No answer will come to a call in flight once its socket is gone. */
  #loseInFlight(): void {
    for (const lost of [...this.#inFlight]) lost();
  }

  /**
   * The call that ties this page to its room on every connect (join, resume,
   * attach) got no answer. A dropped link connects again by itself, and that
   * connect makes the call again; a link still up but silent never would, so
   * drop it and dial again.
   */
  establishAgain(): void {
    if (this.#socket.connected) this.#socket.disconnect().connect();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
    this.#loseInFlight();
  }
}
