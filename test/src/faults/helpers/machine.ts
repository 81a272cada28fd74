import { readFileSync } from 'node:fs';
import { sleep } from './knobs.ts';

/** Total and idle jiffies of all CPUs, from /proc/stat (undefined off Linux). */
function cpuTimes(): { total: number; idle: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { total: f.reduce((a, b) => a + b, 0), idle };
  } catch {
    return undefined;
  }
}

/** CPU time a process has used so far, in ms (user + system, all its threads), from /proc. */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in 1/100 s
}

/**
 * Start watching the CPU. The function returned says, since then, how idle the
 * machine was and how much of it other processes used: all CPU time but this
 * process's and `pids`' own, as a share of the machine.
 */
export function cpuWatch(): (pids?: { pid: number; fromMs: number }[]) => { idle: number; others: number } {
  const a = cpuTimes();
  const self = process.cpuUsage();
  return (pids = []) => {
    const b = cpuTimes();
    if (a === undefined || b === undefined || b.total === a.total) return { idle: 1, others: 0 };
    const total = b.total - a.total;
    const busy = total - (b.idle - a.idle);
    const mine = process.cpuUsage(self);
    let ours = (mine.user + mine.system) / 10_000; // µs to 1/100 s
    for (const p of pids) ours += (cpuMsOf(p.pid) - p.fromMs) / 10;
    return { idle: (b.idle - a.idle) / total, others: Math.max(0, busy - ours) / total };
  };
}

/** The share (0..1) of the machine's CPU time that was idle over the next `ms`. */
export async function idleShare(ms: number): Promise<number> {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  if (a === undefined || b === undefined || b.total === a.total) return 1;
  return (b.idle - a.idle) / (b.total - a.total);
}

/**
 * Timing assertions on a shared 2-core machine: wait (boundedly) until at
 * least `minIdle` of the CPU is free, so a figure measures our server and not
 * a neighbour's build. Returns the idle share last seen.
 */
export async function waitForQuiet(minIdle = 0.5, maxWaitMs = 20_000): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  let idle = await idleShare(300);
  while (idle < minIdle && Date.now() < deadline) idle = await idleShare(300);
  return idle;
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}
