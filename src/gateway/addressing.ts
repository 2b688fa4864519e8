import type { CompiledGateway, CompiledStage } from './compiled.js';
import type { RequestContext } from './context.js';

/**
 * Finds the API and stage a request is for, as AWS does
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html):
 * - Host `{apiId}.execute-api.<any domain>`: the `$default` stage at `/`, named stages at `/{stage}/...`;
 * - path-style `/_aws/execute-api/{apiId}/...` (for tools that cannot set Host), then as above;
 * - a custom domain: Host + the longest matching base path mapping select API and stage.
 * Fills ctx.api/stage, the path the integration sees and the segments to route on.
 * Returns false when nothing matches (404).
 */
export function resolveAddress(table: CompiledGateway, ctx: RequestContext): boolean {
  const target = ctx.target;
  if (!target) return false;
  const segs = target.segments;
  let apiId: string | undefined;
  let consumed = 0;
  let rawPath = target.rawPath;
  if (segs.length >= 3 && segs[0] === '_aws' && segs[1] === 'execute-api') {
    apiId = segs[2];
    consumed = 3;
    rawPath = rawAfter(target.rawPath, 3);
  } else {
    const host = ctx.domainName;
    const marker = host.indexOf('.execute-api.');
    if (marker > 0) {
      apiId = host.slice(0, marker);
    } else {
      const mappings = table.domains.get(host);
      if (!mappings) return false;
      for (const m of mappings) {
        if (!startsWith(segs, m.keySegments)) continue;
        ctx.basePathMatched = m.key;
        return select(ctx, m.stage, target.rawPath, segs, m.keySegments.length);
      }
      return false;
    }
  }
  const api = apiId === undefined ? undefined : table.apis.get(apiId);
  if (!api) return false;
  const stageSeg = segs[consumed];
  const named = stageSeg === undefined || stageSeg === '$default' ? undefined : api.stages.get(stageSeg);
  if (named) {
    ctx.api = api;
    ctx.stage = named;
    ctx.rawPath = rawPath === '' ? '/' : rawPath;
    ctx.routeSegments = rest(segs, consumed + 1);
    ctx.rawRoutePath = rawAfter(target.rawPath, consumed + 1) || '/';
    return true;
  }
  if (!api.defaultStage) return false;
  return select(ctx, api.defaultStage, rawPath === '' ? '/' : rawPath, segs, consumed);
}

function select(
  ctx: RequestContext,
  stage: CompiledStage,
  rawPath: string,
  segs: string[],
  consumed: number,
): boolean {
  ctx.api = stage.api;
  ctx.stage = stage;
  ctx.rawPath = rawPath;
  ctx.routeSegments = consumed === 0 ? segs : rest(segs, consumed);
  ctx.rawRoutePath = consumed === 0 ? rawPath : rawAfter(ctx.target?.rawPath ?? '/', consumed) || '/';
  return true;
}

/** Segments after the first `n`; a bare trailing slash after a stage or base path (`/prod/`) is its root. */
function rest(segs: string[], n: number): string[] {
  return segs.length === n + 1 && segs[n] === '' ? [] : segs.slice(n);
}

function startsWith(segs: string[], prefix: string[]): boolean {
  if (prefix.length > segs.length) return false;
  for (let i = 0; i < prefix.length; i++) if (segs[i] !== prefix[i]) return false;
  return true;
}

/** The raw path after its first `n` segments (`/a/b/c`, 1 -> `/b/c`; all consumed -> ''). */
function rawAfter(rawPath: string, n: number): string {
  let idx = 0;
  for (let i = 0; i < n; i++) {
    const next = rawPath.indexOf('/', idx + 1);
    if (next === -1) return '';
    idx = next;
  }
  return rawPath.slice(idx);
}
