import type { TemplateId } from '@mmap-lab/shared/content/templates.ts';
import { afterCommit, transaction, type Db } from './database.ts';

export interface RoomRow {
  code: string;
  teacherHash: string;
  template: TemplateId;
  pageSize: number;
  fileSize: number;
  locked: boolean;
  closed: boolean;
}

/** A page of the file as stored: its index and its bytes. */
export interface StoredPage {
  page: number;
  bytes: Uint8Array;
}

interface RawRoom {
  code: string;
  teacher_hash: string;
  template: string;
  page_size: number;
  file_size: number;
  locked: number;
  closed: number;
}

/** Every SQL statement of the server, prepared once. All calls are synchronous. */
export class RoomStore {
  readonly #db: Db;
  readonly #s;

  constructor(db: Db) {
    this.#db = db;
    this.#s = {
      insertRoom: db.prepare(
        'INSERT INTO rooms (code, teacher_hash, template, page_size, file_size, locked, closed, created_at) VALUES (?, ?, ?, ?, ?, 0, 0, ?)',
      ),
      codeExists: db.prepare('SELECT 1 FROM rooms WHERE code = ?'),
      room: db.prepare('SELECT * FROM rooms WHERE code = ?'),
      pages: db.prepare('SELECT page, bytes FROM pages WHERE code = ? ORDER BY page'),
      upsertPage: db.prepare('INSERT INTO pages (code, page, bytes) VALUES (?, ?, ?) ON CONFLICT (code, page) DO UPDATE SET bytes = excluded.bytes'),
      dropPagesFrom: db.prepare('DELETE FROM pages WHERE code = ? AND page >= ?'),
      dropAllPages: db.prepare('DELETE FROM pages WHERE code = ?'),
      setSize: db.prepare('UPDATE rooms SET file_size = ? WHERE code = ?'),
      setLayout: db.prepare('UPDATE rooms SET template = ?, page_size = ?, file_size = ? WHERE code = ?'),
      setLocked: db.prepare('UPDATE rooms SET locked = ? WHERE code = ?'),
      setClosed: db.prepare('UPDATE rooms SET closed = 1 WHERE code = ?'),
      addRoster: db.prepare('INSERT OR REPLACE INTO roster (code, token_hash, name, pid, join_hash) VALUES (?, ?, ?, ?, ?)'),
      roster: db.prepare('SELECT name, pid FROM roster WHERE code = ?'),
      rosterHas: db.prepare('SELECT 1 FROM roster WHERE code = ? AND token_hash = ?'),
      rosterNameOfJoin: db.prepare('SELECT name FROM roster WHERE code = ? AND join_hash = ? LIMIT 1'),
      rosterNameHeld: db.prepare('SELECT 1 FROM roster WHERE code = ? AND name = ? AND join_hash IS NOT NULL AND join_hash IS NOT ? LIMIT 1'),
      clearRoster: db.prepare('DELETE FROM roster WHERE code = ?'),
    };
  }

  /**
   * Run `write` as one commit. With synchronous=FULL each commit is an
   * fsync: the periodic flush of fifty rooms is one, not a hundred.
   */
  inOneCommit(write: () => void): void {
    transaction(this.#db, write);
  }

  /** `then` once the commit that holds what was just written has succeeded (database.ts). */
  afterCommit(then: () => void): void {
    afterCommit(this.#db, then);
  }

  codeExists(code: string): boolean {
    return this.#s.codeExists.get(code) !== undefined;
  }

  createRoom(row: Omit<RoomRow, 'locked' | 'closed'>, pages: StoredPage[]): void {
    transaction(this.#db, () => {
      this.#s.insertRoom.run(row.code, row.teacherHash, row.template, row.pageSize, row.fileSize, Date.now());
      for (const p of pages) this.#s.upsertPage.run(row.code, p.page, p.bytes);
    });
  }

  loadRoom(code: string): { row: RoomRow; pages: StoredPage[] } | undefined {
    const raw = this.#s.room.get(code) as RawRoom | undefined;
    if (raw === undefined) return undefined;
    const row: RoomRow = {
      code: raw.code,
      teacherHash: raw.teacher_hash,
      template: raw.template as TemplateId,
      pageSize: raw.page_size,
      fileSize: raw.file_size,
      locked: raw.locked !== 0,
      closed: raw.closed !== 0,
    };
    if (row.closed) return { row, pages: [] };
    const pages = (this.#s.pages.all(code) as { page: number; bytes: Buffer }[]).map((p) => ({
      page: p.page,
      bytes: new Uint8Array(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength),
    }));
    return { row, pages };
  }

  /**
   * One durable commit: stored pages from `dropFrom` on go (past the end of
   * file, or the file was shorter since the last write), then the changed
   * pages and the size.
   */
  writeFile(code: string, size: number, dropFrom: number, pages: StoredPage[]): void {
    transaction(this.#db, () => {
      this.#s.dropPagesFrom.run(code, dropFrom);
      for (const p of pages) this.#s.upsertPage.run(code, p.page, p.bytes);
      this.#s.setSize.run(size, code);
    });
  }

  /**
   * A kernel reboot: new layout and file. The roster stays: its tokens let
   * students who were admitted before come back even into a locked room.
   */
  replaceFile(code: string, template: TemplateId, pageSize: number, size: number, pages: StoredPage[]): void {
    transaction(this.#db, () => {
      this.#s.dropAllPages.run(code);
      for (const p of pages) this.#s.upsertPage.run(code, p.page, p.bytes);
      this.#s.setLayout.run(template, pageSize, size, code);
    });
  }

  setLocked(code: string, locked: boolean): void {
    this.#s.setLocked.run(locked ? 1 : 0, code);
  }

  close(code: string): void {
    transaction(this.#db, () => {
      this.#s.setClosed.run(code);
      this.#s.dropAllPages.run(code);
      this.#s.clearRoster.run(code);
    });
  }

  addToRoster(code: string, tokenHash: string, name: string, pid: number, joinHash: string | undefined): void {
    this.#s.addRoster.run(code, tokenHash, name, pid, joinHash ?? null);
  }

  /** Everyone who joined since the room was created (one row per resume token), for the class export. */
  roster(code: string): { name: string; pid: number }[] {
    return this.#s.roster.all(code) as { name: string; pid: number }[];
  }

  rosterHas(code: string, tokenHash: string): boolean {
    return this.#s.rosterHas.get(code, tokenHash) !== undefined;
  }

  /** Did a join with this key's hash ever get a student into the room? */
  /** The name the student whose join carried this key had; undefined for a key this room never saw. */
  rosterNameOfJoin(code: string, joinHash: string): string | undefined {
    return (this.#s.rosterNameOfJoin.get(code, joinHash) as { name: string } | undefined)?.name;
  }

  /** Did a student whose join carried another key ever have this name in the room? (Pages always send one.) */
  rosterNameHeld(code: string, name: string, joinHash: string | undefined): boolean {
    return this.#s.rosterNameHeld.get(code, name, joinHash ?? null) !== undefined;
  }
}
