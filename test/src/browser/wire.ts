import type { Page } from 'playwright-core';

/** Engine.IO's long-polling bodies carry several packets, split by the record separator. */
const SEPARATOR = '\x1e';
/** Engine.IO's packet that means nothing: what a poll answers when all it carried was taken out. */
const NOOP = '6';
const SOCKET_IO = /\/socket\.io\//;

/**
 * Keep the page on long-polling (its WebSocket refused), where every packet
 * passes through `page.route` as HTTP, so a test can hold or drop one.
 */
export async function pollingOnly(page: Page): Promise<void> {
  await page.routeWebSocket(SOCKET_IO, (ws) => ws.close());
}

/** Hold each request whose packets `match` until `until` settles: as a slow link would. */
export async function holdSent(page: Page, match: (packet: string) => boolean, until: Promise<void>, onHeld: () => void): Promise<void> {
  await page.route('**/socket.io/**', async (route) => {
    if ((route.request().postData() ?? '').split(SEPARATOR).some(match)) {
      onHeld();
      await until;
    }
    await route.continue();
  });
}

/** Take every packet `match` out of what the server sends the page: an event the page never hears. */
export async function dropReceived(page: Page, match: (packet: string) => boolean): Promise<void> {
  await page.route('**/socket.io/**', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    // A long poll waits for the server's next packet: no time limit of our own. It fails when
    // the page closes while it waits; the request then fails too, as on a broken network.
    const response = await route.fetch({ timeout: 0 }).catch(() => undefined);
    if (response === undefined) return route.abort().catch(() => {});
    const packets = (await response.text()).split(SEPARATOR);
    const kept = packets.filter((p) => !match(p));
    if (kept.length === packets.length) return route.fulfill({ response });
    return route.fulfill({ response, body: kept.length > 0 ? kept.join(SEPARATOR) : NOOP });
  });
}
