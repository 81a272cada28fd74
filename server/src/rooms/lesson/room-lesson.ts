import type { Op, Outcome, Pid } from '@mmap-lab/shared';
import type { RecordedKernel } from '@mmap-lab/shared/oplog/index.ts';
import type { ServerEventName, ServerPayload } from '@mmap-lab/shared/protocol/events.ts';
import type { Assignment, BoardLesson, ExerciseResultsWire, LessonState, Ordering } from '@mmap-lab/shared/protocol/lesson.ts';
import type { OpReply } from '@mmap-lab/shared/protocol/replies.ts';
import type { AnswerRow, LessonStore, RoundRow } from '../../persistence/lesson-store.ts';
import type { RoomOutbox } from '../outbox.ts';
import type { SessionTable } from '../sessions.ts';
import { RoomOrdering } from '../ordering/room-ordering.ts';
import { Refused } from '../refused.ts';
import type { RoomLog } from '../room-log.ts';
import { TickTask } from '../tick-task.ts';
import type { ExerciseRun } from './exercise-run.ts';
import { pastResults } from './past-results.ts';
import { QuizSession } from './quiz-session.ts';
import { ResultsPusher } from './results-pusher.ts';

/** What the lesson was when the server stopped (loaded from the store). */
export interface RestoredLesson {
  chapter: number;
  exercise: ExerciseRun | null;
  ordering: { kind: Ordering; seed: number | null };
  quiz: { round: RoundRow; answers: AnswerRow[] } | null;
}

/** What the lesson needs from its room. */
export interface LessonHost {
  readonly code: string;
  readonly recorded: RecordedKernel;
  readonly log: RoomLog;
  readonly outbox: RoomOutbox;
  readonly sessions: Pick<SessionTable, 'values'>;
  applyAs(pid: Pid, name: string, op: Op): OpReply;
  applied(pid: Pid, name: string, op: Op, outcome: Outcome): OpReply;
  toPid<E extends ServerEventName>(pid: Pid, event: E, payload: ServerPayload<E>): void;
  studentSockets(): string[];
  markRoom(): void;
}

export interface LessonDeps {
  lessons: LessonStore;
  tickMs: number;
  slowMotionMs: number;
  resultsMs: number;
  reportError(error: unknown, context: { room: string; what: string }): void;
}

/**
 * The lesson side of a room: the live chapter, the running exercise (and
 * the last one's final results), how operations are ordered, and the quiz.
 * The room owns the kernel and the students; this owns what the teacher
 * runs on top of them.
 */
export class RoomLesson {
  chapter: number;
  /** Counts changes to the lesson (chapter, exercises, groups, quiz): the export is cached by it. */
  version = 0;
  #exercise: ExerciseRun | null;
  readonly ordering: RoomOrdering;
  readonly quiz: QuizSession;
  readonly results: ResultsPusher;
  readonly #host: LessonHost;
  readonly #deps: LessonDeps;
  /** The stopped exercise whose final results `results` keeps. */
  #finalRun: number | null = null;
  readonly #boardQueue: TickTask;
  readonly #boardQuiz: TickTask;

