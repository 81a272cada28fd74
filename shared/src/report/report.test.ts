import { describe, expect, it } from 'vitest';
import { questionsFor } from '../content/quiz/questions.ts';
import type { QuizAnswer } from '../content/quiz/round.ts';
import { exerciseResults } from '../exercises/results.ts';
import { EXERCISE_IDS } from '../exercises/catalog.ts';
import { TestRoom } from '../exercises/test/room.ts';
import { exportTraceDetailed } from '../trace/export.ts';
import { parseTrace } from '../trace/parse.ts';
import { runTrace } from '../trace/run.ts';
import { classReport, exerciseTable, quizAnswersTable, quizResultsTable, rosterTable } from './class-report.ts';
import { tableCsv, toCsv } from './csv.ts';

describe('CSV', () => {
  it('quotes what needs quoting and keeps names from running as formulas', () => {
    expect(toCsv(['a', 'b'], [['x, y', 'say "hi"'], ['two\nlines', 3], ['=HYPERLINK("x")', -1], ['@me', null], [' pad', true]])).toBe(
      'a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",3\r\n"\'=HYPERLINK(""x"")",-1\r\n\'@me,\r\n" pad",true\r\n',
    );
  });

  it('writes the roster', () => {
    expect(tableCsv(rosterTable([{ pid: 1, name: 'Zoë', connected: true }, { pid: 2, name: '+1 Bo', connected: false }]))).toBe(
      "name,pid,connected\r\nZoë,1,true\r\n'+1 Bo,2,false\r\n",
    );
  });
});

describe('the class report', () => {
  function lessonRoom() {
    const room = new TestRoom(new Uint8Array(16), 16);
    const [a, b] = [room.join('Ada'), room.join('Bo, Jr.')];
    a.map();
    b.map();
    const va = a.load(0);
    b.lock(0);
    b.store(0, b.load(0) + 1);
    b.unlock(0);
    a.store(0, va + 1);
    return room;
  }

  it('has a table per exercise, the roster and the quiz, each as CSV', () => {
    const room = lessonRoom();
    const [q1, q2] = questionsFor(5);
    const answers: QuizAnswer[] = [
      { questionId: q1.id, student: 'Ada', choice: q1.answer },
      { questionId: q2.id, student: 'Bo, Jr.', choice: 0, at: 1200 },
    ];
    const input = {
      room: { code: 'ABCD', pageSize: 16, template: 'counter' },
      roster: [{ pid: 1, name: 'Ada', connected: true }, { pid: 2, name: 'Bo, Jr.', connected: true }],
      exercises: EXERCISE_IDS.map((id) => exerciseResults(id, room.log)),
      questions: [q1, q2],
      answers,
    };
    const tables = [
      rosterTable(input.roster), ...input.exercises.map(exerciseTable), quizAnswersTable(input.questions, input.answers),
      quizResultsTable(input.questions, input.answers),
    ];
    expect(tables.map((t) => t.name)).toEqual([
      'roster', ...EXERCISE_IDS.map((id) => `exercise-${id}`), 'quiz-answers', 'quiz-results',
    ]);
    for (const t of tables) for (const row of t.rows) expect(row).toHaveLength(t.columns.length);
    const race = tables.find((t) => t.name === 'exercise-counter-race')!;
    expect(tableCsv(race)).toBe('name,pids,increments,lost,overwrote,done\r\nAda,1,1,0,1,false\r\n"Bo, Jr.",2,1,1,0,false\r\n');
    const quiz = tables.find((t) => t.name === 'quiz-answers')!;
    expect(quiz.rows).toEqual([
      ['Ada', q1.id, 5, String.fromCharCode(65 + q1.answer), q1.choices[q1.answer], true, null],
      ['Bo, Jr.', q2.id, 5, 'A', q2.choices[0], q2.answer === 0, 1200],
    ]);
  });

  it('is one JSON document, with a trace that replays the class', () => {
    const room = lessonRoom();
    const trace = exportTraceDetailed(room.log);
    const json = JSON.stringify(classReport({
      room: { code: 'ABCD', pageSize: 16, template: 'counter' },
      roster: [],
      exercises: [exerciseResults('counter-race', room.log)],
      questions: [],
      answers: [],
      trace: trace.text,
    }));
    const back = JSON.parse(json) as ReturnType<typeof classReport>;
    expect(back).toMatchObject({ format: 'mmap-lab class report', version: 1, room: { code: 'ABCD' } });
    expect(back.exercises[0]).toMatchObject({ id: 'counter-race', results: { expected: 2, actual: 1, lost: 1 } });
    expect(runTrace(parseTrace(back.trace!)).lines).toEqual(trace.expected);
  });
});
