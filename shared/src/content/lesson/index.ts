import { INTRO_CHAPTERS } from './chapters-intro.ts';
import { SHARING_CHAPTERS } from './chapters-sharing.ts';
import type { Chapter } from './types.ts';

export type { Activity, Chapter, DiagramId } from './types.ts';
export { DIAGRAMS } from './types.ts';

/** The lesson, chapters 0 to 8 in teaching order. */
export const CHAPTERS: readonly Chapter[] = [...INTRO_CHAPTERS, ...SHARING_CHAPTERS];

export function chapter(number: number): Chapter | undefined {
  return CHAPTERS.find((c) => c.number === number);
}
