import { LambdaServiceError, parseFunctionRef } from '../../functions/index.js';
import type { AdminRequest, AdminRoute } from '../admin-router.js';
import { commit, requireFunction, requireWritable, type LambdaDeps } from './lambda-deps.js';
import { emptyResponse, jsonResponse, lambdaRoute, optStringMap, parseBody } from './wire.js';

const TAGS = '/2017-03-31/tags/{Resource}';

/** TagResource, UntagResource, ListTags on function ARNs. */
export function tagRoutes(deps: LambdaDeps): AdminRoute[] {
  const { onError } = deps;
  return [
    lambdaRoute(
      'GET',
      TAGS,
      'ListTags',
      async (req) => {
        const found = await requireFunction(deps, taggedFunction(req));
        return jsonResponse(200, { Tags: { ...(found.def.tags ?? {}) } });
      },
      onError,
    ),
    lambdaRoute(
      'POST',
      TAGS,
      'TagResource',
      async (req) => {
        const name = taggedFunction(req);
        const tags = optStringMap(parseBody(req), 'Tags') ?? {};
        await commit(deps, async (tx) => {
          const def = await requireWritable(deps, name, tx);
          const merged = { ...(def.tags ?? {}), ...tags };
          checkTags(merged);
          await tx.functions.put({ ...def, tags: merged });
        });
        return emptyResponse(204);
      },
      onError,
    ),
    lambdaRoute(
      'DELETE',
      TAGS,
      'UntagResource',
      async (req) => {
        const name = taggedFunction(req);
        const keys = req.query.getAll('tagKeys');
        await commit(deps, async (tx) => {
          const def = await requireWritable(deps, name, tx);
          const tags = { ...(def.tags ?? {}) };
          for (const k of keys) delete tags[k];
          const { tags: _old, ...rest } = def;
          void _old;
          await tx.functions.put(Object.keys(tags).length === 0 ? rest : { ...rest, tags });
        });
        return emptyResponse(204);
      },
      onError,
    ),
  ];
}

/** Tags belong to the unqualified function ARN. */
function taggedFunction(req: AdminRequest): string {
  const ref = parseFunctionRef(req.params.Resource ?? '');
  if (ref.qualifier !== undefined) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      'Tags are supported on functions only: use the unqualified function ARN.',
    );
  }
  return ref.name;
}

/** Tag limits (https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html). */
export function checkTags(tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > 50) {
    throw new LambdaServiceError('InvalidParameterValueException', 'A function can have at most 50 tags.');
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128 || value.length > 256 || key.toLowerCase().startsWith('aws:')) {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        `Invalid tag ${JSON.stringify(key)}: keys are 1-128 characters and may not start with "aws:", values at most 256 characters.`,
      );
    }
  }
}
