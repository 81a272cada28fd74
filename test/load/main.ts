/**
 * pnpm loadtest [scenario...] [--profile[=DIR]] [--ours-only | --relay-only]
 *
 * For each scenario (lecture, big-lecture and lab-day when none is named),
 * runs the bare relay and then our server, each as a fresh child process
 * driven by a separate bot process, prints a table of every figure (ours,
 * relay, ratio) as it goes and ends with one JSON line per scenario.
 *
 * Environment: LOAD_SECONDS (measured window, default 25), LOAD_DRAIN_MS
 * (10000), LOAD_RETRIES (retries of a disturbed run, 2), LOAD_MAX_OTHER
 * (other load, in cores, that makes a run disturbed, 0.3; each run first
 * waits up to LOAD_QUIET_WAIT_S, 180, for the machine to be that quiet), LOAD_MAX_IN_FLIGHT
 * (rounds one bot may have out, 4), LOAD_JOIN_CONCURRENCY (25), LOAD_TEACHER
 * (1: a teacher board attached to each of our rooms; off by default). Anything in
 * LOAD_SERVER_ENV (JSON) goes to our server's environment (e.g. TICK_MS).
 * LOAD_RELAY_TICK_MS (> 0) makes the relay the floor of our server's work:
 * a read and a write answered per round, a room's writes broadcast once per
 * tick of that many ms (see relay/server.ts).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { killAll, ROOT } from './children.ts';
import { formatProfile, summarizeProfile } from './profile.ts';
import { jsonLine, table } from './report.ts';
import { measure, type RunOptions, type RunResult } from './run.ts';
import { DEFAULT_SCENARIOS, scenarioByName } from './scenarios.ts';

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number >= 0, not ${JSON.stringify(raw)}`);
  return n;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const names = args.filter((a) => !a.startsWith('--'));
const profileFlag = flags.find((f) => f === '--profile' || f.startsWith('--profile='));
const profileDir =
  profileFlag === undefined ? undefined
  : profileFlag.includes('=') ? resolve(profileFlag.slice('--profile='.length))
  : resolve(ROOT, 'test-results/load-profile');
const modes = flags.includes('--ours-only') ? (['ours'] as const) : flags.includes('--relay-only') ? (['relay'] as const) : (['relay', 'ours'] as const);
for (const f of flags) {
  if (f !== profileFlag && f !== '--ours-only' && f !== '--relay-only') throw new Error(`unknown option ${f}`);
}
const scenarios = (names.length > 0 ? names : DEFAULT_SCENARIOS).map(scenarioByName);
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });

const log = (line: string) => process.stdout.write(line + '\n');
const options: RunOptions = {
  seconds: num('LOAD_SECONDS', 25),
  drainMs: num('LOAD_DRAIN_MS', 10_000),
  retries: num('LOAD_RETRIES', 2),
  maxOtherCores: num('LOAD_MAX_OTHER', 0.3),
  quietWaitS: num('LOAD_QUIET_WAIT_S', 180),
  maxInFlight: num('LOAD_MAX_IN_FLIGHT', 4),
  joinConcurrency: num('LOAD_JOIN_CONCURRENCY', 25),
  teacher: process.env.LOAD_TEACHER === '1',
  profileDir,
  serverEnv: process.env.LOAD_SERVER_ENV ? (JSON.parse(process.env.LOAD_SERVER_ENV) as Record<string, string>) : undefined,
  relayTickMs: num('LOAD_RELAY_TICK_MS', 0),
  log,
};

const results: { ours?: RunResult; relay?: RunResult }[] = [];
for (const scenario of scenarios) {
  log(`== ${scenario.name}: ${scenario.rooms} room(s) x ${scenario.studentsPerRoom} students x ${scenario.rate} rounds/s, ${options.seconds} s`);
  const r: { ours?: RunResult; relay?: RunResult } = {};
  for (const mode of modes) r[mode] = await measure(mode, scenario, options);
  results.push(r);
  log(table(scenario, r.ours, r.relay));
  if (r.ours?.profile !== undefined) {
    log(`cpu profile of our server: ${r.ours.profile.file} (summary over the measured window)`);
    log(formatProfile(summarizeProfile(r.ours.profile.file, r.ours.profile.fromUs, r.ours.profile.toUs)));
    if (r.ours.profile.botsFile !== undefined) {
      log(`cpu profile of the bot process: ${r.ours.profile.botsFile}`);
      log(formatProfile(summarizeProfile(r.ours.profile.botsFile, r.ours.profile.fromUs, r.ours.profile.toUs)));
    }
  }
  for (const mode of modes) {
    const samples = r[mode]!.bots.errorSamples;
    if (samples.length > 0) log(`${mode} errors (first ${samples.length}): ${samples.join(' | ')}`);
  }
  log('');
}

// "The relay at its best" is the plain relay's: a batched one does other work, and is not compared that way.
const relayBest = Math.max(0, ...results.map((r) => (r.relay === undefined || r.relay.relayTickMs > 0 ? 0 : r.relay.bots.updates / r.relay.windowS)));
for (let i = 0; i < scenarios.length; i++) {
  log(JSON.stringify(jsonLine(scenarios[i], results[i].ours, results[i].relay, relayBest)));
}
