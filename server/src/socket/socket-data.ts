import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@mmap-lab/shared/protocol/events.ts';
import type { Budget } from '../guards/socket-budgets.ts';

/** Who a socket speaks for. Checked against the room on every event, so a reboot or a resume elsewhere ends it. */
export type Binding =
  | { role: 'student'; code: string; token: string }
  | { role: 'teacher'; code: string };

export interface SocketData {
  binding: Binding | null;
  /** A room this socket's student was in before its process died with the kernel: it may rejoin even if locked. */
  readmit: string | null;
  /** What it may still send: the connection's own budget, or its student session's once joined or resumed. */
  budget: Budget;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const teachersRoom = (code: string): string => `teachers:${code}`;
