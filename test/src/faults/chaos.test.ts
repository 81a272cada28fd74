/**
 * Chaos: students drop and come back at random while the rest of the room
 * runs the locked counter round (F_SETLKW F_WRLCK on the counter, load it,
 * store it plus one, F_UNLCK). Some drop while holding the lock, some while
 * blocked in F_SETLKW, some with the lock call still in flight; they come
 * back with their resume token (soon, or after the grace period, to a dead
 * process they respawn), without it (a new process; the old one dies when
 * its grace period ends), or by resuming from a second tab while the first
 * is still connected. The server runs in-process so the room's kernel can be
 * read directly: its invariants (roomViolations) are checked every few
 * milliseconds while the run goes on, and at quiesced checkpoints the counter
 * must equal the increments the bots saw acknowledged. The counter is 32-bit
 * little-endian, so nothing hides behind a wrap-around.
 *
 * Knobs (environment variables; FAULTS_FULL=1 picks the full size of all):
 *   CHAOS_SEED         seed of the schedule (random; printed on failure)
 *   CHAOS_DISCONNECTS  disconnects in the run            CI 150, full 1000
 *   CHAOS_BOTS         students; half of them drop       CI 10,  full 16
 *   CHAOS_GRACE_MS     the server's resume grace period  250
 *   CHAOS_CHECKPOINTS  quiesced checkpoints in the run   CI 3,   full 10
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { roomRegistryOf } from '@mmap-lab/server/app.ts';
import type { Room } from '@mmap-lab/server/rooms/room.ts';
import type { ReplyOf, RequestIn } from '@mmap-lab/shared/protocol/events.ts';
import { call, must, type ClientSocket } from '../server/helpers/client.ts';
import { openRoom } from '../server/helpers/room.ts';
import { perTestServer } from '../server/helpers/per-test-server.ts';
import { counterOf, roomViolations } from './helpers/invariants.ts';
import { knob, seedFrom, sleep, until, withSeed } from './helpers/knobs.ts';
import { Random } from '../conformance/fuzz/random.ts';

const SEED = seedFrom('CHAOS_SEED');
const DISCONNECTS = knob('CHAOS_DISCONNECTS', 150, 1000);
const BOTS = Math.max(2, knob('CHAOS_BOTS', 10, 16));
const GRACE_MS = knob('CHAOS_GRACE_MS', 250);
const CHECKPOINTS = knob('CHAOS_CHECKPOINTS', 3, 10);
/** Chance that a dropping bot drops at each point of its round where it may. */
const DROP_P = 0.12;
const COUNTER = { offset: 0, width: 4 };
const LOCK = { cmd: 'F_SETLKW', type: 'F_WRLCK', start: COUNTER.offset, len: COUNTER.width } as const;
/** A missing wake-up would leave a bot waiting for ever: anything past this is a bug. */
const WAKE_TIMEOUT_MS = 15_000 + 4 * GRACE_MS;

const { server, d, start } = perTestServer('each test starts it');
let watch: NodeJS.Timeout | undefined;
// After-hooks run last registered first: the watch stops before perTestServer closes the sockets and the server.
afterEach(() => {
  clearInterval(watch);
});

type DropPoint = 'idle' | 'lock-in-flight' | 'blocked' | 'holding';
type DropMode = 'resume' | 'late-resume' | 'fresh-join' | 'second-tab';
const MODES: Record<DropMode, number> = { 'resume': 45, 'late-resume': 15, 'fresh-join': 30, 'second-tab': 10 };

/**
 * Lets the test stop every bot at a step boundary: a bot passes the gate
 * before each operation, and counts as parked while at the gate or while
 * waiting to be woken from F_SETLKW.
 */
class Gate {
  active = 0;
  #closed = false;
  #waiting: (() => void)[] = [];

