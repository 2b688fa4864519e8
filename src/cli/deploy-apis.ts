import { createHash } from 'node:crypto';
import type { ApiDef, IntegrationDef, RouteDef, StageDef } from '../model/types.js';
import { type AdminClient, wirePath } from './admin-client.js';
import { type ChangeLog, sameJson } from './deploy-changes.js';
import {
  getDeployments,
  getIntegrations,
  getRoutes,
  getStages,
  targetIntegrationId,
  type WireApi,
  type WireIntegration,
  type WireRoute,
  type WireStage,
} from './wire-calls.js';

/**
 * The tag that ties an API created by `portico deploy` to its key in the file: apigatewayv2 issues
 * random API ids, so re-running deploy finds "its" API by this tag instead.
 */
export const CONFIG_ID_TAG = 'portico:config-id';

/** Tag the server puts on resources from its own config file (read-only through the API). */
export const SOURCE_TAG = 'portico:source';

/** Prefix of the deployment description that records which file content a stage serves. */
const DEPLOYMENT_PREFIX = 'portico deploy ';

type Json = Record<string, unknown>;

/** The CreateIntegration body for a file integration; AWS_PROXY targets use the server's function ARN. */
export function integrationBody(def: IntegrationDef, functionArns: ReadonlyMap<string, string>): Json {
  let uri = def.integrationUri;
  const fn = uri === undefined ? null : /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(?::(.+))?$/.exec(uri);
  if (def.integrationType === 'AWS_PROXY' && fn) {
    const arn = functionArns.get(fn[1] as string);
    if (arn !== undefined) uri = fn[2] === undefined ? arn : `${arn}:${fn[2]}`;
  }
  return {
    integrationType: def.integrationType,
    integrationUri: uri,
    integrationMethod: def.integrationMethod,
    payloadFormatVersion: def.payloadFormatVersion,
    timeoutInMillis: def.timeoutInMillis,
    description: def.description,
    requestParameters: def.requestParameters,
    responseParameters: def.responseParameters,
  };
}

/** The CreateRoute body of a file route, its target resolved to the remote integration id. */
export function routeBody(def: RouteDef, integrationIds: ReadonlyMap<string, string>): Json {
  const target = def.target === undefined ? undefined : integrationIds.get(def.target);
  return {
    routeKey: def.routeKey,
    target: target === undefined ? undefined : `integrations/${target}`,
    authorizationType: def.authorizationType,
    authorizerId: def.authorizerId,
    authorizationScopes: def.authorizationScopes,
    apiKeyRequired: def.apiKeyRequired,
    operationName: def.operationName,
  };
}

/** The CreateStage body of a file stage. Deploy controls deployments, so autoDeploy is off. */
export function stageBody(def: StageDef): Json {
  return {
    stageName: def.stageName,
    autoDeploy: false,
    description: def.description,
    stageVariables: def.stageVariables,
    defaultRouteSettings: def.defaultRouteSettings,
    routeSettings: def.routeSettings,
  };
}

/** Members of `want` that differ from `have` (absent, empty and false count as the same). */
export function diffMembers(want: Json, have: Json): string[] {
  return Object.keys(want).filter((k) => !sameJson(want[k], have[k]));
}

/** A PATCH body for the changed members; a member to clear is sent empty (`''` or `{}`). */
function patchOf(want: Json, members: readonly string[]): Json {
  const body: Json = {};
  for (const k of members) {
    const v = want[k];
    body[k] =
      v !== undefined
        ? v
        : k.endsWith('Parameters') || k.endsWith('Settings') || k === 'stageVariables'
          ? {}
          : '';
  }
  return body;
}

/** Content hash of what the file says the API serves; stages whose deployment carries it are current. */
export function snapshotHash(api: ApiDef, functionArns: ReadonlyMap<string, string>): string {
  const ids = new Map(api.integrations.map((i) => [i.integrationId, i.integrationId]));
  const snapshot = {
    integrations: api.integrations.map((i) => [i.integrationId, integrationBody(i, functionArns)]),
    routes: api.routes.map((r) => routeBody(r, ids)),
    cors: api.corsConfiguration,
  };
  return createHash('sha256').update(JSON.stringify(snapshot)).digest('hex').slice(0, 16);
}

/** Context of one API's sync. */
interface ApiSync {
  client: AdminClient;
  apiId: string;
  key: string;
  log: ChangeLog;
}

function v2(apiId: string, ...rest: string[]): string {
  return wirePath('v2', 'apis', apiId, ...rest);
}

/**
 * Makes one API of the file exist on the server as the file says: the API, its integrations, routes
 * and stages (created, updated, or deleted when the file no longer has them), then a deployment for
 * every stage that does not serve the file's current content yet. Returns the API's id on the server.
 */
