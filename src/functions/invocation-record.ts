import type { InvokeResult } from './types.js';

/** What an invocation record is built from. */
export interface InvocationRecordInput {
  requestId: string;
  /** The invoked function's ARN with its qualifier (`…:function:name:$LATEST`). */
  functionArn: string;
  condition: 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';
  /** Attempts that ran the function. */
  approximateInvokeCount: number;
  /** The event's JSON bytes. */
  requestPayload: Buffer;
  /** The last attempt's result, if one ran. */
  result: InvokeResult | undefined;
  timestamp: Date;
}

/** JSON text as a value; text that is not JSON as a string, empty as null. */
function asValue(bytes: Buffer): unknown {
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The record Lambda sends to an asynchronous invocation's destination
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html): the request
 * and the response of the last attempt, as JSON values. An event that expired before any attempt ran
 * has no response members.
 */
export function invocationRecord(o: InvocationRecordInput): Buffer {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: o.timestamp.toISOString(),
    requestContext: {
      requestId: o.requestId,
      functionArn: o.functionArn,
      condition: o.condition,
      approximateInvokeCount: o.approximateInvokeCount,
    },
    requestPayload: asValue(o.requestPayload),
  };
  if (o.result !== undefined) {
    record.responseContext = {
      statusCode: o.result.statusCode,
      executedVersion: o.result.executedVersion,
      ...(o.result.functionError === undefined ? {} : { functionError: o.result.functionError }),
    };
    record.responsePayload = asValue(o.result.payload);
  }
  return Buffer.from(JSON.stringify(record));
}

/** The AWS service of an ARN (`lambda`, `sqs`, ...), undefined when it is not an ARN. */
export function arnService(arn: string): string | undefined {
  const parts = arn.split(':');
  return parts[0] === 'arn' && parts.length >= 6 ? parts[2] : undefined;
}
