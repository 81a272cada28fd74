/** What a transaction's caller counts as written happens only once the outermost commit has succeeded. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { afterCommit, openDatabase, transaction, type Db } from './database.ts';

let db: Db | undefined;
let dir: string | undefined;
afterEach(() => {
  db?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function database(): Db {
  dir = mkdtempSync(join(tmpdir(), 'database-'));
  db = openDatabase(dir);
  db.exec('CREATE TABLE t (x INTEGER)');
  return db;
}

describe('afterCommit', () => {
  it('runs at once outside a transaction, after the outermost commit inside one, never for a savepoint taken back', () => {
    const db = database();
    const done: string[] = [];
    afterCommit(db, () => done.push('outside'));
    transaction(db, () => {
      transaction(db, () => afterCommit(db, () => done.push('inner')));
      try {
        transaction(db, () => {
          afterCommit(db, () => done.push('taken back'));
          throw new Error('no');
        });
      } catch { /* the outer transaction goes on */ }
      expect(done).toEqual(['outside']);
    });
    expect(done).toEqual(['outside', 'inner']);
  });

  it('never runs when the outermost commit fails, and nothing written inside it stays', () => {
    const db = database();
    // A deferred foreign key left unmet fails the COMMIT itself, as a full disk does.
    db.exec('CREATE TABLE p (k INTEGER PRIMARY KEY); CREATE TABLE c (k INTEGER REFERENCES p(k) DEFERRABLE INITIALLY DEFERRED)');
    const done: string[] = [];
    expect(() => transaction(db, () => {
      transaction(db, () => {
        db.exec('INSERT INTO t VALUES (1)');
        afterCommit(db, () => done.push('saved'));
      });
      db.exec('INSERT INTO c VALUES (7)');
    })).toThrow(/FOREIGN KEY/);
    expect(done).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    transaction(db, () => afterCommit(db, () => done.push('next')));
    expect(done).toEqual(['next']);
  });
});
