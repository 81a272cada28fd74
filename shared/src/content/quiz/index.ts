export type { QuizQuestion } from './types.ts';
export { QUESTIONS, question, questionsFor } from './questions.ts';
export { QuizRound, quizResults, tally, type AnswerStatus, type QuizAnswer, type QuizReveal, type QuizScoring, type StudentQuizResult } from './round.ts';
