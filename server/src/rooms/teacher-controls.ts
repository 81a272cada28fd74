import type { Pid } from '@mmap-lab/shared';
import { Refused } from './refused.ts';
import type { Room } from './room.ts';

/** The teacher's signals, as `kill(2)` would send them; each answers with the pids it reached. */
export function killProcess(room: Room, pid: Pid): Pid[] {
  const p = room.kernel.process(pid);
  if (p === undefined) throw new Refused('NO_SUCH_PROCESS', `This room has no process ${pid}.`);
  if (!p.alive) return [];
  room.signal(pid, 'SIGKILL', `teacher: kill(${pid}, SIGKILL);`);
  return [pid];
}

export function stopAll(room: Room): Pid[] {
  const pids = [...room.kernelState.liveProcesses()].filter((p) => !p.stopped).map((p) => p.pid);
  for (const pid of pids) room.signal(pid, 'SIGSTOP', `teacher: kill(${pid}, SIGSTOP);`);
  return pids;
}

export function continueAll(room: Room): Pid[] {
  const pids = [...room.kernelState.liveProcesses()].filter((p) => p.stopped).map((p) => p.pid);
  for (const pid of pids) room.signal(pid, 'SIGCONT', `teacher: kill(${pid}, SIGCONT);`);
  return pids;
}
