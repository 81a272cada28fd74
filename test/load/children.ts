/**
 * The harness's children: the server under test (ours or the bare relay) and
 * the bot process. Each is started directly as one `node` process (never
 * through pnpm, whose nested processes survive a kill), tracked, and killed
 * when the harness exits however it exits; the servers also watch their
 * stdin (orphan-guard.ts) and the bots their IPC channel, so they stop by
 * themselves if the harness is killed outright.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { bundle, serverNodeOptions } from '../src/server/helpers/child-server.ts';
import type { BotConfig, FromBots, Mode, ToBots } from './ipc.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const ORPHAN_GUARD = join(ROOT, 'test/load/orphan-guard.ts');
const PROBE = join(ROOT, 'test/load/server-probe.ts');
/** A saturated server answers signals late, but it answers. */
const PROBE_TIMEOUT_MS = 30_000;
/** Starting a server on a saturated machine takes seconds; past this it is not coming up. */
const LISTEN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function track(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  live.add(child);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
}

/** Kill every child still running (the CLI's SIGINT/SIGTERM handler). */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

export interface ServerChild {
  mode: Mode;
  pid: number;
  url: string;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** server-probe.ts: collect garbage and note the heap, start the window, then end it and get the figures. */
  probeMark(): void;
  probeStart(): void;
  probeEnd(): Promise<ServerLoop | undefined>;
}

/** How the server's event loop fared over the window (server-probe.ts). */
export interface ServerLoop {
  loop_delay_p99_ms: number;
  loop_delay_max_ms: number;
  /** What the window added to the heap in use, after a full GC at each end. */
  heap_growth_mb: number;
  /** Garbage collector pauses in the window: all of them, and the longest. */
  gc_pause_total_ms: number;
  gc_pause_max_ms: number;
}

export interface ServerOptions {
  dataDir: string;
  /** Directory for `--cpu-prof` (ours only). */
  profileDir?: string;
  env?: Record<string, string>;
}

/**
 * Ours, as `pnpm start` runs it (the bundle, with its node options), or the bare relay, on
 * 127.0.0.1 and a port of the OS's choosing. tsx stays loaded in both for the preloads and the
 * relay. A --cpu-prof run of ours runs its source through tsx instead: the profile's summary
 * (profile.ts) names our code by its file, and in the bundle every function is in main.mjs.
 */
export async function startServer(mode: Mode, options: ServerOptions): Promise<ServerChild> {
  const profiled = options.profileDir !== undefined;
  if (mode === 'ours' && !profiled) await bundle();
  const entry = mode === 'relay' ? 'test/load/relay/server.ts' : profiled ? 'server/src/main.ts' : 'server/dist/main.mjs';
  const prof = profiled ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  // The relay runs with our server's node options too: the same runtime, so that its memory compares.
  const nodeOptions = ['--expose-gc', ...serverNodeOptions(), '--import', 'tsx', '--import', ORPHAN_GUARD, '--import', PROBE, ...prof];
  const child = spawn(process.execPath, [...nodeOptions, entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'warn',
      LOAD_ORPHAN_GUARD: '1',
      LOAD_PROBE: '1',
      // One address makes a whole lab day's rooms.
      ROOM_CREATE_BURST: '1000',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = track(child);
  let stderr = '';
  let probeWaiter: ((line: string) => void) | null = null;
  let probeOut = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-20_000);
    if (probeWaiter === null) return;
    probeOut += String(chunk);
    const m = /^LOAD-PROBE (.*)\n/m.exec(probeOut);
    if (m) probeWaiter(m[1]);
  });
  // Each SIGUSR2 moves the probe one step (server-probe.ts): these name the steps, in their order.
  const probeMark = () => void child.kill('SIGUSR2');
  const probeStart = () => void child.kill('SIGUSR2');
  const probeEnd = () =>
    new Promise<ServerLoop | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), PROBE_TIMEOUT_MS);
      probeOut = '';
      probeWaiter = (line) => {
        clearTimeout(timer);
        probeWaiter = null;
        resolve(JSON.parse(line) as ServerLoop);
      };
      child.kill('SIGUSR2');
    });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let listening = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${mode} server did not print its address within ${LISTEN_TIMEOUT_MS} ms: ${stderr}`));
    }, LISTEN_TIMEOUT_MS);
    child.stdout!.on('data', (chunk) => {
      if (listening) return;
      stdout += String(chunk);
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve({ mode, pid: child.pid!, url: m[1], child, exited, stderr: () => stderr, probeMark, probeStart, probeEnd });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${mode} server exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
}

/** SIGTERM (a graceful close, which also writes a --cpu-prof profile), then SIGKILL if it hangs. */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

export interface BotsChild {
  pid: number;
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The next message of this type; fails on `failed`, on exit, or after timeoutMs. */
  next<T extends FromBots['type']>(type: T, timeoutMs: number): Promise<Extract<FromBots, { type: T }>>;
  send(message: ToBots): void;
  output(): string;
}

/** `profileDir`: also write a --cpu-prof profile of the bot process there (where the harness's own time goes). */
export function startBots(config: BotConfig, profileDir?: string): BotsChild {
  const prof = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const child = fork(join(ROOT, 'test/load/bots.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...prof],
    env: { ...process.env, LOAD_BOT_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = track(child);
  let output = '';
  const keep = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const inbox: FromBots[] = [];
  let wake: (() => void) | null = null;
  let gone = false;
  child.on('message', (msg: FromBots) => {
    inbox.push(msg);
    wake?.();
  });
  void exited.then(() => {
    gone = true;
    wake?.();
  });
  return {
    pid: child.pid!,
    child,
    exited,
    output: () => output,
    send: (message) => void child.send(message),
    async next(type, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = inbox.findIndex((m) => m.type === type || m.type === 'failed');
        if (i >= 0) {
          const [msg] = inbox.splice(i, 1);
          if (msg.type === 'failed') throw new Error(`bots failed: ${msg.message}\n${output}`);
          return msg as Extract<FromBots, { type: typeof type }>;
        }
        if (gone) throw new Error(`bots exited before '${type}': ${output}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`bots sent no '${type}' within ${timeoutMs} ms: ${output}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
    },
  };
}
