import {
  ALGORITHM,
  buildCanonicalRequest,
  buildStringToSign,
  canonicalQuery,
  canonicalUri,
  computeSignature,
  sha256Hex,
  toAmzDate,
} from '../control-plane/sigv4/index.js';

/**
 * A small AWS Signature Version 4 signer for the CLI's control-plane requests, built the way the AWS SDK
 * v3 signer (`@smithy/signature-v4`) signs non-S3 services:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * The canonical request and the signing primitives are the verifier's (src/control-plane/sigv4/).
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

/** The canonical URI of a request path (the verifier's `canonicalUri`; the CLI always sends absolute paths). */
export { canonicalUri as canonicalPath } from '../control-plane/sigv4/index.js';

/** `20240501T120000Z` */
export { toAmzDate as amzDate } from '../control-plane/sigv4/index.js';

/**
 * Signs a request: returns the request's headers plus `host`, `x-amz-content-sha256`, `x-amz-date`,
 * `x-amz-security-token` (with a session token) and `authorization`.
 */
export function signRequest(req: SignableRequest, scope: SigningScope): Record<string, string> {
  const date = toAmzDate(scope.now);
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
  const signedHeaders = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  // The SDK folds every `\s+` run (wider than the verifier's spaces and tabs); folded first, the values
  // pass through `buildCanonicalRequest`'s own folding unchanged, so the CLI signs exactly as the SDK.
  const values: Record<string, string> = {};
  for (const n of signedHeaders) values[n] = (headers[n] ?? '').trim().replace(/\s+/g, ' ');
  const canonicalRequest = buildCanonicalRequest({
    method: req.method,
    uri: canonicalUri(req.path),
    query: canonicalQuery(req.query),
    headers: values,
    signedHeaders,
    payloadHash,
  });
  const credentialScope = { date: day, region: scope.region, service: scope.service };
  const scopeString = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = buildStringToSign(date, scopeString, canonicalRequest);
  const signature = computeSignature(scope.credentials.secretAccessKey, credentialScope, stringToSign);
  headers.authorization =
    `${ALGORITHM} Credential=${scope.credentials.accessKeyId}/${scopeString}, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
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
