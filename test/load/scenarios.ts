/**
 * The load scenarios of issue 5. A "round" is one go at the counter race:
 * `op:load` of byte 0, add one in the bot, `op:store` of the result (two
 * round trips, so two server operations). `rate` is rounds per second per
 * student; the bare relay's bots send one write per round, the same number
 * of stores the room has to fan out.
 */
export interface Scenario {
  name: string;
  rooms: number;
  studentsPerRoom: number;
  /** Counter-race rounds per second per student. */
  rate: number;
}

export const SCENARIOS: Record<string, Scenario> = {
  lecture: { name: 'lecture', rooms: 1, studentsPerRoom: 500, rate: 2 },
  'big-lecture': { name: 'big-lecture', rooms: 1, studentsPerRoom: 1000, rate: 1 },
  'lab-day': { name: 'lab-day', rooms: 50, studentsPerRoom: 30, rate: 2 },
  /** What the test suite runs: the same code at a size that fits CI. */
  tiny: { name: 'tiny', rooms: 1, studentsPerRoom: 20, rate: 2 },
};

/** `pnpm loadtest` with no arguments. */
export const DEFAULT_SCENARIOS = ['lecture', 'big-lecture', 'lab-day'];

export function scenarioByName(name: string): Scenario {
  const s = SCENARIOS[name];
  if (s !== undefined) return s;
  // rooms x students @ rate, e.g. "2x40@1.5", for a quick experiment.
  const m = /^(\d+)x(\d+)@(\d+(?:\.\d+)?)$/.exec(name);
  if (m) return { name, rooms: Number(m[1]), studentsPerRoom: Number(m[2]), rate: Number(m[3]) };
  throw new Error(`unknown scenario ${JSON.stringify(name)}: one of ${Object.keys(SCENARIOS).join(', ')} or RxS@rate (e.g. 2x40@1.5)`);
}
