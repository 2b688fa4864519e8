import type Database from 'better-sqlite3';

/** One forward-only schema step. Never edit a released migration: add a new one. */
interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The schema. Every table has `seq INTEGER PRIMARY KEY AUTOINCREMENT`: AUTOINCREMENT guarantees a
 * never-reused, increasing rowid, which is the creation order that lists and cursors follow; an
 * upsert (`ON CONFLICT DO UPDATE`) keeps the row and so its place. Documents are JSON text.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'apis, domain names, functions, code packages',
    sql: `
      CREATE TABLE apis (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        api_id TEXT NOT NULL UNIQUE,
        doc TEXT NOT NULL
      );
      CREATE TABLE api_children (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        api_id TEXT NOT NULL REFERENCES apis(api_id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        child_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (api_id, kind, child_id)
      );
      CREATE TABLE domain_names (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        domain_name TEXT NOT NULL UNIQUE,
        doc TEXT NOT NULL
      );
      CREATE TABLE api_mappings (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        domain_name TEXT NOT NULL REFERENCES domain_names(domain_name) ON DELETE CASCADE,
        api_mapping_id TEXT NOT NULL,
        api_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (domain_name, api_mapping_id)
      );
      CREATE INDEX api_mappings_by_api ON api_mappings (api_id);
      CREATE TABLE functions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        function_name TEXT NOT NULL UNIQUE,
        doc TEXT NOT NULL,
        code_sha256 TEXT,
        last_version INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE function_versions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        function_name TEXT NOT NULL REFERENCES functions(function_name) ON DELETE CASCADE,
        version TEXT NOT NULL,
        code_sha256 TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (function_name, version)
      );
      CREATE INDEX function_versions_by_code ON function_versions (code_sha256);
      CREATE TABLE function_aliases (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        function_name TEXT NOT NULL REFERENCES functions(function_name) ON DELETE CASCADE,
        alias_name TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (function_name, alias_name)
      );
      CREATE TABLE function_policies (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        function_name TEXT NOT NULL REFERENCES functions(function_name) ON DELETE CASCADE,
        qualifier TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (function_name, qualifier)
      );
      CREATE TABLE code_packages (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file to SCHEMA_VERSION, one transaction per step. A file written by a newer Portico is
 * refused rather than silently misread.
 */
export function migrate(db: Database.Database): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `the data file has schema version ${current}, newer than this Portico supports (${SCHEMA_VERSION})`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
  );
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.description, new Date().toISOString());
    }).immediate();
  }
  return SCHEMA_VERSION;
}
