import { templateBytes, type TeachingPageSize, type TemplateId } from '../content/templates.ts';

export const EXERCISE_IDS = [
  'see-it-change', 'shared-vs-private', 'crash-course', 'counter-race',
  'locked-counter', 'deadlock', 'seat-booking', 'demo-program',
] as const;
export type ExerciseId = (typeof EXERCISE_IDS)[number];

/** The room's file and page size for an exercise: the server reboots the room with them. */
export interface ExerciseSetup {
  template: Exclude<TemplateId, 'custom'>;
  /** The text, for the `text` template. */
  text?: string;
  pageSize: TeachingPageSize;
}

export interface Exercise {
  id: ExerciseId;
  /** 1 to 8, as the issue numbers them. */
  number: number;
  title: string;
  /** The lesson chapter it belongs to. */
  chapter: number;
  /** One sentence for the top of the board. */
  goal: string;
  setup: ExerciseSetup;
  /** What each student does, in order, short enough for a phone. */
  checklist: string[];
  /** How the class is divided: in two halves (shared/private), in pairs, or not at all. */
  groups: 'none' | 'halves' | 'pairs';
}

/** Options of the two counter exercises. */
export interface CounterSettings {
  /** Increments each student does. */
  increments: number;
  /** File offset of the counter. */
  offset: number;
}
export const DEFAULT_COUNTER_SETTINGS: CounterSettings = { increments: 5, offset: 0 };
/** A "slow motion" round: long enough that everyone's load lands before anyone's store. */
export const SLOW_MOTION_MS = 1500;

