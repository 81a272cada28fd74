/**
 * Every exercise launch reboots the room and everyone joins again. Quiz
 * answers, groups and partners follow names, so a name must stay with the
 * student who had it: the join key their page keeps brings it back, and
 * nobody else may take it.
 */
import { describe, expect, it } from 'vitest';
import { question } from '@mmap-lab/shared/content/quiz/index.ts';
import { connect, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';

const { server, d } = perTestServer();

async function join(code: string, name: string, key: string) {
  const socket = d.socket(await connect(server.url));
  return { socket, joined: await must(socket, 'student:join', { code, name, key }) };
}

describe('names after a reboot', () => {
  it('keeps a name for the student who had it: a classmate who rejoins first with it gets another', async () => {
    const room = await openRoom(server.url, d);
    const ada = await join(room.code, 'Ada', 'ada-key-0123456789abcdef');
    await join(room.code, 'Bob', 'bob-key-0123456789abcdef');
    const q = question('c5-lost-update')!;
    await must(room.teacher, 'teacher:quiz:push', { questionId: q.id });
    await must(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: q.answer });
    await must(room.teacher, 'teacher:exercise:start', { id: 'deadlock', options: {} });

    const mallory = await join(room.code, 'Ada', 'mallory-key-0123456789ab');
    expect(mallory.joined.name).toBe('Ada 2');
    expect(mallory.joined.lesson.quiz?.chosen ?? null).toBeNull();
    const keyless = d.socket(await connect(server.url));
    expect((await must(keyless, 'student:join', { code: room.code, name: 'Ada' })).name).toBe('Ada 3');
    const adaAgain = await join(room.code, 'Ada', 'ada-key-0123456789abcdef');
    expect(adaAgain.joined.name).toBe('Ada');
    expect(adaAgain.joined.lesson.quiz?.chosen).toBe(q.answer);
  });

  it('gives a returning student its own name back even if the page asks for another', async () => {
    const room = await openRoom(server.url, d);
    await join(room.code, 'Ada', 'ada-key-0123456789abcdef');
    await must(room.teacher, 'teacher:exercise:start', { id: 'deadlock', options: {} });
    const back = await join(room.code, 'Ada Lovelace', 'ada-key-0123456789abcdef');
    expect(back.joined.name).toBe('Ada');
  });
});
