/** One multiple-choice question. `answer` is the index of the right choice. */
export interface QuizQuestion {
  /** Stable id, `c<chapter>-<slug>`: answers and exports refer to it. */
  id: string;
  chapter: number;
  prompt: string;
  choices: string[];
  answer: number;
  /** Shown with the right answer once the teacher reveals it. */
  explanation: string;
}
