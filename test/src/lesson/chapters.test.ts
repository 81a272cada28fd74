/** Chapters, teacher-paced: the teacher sets the live chapter, students are told, newcomers start on it. */
import { describe, expect, it } from 'vitest';
import { call, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, student } from './helpers.ts';

const { server, d } = perTestServer();

describe('live chapter', () => {
  it('starts at chapter 0; the teacher moves the class and every student and board hears', async () => {
    const room = await openRoom(server.url, d);
    expect(room.board.room.chapter).toBe(0);
    expect(room.board.lesson).toMatchObject({ chapter: 0, ordering: 'arrival', exercise: null, quiz: null });
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    const ada = await student(server.url, d, room.code, 'Ada');
    const bo = await student(server.url, d, room.code, 'Bo');
    expect(ada.joined.lesson).toEqual({ chapter: 0, ordering: 'arrival', exercise: null, quiz: null });
    expect(ada.joined.assignment).toEqual({ kind: 'none' });

    expect((await must(room.teacher, 'teacher:chapter', { chapter: 3 })).room.chapter).toBe(3);
    expect(await ada.inbox.next('lesson:chapter')).toEqual({ chapter: 3 });
    expect(await bo.inbox.next('lesson:chapter')).toEqual({ chapter: 3 });
    expect((await board.next('board:lesson')).lesson.chapter).toBe(3);
    expect((await board.next('board:update', (u) => u.room !== undefined)).room?.chapter).toBe(3);

    const late = await student(server.url, d, room.code, 'Cy');
    expect(late.joined.room.chapter).toBe(3);
    expect(late.joined.lesson.chapter).toBe(3);
    const info = (await (await fetch(`${server.url}/api/rooms/${room.code}`)).json()) as { room: { chapter: number } };
    expect(info.room.chapter).toBe(3);
  });

  it('refuses chapters that do not exist and students who try to set one', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    for (const chapter of [-1, 9, 2.5, '3']) {
      expect(await call(room.teacher, 'teacher:chapter', { chapter } as never)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    expect(await call(ada.socket, 'teacher:chapter', { chapter: 2 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await must(room.teacher, 'teacher:chapter', { chapter: 8 })).room.chapter).toBe(8);
  });
});
