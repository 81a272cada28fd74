/** The deadlock exercise with an odd class: the student left over learns their partner the moment one joins. */
import { describe, expect, it } from 'vitest';
import { connect, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';

const { server, d } = perTestServer();

/** A student on a socket of its own, listening for assignments from before it joins. */
async function join(code: string, name: string) {
  const socket = d.socket(await connect(server.url));
  const inbox = new Inbox(socket, ['lesson:assignment', 'room:rebooted']);
  const joined = await must(socket, 'student:join', { code, name });
  return { socket, inbox, joined };
}

describe('a late partner in the deadlock exercise', () => {
  it('tells the waiting student their partner and role when the next student joins, and nobody else', async () => {
    const room = await openRoom(server.url, d);
    const first = [await join(room.code, 'Ada'), await join(room.code, 'Bo'), await join(room.code, 'Eve')];
    await must(room.teacher, 'teacher:exercise:start', { id: 'deadlock', options: {} });
    for (const s of first) await s.inbox.next('room:rebooted');
    const [ada, bo, eve] = [await join(room.code, 'Ada'), await join(room.code, 'Bo'), await join(room.code, 'Eve')];
    expect(eve.joined.assignment).toMatchObject({ kind: 'pair', pair: 1, partner: null, role: 1 });

    const fay = await join(room.code, 'Fay');
    expect(fay.joined.assignment).toMatchObject({ pair: 1, partner: 'Eve', role: 2 });
    expect(await eve.inbox.next('lesson:assignment')).toEqual({
      assignment: { kind: 'pair', pair: 1, partner: 'Fay', role: 1, first: { start: 2, len: 1 }, second: { start: 3, len: 1 } },
    });
    // Ada and Bo's pair did not change; Fay heard hers in the join reply.
    for (const s of [ada, bo, fay]) expect(s.inbox.of('lesson:assignment')).toEqual([]);
    // Eve on a new socket is told the same in her join reply.
    const back = await must(d.socket(await connect(server.url)), 'student:resume', { code: room.code, token: eve.joined.token });
    expect(back.assignment).toMatchObject({ pair: 1, partner: 'Fay', role: 1 });
  });
});
