import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../trace/parse.ts';
import { runTrace } from '../../trace/run.ts';
import { CHAPTERS } from '../lesson/index.ts';
import { QUESTIONS, question, questionsFor } from './questions.ts';
import { QuizRound, quizResults, tally, type QuizAnswer } from './round.ts';

describe('the quiz bank', () => {
  it('has at least two questions per chapter, each well formed', () => {
    for (const c of CHAPTERS) expect(questionsFor(c.number).length).toBeGreaterThanOrEqual(2);
    expect(new Set(QUESTIONS.map((q) => q.id)).size).toBe(QUESTIONS.length);
    for (const q of QUESTIONS) {
      expect(q.id.startsWith(`c${q.chapter}-`)).toBe(true);
      expect(q.choices.length).toBeGreaterThanOrEqual(3);
      expect(new Set(q.choices).size).toBe(q.choices.length);
      expect(q.answer).toBeGreaterThanOrEqual(0);
      expect(q.answer).toBeLessThan(q.choices.length);
      expect(q.explanation.length).toBeGreaterThan(20);
    }
  });

  it('does not always put the right answer in the same place', () => {
    const counts = [0, 0, 0, 0];
    for (const q of QUESTIONS) counts[q.answer]++;
    for (const n of counts) expect(n).toBeLessThan(QUESTIONS.length / 2);
    expect(counts.filter((n) => n > 0).length).toBe(4);
  });
});

describe('answers the kernel can check', () => {
  const run = (text: string) => runTrace(parseTrace(text)).lines.map((l) => l.split(' -> ')[1]);

  it('O_WRONLY cannot be mapped, whatever the protection (c1-wronly)', () => {
    expect(run(`file zeros 16
A open O_WRONLY
A mmap 16 PROT_WRITE MAP_SHARED 3 0
A mmap 16 PROT_READ MAP_PRIVATE 3 0
A mmap 16 PROT_NONE MAP_SHARED 3 0`)).toEqual(['fd 3', 'EACCES', 'EACCES', 'EACCES']);
  });

  it('zero fill and SIGBUS on a 100-byte file (c3-zero-fill, c3-sigbus)', () => {
    expect(run(`file zeros 100
A open O_RDONLY
A mmap 100 PROT_READ MAP_SHARED 3 0
A mmap 8192 PROT_READ MAP_SHARED 3 0
A load m1 200
A load m2 5000`)).toEqual(['fd 3', 'map m1', 'map m2', '0x00', 'SIGBUS']);
  });

  it('closing another descriptor releases every lock (c5-close-releases)', () => {
    expect(run(`file zeros 16
A open O_RDWR
A open O_RDWR
B open O_RDWR
A lock 3 F_SETLK F_WRLCK 0 4
A close 4
B lock 3 F_SETLK F_WRLCK 0 4`)).toEqual(['fd 3', 'fd 4', 'fd 3', 'ok', 'ok', 'ok']);
  });
});

describe('a quiz round', () => {
  const q = question('c2-map-failed')!;

  it('tallies a live histogram where each student counts once, with their latest answer', () => {
    const round = new QuizRound(q);
    expect(round.answer('Ada', 0)).toBe('accepted');
    expect(round.answer('Bo', 1)).toBe('accepted');
    expect(round.histogram()).toEqual([1, 1, 0, 0]);
    expect(round.answer('Ada', 1)).toBe('changed');
    expect(round.answer('Cy', 7)).toBe('invalid');
    expect(round.answer('Cy', 1.5)).toBe('invalid');
    expect(round.histogram()).toEqual([0, 2, 0, 0]);
    expect(round.answers().map((a) => a.student)).toEqual(['Bo', 'Ada']);
  });

  it('reveals the right answer with its explanation, then takes no more answers', () => {
    const round = new QuizRound(q);
    round.answer('Ada', 1);
    round.answer('Bo', 0);
    round.answer('Cy', 1);
    expect(round.reveal()).toEqual({ questionId: q.id, answer: 1, explanation: q.explanation, histogram: [1, 2, 0, 0], correct: 2, total: 3 });
    expect(round.revealed).toBe(true);
    expect(round.answer('Dee', 1)).toBe('closed');
    expect(round.histogram()).toEqual([1, 2, 0, 0]);
  });

  it('tallies a stored list of answers the same way', () => {
    const answers: QuizAnswer[] = [
      { questionId: q.id, student: 'Ada', choice: 0 },
      { questionId: q.id, student: 'Ada', choice: 1 },
      { questionId: 'other', student: 'Bo', choice: 0 },
    ];
    expect(tally(q, answers)).toEqual([0, 1, 0, 0]);
  });
});

describe('quiz results per student', () => {
  const [q1, q2] = questionsFor(5);
  const answers: QuizAnswer[] = [
    { questionId: q1.id, student: 'Ada', choice: q1.answer, at: 9000 },
    { questionId: q1.id, student: 'Bo', choice: q1.answer, at: 1000 },
    { questionId: q2.id, student: 'Ada', choice: (q2.answer + 1) % q2.choices.length, at: 500 },
    { questionId: q2.id, student: 'Ada', choice: q2.answer, at: 800 },
    { questionId: q2.id, student: 'Cy', choice: (q2.answer + 1) % q2.choices.length },
  ];

  it('counts right answers, with no speed scoring by default', () => {
    expect(quizResults([q1, q2], answers)).toEqual([
      { student: 'Ada', answered: 2, correct: 2, points: 2, answers: [{ questionId: q1.id, choice: q1.answer, correct: true }, { questionId: q2.id, choice: q2.answer, correct: true }] },
      { student: 'Bo', answered: 1, correct: 1, points: 1, answers: [{ questionId: q1.id, choice: q1.answer, correct: true }] },
      { student: 'Cy', answered: 1, correct: 0, points: 0, answers: [{ questionId: q2.id, choice: (q2.answer + 1) % q2.choices.length, correct: false }] },
    ]);
  });

  it('adds a bonus for the first right answers only when asked to', () => {
    const points = Object.fromEntries(quizResults([q1, q2], answers, { speed: true }).map((r) => [r.student, r.points]));
    expect(points).toEqual({ Ada: 1.25 + 1.5, Bo: 1.5, Cy: 0 });
  });
});
