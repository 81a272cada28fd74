import type { Page } from 'playwright-core';

interface Pair {
  close(): void;
}

const SOCKET_IO = /\/socket\.io\//;

/**
 * One page's network to the server, which a test takes down and brings
 * back: a phone that sleeps, a tab left behind, wifi lost. Unlike
 * `context.setOffline`, it touches this page only, so another tab of the
 * same browser (same localStorage) stays online. While down, WebSockets
 * close and polling requests fail.
 */
export class Link {
  #up = true;
  readonly #open = new Set<Pair>();

  static async on(page: Page): Promise<Link> {
    const link = new Link();
    await page.route('**/socket.io/**', (route) => (link.#up ? route.continue() : route.abort('internetdisconnected')));
    await page.routeWebSocket(SOCKET_IO, (ws) => {
      if (!link.#up) {
        void ws.close();
        return;
      }
      const server = ws.connectToServer();
      const pair: Pair = {
        close: () => {
          void ws.close().catch(() => {});
          void server.close().catch(() => {});
        },
      };
      link.#open.add(pair);
      ws.onClose(() => {
        link.#open.delete(pair);
        void server.close().catch(() => {});
      });
      server.onClose(() => {
        link.#open.delete(pair);
        void ws.close().catch(() => {});
      });
    });
    return link;
  }

  down(): void {
    this.#up = false;
    for (const pair of [...this.#open]) pair.close();
  }

  up(): void {
    this.#up = true;
  }
}
