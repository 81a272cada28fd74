/**
 * Students of our server, as a browser would be one: the room is created
 * through POST /api/rooms, each bot joins by code, opens the file O_RDWR,
 * maps it MAP_SHARED and then runs the counter race on byte 0: `op:load`,
 * add one here, `op:store` (two round trips, nothing atomic about it).
 *
 * Store-to-seen without sampling. Every bot of a room maps the same page,
 * so every flush of the room (one `room:bytes` per tick) reaches every bot,
 * in the same order on every socket: the k-th `room:bytes` a bot receives
 * is the room's k-th flush (checked: its payload must be the same at every
 * bot). On one socket the server writes in order, and it answers a store
 * before the tick that carries it, so the first flush the writer receives
 * after its store's acknowledgement is the first flush made after the store
 * was applied: it shows that store, or a later one to the same byte (which
 * is what a view that "shows it" means once stores coalesce). A store is
 * seen when the last other bot of the room has received that flush.
 */
import type { Socket } from 'socket.io-client';
import type { Ack } from '@mmap-lab/shared/protocol/ack.ts';
import type { ReplyOf, ServerPayload } from '@mmap-lab/shared/protocol/events.ts';
import type { BotConfig } from './ipc.ts';
import type { Metrics } from './metrics.ts';
import { ack, connect, pool } from './sockets.ts';

interface Bot {
  socket: Socket;
  /** Index in its room. */
  idx: number;
  room: Room;
  map: number;
  /** `room:bytes` received so far: the index of the room's latest flush this bot has. */
  flushes: number;
  inFlight: number;
}

/** One flush of a room as the bots receive it, and the stores it is the first to show. */
interface Flush {
  arrivals: Float64Array;
  count: number;
  stores: { bot: number; t0: number; inWindow: boolean }[];
  signature: string | undefined;
}

interface Room {
  code: string;
  bots: Bot[];
  flushes: Map<number, Flush>;
}

export class OurDriver {
  readonly #config: BotConfig;
  readonly #m: Metrics;
  readonly rooms: Room[] = [];
  readonly bots: Bot[] = [];
  readonly boards: Socket[] = [];
  stopping = false;

  constructor(config: BotConfig, metrics: Metrics) {
    this.#config = config;
    this.#m = metrics;
  }

