/**
 * One measured run: a fresh server child (ours or the relay, temp DATA_DIR),
 * a bot child that joins every student, then the window during which the
 * harness reads the server's CPU and memory from /proc while the bots count.
 * Disturbed runs (other work on the machine took more than a threshold of
 * CPU during the window) are retried and the least disturbed one is kept.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBots, startServer, stopChild, type ServerLoop } from './children.ts';
import type { BotResult, Mode } from './ipc.ts';
import { cpuWindow, machineCpu, memoryKb } from './procstat.ts';
import type { Scenario } from './scenarios.ts';

export interface RunOptions {
  seconds: number;
  drainMs: number;
  joinConcurrency: number;
  maxInFlight: number;
  /** Retries of a disturbed run. */
  retries: number;
  /** A run during which other processes used more than this many cores is disturbed. */
  maxOtherCores: number;
  /** Before each run, wait up to this long for the machine to be that quiet. */
  quietWaitS: number;
  /** Attach a teacher board to each of our rooms. */
  teacher: boolean;
  /** Write a --cpu-prof profile of our server here. */
  profileDir?: string;
  /** Extra environment for our server (TICK_MS...). */
  serverEnv?: Record<string, string>;
  /** > 0: the relay batches, as the floor of our server's work (see relay/server.ts). */
  relayTickMs: number;
  log: (line: string) => void;
}

export interface RunResult {
  mode: Mode;
  /** The relay batched its broadcasts at this tick (0: each write broadcast as it came). */
  relayTickMs: number;
  /** A teacher board was attached to each room. */
  teacher: boolean;
  bots: BotResult;
  windowS: number;
  /** Cores' worth of CPU over the window (1.0 = one core). */
  serverCpu: number;
  botsCpu: number;
  otherCores: number;
  loadavg: number;
  idleRssKb: number;
  joinedRssKb: number;
  peakRssKb: number;
  /** RSS at the end of the window: what the run itself left behind (logs, buffers, heap growth). */
  endRssKb: number;
  rssPerStudentKb: number;
  attempts: number;
  /** The server's event loop over the window (undefined if the probe did not answer). */
  serverLoop: ServerLoop | undefined;
  /** ours with a profile: the file and the window (CLOCK_MONOTONIC µs, as the profile's timestamps). */
  profile?: { file: string; botsFile: string | undefined; fromUs: number; toUs: number };
}

/** Let a fresh process settle (tsx compile, JIT, first GC) before reading its idle memory. */
const SETTLE_MS = 1500;
/** Time for the probe's full GC before the window opens. */
const PROBE_GC_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

async function runOnce(mode: Mode, scenario: Scenario, o: RunOptions): Promise<Omit<RunResult, 'attempts'>> {
  const dataDir = mkdtempSync(join(tmpdir(), `mmap-lab-load-${mode}-`));
  const profileDir = mode === 'ours' ? o.profileDir : undefined;
  const server = await startServer(mode, {
    dataDir,
    profileDir,
    env: mode === 'ours' ? o.serverEnv : { RELAY_TICK_MS: String(o.relayTickMs) },
  });
  let bots: ReturnType<typeof startBots> | undefined;
  try {
    await sleep(SETTLE_MS);
    const idleRssKb = memoryKb(server.pid).rssKb;
    bots = startBots({
      mode,
      url: server.url,
      scenario,
      seconds: o.seconds,
      drainMs: o.drainMs,
      joinConcurrency: o.joinConcurrency,
      maxInFlight: o.maxInFlight,
      teacher: o.teacher,
      relayTickMs: o.relayTickMs,
    }, profileDir);
    const ready = await bots.next('ready', 360_000);
    // A full GC (and the heap it leaves) before the window, so it pauses nothing inside it;
    // RSS is read after it, so what the students hold is not mixed with their joins' garbage.
    server.probeMark();
    await sleep(PROBE_GC_MS);
    const joinedRssKb = memoryKb(server.pid).rssKb;
    o.log(`  ${mode}: ${ready.students} joined in ${(ready.joinMs / 1000).toFixed(1)} s; measuring ${o.seconds} s`);
    const window = cpuWindow({ server: server.pid, bots: bots.pid, harness: process.pid });
    const fromUs = monotonicUs();
    server.probeStart();
    bots.send({ type: 'go' });
    await bots.next('window-end', o.seconds * 1000 + 60_000);
    const toUs = monotonicUs();
    const w = window.end();
    const serverLoop = await server.probeEnd();
    const { hwmKb: peakRssKb, rssKb: endRssKb } = memoryKb(server.pid);
    const { result } = await bots.next('result', o.drainMs + 60_000);
    await bots.exited;
    await stopChild(server.child, server.exited);
    let profile: RunResult['profile'];
    if (profileDir !== undefined) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
      const fileOf = (pid: number) => readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.0.`));
      const file = fileOf(server.pid);
      const botsFile = fileOf(bots.pid);
      if (file !== undefined) profile = { file: join(profileDir, file), botsFile: botsFile && join(profileDir, botsFile), fromUs, toUs };
    }
    return {
      mode,
      relayTickMs: mode === 'relay' ? o.relayTickMs : 0,
      teacher: mode === 'ours' && o.teacher,
      bots: result,
      windowS: w.seconds,
      serverCpu: w.cores.server,
      botsCpu: w.cores.bots,
      otherCores: w.otherCores,
      loadavg: w.loadavgAtEnd,
      idleRssKb,
      joinedRssKb,
      peakRssKb,
      endRssKb,
      rssPerStudentKb: (joinedRssKb - idleRssKb) / result.students,
      serverLoop,
      profile,
    };
  } finally {
    if (bots !== undefined && bots.child.exitCode === null) bots.child.kill('SIGKILL');
    await stopChild(server.child, server.exited);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Other work on the machine comes in bursts (a build, a browser test): wait for a quiet moment, within reason. */
async function waitForQuiet(o: RunOptions): Promise<void> {
  if (o.quietWaitS <= 0) return;
  const deadline = Date.now() + o.quietWaitS * 1000;
  let said = false;
  for (;;) {
    const a = machineCpu();
    await sleep(2000);
    const b = machineCpu();
    const busy = (b.busy - a.busy) / 2;
    if (busy <= o.maxOtherCores) return;
    if (Date.now() >= deadline) {
      o.log(`  the machine is still busy (${busy.toFixed(2)} cores); running anyway`);
      return;
    }
    if (!said) o.log(`  waiting for the machine to be quiet (${busy.toFixed(2)} cores busy)...`);
    said = true;
  }
}

/** Run until undisturbed (or out of retries); keep the least disturbed run. */
export async function measure(mode: Mode, scenario: Scenario, o: RunOptions): Promise<RunResult> {
  let best: Omit<RunResult, 'attempts'> | undefined;
  let attempts = 0;
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    attempts++;
    await waitForQuiet(o);
    const run = await runOnce(mode, scenario, o);
    const disturbed = run.otherCores > o.maxOtherCores;
    o.log(
      `  ${mode}: other load ${run.otherCores.toFixed(2)} cores during the window` +
        (disturbed ? ` (> ${o.maxOtherCores}: disturbed${attempt < o.retries ? ', again' : ''})` : ''),
    );
    if (best === undefined || run.otherCores < best.otherCores) best = run;
    if (!disturbed) break;
  }
  return { ...best!, attempts };
}
