/** The live quiz round-trips: push, answers (changeable until the reveal), live histogram, reveal to all, results. */
import { describe, expect, it } from 'vitest';
import { question, questionsFor } from '@mmap-lab/shared/content/quiz/index.ts';
import { call, connect, Inbox, must } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { BOARD_EVENTS, student } from './helpers.ts';

const { server, d } = perTestServer();

describe('live quiz', () => {
  it('lists a chapter\'s questions to the teacher for the picker, without answers; students may not ask', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    const { questions } = await must(room.teacher, 'teacher:quiz:bank', { chapter: 5 });
    expect(questions).toEqual(questionsFor(5).map((q) => ({ questionId: q.id, chapter: 5, prompt: q.prompt, choices: q.choices })));
    expect(await call(ada.socket, 'teacher:quiz:bank', { chapter: 5 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(room.teacher, 'teacher:quiz:bank', { chapter: 9 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  });

  it('pushes a question without its answer, takes one changeable answer per student, shows a live histogram, reveals to all', async () => {
    const q = question('c0-read-copies')!;
    const room = await openRoom(server.url, d);
    const board = new Inbox(room.teacher, BOARD_EVENTS);
    const [ada, bo, cy] = [await student(server.url, d, room.code, 'Ada'), await student(server.url, d, room.code, 'Bo'), await student(server.url, d, room.code, 'Cy')];

    const pushed = await must(room.teacher, 'teacher:quiz:push', { questionId: q.id });
    expect(pushed.quiz).toMatchObject({ answer: q.answer, explanation: q.explanation, histogram: [0, 0, 0, 0], answered: 0, revealed: false });
    const onScreen = await ada.inbox.next('quiz:question');
    expect(onScreen).toEqual({ round: 1, question: { questionId: q.id, chapter: 0, prompt: q.prompt, choices: q.choices } });
    expect(JSON.stringify(onScreen)).not.toContain(q.explanation);

    expect(await must(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: 0 })).toEqual({ status: 'accepted' });
    expect(await must(bo.socket, 'student:quiz:answer', { questionId: q.id, choice: 2 })).toEqual({ status: 'accepted' });
    expect(await must(bo.socket, 'student:quiz:answer', { questionId: q.id, choice: 0 })).toEqual({ status: 'changed' });
    expect(await must(cy.socket, 'student:quiz:answer', { questionId: q.id, choice: 3 })).toEqual({ status: 'accepted' });
    const live = await board.next('board:quiz', (b) => b.quiz.answered === 3);
    expect(live.quiz.histogram).toEqual([2, 0, 0, 1]);

    // Bad answers change nothing.
    expect(await call(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: 5 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: 99 })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await call(ada.socket, 'student:quiz:answer', { questionId: 'c1-wronly', choice: 0 })).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    expect(await call(room.teacher, 'student:quiz:answer', { questionId: q.id, choice: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(room.teacher, 'teacher:quiz:push', { questionId: 'c9-nope' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });

    const { reveal } = await must(room.teacher, 'teacher:quiz:reveal', {});
    const expected = { questionId: q.id, answer: q.answer, explanation: q.explanation, histogram: [2, 0, 0, 1], correct: 2, total: 3 };
    expect(reveal).toEqual(expected);
    for (const s of [ada, bo, cy]) expect(await s.inbox.next('quiz:reveal')).toEqual(expected);
    expect(await board.next('quiz:reveal')).toEqual(expected);
    expect(await call(cy.socket, 'student:quiz:answer', { questionId: q.id, choice: 0 })).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });

    const late = await student(server.url, d, room.code, 'Dee');
    expect(late.joined.lesson.quiz).toEqual({ round: 1, question: onScreen.question, reveal: expected, chosen: null });

    const { results } = await must(room.teacher, 'teacher:quiz:results', {});
    expect(results.map((r) => [r.student, r.answered, r.correct, r.points])).toEqual([['Ada', 1, 1, 1], ['Bo', 1, 1, 1], ['Cy', 1, 0, 0]]);
  });

  it('keeps results across questions; a new question replaces the one on screen', async () => {
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    const first = question('c1-wronly')!;
    const second = question('c1-rdonly-shared-write')!;
    await must(room.teacher, 'teacher:quiz:push', { questionId: first.id });
    await must(ada.socket, 'student:quiz:answer', { questionId: first.id, choice: first.answer });
    await must(room.teacher, 'teacher:quiz:push', { questionId: second.id });
    expect(await call(ada.socket, 'student:quiz:answer', { questionId: first.id, choice: 0 })).toMatchObject({ ok: false, error: { code: 'WRONG_STATE' } });
    await must(ada.socket, 'student:quiz:answer', { questionId: second.id, choice: (second.answer + 1) % second.choices.length });
    await must(room.teacher, 'teacher:quiz:reveal', {});
    const { results } = await must(room.teacher, 'teacher:quiz:results', {});
    expect(results).toEqual([{
      student: 'Ada', answered: 2, correct: 1, points: 1,
      answers: [
        { questionId: first.id, choice: first.answer, correct: true },
        { questionId: second.id, choice: (second.answer + 1) % second.choices.length, correct: false },
      ],
    }]);
  });

  it('leaves the question on screen out of the results until its reveal: the board is on the projector, and its answers may still change', async () => {
    const first = question('c1-wronly')!;
    const second = question('c0-read-copies')!;
    const room = await openRoom(server.url, d);
    const [ada, bo] = [await student(server.url, d, room.code, 'Ada'), await student(server.url, d, room.code, 'Bo')];
    await must(room.teacher, 'teacher:quiz:push', { questionId: first.id });
    await must(ada.socket, 'student:quiz:answer', { questionId: first.id, choice: first.answer });
    await must(room.teacher, 'teacher:quiz:reveal', {});
    await must(room.teacher, 'teacher:quiz:push', { questionId: second.id });
    await must(ada.socket, 'student:quiz:answer', { questionId: second.id, choice: second.answer });
    await must(bo.socket, 'student:quiz:answer', { questionId: second.id, choice: (second.answer + 1) % second.choices.length });
    const before = await must(room.teacher, 'teacher:quiz:results', {});
    expect(before.results.map((r) => [r.student, r.answered, r.correct])).toEqual([['Ada', 1, 1]]);
    await must(room.teacher, 'teacher:quiz:reveal', {});
    const after = await must(room.teacher, 'teacher:quiz:results', {});
    expect(after.results.map((r) => [r.student, r.answered, r.correct])).toEqual([['Ada', 2, 2], ['Bo', 1, 0]]);
  });

  it('tells a student who comes back their own answer for the round on screen, and none once the question is asked again', async () => {
    const q = question('c0-read-copies')!;
    const room = await openRoom(server.url, d);
    const ada = await student(server.url, d, room.code, 'Ada');
    await must(room.teacher, 'teacher:quiz:push', { questionId: q.id });
    await must(ada.socket, 'student:quiz:answer', { questionId: q.id, choice: 2 });
    const resume = async () => {
      const socket = d.socket(await connect(server.url));
      return (await must(socket, 'student:resume', { code: room.code, token: ada.joined.token })).lesson.quiz;
    };
    expect(await resume()).toMatchObject({ round: 1, question: { questionId: q.id }, reveal: null, chosen: 2 });
    // Revealed, her answer still stands beside the right one.
    const { reveal } = await must(room.teacher, 'teacher:quiz:reveal', {});
    expect(await resume()).toEqual({ round: 1, question: expect.objectContaining({ questionId: q.id }), reveal, chosen: 2 });
    // The same question again is a new round she has not answered.
    await must(room.teacher, 'teacher:quiz:push', { questionId: q.id });
    expect(await resume()).toEqual({ round: 2, question: expect.objectContaining({ questionId: q.id }), reveal: null, chosen: null });
  });
});
