import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import type { TeacherContext } from '../context.ts';

export const lockJoins = (ctx: TeacherContext, req: RequestOf<'teacher:lock-joins'>) => {
  ctx.room.setLocked(req.locked);
  return { room: ctx.room.summary() };
};

export const kill = (ctx: TeacherContext, req: RequestOf<'teacher:kill'>) => ({ pids: ctx.room.kill(req.pid) });
export const stopAll = (ctx: TeacherContext) => ({ pids: ctx.room.stopAll() });
export const continueAll = (ctx: TeacherContext) => ({ pids: ctx.room.continueAll() });

export const reboot = (ctx: TeacherContext, req: RequestOf<'teacher:reboot'>) => {
  ctx.room.reboot(req);
  return { room: ctx.room.summary() };
};

export const close = (ctx: TeacherContext) => {
  const room = ctx.room.summary();
  ctx.deps.registry.close(ctx.room);
  return { room };
};
