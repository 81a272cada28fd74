/**
 * A graceful restart keeps the lesson: the live chapter, the running
 * exercise (settings and groups), the question on screen with its answers,
 * and the operation log for the export. Processes do not survive (as
 * before); the log goes on in a new segment.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { question } from '@mmap-lab/shared/content/quiz/index.ts';
import { classExport } from '@mmap-lab/shared/protocol/class-export.ts';
import { connect, Disposables, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { startServer, tempDir, type TestServer } from '../server/helpers/server.ts';
import { increment, mapShared, rejoin, student } from './helpers.ts';

const d = new Disposables();
let servers: TestServer[] = [];
let dataDir: string;
afterEach(async () => {
  await d.closeAll();
  for (const s of servers) await s.close();
  servers = [];
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<TestServer> {
  // The periodic flush is pushed out of the way: only the graceful close writes.
  const s = await startServer({ dataDir, slowMotionMs: 20, flushMs: 3_600_000 });
  servers.push(s);
  return s;
}

describe('the lesson across a graceful restart', () => {
  it('keeps the chapter, the running exercise and its groups, the open question and its answers, and the log', async () => {
    dataDir = tempDir();
    const first = await start();
    const room = await openRoom(first.url, d);
    await must(room.teacher, 'teacher:chapter', { chapter: 5 });
    await student(first.url, d, room.code, 'Ada');
    await student(first.url, d, room.code, 'Bo');
    await must(room.teacher, 'teacher:exercise:start', { id: 'shared-vs-private', options: { slowMotion: true } });
    const ada = await student(first.url, d, room.code, 'Ada');
    await mapShared(ada);
    await must(ada.socket, 'op:store', { map: 1, index: 0, value: 0x41 });
    const q = question('c5-lost-update')!;
    await must(room.teacher, 'teacher:quiz:push', { questionId: q.id });
    await must(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: 1 });
    const before = (await must(room.teacher, 'teacher:exercise:results', {})).results!;
    expect(before.records).toBe(3);

    await d.closeAll();
    await first.close();
    servers = [];
    const second = await start();

    const teacher = d.socket(await connect(second.url));
    const { board } = await must(teacher, 'teacher:attach', { code: room.code, credential: room.credential });
    expect(board.room.chapter).toBe(5);
    expect(board.view.processes).toEqual([]);
    expect(board.lesson).toMatchObject({
      chapter: 5, ordering: 'slow-motion',
      exercise: { id: 'shared-vs-private', run: 1, slowMotion: true },
      groups: { kind: 'halves', shared: ['Ada'], private: ['Bo'] },
      quiz: { question: { questionId: q.id }, answered: 1, revealed: false },
    });
    expect(board.fileHex.slice(0, 2)).toBe('41');

    const back = await rejoin(second.url, d, room.code, ada);
    expect(back.joined.lesson).toMatchObject({ chapter: 5, ordering: 'slow-motion', exercise: { id: 'shared-vs-private' }, quiz: { reveal: null } });
    expect(back.joined.assignment).toEqual({ kind: 'half', half: 'shared', flags: 'MAP_SHARED' });
    expect(await must(back.socket, 'student:quiz:answer', { questionId: q.id, choice: q.answer })).toEqual({ status: 'changed' });
    await mapShared(back);
    await increment(back, false);
    const { reveal } = await must(teacher, 'teacher:quiz:reveal', {});
    expect(reveal).toMatchObject({ total: 1, correct: 1 });

    const stopped = await must(teacher, 'teacher:exercise:stop', {});
    expect(stopped.results).toMatchObject({ run: 1, final: true, records: 4 });
    const res = await fetch(`${second.url}/api/rooms/${room.code}/export.json`, { headers: { authorization: `Bearer ${room.credential}` } });
    const doc = classExport.parse(await res.json());
    expect(doc.segments.map((s) => [s.reason, s.records])).toEqual([['created', 0], ['exercise', 3], ['restart', 4]]);
    expect(doc.runs[0].parts.map((p) => [p.segment, p.records])).toEqual([[2, 3], [3, 4]]);
    expect(doc.runs[0].parts[0].exercise).toEqual(before.exercise);
    expect(doc.quiz.answers).toEqual([{ questionId: q.id, student: 'Ada', choice: q.answer, at: expect.any(Number) }]);
  });
});
