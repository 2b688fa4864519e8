import { ALGORITHM } from './canonical.js';
import { incomplete, invalid, type SigV4Failure } from './errors.js';

/** The signature parameters of a request, from the Authorization header or a presigned URL. */
export interface SignatureParams {
  presigned: boolean;
  accessKeyId: string;
  scope: { date: string; region: string; service: string };
  /** `date/region/service/aws4_request` */
  scopeString: string;
  signedHeaders: string[];
  signature: string;
  /** ISO-8601 basic `YYYYMMDDTHHMMSSZ`. */
  amzDate: string;
  /** Presigned only: seconds the URL is valid. */
  expires?: number;
}

type Headers = Record<string, string | string[] | undefined>;

const AMZ_DATE = /^\d{8}T\d{6}Z$/;

/** One header value as a string (first of repeated values). */
export function headerValue(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses the `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` form. */
export function parseAuthorizationHeader(
  authorization: string,
  headers: Headers,
): SignatureParams | SigV4Failure {
  const trimmed = authorization.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const fields = new Map<string, string>();
  if (algorithm === ALGORITHM && space > 0) {
    // AWS splits the parameters on commas and whitespace, so a stray space breaks a pair.
    for (const part of trimmed.slice(space + 1).split(/[\s,]+/)) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      if (eq < 0) {
        return incomplete(
          `'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${trimmed}'.`,
        );
      }
      fields.set(part.slice(0, eq), part.slice(eq + 1));
    }
  }
  // AWS reports every missing piece at once, in this order.
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!fields.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  const amzDate = headerValue(headers, 'x-amz-date') ?? dateHeaderToAmz(headerValue(headers, 'date'));
  if (amzDate === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) return incomplete(`${missing.join(' ')} Authorization=${trimmed}`);
  return finish(
    false,
    fields.get('Credential') as string,
    fields.get('SignedHeaders') as string,
    fields.get('Signature') as string,
    amzDate as string,
  );
}

/** Parses the presigned query form (`X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...`). */
export function parsePresignedQuery(query: Map<string, string>): SignatureParams | SigV4Failure {
  const required = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Signature',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
  ];
  if (required.some((name) => !query.get(name))) {
    return incomplete(
      `AWS query-string parameters must include ${required.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`,
    );
  }
  if (query.get('X-Amz-Algorithm') !== ALGORITHM) {
    return incomplete(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  }
  const expiresRaw = query.get('X-Amz-Expires') ?? '604800';
  if (!/^\d+$/.test(expiresRaw)) return incomplete('X-Amz-Expires should be a number');
  const expires = Number(expiresRaw);
  // The signer refuses to presign for longer than a week; so does AWS.
  if (expires > 604800)
    return incomplete('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  const params = finish(
    true,
    query.get('X-Amz-Credential') as string,
    query.get('X-Amz-SignedHeaders') as string,
    query.get('X-Amz-Signature') as string,
    query.get('X-Amz-Date') as string,
  );
  return 'ok' in params ? params : { ...params, expires };
}

function finish(
  presigned: boolean,
  credential: string,
  signedHeadersRaw: string,
  signature: string,
  amzDate: string,
): SignatureParams | SigV4Failure {
  if (!AMZ_DATE.test(amzDate)) {
    return incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5 || !accessKeyId || !date || !region || !service) {
    return incomplete(
      `Credential should be of the form '<AccessKeyId>/<YYYYMMDD>/<region>/<service>/aws4_request', got '${credential}'.`,
    );
  }
  if (terminator !== 'aws4_request') {
    return invalid(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator ?? ''}'.`,
    );
  }
  if (date !== amzDate.slice(0, 8)) {
    return invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const signedHeaders = signedHeadersRaw.split(';');
  if (signedHeaders.some((h) => h === '' || h !== h.toLowerCase())) {
    return incomplete(
      `SignedHeaders must be lowercase header names separated by ';', got '${signedHeadersRaw}'.`,
    );
  }
  // Binding the host stops a signature from being replayed against another endpoint.
  if (!signedHeaders.includes('host') && !signedHeaders.includes(':authority')) {
    return incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return {
    presigned,
    accessKeyId,
    scope: { date, region, service },
    scopeString: `${date}/${region}/${service}/aws4_request`,
    signedHeaders,
    signature,
    amzDate,
  };
}

/** Converts an HTTP `Date` header to the basic ISO form; undefined when absent or unparsable. */
function dateHeaderToAmz(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : toAmzDate(new Date(ms));
}

/** `YYYYMMDDTHHMMSSZ` of a date. */
export function toAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The time an `x-amz-date` value denotes. */
export function fromAmzDate(amzDate: string): Date {
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`;
  return new Date(iso);
}
