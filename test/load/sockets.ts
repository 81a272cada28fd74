import { io, type Socket } from 'socket.io-client';

/** Long enough for a joining bot on a saturated machine; a setup step that takes longer has failed. */
const SETUP_TIMEOUT_MS = 60_000;

/** A websocket-only client, as a browser with a working websocket ends up; no reconnection: a drop is an error. */
export function connect(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: SETUP_TIMEOUT_MS });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(new Error(`connect ${url}: ${err.message}`)));
  });
}

/** Emit during setup and insist on a successful acknowledgement ({ ok: true, data }). */
export async function ack<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const res = (await socket.timeout(SETUP_TIMEOUT_MS).emitWithAck(event, payload)) as
    | { ok: true; data: T }
    | { ok: false; error: { code: string; message: string } };
  if (!res.ok) throw new Error(`${event}: ${res.error.code}: ${res.error.message}`);
  return res.data;
}

/** Run `work` over `items`, at most `concurrency` at a time; the first failure fails it all. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
