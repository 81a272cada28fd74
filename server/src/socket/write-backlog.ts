import type { AppSocket } from './socket-data.ts';

type Connection = AppSocket['conn'];

/** The `ws` socket under engine.io's websocket transport: it keeps its own buffer. */
interface Websocket {
  readonly bufferedAmount: number;
  terminate(): void;
}

/** engine.io keeps it as its websocket transport's `socket` (private in its types, there since engine.io 1). */
function websocketOf(conn: Connection): Websocket | undefined {
  const transport = conn.transport as unknown as { name: string; socket?: Websocket };
  return transport.name === 'websocket' ? transport.socket : undefined;
}

/**
 * What all connections together hold unwritten, as each last measured it.
 * One client's many stalled sockets, each under its own cap, would
 * otherwise add up without bound; a per-address cap cannot stop them, as a
 * lecture hall behind one NAT is one address too.
 */
export class BacklogTotal {
  readonly maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** One connection's backlog went from `before` to `after`; true while the total is past the budget. */
  move(before: number, after: number): boolean {
    this.#bytes += after - before;
    return this.#bytes > this.maxBytes;
  }
}

/** Past the server's budget, a connection holding at least this much before its new packet is cut: a reading client holds next to nothing. */
const STALLED_BYTES = 1 << 20;

/**
 * Calls `over(bytes)` once, when what one connection holds unwritten passes
 * `maxBytes`, or passes STALLED_BYTES while all connections together hold
 * more than `total` allows: packets engine.io keeps while its transport is
 * busy, plus the websocket's own buffer. Nothing else bounds them: a client
 * that stops reading would make the server keep every answer and every tick
 * for it. Counted as packets are made (one addition and two reads each, no
 * scan), and emptied when engine.io hands its buffer to the transport.
 */
export function watchBacklog(conn: Connection, maxBytes: number, total: BacklogTotal, over: (bytes: number) => void): void {
  let unflushed = 0;
  let counted = 0;
  let fired = false;
  conn.on('flush', () => {
    unflushed = 0;
  });
  conn.on('close', () => {
    total.move(counted, 0);
    counted = 0;
  });
  conn.on('packetCreate', (packet: { data?: string | ArrayBufferLike | ArrayBufferView }) => {
    const data = packet.data;
    const size = data === undefined ? 0 : typeof data === 'string' ? data.length : data.byteLength;
    unflushed += size;
    if (fired) return;
    const bytes = unflushed + (websocketOf(conn)?.bufferedAmount ?? 0);
    const serverOver = total.move(counted, bytes);
    counted = bytes;
    // Without this packet: a reading client's big answer (a board snapshot) is not a backlog.
    if (bytes <= maxBytes && !(serverOver && bytes - size >= Math.min(STALLED_BYTES, maxBytes))) return;
    fired = true;
    over(bytes);
  });
}

/**
 * Close now and drop what is queued. A graceful close would wait for the
 * peer to read it all, and `ws` keeps its buffer until the peer's close
 * frame or 30 s, so the websocket is terminated too.
 */
export function dropConnection(conn: Connection): void {
  const websocket = websocketOf(conn);
  conn.close(true);
  websocket?.terminate();
}
