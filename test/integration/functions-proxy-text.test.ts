import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFunctionRuntime,
  ProxyEventPayload,
  type CompactRequest,
  type PorticoFunctionRuntime,
} from '../../dist/functions/index.js';
import type { ProxyRequestInput } from '../../dist/functions/events/index.js';
import { createFunctionSandbox, fn, type FunctionSandbox } from '../helpers/functions.js';

// A gateway request reaches a Node environment as compact text (docs/functions.md). Text the
// environment cannot read fails that invocation as a function error; the environment keeps serving.
let box: FunctionSandbox;
let runtime: PorticoFunctionRuntime;

const input: ProxyRequestInput = {
  apiFlavour: 'HTTP',
  method: 'GET',
  rawPath: '/x',
  path: '/x',
  rawQueryString: '',
  rawHeaders: ['Host', 'h'],
  body: undefined,
  sourceIp: '127.0.0.1',
  protocol: 'HTTP/1.1',
  routeKey: 'GET /x',
  resourcePath: '/x',
  pathParameters: undefined,
  stageVariables: undefined,
  stage: '$default',
  requestId: 'r1',
  requestTimeEpoch: 1_700_000_000_000,
  domainName: 'h',
  domainPrefix: 'h',
  apiId: 'a',
  accountId: '000000000000',
};

/** A request whose text is damaged on the way (not something the gateway writes). */
class DamagedPayload extends ProxyEventPayload {
  override compact(): CompactRequest {
    return { version: '2.0', text: 'not\u0000a request', body: undefined };
  }
}

beforeAll(() => {
  box = createFunctionSandbox();
  const cjs = box.code('node-cjs');
  writeFileSync(
    join(cjs, 'path.js'),
    'exports.handler = async (e) => ({ statusCode: 200, body: e.rawPath });\n',
  );
  runtime = createFunctionRuntime({ dataDir: box.dataDir });
  runtime.setFunctions([
    fn('proc', cjs, 'path.handler'),
    fn('thread', cjs, 'path.handler', { isolation: 'thread' }),
  ]);
});

afterAll(async () => {
  await runtime?.close();
  box?.cleanup();
});

describe('gateway requests as text', () => {
  it.each(['proc', 'thread'])('%s: unreadable text fails the invocation only', async (name) => {
    const ok = await runtime.invoke({ functionName: name, payload: new ProxyEventPayload('2.0', input) });
    expect(JSON.parse(ok.payload.toString())).toEqual({ statusCode: 200, body: '/x' });
    const bad = await runtime.invoke({ functionName: name, payload: new DamagedPayload('2.0', input) });
    expect(bad.functionError).toBe('Unhandled');
    expect(JSON.parse(bad.payload.toString())).toMatchObject({
      errorType: 'Error',
      errorMessage: 'malformed proxy request text',
    });
    // The same warm environment answers the next request.
    const again = await runtime.invoke({ functionName: name, payload: new ProxyEventPayload('2.0', input) });
    expect(JSON.parse(again.payload.toString())).toEqual({ statusCode: 200, body: '/x' });
    expect(runtime.environmentCounts(name)).toEqual({ idle: 1, busy: 0 });
    // One environment served all three: one cold start in the log.
    expect((await runtime.readLogs(name)).text.match(/Init Duration/g)).toHaveLength(1);
  });
});
