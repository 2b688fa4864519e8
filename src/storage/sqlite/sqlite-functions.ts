import { GatewayError } from '../../errors/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { CodePort } from '../code.port.js';
import { codeRefOf } from '../code-ref.js';
import type {
  AliasDef,
  FunctionAliasesPort,
  FunctionPoliciesPort,
  FunctionsPort,
  FunctionVersionDef,
  FunctionVersionsPort,
  PolicyDef,
} from '../functions.port.js';
import { pageQuery, parseDoc, type SqliteContext } from './sqlite-context.js';

/** The function aggregate on SQLite (versions, aliases and policies cascade with the function). */
export function createSqliteFunctions(ctx: SqliteContext): {
  functions: FunctionsPort;
  versions: FunctionVersionsPort;
  aliases: FunctionAliasesPort;
  policies: FunctionPoliciesPort;
  code: CodePort;
} {
  const { db, op, atomic } = ctx;
  const s = {
    get: db.prepare('SELECT doc FROM functions WHERE function_name = ?'),
    upsert: db.prepare(
      `INSERT INTO functions (function_name, doc, code_sha256) VALUES (?, ?, ?)
       ON CONFLICT (function_name) DO UPDATE SET doc = excluded.doc, code_sha256 = excluded.code_sha256`,
    ),
    delete: db.prepare('DELETE FROM functions WHERE function_name = ?'),
    list: db.prepare('SELECT seq, doc FROM functions WHERE seq > ? ORDER BY seq LIMIT ?'),
    bumpVersion: db.prepare(
      'UPDATE functions SET last_version = last_version + 1 WHERE function_name = ? RETURNING last_version',
    ),
    insertVersion: db.prepare(
      'INSERT INTO function_versions (function_name, version, code_sha256, doc) VALUES (?, ?, ?, ?)',
    ),
    getVersion: db.prepare('SELECT doc FROM function_versions WHERE function_name = ? AND version = ?'),
    deleteVersion: db.prepare('DELETE FROM function_versions WHERE function_name = ? AND version = ?'),
    listVersions: db.prepare(
      'SELECT seq, doc FROM function_versions WHERE function_name = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    getAlias: db.prepare('SELECT doc FROM function_aliases WHERE function_name = ? AND alias_name = ?'),
    upsertAlias: db.prepare(
      `INSERT INTO function_aliases (function_name, alias_name, doc) VALUES (?, ?, ?)
       ON CONFLICT (function_name, alias_name) DO UPDATE SET doc = excluded.doc`,
    ),
    deleteAlias: db.prepare('DELETE FROM function_aliases WHERE function_name = ? AND alias_name = ?'),
    listAliases: db.prepare(
      'SELECT seq, doc FROM function_aliases WHERE function_name = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    getPolicy: db.prepare('SELECT doc FROM function_policies WHERE function_name = ? AND qualifier = ?'),
    upsertPolicy: db.prepare(
      `INSERT INTO function_policies (function_name, qualifier, doc) VALUES (?, ?, ?)
       ON CONFLICT (function_name, qualifier) DO UPDATE SET doc = excluded.doc`,
    ),
    deletePolicy: db.prepare('DELETE FROM function_policies WHERE function_name = ? AND qualifier = ?'),
    putCode: db.prepare(
      'INSERT INTO code_packages (sha256, size, bytes, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    getCode: db.prepare('SELECT bytes FROM code_packages WHERE sha256 = ?'),
    pruneCode: db.prepare(
      `DELETE FROM code_packages WHERE sha256 NOT IN (
         SELECT code_sha256 FROM functions WHERE code_sha256 IS NOT NULL
         UNION SELECT code_sha256 FROM function_versions)`,
    ),
  };
  const requireFunction = (name: string): void => {
    if (s.get.get(name) === undefined) throw new GatewayError('NOT_FOUND', `Function not found: ${name}`);
  };
  const doc = <T>(row: unknown): T | undefined =>
    row === undefined ? undefined : parseDoc<T>(row as { doc: string });

  const functions: FunctionsPort = {
    get: (name) => op(() => doc<FunctionDef>(s.get.get(name))),
    put: (fn) => op(() => void s.upsert.run(fn.functionName, JSON.stringify(fn), fn.codeSha256 ?? null)),
    delete: (name) => op(() => s.delete.run(name).changes > 0),
    list: (page) => op(() => pageQuery(s.list, [], page, (row) => parseDoc<FunctionDef>(row))),
  };

  const versions: FunctionVersionsPort = {
    publish: (name, draft) =>
      op(() =>
        atomic(() => {
          const bumped = s.bumpVersion.get(name) as { last_version: number } | undefined;
          if (bumped === undefined) throw new GatewayError('NOT_FOUND', `Function not found: ${name}`);
          const version: FunctionVersionDef = { ...draft, version: String(bumped.last_version) };
          s.insertVersion.run(name, version.version, version.code.sha256, JSON.stringify(version));
          return version;
        }),
      ),
    get: (name, version) => op(() => doc<FunctionVersionDef>(s.getVersion.get(name, version))),
    delete: (name, version) => op(() => s.deleteVersion.run(name, version).changes > 0),
    list: (name, page) =>
      op(() => pageQuery(s.listVersions, [name], page, (row) => parseDoc<FunctionVersionDef>(row))),
  };

  const aliases: FunctionAliasesPort = {
    get: (name, alias) => op(() => doc<AliasDef>(s.getAlias.get(name, alias))),
    put: (name, alias) =>
      op(() =>
        atomic(() => {
          requireFunction(name);
          s.upsertAlias.run(name, alias.name, JSON.stringify(alias));
        }),
      ),
    delete: (name, alias) => op(() => s.deleteAlias.run(name, alias).changes > 0),
    list: (name, page) => op(() => pageQuery(s.listAliases, [name], page, (row) => parseDoc<AliasDef>(row))),
  };

  // The unqualified (function-level) policy is stored under qualifier ''.
  const policies: FunctionPoliciesPort = {
    get: (name, qualifier) => op(() => doc<PolicyDef>(s.getPolicy.get(name, qualifier ?? ''))),
    put: (name, qualifier, policy) =>
      op(() =>
        atomic(() => {
          requireFunction(name);
          s.upsertPolicy.run(name, qualifier ?? '', JSON.stringify(policy));
        }),
      ),
    delete: (name, qualifier) => op(() => s.deletePolicy.run(name, qualifier ?? '').changes > 0),
  };

  const code: CodePort = {
    put: (zip) =>
      op(() => {
        const ref = codeRefOf(zip);
        s.putCode.run(ref.sha256, ref.size, zip, new Date().toISOString());
        return ref;
      }),
    get: (sha256) => op(() => (s.getCode.get(sha256) as { bytes: Buffer } | undefined)?.bytes),
    prune: () => op(() => s.pruneCode.run().changes),
  };

  return { functions, versions, aliases, policies, code };
}