export const EXERCISES: readonly Exercise[] = [
  {
    id: 'see-it-change',
    number: 1,
    title: 'See it change',
    chapter: 3,
    goal: 'One store into a shared page shows up in every shared mapping of it at once.',
    setup: { template: 'text', text: 'Store a byte here and every shared mapping shows it at once.\n', pageSize: 16 },
    checklist: [
      'Open the file O_RDWR.',
      'Map all of it: PROT_READ|PROT_WRITE, MAP_SHARED, offset 0.',
      'Watch your copy of the page while someone else stores into it.',
      'Store one letter of your own, and look at the board: who saw it?',
    ],
    groups: 'none',
  },
  {
    id: 'shared-vs-private',
    number: 2,
    title: 'Shared against private',
    chapter: 3,
    goal: 'MAP_SHARED stores reach the file and everyone; a MAP_PRIVATE store copies the page and stays yours.',
    setup: { template: 'text', text: 'page 0: .......\npage 1: .......\npage 2: .......\npage 3: .......\n', pageSize: 16 },
    checklist: [
      'Open the file O_RDWR.',
      'Map all 64 bytes with the flag your half was given: MAP_SHARED or MAP_PRIVATE.',
      'Store a letter into page 0, then into page 2.',
      'Load bytes from pages 0 to 3: which of the other half\'s stores can you see, and on which pages?',
    ],
    groups: 'halves',
  },
  {
    id: 'crash-course',
    number: 3,
    title: 'Crash course',
    chapter: 4,
    goal: 'Find three ways to die and one way to be refused.',
    setup: { template: 'text', text: 'Three ways to die, one way to be refused.\n', pageSize: 16 },
    checklist: [
      'Die of SIGSEGV by storing through a PROT_READ mapping.',
      'Die of SIGSEGV by touching a page after munmap took it away.',
      'Die of SIGBUS: map 64 bytes of this 42-byte file and load from the last page.',
      'Be refused with EACCES: open O_RDONLY and ask for a shared, writable mapping.',
      'Each death ends your process: start a new one and carry on.',
    ],
    groups: 'none',
  },
  {
    id: 'counter-race',
    number: 4,
    title: 'The counter race',
    chapter: 5,
    goal: 'Everyone adds one to a shared counter; without a lock, some of the additions disappear.',
    setup: { template: 'counter', pageSize: 16 },
    checklist: [
      'Open the file O_RDWR and map it MAP_SHARED with PROT_READ|PROT_WRITE.',
      'Load byte 0 into your register.',
      'Add one to the register.',
      'Store the register back into byte 0.',
      'Repeat until you have done your increments, then compare the counter with the class total.',
    ],
    groups: 'none',
  },
  {
    id: 'locked-counter',
    number: 5,
    title: 'The locked counter',
    chapter: 5,
    goal: 'The same increments, each inside a write lock: the count comes out exact, and waiting is the price.',
    setup: { template: 'counter', pageSize: 16 },
    checklist: [
      'Open the file O_RDWR and map it MAP_SHARED with PROT_READ|PROT_WRITE.',
      'Take a write lock on byte 0 with F_SETLKW (you may have to wait).',
      'Load byte 0, add one, store it back.',
      'Release the lock with F_UNLCK.',
      'Repeat until you have done your increments.',
    ],
    groups: 'none',
  },
  {
    id: 'deadlock',
    number: 6,
    title: 'Deadlock',
    chapter: 5,
    goal: 'Two processes lock two ranges in opposite orders; the kernel refuses the request that would close the cycle.',
    setup: { template: 'blank', pageSize: 64 },
    checklist: [
      'Open the file O_RDWR. Your pair has two bytes: the board shows which.',
      'Partner one: write-lock the first byte. Partner two: write-lock the second.',
      'Now each of you asks for the other byte with F_SETLKW.',
      'One of you waits; the other gets EDEADLK. Who, and why that one?',
      'Whoever got EDEADLK releases their lock, and the other goes on.',
    ],
    groups: 'pairs',
  },
  {
    id: 'seat-booking',
    number: 7,
    title: 'Seat booking',
    chapter: 5,
    goal: 'Checking that a seat is free and then claiming it are two steps: two students can both get the seat.',
    setup: { template: 'seat-map', pageSize: 64 },
    checklist: [
      'Open the file O_RDWR and map it MAP_SHARED with PROT_READ|PROT_WRITE.',
      "Pick a seat and load it: '.' means free.",
      'If it is free, store your initial there.',
      'Round two: first write-lock the seat\'s row, then check and claim, then unlock.',
    ],
    groups: 'none',
  },
  {
    id: 'demo-program',
    number: 8,
    title: 'The demo program',
    chapter: 6,
    goal: 'The file is the source of peek.c; run it with an offset and it prints the byte there, or refuses.',
    setup: { template: 'demo-source', pageSize: 4096 },
    checklist: [
      'Read the program in the file: find the open, the fstat, the mmap and the munmap.',
      'Run it with an offset inside the file and check the byte against the text.',
      'Run it with an offset past the end, and with -1: what does it say, and why does it check before it maps?',
    ],
    groups: 'none',
  },
];

export function exercise(id: ExerciseId): Exercise {
  return EXERCISES.find((e) => e.id === id)!;
}

/** The bytes the room's file starts with for an exercise. */
export function exerciseFile(setup: ExerciseSetup): Uint8Array {
  return templateBytes(setup.template, setup.text ?? '');
}

/** Split a class in two by join order, alternating, so both halves get early and late joiners. */
export function splitHalves<T>(students: readonly T[]): { shared: T[]; private: T[] } {
  return { shared: students.filter((_, i) => i % 2 === 0), private: students.filter((_, i) => i % 2 === 1) };
}

/** Pairs in join order; with an odd class, the last student is left over (the teacher partners them). */
export function formPairs<T>(students: readonly T[]): { pairs: [T, T][]; leftOver: T | null } {
  const pairs: [T, T][] = [];
  for (let i = 0; i + 1 < students.length; i += 2) pairs.push([students[i], students[i + 1]]);
  return { pairs, leftOver: students.length % 2 === 1 ? students[students.length - 1] : null };
}
