/**
 * The bot process: every bot of a run, in one Node process of its own (the
 * harness forks it with an IPC channel). It joins them all, says `ready`,
 * waits for `go`, runs the rounds at the scenario's rate for the window,
 * drains what is still in flight, sends its figures and exits. It exits on
 * its own if the harness goes away.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OurDriver } from './bot-ours.ts';
import { GcPauses } from './gc-pauses.ts';
import { RelayDriver } from './bot-relay.ts';
import type { BotConfig, BotResult, FromBots, ToBots } from './ipc.ts';
import { Metrics } from './metrics.ts';
import { summarize } from './stats.ts';

/** Joining hundreds of bots on a busy two-core machine takes a while; past this the run has failed. */
const SETUP_DEADLINE_MS = 300_000;
const DRAIN_POLL_MS = 20;

function send(message: FromBots): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) throw new Error('bots.ts runs as a child of the load harness (no IPC channel)');
    process.send(message, undefined, {}, () => resolve());
  });
}

const config = JSON.parse(process.env.LOAD_BOT_CONFIG ?? 'null') as BotConfig | null;
if (config === null) throw new Error('LOAD_BOT_CONFIG is not set');
process.on('disconnect', () => process.exit(2));

const metrics = new Metrics();
const driver = config.mode === 'ours' ? new OurDriver(config, metrics) : new RelayDriver(config, metrics);
type AnyBot = { inFlight: number };
const round = (bot: AnyBot) => (driver.round as (b: AnyBot) => void).call(driver, bot);

async function main(cfg: BotConfig): Promise<void> {
  const t0 = performance.now();
  const deadline = setTimeout(() => {
    void send({ type: 'failed', message: `bots not joined after ${SETUP_DEADLINE_MS} ms` }).then(() => process.exit(1));
  }, SETUP_DEADLINE_MS);
  await driver.setup();
  clearTimeout(deadline);
  const joinMs = performance.now() - t0;
  const go = new Promise<void>((resolve) => {
    process.on('message', (msg: ToBots) => {
      if (msg.type === 'go') resolve();
    });
  });
  await send({ type: 'ready', joinMs, students: driver.bots.length });
  await go;

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // The bots' own collector pauses delay every reading behind them, like the server's.
  const gc = new GcPauses();
  gc.start();
  const start = performance.now();
  metrics.windowStart = start;
  metrics.windowEnd = start + cfg.seconds * 1000;
  const period = 1000 / cfg.scenario.rate;
  // Open loop: each bot's rounds are due on a fixed schedule (random phase),
  // whatever the server's latency; a round due while too many are out is skipped.
  for (const bot of driver.bots as AnyBot[]) {
    let due = start + Math.random() * period;
    const tick = () => {
      if (due >= metrics.windowEnd) return;
      if (bot.inFlight < cfg.maxInFlight) round(bot);
      else metrics.skipped++;
      due += period;
      setTimeout(tick, Math.max(0, due - performance.now()));
    };
    setTimeout(tick, due - start);
  }
  await new Promise((resolve) => setTimeout(resolve, metrics.windowEnd - performance.now()));
  loop.disable();
  gc.stop();
  await send({ type: 'window-end' });

  const drainEnd = performance.now() + cfg.drainMs;
  const inFlight = () => (driver.bots as AnyBot[]).reduce((n, b) => n + b.inFlight, 0);
  while (performance.now() < drainEnd && (inFlight() > 0 || driver.pending() > 0)) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  const lost = inFlight();
  if (lost > 0) metrics.error(`${lost} rounds still unanswered ${cfg.drainMs} ms after the window`);
  driver.stopping = true;
  driver.finish();

  const result: BotResult = {
    students: driver.bots.length,
    rooms: driver.rooms.length,
    joinMs,
    ops: metrics.ops,
    rounds: metrics.rounds,
    skipped: metrics.skipped,
    rtt: summarize(metrics.rtt.values()),
    seen: summarize(metrics.seen.values()),
    unseen: metrics.unseen,
    updates: metrics.updates,
    byteUpdates: metrics.byteUpdates,
    messages: metrics.messages,
    errors: metrics.errors,
    errorSamples: metrics.errorSamples,
    botLoopDelayP99Ms: loop.percentile(99) / 1e6,
    botLoopDelayMaxMs: loop.max / 1e6,
    botGcPauseMaxMs: gc.maxMs,
    boardUpdates: metrics.boardUpdates,
  };
  await send({ type: 'result', result });
  for (const bot of driver.bots) bot.socket.close();
  for (const socket of driver.boards) socket.close();
  process.exit(0);
}

main(config).catch(async (error: unknown) => {
  await send({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) });
  process.exit(1);
});
