/** The horizontal scale shared by mapping bars and lock bars: file offsets to percentages. */
export interface Ruler {
  /** Bytes the ruler spans (a whole number of pages). */
  extent: number;
  pageSize: number;
  fileSize: number;
}

/** Past the end of the file the ruler goes on as far again, and at least this many pages. */
const PAST_EOF_PAGES = 4;

/**
 * The ruler for a file and the ranges that end at `ends`. A student may map
 * 2^40 bytes or lock at 2^60: drawn to scale, the file would be a hairline
 * (and a tick per page would hang the board), so the ruler stops a little
 * past the end of the file and a range that goes further is drawn to the
 * edge, saying where it ends.
 */
export function makeRuler(pageSize: number, fileSize: number, ends: number[]): Ruler {
  const roundUp = (n: number): number => Math.ceil(n / pageSize) * pageSize;
  const file = roundUp(Math.max(fileSize, pageSize));
  const reach = file + Math.max(file, PAST_EOF_PAGES * pageSize);
  return { extent: roundUp(Math.max(file, ...ends.map((end) => Math.min(end, reach)))), pageSize, fileSize };
}

/** The board's ruler: its file, every mapping and every lock that ends. */
export function boardRuler(board: {
  pageSize: number;
  fileSize: number;
  processList: readonly { mappings: readonly { offset: string; length: number }[] }[];
  locks: readonly { end: string | null }[];
}): Ruler {
  // Past 2^53 Number() rounds: harmless here, the ruler stops far short of that.
  return makeRuler(board.pageSize, board.fileSize, [
    ...board.processList.flatMap((p) => p.mappings.map((m) => Number(m.offset) + m.length)),
    ...board.locks.map((l) => (l.end === null ? 0 : Number(l.end) + 1)),
  ]);
}

export const pct = (r: Ruler, offset: number): string => `${(Math.min(offset, r.extent) / r.extent) * 100}%`;

/** How wide a range that starts past the ruler is drawn, at its right edge. */
const BEYOND_WIDTH = '3rem';

/**
 * left/width for a byte range [from, to) on the ruler, as CSS, and `beyond`:
 * for a range that goes on past the ruler's end, the words that say where
 * (else empty). An offset may be a decimal string (past 2^53 a number would
 * be rounded): it is drawn as a number and printed as given.
 */
export function span(r: Ruler, from: number | string, to: number | string): { left: string; width: string; beyond: string } {
  const x = Number(from);
  const y = Number(to);
  if (x >= r.extent) return { left: `calc(100% - ${BEYOND_WIDTH})`, width: BEYOND_WIDTH, beyond: `→ at ${from}` };
  const beyond = y > r.extent ? `→ ${to}` : '';
  return { left: pct(r, x), width: `${((Math.min(y, r.extent) - x) / r.extent) * 100}%`, beyond };
}
