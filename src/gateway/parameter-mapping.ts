/**
 * HTTP API parameter mapping (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html).
 * Keys such as `append:header.x-id`, values such as `$request.header.x`, `${request.path.id}-v1`,
 * `$context.requestId`, `$stageVariables.env` or static text. Compiled once per deployment and stage:
 * stage variables are substituted at compile time; everything else is read per request.
 */

/** Where a mapped value comes from. */
export type ValuePart =
  | { kind: 'literal'; text: string }
  | { kind: 'header' | 'querystring' | 'pathParam' | 'context' | 'responseHeader'; name: string }
  | { kind: 'path' }
  | { kind: 'body' | 'responseBody'; jsonPath: string[] };

/** A compiled value template. */
export interface ValueTemplate {
  parts: ValuePart[];
  usesBody: boolean;
  usesResponseBody: boolean;
}

/** One compiled mapping operation. */
export interface MappingOp {
  action: 'append' | 'overwrite' | 'remove';
  target: 'header' | 'querystring' | 'path' | 'statuscode';
  /** Lowercased header name or exact query parameter name ('' for path/statuscode). */
  name: string;
  value: ValueTemplate;
}

/** Headers AWS does not let a mapping touch. */
const RESERVED =
  /^(access-control-.*|apigw-.*|authorization|connection|content-encoding|content-length|content-location|forwarded|keep-alive|origin|proxy-authenticate|proxy-authorization|te|trailers|transfer-encoding|upgrade|x-amz-.*|x-amzn-.*|x-forwarded-for|x-forwarded-host|x-forwarded-proto|via)$/;

/** Compiles a `requestParameters` or one status's `responseParameters` map. Throws on a bad key. */
export function compileMapping(
  params: Record<string, string>,
  stageVariables: Record<string, string>,
  side: 'request' | 'response',
): MappingOp[] {
  const ops: MappingOp[] = [];
  for (const [key, value] of Object.entries(params)) {
    const m = /^(append|overwrite|remove):(header|querystring|path|statuscode)(?:\.(.+))?$/.exec(key);
    if (!m) throw new Error(`invalid parameter mapping key: ${key}`);
    const action = m[1] as MappingOp['action'];
    const target = m[2] as MappingOp['target'];
    const rawName = m[3] ?? '';
    if ((target === 'header' || target === 'querystring') && rawName === '')
      throw new Error(`parameter mapping key needs a name: ${key}`);
    if ((target === 'path' || target === 'statuscode') && (action !== 'overwrite' || rawName !== ''))
      throw new Error(`invalid parameter mapping key: ${key}`);
    if (side === 'request' && target === 'statuscode') throw new Error(`invalid request mapping key: ${key}`);
    if (side === 'response' && (target === 'querystring' || target === 'path'))
      throw new Error(`invalid response mapping key: ${key}`);
    const name = target === 'header' ? rawName.toLowerCase() : rawName;
    if (target === 'header' && RESERVED.test(name)) throw new Error(`header ${rawName} cannot be mapped`);
    ops.push({
      action,
      target,
      name,
      value: action === 'remove' ? EMPTY : compileValue(value, stageVariables),
    });
  }
  return ops;
}

const EMPTY: ValueTemplate = { parts: [], usesBody: false, usesResponseBody: false };

/** Compiles one value expression. */
export function compileValue(value: string, stageVariables: Record<string, string>): ValueTemplate {
  const parts: ValuePart[] = [];
  // A whole value that is a single unbraced expression: `$request.header.x`.
  const whole = /^\$((?:request|context|stageVariables|response)\.[^\s$]+)$/.exec(value);
  if (whole) {
    parts.push(toPart(whole[1] as string, stageVariables));
  } else {
    const re = /\$\{([^}]+)\}/g;
    let last = 0;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      if (m.index > last) parts.push({ kind: 'literal', text: value.slice(last, m.index) });
      parts.push(toPart(m[1] as string, stageVariables));
      last = m.index + m[0].length;
    }
    if (last < value.length) parts.push({ kind: 'literal', text: value.slice(last) });
  }
  return {
    parts,
    usesBody: parts.some((p) => p.kind === 'body'),
    usesResponseBody: parts.some((p) => p.kind === 'responseBody'),
  };
}

