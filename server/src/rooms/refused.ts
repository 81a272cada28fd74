import type { ErrorCode } from '@mmap-lab/shared/protocol/ack.ts';

/**
 * A request the room turns down (wrong state, not allowed). The socket
 * adapter answers it as `{ ok: false, error: { code, message } }`; anything
 * else thrown is a bug and answers INTERNAL.
 */
export class Refused extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs?: number;
  constructor(code: ErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}
