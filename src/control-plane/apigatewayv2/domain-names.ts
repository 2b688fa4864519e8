import type { ApiMappingDef, DomainNameDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { commit, managedByConfig, readApi } from './api-access.js';
import { badRequest, conflict, notFound } from './errors.js';
import { optObject, optString, optStringMap, reqString } from './fields.js';
import { newChildId } from './ids.js';
import { apiMappingOut, domainNameOut } from './shapes.js';
import { findStage } from './stages.js';
import { json, noContent, operation, paginate, param, readBody, type JsonObject } from './wire.js';

const HOSTNAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MAPPING_KEY = /^([A-Za-z0-9._~-]+)(\/[A-Za-z0-9._~-]+)*$/;

function configDomain(ctx: ControlPlaneContext, name: string): DomainNameDef | undefined {
  return ctx.configModel().domainNames.find((d) => d.domainName === name);
}

async function readDomain(ctx: ControlPlaneContext, name: string): Promise<DomainNameDef> {
  const key = name.toLowerCase();
  const domain = configDomain(ctx, key) ?? (await ctx.store.domainNames.get(key));
  if (!domain) throw notFound('DomainName', name);
  return domain;
}

function parseConfigurations(body: JsonObject): Array<Record<string, unknown>> | undefined {
  const v = body.domainNameConfigurations;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((c) => c === null || typeof c !== 'object' || Array.isArray(c))) {
    throw badRequest('Invalid value for domainNameConfigurations: expected a list of objects');
  }
  return (v as JsonObject[]).map((c) => {
    const endpointType = optString(c, 'endpointType');
    if (endpointType !== undefined && endpointType !== 'REGIONAL') {
      throw badRequest(`Invalid endpointType ${endpointType}: HTTP API domain names are REGIONAL`);
    }
    return { ...c };
  });
}

/** Validates the members of CreateApiMapping/UpdateApiMapping against the APIs and the domain. */
async function parseMapping(
  ctx: ControlPlaneContext,
  domain: DomainNameDef,
  body: JsonObject,
  apiMappingId: string,
): Promise<ApiMappingDef> {
  const apiId = reqString(body, 'apiId');
  const stage = reqString(body, 'stage');
  const apiMappingKey = optString(body, 'apiMappingKey') ?? '';
  if (apiMappingKey !== '' && (!MAPPING_KEY.test(apiMappingKey) || apiMappingKey.length > 300)) {
    throw badRequest(`Invalid apiMappingKey ${apiMappingKey}`);
  }
  findStage(await readApi(ctx, apiId), stage);
  if (domain.apiMappings.some((m) => m.apiMappingKey === apiMappingKey && m.apiMappingId !== apiMappingId)) {
    throw conflict(
      `ApiMapping with key '${apiMappingKey}' already exists for domain name ${domain.domainName}`,
    );
  }
  return { apiMappingId, apiId, stage, apiMappingKey };
}

/**
 * CreateDomainName, GetDomainNames, GetDomainName, UpdateDomainName, DeleteDomainName and the
 * ApiMapping operations (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html).
 */
