import type { Scenario } from './scenarios.ts';
import type { Summary } from './stats.ts';

/** Which server the bots drive: ours (students in rooms) or the bare relay (writes broadcast to a room). */
export type Mode = 'ours' | 'relay';

/** What the harness tells the bot process (as JSON in LOAD_BOT_CONFIG). */
export interface BotConfig {
  mode: Mode;
  url: string;
  scenario: Scenario;
  /** Length of the measured window, after every bot has joined. */
  seconds: number;
  /** After the window: how long to wait for answers and fan-out still in flight. */
  drainMs: number;
  /** How many bots may be joining at once. */
  joinConcurrency: number;
  /** Rounds one bot may have in flight; a round due while at the cap is skipped (and counted). */
  maxInFlight: number;
  /** Relay only: > 0 makes it the batched relay (a read and a write per round, writes broadcast once per tick). */
  relayTickMs: number;
  /** Ours only: attach a teacher board to every room (the lecture hall's projector), as a real class has. */
  teacher: boolean;
}

/** What the bot process measured, over the window. */
export interface BotResult {
  students: number;
  rooms: number;
  joinMs: number;
  /** Acknowledged operations (ours: loads and stores; relay: writes) emitted in the window. */
  ops: number;
  /** Completed rounds (one store or one relay write each) begun in the window. */
  rounds: number;
  /** Rounds due while the bot already had maxInFlight rounds out. */
  skipped: number;
  rtt: Summary;
  /** Store (or write) emitted until the last other bot of its room shows it. */
  seen: Summary;
  /** Stores of the window that some bot of the room never showed before the drain ended. */
  unseen: number;
  /** Logical updates received in the window: a store made visible to one other bot. */
  updates: number;
  /** Bytes carried by the room:bytes runs (ours) or writes (relay) received in the window. */
  byteUpdates: number;
  /** Messages (room:bytes or relay writes) received in the window. */
  messages: number;
  errors: number;
  errorSamples: string[];
  /** How late the bot process's own event loop ran (it adds to every latency above). */
  botLoopDelayP99Ms: number;
  botLoopDelayMaxMs: number;
  botGcPauseMaxMs: number;
  /** board:update messages the teacher boards received in the window (with `teacher`). */
  boardUpdates: number;
}

export type FromBots =
  | { type: 'ready'; joinMs: number; students: number }
  | { type: 'window-end' }
  | { type: 'result'; result: BotResult }
  | { type: 'failed'; message: string };

export type ToBots = { type: 'go' };
