import type { WireResult } from '@mmap-lab/shared/protocol/index.ts';
import { byteText } from '../format/bytes.ts';

/** The note the log adds to a result: the byte read, whom the caller waits for, whom it woke. */
export function replyNote(result: WireResult, woke: readonly { pid: number }[], nameOf: (pid: number) => string): string | undefined {
  if (woke.length > 0) return `woke ${woke.map((w) => nameOf(w.pid)).join(', ')}`;
  if (result.kind === 'byte') return `the byte read is ${byteText(result.value)}`;
  if (result.kind === 'blocked') return `waiting for ${nameOf(result.on.pid)}'s ${result.on.type}`;
  return undefined;
}
