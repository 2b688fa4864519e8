import { describe, expect, it } from 'vitest';
import { renderApis } from './apis.js';
import { renderFunctions } from './functions.js';
import { describeIntegration, renderRoutes } from './routes.js';
import { cell, renderTable, tableOrEmpty } from './table.js';

describe('renderTable', () => {
  it('pads columns to the widest cell with two spaces and no trailing blanks', () => {
    expect(
      renderTable(
        ['A', 'LONG HEADER', 'C'],
        [
          ['xyz', 'b', ''],
          ['1', '2', '3'],
        ],
      ),
    ).toBe('A    LONG HEADER  C\n' + 'xyz  b\n' + '1    2            3\n');
  });
  it('keeps every cell on one line and fills missing cells', () => {
    expect(renderTable(['A', 'B'], [['x\ny'], ['a\tb', 'c']])).toBe('A    B\nx y\na b  c\n');
  });
  it('prints the empty message without rows', () => {
    expect(tableOrEmpty(['A'], [], 'No APIs.')).toBe('No APIs.\n');
  });
  it('cell shows - for absent values', () => {
    expect([cell(undefined), cell(null), cell(''), cell(0), cell('x')]).toEqual(['-', '-', '-', '0', 'x']);
  });
});

describe('command tables', () => {
  it('apis: SOURCE from the portico:source tag', () => {
    const api = { apiId: 'abc', name: 'n', protocolType: 'HTTP', apiEndpoint: 'https://abc.example' };
    expect(renderApis([{ api, stages: [] }])).toBe(
      'API ID  NAME  PROTOCOL  STAGES  ENDPOINT             SOURCE\n' +
        'abc     n     HTTP      -       https://abc.example  control plane\n',
    );
    const fromFile = { ...api, tags: { 'portico:source': 'config-file' } };
    expect(renderApis([{ api: fromFile, stages: [{ stageName: 'prod' }] }])).toBe(
      'API ID  NAME  PROTOCOL  STAGES  ENDPOINT             SOURCE\n' +
        'abc     n     HTTP      prod    https://abc.example  config file\n',
    );
    expect(renderApis([])).toBe('No APIs.\n');
  });

  it('functions: timeout in seconds, absent members as -', () => {
    expect(renderFunctions([{ FunctionName: 'f', Runtime: 'provided.al2023', Timeout: 30 }])).toBe(
      'NAME  RUNTIME          HANDLER  MEMORY  TIMEOUT  LAST MODIFIED\n' +
        'f     provided.al2023  -        -       30s      -\n',
    );
  });

  it('routes: sorted by route key; a dangling target is flagged', () => {
    expect(
      renderRoutes(
        [
          { routeId: 'b', routeKey: 'POST /x', target: 'integrations/gone' },
          { routeId: 'a', routeKey: 'GET /x', target: 'integrations/i1', authorizationType: 'AWS_IAM' },
        ],
        [{ integrationId: 'i1', integrationType: 'HTTP_PROXY', integrationUri: 'https://up' }],
      ),
    ).toBe(
      'ROUTE ID  ROUTE KEY  AUTH     INTEGRATION  TARGET\n' +
        'a         GET /x     AWS_IAM  i1           HTTP_PROXY https://up\n' +
        'b         POST /x    NONE     gone         integrations/gone (missing)\n',
    );
  });

  it('describeIntegration shortens Lambda ARNs in both forms', () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:hello';
    const lambda = (uri: string) => ({
      integrationId: 'i',
      integrationType: 'AWS_PROXY',
      integrationUri: uri,
    });
    expect(describeIntegration(lambda(arn), 'i')).toBe('AWS_PROXY function hello');
    expect(describeIntegration(lambda(`${arn}:live`), 'i')).toBe('AWS_PROXY function hello:live');
    expect(
      describeIntegration(
        lambda(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`),
        'i',
      ),
    ).toBe('AWS_PROXY function hello');
    expect(describeIntegration(undefined, undefined)).toBe('-');
  });
});
