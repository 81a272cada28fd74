import type { QuizQuestion } from '../content/quiz/types.ts';
import { quizResults, type QuizAnswer, type QuizScoring } from '../content/quiz/round.ts';
import type { ExerciseResults } from '../exercises/results.ts';
import type { Table } from './csv.ts';

/** A roster row as the server keeps it. */
export interface RosterEntry {
  pid: number;
  name: string;
  connected: boolean;
}

export function rosterTable(roster: readonly RosterEntry[]): Table {
  return { name: 'roster', columns: ['name', 'pid', 'connected'], rows: roster.map((r) => [r.name, r.pid, r.connected]) };
}

const pids = (list: readonly number[]) => list.join(' ');

/** The main table of an exercise's results: one row per student (or pair, or seat). */
export function exerciseTable(r: ExerciseResults): Table {
  const name = `exercise-${r.id}`;
  switch (r.id) {
    case 'counter-race':
      return {
        name,
        columns: ['name', 'pids', 'increments', 'lost', 'overwrote', 'done'],
        rows: r.results.students.map((s) => [s.name, pids(s.pids), s.increments, s.lost, s.overwrote, s.done]),
      };
    case 'locked-counter': {
      const waits = new Map(r.results.waitTotals.map((w) => [w.name, w]));
      return {
        name,
        columns: ['name', 'pids', 'increments', 'lost', 'done', 'waits', 'wait_steps', 'wait_ms'],
        rows: r.results.students.map((s) => {
          const w = waits.get(s.name);
          return [s.name, pids(s.pids), s.increments, s.lost, s.done, w?.waits ?? 0, w?.steps ?? 0, w?.ms ?? null];
        }),
      };
    }
    case 'deadlock':
      return { name, columns: ['a', 'b', 'outcome', 'refused'], rows: r.results.pairs.map((p) => [p.a, p.b, p.outcome, p.refused]) };
    case 'seat-booking':
      return {
        name,
        columns: ['name', 'claims', 'seats_held', 'lost_seats'],
        rows: r.results.students.map((s) => [s.name, s.claims, s.seatsHeld, s.lostSeats]),
      };
    case 'crash-course':
      return {
        name,
        columns: ['name', 'pids', 'store_read_only', 'after_munmap', 'past_eof', 'refused', 'done'],
        rows: r.results.students.map((s) => [s.name, pids(s.pids), s.goals.storeReadOnly, s.goals.afterMunmap, s.goals.pastEof, s.goals.refused, s.done]),
      };
    case 'see-it-change':
    case 'shared-vs-private':
      return {
        name,
        columns: ['name', 'pids', 'mapping', 'stores', 'saw_others', 'seen_by_others'],
        rows: r.results.students.map((s) => [s.name, pids(s.pids), s.mapping, s.stores, s.sawOthers, s.seenByOthers]),
      };
    case 'demo-program':
      return {
        name,
        columns: ['name', 'pids', 'runs', 'offsets', 'refused', 'faults'],
        rows: r.results.students.map((s) => [s.name, pids(s.pids), s.runs.length, s.runs.map((x) => x.offset).join(' '), s.refused, s.faults]),
      };
  }
}

const letter = (choice: number) => String.fromCharCode(65 + choice);

/** Every final answer: one row per student and question. */
export function quizAnswersTable(questions: readonly QuizQuestion[], answers: readonly QuizAnswer[]): Table {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const final = new Map<string, QuizAnswer>();
  for (const a of answers) if (byId.has(a.questionId)) final.set(JSON.stringify([a.questionId, a.student]), a);
  return {
    name: 'quiz-answers',
    columns: ['name', 'question', 'chapter', 'choice', 'answer_text', 'correct', 'ms'],
    rows: [...final.values()].map((a) => {
      const q = byId.get(a.questionId)!;
      return [a.student, q.id, q.chapter, letter(a.choice), q.choices[a.choice] ?? null, a.choice === q.answer, a.at ?? null];
    }),
  };
}

export function quizResultsTable(questions: readonly QuizQuestion[], answers: readonly QuizAnswer[], scoring: QuizScoring = {}): Table {
  return {
    name: 'quiz-results',
    columns: ['name', 'answered', 'correct', 'points'],
    rows: quizResults(questions, answers, scoring).map((r) => [r.student, r.answered, r.correct, r.points]),
  };
}

/** Everything the teacher takes home, as one JSON document. */
export interface ClassReport {
  format: 'mmap-lab class report';
  version: 1;
  room: { code: string; pageSize: number; template: string };
  roster: RosterEntry[];
  exercises: ExerciseResults[];
  quiz: { questions: QuizQuestion[]; answers: QuizAnswer[]; results: ReturnType<typeof quizResults> };
  /** The class's interleaving as a trace (trace/export.ts), to replay with `pnpm trace`. */
  trace?: string;
}

export interface ClassReportInput {
  room: ClassReport['room'];
  roster: readonly RosterEntry[];
  exercises: readonly ExerciseResults[];
  /** The questions that were asked, and every answer given. */
  questions: readonly QuizQuestion[];
  answers: readonly QuizAnswer[];
  scoring?: QuizScoring;
  trace?: string;
}

export function classReport(input: ClassReportInput): ClassReport {
  const report: ClassReport = {
    format: 'mmap-lab class report',
    version: 1,
    room: { ...input.room },
    roster: input.roster.map((r) => ({ ...r })),
    exercises: [...input.exercises],
    quiz: {
      questions: [...input.questions],
      answers: [...input.answers],
      results: quizResults(input.questions, input.answers, input.scoring),
    },
  };
  if (input.trace !== undefined) report.trace = input.trace;
  return report;
}
