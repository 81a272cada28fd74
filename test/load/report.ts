/**
 * What `pnpm loadtest` prints: per scenario a table of every figure for our
 * server and the bare relay with their ratio, then one JSON line per
 * scenario (the machine-readable result, checked against the targets of
 * issue 5).
 */
import type { RunResult } from './run.ts';
import type { Scenario } from './scenarios.ts';

/** Targets of issue 5; every scenario also has the memory and the updates targets. */
const TARGETS: Record<string, { p99_rtt_ms?: number; p99_seen_ms?: number; server_cpu?: number }> = {
  lecture: { p99_rtt_ms: 25, p99_seen_ms: 100, server_cpu: 0.6 },
  'big-lecture': { p99_seen_ms: 150 },
  'lab-day': { p99_seen_ms: 100 },
};
const RSS_PER_STUDENT_KB = 60;
const UPDATES_VS_RELAY_BEST = 5;

const round = (v: number, digits = 1) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

export interface Figures {
  ops_per_s: number;
  rounds_per_s: number;
  p50_rtt_ms: number;
  p95_rtt_ms: number;
  p99_rtt_ms: number;
  max_rtt_ms: number;
  p50_seen_ms: number;
  p95_seen_ms: number;
  p99_seen_ms: number;
  max_seen_ms: number;
  unseen: number;
  updates_per_s: number;
  byte_updates_per_s: number;
  messages_per_s: number;
  board_updates_per_s: number;
  server_cpu: number;
  server_loop_delay_p99_ms: number;
  server_loop_delay_max_ms: number;
  server_gc_pause_total_ms: number;
  server_gc_pause_max_ms: number;
  idle_rss_mb: number;
  joined_rss_mb: number;
  peak_rss_mb: number;
  rss_growth_mb: number;
  heap_growth_mb: number;
  rss_per_student_kb: number;
  /** The same at the end of the window: what the class's work added on top (logs, buffers, the young generation). */
  rss_per_student_end_kb: number;
  bots_cpu: number;
  bot_loop_delay_p99_ms: number;
  bot_loop_delay_max_ms: number;
  bot_gc_pause_max_ms: number;
  skipped_rounds: number;
  errors: number;
  other_load_cores: number;
}

export function figures(r: RunResult): Figures {
  const b = r.bots;
  const perS = (n: number) => n / r.windowS;
  return {
    ops_per_s: perS(b.ops),
    rounds_per_s: perS(b.rounds),
    p50_rtt_ms: b.rtt.p50,
    p95_rtt_ms: b.rtt.p95,
    p99_rtt_ms: b.rtt.p99,
    max_rtt_ms: b.rtt.max,
    p50_seen_ms: b.seen.p50,
    p95_seen_ms: b.seen.p95,
    p99_seen_ms: b.seen.p99,
    max_seen_ms: b.seen.max,
    unseen: b.unseen,
    updates_per_s: perS(b.updates),
    byte_updates_per_s: perS(b.byteUpdates),
    messages_per_s: perS(b.messages),
    board_updates_per_s: perS(b.boardUpdates),
    server_cpu: r.serverCpu,
    server_loop_delay_p99_ms: r.serverLoop?.loop_delay_p99_ms ?? NaN,
    server_loop_delay_max_ms: r.serverLoop?.loop_delay_max_ms ?? NaN,
    server_gc_pause_total_ms: r.serverLoop?.gc_pause_total_ms ?? NaN,
    server_gc_pause_max_ms: r.serverLoop?.gc_pause_max_ms ?? NaN,
    idle_rss_mb: r.idleRssKb / 1024,
    joined_rss_mb: r.joinedRssKb / 1024,
    peak_rss_mb: r.peakRssKb / 1024,
    rss_growth_mb: (r.endRssKb - r.joinedRssKb) / 1024,
    heap_growth_mb: r.serverLoop?.heap_growth_mb ?? NaN,
    rss_per_student_kb: r.rssPerStudentKb,
    rss_per_student_end_kb: (r.endRssKb - r.idleRssKb) / r.bots.students,
    bots_cpu: r.botsCpu,
    bot_loop_delay_p99_ms: b.botLoopDelayP99Ms,
    bot_loop_delay_max_ms: b.botLoopDelayMaxMs,
    bot_gc_pause_max_ms: b.botGcPauseMaxMs,
    skipped_rounds: b.skipped,
    errors: b.errors,
    other_load_cores: r.otherCores,
  };
}

