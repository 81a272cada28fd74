/**
 * Bots of the bare relay: each joins a Socket.IO room and, once per round,
 * emits one write (the store of our race), which the relay broadcasts to the
 * rest of the room. Every write is tracked (writer, sequence number) until
 * the last other bot of the room has received it: that is its store-to-seen.
 * Against the batched relay (relayTickMs > 0) a round is our race's two
 * round trips, a read and then the write, and writes arrive a tick's worth
 * to a message.
 */
import type { Socket } from 'socket.io-client';
import type { BotConfig } from './ipc.ts';
import type { Metrics } from './metrics.ts';
import { RELAY_JOIN, RELAY_READ, RELAY_TICK, RELAY_WRITE, type RelayWrite } from './relay/protocol.ts';
import { ack, connect, pool } from './sockets.ts';

interface Bot {
  socket: Socket;
  /** Number over all rooms: what a write names as its writer. */
  id: number;
  room: Room;
  seq: number;
  value: number;
  inFlight: number;
}

interface Write {
  t0: number;
  inWindow: boolean;
  /** Other bots of the room that have not received it yet. */
  missing: number;
  last: number;
}

interface Room {
  name: string;
  bots: Bot[];
  writes: Map<number, Write>;
}

/** A write's key: writer and sequence number in one exact number. */
const key = (writer: number, seq: number) => writer * 2 ** 24 + seq;

export class RelayDriver {
  readonly #config: BotConfig;
  readonly #m: Metrics;
  readonly rooms: Room[] = [];
  readonly bots: Bot[] = [];
  /** The relay has no teacher board. */
  readonly boards: Socket[] = [];
  stopping = false;

  constructor(config: BotConfig, metrics: Metrics) {
    this.#config = config;
    this.#m = metrics;
  }

  async setup(): Promise<void> {
    const { scenario } = this.#config;
    for (let r = 0; r < scenario.rooms; r++) this.rooms.push({ name: `room-${r}`, bots: [], writes: new Map() });
    const slots = this.rooms.flatMap((room) => Array.from({ length: scenario.studentsPerRoom }, () => room));
    let id = 0;
    await pool(slots, this.#config.joinConcurrency, async (room) => {
      const socket = await connect(this.#config.url);
      const bot: Bot = { socket, id: id++, room, seq: 0, value: 0, inFlight: 0 };
      if (this.#config.relayTickMs > 0) socket.on(RELAY_TICK, (ws: RelayWrite[]) => this.#tick(bot, ws));
      else socket.on(RELAY_WRITE, (w: RelayWrite) => this.#message(room, [w]));
      socket.on('disconnect', (reason) => {
        if (!this.stopping) this.#m.error(`disconnected: ${reason}`);
      });
      await ack(socket, RELAY_JOIN, room.name);
      room.bots.push(bot);
      this.bots.push(bot);
    });
  }

  /** A tick goes to the whole room: a bot's own writes in it are not news to it. */
  #tick(bot: Bot, ws: RelayWrite[]): void {
    this.#message(bot.room, ws.filter((w) => w.b !== bot.id));
  }

  /** One message, carrying writes of other bots of the room. */
  #message(room: Room, ws: RelayWrite[]): void {
    const now = performance.now();
    const m = this.#m;
    if (m.inWindow(now)) {
      m.messages++;
      // Every write is to the one counter byte: a message carries at most one byte, as ours do.
      m.byteUpdates += Math.min(1, ws.length);
      m.updates += ws.length;
    }
    for (const w of ws) {
      const k = key(w.b, w.s);
      const write = room.writes.get(k);
      if (write === undefined) continue;
      write.last = now;
      if (--write.missing === 0) {
        if (write.inWindow) m.seen.push(write.last - write.t0);
        room.writes.delete(k);
      }
    }
  }

  /** One round: one write of the "counter"; against the batched relay, a read of it first. */
  round(bot: Bot): void {
    const m = this.#m;
    bot.inFlight++;
    if (this.#config.relayTickMs === 0) {
      this.#write(bot, (bot.value + 1) & 255);
      return;
    }
    const t0 = performance.now();
    bot.socket.emit(RELAY_READ, null, (res: { v: number }) => {
      m.op(t0, performance.now());
      this.#write(bot, (res.v + 1) & 255, t0);
    });
  }

  #write(bot: Bot, value: number, roundT0?: number): void {
    const m = this.#m;
    const seq = ++bot.seq;
    bot.value = value;
    const t0 = performance.now();
    const others = bot.room.bots.length - 1;
    if (others > 0) bot.room.writes.set(key(bot.id, seq), { t0, inWindow: m.inWindow(t0), missing: others, last: -Infinity });
    const write: RelayWrite = { b: bot.id, s: seq, v: bot.value };
    bot.socket.emit(RELAY_WRITE, write, () => {
      m.op(t0, performance.now());
      bot.inFlight--;
      if (m.inWindow(roundT0 ?? t0)) m.rounds++;
    });
  }

  pending(): number {
    let n = 0;
    for (const room of this.rooms) n += room.writes.size;
    return n;
  }

  finish(): void {
    for (const room of this.rooms) for (const w of room.writes.values()) if (w.inWindow) this.#m.unseen++;
  }
}