  async pass(): Promise<void> {
    if (!this.#closed) return;
    this.active--;
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.active++;
  }

  async parked<T>(wait: Promise<T>): Promise<T> {
    this.active--;
    try {
      return await wait;
    } finally {
      this.active++;
    }
  }

  async quiesce(): Promise<void> {
    this.#closed = true;
    await until('every bot to reach a step boundary', () => this.active === 0, WAKE_TIMEOUT_MS, 2);
  }

  open(): void {
    this.#closed = false;
    for (const go of this.#waiting.splice(0)) go();
  }
}

interface Run {
  url: string;
  code: string;
  gate: Gate;
  stop: boolean;
  /** Increments whose stores were all acknowledged while holding the lock. */
  acked: number;
  disconnects: number;
  points: Record<DropPoint, number>;
  modes: Record<DropMode, number>;
  respawns: number;
  blockedWaits: number;
  sessionEnded: number;
  errors: string[];
}

type Joined = ReplyOf<'student:join'>;

class Bot {
  socket!: ClientSocket;
  token = '';
  pid = 0;
  fd = 0;
  map = 0;
  /** The process has no descriptor and no mapping yet. */
  fresh = true;
  #woke: { pid: number; ok: boolean } | null = null;
  #onWoke: (() => void) | null = null;

  constructor(readonly name: string, readonly drops: boolean, readonly rng: Random, readonly run: Run) {}

  async connect(): Promise<ClientSocket> {
    const socket: ClientSocket = io(this.run.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    d.socket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    socket.on('op:woke', (p) => {
      if (socket !== this.socket || p.pid !== this.pid) return;
      this.#woke = { pid: p.pid, ok: p.outcome.result.kind === 'ok' };
      this.#onWoke?.();
    });
    socket.on('disconnect', (reason) => {
      if (socket === this.socket && reason !== 'io client disconnect') this.run.errors.push(`${this.name}: unexpected disconnect (${reason})`);
    });
    return socket;
  }

  #adopt(j: Joined): void {
    if (j.token !== this.token || j.pid !== this.pid) this.fresh = true;
    this.token = j.token;
    this.pid = j.pid;
  }

  /**
   * Speak on a new socket. A wake heard on the old one is forgotten here, not
   * when the resume's answer is adopted: the code after `await` runs after an
   * op:woke that came in the same read as the answer, and would lose it.
   */
  async #newSocket(): Promise<void> {
    this.socket = await this.connect();
    this.#woke = null;
  }

  async start(): Promise<void> {
    await this.#newSocket();
    this.#adopt(await must(this.socket, 'student:join', { code: this.run.code, name: this.name }));
  }

  async op<E extends 'op:open' | 'op:mmap' | 'op:lock' | 'op:load' | 'op:store'>(event: E, payload: RequestIn<E>) {
    await this.run.gate.pass();
    return must(this.socket, event, payload);
  }

  async setup(): Promise<void> {
    const fd = await this.op('op:open', { mode: 'O_RDWR' });
    if (fd.outcome.result.kind !== 'fd') throw new Error(`${this.name}: open gave ${fd.outcome.display}`);
    this.fd = fd.outcome.result.fd;
    const m = await this.op('op:mmap', { len: 16, prot: 3, flags: 'MAP_SHARED', fd: this.fd, off: 0 });
    if (m.outcome.result.kind !== 'map') throw new Error(`${this.name}: mmap gave ${m.outcome.display}`);
    this.map = m.outcome.result.map;
    this.fresh = false;
  }

  /** Wait for op:woke on the current socket; true if it granted the lock. */
  async #awaitWoke(): Promise<void> {
    this.run.blockedWaits++;
    const woke = await this.run.gate.parked(
      new Promise<{ pid: number; ok: boolean }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${this.name} (pid ${this.pid}) was never woken`)), WAKE_TIMEOUT_MS);
        const check = () => {
          if (this.#woke === null) return;
          clearTimeout(timer);
          this.#onWoke = null;
          resolve(this.#woke);
        };
        this.#onWoke = check;
        check();
      }),
    );
    this.#woke = null;
    if (!woke.ok) throw new Error(`${this.name}: woken without the lock`);
  }

  /** Maybe drop here; if so come back, and say whether the same process is still ours. */
  async #maybeDrop(point: DropPoint): Promise<{ dropped: boolean; same: boolean; state?: string }> {
    if (!this.drops || this.run.stop || !this.rng.chance(DROP_P)) return { dropped: false, same: true };
    const r = await this.drop(point);
    return { dropped: true, ...r };
  }

  async drop(point: DropPoint, beforeClose?: () => void): Promise<{ same: boolean; state?: string }> {
    const run = this.run;
    const mode = this.rng.weighted(MODES);
    run.disconnects++;
    run.points[point]++;
    run.modes[mode]++;
    const old = this.socket;
    const pid = this.pid;
    let j: Joined;
    beforeClose?.();
    if (mode === 'second-tab') {
      const ended = new Promise<void>((resolve) => old.once('session:ended', () => resolve()));
      await this.#newSocket();
      j = await must(this.socket, 'student:resume', { code: run.code, token: this.token });
      await Promise.race([ended, sleep(5000).then(() => Promise.reject(new Error(`${this.name}: old tab never got session:ended`)))]);
      run.sessionEnded++;
      old.close();
    } else {
      old.close();
      await sleep(mode === 'late-resume' ? GRACE_MS + this.rng.int(60, 200) : this.rng.int(0, 80));
      await this.#newSocket();
      j =
        mode === 'fresh-join'
          ? await must(this.socket, 'student:join', { code: run.code, name: this.name })
          : await must(this.socket, 'student:resume', { code: run.code, token: this.token });
    }
    this.#adopt(j);
    if (j.process.state.state === 'dead') {
      run.respawns++;
      this.#adopt(await must(this.socket, 'student:respawn', {}));
    }
    const same = this.pid === pid && !this.fresh;
    return { same, state: j.process.state.state };
  }

  /** Take the counter's lock; false if the process changed on the way (start the round again). */
  async #acquire(): Promise<boolean> {
    for (;;) {
      this.#woke = null;
      if (this.drops && !this.run.stop && this.rng.chance(DROP_P / 2)) {
        // Drop with the lock call on the wire: it may or may not have reached the room.
        const r = await this.drop('lock-in-flight', () => {
          void call(this.socket, 'op:lock', { fd: this.fd, ...LOCK }).catch(() => undefined);
        });
        if (!r.same) return false;
        if (r.state === 'blocked') {
          await this.#awaitWoke();
          return true;
        }
        continue; // running: F_SETLKW again is harmless if we already hold it
      }
      const r = await this.op('op:lock', { fd: this.fd, ...LOCK });
      const kind = r.outcome.result.kind;
      if (kind === 'ok') return true;
      if (kind !== 'blocked') throw new Error(`${this.name}: F_SETLKW gave ${r.outcome.display}`);
      const dropped = await this.#maybeDrop('blocked');
      if (!dropped.dropped) {
        await this.#awaitWoke();
        return true;
      }
      if (!dropped.same) return false;
      if (dropped.state === 'blocked') {
        await this.#awaitWoke();
        return true;
      }
      // Woken while away: the lock is ours; asking again says so at once.
    }
  }

  /** One locked increment; false if it was abandoned because the process changed. */
  async round(): Promise<boolean> {
    if (this.fresh) await this.setup();
    if ((await this.#maybeDrop('idle')).dropped && this.fresh) return false;
    if (!(await this.#acquire())) return false;
    if (!(await this.#maybeDrop('holding')).same) return false;
    const bytes: number[] = [];
    for (let i = 0; i < COUNTER.width; i++) {
      const r = await this.op('op:load', { map: this.map, index: COUNTER.offset + i });
      if (r.outcome.result.kind !== 'byte') throw new Error(`${this.name}: load gave ${r.outcome.display}`);
      bytes.push(r.outcome.result.value);
    }
    if (!(await this.#maybeDrop('holding')).same) return false;
    let value = 0;
    for (let i = COUNTER.width - 1; i >= 0; i--) value = value * 256 + bytes[i];
    let next = (value + 1) % 2 ** (8 * COUNTER.width);
    for (let i = 0; i < COUNTER.width; i++, next = Math.floor(next / 256)) {
      if (next % 256 === bytes[i]) continue;
      const r = await this.op('op:store', { map: this.map, index: COUNTER.offset + i, value: next % 256 });
      if (r.outcome.result.kind !== 'ok') throw new Error(`${this.name}: store gave ${r.outcome.display}`);
    }
    this.run.acked++;
    if (!(await this.#maybeDrop('holding')).same) return true;
    const u = await this.op('op:lock', { fd: this.fd, cmd: 'F_SETLK', type: 'F_UNLCK', start: COUNTER.offset, len: COUNTER.width });
    if (u.outcome.result.kind !== 'ok') throw new Error(`${this.name}: F_UNLCK gave ${u.outcome.display}`);
    return true;
  }

  async loop(): Promise<void> {
    this.run.gate.active++;
    try {
      while (!this.run.stop) await this.round();
    } finally {
      this.run.gate.active--;
    }
  }
}

describe('chaos: students drop and come back during a locked counter round', () => {
  it(`keeps the room's invariants over ${DISCONNECTS} disconnects`, { timeout: 120_000 + DISCONNECTS * 500 }, async () => {
    await withSeed('CHAOS_SEED', SEED, async () => {
      await start({ graceMs: GRACE_MS });
      const registry = roomRegistryOf(server.app);
      if (registry === undefined) throw new Error('no registry for the test server');
      const t = await openRoom(server.url, d, { template: 'custom', pageSize: 16, fileHex: '00'.repeat(64) });
      const room = registry.live(t.code) as Room;
      expect(room).toBeDefined();
      const run: Run = {
        url: server.url,
        code: t.code,
        gate: new Gate(),
        stop: false,
        acked: 0,
        disconnects: 0,
        points: { 'idle': 0, 'lock-in-flight': 0, 'blocked': 0, 'holding': 0 },
        modes: { 'resume': 0, 'late-resume': 0, 'fresh-join': 0, 'second-tab': 0 },
        respawns: 0,
        blockedWaits: 0,
        sessionEnded: 0,
        errors: [],
      };
      const rng = new Random(SEED);
      const bots = Array.from({ length: BOTS }, (_, i) => new Bot(i % 2 === 0 ? `drop${i}` : `steady${i}`, i % 2 === 0, rng.fork(), run));
      for (const b of bots) await b.start();

      // The kernel's invariants hold between any two events: check them all the time.
      const violations: string[] = [];
      let checks = 0;
      watch = setInterval(() => {
        checks++;
        for (const v of roomViolations(room)) if (violations.length < 20) violations.push(`${run.disconnects} disconnects in: ${v}`);
      }, 5);

      const checkpoints: { disconnects: number; acked: number; counter: number }[] = [];
      const checkpoint = async () => {
        await run.gate.quiesce();
        const counter = counterOf(room, COUNTER.offset, COUNTER.width);
        checkpoints.push({ disconnects: run.disconnects, acked: run.acked, counter });
        expect(roomViolations(room), `checkpoint at ${run.disconnects} disconnects`).toEqual([]);
        expect(counter, `counter at ${run.disconnects} disconnects`).toBe(run.acked);
        run.gate.open();
      };

      const started = Date.now();
      const loops = bots.map((b) => b.loop());
      const failed = Promise.race(loops.map((l) => l.then(() => new Promise<never>(() => {}))));
      const every = Math.max(1, Math.ceil(DISCONNECTS / (CHECKPOINTS + 1)));
      let next = every;
      try {
        await Promise.race([
          failed,
          (async () => {
            while (run.disconnects < DISCONNECTS) {
              await sleep(10);
              if (run.errors.length > 0) throw new Error(run.errors.join('; '));
              if (violations.length > 0) throw new Error(`invariants broken: ${violations.join('; ')}`);
              if (run.disconnects >= next && next < DISCONNECTS) {
                next += every;
                await checkpoint();
              }
            }
          })(),
        ]);
        run.stop = true;
        await Promise.race([failed, Promise.all(loops)]);
      } catch (error) {
        // A bot stuck or failing is usually the symptom: say what the kernel looked like.
        if (violations.length > 0 && error instanceof Error && !error.message.includes('invariants broken')) error.message += `; invariants broken: ${violations.join('; ')}`;
        throw error;
      } finally {
        run.stop = true;
        run.gate.open();
      }
      const seconds = (Date.now() - started) / 1000;
      await checkpoint();
      expect(run.errors).toEqual([]);

      // Everyone leaves: once the grace period is over no process is left, nor any lock.
      for (const b of bots) b.socket.close();
      await until('every process to die after the grace period', () => [...room.kernelState.liveProcesses()].length === 0, 10_000 + GRACE_MS * 4);
      clearInterval(watch);
      expect(room.kernelState.locks.count).toBe(0);
      expect(roomViolations(room)).toEqual([]);
      expect(counterOf(room, COUNTER.offset, COUNTER.width)).toBe(run.acked);
      expect(violations).toEqual([]);

      console.log(
        `chaos seed=${SEED}: ${run.disconnects} disconnects in ${seconds.toFixed(1)} s, ${bots.length} bots, ` +
          `${run.acked} acknowledged increments, ${run.blockedWaits} F_SETLKW waits, ${run.respawns} respawns, ` +
          `points ${JSON.stringify(run.points)}, modes ${JSON.stringify(run.modes)}, ` +
          `${checks} continuous checks, checkpoints ${JSON.stringify(checkpoints)}`,
      );
      expect(run.disconnects).toBeGreaterThanOrEqual(DISCONNECTS);
      // The run reached every kind of drop it is meant to.
      for (const [point, n] of Object.entries(run.points)) expect(n, `drops at ${point}`).toBeGreaterThan(0);
      for (const [mode, n] of Object.entries(run.modes)) expect(n, `drops by ${mode}`).toBeGreaterThan(0);
      expect(run.sessionEnded).toBe(run.modes['second-tab']);
      expect(checks).toBeGreaterThan(10);
    });
  });
});
