import { exercise } from '@mmap-lab/shared/exercises/catalog.ts';
import type { ExerciseBrief, ExerciseOptions, ExerciseResultsWire } from '@mmap-lab/shared/protocol/lesson.ts';
import type { ExerciseId } from '@mmap-lab/shared/exercises/catalog.ts';
import { Refused } from '../refused.ts';
import type { Room } from '../room.ts';
import { ExerciseRun } from './exercise-run.ts';

/**
 * Launch an exercise with one click: the room reboots with the exercise's
 * file and page size (every process dies, students are told and join
 * again), and the class is divided from the students present, in join order.
 */
export function launchExercise(room: Room, id: ExerciseId, options: ExerciseOptions): ExerciseBrief {
  const { setup } = exercise(id);
  const names = room.sessions.present().map((s) => s.name);
  const run = ExerciseRun.launch(room.lesson.nextRun(), id, options, names);
  room.reboot({ template: setup.template, text: setup.text, pageSize: setup.pageSize }, run);
  return run.brief();
}

export function exerciseResultsNow(room: Room): ExerciseResultsWire | null {
  return room.lesson.latestResults();
}

export function stopExercise(room: Room): ExerciseResultsWire {
  if (room.lesson.exercise === null) throw new Refused('WRONG_STATE', 'No exercise is running.');
  return room.lesson.stop();
}
