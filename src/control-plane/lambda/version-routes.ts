import { randomUUID } from 'node:crypto';
import { LambdaServiceError } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { FunctionVersionDef, StorePorts } from '../../storage/index.js';
import type { AdminRoute } from '../admin-router.js';
import { functionConfiguration, lambdaTimestamp } from './configuration.js';
import { loggingConfiguration } from './logging-config.js';
import {
  commit,
  functionRefOf,
  requireFunction,
  requireWritable,
  scopeOf,
  type LambdaDeps,
} from './lambda-deps.js';
import { listAll } from '../../storage/index.js';
import { checkRevision, jsonResponse, lambdaRoute, optString, pageOf, parseBody } from './wire.js';

const VERSIONS = '/2015-03-31/functions/{FunctionName}/versions';

/** PublishVersion and ListVersionsByFunction. */
export function versionRoutes(deps: LambdaDeps): AdminRoute[] {
  return [
    lambdaRoute(
      'POST',
      VERSIONS,
      'PublishVersion',
      async (req) => {
        const ref = functionRefOf(req);
        const body = parseBody(req);
        const codeSha256 = optString(body, 'CodeSha256');
        const description = optString(body, 'Description');
        const revisionId = optString(body, 'RevisionId');
        if (description !== undefined && description.length > 256) {
          throw new LambdaServiceError(
            'InvalidParameterValueException',
            'Description must be at most 256 characters.',
          );
        }
        const version = await commit(deps, async (tx) => {
          const latest = await requireWritable(deps, ref.name, tx);
          checkRevision(revisionId, latest.revisionId, 'GetFunction');
          // https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html: CodeSha256 guards
          // against publishing code other than the caller checked.
          if (codeSha256 !== undefined && codeSha256 !== latest.codeSha256) {
            throw new LambdaServiceError(
              'InvalidParameterValueException',
              `CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256 ?? ''}). Please try again with the CodeSHA256 in $LATEST.`,
            );
          }
          return publishLatest(deps, tx, latest, description);
        });
        return jsonResponse(201, versionConfiguration(deps, version));
      },
      deps.onError,
    ),
    lambdaRoute(
      'GET',
      VERSIONS,
      'ListVersionsByFunction',
      async (req) => {
        const ref = functionRefOf(req);
        const found = await requireFunction(deps, ref.name);
        const scope = scopeOf(deps);
        const items = [functionConfiguration(found.def, scope, '$LATEST', '$LATEST', deps.startedAt)];
        if (!found.readOnly) {
          for (const v of await listAll((p) => deps.ctx.store.versions.list(ref.name, p))) {
            items.push(versionConfiguration(deps, v));
          }
        }
        const page = pageOf(items, req);
        return jsonResponse(200, {
          Versions: page.items,
          ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
        });
      },
      deps.onError,
    ),
  ];
}

/** The FunctionConfiguration of a published version (qualified ARN, `Version: "N"`). */
export function versionConfiguration(deps: LambdaDeps, v: FunctionVersionDef): Record<string, unknown> {
  return functionConfiguration(v.config, scopeOf(deps), v.version, v.version);
}

/**
 * Publishes `$LATEST` as the next version inside the caller's transaction. As on Lambda, nothing new
 * is published when neither code nor configuration changed since the last version: that version is
 * returned instead.
 */
export async function publishLatest(
  deps: LambdaDeps,
  tx: StorePorts,
  latest: FunctionDef,
  description: string | undefined,
): Promise<FunctionVersionDef> {
  const versions = await listAll((p) => tx.versions.list(latest.functionName, p));
  const last = versions[versions.length - 1];
  if (last !== undefined && last.code.sha256 === latest.codeSha256 && sameSettings(last.config, latest))
    return last;
  const lastModified = lambdaTimestamp(deps.ctx.now());
  const revisionId = randomUUID();
  // Tags, the reservation and the asynchronous invocation settings belong to the function (or to
  // each qualifier), not to a version's snapshot.
  const {
    tags: _tags,
    reservedConcurrentExecutions: _reserved,
    eventInvokeConfigs: _eventConfigs,
    ...config
  } = latest;
  void _tags;
  void _reserved;
  void _eventConfigs;
  const draft: Omit<FunctionVersionDef, 'version'> = {
    config: { ...config, description: description ?? latest.description ?? '', revisionId, lastModified },
    code: { sha256: latest.codeSha256 ?? '', size: latest.codeSize ?? 0 },
    description: description ?? latest.description ?? '',
    revisionId,
    lastModified,
  };
  return tx.versions.publish(latest.functionName, draft);
}

/** What makes a version run differently (descriptions do not count). */
function sameSettings(a: FunctionDef, b: FunctionDef): boolean {
  const pick = (d: FunctionDef): string =>
    JSON.stringify([
      d.runtime,
      d.handler,
      d.role,
      d.timeout,
      d.memorySize,
      d.environment,
      loggingConfiguration(d),
    ]);
  return pick(a) === pick(b);
}
