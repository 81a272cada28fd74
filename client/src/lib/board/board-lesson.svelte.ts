import type {
  BoardLesson, BoardSnapshot, ClientEventName, ExerciseOptions, ExerciseResultsWire, QueueState, QuizQuestionOut, ReplyOf, RequestIn,
  ScheduledStepWire, ServerPayload,
} from '@mmap-lab/shared/protocol/index.ts';
import type { ExerciseId } from '@mmap-lab/shared/exercises/catalog.ts';
import { lostConnection, type RoomConnection } from '../net/room-connection.svelte.ts';
import { controlAlert } from './control-alert.svelte.ts';
import { teacherAct } from './teacher-act.ts';

export type QuizRevealed = ServerPayload<'quiz:reveal'>;

/** The scheduler's controls: each answers with the queue (its history has the steps they ran). */
type QueueEvent =
  | 'teacher:scheduler:start' | 'teacher:scheduler:run' | 'teacher:scheduler:round-robin' | 'teacher:scheduler:random'
  | 'teacher:scheduler:undo' | 'teacher:scheduler:redo' | 'teacher:scheduler:replay' | 'teacher:scheduler:stop';
type QueueReply = { queue: QueueState };

const EMPTY_LESSON: BoardLesson = { chapter: 0, ordering: 'arrival', exercise: null, groups: null, quiz: null };

/**
 * The lesson as the teacher runs it from the board: the live chapter, the
 * running exercise and its results, the teacher's queue and the quiz. The
 * one adapter between the server's lesson events and the board's views;
 * every control is an intent the server decides.
 */
export class BoardLessonModel {
  lesson = $state.raw<BoardLesson>(EMPTY_LESSON);
  queue = $state.raw<QueueState | null>(null);
  /** The running (or last) exercise's latest results, as the server pushes them. */
  results = $state.raw<ExerciseResultsWire | null>(null);
  /** Steps the teacher ran, newest first, for the queue's history: the server keeps it, so every device shows the same. */
  steps = $derived<ScheduledStepWire[]>(this.queue?.recent ?? []);
  /** The last reveal, for the board to keep the explanation up. */
  revealed = $state.raw<QuizRevealed | null>(null);
  quizResults = $state.raw<{ student: string; answered: number; correct: number; points: number }[] | null>(null);
  /** The unlocked counter round to chart beside the locked one (an earlier run's results). */
  unlockedRound = $state.raw<ExerciseResultsWire | null>(null);

  readonly #conn: RoomConnection;
  readonly #report: (status: string) => void;

  constructor(conn: RoomConnection, report: (status: string) => void) {
    this.#conn = conn;
    this.#report = report;
    conn.on('board:lesson', ({ lesson }) => {
      this.lesson = lesson;
      if (lesson.ordering !== 'teacher') this.queue = null;
    });
    conn.on('board:queue', ({ queue }) => {
      this.queue = queue;
    });
    conn.on('board:quiz', ({ quiz }) => {
      this.lesson = { ...this.lesson, quiz };
    });
    conn.on('board:results', ({ results }) => {
      this.#setResults(results);
    });
    conn.on('quiz:reveal', (reveal) => {
      this.revealed = reveal;
      // A table already up left this question out (quiz:results): asked again, it counts it.
      if (this.quizResults !== null) void this.loadQuizResults();
    });
  }

  adopt(snapshot: BoardSnapshot): void {
    this.lesson = snapshot.lesson;
    this.queue = snapshot.queue;
    this.#setResults(snapshot.results);
  }

