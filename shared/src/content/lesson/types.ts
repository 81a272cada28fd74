import type { ExerciseId } from '../../exercises/catalog.ts';

/**
 * What the class does during a chapter.
 * - `exercise`: the teacher launches these exercises (exercises/catalog.ts).
 * - `diagram`: the client draws the named diagram (see DIAGRAMS).
 * - `live`: something done in the room with no exercise setup (everyone tries a call).
 * - `discussion`: the teacher leads a comparison; the table is in the chapter.
 */
export type Activity =
  | { kind: 'exercise'; exercises: ExerciseId[]; note: string }
  | { kind: 'diagram'; diagram: DiagramId; note: string }
  | { kind: 'live'; note: string }
  | { kind: 'discussion'; note: string };

/** Diagrams the client knows how to draw. */
export const DIAGRAMS = ['copy-path', 'open-modes', 'mmap-call', 'pages-and-eof', 'unmapped-hole', 'lost-update', 'demo-steps', 'the-room', 'compare'] as const;
export type DiagramId = (typeof DIAGRAMS)[number];

export interface Chapter {
  /** 0 to 8, in teaching order. */
  number: number;
  /** A stable id for links and saved positions. */
  id: string;
  title: string;
  /**
   * A few short paragraphs. Text in backticks is code (a call, a constant,
   * a C expression); the client sets it in a monospace font.
   */
  paragraphs: string[];
  /** The facts to remember, one line each. */
  keyPoints: string[];
  /** The diagram or live piece of the room shown beside the text. */
  diagram: DiagramId;
  activity: Activity;
  /** A short C fragment for the chapter, when one helps. */
  code?: string;
  /** A comparison table (chapter 8). */
  table?: { columns: string[]; rows: string[][] };
}
