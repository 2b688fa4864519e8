import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { send, REQUEST_ID } from '../helpers/http-client.js';
import { startUpstream, type Echo, type TestUpstream } from '../helpers/upstream.js';

// Addressing (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html and
// .../http-api-mappings.html): execute-api hosts, path-style /_aws/execute-api, custom domains with
// base path mappings; then route matching through the real server.
describe('gateway addressing and route matching', () => {
  let up: TestUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    up = await startUpstream();
    const config = {
      apis: {
        alpha: {
          integrations: {
            proxy: { type: 'HTTP_PROXY', uri: `http://${up.host}/\${stageVariables.tag}/{proxy}` },
            root: { type: 'HTTP_PROXY', uri: `http://${up.host}/\${stageVariables.tag}-root` },
          },
          routes: { 'ANY /{proxy+}': 'proxy', 'GET /': 'root' },
          stages: {
            $default: { stageVariables: { tag: 'alpha-default' } },
            prod: { stageVariables: { tag: 'alpha-prod' } },
          },
        },
        beta: {
          integrations: { all: { type: 'HTTP_PROXY', uri: `http://${up.host}/\${stageVariables.tag}` } },
          routes: { $default: 'all' },
          stages: {
            $default: { stageVariables: { tag: 'beta-default' } },
            live: { stageVariables: { tag: 'beta-live' } },
          },
        },
        gamma: {
          integrations: { pets: { type: 'HTTP_PROXY', uri: `http://${up.host}/gamma/{id}` } },
          routes: { 'GET /pets/{id}': 'pets', 'POST /pets': 'pets' },
          stages: { prod: {} },
        },
      },
      domainNames: {
        'api.example.com': {
          apiMappings: [
            { apiId: 'alpha', stage: 'prod', apiMappingKey: 'v1' },
            { apiId: 'beta', stage: 'live', apiMappingKey: 'v1/beta' },
            { apiId: 'beta', stage: '$default' },
          ],
        },
        'gamma.example.org': { apiMappings: [{ apiId: 'gamma', stage: 'prod', apiMappingKey: '' }] },
      },
    };
    gw = await startGateway(config);
  });

  afterAll(async () => {
    await gw?.close();
    await up?.close();
  });

  /** GETs `path` with `host` and returns what the upstream saw (asserting a 200). */
  const upstreamPath = async (host: string, path: string, method = 'GET'): Promise<string> => {
    const res = await send(gw.url + path, { method, headers: { host } });
    expect(res.status, `${method} ${host}${path}: ${res.body}`).toBe(200);
    return (JSON.parse(res.body) as Echo).url;
  };

  const expectNotFound = async (host: string, path: string, method = 'GET'): Promise<void> => {
    const before = up.requests.length;
    const res = await send(gw.url + path, { method, headers: { host } });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"message":"Not Found"}');
    expect(res.headers['apigw-requestid']).toMatch(REQUEST_ID);
    expect(up.requests.length).toBe(before);
  };

  it('Host {apiId}.execute-api.<any domain>: $default stage at /, named stages at /{stage}', async () => {
    expect(await upstreamPath('alpha.execute-api.us-east-1.amazonaws.com', '/pets/1')).toBe(
      '/alpha-default/pets/1',
    );
    expect(await upstreamPath(`alpha.execute-api.localhost:${gw.port}`, '/prod/pets/1')).toBe(
      '/alpha-prod/pets/1',
    );
    expect(await upstreamPath('ALPHA.Execute-Api.example.test', '/')).toBe('/alpha-default-root');
    expect(await upstreamPath('alpha.execute-api.example.test', '/prod/')).toBe('/alpha-prod-root');
    expect(await upstreamPath('alpha.execute-api.example.test', '/prod')).toBe('/alpha-prod-root');
    // A first segment that is not a stage belongs to the $default stage's path.
    expect(await upstreamPath('alpha.execute-api.example.test', '/staging/x')).toBe(
      '/alpha-default/staging/x',
    );
    // $default route: the request path is appended to the integration URI.
    expect(await upstreamPath('beta.execute-api.example.test', '/a/b?q=1')).toBe('/beta-default/a/b?q=1');
    expect(await upstreamPath('beta.execute-api.example.test', '/live/a/b')).toBe('/beta-live/a/b');
  });

  it('path-style /_aws/execute-api/{apiId}/... for clients that cannot set Host', async () => {
    expect(await upstreamPath('127.0.0.1', '/_aws/execute-api/alpha/pets/1')).toBe('/alpha-default/pets/1');
    expect(await upstreamPath('127.0.0.1', '/_aws/execute-api/alpha/prod/pets/1')).toBe('/alpha-prod/pets/1');
    expect(await upstreamPath('127.0.0.1', '/_aws/execute-api/alpha/')).toBe('/alpha-default-root');
    expect(await upstreamPath('127.0.0.1', '/_aws/execute-api/gamma/prod/pets/7')).toBe('/gamma/7');
  });

  it('custom domain: base path mappings, longest key wins, (none) key catches the rest', async () => {
    expect(await upstreamPath('api.example.com', '/v1/pets/1')).toBe('/alpha-prod/pets/1');
    expect(await upstreamPath('API.Example.COM:443', '/v1/pets/2')).toBe('/alpha-prod/pets/2');
    expect(await upstreamPath('api.example.com', '/v1/beta/x/y')).toBe('/beta-live/x/y');
    expect(await upstreamPath('api.example.com', '/v1/betamax')).toBe('/alpha-prod/betamax');
    expect(await upstreamPath('api.example.com', '/other/thing')).toBe('/beta-default/other/thing');
    expect(await upstreamPath('api.example.com', '/')).toBe('/beta-default/');
    expect(await upstreamPath('gamma.example.org', '/pets/3')).toBe('/gamma/3');
  });

  it('answers 404 {"message":"Not Found"} when nothing is addressed', async () => {
    await expectNotFound('nope.execute-api.example.test', '/pets/1');
    await expectNotFound('unknown.example.com', '/v1/pets/1');
    await expectNotFound('127.0.0.1', '/pets/1');
    await expectNotFound('127.0.0.1', '/_aws/execute-api/nope/pets/1');
    // gamma has no $default stage: a path that names no stage addresses nothing.
    await expectNotFound('gamma.execute-api.example.test', '/pets/1');
    await expectNotFound('127.0.0.1', '/_aws/execute-api/gamma/staging/pets/1');
  });

  it('unknown routes answer 404 {"message":"Not Found"} without calling the upstream', async () => {
    const host = 'gamma.execute-api.example.test';
    expect(await upstreamPath(host, '/prod/pets/9')).toBe('/gamma/9');
    await expectNotFound(host, '/prod/pets');
    await expectNotFound(host, '/prod/pets/9', 'DELETE');
    await expectNotFound(host, '/prod/pets/9/extra');
    await expectNotFound(host, '/prod/pets/');
    await expectNotFound(host, '/prod/Pets/9');
    expect(await upstreamPath(host, '/prod/pets', 'POST')).toBe('/gamma/');
  });
});
