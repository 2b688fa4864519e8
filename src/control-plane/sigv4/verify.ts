import {
  buildCanonicalRequest,
  canonicalQuery,
  canonicalUri,
  parseQuery,
  UNSIGNED_PAYLOAD,
} from './canonical.js';
import { incomplete, invalid, missingToken, unrecognizedClient, type SigV4Failure } from './errors.js';
import {
  fromAmzDate,
  headerValue,
  parseAuthorizationHeader,
  parsePresignedQuery,
  toAmzDate,
  type SignatureParams,
} from './parse.js';
import { buildStringToSign, computeSignature, sha256Hex, signaturesEqual } from './signing.js';

/** The parts of an HTTP request that SigV4 covers. */
export interface SigV4Request {
  method: string;
  /** Raw path as received (still percent-encoded), without the query string. */
  path: string;
  /** Raw query string (preferred: exact bytes) or parsed parameters. */
  query: URLSearchParams | string;
  /** Header names in lowercase, as node's `IncomingHttpHeaders`. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** How to verify. */
export interface SigV4Options {
  /**
   * accessKeyId -> secretAccessKey. Absent or empty: "open" mode like local emulators: unsigned
   * requests pass, signed ones must only be well-formed (no key, time or signature check).
   */
  credentials?: ReadonlyMap<string, string>;
  /** The server clock (tests). */
  now?: Date;
  /** Allowed clock difference in both directions; AWS allows 5 minutes. */
  maxSkewMs?: number;
}

/** An accepted request. */
export type SigV4Success =
  | { ok: true; anonymous: true; verified: false }
  | {
      ok: true;
      anonymous: false;
      /** false in open mode (signature only checked for shape). */
      verified: boolean;
      presigned: boolean;
      accessKeyId: string;
      region: string;
      service: string;
    };

/** Outcome of `verifySigV4`. */
export type SigV4Result = SigV4Success | SigV4Failure;

const DEFAULT_SKEW_MS = 5 * 60 * 1000;

/**
 * Verifies AWS Signature Version 4 (Authorization header form, or presigned query form) on a
 * control-plane request, the way Lambda and API Gateway do:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
 */
export function verifySigV4(req: SigV4Request, opts: SigV4Options = {}): SigV4Result {
  const headers = lowerCaseKeys(req.headers);
  const pairs = parseQuery(req.query);
  const queryMap = new Map(pairs);
  const authorization = headerValue(headers, 'authorization');
  const verifying = opts.credentials !== undefined && opts.credentials.size > 0;

  let parsed: SignatureParams | SigV4Failure;
  if (authorization !== undefined && authorization.trim() !== '') {
    parsed = parseAuthorizationHeader(authorization, headers);
  } else if (queryMap.has('X-Amz-Algorithm') || queryMap.has('X-Amz-Signature')) {
    parsed = parsePresignedQuery(queryMap);
  } else {
    return verifying ? missingToken() : { ok: true, anonymous: true, verified: false };
  }
  if ('ok' in parsed) return parsed;
  const signedAt = fromAmzDate(parsed.amzDate);
  if (Number.isNaN(signedAt.getTime())) {
    return incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${parsed.amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const success: SigV4Success = {
    ok: true,
    anonymous: false,
    verified: verifying,
    presigned: parsed.presigned,
    accessKeyId: parsed.accessKeyId,
    region: parsed.scope.region,
    service: parsed.scope.service,
  };
  if (!verifying) return success;

  const secret = opts.credentials?.get(parsed.accessKeyId);
  if (secret === undefined) return unrecognizedClient();

  const timeFailure = checkTime(parsed, signedAt, opts.now ?? new Date(), opts.maxSkewMs ?? DEFAULT_SKEW_MS);
  if (timeFailure) return timeFailure;

  // Services other than S3 hash the body themselves: a tampered body with the original
  // x-amz-content-sha256 header fails here. UNSIGNED-PAYLOAD is honoured as the signer sent it.
  const declared = headerValue(headers, 'x-amz-content-sha256') ?? queryMap.get('X-Amz-Content-Sha256');
  const payloadHash = declared === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(req.body);
  const canonicalRequest = buildCanonicalRequest({
    method: req.method,
    uri: canonicalUri(req.path),
    query: canonicalQuery(pairs),
    headers,
    signedHeaders: parsed.signedHeaders,
    payloadHash,
  });
  const stringToSign = buildStringToSign(parsed.amzDate, parsed.scopeString, canonicalRequest);
  const expected = computeSignature(secret, parsed.scope, stringToSign);
  if (!signaturesEqual(expected, parsed.signature)) {
    // AWS returns both strings so a client author can diff them against their own.
    return invalid(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
        `The Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
        `The String-to-Sign should have been\n'${stringToSign}'\n`,
    );
  }
  return success;
}

/** Clock skew (header form) or expiry (presigned form). Wording follows AWS's messages. */
function checkTime(
  params: SignatureParams,
  signedAt: Date,
  now: Date,
  skewMs: number,
): SigV4Failure | undefined {
  const skewMin = Math.round(skewMs / 60000);
  if (signedAt.getTime() > now.getTime() + skewMs) {
    return invalid(
      `Signature not yet current: ${params.amzDate} is still later than ${toAmzDate(new Date(now.getTime() + skewMs))} (${toAmzDate(now)} + ${skewMin} min.)`,
    );
  }
  if (params.presigned) {
    const expires = params.expires ?? 0;
    if (now.getTime() > signedAt.getTime() + expires * 1000) {
      return invalid(
        `Signature expired: ${params.amzDate} is now earlier than ${toAmzDate(new Date(now.getTime() - expires * 1000))} (${toAmzDate(now)} - ${expires} sec.)`,
      );
    }
    return undefined;
  }
  if (signedAt.getTime() < now.getTime() - skewMs) {
    return invalid(
      `Signature expired: ${params.amzDate} is now earlier than ${toAmzDate(new Date(now.getTime() - skewMs))} (${toAmzDate(now)} - ${skewMin} min.)`,
    );
  }
  return undefined;
}

function lowerCaseKeys(headers: SigV4Request['headers']): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const prev = out[lower];
    out[lower] =
      prev === undefined ? value : [prev, value].flat().filter((v): v is string => v !== undefined);
  }
  return out;
}
