/**
 * A flooder that comes back: the per-socket message budget (SOCKET_RATE,
 * SOCKET_BURST) must hold across reconnections. A student floods its room
 * far past its budget, is cut (SOCKET_FLOOD_AFTER), and reconnects at once:
 * resuming its process with its token, or joining anew without it. Over the
 * flood it must not get more messages through than one socket may (the
 * burst once, then the sustained rate). Meanwhile honest students from the
 * same address (everything here is 127.0.0.1, as a class behind one NAT
 * would be) keep working without a single refusal: those connected all
 * along, one who reconnects and resumes during the flood (at once, with a
 * burst), and one who joins during it (it may go without its burst for a
 * moment, so it starts a quarter of a second later, as a person would).
 */
import { describe, expect, it } from 'vitest';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import { call, connect, must, type ClientSocket } from './helpers/client.ts';
import { joinStudent, openRoom } from './helpers/room.ts';
import { perTestServer } from './helpers/per-test-server.ts';

const RATE = 20;
const BURST = 20;
const FLOOD_AFTER = 60;
const FLOOD_RATE = 300;
const FLOOD_MS = 3000;
const HONEST_EVERY_MS = 125;

const { server, d, start } = perTestServer('each test starts it');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A student flooding `op:fstat` at FLOOD_RATE a second; when cut it comes straight back, with its token or as a new student. */
class Flooder {
  accepted = 0;
  limited = 0;
  cuts = 0;
  errors: string[] = [];
  #socket: ClientSocket | undefined;
  #token = '';
  #stopped = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly url: string, readonly code: string, readonly withToken: boolean) {}

  async attach(resume: boolean): Promise<void> {
    const s = d.socket(await connect(this.url));
    const res = resume ? await call(s, 'student:resume', { code: this.code, token: this.#token }) : await call(s, 'student:join', { code: this.code, name: 'Flood' });
    if (!res.ok) {
      this.errors.push(`${resume ? 'resume' : 'join'}: ${res.error.code} ${res.error.message}`);
      return;
    }
    this.#token = res.data.token;
    s.on('disconnect', (reason) => {
      if (reason !== 'io server disconnect' || this.#stopped) return;
      this.cuts++;
      this.attach(this.withToken).catch((e: unknown) => this.errors.push(String(e)));
    });
    this.#socket = s;
  }

  /** Flood for `ms` (nothing is owed while cut off); the milliseconds it really flooded. */
  async flood(ms: number): Promise<number> {
    const started = performance.now();
    let due = 0;
    const onAck = (res: Ack<unknown>) => {
      if (!res.ok && res.error.code === 'RATE_LIMITED') this.limited++;
      else this.accepted++;
    };
    this.#timer = setInterval(() => {
      const target = Math.floor(((performance.now() - started) / 1000) * FLOOD_RATE);
      const s = this.#socket;
      if (s === undefined || !s.connected) {
        due = target;
        return;
      }
      for (; due < target; due++) (s.emit as (e: string, p: unknown, ack: (r: Ack<unknown>) => void) => void)('op:fstat', { fd: 3 }, onAck);
    }, 5);
    await sleep(ms);
    clearInterval(this.#timer);
    const flooded = performance.now() - started;
    this.#stopped = true;
    // The last answers.
    await sleep(300);
    return flooded;
  }
}

/** An honest student storing and loading its own byte every HONEST_EVERY_MS; every refusal or wrong byte is an error. */
class Honest {
  ops = 0;
  errors: string[] = [];
  stop = false;
  /** Set to have the loop reconnect (between two operations) and resume its process. */
  reconnect: (() => Promise<void>) | undefined;
  resumed = false;
  constructor(public socket: ClientSocket, readonly name: string, readonly slot: number, readonly token: string) {}

  /** A new connection, the old one closed, the process resumed; then a quick burst, which its own budget allows at once. */
  async resume(url: string, code: string): Promise<void> {
    const again = d.socket(await connect(url));
    this.socket.close();
    this.socket = again;
    await must(again, 'student:resume', { code, token: this.token });
    const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => call(again, 'op:store', { map: 1, index: 40 + i, value: i })));
    for (const r of burst) if (!r.ok) this.errors.push(`${this.name} after resuming: ${r.error.code}`);
    this.ops += burst.length;
    this.resumed = true;
  }

