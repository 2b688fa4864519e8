import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '../contract.js';
import { createStore, SQLITE_FILE_NAME, type Store } from '../index.js';
import { SCHEMA_VERSION } from './migrations.js';
import { openSqliteDatabase } from './sqlite-store.js';

const root = mkdtempSync(join(tmpdir(), 'portico-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dirs = new WeakMap<Store, string>();

function open(dataDir = join(root, `db-${++n}`)): Store {
  const store = createStore({ kind: 'sqlite', dataDir });
  dirs.set(store, dataDir);
  return store;
}

runStoreContract('sqlite', {
  open: () => open(),
  reopen: async (store) => {
    await store.close();
    return open(dirs.get(store));
  },
});

describe('sqlite: file format', () => {
  it('uses WAL with synchronous=FULL and records the schema version', async () => {
    const dataDir = join(root, 'pragmas');
    const store = open(dataDir);
    await store.close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([
        { version: SCHEMA_VERSION },
      ]);
    } finally {
      db.close();
    }
    // synchronous is a per-connection setting: check the connection the store opens (2 = FULL).
    const conn = openSqliteDatabase(join(dataDir, SQLITE_FILE_NAME));
    try {
      expect(conn.pragma('synchronous', { simple: true })).toBe(2);
      expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      conn.close();
    }
  });

  it('reopening does not re-run migrations and refuses a file from a newer Portico', async () => {
    const dataDir = join(root, 'newer');
    await open(dataDir).close();
    await open(dataDir).close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    expect(db.prepare('SELECT COUNT(*) AS c FROM schema_migrations').get()).toEqual({ c: SCHEMA_VERSION });
    db.prepare("INSERT INTO schema_migrations VALUES (?, 'future', 'now')").run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => open(dataDir)).toThrow(
      `the data file has schema version ${SCHEMA_VERSION + 1}, newer than this Portico supports (${SCHEMA_VERSION})`,
    );
  });
});
