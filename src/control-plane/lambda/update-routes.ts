import { randomUUID } from 'node:crypto';
import { LambdaServiceError } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import { functionConfiguration, lambdaTimestamp } from './configuration.js';
import { readFunctionSettings } from './function-settings.js';
import { applyLoggingConfig } from './logging-config.js';
import { readZipCode, unpackZip } from './code-package.js';
import { commit, functionRefOf, requireWritable, scopeOf, type LambdaDeps } from './lambda-deps.js';
import { publishLatest, versionConfiguration } from './version-routes.js';
import { checkRevision, jsonResponse, lambdaRoute, optBool, optString, parseBody } from './wire.js';

/** UpdateFunctionCode and UpdateFunctionConfiguration (both act on `$LATEST`). */
export function updateRoutes(deps: LambdaDeps): AdminRoute[] {
  const { ctx } = deps;
  return [
    lambdaRoute(
      'PUT',
      '/2015-03-31/functions/{FunctionName}/code',
      'UpdateFunctionCode',
      async (req) => {
        const ref = functionRefOf(req);
        unqualified(ref.qualifier);
        const body = parseBody(req);
        const publish = optBool(body, 'Publish') ?? false;
        const dryRun = optBool(body, 'DryRun') ?? false;
        const revisionId = optString(body, 'RevisionId');
        const pkg = readZipCode(body, 'UpdateFunctionCode');
        const apply = (current: FunctionDef, codeDir: string): FunctionDef => ({
          ...current,
          codeDir,
          codeSha256: pkg.ref.sha256,
          codeSize: pkg.ref.size,
          lastModified: lambdaTimestamp(ctx.now()),
          revisionId: randomUUID(),
        });
        if (dryRun) {
          // DryRun validates the package and reports the result without changing anything.
          const current = await requireWritable(deps, ref.name, ctx.store);
          checkRevision(revisionId, current.revisionId, 'GetFunction');
          return jsonResponse(
            200,
            functionConfiguration(apply(current, current.codeDir), scopeOf(deps), '$LATEST'),
          );
        }
        const codeDir = unpackZip(pkg.zip, ctx.dataDir, pkg.ref);
        const { next, version } = await commit(deps, async (tx) => {
          const current = await requireWritable(deps, ref.name, tx);
          checkRevision(revisionId, current.revisionId, 'GetFunction');
          const updated = apply(current, codeDir);
          await tx.code.put(pkg.zip);
          await tx.functions.put(updated);
          const published = publish ? await publishLatest(deps, tx, updated, undefined) : undefined;
          await tx.code.prune();
          return { next: updated, version: published };
        });
        if (version !== undefined) return jsonResponse(200, versionConfiguration(deps, version));
        return jsonResponse(200, functionConfiguration(next, scopeOf(deps), '$LATEST'));
      },
      deps.onError,
    ),
    lambdaRoute(
      'PUT',
      '/2015-03-31/functions/{FunctionName}/configuration',
      'UpdateFunctionConfiguration',
      async (req) => {
        const ref = functionRefOf(req);
        unqualified(ref.qualifier);
        const body = parseBody(req);
        const { loggingConfig, ...settings } = readFunctionSettings(body);
        const revisionId = optString(body, 'RevisionId');
        const next = await commit(deps, async (tx) => {
          const current = await requireWritable(deps, ref.name, tx);
          checkRevision(revisionId, current.revisionId, 'GetFunction');
          const updated: FunctionDef = {
            ...current,
            ...settings,
            ...(loggingConfig === undefined
              ? {}
              : { loggingConfig: applyLoggingConfig(current.loggingConfig, loggingConfig) }),
            lastModified: lambdaTimestamp(ctx.now()),
            revisionId: randomUUID(),
          };
          await tx.functions.put(updated);
          return updated;
        });
        return jsonResponse(200, functionConfiguration(next, scopeOf(deps), '$LATEST'));
      },
      deps.onError,
    ),
  ];
}

/** Updates act on `$LATEST`; published versions are immutable. */
function unqualified(qualifier: string | undefined): void {
  if (qualifier !== undefined && qualifier !== '$LATEST') {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Published versions are immutable: only the unqualified function ($LATEST) can be updated.',
    );
  }
}
