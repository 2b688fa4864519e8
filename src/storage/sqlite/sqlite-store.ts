import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Store, StorePorts } from '../store.port.js';
import { TxGate } from '../tx-gate.js';
import { migrate } from './migrations.js';
import { createSqliteApis } from './sqlite-apis.js';
import type { SqliteContext } from './sqlite-context.js';
import { createSqliteDomainNames } from './sqlite-domain-names.js';
import { createSqliteFunctions } from './sqlite-functions.js';

/** File name of the database inside the data directory. */
export const SQLITE_FILE_NAME = 'portico.db';

/** Options of the SQLite adapter. */
export interface SqliteStoreOptions {
  /** Directory holding `portico.db` (+ `-wal`, `-shm`); created when missing. */
  dataDir: string;
}

/**
 * Opens the database file with Portico's connection settings and migrates it.
 *
 * Durability: WAL journal with `synchronous=FULL`, so every COMMIT fsyncs the WAL before the call
 * returns. An acknowledged write therefore survives `kill -9` (the WAL is replayed on the next open)
 * and also power loss; NORMAL would already survive a process kill but may lose the last commits on
 * power loss, and control-plane writes are too rare for the fsync to matter.
 * See https://www.sqlite.org/pragma.html#pragma_synchronous and https://www.sqlite.org/wal.html.
 */
export function openSqliteDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A CLI reading the same file while the server writes waits instead of failing with SQLITE_BUSY.
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Opens (creating and migrating as needed) the SQLite store in `dataDir`. */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  mkdirSync(options.dataDir, { recursive: true });
  const db = openSqliteDatabase(join(options.dataDir, SQLITE_FILE_NAME));
  const savepoint = (depth: number): string => `portico_tx_${depth}`;
  const gate = new TxGate({
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on lock upgrade.
    begin: (depth) => db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint(depth)}`),
    commit: (depth) => db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint(depth)}`),
    rollback: (depth) => {
      if (!db.inTransaction) return; // SQLite already rolled back (e.g. a failed COMMIT)
      db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint(depth)}; RELEASE ${savepoint(depth)}`);
    },
  });
  const ctx: SqliteContext = {
    db,
    op: (fn) => (db.open ? gate.run(fn) : Promise.reject(new Error('store is closed'))),
    atomic: (fn) => db.transaction(fn)(),
  };
  const ports: StorePorts = {
    apis: createSqliteApis(ctx),
    domainNames: createSqliteDomainNames(ctx),
    ...createSqliteFunctions(ctx),
  };
  return {
    kind: 'sqlite',
    ...ports,
    transaction: (fn) => {
      if (!db.open) return Promise.reject(new Error('store is closed'));
      return gate.transaction(() => fn(ports));
    },
    close: async () => {
      await gate.drain();
      if (db.open) db.close();
    },
  };
}
