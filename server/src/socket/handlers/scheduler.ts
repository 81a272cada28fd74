import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import { redoStep, startScheduler, stopScheduler, teacherQueue, undoStep } from '../../rooms/lesson/scheduling.ts';
import type { TeacherContext } from '../context.ts';

export const start = (ctx: TeacherContext, req: RequestOf<'teacher:scheduler:start'>) => ({ queue: startScheduler(ctx.room, req.seed) });

export const run = (ctx: TeacherContext, req: RequestOf<'teacher:scheduler:run'>) => {
  const queue = teacherQueue(ctx.room);
  const step = queue.run(req.id);
  return { step, queue: queue.state() };
};

export const roundRobin = (ctx: TeacherContext) => {
  const queue = teacherQueue(ctx.room);
  const step = queue.roundRobin();
  return { step, queue: queue.state() };
};

export const random = (ctx: TeacherContext, req: RequestOf<'teacher:scheduler:random'>) => {
  const queue = teacherQueue(ctx.room);
  if (req.seed !== undefined) ctx.room.lesson.reseed(req.seed);
  const step = queue.random();
  return { step, queue: queue.state() };
};

export const undo = (ctx: TeacherContext) => undoStep(ctx.room);

export const redo = (ctx: TeacherContext) => redoStep(ctx.room);

export const replay = (ctx: TeacherContext) => {
  const queue = teacherQueue(ctx.room);
  const steps = queue.replay();
  return { steps, queue: queue.state() };
};

export const stop = (ctx: TeacherContext) => stopScheduler(ctx.room);
