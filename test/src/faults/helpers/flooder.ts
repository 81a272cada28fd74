/**
 * A flooding student, as its own process (so its sending does not slow the
 * test's measuring loop): joins a room, maps the file, prints `ready`, then
 * obeys lines on stdin: `on` floods at `rate` op:store messages a second
 * (each asking for an ack, as a client would), `off` stops, `stats` prints
 * one JSON line of figures since the last `stats`, `quit` leaves. When the
 * server cuts it for flooding it comes back at once with its resume token
 * and goes on.
 *
 *   node --import tsx flooder.ts <url> <room code> <rate>
 */
import { createInterface } from 'node:readline';
import { io, type Socket } from 'socket.io-client';

const [url, code, rateArg] = process.argv.slice(2);
const rate = Number(rateArg);
const blank = () => ({ sent: 0, ok: 0, limited: 0, other: 0, cuts: 0, seconds: 0 });
let stats = blank();
let token = '';
let socket: Socket;
let quitting = false;

function connect(): Promise<Socket> {
  const s = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

function call(s: Socket, event: string, payload: unknown): Promise<{ ok: boolean; data?: { token?: string }; error?: { code: string } }> {
  return s.timeout(5000).emitWithAck(event, payload);
}

function fail(e: unknown): never {
  process.stderr.write(`flooder: ${String(e)}\n`);
  process.exit(1);
}

async function attach(resume: boolean): Promise<void> {
  const s = await connect();
  const joined = resume ? await call(s, 'student:resume', { code, token }) : await call(s, 'student:join', { code, name: 'Flood' });
  if (!joined.ok) throw new Error(`could not ${resume ? 'resume' : 'join'}: ${joined.error?.code}`);
  token = joined.data!.token!;
  s.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect' || quitting) return;
    stats.cuts++;
    void attach(true).catch(fail);
  });
  socket = s;
}

await attach(false).catch(fail);
await call(socket!, 'op:open', { mode: 'O_RDWR' });
await call(socket!, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });

let flooding: { started: number; due: number } | null = null;
let n = 0;
const onAck = (res: { ok: boolean; error?: { code: string } }) => {
  if (res.ok) stats.ok++;
  else if (res.error?.code === 'RATE_LIMITED') stats.limited++;
  else stats.other++;
};
setInterval(() => {
  if (flooding === null) return;
  // Keep to the rate whatever the timer's jitter: send what is due by now (nothing while cut off).
  const target = Math.floor(((performance.now() - flooding.started) / 1000) * rate);
  if (!socket.connected) {
    flooding.due = target;
    return;
  }
  for (; flooding.due < target; flooding.due++) {
    stats.sent++;
    n++;
    socket.emit('op:store', { map: 1, index: n % 16, value: n % 256 }, onAck);
  }
}, 5);

createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = line.trim();
  if (cmd === 'on' && flooding === null) flooding = { started: performance.now(), due: 0 };
  else if (cmd === 'off' && flooding !== null) {
    stats.seconds += (performance.now() - flooding.started) / 1000;
    flooding = null;
  } else if (cmd === 'stats') {
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    stats = blank();
  } else if (cmd === 'quit') {
    quitting = true;
    socket.close();
    setTimeout(() => process.exit(0), 50);
  }
});
process.stdout.write('ready\n');
