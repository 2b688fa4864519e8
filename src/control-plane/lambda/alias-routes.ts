import { dropEventInvokeConfig } from './event-invoke-config-routes.js';
import { randomUUID } from 'node:crypto';
import { LambdaServiceError, functionArn } from '../../functions/index.js';
import type { AliasDef, AliasRoutingConfig, StorePorts } from '../../storage/index.js';
import type { AdminRequest, AdminRoute } from '../admin-router.js';
import { aliasConfiguration } from './configuration.js';
import {
  commit,
  functionNotFound,
  functionRefOf,
  requireFunction,
  requireWritable,
  scopeOf,
  type LambdaDeps,
} from './lambda-deps.js';
import { listAll } from '../../storage/index.js';
import {
  checkRevision,
  emptyResponse,
  invalid,
  jsonResponse,
  lambdaRoute,
  optObject,
  optString,
  pageOf,
  parseBody,
  reqString,
  type JsonBody,
} from './wire.js';

const ALIASES = '/2015-03-31/functions/{FunctionName}/aliases';
const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
const VERSION = /^(\$LATEST|[0-9]+)$/;

/** CreateAlias, GetAlias, ListAliases, UpdateAlias, DeleteAlias. */
export function aliasRoutes(deps: LambdaDeps): AdminRoute[] {
  const { onError } = deps;
  return [
    lambdaRoute('POST', ALIASES, 'CreateAlias', (req) => createAlias(deps, req), onError),
    lambdaRoute(
      'GET',
      `${ALIASES}/{Name}`,
      'GetAlias',
      async (req) => {
        const name = functionRefOf(req).name;
        await requireFunction(deps, name);
        const alias = await deps.ctx.store.aliases.get(name, req.params.Name ?? '');
        if (alias === undefined) throw aliasNotFound(deps, name, req.params.Name ?? '');
        return jsonResponse(200, aliasConfiguration(name, alias, scopeOf(deps)));
      },
      onError,
    ),
    lambdaRoute(
      'GET',
      ALIASES,
      'ListAliases',
      async (req) => {
        const name = functionRefOf(req).name;
        const found = await requireFunction(deps, name);
        const filter = req.query.get('FunctionVersion');
        const aliases = found.readOnly ? [] : await listAll((p) => deps.ctx.store.aliases.list(name, p));
        const shown = aliases
          .filter((a) => filter === null || filter === '' || a.functionVersion === filter)
          .map((a) => aliasConfiguration(name, a, scopeOf(deps)));
        const page = pageOf(shown, req);
        return jsonResponse(200, {
          Aliases: page.items,
          ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
        });
      },
      onError,
    ),
    lambdaRoute('PUT', `${ALIASES}/{Name}`, 'UpdateAlias', (req) => updateAlias(deps, req), onError),
    lambdaRoute(
      'DELETE',
      `${ALIASES}/{Name}`,
      'DeleteAlias',
      async (req) => {
        const name = functionRefOf(req).name;
        const aliasName = req.params.Name ?? '';
        await commit(deps, async (tx) => {
          await requireWritable(deps, name, tx);
          if (!(await tx.aliases.delete(name, aliasName))) throw aliasNotFound(deps, name, aliasName);
          await tx.policies.delete(name, aliasName);
          await dropEventInvokeConfig(tx, name, aliasName);
        });
        return emptyResponse(204);
      },
      onError,
    ),
  ];
}

function aliasNotFound(deps: LambdaDeps, name: string, alias: string): LambdaServiceError {
  return new LambdaServiceError(
    'ResourceNotFoundException',
    `Alias not found: ${functionArn(deps.ctx.region, deps.ctx.accountId, name, alias)}`,
  );
}

async function createAlias(deps: LambdaDeps, req: AdminRequest): ReturnType<AdminRoute['handler']> {
  const name = functionRefOf(req).name;
  const body = parseBody(req);
  const aliasName = reqString(body, 'Name');
  if (aliasName.length > 128 || !ALIAS_NAME.test(aliasName)) {
    throw invalid(
      'Name',
      aliasName,
      'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)',
    );
  }
  const functionVersion = readVersion(reqString(body, 'FunctionVersion'));
  const description = readDescription(body);
  const routingConfig = readRouting(body);
  const alias = await commit(deps, async (tx) => {
    await requireWritable(deps, name, tx);
    if ((await tx.aliases.get(name, aliasName)) !== undefined) {
      throw new LambdaServiceError(
        'ResourceConflictException',
        `Alias already exists: ${functionArn(deps.ctx.region, deps.ctx.accountId, name, aliasName)}`,
      );
    }
    await checkTargets(deps, tx, name, functionVersion, routingConfig);
    const created: AliasDef = {
      name: aliasName,
      functionVersion,
      ...(description === undefined ? {} : { description }),
      ...(routingConfig === undefined ? {} : { routingConfig }),
      revisionId: randomUUID(),
    };
    await tx.aliases.put(name, created);
    return created;
  });
  return jsonResponse(201, aliasConfiguration(name, alias, scopeOf(deps)));
}

