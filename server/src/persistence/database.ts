import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * One SQLite file under DATA_DIR. WAL lets the periodic flush write while
 * reads continue; synchronous=FULL makes every commit durable before it
 * returns, which is what lets us answer msync only after the disk has it.
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'mmap-lab.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  addJoinHashColumn(db);
  return db;
}

/** Per database, the after-commit work of each open transaction, innermost last. */
const open = new WeakMap<Db, (() => void)[][]>();

/**
 * Run `write` as one transaction (a savepoint inside another). With
 * synchronous=FULL the outermost commit is an fsync. A commit can fail (a
 * full disk) and take back everything written inside it, so whatever the
 * caller must only believe once the disk has it (pages are clean, records
 * are saved) is passed to `afterCommit`: it happens once the outermost
 * commit succeeded, and never if this or an enclosing transaction failed,
 * leaving it all to write again.
 */
export function transaction(db: Db, write: () => void): void {
  let stack = open.get(db);
  if (stack === undefined) open.set(db, (stack = []));
  const mine: (() => void)[] = [];
  stack.push(mine);
  try {
    db.transaction(write)();
  } finally {
    stack.pop();
  }
  const outer = stack.at(-1);
  if (outer !== undefined) outer.push(...mine);
  else for (const then of mine) then();
}

/** `then` once what was written so far is durable: now outside a transaction, else after the outermost commit. */
export function afterCommit(db: Db, then: () => void): void {
  const current = open.get(db)?.at(-1);
  if (current === undefined) then();
  else current.push(then);
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  code         TEXT PRIMARY KEY,
  teacher_hash TEXT NOT NULL,
  template     TEXT NOT NULL,
  page_size    INTEGER NOT NULL,
  file_size    INTEGER NOT NULL,
  locked       INTEGER NOT NULL DEFAULT 0,
  closed       INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL
);
-- The file, sparse: one row per page that ever held bytes.
CREATE TABLE IF NOT EXISTS pages (
  code  TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
  page  INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (code, page)
) WITHOUT ROWID;
-- Who joined, by resume-token hash: after a restart a returning token is told its process is gone.
-- join_hash: the key its join carried, so that join sent again after a restart is a returning student too.
CREATE TABLE IF NOT EXISTS roster (
  code       TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  name       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  join_hash  TEXT,
  PRIMARY KEY (code, token_hash)
) WITHOUT ROWID;
`;

/** A database from before joins carried a key gets the column (its students joined without one). */
function addJoinHashColumn(db: Db): void {
  const columns = db.prepare('PRAGMA table_info(roster)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'join_hash')) db.exec('ALTER TABLE roster ADD COLUMN join_hash TEXT');
}
