import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { normalizeRoomCode } from '@mmap-lab/shared/protocol/room-code.ts';
import { tableCsv } from '@mmap-lab/shared/report/index.ts';
import type { AddressBudget } from '../guards/rate-limit.ts';
import { findOpenRoom } from '../guards/room-lookup.ts';
import { classExportOf, exportJsonText, type ExportStores } from '../rooms/lesson/class-export.ts';
import { Refused } from '../rooms/refused.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room } from '../rooms/room.ts';
import { secretMatches } from '../rooms/secrets.ts';

const STATUS: Record<string, number> = { ROOM_NOT_FOUND: 404, ROOM_CLOSED: 410, RATE_LIMITED: 429, BAD_CREDENTIAL: 401 };

/** A file of the export: a table as CSV, or a segment's trace. */
const FILE = /^(?:(?<table>[a-z0-9-]{1,80})\.csv|segment-(?<segment>[0-9]{1,9})\.trace)$/;

interface ExportDeps extends ExportStores {
  registry: RoomRegistry;
  wrongCodes: AddressBudget;
}

const missing = (reply: FastifyReply, message: string): FastifyReply =>
  reply.code(404).send({ error: { code: 'NOT_FOUND', message } });

function refuse(reply: FastifyReply, error: Refused): FastifyReply {
  if (error.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
  if (error.code === 'BAD_CREDENTIAL') reply.header('www-authenticate', 'Bearer realm="mmap-lab teacher"');
  return reply.code(STATUS[error.code] ?? 400).send({ error: { code: error.code, message: error.message } });
}

/**
 * The room, if the request carries its teacher credential as a Bearer
 * token. Wrong codes and wrong credentials both count against the address,
 * as they do on the socket.
 */
function teacherRoom(request: FastifyRequest<{ Params: { code: string } }>, deps: ExportDeps): Room {
  const code = normalizeRoomCode(request.params.code.slice(0, LIMITS.CODE_INPUT_MAX));
  if (code === undefined) throw new Refused('ROOM_NOT_FOUND', 'That is not a room code.');
  const auth = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(request.headers.authorization ?? '');
  const room = findOpenRoom(deps.registry, deps.wrongCodes, code, request.ip, (r) => auth !== null && secretMatches(auth[1], r.teacherHash));
  if (auth === null || !secretMatches(auth[1], room.teacherHash)) {
    if (auth !== null) deps.wrongCodes.spend(request.ip);
    throw new Refused('BAD_CREDENTIAL', 'The export needs the teacher credential of this room: Authorization: Bearer <credential>.');
  }
  return room;
}

/** After class: the teacher takes the class home as JSON, CSV tables and traces. */
export function exportRoutes(app: FastifyInstance, deps: ExportDeps): void {
  app.get<{ Params: { code: string } }>('/api/rooms/:code/export.json', async (request, reply) => {
    try {
      const room = teacherRoom(request, deps);
      const { json } = await classExportOf(room, deps);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="mmap-lab-${room.code}.json"`)
        .type('application/json; charset=utf-8')
        .send(Readable.from(exportJsonText(json)));
    } catch (error) {
      if (error instanceof Refused) return refuse(reply, error);
      throw error;
    }
  });

  app.get<{ Params: { code: string; file: string } }>('/api/rooms/:code/export/:file', async (request, reply) => {
    try {
      const room = teacherRoom(request, deps);
      const m = FILE.exec(request.params.file);
      if (m === null) return missing(reply, 'The export has <table>.csv and segment-<n>.trace files; export.json lists them.');
      const built = await classExportOf(room, deps);
      const { table: tableName, segment: segmentNumber } = m.groups!;
      const body = tableName !== undefined
        ? built.tables.get(tableName) && tableCsv(built.tables.get(tableName)!)
        : built.json.segments.find((s) => s.segment === Number(segmentNumber))?.trace;
      if (body === undefined) return missing(reply, `This export has no ${request.params.file}; export.json lists its files.`);
      return reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="mmap-lab-${room.code}-${request.params.file}"`)
        .type(tableName !== undefined ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8')
        .send(body);
    } catch (error) {
      if (error instanceof Refused) return refuse(reply, error);
      throw error;
    }
  });
}
