import { GatewayError } from '../../errors/index.js';
import type { ApiDef } from '../../model/types.js';
import type { ApiChildKind, ApiChildren, ApiHeader, ApisPort } from '../apis.port.js';
import { API_CHILD_KINDS, apiChildId, splitApi } from '../apis.port.js';
import type { PageRequest } from '../page.js';
import { type DocRow, pageQuery, parseDoc, type SqliteContext } from './sqlite-context.js';

/** The API aggregate on SQLite: header row in `apis`, one row per child in `api_children`. */
export function createSqliteApis({ db, op, atomic }: SqliteContext): ApisPort {
  const s = {
    get: db.prepare('SELECT seq, doc FROM apis WHERE api_id = ?'),
    upsert: db.prepare(
      `INSERT INTO apis (api_id, doc) VALUES (?, ?)
       ON CONFLICT (api_id) DO UPDATE SET doc = excluded.doc`,
    ),
    update: db.prepare('UPDATE apis SET doc = ? WHERE api_id = ?'),
    delete: db.prepare('DELETE FROM apis WHERE api_id = ?'),
    list: db.prepare('SELECT seq, doc FROM apis WHERE seq > ? ORDER BY seq LIMIT ?'),
    children: db.prepare('SELECT kind, doc FROM api_children WHERE api_id = ? ORDER BY seq'),
    childIds: db.prepare('SELECT child_id FROM api_children WHERE api_id = ? AND kind = ?'),
    getChild: db.prepare('SELECT doc FROM api_children WHERE api_id = ? AND kind = ? AND child_id = ?'),
    upsertChild: db.prepare(
      `INSERT INTO api_children (api_id, kind, child_id, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (api_id, kind, child_id) DO UPDATE SET doc = excluded.doc WHERE doc <> excluded.doc`,
    ),
    deleteChild: db.prepare('DELETE FROM api_children WHERE api_id = ? AND kind = ? AND child_id = ?'),
    listChildren: db.prepare(
      'SELECT seq, doc FROM api_children WHERE api_id = ? AND kind = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
  };

  const assemble = (row: DocRow): ApiDef => {
    const header = parseDoc<ApiHeader>(row);
    const api = {
      ...header,
      routes: [],
      integrations: [],
      authorizers: [],
      stages: [],
      deployments: [],
    } as ApiDef;
    for (const child of s.children.all(header.apiId) as Array<{ kind: ApiChildKind; doc: string }>) {
      (api[child.kind] as unknown[]).push(parseDoc(child));
    }
    return api;
  };
  const requireApi = (apiId: string): void => {
    if (s.get.get(apiId) === undefined) {
      throw new GatewayError('NOT_FOUND', `Invalid API identifier specified ${apiId}`);
    }
  };
  const upsertChild = <K extends ApiChildKind>(apiId: string, kind: K, child: ApiChildren[K]): void => {
    s.upsertChild.run(apiId, kind, apiChildId(kind, child), JSON.stringify(child));
  };

  return {
    get: (apiId) =>
      op(() => {
        const row = s.get.get(apiId) as DocRow | undefined;
        return row ? assemble(row) : undefined;
      }),
    put: (api) =>
      op(() =>
        atomic(() => {
          const { header, children } = splitApi(api);
          s.upsert.run(api.apiId, JSON.stringify(header));
          for (const kind of API_CHILD_KINDS) {
            const keep = new Set(children[kind].map((c) => apiChildId(kind, c)));
            for (const { child_id } of s.childIds.all(api.apiId, kind) as Array<{ child_id: string }>) {
              if (!keep.has(child_id)) s.deleteChild.run(api.apiId, kind, child_id);
            }
            for (const child of children[kind]) upsertChild(api.apiId, kind, child);
          }
        }),
      ),
    putHeader: (header) =>
      op(() => {
        requireApi(header.apiId);
        s.update.run(JSON.stringify(splitApi(header as ApiDef).header), header.apiId);
      }),
    // api_children rows go with the API through ON DELETE CASCADE.
    delete: (apiId) => op(() => s.delete.run(apiId).changes > 0),
    list: (page) => op(() => pageQuery(s.list, [], page, assemble)),
    getChild: <K extends ApiChildKind>(apiId: string, kind: K, id: string) =>
      op(() => {
        const row = s.getChild.get(apiId, kind, id) as { doc: string } | undefined;
        return row ? parseDoc<ApiChildren[K]>(row) : undefined;
      }),
    putChild: (apiId, kind, child) =>
      op(() =>
        atomic(() => {
          requireApi(apiId);
          upsertChild(apiId, kind, child);
        }),
      ),
    deleteChild: (apiId, kind, id) => op(() => s.deleteChild.run(apiId, kind, id).changes > 0),
    listChildren: <K extends ApiChildKind>(apiId: string, kind: K, page?: PageRequest) =>
      op(() => pageQuery(s.listChildren, [apiId, kind], page, (row) => parseDoc<ApiChildren[K]>(row))),
  };
}
