import { questionsFor, quizResults } from '@mmap-lab/shared/content/quiz/index.ts';
import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import { questionOut } from '../../rooms/lesson/quiz-session.ts';
import type { StudentContext, TeacherContext } from '../context.ts';

/** The board picker's list for a chapter (why the server sends it: quizBankRequest). */
export const bank = (_ctx: TeacherContext, req: RequestOf<'teacher:quiz:bank'>) => ({ questions: questionsFor(req.chapter).map(questionOut) });

export const push = (ctx: TeacherContext, req: RequestOf<'teacher:quiz:push'>) => ({ quiz: ctx.room.lesson.pushQuestion(req.questionId) });
export const reveal = (ctx: TeacherContext) => ({ reveal: ctx.room.lesson.reveal() });

/** Per-student results over every question asked in this room but an unrevealed one on screen (a right answer is one point; no speed bonus). */
export const results = (ctx: TeacherContext) => {
  const { questions, answers } = ctx.room.lesson.quiz.history('closed');
  return { results: quizResults(questions, answers) };
};

export const answer = (ctx: StudentContext, req: RequestOf<'student:quiz:answer'>) => ({
  status: ctx.room.lesson.answer(ctx.session.name, req.questionId, req.choice),
});
