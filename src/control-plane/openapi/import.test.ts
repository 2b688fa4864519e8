import { describe, expect, it } from 'vitest';
import { declaredBasePath, importOpenApi, routePrefix, parseDocument } from './index.js';

let n = 0;
const options = { basepath: 'ignore' as const, newId: () => `id${++n}` };

describe('importOpenApi', () => {
  it('shares a $ref integration between routes and reads the $default route', () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: {
            'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/be' },
          },
          post: {
            'x-amazon-apigateway-integration': { $ref: '#/components/x-amazon-apigateway-integrations/be' },
          },
        },
        '/$default': { 'x-amazon-apigateway-any-method': { isDefaultRoute: true } },
      },
      components: {
        'x-amazon-apigateway-integrations': {
          be: {
            type: 'HTTP_PROXY',
            httpMethod: 'ANY',
            uri: 'https://be.example.com',
            payloadFormatVersion: '1.0',
          },
        },
      },
    };
    const out = importOpenApi(JSON.stringify(doc), options);
    expect(out.warnings).toEqual([]);
    expect(out.integrations).toHaveLength(1);
    expect(out.routes.map((r) => [r.routeKey, r.target])).toEqual([
      ['GET /a', out.integrations[0]?.integrationId],
      ['POST /a', out.integrations[0]?.integrationId],
      ['$default', undefined],
    ]);
  });

  it('turns invalid pieces into warnings instead of dropping them silently', () => {
    const doc = {
      openapi: '3.0.1',
      info: { title: 't' },
      'x-amazon-apigateway-importexport-version': '2.0',
      paths: {
        '/t': {
          trace: {},
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              uri: 'arn:aws:lambda:us-east-1:123456789012:function:f',
            },
            security: [{ missing: [] }],
          },
          put: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              uri: 'https://x',
              payloadFormatVersion: '1.0',
              timeoutInMillis: 10,
            },
          },
        },
        '/$default': { get: {} },
      },
    };
    const out = importOpenApi(JSON.stringify(doc), options);
    expect(out.warnings).toEqual([
      'x-amazon-apigateway-importexport-version 2.0 is not supported (only 1.0)',
      'trace of path /t is not supported for HTTP APIs and is ignored',
      'Security scheme missing used by GET /t was not imported; the route has no authorization',
      'payloadFormatVersion is missing for GET /t; 2.0 is used',
      'Unable to create the integration of PUT /t: timeoutInMillis must be between 50 and 30000',
      'The $default route must use x-amazon-apigateway-any-method; get /$default is ignored',
    ]);
    expect(out.integrations[0]?.payloadFormatVersion).toBe('2.0');
    expect(out.routes.map((r) => r.routeKey)).toEqual(['GET /t', 'PUT /t']);
  });

  it('reads the base path from servers (3.x) and basePath (2.0)', () => {
    const v3 = parseDocument(
      JSON.stringify({
        openapi: '3.0.1',
        servers: [{ url: 'https://x/{basePath}', variables: { basePath: { default: 'v1/shop' } } }],
      }),
    );
    expect(declaredBasePath(v3)).toBe('v1/shop');
    expect(routePrefix(v3, 'ignore')).toBe('');
    expect(routePrefix(v3, 'prepend')).toBe('/v1/shop');
    expect(routePrefix(v3, 'split')).toBe('/shop');
    expect(declaredBasePath(parseDocument('swagger: "2.0"\nbasePath: /api/'))).toBe('api');
  });
});
