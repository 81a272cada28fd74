import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { ROOT } from './harness.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

export interface StaticServer {
  url: string;
  /** Every path the browser asked for, to show that nothing reached for a game server. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * client/dist served as plain files, nothing else: no API, no Socket.IO.
 * Unknown paths get index.html, as the real server does for client routes.
 */
export async function serveClientOnly(): Promise<StaticServer> {
  const dist = join(ROOT, 'client/dist');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    const file = normalize(join(dist, path));
    const send = (p: string) => readFile(p).then((body) => {
      res.writeHead(200, { 'content-type': TYPES[extname(p)] ?? 'application/octet-stream' });
      res.end(body);
    });
    if (!file.startsWith(dist) || path.startsWith('/api/') || path.startsWith('/socket.io/')) {
      res.writeHead(404).end();
      return;
    }
    send(file).catch(() => send(join(dist, 'index.html'))).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