  async run(): Promise<void> {
    let n = 0;
    while (!this.stop) {
      const value = n++ % 256;
      try {
        const reconnect = this.reconnect;
        this.reconnect = undefined;
        await reconnect?.();
        await must(this.socket, 'op:store', { map: 1, index: this.slot, value });
        const r = await must(this.socket, 'op:load', { map: 1, index: this.slot });
        if (r.outcome.result.kind !== 'byte' || r.outcome.result.value !== value) this.errors.push(`${this.name}: loaded ${r.outcome.display}, stored ${value}`);
        this.ops += 2;
      } catch (error) {
        this.errors.push(`${this.name}: ${String(error)}`);
        return;
      }
      await sleep(HONEST_EVERY_MS);
    }
  }
}

async function mapped(socket: ClientSocket): Promise<void> {
  await must(socket, 'op:open', { mode: 'O_RDWR' });
  await must(socket, 'op:mmap', { len: 64, prot: 3, flags: 'MAP_SHARED', fd: 3, off: 0 });
}

describe('a flooder that reconnects keeps its budget', () => {
  for (const withToken of [true, false]) {
    it(`gets no more than the burst and ${RATE}/s through, coming back ${withToken ? 'with its resume token' : 'as a new student'}; honest students at the same address are untouched`, async () => {
      await start({ socketRatePerS: RATE, socketBurst: BURST, socketFloodAfter: FLOOD_AFTER });
      const room = await openRoom(server.url, d, { template: 'custom', pageSize: 64, fileHex: '00'.repeat(64) });
      const honest: Honest[] = [];
      for (let i = 0; i < 4; i++) {
        const s = await joinStudent(server.url, d, room.code, `H${i}`);
        await mapped(s.socket);
        honest.push(new Honest(s.socket, `H${i}`, i, s.joined.token));
      }
      const loops = honest.map((h) => h.run());

      const flooder = new Flooder(server.url, room.code, withToken);
      await flooder.attach(false);
      const flooding = flooder.flood(FLOOD_MS);

      // During the flood: one honest student reconnects and resumes its process...
      await sleep(1000);
      const h3 = honest[3];
      h3.reconnect = () => h3.resume(server.url, room.code);
      // ...and a new student joins from the same address and starts working a moment later.
      await sleep(500);
      const newcomer = await joinStudent(server.url, d, room.code, 'New');
      // (Joining during a classmate's flood, it goes without the burst for a moment: not for its first clicks.)
      await sleep(2 * HONEST_EVERY_MS);
      await mapped(newcomer.socket);
      const late = new Honest(newcomer.socket, 'New', 8, newcomer.joined.token);
      honest.push(late);
      loops.push(late.run());

      const floodedMs = await flooding;
      for (const h of honest) h.stop = true;
      await Promise.all(loops);

      const seconds = floodedMs / 1000;
      const allowed = BURST + RATE * seconds;
      console.log(
        `flood ${withToken ? 'with' : 'without'} token: ${FLOOD_RATE}/s for ${seconds.toFixed(2)} s, cut ${flooder.cuts} times; ` +
          `${flooder.accepted} accepted (${(flooder.accepted / seconds).toFixed(1)}/s; allowed ${allowed.toFixed(0)} = burst ${BURST} + ${RATE}/s), ` +
          `${flooder.limited} RATE_LIMITED; honest ops: ${honest.map((h) => `${h.name} ${h.ops}`).join(', ')}`,
      );
      // No more than one socket's budget over the whole flood (a few for timing), yet still served at its rate.
      expect(flooder.accepted).toBeLessThanOrEqual(allowed + 5);
      expect(flooder.accepted).toBeGreaterThanOrEqual(RATE * seconds * 0.5);
      // It really flooded, was cut, and came back again and again.
      expect(flooder.errors).toEqual([]);
      expect(flooder.cuts).toBeGreaterThanOrEqual(5);
      expect(flooder.limited).toBeGreaterThan(flooder.accepted * 3);
      // The honest students never noticed.
      expect(h3.resumed).toBe(true);
      for (const h of honest) expect(h.errors, h.name).toEqual([]);
      for (const h of honest.slice(0, 4)) expect(h.ops, h.name).toBeGreaterThanOrEqual(20);
      expect(late.ops).toBeGreaterThanOrEqual(8);
    });
  }
});
