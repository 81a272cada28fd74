import type { RequestOf } from '@mmap-lab/shared/protocol/events.ts';
import { exerciseResultsNow, launchExercise, stopExercise } from '../../rooms/lesson/controls.ts';
import { pastResults } from '../../rooms/lesson/past-results.ts';
import type { TeacherContext } from '../context.ts';

export const chapter = (ctx: TeacherContext, req: RequestOf<'teacher:chapter'>) => {
  ctx.room.lesson.setChapter(req.chapter);
  return { room: ctx.room.summary() };
};

export const exerciseStart = (ctx: TeacherContext, req: RequestOf<'teacher:exercise:start'>) => {
  const exercise = launchExercise(ctx.room, req.id, req.options);
  return { room: ctx.room.summary(), exercise };
};

export const exerciseResults = (ctx: TeacherContext, req: RequestOf<'teacher:exercise:results'>) => ({
  results: req.run === undefined ? exerciseResultsNow(ctx.room) : pastResults(ctx.room, ctx.deps.lessons, req.run),
});
export const exerciseStop = (ctx: TeacherContext) => ({ results: stopExercise(ctx.room) });
