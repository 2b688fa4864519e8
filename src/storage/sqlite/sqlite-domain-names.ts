import { GatewayError } from '../../errors/index.js';
import type { ApiMappingDef, DomainNameDef } from '../../model/types.js';
import type { DomainNameHeader, DomainNamesPort } from '../domain-names.port.js';
import { type DocRow, pageQuery, parseDoc, type SqliteContext } from './sqlite-context.js';

/** Custom domain names on SQLite: `domain_names` rows and one `api_mappings` row per mapping. */
export function createSqliteDomainNames({ db, op, atomic }: SqliteContext): DomainNamesPort {
  const s = {
    get: db.prepare('SELECT seq, doc FROM domain_names WHERE domain_name = ?'),
    upsert: db.prepare(
      `INSERT INTO domain_names (domain_name, doc) VALUES (?, ?)
       ON CONFLICT (domain_name) DO UPDATE SET doc = excluded.doc`,
    ),
    delete: db.prepare('DELETE FROM domain_names WHERE domain_name = ?'),
    list: db.prepare('SELECT seq, doc FROM domain_names WHERE seq > ? ORDER BY seq LIMIT ?'),
    mappings: db.prepare('SELECT doc FROM api_mappings WHERE domain_name = ? ORDER BY seq'),
    mappingIds: db.prepare('SELECT api_mapping_id FROM api_mappings WHERE domain_name = ?'),
    getMapping: db.prepare('SELECT doc FROM api_mappings WHERE domain_name = ? AND api_mapping_id = ?'),
    upsertMapping: db.prepare(
      `INSERT INTO api_mappings (domain_name, api_mapping_id, api_id, doc) VALUES (?, ?, ?, ?)
       ON CONFLICT (domain_name, api_mapping_id) DO UPDATE SET api_id = excluded.api_id, doc = excluded.doc`,
    ),
    deleteMapping: db.prepare('DELETE FROM api_mappings WHERE domain_name = ? AND api_mapping_id = ?'),
    listMappings: db.prepare(
      'SELECT seq, doc FROM api_mappings WHERE domain_name = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    mappingsForApi: db.prepare('SELECT domain_name, doc FROM api_mappings WHERE api_id = ? ORDER BY seq'),
  };

  const assemble = (row: DocRow): DomainNameDef => {
    const header = parseDoc<DomainNameHeader>(row);
    const apiMappings = (s.mappings.all(header.domainName) as DocRow[]).map((r) =>
      parseDoc<ApiMappingDef>(r),
    );
    return { ...header, apiMappings };
  };
  const upsertMapping = (domainName: string, m: ApiMappingDef): void => {
    s.upsertMapping.run(domainName, m.apiMappingId, m.apiId, JSON.stringify(m));
  };

  return {
    get: (domainName) =>
      op(() => {
        const row = s.get.get(domainName) as DocRow | undefined;
        return row ? assemble(row) : undefined;
      }),
    put: (domain) =>
      op(() =>
        atomic(() => {
          const { apiMappings, ...header } = domain;
          s.upsert.run(domain.domainName, JSON.stringify(header));
          const keep = new Set(apiMappings.map((m) => m.apiMappingId));
          for (const { api_mapping_id } of s.mappingIds.all(domain.domainName) as Array<{
            api_mapping_id: string;
          }>) {
            if (!keep.has(api_mapping_id)) s.deleteMapping.run(domain.domainName, api_mapping_id);
          }
          for (const m of apiMappings) upsertMapping(domain.domainName, m);
        }),
      ),
    delete: (domainName) => op(() => s.delete.run(domainName).changes > 0),
    list: (page) => op(() => pageQuery(s.list, [], page, assemble)),
    getMapping: (domainName, id) =>
      op(() => {
        const row = s.getMapping.get(domainName, id) as { doc: string } | undefined;
        return row ? parseDoc<ApiMappingDef>(row) : undefined;
      }),
    putMapping: (domainName, mapping) =>
      op(() =>
        atomic(() => {
          if (s.get.get(domainName) === undefined) {
            throw new GatewayError('NOT_FOUND', `Invalid domain name identifier specified ${domainName}`);
          }
          upsertMapping(domainName, mapping);
        }),
      ),
    deleteMapping: (domainName, id) => op(() => s.deleteMapping.run(domainName, id).changes > 0),
    listMappings: (domainName, page) =>
      op(() => pageQuery(s.listMappings, [domainName], page, (row) => parseDoc<ApiMappingDef>(row))),
    listMappingsForApi: (apiId) =>
      op(() =>
        (s.mappingsForApi.all(apiId) as Array<{ domain_name: string; doc: string }>).map((r) => ({
          domainName: r.domain_name,
          mapping: parseDoc<ApiMappingDef>(r),
        })),
      ),
  };
}
