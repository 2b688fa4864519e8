/** Methods an HTTP API route key may use (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html). */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'] as const;

const STATIC_SEGMENT = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/;
const VARIABLE_SEGMENT = /^\{([A-Za-z0-9._-]+)(\+?)\}$/;

/**
 * Checks an HTTP API route key: `$default`, or `METHOD /path` where path segments are static text,
 * `{name}`, or a greedy `{name+}` that must be last. Returns the problem, or undefined when valid.
 */
export function routeKeyProblem(routeKey: string): string | undefined {
  if (routeKey === '$default') return undefined;
  const format =
    'The provided route key is not formatted properly for HTTP protocol. Format should be "<HTTP METHOD> /<RESOURCE PATH>" or "$default"';
  const m = /^([A-Z]+) (\/.*)$/.exec(routeKey);
  if (!m) return format;
  if (!(ROUTE_METHODS as readonly string[]).includes(m[1] as string)) {
    return `${format}; ${m[1]} is not a supported method (${ROUTE_METHODS.join(', ')})`;
  }
  const path = m[2] as string;
  if (path === '/') return undefined;
  const segments = path.split('/').slice(1);
  const names = new Set<string>();
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    if (seg === '') return `${format}; the path has an empty segment`;
    const v = VARIABLE_SEGMENT.exec(seg);
    if (v) {
      const name = v[1] as string;
      if (names.has(name)) return `${format}; path variable {${name}} is used twice`;
      names.add(name);
      if (v[2] === '+' && i !== segments.length - 1) {
        return `${format}; a greedy path variable {${name}+} must be the last segment`;
      }
      continue;
    }
    if (!STATIC_SEGMENT.test(seg)) return `${format}; invalid path segment "${seg}"`;
  }
  return undefined;
}
