import { isIP } from 'node:net';
import type { AdminRequest, AdminResponse } from '../control-plane/admin-router.js';
import { renderSigV4Error, verifySigV4 } from '../control-plane/sigv4/index.js';

/**
 * SigV4 authentication of the admin port. `/health` is always open. Errors are rendered in the
 * flavour of the service the path belongs to (Lambda's `{Type, message}` or API Gateway's `{message}`).
 */
export function createAdminAuthenticator(
  credentials: Record<string, string> | undefined,
): (req: AdminRequest) => AdminResponse | undefined {
  const map = new Map(Object.entries(credentials ?? {}));
  return function authenticate(req) {
    if (req.path === '/health') return undefined;
    const result = verifySigV4(
      { method: req.method, path: req.path, query: req.rawQuery, headers: req.headers, body: req.body },
      { credentials: map },
    );
    if (result.ok) return undefined;
    return renderSigV4Error(result, isLambdaPath(req.path) ? 'lambda' : 'apigateway');
  };
}

function isLambdaPath(path: string): boolean {
  return /^\/20\d\d-\d\d-\d\d\//.test(path) || path.startsWith('/portico/functions');
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