const ROWS: [keyof Figures, string][] = [
  ['ops_per_s', 'operations/s (acked)'],
  ['rounds_per_s', 'rounds/s (stores or writes)'],
  ['p50_rtt_ms', 'round trip p50 ms'],
  ['p95_rtt_ms', 'round trip p95 ms'],
  ['p99_rtt_ms', 'round trip p99 ms'],
  ['max_rtt_ms', 'round trip max ms'],
  ['p50_seen_ms', 'store-to-seen p50 ms'],
  ['p95_seen_ms', 'store-to-seen p95 ms'],
  ['p99_seen_ms', 'store-to-seen p99 ms'],
  ['max_seen_ms', 'store-to-seen max ms'],
  ['unseen', 'stores never seen by all'],
  ['updates_per_s', 'logical updates/s'],
  ['byte_updates_per_s', 'byte-updates received/s'],
  ['messages_per_s', 'messages received/s'],
  ['board_updates_per_s', 'teacher board updates/s'],
  ['server_cpu', 'server CPU (cores)'],
  ['server_loop_delay_p99_ms', 'server event loop delay p99 ms'],
  ['server_loop_delay_max_ms', 'server event loop delay max ms'],
  ['server_gc_pause_total_ms', 'server GC pauses in the window, total ms'],
  ['server_gc_pause_max_ms', 'server GC pause max ms'],
  ['idle_rss_mb', 'server RSS idle MB'],
  ['joined_rss_mb', 'server RSS all joined, after GC MB'],
  ['peak_rss_mb', 'server peak RSS MB'],
  ['rss_growth_mb', 'server RSS growth over the window MB'],
  ['heap_growth_mb', 'server heap kept, after GC, MB'],
  ['rss_per_student_kb', 'RSS per student KB'],
  ['rss_per_student_end_kb', 'RSS per student at the window end KB'],
  ['bots_cpu', 'bot process CPU (cores)'],
  ['bot_loop_delay_p99_ms', 'bot event loop delay p99 ms'],
  ['bot_loop_delay_max_ms', 'bot event loop delay max ms'],
  ['bot_gc_pause_max_ms', 'bot GC pause max ms'],
  ['skipped_rounds', 'rounds skipped (in flight cap)'],
  ['errors', 'errors'],
  ['other_load_cores', 'other load on the machine (cores)'],
];

