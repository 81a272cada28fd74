export * from './catalog.ts';
export * from './results.ts';
export { memoryAccesses, holdsWriteLock, accessCollector, combineHooks, type MemoryAccess } from './accesses.ts';
export { lockWaits, waitTotals, type LockWait } from './lock-waits.ts';
export { Students, type StudentRef } from './students.ts';
export {
  counterResults, lockedCounterResults, compareCounterRounds,
  type CounterResults, type LockedCounterResults, type CounterRoundBar, type CounterStudent, type Increment, type LostUpdate, type CounterOptions,
} from './counter.ts';
export { deadlockResults, deadlockRanges, type DeadlockResults, type DeadlockEvent, type DeadlockPair, type PairOutcome } from './deadlock.ts';
export { seatResults, SEAT_ROWS, SEATS_PER_ROW, FREE, type SeatResults, type DoubleBooking } from './seats.ts';
export { crashResults, CRASH_CAUSES, type CrashResults, type CrashCause, type CrashGoals, type Death, type Refusal } from './crash.ts';
export { visibilityResults, type VisibilityResults, type StoreSeen, type PageCopy, type MappingKind } from './visibility.ts';
export { DemoRun, demoResults, type DemoResults } from './demo.ts';
