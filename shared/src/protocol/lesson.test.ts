import { describe, expect, expectTypeOf, it } from 'vitest';
import { EXERCISE_IDS } from '../exercises/catalog.ts';
import { exerciseResults } from '../exercises/results.ts';
import { TestRoom } from '../exercises/test/room.ts';
import { clientEvents, type ReplyOf, type RequestIn } from './events.ts';
import { exerciseResultsSchema } from './exercise-results.ts';
import { exerciseStartRequest, quizAnswerRequest, teacherChapterRequest } from './lesson-requests.ts';
import { assignment, lessonState } from './lesson.ts';
import { schedulerStartRequest } from './scheduler.ts';

describe('lesson protocol schemas', () => {
  it('carry every exercise\'s results as they are (plain JSON), and the schemas accept them', () => {
    const room = new TestRoom(new Uint8Array(64), 16);
    const [a, b] = [room.join('Ada'), room.join('Bo')];
    a.map();
    b.map();
    b.store(0, a.load(0) + 1);
    a.store(0, 1);
    for (const id of EXERCISE_IDS) {
      const results = exerciseResults(id, room.log);
      const wire = JSON.parse(JSON.stringify(results));
      expect(exerciseResultsSchema.parse(wire), id).toEqual(wire);
      expect(wire, id).toEqual(results);
    }
  });

  it('validate the teacher\'s and students\' payloads', () => {
    expect(exerciseStartRequest.parse({ id: 'deadlock' })).toEqual({ id: 'deadlock', options: {} });
    expect(exerciseStartRequest.safeParse({ id: 'counter-race', options: { increments: 101 } }).success).toBe(false);
    expect(teacherChapterRequest.safeParse({ chapter: 9 }).success).toBe(false);
    expect(quizAnswerRequest.safeParse({ questionId: 'c0-read-copies', choice: -1 }).success).toBe(false);
    expect(quizAnswerRequest.safeParse({ questionId: '<script>', choice: 0 }).success).toBe(false);
    expect(schedulerStartRequest.safeParse({ seed: 2 ** 32 }).success).toBe(false);
    expect(clientEvents['student:quiz:answer'].role).toBe('student');
    expect(clientEvents['teacher:scheduler:undo'].role).toBe('teacher');
  });

  it('type the events from the schemas', () => {
    expectTypeOf<RequestIn<'teacher:exercise:start'>>().toExtend<{ id: string; options?: { increments?: number; slowMotion?: boolean } }>();
    expectTypeOf<ReplyOf<'student:quiz:answer'>>().toEqualTypeOf<{ status: 'accepted' | 'changed' }>();
    expectTypeOf<ReplyOf<'teacher:scheduler:undo'>['undone']>().toEqualTypeOf<{ id: number; pid: number; name: string; c: string } | null>();
    // @ts-expect-error a chapter is a number
    const wrong: RequestIn<'teacher:chapter'> = { chapter: '3' };
    void wrong;
    expect(lessonState.parse({ chapter: 0, ordering: 'arrival', exercise: null, quiz: null }).ordering).toBe('arrival');
    expect(assignment.safeParse({ kind: 'pair', pair: 0, partner: null, role: 3, first: { start: 0, len: 1 }, second: { start: 1, len: 1 } }).success).toBe(false);
  });
});
