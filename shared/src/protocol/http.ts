import { z } from 'zod';
import { PAGE_SIZES, TEMPLATE_IDS } from '../content/templates.ts';
import { isPageSize } from '../kernel/constants.ts';
import { LIMITS } from './limits.ts';
import { roomSummary } from './replies.ts';

/**
 * POST /api/rooms. The start-a-class form sends a template and a teaching
 * page size; the trace runner sends `custom` with the trace's exact bytes
 * (hex) and any page size the kernel accepts (a power of two, 16 to 65536).
 */
export const createRoomRequest = z
  .object({
    template: z.enum(TEMPLATE_IDS),
    text: z.string().max(LIMITS.TEXT_MAX).optional(),
    fileHex: z.string().max(LIMITS.FILE_MAX * 2).regex(/^(?:[0-9a-fA-F]{2})*$/, 'hex digits in pairs').optional(),
    pageSize: z.int().refine(isPageSize, 'a power of two from 16 to 65536'),
  })
  .refine((r) => r.template !== 'custom' || r.fileHex !== undefined, { message: 'custom needs fileHex', path: ['fileHex'] })
  .refine((r) => r.template !== 'text' || r.text !== undefined, { message: 'the text template needs text', path: ['text'] })
  .refine((r) => r.template === 'custom' || (PAGE_SIZES as readonly number[]).includes(r.pageSize), {
    message: `templates use a teaching page size (${PAGE_SIZES.join(', ')})`,
    path: ['pageSize'],
  });
export type CreateRoomRequest = z.output<typeof createRoomRequest>;

export const createRoomReply = z.object({
  code: z.string(),
  /** Only the teacher's browser keeps this: it is the only proof of being the teacher. */
  credential: z.string(),
  room: roomSummary,
});
export type CreateRoomReply = z.infer<typeof createRoomReply>;

/** GET /api/rooms/:code. Closed rooms answer 410, unknown codes 404. */
export const roomInfoReply = z.object({ room: roomSummary });

export const healthReply = z.object({ status: z.literal('ok'), rooms: z.int(), uptimeS: z.number() });

/** Error bodies of the HTTP API. */
export const httpError = z.object({ error: z.object({ code: z.string(), message: z.string(), retryAfterMs: z.number().optional() }) });
