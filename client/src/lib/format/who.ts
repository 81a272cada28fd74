/** How a process is named on screen: its student's name and pid, never colour alone. */
export function who(pid: number, name?: string): string {
  return name ? `${name} (pid ${pid})` : `pid ${pid}`;
}

/** start and end in decimal, exactly as the view carries them. */
export function rangeText(start: string, end: string | null): string {
  return end === null ? `bytes ${start} to the end of the file (and beyond)` : `bytes ${start}–${end}`;
}

/** The same range in few characters, for the board: "0–15", "16–∞". */
export function rangeShort(start: string, end: string | null): string {
  return end === null ? `${start}–∞` : `${start}–${end}`;
}

/** The bytes a lock request's start and len (decimal, signed, as given) name, as Linux reads them: len 0 runs to the end, a negative len ends just before start. */
export function requestRange(start: string, len: string): string {
  const s = BigInt(start);
  const l = BigInt(len);
  if (l === 0n) return rangeShort(start, null);
  return l > 0n ? rangeShort(start, (s + l - 1n).toString()) : rangeShort((s + l).toString(), (s - 1n).toString());
}
