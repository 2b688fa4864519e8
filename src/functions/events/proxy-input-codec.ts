/**
 * A gateway request ({@link ProxyRequestInput}) as compact text for a Node execution environment,
 * which builds the proxy event from it with the same builders the gateway uses. Sending the request
 * instead of the event's JSON saves writing the JSON text in the gateway and parsing it in the
 * environment (about a fifth of the gateway's instructions per function request, docs/benchmarks.md),
 * and the handler gets the same object: `build(decode(encode(input)))` deep-equals
 * `JSON.parse(JSON.stringify(build(input)))` (tests check it on every input shape).
 *
 * Layout: fields joined by NUL, in {@link FIELDS} order, then `extra` (JSON of the optional
 * members that are present, or empty), then the raw header names and values. The body is not part of
 * the text: it travels as raw bytes after it. NUL cannot occur in what the HTTP parser accepts
 * (control characters are refused); an input that has one anyway, or a lone surrogate (which UTF-8
 * cannot carry), is not encoded: the caller sends JSON.
 */
import { buildEventV1 } from './event-v1.js';
import { buildEventV2 } from './event-v2.js';
import type { ProxyRequestInput } from './types.js';

const SEP = '\u0000';

/** The plain string members, in wire order (then the time, the extras and the raw headers). */
const FIELDS = [
  'apiFlavour',
  'method',
  'rawPath',
  'path',
  'rawQueryString',
  'sourceIp',
  'protocol',
  'routeKey',
  'resourcePath',
  'stage',
  'requestId',
  'domainName',
  'domainPrefix',
  'apiId',
  'accountId',
] as const;

/** Optional members that go as JSON (rare, or maps). */
const EXTRAS = [
  'pathParameters',
  'stageVariables',
  'extendedRequestId',
  'authorizer',
  'binaryMediaTypes',
  'deploymentId',
  'resourceId',
  'apiKey',
  'apiKeyId',
  'clientCert',
] as const;

type Extras = Partial<Pick<ProxyRequestInput, (typeof EXTRAS)[number]>>;

/**
 * The request as compact text (the body excluded: it goes as raw bytes after the text), or
 * `undefined` when a member holds NUL and the caller must send the event's JSON instead.
 */
export function encodeProxyInput(input: ProxyRequestInput): string | undefined {
  const parts: string[] = [];
  for (const key of FIELDS) {
    const value = input[key];
    if (value.includes(SEP)) return undefined;
    parts.push(value);
  }
  parts.push(String(input.requestTimeEpoch), extrasJson(input));
  for (const h of input.rawHeaders) {
    if (h.includes(SEP)) return undefined;
    parts.push(h);
  }
  // One join: a flat string (a concatenation would be flattened again by each reader).
  const text = parts.join(SEP);
  // UTF-8 has no lone surrogates (JSON keeps them as escapes); HTTP's Latin-1 text never has any.
  return (text as unknown as WellFormed).isWellFormed() ? text : undefined;
}

/** `String.prototype.isWellFormed` (ES2024; Node 20 has it, the project's lib is ES2023). */
interface WellFormed {
  isWellFormed(): boolean;
}

/** JSON of the optional members that are set (JSON escapes NUL), or '' when none is. */
function extrasJson(input: ProxyRequestInput): string {
  let extras: Extras | undefined;
  for (const key of EXTRAS) {
    const value = input[key];
    if (value === undefined) continue;
    extras ??= {};
    (extras as Record<string, unknown>)[key] = value;
  }
  return extras === undefined ? '' : JSON.stringify(extras);
}

/** Reads the text of {@link encodeProxyInput} back; `body` = the bytes that followed it. */
export function decodeProxyInput(text: string, body: Buffer | undefined): ProxyRequestInput {
  const f = text.split(SEP);
  const n = FIELDS.length;
  if (f.length < n + 2 || (f.length - n - 2) % 2 !== 0) throw new Error('malformed proxy request text');
  const input: Record<string, unknown> = {
    rawHeaders: f.slice(n + 2),
    body: body !== undefined && body.length > 0 ? body : undefined,
    pathParameters: undefined,
    stageVariables: undefined,
    requestTimeEpoch: Number(f[n]),
  };
  for (let i = 0; i < n; i++) input[FIELDS[i] as string] = f[i];
  const extra = f[n + 1] as string;
  if (extra !== '') Object.assign(input, JSON.parse(extra) as Extras);
  return input as unknown as ProxyRequestInput;
}

/**
 * The payload `version` event of a request sent as compact text (`n` bytes of `frame`, the request
 * body's bytes after them): what `JSON.parse` of the event's JSON would give. The builders' maps
 * have no prototype (so a header named `constructor` is data); parsed JSON objects have
 * `Object.prototype`, and handlers call its methods (`event.headers.hasOwnProperty(...)`).
 */
export function proxyEventFromFrame(version: '1.0' | '2.0', n: number, frame: Buffer): unknown {
  const input = decodeProxyInput(
    frame.toString('utf8', 0, n),
    n < frame.length ? frame.subarray(n) : undefined,
  );
  if (version === '2.0') {
    const event = buildEventV2(input);
    event.headers = plain(event.headers);
    if (event.queryStringParameters !== undefined)
      event.queryStringParameters = plain(event.queryStringParameters);
    return event;
  }
  const event = buildEventV1(input);
  event.headers = plainOrNull(event.headers);
  event.multiValueHeaders = plainOrNull(event.multiValueHeaders);
  event.queryStringParameters = plainOrNull(event.queryStringParameters);
  event.multiValueQueryStringParameters = plainOrNull(event.multiValueQueryStringParameters);
  return event;
}

function plainOrNull<T>(map: Record<string, T> | null): Record<string, T> | null {
  return map === null ? null : plain(map);
}

/** A copy with `Object.prototype`, keys in the same order; `__proto__` stays an own member, as in JSON. */
function plain<T>(map: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in map) {
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: map[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = map[key] as T;
    }
  }
  return out;
}
