import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Serve the built client if there is one. The server must also start without
 * it (API-only runs, tests, a checkout where the client was never built).
 * Unknown GET paths outside /api get index.html, so /join/CODE works on reload.
 * The not-found handler lives in the app's context either way, so its answers
 * carry the app's headers too.
 */
export async function staticClient(app: FastifyInstance, dist: string): Promise<boolean> {
  const served = existsSync(join(dist, 'index.html'));
  if (served) await app.register(fastifyStatic, { root: dist, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (served && request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/socket.io/')) {
      return reply.sendFile('index.html');
    }
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${path}.` } });
  });
  return served;
}
