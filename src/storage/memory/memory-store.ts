import type { ApiDef, ApiMappingDef, DomainNameDef, FunctionDef } from '../../model/types.js';
import { GatewayError } from '../../errors/index.js';
import type { ApiChildKind, ApiChildren, ApiHeader, ApisPort } from '../apis.port.js';
import { API_CHILD_KINDS, apiChildId, splitApi } from '../apis.port.js';
import type { CodePort, CodeRef } from '../code.port.js';
import { codeRefOf } from '../code-ref.js';
import type { DomainNamesPort } from '../domain-names.port.js';
import type {
  AliasDef,
  FunctionAliasesPort,
  FunctionPoliciesPort,
  FunctionsPort,
  FunctionVersionDef,
  FunctionVersionsPort,
  PolicyDef,
} from '../functions.port.js';
import type { PageRequest } from '../page.js';
import type { Store, StorePorts } from '../store.port.js';
import { TxGate } from '../tx-gate.js';
import { key, MemTable, type MemRow } from './mem-table.js';

const parse = <T>(row: MemRow): T => JSON.parse(row.doc) as T;
const json = (value: unknown): string => JSON.stringify(value);

/**
 * The in-memory adapter, for tests and for embedders that do not want a file. Same semantics as the
 * SQLite adapter (creation order, cascades, atomic transactions), checked by the same contract suite.
 */
