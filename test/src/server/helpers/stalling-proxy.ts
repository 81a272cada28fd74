import { connect, createServer, type Socket } from 'node:net';

export interface StallingProxy {
  /** The server's url as reached through the proxy. */
  url: string;
  /** From now on nothing the server sends is read: its writes back up as a stalled client's would. */
  stall(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy to a test server that can stop reading the server's side, so a
 * plain socket.io-client behaves as a client that has stopped reading: what
 * it sends still arrives, what the server sends piles up in the server.
 */
export async function stallingProxy(serverUrl: string): Promise<StallingProxy> {
  const target = new URL(serverUrl);
  const upstreams: Socket[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    upstreams.push(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stall() {
      for (const u of upstreams) {
        u.unpipe();
        u.pause();
      }
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => proxy.close(() => resolve()));
    },
  };
}
