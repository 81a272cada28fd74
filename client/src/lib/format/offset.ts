/**
 * File offsets as views carry them: decimal strings, since lock ranges and
 * mapping offsets reach 2^63-1 and a number past 2^53 prints rounded.
 * Number(offset) is close enough to draw with; printed text uses these.
 */

/** `offset + n`, exactly, in decimal: with numbers while they are exact, since the board draws this for every process of a lecture. */
export function offsetPlus(offset: string, n: number): string {
  const base = Number(offset);
  const sum = base + n;
  return Number.isSafeInteger(base) && Number.isSafeInteger(sum) ? String(sum) : (BigInt(offset) + BigInt(n)).toString();
}
