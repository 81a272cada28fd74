/**
 * A student on a network that blocks WebSockets (some campus proxies do):
 * Socket.IO stays on HTTP long-polling, and everything the server wrote
 * while no poll was open arrives in one response, decoded in one go. The
 * page must apply it in the order the server wrote it: an answer before the
 * classmate's store that came after it.
 */
import { describe, expect, it } from 'vitest';
import { Inbox, must, type ClientSocket } from '../server/helpers/client.ts';
import { joinStudent, openRoom, type Student } from '../server/helpers/room.ts';
import { openTab, screenshot, UI_TIMEOUT_MS } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';

const poll = { timeout: UI_TIMEOUT_MS, interval: 50 };
const live = liveServer('polling');
const d = live.d;

/**
 * Holds the page's long-poll GETs on the way to the server while `hold()` is on,
 * so the server, with no poll open, buffers what it writes and sends it all in
 * the next response.
 */
class PollGate {
  #holding = false;
  #held: (() => void)[] = [];
  #onHeld: (() => void)[] = [];

  async handle(method: string, forward: () => Promise<void>): Promise<void> {
    if (method === 'GET' && this.#holding) {
      await new Promise<void>((resolve) => {
        this.#held.push(resolve);
        for (const w of this.#onHeld.splice(0)) w();
      });
    }
    await forward();
  }

  /** From now on, polls wait; resolves once one is waiting (the server then has none open). */
  hold(): Promise<void> {
    this.#holding = true;
    if (this.#held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#onHeld.push(resolve));
  }

  release(): void {
    this.#holding = false;
    for (const r of this.#held.splice(0)) r();
  }
}

describe('a student whose network blocks WebSockets (long-polling only)', () => {
  let code = '';
  let teacher: ClientSocket;
  let bob: Student;
  let ada: StudentTab;
  const gate = new PollGate();
  let carolSees: (hex: string) => Promise<unknown>;

  it('joins, opens and maps the file over long-polling, with every WebSocket refused', async () => {
    const url = live.url;
    ({ code, teacher } = await openRoom(url, d, { template: 'custom', pageSize: 16, fileHex: '00'.repeat(16) }));
    // Bob stores and locks; Carol only watches, to know when the server has sent a store to the room.
    const carol = await joinStudent(url, d, code, 'Carol');
    bob = await joinStudent(url, d, code, 'Bob');
    for (const s of [bob, carol]) {
      await must(s.socket, 'op:open', { mode: 'O_RDWR' });
      await must(s.socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
    }
    const seen = new Inbox(carol.socket, ['room:bytes']);
    carolSees = (hex) => seen.next('room:bytes', (p) => p.runs.some((r) => r.offset === 0 && r.hex.startsWith(hex)));

    const tab = await openTab(live.browser);
    let refusedWebSockets = 0;
    await tab.context.routeWebSocket(/.*/, (ws) => {
      refusedWebSockets++;
      void ws.close();
    });
    await tab.context.route(/\/socket\.io\//, (route) => gate.handle(route.request().method(), () => route.continue()));
    ada = new StudentTab(tab);
    await ada.join(`${url}/join/${code}`, 'Ada');
    expect((await ada.run('open')).status).toBe('ok');
    expect((await ada.run('mmap')).status).toBe('ok');
    await ada.cell(1, 0).waitFor();
    expect(refusedWebSockets).toBeGreaterThan(0);
  });

  it("applies a store's answer and a classmate's later store, delivered in one response, in the server's order", async () => {
    // Close the poll the server holds open (Bob's store answers it), and hold the page's next one.
    const held = gate.hold();
    await must(bob.socket, 'op:store', { map: 1, index: 1, value: 0x21 });
    await held;

    // Ada stores 'X' (her POST goes through); the answer waits in the server's buffer.
    await ada.typeInto(1, 0, 'X');
    await carolSees('58');
    // Then Bob stores 'Y' over it: its tick to Ada waits behind her answer.
    await must(bob.socket, 'op:store', { map: 1, index: 0, value: 0x59 });
    await carolSees('59');

    gate.release();
    await ada.page.locator('.log ol > li:not([data-status="pending"])', { hasText: "m1[0] = 'X';" }).waitFor();
    await expect.poll(() => ada.cell(1, 0).getAttribute('data-value'), poll).toBe(String(0x59));
    expect(await ada.cell(1, 1).getAttribute('data-value')).toBe(String(0x21));
    await screenshot(ada.page, 'polling-only-wire-order');
  });

  it('an F_SETLKW answered "blocked" and its wake, delivered in one response, leave the process running', async () => {
    const adaPid = await ada.pid();
    const board = new Inbox(teacher, ['board:update']);
    const whole = { fd: 3, cmd: 'F_SETLKW', type: 'F_WRLCK', start: 0, len: 0 } as const;
    expect((await must(bob.socket, 'op:lock', whole)).outcome.result.kind).toBe('ok');

    const held = gate.hold();
    await must(bob.socket, 'op:store', { map: 1, index: 2, value: 0x22 });
    await held;
    // Ada's F_SETLKW waits for Bob (the answer "blocked" is buffered), then Bob unlocks and Ada is woken.
    await ada.form('lock').getByRole('button').last().click();
    await board.next('board:update', (u) => u.locks?.waitsFor.some((w) => w.from === adaPid) ?? false);
    await must(bob.socket, 'op:lock', { ...whole, cmd: 'F_SETLK', type: 'F_UNLCK' });
    await board.next('board:update', (u) => u.locks?.locks.some((l) => l.pid === adaPid) ?? false);

    gate.release();
    await ada.page.locator('.log ol > li', { hasText: 'woke up' }).waitFor();
    await ada.running();
    expect(await ada.page.locator('.log ol > li[data-status="blocked"]').count()).toBe(1);
    expect(ada.tab.errors).toEqual([]);
  });
});