export function createMemoryStore(): Store {
  let counter = 0;
  const seq = { next: () => ++counter };
  const t = {
    apis: new MemTable(seq),
    apiChildren: new MemTable(seq),
    domains: new MemTable(seq),
    mappings: new MemTable(seq),
    functions: new MemTable(seq),
    versions: new MemTable(seq),
    aliases: new MemTable(seq),
    policies: new MemTable(seq),
    code: new MemTable(seq),
  };
  const tables = Object.values(t);
  const snapshots: Array<Array<Map<string, MemRow>>> = [];
  let closed = false;
  const gate = new TxGate({
    begin: () => snapshots.push(tables.map((table) => table.snapshot())),
    commit: () => void snapshots.pop(),
    rollback: () => {
      const snap = snapshots.pop();
      if (snap) tables.forEach((table, i) => table.restore(snap[i] as Map<string, MemRow>));
    },
  });
  const op = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new Error('store is closed'));
    return gate.run(fn);
  };

  const assembleApi = (apiId: string, row: MemRow): ApiDef => {
    const api = parse<ApiHeader>(row) as ApiDef;
    for (const kind of API_CHILD_KINDS) {
      (api as unknown as Record<string, unknown[]>)[kind] = t.apiChildren
        .rows(key(apiId, kind))
        .map(([, r]) => parse(r));
    }
    return api;
  };
  const requireApi = (apiId: string): void => {
    if (!t.apis.get(key(apiId)))
      throw new GatewayError('NOT_FOUND', `Invalid API identifier specified ${apiId}`);
  };
  const putChildSync = <K extends ApiChildKind>(apiId: string, kind: K, child: ApiChildren[K]): void => {
    t.apiChildren.set(key(apiId, kind, apiChildId(kind, child)), json(child));
  };

  const apis: ApisPort = {
    get: (apiId) =>
      op(() => {
        const row = t.apis.get(key(apiId));
        return row ? assembleApi(apiId, row) : undefined;
      }),
    put: (api) =>
      op(() => {
        const { header, children } = splitApi(api);
        t.apis.set(key(api.apiId), json(header));
        for (const kind of API_CHILD_KINDS) {
          const keep = new Set(children[kind].map((c) => key(api.apiId, kind, apiChildId(kind, c))));
          for (const [k] of t.apiChildren.rows(key(api.apiId, kind)))
            if (!keep.has(k)) t.apiChildren.delete(k);
          for (const child of children[kind]) putChildSync(api.apiId, kind, child);
        }
      }),
    putHeader: (header) =>
      op(() => {
        requireApi(header.apiId);
        const { header: clean } = splitApi(header as ApiDef);
        t.apis.set(key(header.apiId), json(clean));
      }),
    delete: (apiId) =>
      op(() => {
        t.apiChildren.deletePrefix(key(apiId));
        return t.apis.delete(key(apiId));
      }),
    list: (page) => op(() => t.apis.page('', page, (row) => assembleApi(parse<ApiHeader>(row).apiId, row))),
    getChild: <K extends ApiChildKind>(apiId: string, kind: K, id: string) =>
      op(() => {
        const row = t.apiChildren.get(key(apiId, kind, id));
        return row ? parse<ApiChildren[K]>(row) : undefined;
      }),
    putChild: (apiId, kind, child) =>
      op(() => {
        requireApi(apiId);
        putChildSync(apiId, kind, child);
      }),
    deleteChild: (apiId, kind, id) => op(() => t.apiChildren.delete(key(apiId, kind, id))),
    listChildren: <K extends ApiChildKind>(apiId: string, kind: K, page?: PageRequest) =>
      op(() => t.apiChildren.page(key(apiId, kind), page, (row) => parse<ApiChildren[K]>(row))),
  };

  const assembleDomain = (row: MemRow): DomainNameDef => {
    const domain = parse<DomainNameDef>(row);
    domain.apiMappings = t.mappings.rows(key(domain.domainName)).map(([, r]) => parse(r));
    return domain;
  };
  const putMappingSync = (domainName: string, mapping: ApiMappingDef): void => {
    t.mappings.set(key(domainName, mapping.apiMappingId), json(mapping), { ref: mapping.apiId });
  };
  const domainNames: DomainNamesPort = {
    get: (domainName) =>
      op(() => {
        const row = t.domains.get(key(domainName));
        return row ? assembleDomain(row) : undefined;
      }),
    put: (domain) =>
      op(() => {
        const { apiMappings, ...header } = domain;
        t.domains.set(key(domain.domainName), json(header));
        const keep = new Set(apiMappings.map((m) => key(domain.domainName, m.apiMappingId)));
        for (const [k] of t.mappings.rows(key(domain.domainName))) if (!keep.has(k)) t.mappings.delete(k);
        for (const m of apiMappings) putMappingSync(domain.domainName, m);
      }),
    delete: (domainName) =>
      op(() => {
        t.mappings.deletePrefix(key(domainName));
        return t.domains.delete(key(domainName));
      }),
    list: (page) => op(() => t.domains.page('', page, assembleDomain)),
    getMapping: (domainName, id) =>
      op(() => {
        const row = t.mappings.get(key(domainName, id));
        return row ? parse<ApiMappingDef>(row) : undefined;
      }),
    putMapping: (domainName, mapping) =>
      op(() => {
        if (!t.domains.get(key(domainName))) {
          throw new GatewayError('NOT_FOUND', `Invalid domain name identifier specified ${domainName}`);
        }
        putMappingSync(domainName, mapping);
      }),
    deleteMapping: (domainName, id) => op(() => t.mappings.delete(key(domainName, id))),
    listMappings: (domainName, page) =>
      op(() => t.mappings.page(key(domainName), page, (row) => parse<ApiMappingDef>(row))),
    listMappingsForApi: (apiId) =>
      op(() =>
        t.mappings
          .rows()
          .filter(([, row]) => row.ref === apiId)
          .map(([k, row]) => ({
            domainName: k.split('\u0000')[0] as string,
            mapping: parse<ApiMappingDef>(row),
          })),
      ),
  };

  const requireFunction = (name: string): MemRow => {
    const row = t.functions.get(key(name));
    if (!row) throw new GatewayError('NOT_FOUND', `Function not found: ${name}`);
    return row;
  };
  const functions: FunctionsPort = {
    get: (name) =>
      op(() => {
        const row = t.functions.get(key(name));
        return row ? parse<FunctionDef>(row) : undefined;
      }),
    put: (fn) =>
      op(() => {
        const counter = t.functions.get(key(fn.functionName))?.counter ?? 0;
        t.functions.set(key(fn.functionName), json(fn), { counter, ...refOf(fn.codeSha256) });
      }),
    delete: (name) =>
      op(() => {
        for (const table of [t.versions, t.aliases, t.policies]) table.deletePrefix(key(name));
        return t.functions.delete(key(name));
      }),
    list: (page) => op(() => t.functions.page('', page, (row) => parse<FunctionDef>(row))),
  };

  const versions: FunctionVersionsPort = {
    publish: (name, draft) =>
      op(() => {
        const row = requireFunction(name);
        const next = (row.counter ?? 0) + 1;
        t.functions.set(key(name), row.doc, { counter: next, ...refOf(row.ref) });
        const version: FunctionVersionDef = { ...draft, version: String(next) };
        t.versions.set(key(name, version.version), json(version), { ref: version.code.sha256 });
        return version;
      }),
    get: (name, version) =>
      op(() => {
        const row = t.versions.get(key(name, version));
        return row ? parse<FunctionVersionDef>(row) : undefined;
      }),
    delete: (name, version) => op(() => t.versions.delete(key(name, version))),
    list: (name, page) => op(() => t.versions.page(key(name), page, (row) => parse<FunctionVersionDef>(row))),
  };

  const aliases: FunctionAliasesPort = {
    get: (name, alias) =>
      op(() => {
        const row = t.aliases.get(key(name, alias));
        return row ? parse<AliasDef>(row) : undefined;
      }),
    put: (name, alias) =>
      op(() => {
        requireFunction(name);
        t.aliases.set(key(name, alias.name), json(alias));
      }),
    delete: (name, alias) => op(() => t.aliases.delete(key(name, alias))),
    list: (name, page) => op(() => t.aliases.page(key(name), page, (row) => parse<AliasDef>(row))),
  };

  const policies: FunctionPoliciesPort = {
    get: (name, qualifier) =>
      op(() => {
        const row = t.policies.get(key(name, qualifier ?? ''));
        return row ? parse<PolicyDef>(row) : undefined;
      }),
    put: (name, qualifier, policy) =>
      op(() => {
        requireFunction(name);
        t.policies.set(key(name, qualifier ?? ''), json(policy));
      }),
    delete: (name, qualifier) => op(() => t.policies.delete(key(name, qualifier ?? ''))),
  };

  const code: CodePort = {
    put: (zip) =>
      op((): CodeRef => {
        const ref = codeRefOf(zip);
        if (!t.code.get(key(ref.sha256))) t.code.set(key(ref.sha256), zip.toString('base64'));
        return ref;
      }),
    get: (sha256) =>
      op(() => {
        const row = t.code.get(key(sha256));
        return row ? Buffer.from(row.doc, 'base64') : undefined;
      }),
    prune: () =>
      op(() => {
        const used = new Set<string | undefined>();
        for (const [, row] of t.functions.rows()) used.add(row.ref);
        for (const [, row] of t.versions.rows()) used.add(row.ref);
        let pruned = 0;
        for (const [k] of t.code.rows()) {
          if (!used.has(k.slice(0, -1))) {
            t.code.delete(k);
            pruned++;
          }
        }
        return pruned;
      }),
  };

  const ports: StorePorts = { apis, domainNames, functions, versions, aliases, policies, code };
  return {
    kind: 'memory',
    ...ports,
    transaction: (fn) => {
      if (closed) return Promise.reject(new Error('store is closed'));
      return gate.transaction(() => fn(ports));
    },
    close: async () => {
      await gate.drain();
      closed = true;
    },
  };
}

function refOf(sha256: string | undefined): { ref?: string } {
  return sha256 === undefined ? {} : { ref: sha256 };
}
