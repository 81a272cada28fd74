/** The lesson's events against students who try teacher things, junk payloads and floods: refused, the room unchanged. */
import { describe, expect, it } from 'vitest';
import { CLIENT_EVENT_NAMES, clientEvents, type ClientEventName } from '@mmap-lab/shared/protocol/events.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { call, connect, must, raw } from '../server/helpers/client.ts';
import { boardState, openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { mapShared, student } from './helpers.ts';

const { server, d } = perTestServer();

/** A valid payload for each of the lesson's teacher events. */
const LESSON_TEACHER_EVENTS: Partial<Record<ClientEventName, unknown>> = {
  'teacher:chapter': { chapter: 1 },
  'teacher:exercise:start': { id: 'deadlock' },
  'teacher:exercise:results': {},
  'teacher:exercise:stop': {},
  'teacher:scheduler:start': {},
  'teacher:scheduler:run': { id: 1 },
  'teacher:scheduler:round-robin': {},
  'teacher:scheduler:random': {},
  'teacher:scheduler:undo': {},
  'teacher:scheduler:redo': {},
  'teacher:scheduler:replay': {},
  'teacher:scheduler:stop': {},
  'teacher:quiz:bank': { chapter: 0 },
  'teacher:quiz:push': { questionId: 'c0-read-copies' },
  'teacher:quiz:reveal': {},
  'teacher:quiz:results': {},
};

/** Payloads each event must refuse with INVALID_PAYLOAD. */
const JUNK: Partial<Record<ClientEventName, unknown[]>> = {
  'teacher:chapter': [{}, { chapter: null }, { chapter: 1e9 }, 'chapter'],
  'teacher:exercise:start': [{}, { id: 'DEADLOCK' }, { id: 'deadlock', options: { increments: 'many' } }, { id: 'deadlock', options: [] }],
  'teacher:scheduler:start': [{ seed: -1 }, { seed: 1.5 }, { seed: '7' }],
  'teacher:scheduler:run': [{}, { id: 0 }, { id: '1' }, { id: 2 ** 53 }],
  'teacher:scheduler:random': [{ seed: 2 ** 32 }],
  'teacher:quiz:bank': [{}, { chapter: -1 }, { chapter: '5' }, { chapter: 0.5 }],
  'teacher:quiz:push': [{}, { questionId: '' }, { questionId: 'x'.repeat(65) }, { questionId: 'C0 READ' }],
};

describe('the lesson against hostile clients', () => {
  it('covers every lesson event the protocol has', () => {
    const lesson = CLIENT_EVENT_NAMES.filter((e) => clientEvents[e].role === 'teacher' && /^teacher:(chapter|exercise|scheduler|quiz)/.test(e));
    expect(lesson.sort()).toEqual(Object.keys(LESSON_TEACHER_EVENTS).sort());
  });

  it('refuses every lesson teacher event from a student and from a socket that never joined; the room is unchanged', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(ada.socket, 'op:open', { mode: 'O_RDWR' });
    const before = await boardState(server.url, d, room.code, room.credential);
    const stranger = d.socket(await connect(server.url));
    for (const [event, payload] of Object.entries(LESSON_TEACHER_EVENTS)) {
      expect(await raw(ada.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await raw(stranger, event, payload), event).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    }
    expect(await raw(stranger, 'student:quiz:answer', { questionId: 'c0-read-copies', choice: 0 })).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    expect(await boardState(server.url, d, room.code, room.credential)).toEqual(before);
  });

  it('answers junk payloads with INVALID_PAYLOAD and changes nothing', async () => {
    const room = await openRoom(server.url, d);
    await student(server.url, d, room.code, 'Ada');
    const before = await boardState(server.url, d, room.code, room.credential);
    for (const [event, payloads] of Object.entries(JUNK)) {
      for (const payload of payloads!) {
        expect(await raw(room.teacher, event, payload), `${event} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      }
    }
    expect(await boardState(server.url, d, room.code, room.credential)).toEqual(before);
  });

  it('caps what one student may queue for the teacher; the others go on', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    const bo = await student(server.url, d, room.code, 'Bo');
    await mapShared(ada);
    await must(room.teacher, 'teacher:scheduler:start', {});
    const flood = Array.from({ length: LIMITS.QUEUED_PER_PROCESS + 4 }, () => call(ada.socket, 'op:load', { map: 1, index: 0 }));
    for (let i = 0; i < LIMITS.QUEUED_PER_PROCESS; i++) await ada.inbox.next('op:queued');
    const refused = await Promise.all(flood.slice(LIMITS.QUEUED_PER_PROCESS));
    for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const boOp = call(bo.socket, 'op:open', { mode: 'O_RDWR' });
    expect((await bo.inbox.next('op:queued')).position).toBe(LIMITS.QUEUED_PER_PROCESS);
    const drained = await must(room.teacher, 'teacher:scheduler:stop', {});
    expect(drained.steps).toHaveLength(LIMITS.QUEUED_PER_PROCESS + 1);
    expect(await boOp).toMatchObject({ ok: true, data: { outcome: { result: { kind: 'fd', fd: 3 } } } });
    for (const r of await Promise.all(flood.slice(0, LIMITS.QUEUED_PER_PROCESS))) expect(r.ok).toBe(true);
  });
});
