import type { FastifyInstance } from 'fastify';
import type { RoomRegistry } from '../rooms/registry.ts';

export function healthRoute(app: FastifyInstance, registry: RoomRegistry): void {
  const started = Date.now();
  app.get('/health', async () => ({ status: 'ok' as const, rooms: registry.count, uptimeS: (Date.now() - started) / 1000 }));
}
