import type { IncomingMessage } from 'node:http';

/**
 * Socket.IO accepts browsers only from our own origin: a page elsewhere must
 * not drive a student's process with the student's cookies or network. Clients
 * that send no Origin (the trace runner, load bots, curl) are not browsers and
 * prove nothing by it, so they are let through; `extra` lists other origins
 * allowed (the Vite dev server).
 */
export function sameOrigin(extra: readonly string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, ok: boolean) => void): void => {
    const origin = req.headers.origin;
    if (origin === undefined) return callback(null, true);
    const host = req.headers.host;
    let ok = extra.includes(origin);
    try {
      ok ||= host !== undefined && new URL(origin).host === host;
    } catch {
      ok = false;
    }
    callback(ok ? null : 'origin not allowed', ok);
  };
}