export function domainNameRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  const base = '/v2/domainnames';
  const writableDomain = async (name: string): Promise<DomainNameDef> => {
    const key = name.toLowerCase();
    if (configDomain(ctx, key)) throw managedByConfig(`Domain name ${key}`);
    const domain = await ctx.store.domainNames.get(key);
    if (!domain) throw notFound('DomainName', name);
    return domain;
  };
  return [
    operation('POST', base, 'CreateDomainName', async (req) => {
      const body = readBody(req);
      const domainName = reqString(body, 'domainName').toLowerCase();
      if (!HOSTNAME.test(domainName)) throw badRequest(`Invalid domain name ${domainName}`);
      if (optObject(body, 'mutualTlsAuthentication')) {
        throw badRequest('mutualTlsAuthentication is not supported by Portico');
      }
      const configurations = parseConfigurations(body);
      const tags = optStringMap(body, 'tags');
      return commit(ctx, async (tx) => {
        if (configDomain(ctx, domainName) || (await tx.domainNames.get(domainName))) {
          throw conflict(`The domain name ${domainName} already exists`);
        }
        const domain: DomainNameDef = {
          domainName,
          apiMappings: [],
          ...(configurations ? { domainNameConfigurations: configurations } : {}),
          ...(tags ? { tags } : {}),
          source: 'api',
        };
        await tx.domainNames.put(domain);
        return json(201, domainNameOut(ctx, domain));
      });
    }),
    operation('GET', base, 'GetDomainNames', async (req) => {
      const stored = await ctx.store.domainNames.list();
      const page = paginate([...ctx.configModel().domainNames, ...stored.items], req);
      return json(200, { ...page, items: page.items.map((d) => domainNameOut(ctx, d)) });
    }),
    operation('GET', `${base}/{domainName}`, 'GetDomainName', async (req) => {
      return json(200, domainNameOut(ctx, await readDomain(ctx, param(req, 'domainName'))));
    }),
    operation('PATCH', `${base}/{domainName}`, 'UpdateDomainName', async (req) => {
      const body = readBody(req);
      const configurations = parseConfigurations(body);
      return commit(ctx, async (tx) => {
        const domain = await writableDomain(param(req, 'domainName'));
        if (configurations) domain.domainNameConfigurations = configurations;
        await tx.domainNames.put(domain);
        return json(200, domainNameOut(ctx, domain));
      });
    }),
    operation('DELETE', `${base}/{domainName}`, 'DeleteDomainName', async (req) => {
      return commit(ctx, async (tx) => {
        const domain = await writableDomain(param(req, 'domainName'));
        await tx.domainNames.delete(domain.domainName);
        return noContent();
      });
    }),
    operation('POST', `${base}/{domainName}/apimappings`, 'CreateApiMapping', async (req) => {
      const body = readBody(req);
      return commit(ctx, async (tx) => {
        const domain = await writableDomain(param(req, 'domainName'));
        const taken = (id: string): boolean => domain.apiMappings.some((m) => m.apiMappingId === id);
        const mapping = await parseMapping(ctx, domain, body, newChildId(taken));
        await tx.domainNames.putMapping(domain.domainName, mapping);
        return json(201, apiMappingOut(mapping));
      });
    }),
    operation('GET', `${base}/{domainName}/apimappings`, 'GetApiMappings', async (req) => {
      const domain = await readDomain(ctx, param(req, 'domainName'));
      const page = paginate(domain.apiMappings, req);
      return json(200, { ...page, items: page.items.map(apiMappingOut) });
    }),
    operation('GET', `${base}/{domainName}/apimappings/{apiMappingId}`, 'GetApiMapping', async (req) => {
      const domain = await readDomain(ctx, param(req, 'domainName'));
      const mapping = domain.apiMappings.find((m) => m.apiMappingId === param(req, 'apiMappingId'));
      if (!mapping) throw notFound('ApiMapping', param(req, 'apiMappingId'));
      return json(200, apiMappingOut(mapping));
    }),
    operation('PATCH', `${base}/{domainName}/apimappings/{apiMappingId}`, 'UpdateApiMapping', async (req) => {
      const body = readBody(req);
      return commit(ctx, async (tx) => {
        const domain = await writableDomain(param(req, 'domainName'));
        const existing = domain.apiMappings.find((m) => m.apiMappingId === param(req, 'apiMappingId'));
        if (!existing) throw notFound('ApiMapping', param(req, 'apiMappingId'));
        const mapping = await parseMapping(ctx, domain, { ...existing, ...body }, existing.apiMappingId);
        await tx.domainNames.putMapping(domain.domainName, mapping);
        return json(200, apiMappingOut(mapping));
      });
    }),
    operation(
      'DELETE',
      `${base}/{domainName}/apimappings/{apiMappingId}`,
      'DeleteApiMapping',
      async (req) => {
        return commit(ctx, async (tx) => {
          const domain = await writableDomain(param(req, 'domainName'));
          if (!(await tx.domainNames.deleteMapping(domain.domainName, param(req, 'apiMappingId')))) {
            throw notFound('ApiMapping', param(req, 'apiMappingId'));
          }
          return noContent();
        });
      },
    ),
  ];
}