  constructor(host: LessonHost, deps: LessonDeps, restored?: RestoredLesson) {
    this.#host = host;
    this.#deps = deps;
    this.chapter = restored?.chapter ?? 0;
    this.#exercise = restored?.exercise ?? null;
    this.quiz = new QuizSession(deps.lessons, host.code, restored?.quiz);
    const report = (what: string) => (error: unknown) => deps.reportError(error, { room: host.code, what });
    this.ordering = new RoomOrdering({
      get recorded() { return host.recorded; },
      applyAs: (pid, name, op) => host.applyAs(pid, name, op),
      applied: (pid, name, op, outcome) => host.applied(pid, name, op, outcome),
      toPid: (pid, event, payload) => host.toPid(pid, event, payload),
      changed: () => this.#boardQueue.mark(),
    }, deps.slowMotionMs);
    this.results = new ResultsPusher({
      key: () => this.#resultsKey(),
      compute: () => this.#computeResults(),
      watched: () => host.outbox.hasTeachers(host.code),
      push: (results) => host.outbox.toTeachers(host.code, 'board:results', { results }),
      reportError: report('exercise results'),
    }, deps.resultsMs);
    this.#boardQueue = new TickTask(deps.tickMs, () => {
      const queue = this.ordering.teacher?.state();
      if (queue !== undefined) host.outbox.toTeachers(host.code, 'board:queue', { queue });
    }, report('board queue'));
    this.#boardQuiz = new TickTask(deps.tickMs, () => {
      const quiz = this.quiz.board();
      if (quiz !== null) host.outbox.toTeachers(host.code, 'board:quiz', { quiz });
    }, report('board quiz'));
    // The ordering comes back empty: the processes whose operations it held
    // or queued are gone (a graceful shutdown answered those CANCELLED).
    if (restored !== undefined) this.ordering.set(restored.ordering.kind, restored.ordering.seed ?? undefined);
    if (this.#exercise !== null) this.results.start();
    // The board shows the last exercise's final results until the next one, across a restart too.
    else if (restored !== undefined) this.#finalRun = deps.lessons.lastRun(host.code) || null;
    this.#saveRow();
  }

  get exercise(): ExerciseRun | null {
    return this.#exercise;
  }

  // ---- views ----------------------------------------------------------------

  /** The lesson as student `name` sees it. */
  state(name: string): LessonState {
    return { chapter: this.chapter, ordering: this.ordering.kind, exercise: this.#exercise?.brief() ?? null, quiz: this.quiz.student(name) };
  }

  board(): BoardLesson {
    return {
      chapter: this.chapter, ordering: this.ordering.kind, exercise: this.#exercise?.brief() ?? null,
      groups: this.#exercise?.grouping.view ?? null, quiz: this.quiz.board(),
    };
  }

  /** This student's part in the running exercise; a late joiner is placed in the groups first. */
  assignment(name: string): Assignment {
    const run = this.#exercise;
    if (run === null) return { kind: 'none' };
    const assignment = run.grouping.assign(name);
    if (run.grouping.changed) {
      run.grouping.changed = false;
      this.#deps.lessons.setGroups(this.#host.code, run.run, run.grouping.view);
      this.#toBoard();
      // This late joiner completed a pair: the student left over has been waiting for them, and hears it now.
      if (assignment.kind === 'pair' && assignment.partner !== null) {
        this.#toStudent(assignment.partner, 'lesson:assignment', { assignment: run.grouping.assign(assignment.partner) });
      }
    }
    return assignment;
  }

  /** The running exercise's results as of now, or the last exercise's final results. */
  latestResults(): ExerciseResultsWire | null {
    return this.results.latest();
  }

  // ---- chapters -------------------------------------------------------------

  setChapter(chapter: number): void {
    this.chapter = chapter;
    this.#saveRow();
    this.#toStudents('lesson:chapter', { chapter });
    this.#host.markRoom();
    this.#toBoard();
  }

  // ---- exercises (the room's reboot calls these around the new kernel) ------

  /** The kernel is about to be replaced: a running exercise ends with it. */
  beforeReboot(): void {
    if (this.#exercise !== null) this.#finish();
  }

  /**
   * The new kernel is in place (its log has begun). Held operations are
   * answered CANCELLED and the ordering starts again on the new kernel;
   * `launch` is now the running exercise.
   */
  afterReboot(launch: ExerciseRun | undefined): void {
    const message = launch === undefined
      ? 'The teacher rebooted the room before this operation ran.'
      : 'The teacher started an exercise before this operation ran.';
    const next: Ordering = launch?.slowMotion ? 'slow-motion' : this.ordering.kind === 'teacher' ? 'teacher' : 'arrival';
    this.ordering.rebooted(message, next);
    if (launch !== undefined) {
      this.#exercise = launch;
      this.#deps.lessons.addRun(this.#host.code, launch.row());
      this.results.start();
    }
    this.#saveRow();
  }

  /** The number the next exercise launched in this room gets. */
  nextRun(): number {
    return this.#deps.lessons.lastRun(this.#host.code) + 1;
  }

  /** Stop the running exercise: the room stays as it is; its final results are kept and returned. */
  stop(): ExerciseResultsWire {
    if (this.#exercise === null) throw new Refused('WRONG_STATE', 'No exercise is running.');
    const final = this.#finish();
    if (this.ordering.kind === 'slow-motion') this.setOrdering('arrival', 'Slow motion is over: operations run as they arrive again.'); // saves the row
    else this.#saveRow();
    this.#toStudents('lesson:exercise', { exercise: null, message: 'The teacher ended the exercise.' });
    this.#host.outbox.toTeachers(this.#host.code, 'board:results', { results: final });
    this.#toBoard();
    return final;
  }

  /** End the running exercise at the log's current end: its final results, stored and pinned. */
  #finish(): ExerciseResultsWire {
    const run = this.#exercise!;
    const log = this.#host.log;
    const final = run.results(log.recorded.log, true, !log.full);
    this.#deps.lessons.stopRun(this.#host.code, run.run, Date.now(), log.segment, log.length, final);
    this.#finalRun = run.run;
    this.results.pin(`final:${run.run}`, final);
    this.results.stop();
    this.#exercise = null;
    return final;
  }

  #resultsKey(): string | null {
    const run = this.#exercise;
    if (run === null) return this.#finalRun === null ? null : `final:${this.#finalRun}`;
    return `${run.run}:${this.#host.log.version}`;
  }

  /** A stop pins its final results; after a restart they come back from the store. */
  #computeResults(): ExerciseResultsWire | null {
    const run = this.#exercise;
    if (run !== null) return run.results(this.#host.recorded.log, false, !this.#host.log.full);
    return this.#finalRun === null ? null : pastResults(this.#host, this.#deps.lessons, this.#finalRun);
  }

  // ---- ordering -------------------------------------------------------------

  /** Order operations another way; students and the board are told. Returns the teacher's queue's drained steps. */
  setOrdering(kind: Ordering, message: string, seed?: number) {
    const steps = this.ordering.set(kind, seed);
    this.#saveRow();
    this.#toStudents('lesson:ordering', { ordering: kind, message });
    this.#toBoard();
    // Every board device needs the new queue now, not at the first queued operation.
    this.queueChanged();
    return steps;
  }

  /** The teacher's random picks start again from `seed`: stored, so a restart keeps it. */
  reseed(seed: number): void {
    this.ordering.teacher!.scheduler.reseed(seed);
    this.#saveRow();
    this.queueChanged();
  }

  queueChanged(): void {
    this.#boardQueue.mark();
  }

  // ---- quiz -----------------------------------------------------------------

  pushQuestion(questionId: string) {
    const quiz = this.quiz.push(questionId);
    this.#saveRow();
    this.#toStudents('quiz:question', { round: this.quiz.round!, question: quiz.question });
    this.#toBoard();
    return quiz;
  }

  answer(student: string, questionId: string, choice: number) {
    const status = this.quiz.answer(student, questionId, choice);
    this.version++;
    this.#boardQuiz.mark();
    return status;
  }

  reveal() {
    const reveal = this.quiz.reveal();
    this.#toStudents('quiz:reveal', reveal);
    this.#host.outbox.toTeachers(this.#host.code, 'quiz:reveal', reveal);
    this.#toBoard();
    return reveal;
  }

  // ---- persistence and shutdown ---------------------------------------------

  save(): void {
    this.quiz.save();
  }

  dispose(message: string): void {
    this.ordering.dispose(message);
    this.results.stop();
    this.#boardQueue.dispose();
    this.#boardQuiz.dispose();
  }

  #saveRow(): void {
    this.version++;
    this.#deps.lessons.saveLesson(this.#host.code, {
      chapter: this.chapter, run: this.#exercise?.run ?? null, round: this.quiz.round,
      ordering: this.ordering.kind, seed: this.ordering.teacher?.scheduler.seed ?? null,
    });
  }

  #toStudents<E extends ServerEventName>(event: E, payload: ServerPayload<E>): void {
    const ids = this.#host.studentSockets();
    if (ids.length > 0) this.#host.outbox.toSockets(ids, event, payload);
  }

  /** An event to the student named `name`, if connected (one who is not hears it in the join reply). */
  #toStudent<E extends ServerEventName>(name: string, event: E, payload: ServerPayload<E>): void {
    for (const s of this.#host.sessions.values()) {
      if (s.name === name) this.#host.toPid(s.pid, event, payload);
    }
  }

  #toBoard(): void {
    this.version++;
    this.#host.outbox.toTeachers(this.#host.code, 'board:lesson', { lesson: this.board() });
  }
}
