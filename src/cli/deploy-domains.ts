import type { ApiMappingDef, DomainNameDef } from '../model/types.js';
import { type AdminClient, AdminError, wirePath } from './admin-client.js';
import { CONFIG_ID_TAG, SOURCE_TAG } from './deploy-apis.js';
import type { ChangeLog } from './deploy-changes.js';
import { listAllV2 } from './wire-calls.js';

/** apigatewayv2 DomainName (reference §6.2); only the members deploy reads. */
interface WireDomainName {
  domainName: string;
  tags?: Record<string, string>;
  [key: string]: unknown;
}

/** apigatewayv2 ApiMapping. */
interface WireApiMapping {
  apiMappingId: string;
  apiId: string;
  stage: string;
  apiMappingKey?: string;
  [key: string]: unknown;
}

function domainPath(domainName: string, ...rest: string[]): string {
  return wirePath('v2', 'domainnames', domainName, ...rest);
}

/** How a mapping is named in deploy's output: `domain/key`, `(none)` for the empty base path. */
export function mappingName(domainName: string, apiMappingKey: string): string {
  return `${domainName}/${apiMappingKey === '' ? '(none)' : apiMappingKey}`;
}

/** The members of an ApiMapping that deploy manages that differ from the remote one. */
export function mappingDiff(want: Omit<ApiMappingDef, 'apiMappingId'>, have: WireApiMapping): string[] {
  const out: string[] = [];
  if (want.apiId !== have.apiId) out.push('apiId');
  if (want.stage !== have.stage) out.push('stage');
  return out;
}

/**
 * Makes one domain of the file exist with the file's API mappings: CreateDomainName (tagged
 * `portico:config-id=<domain>`) when missing, then mappings matched by base path (`apiMappingKey`,
 * unique per domain) are created, updated (UpdateApiMapping) or deleted
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html).
 * `apiIds` maps the file's API keys to the server's API ids.
 */
export async function syncDomain(
  client: AdminClient,
  def: DomainNameDef,
  remoteDomains: readonly WireDomainName[],
  apiIds: ReadonlyMap<string, string>,
  log: ChangeLog,
): Promise<void> {
  const name = def.domainName;
  const existing = remoteDomains.find((d) => d.domainName === name);
  if (!existing) {
    await client.json({
      service: 'apigateway',
      method: 'POST',
      path: wirePath('v2', 'domainnames'),
      body: { domainName: name, tags: { [CONFIG_ID_TAG]: name } },
    });
    log.add({ action: 'created', kind: 'domain', name });
  } else if (existing.tags?.[SOURCE_TAG] === 'config-file') {
    // Domains of the server's own --config file are read-only through the control plane.
    log.add({ action: 'skipped', kind: 'domain', name, detail: "defined in the server's config file" });
    return;
  }
  const path = domainPath(name, 'apimappings');
  const remote = existing ? await listAllV2<WireApiMapping>(client, path) : [];
  const byKey = new Map(remote.map((m) => [m.apiMappingKey ?? '', m]));
  for (const mapping of def.apiMappings) {
    const apiId = apiIds.get(mapping.apiId);
    if (apiId === undefined) throw new AdminError(`domain ${name}: no API "${mapping.apiId}" on the server`);
    const want = { apiId, stage: mapping.stage, apiMappingKey: mapping.apiMappingKey };
    const mappingLabel = mappingName(name, mapping.apiMappingKey);
    const have = byKey.get(mapping.apiMappingKey);
    byKey.delete(mapping.apiMappingKey);
    if (!have) {
      await client.json({ service: 'apigateway', method: 'POST', path, body: want });
      const detail = `${mapping.apiId} ${mapping.stage}`;
      log.add({ action: 'created', kind: 'api mapping', name: mappingLabel, detail });
      continue;
    }
    const changed = mappingDiff(want, have);
    if (changed.length === 0) continue;
    await client.json({
      service: 'apigateway',
      method: 'PATCH',
      path: domainPath(name, 'apimappings', have.apiMappingId),
      body: { apiId, stage: mapping.stage },
    });
    log.add({ action: 'updated', kind: 'api mapping', name: mappingLabel, detail: changed.join(', ') });
  }
  for (const extra of byKey.values()) {
    await client.send({
      service: 'apigateway',
      method: 'DELETE',
      path: domainPath(name, 'apimappings', extra.apiMappingId),
    });
    log.add({ action: 'deleted', kind: 'api mapping', name: mappingName(name, extra.apiMappingKey ?? '') });
  }
}

/** GetDomainNames. */
export function getDomainNames(client: AdminClient): Promise<WireDomainName[]> {
  return listAllV2<WireDomainName>(client, wirePath('v2', 'domainnames'));
}