export async function syncApi(
  client: AdminClient,
  def: ApiDef,
  remoteApis: readonly WireApi[],
  functionArns: ReadonlyMap<string, string>,
  log: ChangeLog,
): Promise<string> {
  const key = def.apiId;
  let remote = remoteApis.find((a) => a.tags?.[CONFIG_ID_TAG] === key);
  if (!remote && remoteApis.some((a) => a.apiId === key && a.tags?.[SOURCE_TAG] === 'config-file')) {
    // The server tags the APIs of its own --config file (read-only through the API).
    log.add({ action: 'skipped', kind: 'api', name: key, detail: "defined in the server's config file" });
    return key;
  }
  const apiBody: Json = {
    name: def.name,
    description: def.description,
    disableExecuteApiEndpoint: def.disableExecuteApiEndpoint,
  };
  if (!remote) {
    remote = await client.json<WireApi>({
      service: 'apigateway',
      method: 'POST',
      path: wirePath('v2', 'apis'),
      body: {
        ...apiBody,
        protocolType: 'HTTP',
        ...(def.corsConfiguration ? { corsConfiguration: def.corsConfiguration } : {}),
        tags: { ...def.tags, [CONFIG_ID_TAG]: key },
      },
    });
    log.add({ action: 'created', kind: 'api', name: key, detail: remote.apiId });
  } else {
    const changed = diffMembers(apiBody, remote);
    if (!sameJson(def.corsConfiguration, remote.corsConfiguration) && def.corsConfiguration) {
      apiBody.corsConfiguration = def.corsConfiguration;
      changed.push('corsConfiguration');
    }
    if (changed.length > 0) {
      await client.json({
        service: 'apigateway',
        method: 'PATCH',
        path: v2(remote.apiId),
        body: patchOf(apiBody, changed),
      });
    }
    if (!def.corsConfiguration && !sameJson(undefined, remote.corsConfiguration)) {
      // DeleteCorsConfiguration: a PATCH cannot remove the member.
      await client.send({ service: 'apigateway', method: 'DELETE', path: v2(remote.apiId, 'cors') });
      changed.push('corsConfiguration');
    }
    if (changed.length > 0)
      log.add({ action: 'updated', kind: 'api', name: key, detail: changed.join(', ') });
  }
  const sync: ApiSync = { client, apiId: remote.apiId, key, log };
  const remoteRoutes = await getRoutes(client, remote.apiId);
  const { ids, unclaimed } = await syncIntegrations(sync, def, remoteRoutes, functionArns);
  await syncRoutes(sync, def, remoteRoutes, ids);
  // Only now, with no route pointing at them any more, can leftover integrations go.
  for (const integration of unclaimed) {
    await client.send({
      service: 'apigateway',
      method: 'DELETE',
      path: v2(sync.apiId, 'integrations', integration.integrationId),
    });
    log.add({ action: 'deleted', kind: 'integration', name: integration.integrationId, api: key });
  }
  await syncStages(sync, def, snapshotHash(def, functionArns));
  return remote.apiId;
}

/**
 * Integrations have server-issued ids, so a file integration is matched to a remote one by content;
 * failing that, the remote integration its routes point at is updated in place; failing that, a new
 * one is created. Returns file id -> remote id, and the remote integrations nothing claimed.
 */
async function syncIntegrations(
  sync: ApiSync,
  def: ApiDef,
  remoteRoutes: readonly WireRoute[],
  functionArns: ReadonlyMap<string, string>,
): Promise<{ ids: Map<string, string>; unclaimed: WireIntegration[] }> {
  const { client, apiId, key, log } = sync;
  const remote = await getIntegrations(client, apiId);
  const unclaimed = new Map(remote.map((i) => [i.integrationId, i]));
  const ids = new Map<string, string>();
  const pending: IntegrationDef[] = [];
  for (const integration of def.integrations) {
    const want = integrationBody(integration, functionArns);
    const match = [...unclaimed.values()].find((r) => diffMembers(want, r).length === 0);
    if (match) {
      ids.set(integration.integrationId, match.integrationId);
      unclaimed.delete(match.integrationId);
    } else pending.push(integration);
  }
  for (const integration of pending) {
    const want = integrationBody(integration, functionArns);
    const routeKeys = new Set(
      def.routes.filter((r) => r.target === integration.integrationId).map((r) => r.routeKey),
    );
    const candidate = remoteRoutes
      .filter((r) => routeKeys.has(r.routeKey))
      .map((r) => unclaimed.get(targetIntegrationId(r.target) ?? ''))
      .find((i) => i !== undefined);
    if (candidate) {
      const changed = diffMembers(want, candidate);
      await client.json({
        service: 'apigateway',
        method: 'PATCH',
        path: v2(apiId, 'integrations', candidate.integrationId),
        body: patchOf(want, changed),
      });
      ids.set(integration.integrationId, candidate.integrationId);
      unclaimed.delete(candidate.integrationId);
      log.add({
        action: 'updated',
        kind: 'integration',
        name: integration.integrationId,
        api: key,
        detail: changed.join(', '),
      });
    } else {
      const created = await client.json<WireIntegration>({
        service: 'apigateway',
        method: 'POST',
        path: v2(apiId, 'integrations'),
        body: want,
      });
      ids.set(integration.integrationId, created.integrationId);
      log.add({ action: 'created', kind: 'integration', name: integration.integrationId, api: key });
    }
  }
  return { ids, unclaimed: [...unclaimed.values()] };
}

