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
 * Calls `over(bytes)` once, when what one connection holds unwritten passes
 * `maxBytes`: packets engine.io keeps while its transport is busy, plus the
 * websocket's own buffer. Nothing else bounds them: a client that stops
 * reading would make the server keep every answer and every tick for it.
 * Counted as packets are made (one addition and two reads each, no scan),
 * and emptied when engine.io hands its buffer to the transport.
 */
export function watchBacklog(conn: Connection, maxBytes: number, over: (bytes: number) => void): void {
  let unflushed = 0;
  let fired = false;
  conn.on('flush', () => {
    unflushed = 0;
  });
  conn.on('packetCreate', (packet: { data?: string | ArrayBufferLike | ArrayBufferView }) => {
    const data = packet.data;
    if (data !== undefined) unflushed += typeof data === 'string' ? data.length : data.byteLength;
    if (fired) return;
    const bytes = unflushed + (websocketOf(conn)?.bufferedAmount ?? 0);
    if (bytes <= maxBytes) return;
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
