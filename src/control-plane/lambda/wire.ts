import { randomUUID } from 'node:crypto';
import { GatewayError } from '../../errors/index.js';
import { LambdaServiceError, lambdaErrorResponse } from '../../functions/index.js';
import type { AdminRequest, AdminResponse, AdminRoute } from '../admin-router.js';

/** A parsed JSON request body (PascalCase members, as `@aws-sdk/client-lambda` sends them). */
export type JsonBody = Record<string, unknown>;

/** Reports unexpected errors (answered as `ServiceException` 500; the cause is never echoed). */
export type ErrorReporter = (err: unknown, operation: string) => void;

/**
 * Builds one Lambda control-plane route: every failure is rendered in Lambda's wire format
 * (`x-amzn-ErrorType` + `{"Type","message"}`), storage NOT_FOUND becomes `ResourceNotFoundException`.
 */
export function lambdaRoute(
  method: string,
  path: string,
  operation: string,
  run: (req: AdminRequest) => Promise<AdminResponse>,
  onError: ErrorReporter,
): AdminRoute {
  return {
    method,
    path,
    operation,
    handler: async function lambdaOperation(req: AdminRequest): Promise<AdminResponse> {
      try {
        return await run(req);
      } catch (err) {
        const mapped = mapStorageError(err);
        if (!(mapped instanceof LambdaServiceError)) onError(err, operation);
        return lambdaErrorResponse(mapped, randomUUID());
      }
    },
  };
}

function mapStorageError(err: unknown): unknown {
  if (err instanceof GatewayError && err.code === 'NOT_FOUND') {
    return new LambdaServiceError('ResourceNotFoundException', err.message);
  }
  return err;
}

/** A JSON answer with Lambda's headers. */
export function jsonResponse(status: number, body: unknown): AdminResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() },
    body: JSON.stringify(body),
  };
}

/** An empty answer (204 for deletes). */
export function emptyResponse(status = 204): AdminResponse {
  return { status, headers: { 'x-amzn-requestid': randomUUID() } };
}

/**
 * Parses the request body as a JSON object. Lambda answers malformed JSON with
 * `InvalidRequestContentException` (https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html).
 */
export function parseBody(req: AdminRequest): JsonBody {
  if (req.body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new LambdaServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${detail}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LambdaServiceError(
      'InvalidRequestContentException',
      'Could not parse request body into json: the body must be a JSON object',
    );
  }
  return value as JsonBody;
}

function wrongType(field: string, expected: string, value: unknown): LambdaServiceError {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return new LambdaServiceError(
    'InvalidRequestContentException',
    `Could not parse request body into json: Unexpected value for ${field}: expected ${expected}, got ${got}`,
  );
}

/** A constraint violation in AWS's "1 validation error detected" wording. */
export function invalid(field: string, value: unknown, constraint: string): LambdaServiceError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  const member = field.charAt(0).toLowerCase() + field.slice(1);
  return new LambdaServiceError(
    'InvalidParameterValueException',
    `1 validation error detected: Value '${shown}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

/** An optional string member. */
export function optString(body: JsonBody, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrongType(field, 'a string', v);
  return v;
}

/** A required string member. */
export function reqString(body: JsonBody, field: string): string {
  const v = optString(body, field);
  if (v === undefined) throw invalid(field, null, 'Member must not be null');
  return v;
}

/** An optional integer member. */
export function optInt(body: JsonBody, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(field, 'an integer', v);
  return v;
}

/** An optional boolean member. */
export function optBool(body: JsonBody, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw wrongType(field, 'a boolean', v);
  return v;
}

/** An optional JSON-object member. */
export function optObject(body: JsonBody, field: string): JsonBody | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw wrongType(field, 'an object', v);
  return v as JsonBody;
}

/** An optional map of strings. */
export function optStringMap(body: JsonBody, field: string): Record<string, string> | undefined {
  const v = optObject(body, field);
  if (v === undefined) return undefined;
  for (const [k, item] of Object.entries(v)) {
    if (typeof item !== 'string') throw wrongType(`${field}.${k}`, 'a string', item);
  }
  return v as Record<string, string>;
}

/** An optional list of strings. */
export function optStringList(body: JsonBody, field: string): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw wrongType(field, 'a list', v);
  for (const item of v) if (typeof item !== 'string') throw wrongType(field, 'a list of strings', item);
  return v as string[];
}

/** Checks an optional `RevisionId` against the current one (optimistic locking). */
export function checkRevision(expected: string | undefined, current: string | undefined, what: string): void {
  if (expected !== undefined && expected !== current) {
    throw new LambdaServiceError(
      'PreconditionFailedException',
      `The Revision Id provided does not match the latest Revision Id. Call the ${what} API to retrieve the latest Revision Id`,
    );
  }
}

/** `MaxItems` of list operations: 1..10000 (https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctions.html). */
export function maxItems(req: AdminRequest, fallback = 50): number {
  const raw = req.query.get('MaxItems');
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10000) {
    throw invalid('MaxItems', raw, 'Member must have value between 1 and 10000');
  }
  return n;
}

/** Pages an in-memory list with an opaque `Marker` (the offset of the next item). */
export function pageOf<T>(items: T[], req: AdminRequest, fallback = 50): { items: T[]; nextMarker?: string } {
  const limit = maxItems(req, fallback);
  const marker = req.query.get('Marker');
  let start = 0;
  if (marker !== null && marker !== '') {
    const m = /^o:(\d{1,9})$/.exec(Buffer.from(marker, 'base64url').toString('utf8'));
    if (!m) throw new LambdaServiceError('InvalidParameterValueException', 'Invalid marker');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + limit);
  const next = start + limit;
  return next < items.length
    ? { items: page, nextMarker: Buffer.from(`o:${next}`).toString('base64url') }
    : { items: page };
}

/** The `Qualifier` query parameter, if given. */
export function queryQualifier(req: AdminRequest): string | undefined {
  const q = req.query.get('Qualifier');
  return q === null || q === '' ? undefined : q;
}
