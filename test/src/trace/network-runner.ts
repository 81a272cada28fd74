/**
 * Runs a trace through a live server, as the contract's third way: the room
 * is created through the public HTTP API with the trace's file and page
 * size, and every process of the trace is its own Socket.IO client that
 * joins as a student and sends its steps. Steps go one at a time, each
 * waiting for its acknowledgement, so the server sees them in trace order;
 * wake-up lines come from each ack's `woke` list.
 */
import { io, type Socket } from 'socket.io-client';
import { runTraceWith, type StepDriver, type Trace, type TraceRun } from '@mmap-lab/shared';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import { toHex } from '@mmap-lab/shared/protocol/bytes.ts';
import type { ClientEventName, ClientToServerEvents, ReplyOf, ServerToClientEvents } from '@mmap-lab/shared/protocol/events.ts';
import { createRoomReply } from '@mmap-lab/shared/protocol/http.ts';
import { LIMITS } from '@mmap-lab/shared/protocol/limits.ts';
import { opToWire } from '@mmap-lab/shared/protocol/ops.ts';
import { fromWireResult } from '@mmap-lab/shared/protocol/results.ts';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 15_000;
/** A long trace can outrun the per-socket rate limit; the server says how long to wait. */
const MAX_RATE_RETRIES = 50;

function connect(url: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`cannot connect to ${url}: ${err.message}`));
    });
  });
}

async function call<E extends ClientEventName>(socket: ClientSocket, event: E, payload: unknown): Promise<ReplyOf<E>> {
  for (let attempt = 0; ; attempt++) {
    const emit = socket.timeout(ACK_TIMEOUT_MS).emitWithAck as (e: string, p: unknown) => Promise<Ack<ReplyOf<E>>>;
    const res = await emit.call(socket.timeout(ACK_TIMEOUT_MS), event, payload);
    if (res.ok) return res.data;
    if (res.error.code === 'RATE_LIMITED' && attempt < MAX_RATE_RETRIES) {
      await new Promise((r) => setTimeout(r, res.error.retryAfterMs ?? 100));
      continue;
    }
    throw new Error(`${event} failed: ${res.error.code}: ${res.error.message}`);
  }
}

export async function runTraceOnServer(trace: Trace, url: string): Promise<TraceRun> {
  const base = url.replace(/\/+$/, '');
  if (trace.file.length > LIMITS.FILE_MAX) throw new Error(`the server takes an initial file of at most ${LIMITS.FILE_MAX} bytes`);
  const res = await fetch(`${base}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ template: 'custom', fileHex: toHex(trace.file), pageSize: trace.pageSize }),
  });
  if (res.status !== 201) throw new Error(`creating a room failed: HTTP ${res.status} ${await res.text()}`);
  const { code, credential } = createRoomReply.parse(await res.json());

  const sockets = new Map<string, ClientSocket>();
  const names = new Map<number, string>();
  const name = (pid: number) => names.get(pid) ?? `pid${pid}`;

  async function socketFor(proc: string): Promise<ClientSocket> {
    let socket = sockets.get(proc);
    if (socket === undefined) {
      socket = await connect(base);
      sockets.set(proc, socket);
      const joined = await call(socket, 'student:join', { code, name: proc.slice(0, LIMITS.NAME_MAX) });
      names.set(joined.pid, proc);
    }
    return socket;
  }

  const driver: StepDriver = {
    async step(step) {
      const socket = await socketFor(step.proc);
      const { event, payload } = opToWire(step.op);
      const reply = await call(socket, event, payload);
      return {
        result: fromWireResult(reply.outcome.result),
        woke: reply.woke.map((w) => ({ proc: name(w.pid), result: fromWireResult(w.outcome.result) })),
      };
    },
    name,
  };

  try {
    return await runTraceWith(trace, driver);
  } finally {
    for (const socket of sockets.values()) socket.close();
    await closeRoom(base, code, credential).catch(() => {});
  }
}

/** Leave nothing behind: the runner made the room, so it closes it. */
async function closeRoom(url: string, code: string, credential: string): Promise<void> {
  const teacher = await connect(url);
  try {
    await call(teacher, 'teacher:attach', { code, credential });
    await call(teacher, 'teacher:close', {});
  } finally {
    teacher.close();
  }
}