async function updateAlias(deps: LambdaDeps, req: AdminRequest): ReturnType<AdminRoute['handler']> {
  const name = functionRefOf(req).name;
  const aliasName = req.params.Name ?? '';
  const body = parseBody(req);
  const version = optString(body, 'FunctionVersion');
  const functionVersion = version === undefined ? undefined : readVersion(version);
  const description = readDescription(body);
  const routingConfig = readRouting(body);
  const revisionId = optString(body, 'RevisionId');
  const alias = await commit(deps, async (tx) => {
    await requireWritable(deps, name, tx);
    const current = await tx.aliases.get(name, aliasName);
    if (current === undefined) throw aliasNotFound(deps, name, aliasName);
    checkRevision(revisionId, current.revisionId, 'GetAlias');
    const target = functionVersion ?? current.functionVersion;
    // An update without RoutingConfig keeps the current routing (as Lambda does).
    const routing = routingConfig ?? current.routingConfig;
    await checkTargets(deps, tx, name, target, routing);
    const { routingConfig: _old, ...rest } = current;
    void _old;
    const updated: AliasDef = {
      ...rest,
      functionVersion: target,
      ...(description === undefined ? {} : { description }),
      ...(routing === undefined || Object.keys(routing.additionalVersionWeights ?? {}).length === 0
        ? {}
        : { routingConfig: routing }),
      revisionId: randomUUID(),
    };
    await tx.aliases.put(name, updated);
    return updated;
  });
  return jsonResponse(200, aliasConfiguration(name, alias, scopeOf(deps)));
}

function readVersion(v: string): string {
  if (v.length > 1024 || !VERSION.test(v)) {
    throw invalid('FunctionVersion', v, 'Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)');
  }
  return v;
}

function readDescription(body: JsonBody): string | undefined {
  const d = optString(body, 'Description');
  if (d !== undefined && d.length > 256)
    throw invalid('Description', d, 'Member must have length less than or equal to 256');
  return d;
}

/** `RoutingConfig.AdditionalVersionWeights`: one extra version, weight in [0, 1]. */
function readRouting(body: JsonBody): AliasRoutingConfig | undefined {
  const rc = optObject(body, 'RoutingConfig');
  if (rc === undefined) return undefined;
  const weights = optObject(rc, 'AdditionalVersionWeights');
  if (weights === undefined) return {};
  const out: Record<string, number> = {};
  for (const [version, weight] of Object.entries(weights)) {
    if (!/^[0-9]+$/.test(version)) {
      throw invalid(
        'RoutingConfig.AdditionalVersionWeights',
        version,
        'Member must satisfy regular expression pattern: [0-9]+',
      );
    }
    if (typeof weight !== 'number' || weight < 0 || weight > 1) {
      throw invalid(
        'RoutingConfig.AdditionalVersionWeights',
        weight,
        'Member must have value between 0.0 and 1.0',
      );
    }
    out[version] = weight;
  }
  if (Object.keys(out).length > 1) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    );
  }
  return Object.keys(out).length === 0 ? {} : { additionalVersionWeights: out };
}

/** The alias's versions must exist; weighted routing needs a published primary version. */
async function checkTargets(
  deps: LambdaDeps,
  tx: StorePorts,
  name: string,
  primary: string,
  routing: AliasRoutingConfig | undefined,
): Promise<void> {
  if (primary !== '$LATEST' && (await tx.versions.get(name, primary)) === undefined) {
    throw functionNotFound(deps, name, primary);
  }
  for (const extra of Object.keys(routing?.additionalVersionWeights ?? {})) {
    if (primary === '$LATEST') {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        '$LATEST is not supported for an alias pointing to more than 1 version',
      );
    }
    if (extra === primary) {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        `Invalid function version ${extra}. Function version ${extra} is already included in routing configuration.`,
      );
    }
    if ((await tx.versions.get(name, extra)) === undefined) throw functionNotFound(deps, name, extra);
  }
}
