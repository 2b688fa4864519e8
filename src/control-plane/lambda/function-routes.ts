import { dropEventInvokeConfig } from './event-invoke-config-routes.js';
import { randomUUID } from 'node:crypto';
import { LambdaServiceError, parseFunctionRef } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { StorePorts } from '../../storage/index.js';
import type { AdminRequest, AdminRoute } from '../admin-router.js';
import { readZipCode, unpackZip } from './code-package.js';
import { functionConfiguration, lambdaTimestamp } from './configuration.js';
import { readFunctionSettings } from './function-settings.js';
import { applyLoggingConfig } from './logging-config.js';
import {
  commit,
  functionNotFound,
  functionRefOf,
  readOnlyError,
  requireFunction,
  resolveQualified,
  scopeOf,
  type LambdaDeps,
} from './lambda-deps.js';
import { listAll } from '../../storage/index.js';
import { checkTags } from './tag-routes.js';
import { publishLatest, versionConfiguration } from './version-routes.js';
import {
  emptyResponse,
  invalid,
  jsonResponse,
  lambdaRoute,
  optBool,
  optObject,
  optString,
  optStringMap,
  pageOf,
  parseBody,
  reqString,
} from './wire.js';

const FUNCTIONS = '/2015-03-31/functions';

/** CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction. */
export function functionRoutes(deps: LambdaDeps): AdminRoute[] {
  const { onError } = deps;
  return [
    lambdaRoute('POST', FUNCTIONS, 'CreateFunction', (req) => createFunction(deps, req), onError),
    lambdaRoute(
      'GET',
      `${FUNCTIONS}/{FunctionName}`,
      'GetFunction',
      (req) => getFunction(deps, req),
      onError,
    ),
    lambdaRoute(
      'GET',
      `${FUNCTIONS}/{FunctionName}/configuration`,
      'GetFunctionConfiguration',
      async (req) => {
        const ref = functionRefOf(req);
        const q = await resolveQualified(deps, ref.name, ref.qualifier);
        return jsonResponse(
          200,
          functionConfiguration(q.def, scopeOf(deps), q.version, q.arnQualifier, deps.startedAt),
        );
      },
      onError,
    ),
    lambdaRoute('GET', FUNCTIONS, 'ListFunctions', (req) => listFunctions(deps, req), onError),
    lambdaRoute(
      'DELETE',
      `${FUNCTIONS}/{FunctionName}`,
      'DeleteFunction',
      (req) => deleteFunction(deps, req),
      onError,
    ),
  ];
}

async function createFunction(deps: LambdaDeps, req: AdminRequest): ReturnType<AdminRoute['handler']> {
  const { ctx } = deps;
  const body = parseBody(req);
  const rawName = reqString(body, 'FunctionName');
  const ref = parseFunctionRef(rawName);
  if (ref.qualifier !== undefined) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Unsupported function name: a qualifier is not allowed in CreateFunction.',
    );
  }
  const settings = readFunctionSettings(body);
  const packageType = optString(body, 'PackageType');
  if (packageType === 'Image') {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'PackageType Image is not supported by Portico: use Zip.',
    );
  }
  if (packageType !== undefined && packageType !== 'Zip') {
    throw invalid('PackageType', packageType, 'Member must satisfy enum value set: [Image, Zip]');
  }
  if (settings.runtime === undefined || settings.handler === undefined) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  if (settings.role === undefined) throw invalid('Role', null, 'Member must not be null');
  const code = optObject(body, 'Code');
  if (code === undefined) throw invalid('Code', null, 'Member must not be null');
  const pkg = readZipCode(code, 'CreateFunction');
  const publish = optBool(body, 'Publish') ?? false;
  const tags = optStringMap(body, 'Tags');
  if (tags !== undefined) checkTags(tags);
  const loggingConfig =
    settings.loggingConfig === undefined ? undefined : applyLoggingConfig(undefined, settings.loggingConfig);

  const taken = (): LambdaServiceError =>
    new LambdaServiceError('ResourceConflictException', `Function already exist: ${ref.name}`);
  if (ctx.configModel().functions.some((f) => f.functionName === ref.name)) throw taken();
  const def: FunctionDef = {
    functionName: ref.name,
    runtime: settings.runtime,
    handler: settings.handler,
    codeDir: unpackZip(pkg.zip, ctx.dataDir, pkg.ref),
    ...(settings.description === undefined ? {} : { description: settings.description }),
    timeout: settings.timeout ?? 3,
    memorySize: settings.memorySize ?? 128,
    environment: settings.environment ?? {},
    source: 'api',
    codeSha256: pkg.ref.sha256,
    codeSize: pkg.ref.size,
    lastModified: lambdaTimestamp(ctx.now()),
    revisionId: randomUUID(),
    role: settings.role,
    ...(loggingConfig === undefined ? {} : { loggingConfig }),
    ...(tags === undefined || Object.keys(tags).length === 0 ? {} : { tags: { ...tags } }),
  };
  const published = await commit(deps, async (tx) => {
    if ((await tx.functions.get(ref.name)) !== undefined) throw taken();
    await tx.code.put(pkg.zip);
    await tx.functions.put(def);
    return publish ? publishLatest(deps, tx, def, undefined) : undefined;
  });
  if (published !== undefined) return jsonResponse(201, versionConfiguration(deps, published));
  return jsonResponse(201, functionConfiguration(def, scopeOf(deps), '$LATEST'));
}