  #setResults(results: ExerciseResultsWire | null): void {
    this.results = results;
    if (results?.exercise.id === 'counter-race') this.unlockedRound = results;
    if (results?.exercise.id === 'locked-counter' && (this.unlockedRound === null || this.unlockedRound.run > results.run)) {
      void this.#findUnlockedRound(results.run);
    }
  }

  /** The run whose earlier runs were (or are being) searched: results arrive every few seconds, the search runs once. */
  #searchedBefore: number | null = null;

  /** The latest counter race before run `before`, asked of the server run by run (a board opened mid-class has none). */
  async #findUnlockedRound(before: number): Promise<void> {
    if (this.#searchedBefore === before) return;
    this.#searchedBefore = before;
    for (let run = before - 1; run >= 1; run--) {
      const res = await this.#conn.call('teacher:exercise:results', { run });
      if (!res.ok) {
        // A dropped connection searches again with the next results; a refusal (room closed) ends it.
        if (lostConnection(res.error.code)) this.#searchedBefore = null;
        return;
      }
      if (this.#searchedBefore !== before) return; // a search from a later run took over
      const found = res.data.results;
      if (found?.exercise.id === 'counter-race') {
        // A race that ran while this answer travelled is newer: keep it.
        if (this.unlockedRound === null || this.unlockedRound.run < found.run) this.unlockedRound = found;
        return;
      }
    }
  }

  #act<E extends ClientEventName>(what: string, event: E, payload: RequestIn<E>, then?: (data: ReplyOf<E>) => void): Promise<boolean> {
    return teacherAct(this.#conn, this.#report, what, event, payload, then);
  }

  // ---- chapters ----

  setChapter(chapter: number) {
    return this.#act(`Chapter ${chapter}`, 'teacher:chapter', { chapter }, () => {
      this.lesson = { ...this.lesson, chapter };
    });
  }

  // ---- exercises ----

  launch(id: ExerciseId, options: ExerciseOptions) {
    return this.#act('Start the exercise', 'teacher:exercise:start', { id, options }, ({ exercise }) => {
      this.lesson = { ...this.lesson, exercise };
      this.results = null;
    });
  }

  stopExercise() {
    return this.#act('End the exercise', 'teacher:exercise:stop', {}, ({ results }) => {
      this.#setResults(results);
    });
  }

  refreshResults() {
    return this.#act('Results', 'teacher:exercise:results', {}, ({ results }) => {
      this.#setResults(results);
    });
  }

  // ---- the teacher as the scheduler ----

  #queue<E extends QueueEvent>(what: string, event: E, payload: RequestIn<E>) {
    return this.#act(what, event, payload, (data: QueueReply) => {
      this.queue = data.queue;
    });
  }

  startScheduler(seed?: number) {
    return this.#queue('Be the scheduler', 'teacher:scheduler:start', seed === undefined ? {} : { seed });
  }

  runQueued(id: number) {
    return this.#queue('Run the operation', 'teacher:scheduler:run', { id });
  }

  roundRobin() {
    return this.#queue('Round-robin', 'teacher:scheduler:round-robin', {});
  }

  random(seed?: number) {
    return this.#queue('Random pick', 'teacher:scheduler:random', seed === undefined ? {} : { seed });
  }

  undo() {
    return this.#queue('Undo', 'teacher:scheduler:undo', {});
  }

  redo() {
    return this.#queue('Redo', 'teacher:scheduler:redo', {});
  }

  replay() {
    return this.#queue('Replay', 'teacher:scheduler:replay', {});
  }

  stopScheduler() {
    return this.#queue('Back to arrival order', 'teacher:scheduler:stop', {});
  }

  // ---- quiz ----

  /** Each chapter's questions, asked once: the bank does not change while the server runs. */
  readonly #banks = new Map<number, Promise<QuizQuestionOut[]>>();

  /**
   * A chapter's questions for the picker, from the server: the bank (with
   * its answers) is not in the client build. A list that failed (offline)
   * is asked for again the next time.
   */
  quizBank(chapter: number): Promise<QuizQuestionOut[]> {
    let bank = this.#banks.get(chapter);
    if (bank === undefined) {
      bank = this.#conn.call('teacher:quiz:bank', { chapter }).then((res) => {
        if (res.ok) return res.data.questions;
        this.#banks.delete(chapter);
        // Shown on the board like any teacher control's failure, not only to a screen reader.
        const failure = `The question list failed: ${res.error.message}`;
        this.#report(failure);
        controlAlert(this.#conn).show(failure);
        return [];
      });
      this.#banks.set(chapter, bank);
    }
    return bank;
  }

  pushQuestion(questionId: string) {
    return this.#act('Ask the question', 'teacher:quiz:push', { questionId }, ({ quiz }) => {
      this.lesson = { ...this.lesson, quiz };
      this.revealed = null;
    });
  }

  reveal() {
    return this.#act('Reveal the answer', 'teacher:quiz:reveal', {}, ({ reveal }) => {
      this.revealed = reveal;
    });
  }

  loadQuizResults() {
    return this.#act('Quiz results', 'teacher:quiz:results', {}, ({ results }) => {
      this.quizResults = results;
    });
  }
}
