/**
 * A full room's seats are its present students': one away past the grace
 * period (its process was killed) leaves a seat for someone else, or one
 * client's thousand joins would keep a room full for good.
 */
import { describe, expect, it } from 'vitest';
import { connect, must, raw } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const { server, d } = perTestServer({ graceMs: 100, maxStudentsPerRoom: 2 });

describe('seats in a full room', () => {
  it('come back when a student is away past the grace period', async () => {
    const room = await openRoom(server.url, d);
    const ada = await joinStudent(server.url, d, room.code, 'Ada');
    await joinStudent(server.url, d, room.code, 'Bo');
    const late = d.socket(await connect(server.url));
    expect(await raw(late, 'student:join', { code: room.code, name: 'Cy' })).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    ada.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const cy = await must(late, 'student:join', { code: room.code, name: 'Cy' });
    expect(cy.name).toBe('Cy');
  });
});
