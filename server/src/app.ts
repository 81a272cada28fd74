import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import type { Config } from './config.ts';
import { AddressBudget } from './guards/rate-limit.ts';
import { exportRoutes } from './http/export-routes.ts';
import { healthRoute } from './http/health-route.ts';
import { securityHeaders } from './http/security-headers.ts';
import { roomsRoutes } from './http/rooms-routes.ts';
import { staticClient } from './http/static-client.ts';
import { openDatabase } from './persistence/database.ts';
import { LessonStore } from './persistence/lesson-store.ts';
import { RoomStore } from './persistence/room-store.ts';
import { RoomRegistry } from './rooms/registry.ts';
import type { Room } from './rooms/room.ts';
import { TickGovernor, watchEventLoop } from './rooms/tick-governor.ts';
import { handleConnections } from './socket/dispatch.ts';
import { ioEmit, ioOutbox } from './socket/io-outbox.ts';
import { PacedSender } from './socket/paced-sender.ts';
import { sameOrigin } from './socket/origin-check.ts';
import type { AppServer } from './socket/socket-data.ts';

export interface AppOptions {
  config: Config;
}

/** The periodic flush writes the rooms in this many turns per FLUSH_MS. */
const PERSIST_SLICES = 10;

/** How often the tick governor reads how busy the event loop was. */
const LOAD_READING_MS = 500;

/** Each running app's rooms, by its HTTP server (the same object for the plugin and its parent instance). */
const registries = new WeakMap<object, RoomRegistry>();

/**
 * The rooms of a running app, for reading only: in-process checks of the
 * kernels' invariants (fault tests) and diagnostics. Nothing in the server uses it.
 */
export function roomRegistryOf(fastify: FastifyInstance): RoomRegistry | undefined {
  return registries.get(fastify.server);
}

/**
 * The whole application as a Fastify plugin: storage, rooms, the HTTP API,
 * the static client and Socket.IO. main.ts only listens; tests register the
 * same plugin on an ephemeral port.
 */
export async function app(fastify: FastifyInstance, { config }: AppOptions): Promise<void> {
  const db = openDatabase(config.dataDir);
  const store = new RoomStore(db);
  const lessons = new LessonStore(db);
  const io: AppServer = new Server(fastify.server, {
    serveClient: false,
    maxHttpBufferSize: LIMITS.FRAME_MAX,
    allowRequest: sameOrigin(config.allowedOrigins),
  });
  securityHeaders(fastify.server, io.engine);
  const sender = new PacedSender(ioEmit(io), config.fanoutSlice, config.fanoutBudgetMs, (err) => fastify.log.error({ err }, 'answer failed'));
  const governor = new TickGovernor(config.tickMaxScale);
  const stopWatching = watchEventLoop(governor, LOAD_READING_MS);
  const registry = new RoomRegistry({
    outbox: ioOutbox(io, sender),
    store,
    lessons,
    graceMs: config.graceMs,
    tickMs: config.tickMs,
    tickScale: () => governor.scale,
    maxStudents: config.maxStudentsPerRoom,
    memoryBytes: config.roomMemoryBytes,
    slowMotionMs: config.slowMotionMs,
    resultsMs: config.resultsMs,
    logMaxRecords: config.logMaxRecords,
    logMaxBytes: config.logMaxBytes,
    reportError: (err, context) => fastify.log.error({ err, ...context }, 'room timer failed'),
  });
  registries.set(fastify.server, registry);
  const wrongCodes = new AddressBudget(config.wrongCodeBurst, config.wrongCodeRefillMs);
  handleConnections(io, { registry, lessons, wrongCodes, config, log: fastify.log, sender });

  healthRoute(fastify, registry);
  const roomCreations = new AddressBudget(config.roomCreateBurst, config.roomCreateRefillMs);
  roomsRoutes(fastify, { registry, wrongCodes, roomCreations });
  exportRoutes(fastify, { registry, wrongCodes, store, lessons });
  const served = await staticClient(fastify, config.clientDist);
  if (!served) fastify.log.info(`no client build at ${config.clientDist}; serving the API only`);

  // A crash loses at most one flush period of stores that were never msync'd:
  // each room is written once per period, a tenth of the rooms at a time.
  const persistFailed = (room: Room | null, err: unknown) => fastify.log.error({ err, room: room?.code }, 'persist failed');
  let slot = 0;
  const flusher = setInterval(() => {
    registry.persistSlice(slot, PERSIST_SLICES, persistFailed);
    slot = (slot + 1) % PERSIST_SLICES;
  }, Math.max(1, config.flushMs / PERSIST_SLICES));
  // Sweeps at half the idle time (at most a minute apart): a room leaves memory at most one sweep late.
  const idleSweep = setInterval(() => registry.unloadIdle(Date.now(), config.roomIdleMs, persistFailed), Math.min(config.roomIdleMs, 120_000) / 2);

  fastify.addHook('preClose', async () => {
    // Open websockets would keep the HTTP server from closing; the answers of the last turn go first,
    // with CANCELLED for what the rooms held back or queued (after the close, no socket would hear it).
    registry.cancelHeld();
    sender.writeAnswers();
    io.local.disconnectSockets(true);
  });
  fastify.addHook('onClose', async () => {
    clearInterval(flusher);
    clearInterval(idleSweep);
    stopWatching();
    registry.persistAll(persistFailed);
    registry.dispose();
    await new Promise<void>((resolve) => void io.close(() => resolve()));
    db.close();
  });
}
