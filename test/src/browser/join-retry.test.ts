/**
 * "Join in seconds": a join or a respawn whose answer is lost (a timeout
 * while the socket stays up, a link that drops right after Join) must not
 * leave the student stuck, nor make a second process beside a ghost one.
 * The page sends the same join again (same key, same name), and the server
 * answers with the process the first one made.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Inbox } from '../server/helpers/client.ts';
import { openRoom, type TestRoom } from '../server/helpers/room.ts';
import { openTab, type Tab } from './harness.ts';
import { liveServer } from './live-server.ts';
import { StudentTab } from './student-tab.ts';
import { dropReceived, pollingOnly } from './wire.ts';

/** Longer than a call waits for its acknowledgement (CALL_TIMEOUT_MS). */
const PAST_CALL_TIMEOUT_MS = 11_000;

const live = liveServer('join-retry');
let room: TestRoom;
let board: Inbox<'board:update'>;

beforeAll(async () => {
  room = await openRoom(live.url, live.d);
  board = new Inbox(room.teacher, ['board:update']);
});

/** A page on long-polling and Playwright's clock that never hears the first acknowledgement `isIt` picks. */
async function tabLosingAnswer(isIt: (packet: string) => boolean): Promise<{ tab: Tab; lost: () => boolean }> {
  const tab = await openTab(live.browser);
  await tab.page.clock.install();
  await pollingOnly(tab.page);
  let lost = false;
  await dropReceived(tab.page, (packet) => {
    if (lost || !isIt(packet)) return false;
    lost = true;
    return true;
  });
  return { tab, lost: () => lost };
}

/** Engine.IO's packet for an acknowledgement ("43" then its id) of a join, a resume or a respawn. */
const joinedAnswer = (packet: string): boolean => packet.startsWith('43') && packet.includes('"token":');

function rosterNamed(name: string) {
  return board.of('board:update').filter((u) => u.roster).at(-1)?.roster?.filter((r) => r.name.startsWith(name));
}

describe('a join or respawn whose answer is lost', () => {
  it('a join answer lost while the socket stays up: the page dials again and is the one process it made', async () => {
    const { tab, lost } = await tabLosingAnswer(joinedAnswer);
    const ada = new StudentTab(tab);
    await ada.page.goto(`${live.url}/room/${room.code}`);
    await ada.page.getByLabel('Your name').fill('Ada');
    await ada.page.getByRole('button', { name: 'Join' }).click();
    await expect.poll(lost).toBe(true);
    await ada.page.getByText('Joining the class…').waitFor();
    await ada.page.clock.fastForward(PAST_CALL_TIMEOUT_MS);
    await ada.running();
    expect(await ada.page.locator('.process .name').innerText()).toBe('Ada');
    await expect.poll(() => rosterNamed('Ada')).toEqual([expect.objectContaining({ name: 'Ada', connected: true })]);
    expect(tab.errors).toEqual([]);
  });

  it('a link that drops right after Join: back online, the page is the one process it made', async () => {
    const tab = await openTab(live.browser);
    let cut = false;
    await tab.page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        server.send(message);
        if (cut || typeof message !== 'string' || !message.includes('"student:join"')) return;
        cut = true;
        // The join reached the server; the link dies before its answer comes back.
        setTimeout(() => {
          ws.close();
          server.close();
        }, 0);
      });
    });
    const bo = new StudentTab(tab);
    await bo.page.goto(`${live.url}/room/${room.code}`);
    await bo.page.getByLabel('Your name').fill('Bo');
    await bo.page.getByRole('button', { name: 'Join' }).click();
    await bo.running();
    expect(cut).toBe(true);
    expect(await bo.page.locator('.process .name').innerText()).toBe('Bo');
    await expect.poll(() => rosterNamed('Bo')).toEqual([expect.objectContaining({ name: 'Bo', connected: true })]);
  });

  it('a respawn answer lost: the page finds the new process instead of staying on the dead one', async () => {
    let armed = false;
    const { tab, lost } = await tabLosingAnswer((packet) => armed && joinedAnswer(packet));
    const cy = new StudentTab(tab);
    await cy.join(`${live.url}/join/${room.code}`, 'Cy');
    const dead = await cy.pid();
    await cy.page.getByText('End the process').click();
    await cy.run('exit');
    const respawn = cy.page.getByRole('button', { name: 'Start a new process' });
    armed = true;
    await respawn.click();
    await expect.poll(lost).toBe(true);
    await cy.page.clock.fastForward(PAST_CALL_TIMEOUT_MS);
    await cy.running();
    expect(await cy.pid()).not.toBe(dead);
    await expect(cy.page.getByText('Welcome back: this is the same process as before.').count()).resolves.toBe(0);
    await expect.poll(() => rosterNamed('Cy')).toEqual([expect.objectContaining({ name: 'Cy', pid: await cy.pid(), connected: true })]);
  });
});
