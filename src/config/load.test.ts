import { describe, expect, it } from 'vitest';
import { errorOf } from './config-errors.fixture.js';
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

describe('functions.<name>.eventInvokeConfig', () => {
  const FUNCTIONS = `functions:
  audit: { handler: index.handler, code: ./audit }
  worker:
    handler: index.handler
    code: ./worker
    eventInvokeConfig:
      maximumRetryAttempts: 0
      maximumEventAgeInSeconds: 3600
      onSuccess: audit
      onFailure: arn:aws:sqs:us-east-1:000000000000:failures
`;
  const SETTINGS = { region: 'eu-west-1', accountId: '123456789012' };
  const modelOf = (text: string) =>
    configToModel('/x/portico.yaml', parseConfigText('portico.yaml', text), SETTINGS).functions;
  // The file above with other members under eventInvokeConfig (their first line is line 7).
  const withConfig = (lines: string) =>
    `${FUNCTIONS.slice(0, FUNCTIONS.indexOf('      maximumRetryAttempts'))}${lines}`;

  it('becomes the settings of $LATEST, a destination named by function becoming its ARN', () => {
    const [audit, worker] = modelOf(FUNCTIONS);
    expect(worker?.eventInvokeConfigs).toStrictEqual({
      $LATEST: {
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: 3600,
        onSuccess: 'arn:aws:lambda:eu-west-1:123456789012:function:audit',
        onFailure: 'arn:aws:sqs:us-east-1:000000000000:failures',
      },
    });
    expect(audit !== undefined && 'eventInvokeConfigs' in audit).toBe(false);
  });

  it('keeps only the members the file sets', () => {
    const [, worker] = modelOf(withConfig('      onFailure: audit\n'));
    expect(worker?.eventInvokeConfigs).toStrictEqual({
      $LATEST: { onFailure: 'arn:aws:lambda:eu-west-1:123456789012:function:audit' },
    });
    const [, bare] = modelOf(withConfig('      maximumEventAgeInSeconds: 60\n'));
    expect(bare?.eventInvokeConfigs).toStrictEqual({ $LATEST: { maximumEventAgeInSeconds: 60 } });
  });

  it.each([
    'arn:aws:lambda:us-east-1:000000000000:function:elsewhere',
    'arn:aws:lambda:us-east-1:000000000000:function:elsewhere:live',
    'arn:aws:sqs:us-east-1:000000000000:dlq',
    'arn:aws:sns:us-east-1:000000000000:alerts',
    'arn:aws:events:us-east-1:000000000000:event-bus/default',
    'arn:aws-us-gov:sqs:us-gov-west-1:000000000000:dlq',
  ])('accepts the destination %s', (arn) => {
    const [, worker] = modelOf(withConfig(`      onSuccess: ${arn}\n      onFailure: ${arn}\n`));
    expect(worker?.eventInvokeConfigs).toStrictEqual({ $LATEST: { onSuccess: arn, onFailure: arn } });
  });

  it('accepts an S3 bucket for failures (as Lambda does)', () => {
    const [, worker] = modelOf(withConfig('      onFailure: arn:aws:s3:::failed-events\n'));
    expect(worker?.eventInvokeConfigs).toStrictEqual({
      $LATEST: { onFailure: 'arn:aws:s3:::failed-events' },
    });
  });

  it.each([
    ['maximumRetryAttempts', -1, 'must be >= 0'],
    ['maximumRetryAttempts', 3, 'must be <= 2'],
    ['maximumRetryAttempts', 1.5, 'must be integer'],
    ['maximumEventAgeInSeconds', 59, 'must be >= 60'],
    ['maximumEventAgeInSeconds', 21601, 'must be <= 21600'],
  ])('rejects %s: %s', (field, value, reason) => {
    expect(errorOf(withConfig(`      ${field}: ${value}\n`)).message).toBe(
      `portico.yaml:7: functions.worker.eventInvokeConfig.${field}: ${reason}`,
    );
  });

  it('accepts the bounds', () => {
    for (const [retries, age] of [
      [0, 60],
      [2, 21600],
    ]) {
      const text = withConfig(
        `      maximumRetryAttempts: ${retries}\n      maximumEventAgeInSeconds: ${age}\n`,
      );
      expect(modelOf(text)[1]?.eventInvokeConfigs).toStrictEqual({
        $LATEST: { maximumRetryAttempts: retries, maximumEventAgeInSeconds: age },
      });
    }
  });

  it.each([
    ['an unknown field', '      onError: audit\n', 'onError: unknown field'],
    ['an empty destination', "      onSuccess: ''\n", 'onSuccess: must NOT have fewer than 1 characters'],
    [
      'an unknown function',
      '      onSuccess: audits\n',
      'onSuccess: no function named "audits" (a destination is a function of this file or an ARN)',
    ],
    [
      'a name inherited from Object',
      '      onFailure: constructor\n',
      'onFailure: no function named "constructor" (a destination is a function of this file or an ARN)',
    ],
    [
      'a malformed ARN',
      '      onFailure: arn:aws:sqs:dlq\n',
      'onFailure: not the ARN of a Lambda function, SQS queue, SNS topic, EventBridge event bus or S3 bucket: arn:aws:sqs:dlq',
    ],
    [
      'an ARN of another service',
      '      onSuccess: arn:aws:dynamodb:us-east-1:000000000000:table/t\n',
      'onSuccess: not the ARN of a Lambda function, SQS queue, SNS topic or EventBridge event bus: arn:aws:dynamodb:us-east-1:000000000000:table/t',
    ],
    [
      'a Lambda ARN that names no function',
      '      onSuccess: arn:aws:lambda:us-east-1:000000000000:layer:shared\n',
      'onSuccess: not the ARN of a Lambda function, SQS queue, SNS topic or EventBridge event bus: arn:aws:lambda:us-east-1:000000000000:layer:shared',
    ],
    [
      'an S3 bucket for successes',
      '      onSuccess: arn:aws:s3:::done\n',
      'onSuccess: an S3 bucket can only be an onFailure destination: arn:aws:s3:::done',
    ],
  ])('rejects %s', (_name, lines, reason) => {
    expect(errorOf(withConfig(lines)).message).toBe(
      `portico.yaml:7: functions.worker.eventInvokeConfig.${reason}`,
    );
  });
});
