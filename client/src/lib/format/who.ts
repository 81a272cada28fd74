/** How a process is named on screen: its student's name and pid, never colour alone. */
export function who(pid: number, name?: string): string {
  return name ? `${name} (pid ${pid})` : `pid ${pid}`;
}

export function rangeText(start: number, end: number | null): string {
  return end === null ? `bytes ${start} to the end of the file (and beyond)` : `bytes ${start}–${end}`;
}

/** The same range in few characters, for the board: "0–15", "16–∞". */
export function rangeShort(start: number, end: number | null): string {
  return end === null ? `${start}–∞` : `${start}–${end}`;
}
