import type { AdminRequest, AdminResponse, AdminRoute } from '../admin-router.js';
import { badRequest, errorResponse } from './errors.js';

/** A JSON object as received on the wire. */
export type JsonObject = Record<string, unknown>;

/** An apigatewayv2 operation before error rendering is wrapped around it. */
export type V2Handler = (req: AdminRequest) => Promise<AdminResponse>;

/** Declares one operation; every error it throws is rendered in the apigatewayv2 error shape. */
export function operation(method: string, path: string, name: string, handler: V2Handler): AdminRoute {
  return {
    method,
    path,
    operation: name,
    handler: async (req) => {
      try {
        return await handler(req);
      } catch (err) {
        return errorResponse(err);
      }
    },
  };
}

/** A JSON response (apigatewayv2 is rest-json: camelCase members). */
export function json(status: number, body: unknown): AdminResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** 204 No Content, what every apigatewayv2 Delete* answers. */
export function noContent(): AdminResponse {
  return { status: 204 };
}

/** Parses the request body as a JSON object; an empty body is `{}`. */
export function readBody(req: AdminRequest): JsonObject {
  if (req.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch (err) {
    throw badRequest(`Could not parse request body into json: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Could not parse request body into json: expected a JSON object');
  }
  return parsed as JsonObject;
}

/** A path parameter (always present when the route matched). */
export function param(req: AdminRequest, name: string): string {
  return req.params[name] ?? '';
}

/** ISO-8601 without milliseconds, as apigatewayv2 prints timestamps (`2024-05-01T12:00:00Z`). */
export function isoNow(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `maxResults`/`nextToken` paging over a list that merges config-file and stored resources. The token
 * is an opaque offset (AWS tokens are opaque too); a token that does not decode is a BadRequest.
 */
export function paginate<T>(items: readonly T[], req: AdminRequest): { items: T[]; nextToken?: string } {
  const max = req.query.get('maxResults');
  const token = req.query.get('nextToken');
  let limit = items.length;
  if (max !== null && max !== '') {
    if (!/^\d{1,6}$/.test(max) || Number(max) < 1) {
      throw badRequest(`Invalid maxResults: ${max} (must be a positive integer)`);
    }
    limit = Number(max);
  }
  let start = 0;
  if (token !== null && token !== '') {
    const m = /^offset:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw badRequest('Invalid nextToken');
    start = Number(m[1]);
  }
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return end < items.length
    ? { items: page, nextToken: Buffer.from(`offset:${end}`, 'utf8').toString('base64url') }
    : { items: page };
}
