import { createHash, createHmac } from 'node:crypto';

/**
 * A small AWS Signature Version 4 signer for the CLI's control-plane requests, built the way the AWS SDK
 * v3 signer (`@smithy/signature-v4`) signs non-S3 services:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * (src/control-plane/sigv4/ only verifies; it has no signer to share.)
 */

/** AWS credentials (from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request about to be signed. `path` is the raw, already percent-encoded path. */
export interface SignableRequest {
  method: string;
  host: string;
  path: string;
  /** Decoded query name/value pairs. */
  query: Array<[string, string]>;
  /** Header names in lowercase. Every header given here is signed. */
  headers: Record<string, string>;
  body: Buffer;
}

/** What signing adds: the headers to send besides the request's own. */
export interface SigningScope {
  service: string;
  region: string;
  credentials: AwsCredentials;
  now: Date;
}

/** RFC 3986 percent-encoding, as the SDK's `escapeUri` (encodeURIComponent plus `!'()*`). */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonical URI: dot and empty segments removed, then encoded once more ("double encoding"). */
export function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

/** The canonical query: encoded pairs sorted by name, then value. */
export function canonicalQueryString(pairs: Array<[string, string]>): string {
  return pairs
    .map(([k, v]) => [escapeUri(k), escapeUri(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** `20240501T120000Z` */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Signs a request: returns the request's headers plus `host`, `x-amz-content-sha256`, `x-amz-date`,
 * `x-amz-security-token` (with a session token) and `authorization`.
 */
export function signRequest(req: SignableRequest, scope: SigningScope): Record<string, string> {
  const date = amzDate(scope.now);
  const day = date.slice(0, 8);
  const payloadHash = sha256Hex(req.body);
  // The SDK clients send (and sign) the payload hash header too (`applyChecksum` defaults to true).
  const headers: Record<string, string> = {
    ...req.headers,
    host: req.host,
    'x-amz-content-sha256': payloadHash,
    'x-amz-date': date,
  };
  if (scope.credentials.sessionToken) headers['x-amz-security-token'] = scope.credentials.sessionToken;
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  const canonicalHeaders = names
    .map((n) => `${n}:${(headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalPath(req.path),
    canonicalQueryString(req.query),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${scope.credentials.secretAccessKey}`, day);
  for (const part of [scope.region, scope.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${scope.credentials.accessKeyId}/${credentialScope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** Credentials from the standard AWS environment variables, if both key and secret are set. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}
