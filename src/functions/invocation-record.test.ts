import { describe, expect, it } from 'vitest';
import { arnService, invocationRecord } from './invocation-record.js';

const base = {
  requestId: 'r-1',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
  timestamp: new Date('2026-12-06T05:00:00.000Z'),
};

describe('invocationRecord', () => {
  it("writes Lambda's record of a failed event, with the request and the last response as values", () => {
    const record = invocationRecord({
      ...base,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      requestPayload: Buffer.from('{"a":1}'),
      result: {
        statusCode: 200,
        executedVersion: '2',
        functionError: 'Unhandled',
        payload: Buffer.from('{"errorType":"Error","errorMessage":"x"}'),
      },
    });
    expect(JSON.parse(record.toString())).toStrictEqual({
      version: '1.0',
      timestamp: '2026-12-06T05:00:00.000Z',
      requestContext: {
        requestId: 'r-1',
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { a: 1 },
      responseContext: { statusCode: 200, executedVersion: '2', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'x' },
    });
  });

  it('gives text that is not JSON as a string, an empty response as null, and no response when none ran', () => {
    const success = JSON.parse(
      invocationRecord({
        ...base,
        condition: 'Success',
        approximateInvokeCount: 1,
        requestPayload: Buffer.from('not json'),
        result: { statusCode: 200, executedVersion: '$LATEST', payload: Buffer.alloc(0) },
      }).toString(),
    ) as Record<string, unknown>;
    expect(success.requestPayload).toBe('not json');
    expect(success.responseContext).toStrictEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(success.responsePayload).toBeNull();
    const expired = JSON.parse(
      invocationRecord({
        ...base,
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 0,
        requestPayload: Buffer.from('{}'),
        result: undefined,
      }).toString(),
    ) as Record<string, unknown>;
    expect(Object.keys(expired)).toStrictEqual(['version', 'timestamp', 'requestContext', 'requestPayload']);
  });

  it('tells the service of an ARN', () => {
    expect(arnService('arn:aws:lambda:us-east-1:000000000000:function:f')).toBe('lambda');
    expect(arnService('arn:aws:sqs:us-east-1:000000000000:q')).toBe('sqs');
    expect(arnService('arn:aws:s3:::bucket')).toBe('s3');
    expect(arnService('f')).toBeUndefined();
  });
});
