import { CHAPTERS } from '@mmap-lab/shared/content/lesson/index.ts';
import type {
  Assignment, ExerciseBrief, JoinedReply, LessonState, Ordering, QuizQuestionOut, ServerPayload,
} from '@mmap-lab/shared/protocol/index.ts';
import type { CallResult, RoomConnection } from '../net/room-connection.svelte.ts';

export type QuizReveal = ServerPayload<'quiz:reveal'>;

/**
 * The lesson as one student follows it: the live chapter and the one they
 * are looking at, the running exercise and their part in it, how the room
 * orders operations, and the question on screen. This class is the one
 * adapter between the server's lesson events and the student's views.
 */
export class StudentLesson {
  /** The chapter the teacher is teaching. */
  live = $state(0);
  /** The chapter this student looks at, or null to follow the live one (never the live one itself). */
  looking = $state<number | null>(null);
  ordering = $state<Ordering>('arrival');
  exercise = $state.raw<ExerciseBrief | null>(null);
  assignment = $state.raw<Assignment>({ kind: 'none' });
  /** The quiz round on screen: the same question asked again is another round. */
  round = $state<number | null>(null);
  question = $state.raw<QuizQuestionOut | null>(null);
  reveal = $state.raw<QuizReveal | null>(null);
  /** This student's choice for the question on screen, once the server accepted it. */
  chosen = $state<number | undefined>();
  /** The last thing the teacher changed, in words (read out to screen readers). */
  news = $state('');
  /**
   * The live chapter when the student last opened or folded the chapter
   * panel: a later one is news, marked on the folded panel. Kept here, not
   * in the panel, which an exercise moves (and so mounts again).
   */
  seen = $state(0);

  shown = $derived(this.looking ?? this.live);
  following = $derived(this.looking === null);
  chapter = $derived(CHAPTERS[this.looking ?? this.live] ?? CHAPTERS[0]);

  readonly #conn: () => RoomConnection;
  #adopted = false;

  constructor(conn: () => RoomConnection) {
    this.#conn = conn;
  }

  /** Everything the server said about the lesson when this process joined. */
  adopt(joined: JoinedReply): void {
    this.#state(joined.lesson);
    if (!this.#adopted) this.seen = this.live; // what the class is on when the student arrives is not news
    this.#adopted = true;
    this.assignment = joined.assignment;
  }

  #state(lesson: LessonState): void {
    this.#moved(lesson.chapter);
    this.ordering = lesson.ordering;
    this.exercise = lesson.exercise;
    const q = lesson.quiz;
    this.round = q?.round ?? null;
    this.question = q?.question ?? null;
    this.reveal = q?.reveal ?? null;
    // The server counted what it counted: after a reload, or a round asked while offline, its answer is the one shown.
    this.chosen = q?.chosen ?? undefined;
  }

  listen(conn: RoomConnection): void {
    conn.on('lesson:chapter', ({ chapter }) => {
      this.#moved(chapter);
      this.news = `The class moved to chapter ${chapter}: ${CHAPTERS[chapter]?.title ?? ''}.`;
    });
    conn.on('lesson:ordering', ({ ordering, message }) => {
      this.ordering = ordering;
      this.news = message;
    });
    conn.on('lesson:exercise', ({ exercise, message }) => {
      this.exercise = exercise;
      if (exercise === null) this.assignment = { kind: 'none' };
      this.news = message;
    });
    conn.on('lesson:assignment', ({ assignment }) => {
      this.assignment = assignment;
      if (assignment.kind === 'pair' && assignment.partner !== null) {
        this.news = `${assignment.partner} joined: you are partner ${assignment.role} of pair ${assignment.pair + 1}.`;
      }
    });
    conn.on('quiz:question', ({ round, question }) => {
      this.round = round;
      this.question = question;
      this.reveal = null;
      this.chosen = undefined;
      this.news = 'A quiz question is open: answer it below.';
    });
    conn.on('quiz:reveal', (reveal) => {
      if (reveal.questionId === this.question?.questionId) this.reveal = reveal;
    });
  }

  /** Look at another chapter on your own; the live one carries on. */
  look(chapter: number): void {
    const c = Math.max(0, Math.min(CHAPTERS.length - 1, chapter));
    // Stepping onto the live chapter is following it: the class's next move takes the student along.
    this.looking = c === this.live ? null : c;
  }

  /** The class is on `chapter` now: a student who read ahead to it follows from here. */
  #moved(chapter: number): void {
    this.live = chapter;
    if (this.looking === chapter) this.looking = null;
  }

  followLive(): void {
    this.looking = null;
  }

  async answer(choice: number): Promise<CallResult<unknown>> {
    const q = this.question;
    const round = this.round;
    if (!q) return { ok: false, error: { code: 'NO_ANSWER', message: 'No question is open.' } };
    const res = await this.#conn().call('student:quiz:answer', { questionId: q.questionId, choice });
    if (res.ok && this.round === round) this.chosen = choice;
    return res;
  }
}
