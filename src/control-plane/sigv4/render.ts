import type { AdminResponse } from '../admin-router.js';
import type { SigV4Failure } from './errors.js';

/** Control-plane error body shapes (see docs/control-plane.md, Authentication). */
export type SigV4ErrorFlavour = 'lambda' | 'apigateway';

/**
 * Renders a refused request as the service does: Lambda answers `{"Type":"User","message":...}`,
 * API Gateway (v1 and v2) `{"message":...}`; both set `x-amzn-ErrorType`, which the SDK v3 reads first.
 */
export function renderSigV4Error(failure: SigV4Failure, flavour: SigV4ErrorFlavour): AdminResponse {
  const body =
    flavour === 'lambda' ? { Type: 'User', message: failure.message } : { message: failure.message };
  return {
    status: failure.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': failure.errorType },
    body: JSON.stringify(body),
  };
}

/** Lambda-flavoured renderer. */
export function renderLambdaSigV4Error(failure: SigV4Failure): AdminResponse {
  return renderSigV4Error(failure, 'lambda');
}

/** API Gateway-flavoured renderer (apigateway and apigatewayv2). */
export function renderApiGatewaySigV4Error(failure: SigV4Failure): AdminResponse {
  return renderSigV4Error(failure, 'apigateway');
}
