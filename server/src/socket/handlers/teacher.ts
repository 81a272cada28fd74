import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import { continueAll as continueAllIn, killProcess, stopAll as stopAllIn } from '../../rooms/teacher-controls.ts';
import type { TeacherContext } from '../context.ts';

export const lockJoins = (ctx: TeacherContext, req: RequestOf<'teacher:lock-joins'>) => {
  ctx.room.setLocked(req.locked);
  return { room: ctx.room.summary() };
};

export const kill = (ctx: TeacherContext, req: RequestOf<'teacher:kill'>) => ({ pids: killProcess(ctx.room, req.pid) });
export const stopAll = (ctx: TeacherContext) => ({ pids: stopAllIn(ctx.room) });
export const continueAll = (ctx: TeacherContext) => ({ pids: continueAllIn(ctx.room) });

export const reboot = (ctx: TeacherContext, req: RequestOf<'teacher:reboot'>) => {
  ctx.room.reboot(req);
  return { room: ctx.room.summary() };
};

export const close = (ctx: TeacherContext) => {
  const room = ctx.room.summary();
  ctx.deps.registry.close(ctx.room);
  return { room };
};