async function getFunction(deps: LambdaDeps, req: AdminRequest): ReturnType<AdminRoute['handler']> {
  const ref = functionRefOf(req);
  const q = await resolveQualified(deps, ref.name, ref.qualifier);
  const latest = (await requireFunction(deps, ref.name)).def;
  const host = typeof req.headers.host === 'string' ? req.headers.host : '127.0.0.1';
  const query = q.version === '$LATEST' ? '' : `?Qualifier=${q.version}`;
  const out: Record<string, unknown> = {
    Configuration: functionConfiguration(q.def, scopeOf(deps), q.version, q.arnQualifier, deps.startedAt),
    // Lambda hands out a presigned S3 URL; Portico serves the package from the admin port.
    Code: {
      RepositoryType: 'S3',
      Location: `http://${host}/portico/functions/${encodeURIComponent(ref.name)}/code${query}`,
    },
  };
  if (latest.tags !== undefined && Object.keys(latest.tags).length > 0) out.Tags = { ...latest.tags };
  if (latest.reservedConcurrentExecutions !== undefined) {
    out.Concurrency = { ReservedConcurrentExecutions: latest.reservedConcurrentExecutions };
  }
  return jsonResponse(200, out);
}

async function listFunctions(deps: LambdaDeps, req: AdminRequest): ReturnType<AdminRoute['handler']> {
  const { ctx } = deps;
  const versionFilter = req.query.get('FunctionVersion');
  if (versionFilter !== null && versionFilter !== 'ALL') {
    throw invalid('FunctionVersion', versionFilter, 'Member must satisfy enum value set: [ALL]');
  }
  const all = versionFilter === 'ALL';
  const scope = scopeOf(deps);
  const entries: Array<() => Promise<Array<Record<string, unknown>>>> = [];
  const configNames = new Set<string>();
  for (const def of ctx.configModel().functions) {
    configNames.add(def.functionName);
    entries.push(async () => [
      functionConfiguration(def, scope, '$LATEST', all ? '$LATEST' : undefined, deps.startedAt),
    ]);
  }
  for (const def of await listAll((p) => ctx.store.functions.list(p))) {
    if (configNames.has(def.functionName)) continue;
    entries.push(async () => {
      const latest = functionConfiguration(def, scope, '$LATEST', all ? '$LATEST' : undefined);
      if (!all) return [latest];
      const versions = await listAll((p) => ctx.store.versions.list(def.functionName, p));
      return [latest, ...versions.map((v) => versionConfiguration(deps, v))];
    });
  }
  // Versions are expanded before paging, so a page never splits differently between calls.
  const flat: Array<Record<string, unknown>> = [];
  for (const expand of entries) flat.push(...(await expand()));
  const page = pageOf(flat, req);
  return jsonResponse(200, {
    Functions: page.items,
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  });
}

async function deleteFunction(deps: LambdaDeps, req: AdminRequest): ReturnType<AdminRoute['handler']> {
  const ref = functionRefOf(req);
  const name = ref.name;
  const qualifier = ref.qualifier;
  if (qualifier === '$LATEST') {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      '$LATEST version cannot be deleted without deleting the function.',
    );
  }
  if (qualifier !== undefined && !/^\d+$/.test(qualifier)) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Deletion of aliases is not supported by DeleteFunction; use DeleteAlias.',
    );
  }
  await commit(deps, async (tx: StorePorts) => {
    const found = await requireFunction(deps, name, tx);
    if (found.readOnly) throw readOnlyError(name);
    if (qualifier === undefined) {
      await tx.functions.delete(name);
    } else {
      if ((await tx.versions.get(name, qualifier)) === undefined)
        throw functionNotFound(deps, name, qualifier);
      const aliases = (await listAll((p) => tx.aliases.list(name, p))).filter(
        (a) =>
          a.functionVersion === qualifier ||
          a.routingConfig?.additionalVersionWeights?.[qualifier] !== undefined,
      );
      if (aliases.length > 0) {
        throw new LambdaServiceError(
          'ResourceConflictException',
          `Unable to delete version because the following aliases reference it: [${aliases.map((a) => a.name).join(', ')}]`,
        );
      }
      await tx.versions.delete(name, qualifier);
      await tx.policies.delete(name, qualifier);
      await dropEventInvokeConfig(tx, name, qualifier);
    }
    await tx.code.prune();
  });
  return emptyResponse(204);
}
