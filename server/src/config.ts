import { resolve } from 'node:path';
import { SLOW_MOTION_MS } from '@mmap-lab/shared/exercises/catalog.ts';

/** Every tunable of the server. Tests build one directly; main.ts reads it from the environment. */
export interface Config {
  port: number;
  host: string;
  /** Where the SQLite database lives (created if missing). */
  dataDir: string;
  /** The built client to serve, if it exists. */
  clientDist: string;
  /** How long a vanished student's process waits for its resume token before SIGKILL. */
  graceMs: number;
  /** Fan-out batching period per room. */
  tickMs: number;
  /** Under overload ticks stretch, up to this many times tickMs (TickGovernor). */
  tickMaxScale: number;
  /** A room's tick goes to this many sockets per turn of the event loop (see PacedSender). */
  fanoutSlice: number;
  /** ...and once it has taken this long, the rest of it goes at once. */
  fanoutBudgetMs: number;
  /** Dirty file pages reach the disk at least this often (msync does it at once). */
  flushMs: number;
  /** A room with no student connected or within grace and no teacher board leaves memory after this long (it loads again on demand). */
  roomIdleMs: number;
  /** Per-socket message budget: sustained rate and burst. */
  socketRatePerS: number;
  socketBurst: number;
  /** A socket this far over its budget is a flood and is disconnected. */
  socketFloodAfter: number;
  /** A socket holding more than this many bytes it could not write yet (its client stopped reading) is disconnected. */
  socketBacklogBytes: number;
  /** Past this many such bytes on all sockets together, a socket holding 1 MiB of them is disconnected too. */
  serverBacklogBytes: number;
  /** Wrong room codes (or credentials) per address: burst, then one more per refill period. */
  wrongCodeBurst: number;
  wrongCodeRefillMs: number;
  /** Rooms one address may create: burst, then one more per refill period (each may hold a 1 MiB file). */
  roomCreateBurst: number;
  roomCreateRefillMs: number;
  maxStudentsPerRoom: number;
  /** Memory each room's kernel may hold (file pages plus private copies); past it, ENOSPC/SIGBUS/OOM as on Linux. */
  roomMemoryBytes: number;
  /** Slow motion: how long each student operation is held back while an exercise runs in slow motion. */
  slowMotionMs: number;
  /** The board gets a running exercise's results this often (when its log changed). */
  resultsMs: number;
  /** Records one room's log may hold per kernel life; past it operations are applied but not recorded. */
  logMaxRecords: number;
  /** Bytes of pwrites' data and reads' bytes one room's log may hold per kernel life; past it, as past logMaxRecords. */
  logMaxBytes: number;
  /** Browser origins besides our own that may open a socket (e.g. the Vite dev server). */
  allowedOrigins: string[];
  logLevel: string;
}

/**
 * A phone that sleeps through ten minutes of lecture comes back to the same
 * process. Shorter, a locked phone in a pocket cost its student the process
 * (Socket.IO needs ~45 s just to notice it gone); an away student's lock that
 * blocks the class is the teacher's to kill from the board.
 */
export const DEFAULT_GRACE_MS = 10 * 60_000;
export const DEFAULT_ROOM_IDLE_MS = 30 * 60_000;
export const DEFAULT_TICK_MS = 40;
export const DEFAULT_FLUSH_MS = 1000;
export const DEFAULT_RESULTS_MS = 2000;
/**
 * About four times the biggest message the server sends (a board snapshot:
 * a 1 MiB file as 2 MiB of hex, plus the processes), or sixty 64 KiB memory
 * views: a slow link catches up long before it, and a client that stopped
 * reading costs at most this much.
 */
