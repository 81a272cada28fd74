/**
 * The bare relay: Fastify + Socket.IO that broadcasts each write to its
 * room, nothing else (no validation, no state, no batching) — the cheapest
 * thing our stack can do, which the load test compares our server with.
 * With RELAY_TICK_MS > 0 it is the floor of our server's work instead: a
 * read and a write answered per round, and each room's writes of a tick
 * broadcast in one message to the whole room, as our ticks are.
 * Started by the harness as its own process, like our server:
 * `node --import tsx --import ./test/load/orphan-guard.ts test/load/relay/server.ts`,
 * PORT (0 = any) and HOST from the environment; prints its address.
 */
import Fastify from 'fastify';
import { Server } from 'socket.io';
import { RELAY_JOIN, RELAY_READ, RELAY_TICK, RELAY_WRITE, type RelayWrite } from './protocol.ts';

type Ack = (res: { ok: true; v?: number }) => void;

interface BatchedRoom {
  value: number;
  writes: RelayWrite[];
  timer: NodeJS.Timeout | null;
}

const tickMs = Number(process.env.RELAY_TICK_MS ?? 0);
const batched = new Map<string, BatchedRoom>();
const app = Fastify({ logger: false });
const io = new Server(app.server, { serveClient: false });

io.on('connection', (socket) => {
  let room: string | null = null;
  socket.on(RELAY_JOIN, (name: unknown, ack?: Ack) => {
    room = String(name);
    void socket.join(room);
    ack?.({ ok: true });
  });
  if (tickMs > 0) {
    socket.on(RELAY_READ, (_: unknown, ack?: Ack) => {
      ack?.({ ok: true, v: room === null ? 0 : batched.get(room)?.value ?? 0 });
    });
    socket.on(RELAY_WRITE, (write: RelayWrite, ack?: Ack) => {
      if (room !== null) batch(room, write);
      ack?.({ ok: true });
    });
    return;
  }
  socket.on(RELAY_WRITE, (write: RelayWrite, ack?: Ack) => {
    if (room !== null) socket.to(room).emit(RELAY_WRITE, write);
    ack?.({ ok: true });
  });
});

function batch(name: string, write: RelayWrite): void {
  let r = batched.get(name);
  if (r === undefined) batched.set(name, (r = { value: 0, writes: [], timer: null }));
  r.value = write.v;
  r.writes.push(write);
  if (r.timer !== null) return;
  const room = r;
  room.timer = setTimeout(() => {
    io.to(name).emit(RELAY_TICK, room.writes);
    room.writes = [];
    room.timer = null;
  }, tickMs);
}

app.get('/health', async () => ({ status: 'ok' }));
app.addHook('preClose', async () => {
  io.local.disconnectSockets(true);
});
app.addHook('onClose', async () => {
  await new Promise<void>((resolve) => void io.close(() => resolve()));
});

const address = await app.listen({ port: Number(process.env.PORT ?? 0), host: process.env.HOST ?? '127.0.0.1' });
process.stdout.write(`relay listening on ${address}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0), () => process.exit(1)));
}
