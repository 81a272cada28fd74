import { cpuSeconds, machineCpu } from '../../../load/procstat.ts';
import { sleep } from './knobs.ts';

/** CPU time a process has used so far, in ms (user + system, all its threads); NaN once it is gone. */
export function cpuMsOf(pid: number): number {
  return cpuSeconds(pid) * 1000;
}

/**
 * Start watching the CPU. The function returned says, since then, how idle the
 * machine was and how much of it other processes used: all CPU time but this
 * process's and `pids`' own, as a share of the machine.
 */
export function cpuWatch(): (pids?: { pid: number; fromMs: number }[]) => { idle: number; others: number } {
  const a = machineCpu();
  const self = process.cpuUsage();
  return (pids = []) => {
    const b = machineCpu();
    const total = b.total - a.total;
    if (total <= 0) return { idle: 1, others: 0 };
    const busy = b.busy - a.busy;
    const mine = process.cpuUsage(self);
    let ours = (mine.user + mine.system) / 1e6; // µs to s
    for (const p of pids) {
      const used = cpuMsOf(p.pid) - p.fromMs;
      if (Number.isFinite(used)) ours += used / 1000; // a process that is gone counts as none
    }
    return { idle: 1 - busy / total, others: Math.max(0, busy - ours) / total };
  };
}

/** The share (0..1) of the machine's CPU time that was idle over the next `ms`. */
export async function idleShare(ms: number): Promise<number> {
  const a = machineCpu();
  await sleep(ms);
  const b = machineCpu();
  const total = b.total - a.total;
  return total <= 0 ? 1 : 1 - (b.busy - a.busy) / total;
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