function toPart(expr: string, stageVariables: Record<string, string>): ValuePart {
  const dot = expr.indexOf('.');
  const head = dot === -1 ? expr : expr.slice(0, dot);
  const rest = dot === -1 ? '' : expr.slice(dot + 1);
  if (head === 'stageVariables') return { kind: 'literal', text: stageVariables[rest] ?? '' };
  if (head === 'context') return { kind: 'context', name: rest };
  if (head === 'request') {
    if (rest === 'path') return { kind: 'path' };
    if (rest === 'body') return { kind: 'body', jsonPath: [] };
    if (rest.startsWith('body.')) return { kind: 'body', jsonPath: rest.slice(5).split('.') };
    if (rest.startsWith('header.')) return { kind: 'header', name: rest.slice(7).toLowerCase() };
    if (rest.startsWith('querystring.')) return { kind: 'querystring', name: rest.slice(12) };
    if (rest.startsWith('path.')) return { kind: 'pathParam', name: rest.slice(5) };
  }
  if (head === 'response') {
    if (rest === 'body') return { kind: 'responseBody', jsonPath: [] };
    if (rest.startsWith('body.')) return { kind: 'responseBody', jsonPath: rest.slice(5).split('.') };
    if (rest.startsWith('header.')) return { kind: 'responseHeader', name: rest.slice(7).toLowerCase() };
  }
  throw new Error(`unsupported mapping expression: $${expr}`);
}

/** What a value template reads from. */
export interface MappingSources {
  header(name: string): string | undefined;
  querystring(name: string): string | undefined;
  pathParam(name: string): string | undefined;
  path(): string;
  context(name: string): string | undefined;
  body?(): string | undefined;
  responseHeader?(name: string): string | undefined;
  responseBody?(): string | undefined;
}

/** Evaluates a template against a request (and response). */
export function evaluate(template: ValueTemplate, src: MappingSources): string {
  let out = '';
  for (const p of template.parts) {
    switch (p.kind) {
      case 'literal':
        out += p.text;
        break;
      case 'header':
        out += src.header(p.name) ?? '';
        break;
      case 'querystring':
        out += src.querystring(p.name) ?? '';
        break;
      case 'pathParam':
        out += src.pathParam(p.name) ?? '';
        break;
      case 'path':
        out += src.path();
        break;
      case 'context':
        out += src.context(p.name) ?? '';
        break;
      case 'responseHeader':
        out += src.responseHeader?.(p.name) ?? '';
        break;
      case 'body':
        out += jsonPathValue(src.body?.(), p.jsonPath);
        break;
      case 'responseBody':
        out += jsonPathValue(src.responseBody?.(), p.jsonPath);
        break;
    }
  }
  return out;
}

/** `$request.body.a.b` on a JSON body (no recursive descent, no filters, as AWS). */
function jsonPathValue(body: string | undefined, path: string[]): string {
  if (body === undefined) return '';
  if (path.length === 0) return body;
  let value: unknown;
  try {
    value = JSON.parse(body.length > 102_400 ? body.slice(0, 102_400) : body);
  } catch {
    return '';
  }
  for (const key of path) {
    const arr = /^(.+)\[(\d+)\]$/.exec(key);
    if (arr) {
      value = (value as Record<string, unknown> | undefined)?.[arr[1] as string];
      value = Array.isArray(value) ? value[Number(arr[2])] : undefined;
    } else {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined) return '';
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Applies header operations to a flat `[name, value, ...]` list (names compared case-insensitively). */
export function applyHeaderOps(headers: string[], ops: MappingOp[], src: MappingSources): string[] {
  let out = headers;
  for (const op of ops) {
    if (op.target !== 'header') continue;
    if (op.action === 'remove' || op.action === 'overwrite') {
      const next: string[] = [];
      for (let i = 0; i < out.length; i += 2) {
        if ((out[i] as string).toLowerCase() !== op.name) next.push(out[i] as string, out[i + 1] as string);
      }
      out = next;
      if (op.action === 'overwrite') out.push(op.name, evaluate(op.value, src));
    } else {
      const value = evaluate(op.value, src);
      let appended = false;
      for (let i = 0; i < out.length; i += 2) {
        if ((out[i] as string).toLowerCase() === op.name) {
          if (out === headers) out = headers.slice();
          out[i + 1] = `${out[i + 1] as string},${value}`;
          appended = true;
          break;
        }
      }
      if (!appended) {
        if (out === headers) out = headers.slice();
        out.push(op.name, value);
      }
    }
  }
  return out;
}

/** Applies query string operations to a raw query string. */
export function applyQueryOps(rawQuery: string, ops: MappingOp[], src: MappingSources): string {
  let pairs: Array<[string, string]> | undefined;
  for (const op of ops) {
    if (op.target !== 'querystring') continue;
    pairs ??= rawQuery === '' ? [] : rawQuery.split('&').map((kv) => splitPair(kv));
    const key = encodeURIComponent(op.name);
    if (op.action !== 'append') pairs = pairs.filter(([k]) => safeDecode(k) !== op.name);
    if (op.action !== 'remove') pairs.push([key, encodeURIComponent(evaluate(op.value, src))]);
  }
  return pairs ? pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&') : rawQuery;
}

function splitPair(kv: string): [string, string] {
  const eq = kv.indexOf('=');
  return eq === -1 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
