/** The horizontal scale shared by mapping bars and lock bars: file offsets to percentages. */
export interface Ruler {
  /** Bytes the ruler spans (a whole number of pages). */
  extent: number;
  pageSize: number;
  fileSize: number;
}

export function makeRuler(pageSize: number, fileSize: number, ends: number[]): Ruler {
  const furthest = Math.max(fileSize, pageSize, ...ends);
  return { extent: Math.ceil(furthest / pageSize) * pageSize, pageSize, fileSize };
}

export const pct = (r: Ruler, offset: number): string => `${(Math.min(offset, r.extent) / r.extent) * 100}%`;

/** left/width for a byte range [from, to) on the ruler, as CSS. */
export function span(r: Ruler, from: number, to: number): { left: string; width: string } {
  const a = Math.min(from, r.extent);
  const b = Math.min(to, r.extent);
  return { left: pct(r, a), width: `${((b - a) / r.extent) * 100}%` };
}
