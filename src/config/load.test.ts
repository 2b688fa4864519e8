import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './load.js';
import { configToModel } from './to-model.js';

const GOOD = `apis:
  shop:
    integrations:
      up:
        type: HTTP_PROXY
        uri: http://127.0.0.1:9000/{proxy}
    routes:
      ANY /{proxy+}: up
    stages:
      $default: {}
      prod:
        stageVariables: { host: 'a:1' }
`;

function errorOf(text: string): ConfigError {
  try {
    parseConfigText('portico.yaml', text);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('accepts a valid file and builds the model', () => {
    const model = configToModel('/x/portico.yaml', parseConfigText('portico.yaml', GOOD), {
      region: 'us-east-1',
      accountId: '000000000000',
    });
    const api = model.apis[0];
    expect(api?.apiId).toBe('shop');
    expect(api?.routes.map((r) => [r.routeKey, r.target])).toStrictEqual([['ANY /{proxy+}', 'up']]);
    expect(
      api?.stages.map((s) => [s.stageName, s.stageVariables, s.deploymentId !== undefined]),
    ).toStrictEqual([
      ['$default', {}, true],
      ['prod', { host: 'a:1' }, true],
    ]);
    expect(api?.integrations[0]).toMatchObject({
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      payloadFormatVersion: '1.0',
      timeoutInMillis: 30000,
    });
  });

  it("reads a function's isolation (Portico: process by default, thread on request)", () => {
    const text = `${GOOD}functions:
  a: { handler: index.handler, code: ./fn }
  b: { handler: index.handler, code: ./fn, isolation: thread }
`;
    const model = configToModel('/x/portico.yaml', parseConfigText('portico.yaml', text), {
      region: 'us-east-1',
      accountId: '000000000000',
    });
    expect(model.functions.map((f) => [f.functionName, f.isolation])).toStrictEqual([
      ['a', undefined],
      ['b', 'thread'],
    ]);
    expect(errorOf(text.replace('isolation: thread', 'isolation: fiber')).message).toContain(
      'functions.b.isolation: must be one of "process", "thread"',
    );
  });

  it.each([
    [
      'unknown field',
      GOOD.replace('    routes:', '    routez: {}\n    routes:'),
      'portico.yaml:7: apis.shop.routez: unknown field',
    ],
    [
      'bad enum',
      GOOD.replace('type: HTTP_PROXY', 'type: HTTP_PROXI'),
      'portico.yaml:5: apis.shop.integrations.up.type: must be one of "HTTP_PROXY", "AWS_PROXY"',
    ],
    [
      'dangling integration',
      GOOD.replace('ANY /{proxy+}: up', 'ANY /{proxy+}: down'),
      'portico.yaml:8: apis.shop.routes.ANY /{proxy+}: no integration "down" in this API',
    ],
    [
      'bad route key',
      GOOD.replace('ANY /{proxy+}: up', 'FETCH /x: up'),
      'portico.yaml:8: apis.shop.routes.FETCH /x: invalid name "FETCH /x" (expected',
    ],
    [
      'greedy not last',
      GOOD.replace('ANY /{proxy+}: up', 'ANY /{proxy+}/x: up'),
      'portico.yaml:8: apis.shop.routes.ANY /{proxy+}/x: a greedy {name+} must be last',
    ],
    [
      'wrong type',
      GOOD.replace(
        'uri: http://127.0.0.1:9000/{proxy}',
        'uri: http://127.0.0.1:9000/{proxy}\n        timeoutInMillis: fast',
      ),
      'portico.yaml:7: apis.shop.integrations.up.timeoutInMillis: must be integer',
    ],
    [
      'out of range',
      GOOD.replace(
        'uri: http://127.0.0.1:9000/{proxy}',
        'uri: http://127.0.0.1:9000/{proxy}\n        timeoutInMillis: 40000',
      ),
      'portico.yaml:7: apis.shop.integrations.up.timeoutInMillis: must be <= 30000',
    ],
    [
      'bad URL',
      GOOD.replace('http://127.0.0.1:9000/{proxy}', 'ftp://x/'),
      'portico.yaml:6: apis.shop.integrations.up.uri: not an http(s) URL: ftp://x/',
    ],
    [
      'duplicate key',
      GOOD.replace('      $default: {}', '      prod: {}\n      $default: {}'),
      'portico.yaml:12: Map keys must be unique',
    ],
    ['YAML syntax', 'apis: [', 'portico.yaml:1: '],
    [
      'mapping to a missing stage',
      `${GOOD}domainNames:\n  api.example.com:\n    apiMappings:\n      - { apiId: shop, stage: dev }\n`,
      'portico.yaml:16: domainNames.api.example.com.apiMappings.0.stage: API "shop" has no stage "dev"',
    ],
    [
      'missing function',
      GOOD.replace(
        'type: HTTP_PROXY\n        uri: http://127.0.0.1:9000/{proxy}',
        'type: AWS_PROXY\n        function: nope',
      ),
      'portico.yaml:6: apis.shop.integrations.up.function: no function named "nope"',
    ],
  ])('rejects %s with file, line, path and reason', (_name, text, message) => {
    expect(errorOf(text).message.startsWith(message)).toBe(true);
  });
});
