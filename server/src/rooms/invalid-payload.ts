import { Refused } from './refused.ts';

/** A payload its schema let through that is still not valid here: answered INVALID_PAYLOAD with the failing fields, like a schema's refusal. */
export class InvalidPayload extends Refused {
  constructor(message: string, readonly issues: { path: string; message: string }[]) {
    super('INVALID_PAYLOAD', message);
  }
}
