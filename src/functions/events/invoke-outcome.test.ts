import { describe, expect, it } from 'vitest';
import { toResponse } from '../../errors/index.js';
import type { InvokeResult } from '../types.js';
import { lambdaFailureError, mapLambdaFailure, parseInvokeResult } from './index.js';
import type { LambdaFailureKind, ProxyApiFlavour } from './index.js';

describe('Lambda failures as seen through the gateway (reference §2.5)', () => {
  it.each([
    ['function-error', 'HTTP', 500, '{"message":"Internal Server Error"}'],
    ['function-error', 'REST', 502, '{"message":"Internal server error"}'],
    ['malformed-response', 'HTTP', 500, '{"message":"Internal Server Error"}'],
    ['malformed-response', 'REST', 502, '{"message":"Internal server error"}'],
    ['invoke-denied', 'HTTP', 500, '{"message":"Internal Server Error"}'],
    ['invoke-denied', 'REST', 500, '{"message":"Internal server error"}'],
    ['invoke-failed', 'HTTP', 500, '{"message":"Internal Server Error"}'],
    ['invoke-failed', 'REST', 502, '{"message":"Internal server error"}'],
    ['integration-timeout', 'HTTP', 503, '{"message":"Service Unavailable"}'],
    ['integration-timeout', 'REST', 504, '{"message":"Endpoint request timed out"}'],
  ] as const)('%s on a %s API -> %i %s', (kind, flavour, status, body) => {
    const err = lambdaFailureError(kind as LambdaFailureKind, flavour as ProxyApiFlavour, new Error('cause'));
    const response = toResponse(err, flavour);
    expect(response.status).toBe(status);
    expect(response.body).toBe(body);
    expect(mapLambdaFailure(kind, flavour).status).toBe(status);
  });

  it('maps codes to the catalog', () => {
    expect(mapLambdaFailure('function-error', 'REST')).toStrictEqual({ code: 'LAMBDA_FAILURE', status: 502 });
    expect(mapLambdaFailure('invoke-failed', 'REST')).toStrictEqual({
      code: 'INTEGRATION_FAILURE',
      status: 502,
    });
    expect(mapLambdaFailure('integration-timeout', 'HTTP')).toStrictEqual({
      code: 'INTEGRATION_TIMEOUT',
      status: 503,
    });
  });
});

describe('parseInvokeResult', () => {
  const ok: InvokeResult = {
    statusCode: 200,
    payload: Buffer.from('{"statusCode":202,"body":"queued"}'),
    executedVersion: '$LATEST',
  };
  const failed: InvokeResult = {
    ...ok,
    payload: Buffer.from(
      '{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 3.00 seconds"}',
    ),
    functionError: 'Unhandled',
  };

  it('parses the payload per version when the function succeeded', () => {
    expect(parseInvokeResult(ok, { payloadFormatVersion: '2.0', flavour: 'HTTP' })).toStrictEqual({
      ok: true,
      statusCode: 202,
      headers: [['content-type', 'application/json']],
      body: Buffer.from('queued'),
    });
    expect(parseInvokeResult(ok, { payloadFormatVersion: '1.0', flavour: 'REST' })).toStrictEqual({
      ok: true,
      statusCode: 202,
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from('queued'),
    });
  });

  it('turns X-Amz-Function-Error (including function timeouts) into the flavour status', () => {
    expect(parseInvokeResult(failed, { payloadFormatVersion: '2.0', flavour: 'HTTP' })).toStrictEqual({
      ok: false,
      reason: 'function error (Unhandled)',
      status: 500,
    });
    expect(parseInvokeResult(failed, { payloadFormatVersion: '1.0', flavour: 'REST' })).toStrictEqual({
      ok: false,
      reason: 'function error (Unhandled)',
      status: 502,
    });
  });
});
