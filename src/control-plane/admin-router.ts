import type { IncomingHttpHeaders } from 'node:http';

/** A fully read control-plane request (the admin server buffers bodies up to its limit). */
export interface AdminRequest {
  method: string;
  /** Raw (still percent-encoded) path without the query string. */
  path: string;
  query: URLSearchParams;
  /** The query string exactly as received (without `?`), for signature checks. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Path parameters from the route template, percent-decoded. */
  params: Record<string, string>;
}

/** What a control-plane handler answers. A string or Buffer body is sent as is. */
export interface AdminResponse {
  status: number;
  headers?: Record<string, string>;
  /** An async iterable body is written as it comes (chunked): InvokeWithResponseStream. */
  body?: string | Buffer | AsyncIterable<Buffer>;
}

/** One control-plane operation: `path` is a template such as `/2015-03-31/functions/{FunctionName}`. */
export interface AdminRoute {
  method: string;
  path: string;
  /** Operation name (for logs and the AWS compatibility table). */
  operation: string;
  handler(req: AdminRequest): Promise<AdminResponse>;
}

interface CompiledAdminRoute {
  route: AdminRoute;
  segments: Array<{ literal: string } | { param: string; greedy: boolean }>;
}

/** A small table router for the admin port. More literal segments win over parameters. */
export class AdminRouter {
  #routes: CompiledAdminRoute[] = [];

  /** Adds operations; later registrations of the same method+path replace earlier ones. */
  add(...routes: AdminRoute[]): void {
    for (const route of routes) {
      this.#routes = this.#routes.filter(
        (r) => !(r.route.method === route.method && r.route.path === route.path),
      );
      const segments = route.path
        .split('/')
        .slice(1)
        .map((s) => {
          const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
          return m ? { param: m[1] as string, greedy: m[2] === '+' } : { literal: s };
        });
      this.#routes.push({ route, segments });
    }
    // Literal-heavy templates first so `/functions/{name}/versions` beats `/functions/{name}/{x}`.
    this.#routes.sort((a, b) => score(b) - score(a));
  }

  /** All registered operations. */
  list(): AdminRoute[] {
    return this.#routes.map((r) => r.route);
  }

  /** Finds the operation for a method and raw path; `methodMismatch` when only the path matched. */
  match(
    method: string,
    rawPath: string,
  ): { route: AdminRoute; params: Record<string, string> } | { methodMismatch: boolean } {
    const parts = rawPath.split('/').slice(1);
    let pathMatched = false;
    for (const compiled of this.#routes) {
      const params = matchSegments(compiled.segments, parts);
      if (!params) continue;
      if (compiled.route.method !== method) {
        pathMatched = true;
        continue;
      }
      return { route: compiled.route, params };
    }
    return { methodMismatch: pathMatched };
  }
}

function score(r: CompiledAdminRoute): number {
  let s = r.segments.length * 10;
  for (const seg of r.segments) if ('literal' in seg) s += 1;
  return s;
}

function matchSegments(
  segments: CompiledAdminRoute['segments'],
  parts: string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as CompiledAdminRoute['segments'][number];
    if ('param' in seg && seg.greedy) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[seg.param] = safeDecode(rest.join('/'));
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if ('literal' in seg) {
      if (seg.literal !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params[seg.param] = safeDecode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