function cell(v: number | undefined): string {
  if (v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}

/** The table of one scenario: ours, relay, ours / relay. */
export function table(scenario: Scenario, ours: RunResult | undefined, relay: RunResult | undefined): string {
  const o = ours && figures(ours);
  const r = relay && figures(relay);
  const lines = [
    `${scenario.name}: ${scenario.rooms} room(s) x ${scenario.studentsPerRoom} students x ${scenario.rate} rounds/s` +
      (ours?.teacher ? ', a teacher board on each of our rooms' : '') +
      (relay !== undefined && relay.relayTickMs > 0 ? `, the relay batched at ${relay.relayTickMs} ms ticks` : ''),
    `${'figure'.padEnd(36)} ${'ours'.padStart(12)} ${'relay'.padStart(12)} ${'ratio'.padStart(8)}`,
  ];
  for (const [k, label] of ROWS) {
    const a = o?.[k];
    const b = r?.[k];
    const ratio = a !== undefined && b !== undefined && b !== 0 ? cell(a / b) : '-';
    lines.push(`${label.padEnd(36)} ${cell(a).padStart(12)} ${cell(b).padStart(12)} ${ratio.padStart(8)}`);
  }
  return lines.join('\n');
}

/** One JSON line: the figures issue 5 asks for, the relay's, and which targets were missed. */
export function jsonLine(scenario: Scenario, ours: RunResult | undefined, relay: RunResult | undefined, relayBestUpdates: number): Record<string, unknown> {
  const o = ours && figures(ours);
  const r = relay && figures(relay);
  const line: Record<string, unknown> = {
    scenario: scenario.name,
    rooms: scenario.rooms,
    students: scenario.rooms * scenario.studentsPerRoom,
    rate: scenario.rate,
  };
  if (o !== undefined) {
    Object.assign(line, {
      seconds: round(ours!.windowS, 1),
      ops_per_s: round(o.ops_per_s),
      rounds_per_s: round(o.rounds_per_s),
      p50_rtt_ms: round(o.p50_rtt_ms, 2),
      p95_rtt_ms: round(o.p95_rtt_ms, 2),
      p99_rtt_ms: round(o.p99_rtt_ms, 2),
      max_rtt_ms: round(o.max_rtt_ms, 2),
      p50_seen_ms: round(o.p50_seen_ms, 2),
      p95_seen_ms: round(o.p95_seen_ms, 2),
      p99_seen_ms: round(o.p99_seen_ms, 2),
      max_seen_ms: round(o.max_seen_ms, 2),
      unseen: o.unseen,
      server_cpu: round(o.server_cpu, 3),
      server_loop_delay_p99_ms: round(o.server_loop_delay_p99_ms, 2),
      server_gc_pause_max_ms: round(o.server_gc_pause_max_ms, 1),
      peak_rss_mb: round(o.peak_rss_mb, 1),
      rss_growth_mb: round(o.rss_growth_mb, 1),
      heap_growth_mb: round(o.heap_growth_mb, 1),
      rss_per_student_kb: round(o.rss_per_student_kb, 1),
      rss_per_student_end_kb: round(o.rss_per_student_end_kb, 1),
      updates_per_s: round(o.updates_per_s, 0),
      byte_updates_per_s: round(o.byte_updates_per_s, 0),
      messages_per_s: round(o.messages_per_s, 0),
      teacher_boards: ours!.teacher ? scenario.rooms : 0,
      bots_cpu: round(o.bots_cpu, 3),
      bot_loop_delay_p99_ms: round(o.bot_loop_delay_p99_ms, 2),
      bot_loop_delay_max_ms: round(o.bot_loop_delay_max_ms, 1),
      errors: o.errors,
      other_load_cores: round(o.other_load_cores, 2),
    });
  }
  if (r !== undefined) {
    Object.assign(line, {
      relay_tick_ms: relay!.relayTickMs,
      relay_ops_per_s: round(r.ops_per_s),
      relay_rounds_per_s: round(r.rounds_per_s),
      relay_p99_rtt_ms: round(r.p99_rtt_ms, 2),
      relay_p99_seen_ms: round(r.p99_seen_ms, 2),
      relay_unseen: r.unseen,
      relay_server_cpu: round(r.server_cpu, 3),
      relay_server_loop_delay_p99_ms: round(r.server_loop_delay_p99_ms, 2),
      relay_rss_per_student_kb: round(r.rss_per_student_kb, 1),
      relay_rss_per_student_end_kb: round(r.rss_per_student_end_kb, 1),
      relay_updates_per_s: round(r.updates_per_s, 0),
      relay_best_updates_per_s: round(relayBestUpdates, 0),
      relay_errors: r.errors,
      relay_other_load_cores: round(r.other_load_cores, 2),
    });
  }
  if (o !== undefined) {
    const missed: string[] = [];
    const t = TARGETS[scenario.name] ?? {};
    if (t.p99_rtt_ms !== undefined && !(o.p99_rtt_ms <= t.p99_rtt_ms)) missed.push(`p99_rtt_ms <= ${t.p99_rtt_ms}`);
    if (t.p99_seen_ms !== undefined && !(o.p99_seen_ms <= t.p99_seen_ms && o.unseen === 0)) missed.push(`p99_seen_ms <= ${t.p99_seen_ms}`);
    if (t.server_cpu !== undefined && !(o.server_cpu <= t.server_cpu)) missed.push(`server_cpu <= ${t.server_cpu}`);
    if (!(o.rss_per_student_kb <= RSS_PER_STUDENT_KB)) missed.push(`rss_per_student_kb <= ${RSS_PER_STUDENT_KB}`);
    if (relayBestUpdates > 0 && !(o.updates_per_s >= UPDATES_VS_RELAY_BEST * relayBestUpdates)) {
      missed.push(`updates_per_s >= ${UPDATES_VS_RELAY_BEST} x relay best`);
    }
    if (o.errors > 0) missed.push('no errors');
    line.targets_missed = missed;
  }
  return line;
}
