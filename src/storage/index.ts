import { createMemoryStore } from './memory/memory-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.port.js';

/** Which adapter to open: the SQLite file in a data directory, or process memory. */
export type StoreOptions = { kind: 'sqlite'; dataDir: string } | { kind: 'memory' };

/** The composition root of persistence: picks the adapter. */
export function createStore(options: StoreOptions): Store {
  switch (options.kind) {
    case 'sqlite':
      return createSqliteStore({ dataDir: options.dataDir });
    case 'memory':
      return createMemoryStore();
  }
}

export type { Store, StorePorts } from './store.port.js';
export type { ApisPort, ApiChildKind, ApiChildren, ApiHeader } from './apis.port.js';
export { API_CHILD_KINDS, apiChildId } from './apis.port.js';
export type { DomainNamesPort, DomainNameHeader } from './domain-names.port.js';
export type {
  AliasDef,
  AliasRoutingConfig,
  FunctionAliasesPort,
  FunctionPoliciesPort,
  FunctionsPort,
  FunctionVersionDef,
  FunctionVersionsPort,
  PolicyDef,
  PolicyStatement,
} from './functions.port.js';
export type { CodePort, CodeRef } from './code.port.js';
export { codeRefOf } from './code-ref.js';
export type { Page, PageRequest } from './page.js';
export { listAll } from './page.js';
export { SQLITE_FILE_NAME } from './sqlite/sqlite-store.js';
