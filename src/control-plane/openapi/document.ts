import { parse as parseYaml } from 'yaml';
import { GatewayError } from '../../errors/index.js';

/** A JSON object of an OpenAPI document. */
export type Doc = Record<string, unknown>;

/** The value as an object, or undefined. */
export function asObject(value: unknown): Doc | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Doc) : undefined;
}

/**
 * Parses an OpenAPI definition given as JSON or YAML (ImportApi `body`). Only OpenAPI 3.x and
 * Swagger 2.0 documents are accepted, as for HTTP API import
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).
 */
export function parseDocument(text: string): Doc {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = parseYaml(text);
    } catch (err) {
      throw new GatewayError(
        'BAD_REQUEST',
        `Unable to parse the definition as JSON or YAML: ${(err as Error).message}`,
      );
    }
  }
  const doc = asObject(parsed);
  if (!doc) throw new GatewayError('BAD_REQUEST', 'The definition must be an OpenAPI object');
  const openapi = doc.openapi;
  if (!(typeof openapi === 'string' && /^3\.\d+/.test(openapi)) && doc.swagger !== '2.0') {
    throw new GatewayError('BAD_REQUEST', 'Only OpenAPI 3.x and Swagger 2.0 definitions can be imported');
  }
  return doc;
}

/** The base path the definition declares: `servers[0].url`'s path (3.x) or `basePath` (2.0). */
export function declaredBasePath(doc: Doc): string {
  if (typeof doc.basePath === 'string') return trimSlashes(doc.basePath);
  const server = asObject(Array.isArray(doc.servers) ? doc.servers[0] : undefined);
  if (!server || typeof server.url !== 'string') return '';
  const variables = asObject(server.variables) ?? {};
  const url = server.url.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const def = asObject(variables[name])?.default;
    return typeof def === 'string' ? def : '';
  });
  try {
    return trimSlashes(new URL(url, 'http://base.invalid').pathname);
  } catch {
    return '';
  }
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** How ImportApi treats the base path (`basepath` query): ignore it, prepend it, or prepend all but its first segment. */
export type BasePathMode = 'ignore' | 'prepend' | 'split';

/** The prefix route paths get under a base path mode ('' or `/a/b`). */
export function routePrefix(doc: Doc, mode: BasePathMode): string {
  const base = declaredBasePath(doc);
  if (mode === 'ignore' || base === '') return '';
  const segments = base.split('/');
  const kept = mode === 'split' ? segments.slice(1) : segments;
  return kept.length === 0 ? '' : `/${kept.join('/')}`;
}
