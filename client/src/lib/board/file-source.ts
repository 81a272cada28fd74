/** The latest write into a byte of the file: its cell glows in the writer's colour. */
export interface Glow {
  by: number;
  seq: number;
}

/**
 * What the file grid draws: the board (the room's file over the socket) and
 * the solo lab (a kernel in this tab) both provide it.
 */
export interface FileSource {
  readonly fileBytes: Uint8Array;
  readonly fileSize: number;
  readonly pageSize: number;
  /** File offset → the latest write. */
  readonly glows: ReadonlyMap<number, Glow>;
  nameOf(pid: number): string;
}
