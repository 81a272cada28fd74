import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Disposables, Inbox, must } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { startServer, type TestServer } from './helpers/server.ts';

describe("classmates' names reach students", () => {
  let server: TestServer;
  const d = new Disposables();
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await d.closeAll();
  });
  afterAll(async () => {
    await server.close();
  });

  it('a newcomer gets every name; the others get the newcomer; a respawn names its new pid', async () => {
    const room = await openRoom(server.url, d);
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    const adaInbox = new Inbox(ada.socket, ['room:names']);
    const first = await adaInbox.next('room:names');
    expect(first).toEqual({ full: true, names: [{ pid: ada.pid, name: 'Ada' }] });

    const bob = await joinStudent(server.url, d, room.code, 'Bob');
    const bobInbox = new Inbox(bob.socket, ['room:names']);
    const all = await bobInbox.next('room:names');
    expect(all.full).toBe(true);
    expect(all.names).toEqual(expect.arrayContaining([{ pid: ada.pid, name: 'Ada' }, { pid: bob.pid, name: 'Bob' }]));
    expect(await adaInbox.next('room:names')).toEqual({ full: false, names: [{ pid: bob.pid, name: 'Bob' }] });

    await must(bob.socket, 'op:exit', {});
    const again = await must(bob.socket, 'student:respawn', {});
    expect(await adaInbox.next('room:names')).toEqual({ full: false, names: [{ pid: again.pid, name: 'Bob' }] });
  });
});
