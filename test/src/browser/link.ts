import type { Browser, Page } from 'playwright-core';
import { openTab } from './harness.ts';
import { StudentTab } from './student-tab.ts';

interface Pair {
  /** Socket.IO moved onto this WebSocket (its upgrade packet passed): no long poll is left to the link. */
  upgraded: boolean;
  close(): void;
}

const SOCKET_IO = /\/socket\.io\//;
/** Engine.IO's packet by which the client moves onto the WebSocket it probed. */
const UPGRADE = '5';

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
  /** Waiting for a WebSocket to carry the page's socket. */
  readonly #waiters: (() => void)[] = [];

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
        upgraded: false,
        close: () => {
          void ws.close().catch(() => {});
          void server.close().catch(() => {});
        },
      };
      link.#open.add(pair);
      // Once a handler listens, the page's messages are ours to pass on.
      ws.onMessage((message) => {
        server.send(message);
        if (message !== UPGRADE) return;
        pair.upgraded = true;
        for (const wake of link.#waiters.splice(0)) wake();
      });
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

  /**
   * Down, once the page's socket runs over its WebSocket: a long poll
   * already in flight could not be cut, and the page would not notice.
   */
  async down(): Promise<void> {
    if (![...this.#open].some((p) => p.upgraded)) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#up = false;
    for (const pair of [...this.#open]) pair.close();
  }

  up(): void {
    this.#up = true;
  }
}

/** A student in a tab of her own, on a link of its own, joined as `name` through `joinUrl`. */
export async function studentOnLink(browser: Browser, joinUrl: string, name: string): Promise<{ student: StudentTab; link: Link }> {
  const tab = await openTab(browser);
  const link = await Link.on(tab.page);
  const student = new StudentTab(tab);
  await student.join(joinUrl, name);
  return { student, link };
}
