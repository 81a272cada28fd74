import type { AccessSignal, Errno } from './constants.ts';
import type { FaultReason, Result } from './types.ts';

/** Shared immutable results, so the hot paths allocate nothing for them. */
export const OK: Result = Object.freeze({ kind: 'ok' });
export const DEAD: Result = Object.freeze({ kind: 'dead' });
export const UNLOCKED: Result = Object.freeze({ kind: 'unlocked' });

/** The 256 possible results of a load, made once: loads are the hottest path. */
const BYTES: readonly Result[] = Array.from({ length: 256 }, (_, value) => Object.freeze({ kind: 'byte', value }));
export const byte = (value: number): Result => BYTES[value];

const errnos = new Map<Errno, Result>();
export function errno(name: Errno): Result {
  let r = errnos.get(name);
  if (r === undefined) {
    r = Object.freeze({ kind: 'errno', errno: name });
    errnos.set(name, r);
  }
  return r;
}

export function fault(signal: AccessSignal, reason: FaultReason, address: number): Result {
  return { kind: 'signal', signal, reason, address };
}

export function invalid(message: string): Result {
  return { kind: 'invalid', message };
}
