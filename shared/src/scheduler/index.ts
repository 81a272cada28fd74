export { SeededRandom } from './prng.ts';
export { TeacherScheduler, type PendingOp, type QueueRow, type ScheduledStep } from './scheduler.ts';