/** Routes are matched by route key: created, updated (changed members only) or deleted. */
async function syncRoutes(
  sync: ApiSync,
  def: ApiDef,
  remoteRoutes: readonly WireRoute[],
  ids: ReadonlyMap<string, string>,
): Promise<void> {
  const { client, apiId, key, log } = sync;
  const byKey = new Map(remoteRoutes.map((r) => [r.routeKey, r]));
  for (const route of def.routes) {
    const want = routeBody(route, ids);
    const existing = byKey.get(route.routeKey);
    byKey.delete(route.routeKey);
    if (!existing) {
      await client.json({ service: 'apigateway', method: 'POST', path: v2(apiId, 'routes'), body: want });
      log.add({ action: 'created', kind: 'route', name: route.routeKey, api: key });
      continue;
    }
    const changed = diffMembers(want, existing);
    if (changed.length === 0) continue;
    await client.json({
      service: 'apigateway',
      method: 'PATCH',
      path: v2(apiId, 'routes', existing.routeId),
      body: patchOf(want, changed),
    });
    log.add({ action: 'updated', kind: 'route', name: route.routeKey, api: key, detail: changed.join(', ') });
  }
  for (const extra of byKey.values()) {
    await client.send({ service: 'apigateway', method: 'DELETE', path: v2(apiId, 'routes', extra.routeId) });
    log.add({ action: 'deleted', kind: 'route', name: extra.routeKey, api: key });
  }
}

/**
 * Stages are matched by name. A stage is redeployed (CreateDeployment) when the deployment it serves
 * was not made by deploy for the file's current content (recorded in the deployment's description),
 * so all of one run's edits go live at once and a re-run with nothing changed deploys nothing.
 */
async function syncStages(sync: ApiSync, def: ApiDef, hash: string): Promise<void> {
  const { client, apiId, key, log } = sync;
  const remote = new Map((await getStages(client, apiId)).map((s) => [s.stageName, s]));
  const serving = new Map<string, string | undefined>();
  for (const stage of def.stages) {
    const want = stageBody(stage);
    const existing: WireStage | undefined = remote.get(stage.stageName);
    remote.delete(stage.stageName);
    if (!existing) {
      await client.json({ service: 'apigateway', method: 'POST', path: v2(apiId, 'stages'), body: want });
      log.add({ action: 'created', kind: 'stage', name: stage.stageName, api: key });
      serving.set(stage.stageName, undefined);
      continue;
    }
    serving.set(stage.stageName, existing.deploymentId);
    const changed = diffMembers(want, existing);
    if (existing.autoDeploy === true && !changed.includes('autoDeploy')) changed.push('autoDeploy');
    if (changed.length === 0) continue;
    await client.json({
      service: 'apigateway',
      method: 'PATCH',
      path: v2(apiId, 'stages', stage.stageName),
      body: { ...patchOf(want, changed), autoDeploy: false },
    });
    log.add({
      action: 'updated',
      kind: 'stage',
      name: stage.stageName,
      api: key,
      detail: changed.join(', '),
    });
  }
  for (const extra of remote.values()) {
    await client.send({
      service: 'apigateway',
      method: 'DELETE',
      path: v2(apiId, 'stages', extra.stageName),
    });
    log.add({ action: 'deleted', kind: 'stage', name: extra.stageName, api: key });
  }
  const description = `${DEPLOYMENT_PREFIX}${hash}`;
  const deployments = new Map(
    (await getDeployments(client, apiId)).map((d) => [d.deploymentId, d.description]),
  );
  for (const [stageName, deploymentId] of serving) {
    if (deploymentId !== undefined && deployments.get(deploymentId) === description) continue;
    const created = await client.json<{ deploymentId?: string }>({
      service: 'apigateway',
      method: 'POST',
      path: v2(apiId, 'deployments'),
      body: { stageName, description },
    });
    log.add({
      action: 'deployed',
      kind: 'stage',
      name: stageName,
      api: key,
      detail: `deployment ${created.deploymentId ?? '?'}`,
    });
  }
}
