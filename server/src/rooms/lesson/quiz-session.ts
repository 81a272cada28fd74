import { question as findQuestion, QuizRound, type QuizAnswer, type QuizQuestion } from '@mmap-lab/shared/content/quiz/index.ts';
import type { BoardQuiz, QuizQuestionOut, StudentQuiz } from '@mmap-lab/shared/protocol/lesson.ts';
import type { AnswerRow, LessonStore, RoundRow } from '../../persistence/lesson-store.ts';
import { Refused } from '../refused.ts';

/** A question as students see it: never the answer or the explanation. */
export const questionOut = (q: QuizQuestion): QuizQuestionOut => ({ questionId: q.id, chapter: q.chapter, prompt: q.prompt, choices: [...q.choices] });

interface OpenRound {
  round: number;
  quiz: QuizRound;
  pushedAt: number;
}

/**
 * The room's quiz: one question on screen at a time (a round), answered by
 * display name, each student's latest answer counting until the reveal.
 * Answers reach the store in batches (with the room's flush) and at the
 * reveal: a class answering at once is one commit, not one per student.
 */
export class QuizSession {
  readonly #store: LessonStore;
  readonly #code: string;
  #current: OpenRound | null = null;
  #nextRound: number;
  #dirty = false;

  constructor(store: LessonStore, code: string, restored?: { round: RoundRow; answers: AnswerRow[] } | null) {
    this.#store = store;
    this.#code = code;
    this.#nextRound = store.rounds(code).reduce((n, r) => Math.max(n, r.round), 0) + 1;
    if (restored) {
      const question = findQuestion(restored.round.questionId);
      if (question !== undefined) {
        const quiz = new QuizRound(question);
        for (const a of restored.answers) quiz.answer(a.student, a.choice, a.at ?? undefined);
        if (restored.round.revealed) quiz.reveal();
        this.#current = { round: restored.round.round, quiz, pushedAt: restored.round.pushedAt };
      }
    }
  }

  /** The round on screen, for the lesson row. */
  get round(): number | null {
    return this.#current?.round ?? null;
  }

  push(questionId: string): BoardQuiz {
    const question = findQuestion(questionId);
    if (question === undefined) throw new Refused('INVALID_PAYLOAD', `There is no question with the id ${questionId}.`);
    this.save();
    const round = this.#nextRound++;
    const pushedAt = Date.now();
    this.#store.addRound(this.#code, { round, questionId, pushedAt, revealed: false });
    this.#current = { round, quiz: new QuizRound(question), pushedAt };
    return this.board()!;
  }

  answer(student: string, questionId: string, choice: number): 'accepted' | 'changed' {
    const c = this.#current;
    if (c === null || c.quiz.question.id !== questionId) throw new Refused('WRONG_STATE', 'That question is not the one on screen now.');
    const status = c.quiz.answer(student, choice, Date.now() - c.pushedAt);
    if (status === 'closed') throw new Refused('WRONG_STATE', 'The answer has been revealed: answers are closed.');
    if (status === 'invalid') {
      throw new Refused('INVALID_PAYLOAD', `This question has ${c.quiz.question.choices.length} choices (0 to ${c.quiz.question.choices.length - 1}).`);
    }
    this.#dirty = true;
    return status;
  }

  reveal() {
    const c = this.#current;
    if (c === null) throw new Refused('WRONG_STATE', 'No question is on screen: push one first.');
    const reveal = c.quiz.reveal();
    this.#dirty = true;
    this.save();
    this.#store.setRevealed(this.#code, c.round);
    return reveal;
  }

  /** Write the open round's answers if they changed since the last save. */
  save(): void {
    const c = this.#current;
    if (!this.#dirty || c === null) return;
    this.#store.saveAnswers(this.#code, c.round, c.quiz.answers());
    this.#store.afterCommit(() => (this.#dirty = false));
  }

  board(): BoardQuiz | null {
    const c = this.#current;
    if (c === null) return null;
    const histogram = c.quiz.histogram();
    const q = c.quiz.question;
    return {
      question: questionOut(q), answer: q.answer, explanation: q.explanation, histogram,
      answered: histogram.reduce((a, b) => a + b, 0), revealed: c.quiz.revealed,
    };
  }

  /** The round on screen as `name` sees it, with their own answer: a student who comes back picks up where they were. */
  student(name: string): StudentQuiz | null {
    const c = this.#current;
    if (c === null) return null;
    return {
      round: c.round, question: questionOut(c.quiz.question), reveal: c.quiz.revealed ? c.quiz.reveal() : null,
      chosen: c.quiz.choiceOf(name) ?? null,
    };
  }

  /**
   * Every question asked and every final answer, from the store (after saving the open round).
   * `closed` leaves out the round on screen until its reveal: its answers may still change,
   * and the board's right/wrong column, on the projector, would give its answer away.
   */
  history(which: 'all' | 'closed' = 'all'): { questions: QuizQuestion[]; answers: QuizAnswer[] } {
    this.save();
    const open = which === 'closed' && this.#current !== null && !this.#current.quiz.revealed ? this.#current.round : null;
    const rounds = this.#store.rounds(this.#code).filter((r) => r.round !== open);
    const byRound = new Map(rounds.map((r) => [r.round, r.questionId]));
    const ids = [...new Set(rounds.map((r) => r.questionId))];
    const questions = ids.flatMap((id) => findQuestion(id) ?? []);
    const answers = this.#store.answers(this.#code).flatMap((a): QuizAnswer[] => {
      const questionId = byRound.get(a.round);
      return questionId === undefined ? [] : [{ questionId, student: a.student, choice: a.choice, ...(a.at === null ? {} : { at: a.at }) }];
    });
    return { questions, answers };
  }
}
