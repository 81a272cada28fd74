/** A room's log stops at LOG_MAX_RECORDS: the room goes on; results, the export and undo know the log is only a prefix. */
import { describe, expect, it } from 'vitest';
import { parseTrace, runTrace } from '@mmap-lab/shared';
import { classExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { call, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, increment, mapShared, student } from './helpers.ts';

const { server, d } = perTestServer({ logMaxRecords: 5 });

describe('a full log', () => {
  it('keeps the room running, says so on the board, and makes results and the export say they cover only its start', async () => {
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    await must(room.teacher, 'teacher:exercise:start', { id: 'counter-race', options: { increments: 3 } });
    const ada = await student(server.url, d, room.code, 'Ada');
    await mapShared(ada);
    for (let i = 0; i < 3; i++) await increment(ada, false);
    expect((await must(ada.socket, 'op:load', { map: 1, index: 0 })).outcome.result).toEqual({ kind: 'byte', value: 3 });
    await board.next('board:update', (u) => u.feed.some((f) => f.text.includes('log is full')));

    const { results } = await must(room.teacher, 'teacher:exercise:results', {});
    expect(results).toMatchObject({ records: 5, complete: false, exercise: { results: { increments: 1 } } });
    expect(await call(room.teacher, 'teacher:scheduler:start', {})).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });

    const res = await fetch(`${server.url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
    const segment = classExport.parse(await res.json()).segments.at(-1)!;
    expect(segment).toMatchObject({ records: 5, logFull: true });
    expect(runTrace(parseTrace(segment.trace)).lines).toEqual(segment.expected);
  });
});
