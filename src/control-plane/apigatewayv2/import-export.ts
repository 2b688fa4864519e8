import { stringify as toYaml } from 'yaml';
import type { ApiDef } from '../../model/types.js';
import type { AdminRequest, AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { exportOpenApi, importOpenApi, type BasePathMode, type ImportedApi } from '../openapi/index.js';
import { autoDeploy, commit, newStoredApi, readApi, snapshotOf, writeApi } from './api-access.js';
import { badRequest } from './errors.js';
import { reqString } from './fields.js';
import { newChildId } from './ids.js';
import { apiEndpoint, apiOut } from './shapes.js';
import { findStage } from './stages.js';
import { json, operation, param, readBody } from './wire.js';

function importRequest(req: AdminRequest): ImportedApi {
  const text = reqString(readBody(req), 'body');
  const mode = req.query.get('basepath') ?? 'ignore';
  if (mode !== 'ignore' && mode !== 'prepend' && mode !== 'split') {
    throw badRequest(`Invalid basepath ${mode}: must be one of ignore, prepend, split`);
  }
  const failOnWarnings = req.query.get('failOnWarnings');
  if (failOnWarnings !== null && failOnWarnings !== 'true' && failOnWarnings !== 'false') {
    throw badRequest(`Invalid failOnWarnings ${failOnWarnings}: must be true or false`);
  }
  const ids = new Set<string>();
  const imported = importOpenApi(text, {
    basepath: mode as BasePathMode,
    newId: () => {
      const id = newChildId((x) => ids.has(x));
      ids.add(id);
      return id;
    },
  });
  if (failOnWarnings === 'true' && imported.warnings.length > 0) {
    throw badRequest(`Warnings found during import:\n\t${imported.warnings.join('\n\t')}`);
  }
  return imported;
}

/** Copies what a definition describes onto the API (ImportApi creates, ReimportApi overwrites). */
function applyImported(api: ApiDef, imported: ImportedApi): void {
  api.name = imported.name;
  if (imported.description === undefined) delete api.description;
  else api.description = imported.description;
  if (imported.version === undefined) delete api.version;
  else api.version = imported.version;
  if (imported.corsConfiguration === undefined) delete api.corsConfiguration;
  else api.corsConfiguration = imported.corsConfiguration;
  if (imported.disableExecuteApiEndpoint !== undefined) {
    api.disableExecuteApiEndpoint = imported.disableExecuteApiEndpoint;
  }
  api.tags = { ...api.tags, ...imported.tags };
  api.routes = imported.routes;
  api.integrations = imported.integrations;
  api.authorizers = imported.authorizers;
  api.warnings = imported.warnings;
  api.importInfo = imported.importInfo;
}

/**
 * ImportApi, ReimportApi (OpenAPI 3 / Swagger 2, JSON or YAML) and ExportApi (OAS30, JSON or YAML)
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).
 */
export function importExportRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  return [
    operation('PUT', '/v2/apis', 'ImportApi', async (req) => {
      const imported = importRequest(req);
      return commit(ctx, async (tx) => {
        const now = ctx.now();
        const api = await newStoredApi(ctx, tx, imported.name, {}, now);
        applyImported(api, imported);
        autoDeploy(api, now);
        await tx.apis.put(api);
        return json(201, apiOut(ctx, api));
      });
    }),
    operation('PUT', '/v2/apis/{apiId}', 'ReimportApi', async (req) => {
      const imported = importRequest(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        applyImported(api, imported);
        return json(201, apiOut(ctx, api));
      });
    }),
    operation('GET', '/v2/apis/{apiId}/exports/{specification}', 'ExportApi', async (req) => {
      const specification = param(req, 'specification');
      if (specification !== 'OAS30')
        throw badRequest(`Unsupported specification ${specification}: use OAS30`);
      const outputType = req.query.get('outputType');
      if (outputType !== 'JSON' && outputType !== 'YAML') {
        throw badRequest('outputType is required and must be JSON or YAML');
      }
      const exportVersion = req.query.get('exportVersion');
      if (exportVersion !== null && exportVersion !== '1.0') {
        throw badRequest(`Unsupported exportVersion ${exportVersion}: use 1.0`);
      }
      const include = req.query.get('includeExtensions');
      if (include !== null && include !== 'true' && include !== 'false') {
        throw badRequest(`Invalid includeExtensions ${include}: must be true or false`);
      }
      const api = await readApi(ctx, param(req, 'apiId'));
      const stageName = req.query.get('stageName') ?? undefined;
      let snapshot = snapshotOf(api);
      if (stageName !== undefined) {
        const stage = findStage(api, stageName);
        const deployment = api.deployments.find((d) => d.deploymentId === stage.deploymentId);
        if (!deployment) throw badRequest(`Stage ${stageName} has no deployment to export`);
        snapshot = deployment.snapshot;
      }
      const doc = exportOpenApi({
        api,
        snapshot,
        endpoint: apiEndpoint(ctx, api.apiId),
        ...(stageName === undefined ? {} : { stageName }),
        includeExtensions: include !== 'false',
      });
      return outputType === 'JSON'
        ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc, null, 2) }
        : { status: 200, headers: { 'content-type': 'application/yaml' }, body: toYaml(doc) };
    }),
  ];
}
