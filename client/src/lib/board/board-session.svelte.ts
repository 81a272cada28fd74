import { createContext } from 'svelte';
import type { LockView } from '@mmap-lab/shared/kernel/views.ts';
import {
  FEED_KEPT, LIMITS, type BoardProcess, type BoardSnapshot, type BoardUpdate, type ClientEventName, type FeedEntry, type ReplyOf, type RequestIn,
  type RoomSummary, type TeacherRebootRequest,
} from '@mmap-lab/shared/protocol/index.ts';
import { lostConnection, RoomConnection } from '../net/room-connection.svelte.ts';
import { teacherAct } from './teacher-act.ts';
import { teacherCredential } from '../net/storage.ts';
import { fromHexString } from '../format/bytes.ts';
import { cycleEdges, type Edge } from './wait-for.ts';
import type { FileSource, Glow } from './file-source.ts';
import { BoardLessonModel } from './board-lesson.svelte.ts';

export type BoardPhase =
  | { phase: 'attaching' }
  | { phase: 'need-credential'; error?: string }
  | { phase: 'attached' }
  | { phase: 'closed'; message: string };

let glowSeq = 0;

/**
 * The file's first FILE_MAX bytes at `size` (the snapshot's cap: a student's
 * ftruncate to a gigabyte must not take the tab with it), in `old`'s memory
 * when it has room: a new view, so the grid redraws, without copying the file
 * on every tick. A grown file's new bytes are zeros.
 */
function keptBytes(old: Uint8Array, size: number): Uint8Array {
  const length = Math.min(Math.max(size, 0), LIMITS.FILE_MAX);
  if (length > old.buffer.byteLength - old.byteOffset) {
    const grown = new Uint8Array(length);
    grown.set(old);
    return grown;
  }
  const bytes = new Uint8Array(old.buffer, old.byteOffset, length);
  if (length > old.length) bytes.fill(0, old.length);
  return bytes;
}

/**
 * The teacher's view of one room: everything the server's board snapshot
 * and updates say, kept as immutable snapshots, plus the teacher controls.
 */
export class BoardSession implements FileSource {
  readonly code: string;
  readonly conn: RoomConnection;
  /** The chapter, exercise, queue and quiz the teacher runs. */
  readonly lesson: BoardLessonModel;
  phase = $state.raw<BoardPhase>({ phase: 'attaching' });
  room = $state.raw<RoomSummary | undefined>();
  fileBytes = $state.raw<Uint8Array>(new Uint8Array(0));
  fileSize = $state(0);
  processes = $state.raw(new Map<number, BoardProcess>());
  locks = $state.raw<LockView[]>([]);
  waitsFor = $state.raw<Edge[]>([]);
  /** Newest first. */
  feed = $state.raw<FeedEntry[]>([]);
  feedDropped = $state(0);
  /** File offset → the latest write, so its cell glows in the writer's colour. */
  glows = $state.raw(new Map<number, Glow>());
  /** The outcome of the teacher's last control, read out by screen readers. */
  status = $state('');

  pageSize = $derived(this.room?.pageSize ?? 16);
  processList = $derived([...this.processes.values()].sort((a, b) => a.pid - b.pid));
  names = $derived(new Map([...this.processes.values()].map((p) => [p.pid, p.name])));
  deadlocked = $derived(cycleEdges(this.waitsFor));

  #credential: string | undefined;
  /** teacher:attach was answered on the socket the board has now: a new socket is nobody until then. */
  #attached = $state(false);

  /** Controls can be sent: online and attached, or the server would refuse them (NOT_JOINED). */
  get canControl(): boolean {
    return this.conn.online && this.#attached;
  }