  async setup(): Promise<void> {
    const { scenario, url } = this.#config;
    for (let r = 0; r < scenario.rooms; r++) {
      const res = await fetch(`${url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ template: 'counter', pageSize: 16 }),
      });
      if (res.status !== 201) throw new Error(`POST /api/rooms answered ${res.status}: ${await res.text()}`);
      const { code, credential } = (await res.json()) as { code: string; credential: string };
      this.rooms.push({ code, bots: [], flushes: new Map() });
      if (this.#config.teacher) await this.#attachBoard(code, credential);
    }
    const slots = this.rooms.flatMap((room) => Array.from({ length: scenario.studentsPerRoom }, (_, i) => ({ room, i })));
    await pool(slots, this.#config.joinConcurrency, async ({ room, i }) => {
      const bot = await this.#join(room, i);
      room.bots[i] = bot;
      this.bots.push(bot);
    });
  }

  /** The teacher's board, attached before the students come, as in class. */
  async #attachBoard(code: string, credential: string): Promise<void> {
    const socket = await connect(this.#config.url);
    socket.on('board:update', () => {
      if (this.#m.inWindow(performance.now())) this.#m.boardUpdates++;
    });
    socket.on('disconnect', (reason) => {
      if (!this.stopping) this.#m.error(`board disconnected: ${reason}`);
    });
    await ack(socket, 'teacher:attach', { code, credential });
    this.boards.push(socket);
  }

  async #join(room: Room, idx: number): Promise<Bot> {
    const socket = await connect(this.#config.url);
    const bot: Bot = { socket, idx, room, map: 0, flushes: 0, inFlight: 0 };
    socket.on('room:bytes', (p: ServerPayload<'room:bytes'>) => this.#bytes(bot, p));
    for (const event of ['room:rebooted', 'room:closed', 'session:ended', 'process:update']) {
      socket.on(event, () => this.#m.error(`unexpected ${event}`));
    }
    socket.on('disconnect', (reason) => {
      if (!this.stopping) this.#m.error(`disconnected: ${reason}`);
    });
    await ack<ReplyOf<'student:join'>>(socket, 'student:join', { code: room.code, name: `bot ${idx + 1}` });
    const opened = await ack<ReplyOf<'op:open'>>(socket, 'op:open', { mode: 'O_RDWR' });
    if (opened.outcome.result.kind !== 'fd') throw new Error(`open: ${opened.outcome.display}`);
    const fd = opened.outcome.result.fd;
    const mapped = await ack<ReplyOf<'op:mmap'>>(socket, 'op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd, off: 0 });
    if (mapped.outcome.result.kind !== 'map') throw new Error(`mmap: ${mapped.outcome.display}`);
    bot.map = mapped.outcome.result.map;
    return bot;
  }

  #bytes(bot: Bot, payload: ServerPayload<'room:bytes'>): void {
    const now = performance.now();
    const m = this.#m;
    const room = bot.room;
    const k = ++bot.flushes;
    let flush = room.flushes.get(k);
    if (flush === undefined) {
      flush = { arrivals: new Float64Array(room.bots.length).fill(NaN), count: 0, stores: [], signature: undefined };
      room.flushes.set(k, flush);
    }
    let signature = String(payload.size);
    for (const r of payload.runs) signature += `;${r.offset}:${r.hex}:${r.by}`;
    if (flush.signature === undefined) flush.signature = signature;
    else if (flush.signature !== signature) m.error(`flush ${k} of room ${room.code} differs between bots`);
    flush.arrivals[bot.idx] = now;
    flush.count++;
    if (m.inWindow(now)) {
      m.messages++;
      for (const r of payload.runs) m.byteUpdates += r.hex.length / 2;
    }
    if (flush.count === room.bots.length) this.#complete(room, k, flush);
  }

  /** Every bot of the room has flush k: its stores are seen; count who got them in the window. */
  #complete(room: Room, k: number, flush: Flush): void {
    const m = this.#m;
    let max1 = -Infinity;
    let max1At = -1;
    let max2 = -Infinity;
    let inWindow = 0;
    flush.arrivals.forEach((t, i) => {
      if (m.inWindow(t)) inWindow++;
      if (t > max1) {
        max2 = max1;
        max1 = t;
        max1At = i;
      } else if (t > max2) max2 = t;
    });
    for (const s of flush.stores) {
      const lastOther = s.bot === max1At ? max2 : max1;
      if (s.inWindow && lastOther > -Infinity) m.seen.push(lastOther - s.t0);
      m.updates += inWindow - (m.inWindow(flush.arrivals[s.bot]) ? 1 : 0);
    }
    room.flushes.delete(k);
  }

  /** One go at the race: load, add one, store. */
  round(bot: Bot): void {
    const m = this.#m;
    bot.inFlight++;
    const t0 = performance.now();
    bot.socket.emit('op:load', { map: bot.map, index: 0 }, (res: Ack<ReplyOf<'op:load'>>) => {
      m.op(t0, performance.now());
      if (!res.ok || res.data.outcome.result.kind !== 'byte') {
        bot.inFlight--;
        m.error(`load: ${res.ok ? res.data.outcome.display : res.error.code}`);
        return;
      }
      const value = (res.data.outcome.result.value + 1) & 255;
      const t2 = performance.now();
      bot.socket.emit('op:store', { map: bot.map, index: 0, value }, (res2: Ack<ReplyOf<'op:store'>>) => {
        m.op(t2, performance.now());
        bot.inFlight--;
        if (!res2.ok || res2.data.outcome.result.kind !== 'ok') {
          m.error(`store: ${res2.ok ? res2.data.outcome.display : res2.error.code}`);
          return;
        }
        if (m.inWindow(t0)) m.rounds++;
        // Flushes this socket got before the ack were made before the store: the next one shows it.
        const k = bot.flushes + 1;
        let flush = bot.room.flushes.get(k);
        if (flush === undefined) {
          flush = { arrivals: new Float64Array(bot.room.bots.length).fill(NaN), count: 0, stores: [], signature: undefined };
          bot.room.flushes.set(k, flush);
        }
        flush.stores.push({ bot: bot.idx, t0: t2, inWindow: m.inWindow(t2) });
      });
    });
  }

  /** Stores acknowledged but not yet shown by every bot of their room. */
  pending(): number {
    let n = 0;
    for (const room of this.rooms) for (const f of room.flushes.values()) n += f.stores.length;
    return n;
  }

  /** The drain is over: what is still pending was never seen. */
  finish(): void {
    for (const room of this.rooms) {
      for (const f of room.flushes.values()) this.#m.unseen += f.stores.filter((s) => s.inWindow).length;
    }
  }
}
