import type { QueueState, ScheduledStepWire } from '@mmap-lab/shared/protocol/scheduler.ts';
import { cLine } from '@mmap-lab/shared/content/c-line.ts';
import type { TeacherQueue } from '../ordering/teacher-queue.ts';
import { Refused } from '../refused.ts';
import type { Room } from '../room.ts';

/** The teacher's queue, or WRONG_STATE when the teacher is not the scheduler. */
export function teacherQueue(room: Room): TeacherQueue {
  const queue = room.lesson.ordering.teacher;
  if (queue === null) throw new Refused('WRONG_STATE', 'The teacher is not the scheduler now: start it first (teacher:scheduler:start).');
  return queue;
}

/** Students' operations wait for the teacher from now on. Started again, it only takes the new seed. */
export function startScheduler(room: Room, seed?: number): QueueState {
  const queue = room.lesson.ordering.teacher;
  if (queue !== null) {
    if (seed !== undefined) room.lesson.reseed(seed);
    return queue.state();
  }
  if (room.log.full) {
    throw new Refused('WRONG_STATE', "The room's log is full: undo would lose what was not recorded. Reboot or launch an exercise first (a new log).");
  }
  room.lesson.setOrdering('teacher', 'The teacher is the scheduler now: each operation you send waits in a queue until the teacher runs it.', seed);
  return teacherQueue(room).state();
}

/** Back to arrival order: what is queued runs first, oldest first. */
export function stopScheduler(room: Room): { steps: ScheduledStepWire[]; queue: QueueState } {
  const queue = teacherQueue(room);
  const steps = room.lesson.setOrdering('arrival', 'Back to arrival order: your operations run as soon as they arrive.');
  return { steps, queue: { ...queue.state(), ordering: 'arrival' } };
}

/**
 * Take back the last step: the kernel goes back to just before it, the
 * operation waits in the queue again (its student is told), and everyone
 * gets their whole state again.
 */
export function undoStep(room: Room) {
  const queue = teacherQueue(room);
  const before = room.kernelState.cache;
  const undone = queue.undo();
  if (undone === undefined) return { undone: null, queue: queue.state() };
  const c = cLine(undone.op);
  // Before the rewind, so the snapshot it sends has the line under the undone operation's own.
  room.fanout.feed({ pid: undone.pid, name: undone.name, text: `teacher: undo ${c}`, explanation: 'The room is back to just before it; the operation waits in the queue again.' });
  room.rewound(before, undone.pid, `The teacher undid ${undone.name}'s ${c}: the room is back to just before it.`);
  room.toPid(undone.pid, 'op:undone', { id: undone.id, c, message: 'The teacher undid this operation: it waits in the queue again.' });
  return { undone: { id: undone.id, pid: undone.pid, name: undone.name, c }, queue: queue.state() };
}

/** Run the last undone step again; the feed says it was a redo. */
export function redoStep(room: Room): { step: ScheduledStepWire | null; queue: QueueState } {
  const queue = teacherQueue(room);
  const step = queue.redo();
  if (step !== null) room.fanout.feed({ pid: step.pid, name: step.name, text: `teacher: redo ${step.c}` });
  return { step, queue: queue.state() };
}
