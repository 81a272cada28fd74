import type { QuizQuestion } from './types.ts';

/** One student's answer to one question. `at`: milliseconds after the question was pushed, if the server keeps time. */
export interface QuizAnswer {
  questionId: string;
  student: string;
  choice: number;
  at?: number;
}

export type AnswerStatus = 'accepted' | 'changed' | 'closed' | 'invalid';

/** What the board shows when the teacher reveals the answer. */
export interface QuizReveal {
  questionId: string;
  answer: number;
  explanation: string;
  histogram: number[];
  correct: number;
  total: number;
}

/**
 * Answers counted per choice. A student counts once, with their latest
 * answer (students may change their mind until the reveal).
 */
export function tally(question: QuizQuestion, answers: Iterable<QuizAnswer>): number[] {
  const latest = new Map<string, number>();
  for (const a of answers) if (a.questionId === question.id && validChoice(question, a.choice)) latest.set(a.student, a.choice);
  const histogram = question.choices.map(() => 0);
  for (const choice of latest.values()) histogram[choice]++;
  return histogram;
}

const validChoice = (q: QuizQuestion, choice: number) => Number.isInteger(choice) && choice >= 0 && choice < q.choices.length;

/**
 * One question pushed to the class: open for answers (each student may
 * change theirs) until the teacher reveals the right one; then closed.
 */
export class QuizRound {
  readonly question: QuizQuestion;
  readonly #answers = new Map<string, QuizAnswer>();
  #revealed = false;

  constructor(question: QuizQuestion) {
    this.question = question;
  }

  get revealed(): boolean {
    return this.#revealed;
  }

  answer(student: string, choice: number, at?: number): AnswerStatus {
    if (this.#revealed) return 'closed';
    if (!validChoice(this.question, choice)) return 'invalid';
    const had = this.#answers.has(student);
    // Re-inserting moves the student to the end: the list stays in answering order.
    this.#answers.delete(student);
    this.#answers.set(student, { questionId: this.question.id, student, choice, ...(at === undefined ? {} : { at }) });
    return had ? 'changed' : 'accepted';
  }

  histogram(): number[] {
    return tally(this.question, this.#answers.values());
  }

  reveal(): QuizReveal {
    this.#revealed = true;
    const histogram = this.histogram();
    return {
      questionId: this.question.id,
      answer: this.question.answer,
      explanation: this.question.explanation,
      histogram,
      correct: histogram[this.question.answer],
      total: histogram.reduce((a, b) => a + b, 0),
    };
  }

  /** This student's latest choice, if they answered. */
  choiceOf(student: string): number | undefined {
    return this.#answers.get(student)?.choice;
  }

  /** Each student's final answer, in the order they (last) answered. */
  answers(): QuizAnswer[] {
    return [...this.#answers.values()];
  }
}

export interface QuizScoring {
  /**
   * Off by default: a right answer is one point, however long it took. On,
   * right answers also earn up to half a point more for being among the
   * first (by `at`).
   */
  speed?: boolean;
}

export interface StudentQuizResult {
  student: string;
  answered: number;
  correct: number;
  points: number;
  answers: { questionId: string; choice: number; correct: boolean }[];
}

/** Per-student results over the questions asked, from each question's final answers. */
export function quizResults(questions: readonly QuizQuestion[], answers: readonly QuizAnswer[], scoring: QuizScoring = {}): StudentQuizResult[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  // The latest answer of each student to each question.
  const final = new Map<string, QuizAnswer>();
  for (const a of answers) {
    const q = byId.get(a.questionId);
    if (q !== undefined && validChoice(q, a.choice)) final.set(JSON.stringify([a.questionId, a.student]), a);
  }
  const bonus = new Map<QuizAnswer, number>();
  if (scoring.speed) {
    for (const q of questions) {
      const right = [...final.values()].filter((a) => a.questionId === q.id && a.choice === q.answer);
      right.sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity));
      right.forEach((a, rank) => bonus.set(a, 0.5 * (1 - rank / right.length)));
    }
  }
  const rows = new Map<string, StudentQuizResult>();
  for (const a of final.values()) {
    let row = rows.get(a.student);
    if (row === undefined) rows.set(a.student, (row = { student: a.student, answered: 0, correct: 0, points: 0, answers: [] }));
    const correct = a.choice === byId.get(a.questionId)!.answer;
    row.answered++;
    if (correct) {
      row.correct++;
      row.points += 1 + (bonus.get(a) ?? 0);
    }
    row.answers.push({ questionId: a.questionId, choice: a.choice, correct });
  }
  for (const row of rows.values()) row.points = Math.round(row.points * 1000) / 1000;
  return [...rows.values()];
}
