import { z } from 'zod';
import { PAGE_SIZES, TEMPLATE_IDS } from '../content/templates.ts';
import { LIMITS } from './limits.ts';
import { roomCodeIn } from './room-code.ts';
import { mapNumber, pidNumber } from './wire-int.ts';

/** Control and format characters would let a name hide or fake other text on the board. */
const CONTROL = /\p{Cc}|\p{Cf}|\p{Zl}|\p{Zp}/u;

/** A display name: trimmed, 1 to 24 characters, shown everywhere as plain text. */
export const displayName = z
  .string()
  .max(LIMITS.NAME_INPUT_MAX)
  .transform((v) => v.trim().replace(/\s+/g, ' '))
  .refine((v) => v.length > 0, 'a name needs at least one character')
  .refine((v) => [...v].length <= LIMITS.NAME_MAX, `a name has at most ${LIMITS.NAME_MAX} characters`)
  .refine((v) => !CONTROL.test(v), 'a name cannot hold control characters');

/** Resume tokens, join keys and teacher credentials: random base64url text. */
export const secret = z.string().min(16).max(LIMITS.SECRET_MAX).regex(/^[A-Za-z0-9_-]+$/);

/**
 * `key` is random text the page made and kept before sending: a join sent
 * again with it (its answer was lost, the link dropped) gets the process the
 * first one made, not a second one. Without a key every join is a new student.
 */
export const studentJoinRequest = z.object({ code: roomCodeIn, name: displayName, key: secret.optional() });
/**
 * `generation` is sent by a page that reconnects by itself: the one it last
 * saw (Joined.generation). If another page took the process over since, the
 * resume is refused (REPLACED) rather than taking it back. Without it (a page
 * load, "Use it here instead") the resume takes the process over.
 */
export const studentResumeRequest = z.object({ code: roomCodeIn, token: secret, generation: z.int().min(0).optional() });
/** After its process died, a student asks for a new one (same name and token). */
export const studentRespawnRequest = z.object({});
/** The bytes of one mapping as this process sees them (private copies included), for drawing it. */
export const viewMemoryRequest = z.object({
  map: mapNumber,
  offset: z.int().min(0).default(0),
  length: z.int().min(0).max(LIMITS.VIEW_MAX).default(LIMITS.VIEW_MAX),
});

export const teacherAttachRequest = z.object({ code: roomCodeIn, credential: secret });
export const teacherLockJoinsRequest = z.object({ locked: z.boolean() });
export const teacherKillRequest = z.object({ pid: pidNumber });
export const emptyRequest = z.object({});

const pageSize = z.union(PAGE_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<16>, ...z.ZodLiteral<number>[]]);
const rebootTemplate = z.enum(TEMPLATE_IDS).exclude(['custom']);

/**
 * Reboot the room's kernel with another file or page size: every process
 * dies. Without `template` the file keeps its current bytes.
 */
export const teacherRebootRequest = z
  .object({
    template: rebootTemplate.optional(),
    text: z.string().max(LIMITS.TEXT_MAX).optional(),
    pageSize,
  })
  .refine((r) => r.template !== 'text' || r.text !== undefined, { message: 'the text template needs text', path: ['text'] });

export type StudentJoinRequest = z.output<typeof studentJoinRequest>;
export type TeacherRebootRequest = z.output<typeof teacherRebootRequest>;
