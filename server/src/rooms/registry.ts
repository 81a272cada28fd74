import { Kernel } from '@mmap-lab/shared';
import { templateBytes } from '@mmap-lab/shared/content/templates.ts';
import { fromHex } from '@mmap-lab/shared/protocol/bytes.ts';
import type { CreateRoomRequest } from '@mmap-lab/shared/protocol/http.ts';
import { allPages, restoreKernel } from '../persistence/file-image.ts';
import type { RoomStore } from '../persistence/room-store.ts';
import { restoreLesson } from './lesson/restore.ts';
import { Room, type RoomDeps } from './room.ts';
import { hashSecret, newRoomCode, newSecret } from './secrets.ts';

/**
 * The rooms this process owns, by code. A room lives in memory from its
 * first use until nobody has been in it for a while (unloadIdle); after a
 * restart or an unload it is loaded from the store on the first request
 * that names it, with its file and without processes.
 */
export class RoomRegistry {
  readonly #rooms = new Map<string, Room>();
  readonly #store: RoomStore;
  readonly #deps: RoomDeps;
  /** When each loaded room was first seen with nobody in it. */
  readonly #idleSince = new Map<string, number>();

  constructor(deps: RoomDeps) {
    this.#store = deps.store;
    this.#deps = deps;
  }

  get count(): number {
    return this.#rooms.size;
  }

  rooms(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  create(request: CreateRoomRequest): { room: Room; credential: string } {
    const file =
      request.template === 'custom' ? fromHex(request.fileHex ?? '') : templateBytes(request.template, request.text);
    const kernel = new Kernel({ pageSize: request.pageSize, file, memoryBytes: this.#deps.memoryBytes });
    let code = newRoomCode();
    // 31^6 is about 900 million codes: a clash is rare, and retrying is cheap.
    while (this.#rooms.has(code) || this.#store.codeExists(code)) code = newRoomCode();
    const credential = newSecret();
    const teacherHash = hashSecret(credential);
    this.#store.createRoom(
      { code, teacherHash, template: request.template, pageSize: request.pageSize, fileSize: file.length },
      allPages(kernel.state.cache),
    );
    const room = new Room(
      { code, teacherHash, template: request.template, locked: false, pageSize: request.pageSize, file, reason: 'created' },
      this.#deps,
    );
    this.#rooms.set(code, room);
    return { room, credential };
  }

  /** The open room with this code, 'closed', or undefined when no room ever had it. */
  get(code: string): Room | 'closed' | undefined {
    const live = this.#rooms.get(code);
    if (live !== undefined) return live;
    const stored = this.#store.loadRoom(code);
    if (stored === undefined) return undefined;
    if (stored.row.closed) return 'closed';
    const { row, pages } = stored;
    // The image, not the bytes: a file grown with ftruncate costs only its written pages.
    const file = restoreKernel(row.pageSize, row.fileSize, pages, this.#deps.memoryBytes).state.cache.image();
    const room = new Room(
      {
        code, teacherHash: row.teacherHash, template: row.template, locked: row.locked, pageSize: row.pageSize,
        file, reason: 'restart', lesson: restoreLesson(this.#deps.lessons, code),
      },
      this.#deps,
    );
    this.#rooms.set(code, room);
    return room;
  }

  /** The open room with this code if it is already in memory (no disk read). */
  live(code: string): Room | undefined {
    return this.#rooms.get(code);
  }

  close(room: Room): void {
    room.close();
    this.#rooms.delete(room.code);
    this.#idleSince.delete(room.code);
  }

  /**
   * Unload the rooms nobody has been in for `idleMs`: no student connected
   * or within its grace period, no teacher board. Otherwise memory only
   * grows with every room ever used. Each is written to the store first (a
   * room that fails to write stays) and comes back as after a restart.
   */
  unloadIdle(now: number, idleMs: number, onError: (room: Room | null, error: unknown) => void): void {
    for (const room of [...this.#rooms.values()]) {
      if (room.sessions.present().length > 0 || this.#deps.outbox.hasTeachers(room.code)) {
        this.#idleSince.delete(room.code);
        continue;
      }
      const since = this.#idleSince.get(room.code) ?? now;
      this.#idleSince.set(room.code, since);
      if (now - since < idleMs) continue;
      let failed = false;
      this.#persist([room], (r, error) => {
        failed = true;
        onError(r, error);
      });
      if (failed) continue;
      room.dispose();
      // Nobody is on its board: this only forgets what the outbox keeps for the code.
      this.#deps.outbox.dropTeachers(room.code);
      this.#rooms.delete(room.code);
      this.#idleSince.delete(room.code);
    }
  }

  /** Every dirty room's pages to disk in one commit; one room's failure does not stop the others. */
  persistAll(onError: (room: Room | null, error: unknown) => void): void {
    this.#persist(this.#rooms.values(), onError);
  }

  /**
   * The rooms whose turn is `slot` of `slices`, in one commit. Called for
   * each slot in turn, it writes every room once per round: the same bound
   * on what a crash loses, in ten short pauses instead of one long one.
   */
  persistSlice(slot: number, slices: number, onError: (room: Room | null, error: unknown) => void): void {
    const due = [...this.#rooms.values()].filter((room) => slotOf(room.code, slices) === slot);
    if (due.length > 0) this.#persist(due, onError);
  }

  #persist(rooms: Iterable<Room>, onError: (room: Room | null, error: unknown) => void): void {
    try {
      this.#deps.store.inOneCommit(() => {
        for (const room of rooms) {
          try {
            room.persist();
          } catch (error) {
            onError(room, error);
          }
        }
      });
    } catch (error) {
      onError(null, error);
    }
  }

  /** Shutdown: every room's held and queued operations are answered CANCELLED (Room.cancelHeld). */
  cancelHeld(): void {
    for (const room of this.#rooms.values()) room.cancelHeld();
  }

  dispose(): void {
    for (const room of this.#rooms.values()) room.dispose();
  }
}

/** A room's turn in the periodic flush: codes are random, so rooms spread evenly. */
function slotOf(code: string, slices: number): number {
  let sum = 0;
  for (let i = 0; i < code.length; i++) sum += code.charCodeAt(i);
  return sum % slices;
}
