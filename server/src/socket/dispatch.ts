import { fail, ok, type Ack } from '@mmap-lab/shared/protocol/ack.ts';
import { clientEvents, isClientEventName, type ClientEventName } from '@mmap-lab/shared/protocol/events.ts';
import type { z } from 'zod';
import { SocketBudgets } from '../guards/socket-budgets.ts';
import { Later } from '../rooms/ordering/later.ts';
import { Refused } from '../rooms/refused.ts';
import { studentOf, teacherOf } from './bindings.ts';
import { InvalidPayload } from '../rooms/invalid-payload.ts';
import type { AnyoneContext, SocketDeps, StudentContext, TeacherContext } from './context.ts';
import { handlers } from './handler-table.ts';
import type { AppServer, AppSocket } from './socket-data.ts';
import { BacklogTotal, dropConnection, watchBacklog } from './write-backlog.ts';

type AckFn = (res: Ack<unknown>) => void;
const NO_ACK: AckFn = () => {};

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** A thrown Refused is the caller's answer; anything else is a bug, logged, and answered INTERNAL. */
function failure(error: unknown, deps: SocketDeps, name: ClientEventName): Ack<never> {
  if (error instanceof InvalidPayload) return fail(error.code, error.message, { issues: error.issues });
  if (error instanceof Refused) {
    return fail(error.code, error.message, error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs });
  }
  deps.log.error({ err: error, event: name }, 'handler failed');
  return fail('INTERNAL', 'Something went wrong on the server; nothing was changed.');
}

/**
 * Validate, authorize and run one event; always answer exactly once. This
 * is the trust boundary: past it, payloads are typed and checked, and no
 * exception from one client's message escapes into the room. A handler may
 * answer later (an operation held back or queued): then the ack goes the
 * moment it settles, ahead of anything that turn sends the student next.
 */
function run(socket: AppSocket, deps: SocketDeps, name: ClientEventName, payload: unknown, ack: AckFn): void {
  let result: unknown;
  try {
    const spec = clientEvents[name];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      ack(fail('INVALID_PAYLOAD', `The ${name} payload is not valid.`, { issues: issuesOf(parsed.error) }));
      return;
    }
    // Built field by field, not spread: this runs for every message.
    let ctx: AnyoneContext | StudentContext | TeacherContext;
    if (spec.role === 'student') {
      const { room, session } = studentOf(socket, deps.registry);
      ctx = { socket, deps, room, session };
    } else if (spec.role === 'teacher') ctx = { socket, deps, room: teacherOf(socket, deps.registry) };
    else ctx = { socket, deps };
    result = (handlers[name] as (c: typeof ctx, r: unknown) => unknown)(ctx, parsed.data);
  } catch (error) {
    ack(failure(error, deps, name));
    return;
  }
  if (result instanceof Later) result.whenSettled((data) => ack(ok(data)), (error) => ack(failure(error, deps, name)));
  else ack(ok(result));
}

/** Split Socket.IO's arguments into payload and acknowledgement, whatever a client sent. */
function splitArgs(args: unknown[]): { payload: unknown; ack: AckFn } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as AckFn) : NO_ACK;
  const payload = typeof args[0] === 'function' ? undefined : args[0];
  return { payload, ack };
}

export function handleConnections(io: AppServer, given: Omit<SocketDeps, 'budgets'>): void {
  const { config } = given;
  // Message budgets outlive connections (see SocketBudgets): a flooder cannot refill its own by reconnecting.
  const deps: SocketDeps = { ...given, budgets: new SocketBudgets(config.socketBurst, config.socketRatePerS) };
  const backlog = new BacklogTotal(config.serverBacklogBytes);
  io.on('connection', (socket) => {
    socket.data.binding = null;
    socket.data.readmit = null;
    socket.data.budget = deps.budgets.connection();
    // A client that stops reading is cut before what it is owed grows without
    // bound; its student's process waits out the resume grace, as after any
    // disconnect, and a resume brings its views up to date.
    let stalled = false;
    watchBacklog(socket.conn, config.socketBacklogBytes, backlog, (bytes) => {
      stalled = true;
      const b = socket.data.binding;
      deps.log.warn({ socket: socket.id, address: socket.handshake.address, role: b?.role, room: b?.code, bytes, serverBytes: backlog.bytes }, 'socket cut: it stopped reading');
      // After the send that found it (a tick, a burst of answers), which must not see the socket vanish midway.
      process.nextTick(() => dropConnection(socket.conn));
    });

    // Every packet is handled here, in arrival order: the rate limit, the event
    // name, then the handler. Not calling next() keeps Socket.IO from looking
    // for per-event listeners, so a socket costs one closure, not one per event.
    socket.use((packet) => {
      // Until the cut, what else it sent is dropped: answers it would not read would only cost.
      if (stalled) return;
      const [event, ...args] = packet as unknown as [unknown, ...unknown[]];
      const { payload, ack: reply } = splitArgs(args);
      const ack: AckFn = (res) => deps.sender.answer(socket.id, reply, res);
      const { budget } = socket.data;
      const wait = budget.bucket.take(Date.now());
      if (wait > 0) {
        if (++budget.overLimit > config.socketFloodAfter) {
          deps.budgets.cut(budget, socket.handshake.address, socket.data.binding?.role === 'student');
          // Its RATE_LIMITED answers first, or the cut would come without a reason.
          deps.sender.writeAnswers();
          socket.disconnect(true);
          return;
        }
        ack(fail('RATE_LIMITED', 'You are sending too fast; slow down.', { retryAfterMs: wait }));
        return;
      }
      if (typeof event !== 'string' || !isClientEventName(event)) {
        ack(fail('UNKNOWN_EVENT', `There is no event called ${JSON.stringify(String(event)).slice(0, 80)}.`));
        return;
      }
      run(socket, deps, event, payload, ack);
    });

    socket.on('disconnect', () => {
      deps.budgets.release(socket.data.budget);
      const b = socket.data.binding;
      if (b?.role !== 'student') return;
      try {
        const room = deps.registry.live(b.code);
        const session = room?.sessions.byToken(b.token);
        if (room !== undefined && session !== undefined) room.leave(session, socket.id);
      } catch (err) {
        deps.log.error({ err }, 'disconnect handling failed');
      }
    });
  });
}
