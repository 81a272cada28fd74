import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { LessonStore } from '../persistence/lesson-store.ts';
import type { RoomRegistry } from '../rooms/registry.ts';
import type { Room } from '../rooms/room.ts';
import type { Session } from '../rooms/sessions.ts';
import type { AddressBudget } from '../guards/rate-limit.ts';
import type { SocketBudgets } from '../guards/socket-budgets.ts';
import type { PacedSender } from './paced-sender.ts';
import type { AppSocket } from './socket-data.ts';

/** What every handler may use. */
export interface SocketDeps {
  registry: RoomRegistry;
  lessons: LessonStore;
  wrongCodes: AddressBudget;
  /** Per-socket message budgets, kept across reconnections. */
  budgets: SocketBudgets;
  config: Config;
  log: FastifyBaseLogger;
  /** Every answer goes through it: at the end of the turn, after what is still queued for its socket. */
  sender: PacedSender;
}

export interface AnyoneContext {
  socket: AppSocket;
  deps: SocketDeps;
}
export interface StudentContext extends AnyoneContext {
  room: Room;
  session: Session;
}
export interface TeacherContext extends AnyoneContext {
  room: Room;
}
