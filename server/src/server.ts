import Fastify, { type FastifyInstance } from 'fastify';
import { app } from './app.ts';
import type { Config } from './config.ts';

/** A ready (not yet listening) server with the app registered. */
export async function buildServer(config: Config): Promise<FastifyInstance> {
  const fastify = Fastify({ logger: { level: config.logLevel }, trustProxy: false });
  await fastify.register(app, { config });
  await fastify.ready();
  return fastify;
}
