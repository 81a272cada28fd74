import type { FastifyInstance, FastifyReply } from 'fastify';
import { createRoomRequest, type CreateRoomReply } from '@mmap-lab/shared/protocol/http.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { normalizeRoomCode } from '@mmap-lab/shared/protocol/room-code.ts';
import type { AddressBudget } from '../guards/rate-limit.ts';
import { findOpenRoom } from '../guards/room-lookup.ts';
import { Refused } from '../rooms/refused.ts';
import type { RoomRegistry } from '../rooms/registry.ts';

const STATUS: Record<string, number> = { ROOM_NOT_FOUND: 404, ROOM_CLOSED: 410, RATE_LIMITED: 429 };

function refuse(reply: FastifyReply, error: Refused): FastifyReply {
  if (error.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
  const body = { error: { code: error.code, message: error.message, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) } };
  return reply.code(STATUS[error.code] ?? 400).send(body);
}

export function roomsRoutes(app: FastifyInstance, deps: { registry: RoomRegistry; wrongCodes: AddressBudget; roomCreations: AddressBudget }): void {
  // A hex-encoded initial file of FILE_MAX bytes is twice that long, plus the rest of the body.
  app.post('/api/rooms', { bodyLimit: LIMITS.FILE_MAX * 2 + LIMITS.TEXT_MAX * 4 + 4096 }, async (request, reply) => {
    const wait = deps.roomCreations.retryAfter(request.ip);
    if (wait > 0) return refuse(reply, new Refused('RATE_LIMITED', 'Too many new rooms from your address; wait a moment.', wait));
    const parsed = createRoomRequest.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      return reply.code(400).send({ error: { code: 'INVALID_PAYLOAD', message: 'The room request is not valid.', issues } });
    }
    deps.roomCreations.spend(request.ip);
    const { room, credential } = deps.registry.create(parsed.data);
    const body: CreateRoomReply = { code: room.code, credential, room: room.summary() };
    return reply.code(201).send(body);
  });

  app.get<{ Params: { code: string } }>('/api/rooms/:code', async (request, reply) => {
    const code = normalizeRoomCode(request.params.code.slice(0, LIMITS.CODE_INPUT_MAX));
    try {
      // A malformed code is a wrong code too: it counts against the address.
      if (code === undefined) {
        const wait = deps.wrongCodes.retryAfter(request.ip);
        if (wait > 0) throw new Refused('RATE_LIMITED', 'Too many wrong room codes from your address; wait a moment and try again.', wait);
        deps.wrongCodes.spend(request.ip);
        throw new Refused('ROOM_NOT_FOUND', 'That is not a room code.');
      }
      const room = findOpenRoom(deps.registry, deps.wrongCodes, code, request.ip);
      return { room: room.summary() };
    } catch (error) {
      if (error instanceof Refused) return refuse(reply, error);
      throw error;
    }
  });
}
