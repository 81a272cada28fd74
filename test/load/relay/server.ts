/**
 * The bare relay: Fastify + Socket.IO that broadcasts each write to its
 * room, nothing else (no validation, no state, no batching) — the cheapest
 * thing our stack can do, which the load test compares our server with.
 * Started by the harness as its own process, like our server:
 * `node --import tsx --import ./test/load/orphan-guard.ts test/load/relay/server.ts`,
 * PORT (0 = any) and HOST from the environment; prints its address.
 */
import Fastify from 'fastify';
import { Server } from 'socket.io';
import { RELAY_JOIN, RELAY_WRITE, type RelayWrite } from './protocol.ts';

const app = Fastify({ logger: false });
const io = new Server(app.server, { serveClient: false });

io.on('connection', (socket) => {
  let room: string | null = null;
  socket.on(RELAY_JOIN, (name: unknown, ack?: (res: { ok: true }) => void) => {
    room = String(name);
    void socket.join(room);
    ack?.({ ok: true });
  });
  socket.on(RELAY_WRITE, (write: RelayWrite, ack?: (res: { ok: true }) => void) => {
    if (room !== null) socket.to(room).emit(RELAY_WRITE, write);
    ack?.({ ok: true });
  });
});

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
