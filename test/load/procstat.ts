/**
 * What Linux says about a process and the machine, read from /proc: CPU time
 * (utime + stime), resident memory now (VmRSS) and at its peak (VmHWM), and
 * the whole machine's busy time, so a run can tell how much of the machine
 * other work took while it measured.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

let clockTicks: number | undefined;
/** USER_HZ: the unit of /proc's CPU times (100 on every Linux we run on, but ask). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** CPU seconds a process has used (user + system), or NaN if it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing paren are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return NaN;
  }
}

/** VmRSS and VmHWM of a process in KiB (NaN if it is gone). */
export function memoryKb(pid: number): { rssKb: number; hwmKb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return { rssKb: NaN, hwmKb: NaN };
  }
}

/** The whole machine's busy and total CPU seconds since boot (all cores). */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already inside user)
  const idle = v[3] + v[4];
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
}

export interface Window {
  seconds: number;
  /** Cores' worth of CPU per process of interest over the window (1.0 = one core). */
  cores: Record<string, number>;
  /** Cores' worth of CPU everything else on the machine used meanwhile. */
  otherCores: number;
  loadavgAtEnd: number;
}

/** Start measuring CPU of some processes and of the machine; `end()` gives the figures. */
export function cpuWindow(pids: Record<string, number>): { end(): Window } {
  const t0 = performance.now();
  const m0 = machineCpu();
  const c0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  return {
    end() {
      const seconds = (performance.now() - t0) / 1000;
      const m1 = machineCpu();
      const cores: Record<string, number> = {};
      let ours = 0;
      for (const [k, pid] of Object.entries(pids)) {
        const used = cpuSeconds(pid) - c0[k];
        cores[k] = used / seconds;
        if (Number.isFinite(used)) ours += used;
      }
      const otherCores = Math.max(0, (m1.busy - m0.busy - ours) / seconds);
      return { seconds, cores, otherCores, loadavgAtEnd: loadavg()[0] };
    },
  };
}