export const DEFAULT_SOCKET_BACKLOG_BYTES = 8 << 20;
/** Thirty-two stalled sockets at their cap: a laptop's server stays well inside its memory. */
export const DEFAULT_SERVER_BACKLOG_BYTES = 256 << 20;

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 3000,
    host: '0.0.0.0',
    dataDir: 'data',
    clientDist: resolve(import.meta.dirname, '../../client/dist'),
    graceMs: DEFAULT_GRACE_MS,
    tickMs: DEFAULT_TICK_MS,
    tickMaxScale: 3,
    flushMs: DEFAULT_FLUSH_MS,
    roomIdleMs: DEFAULT_ROOM_IDLE_MS,
    fanoutSlice: 50,
    fanoutBudgetMs: 10,
    socketRatePerS: 50,
    socketBurst: 100,
    socketFloodAfter: 1000,
    socketBacklogBytes: DEFAULT_SOCKET_BACKLOG_BYTES,
    serverBacklogBytes: DEFAULT_SERVER_BACKLOG_BYTES,
    wrongCodeBurst: 10,
    wrongCodeRefillMs: 3000,
    // A school's teachers may share one address; past that, each room holds up to a few MB of memory and disk.
    roomCreateBurst: 20,
    roomCreateRefillMs: 30_000,
    maxStudentsPerRoom: 2000,
    roomMemoryBytes: 32 << 20,
    slowMotionMs: SLOW_MOTION_MS,
    resultsMs: DEFAULT_RESULTS_MS,
    logMaxRecords: 250_000,
    logMaxBytes: 32 << 20,
    allowedOrigins: [],
    logLevel: 'warn',
    ...overrides,
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, not ${JSON.stringify(raw)}`);
  return n;
}

/** The environment variables documented in the README. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const d = defaultConfig();
  return defaultConfig({
    port: int(env, 'PORT', d.port),
    host: env.HOST || d.host,
    dataDir: env.DATA_DIR || d.dataDir,
    clientDist: env.CLIENT_DIST || d.clientDist,
    graceMs: int(env, 'RESUME_GRACE_MS', int(env, 'GRACE_MS', d.graceMs)),
    tickMs: int(env, 'TICK_MS', d.tickMs, 1),
    tickMaxScale: int(env, 'TICK_MAX_SCALE', d.tickMaxScale, 1),
    flushMs: int(env, 'FLUSH_MS', d.flushMs, 10),
    roomIdleMs: int(env, 'ROOM_IDLE_MS', d.roomIdleMs, 10),
    fanoutSlice: int(env, 'FANOUT_SLICE', d.fanoutSlice, 1),
    fanoutBudgetMs: int(env, 'FANOUT_BUDGET_MS', d.fanoutBudgetMs),
    socketRatePerS: int(env, 'SOCKET_RATE', d.socketRatePerS, 1),
    socketBurst: int(env, 'SOCKET_BURST', d.socketBurst, 1),
    socketFloodAfter: int(env, 'SOCKET_FLOOD_AFTER', d.socketFloodAfter, 1),
    socketBacklogBytes: int(env, 'SOCKET_BACKLOG_BYTES', d.socketBacklogBytes, 1 << 16),
    serverBacklogBytes: int(env, 'SERVER_BACKLOG_BYTES', d.serverBacklogBytes, 1 << 20),
    wrongCodeBurst: int(env, 'WRONG_CODE_BURST', d.wrongCodeBurst, 1),
    roomMemoryBytes: int(env, 'ROOM_MEMORY_BYTES', d.roomMemoryBytes, 1 << 20),
    slowMotionMs: int(env, 'SLOW_MOTION_MS', d.slowMotionMs),
    resultsMs: int(env, 'RESULTS_MS', d.resultsMs, 100),
    logMaxRecords: int(env, 'LOG_MAX_RECORDS', d.logMaxRecords),
    logMaxBytes: int(env, 'LOG_MAX_BYTES', d.logMaxBytes),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter((o) => o !== ''),
    wrongCodeRefillMs: int(env, 'WRONG_CODE_REFILL_MS', d.wrongCodeRefillMs, 1),
    roomCreateBurst: int(env, 'ROOM_CREATE_BURST', d.roomCreateBurst, 1),
    roomCreateRefillMs: int(env, 'ROOM_CREATE_REFILL_MS', d.roomCreateRefillMs, 1),
    maxStudentsPerRoom: int(env, 'MAX_STUDENTS', d.maxStudentsPerRoom, 1),
    logLevel: env.LOG_LEVEL || d.logLevel,
  });
}