  constructor(code: string) {
    this.code = code;
    this.#credential = teacherCredential.get(code);
    this.conn = new RoomConnection(() => void this.#attach());
    this.conn.on('board:snapshot', (snapshot) => this.#adopt(snapshot));
    this.conn.on('board:update', (update) => this.#apply(update));
    this.conn.on('room:closed', ({ message }) => {
      this.phase = { phase: 'closed', message };
    });
    this.lesson = new BoardLessonModel(this.conn, (status) => (this.status = status));
  }

  nameOf(pid: number): string {
    return this.names.get(pid) ?? `pid ${pid}`;
  }

  /** A credential typed on a second device (the teacher's phone). */
  async useCredential(credential: string): Promise<void> {
    this.#credential = credential.trim();
    await this.#attach();
  }

  async #attach(): Promise<void> {
    this.#attached = false;
    if (this.phase.phase === 'closed') return;
    if (!this.#credential) {
      this.phase = { phase: 'need-credential' };
      return;
    }
    const res = await this.conn.call('teacher:attach', { code: this.code, credential: this.#credential }, {
      apply: (answer) => {
        if (!answer.ok) return;
        this.#attached = true;
        this.#adopt(answer.data.board);
      },
    });
    if (res.ok) {
      teacherCredential.set(this.code, this.#credential);
    } else if (res.error.code === 'ROOM_CLOSED') {
      this.phase = { phase: 'closed', message: res.error.message };
    } else if (lostConnection(res.error.code)) {
      this.conn.establishAgain();
    } else {
      this.phase = { phase: 'need-credential', error: res.error.message };
    }
  }

  #adopt(snapshot: BoardSnapshot): void {
    const names = new Map(snapshot.roster.map((r) => [r.pid, r]));
    this.room = snapshot.room;
    this.fileBytes = fromHexString(snapshot.fileHex);
    this.fileSize = snapshot.view.size;
    this.processes = new Map(
      snapshot.view.processes.map((p) => [
        p.pid,
        { ...p, name: names.get(p.pid)?.name ?? `pid ${p.pid}`, connected: names.get(p.pid)?.connected ?? false },
      ]),
    );
    this.locks = snapshot.view.locks;
    this.waitsFor = snapshot.view.waitsFor;
    this.glows = new Map();
    // The server's feed replaces this one: it has what happened while this board was away, and after a restart its numbering started again.
    this.feed = [...snapshot.feed].reverse();
    this.feedDropped = 0;
    this.lesson.adopt(snapshot);
    this.phase = { phase: 'attached' };
  }

  #apply(u: BoardUpdate): void {
    if (u.runs.length > 0 || u.size !== this.fileSize) {
      const bytes = keptBytes(this.fileBytes, u.size);
      const glows = new Map(this.glows);
      for (const run of u.runs) {
        const data = fromHexString(run.hex);
        const end = Math.min(run.offset + data.length, bytes.length);
        for (let at = run.offset; at < end; at++) {
          bytes[at] = data[at - run.offset];
          glows.set(at, { by: run.by, seq: ++glowSeq });
        }
      }
      this.fileBytes = bytes;
      this.fileSize = u.size;
      this.glows = glows;
    }
    if (u.processes.length > 0) {
      const next = new Map(this.processes);
      for (const p of u.processes) next.set(p.pid, p);
      this.processes = next;
    }
    if (u.roster) {
      const next = new Map(this.processes);
      for (const r of u.roster) {
        const p = next.get(r.pid);
        if (p && (p.name !== r.name || p.connected !== r.connected)) next.set(r.pid, { ...p, name: r.name, connected: r.connected });
      }
      this.processes = next;
    }
    if (u.locks) {
      this.locks = u.locks.locks;
      this.waitsFor = u.locks.waitsFor;
    }
    if (u.room) this.room = u.room;
    // The tick after a snapshot may repeat lines the snapshot already had.
    const newest = this.feed[0]?.seq ?? 0;
    const fresh = u.feed.filter((e) => e.seq > newest);
    if (fresh.length > 0) this.feed = [...fresh.reverse(), ...this.feed].slice(0, FEED_KEPT);
    this.feedDropped += u.feedDropped;
  }

  #act<E extends ClientEventName>(what: string, event: E, payload: RequestIn<E>, then?: (data: ReplyOf<E>) => void): Promise<boolean> {
    return teacherAct(this.conn, (status) => (this.status = status), what, event, payload, then);
  }

  lockJoins(locked: boolean) {
    return this.#act(locked ? 'Lock the room' : 'Open the room', 'teacher:lock-joins', { locked }, ({ room }) => {
      this.room = room;
    });
  }

  kill(pid: number) {
    return this.#act(`Kill ${this.nameOf(pid)}`, 'teacher:kill', { pid });
  }

  stopAll() {
    return this.#act('Stop every process', 'teacher:stop-all', {});
  }

  continueAll() {
    return this.#act('Continue every process', 'teacher:continue-all', {});
  }

  reboot(request: TeacherRebootRequest) {
    return this.#act('Reboot with a new file', 'teacher:reboot', request, ({ room }) => {
      this.room = room;
    });
  }

  closeRoom() {
    return this.#act('Close the class', 'teacher:close', {}, () => {
      this.phase = { phase: 'closed', message: 'You closed this class.' };
    });
  }

  /**
   * One file of the class export (`export.json`, `export/<table>.csv`,
   * `export/segment-<n>.trace`), fetched with the teacher credential.
   */
  async exportFile(file: string): Promise<{ ok: true; blob: Blob } | { ok: false; message: string }> {
    if (!this.#credential) return { ok: false, message: 'This browser does not hold the teacher credential.' };
    try {
      const res = await fetch(`/api/rooms/${encodeURIComponent(this.code)}/${file}`, { headers: { authorization: `Bearer ${this.#credential}` } });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        return { ok: false, message: body?.error?.message ?? `The server answered ${res.status}.` };
      }
      return { ok: true, blob: await res.blob() };
    } catch {
      return { ok: false, message: 'No answer from the server: is the connection down?' };
    }
  }

  close(): void {
    this.conn.close();
  }
}

export const [getBoard, setBoard] = createContext<BoardSession>();
