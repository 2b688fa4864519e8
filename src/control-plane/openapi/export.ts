import type { ApiDef, ApiSnapshot, AuthorizerDef, IntegrationDef, RouteDef } from '../../model/types.js';

/** What ExportApi exports: the API and the configuration to describe (working copy or a stage's deployment). */
export interface ExportInput {
  api: ApiDef;
  snapshot: ApiSnapshot;
  /** `https://{apiId}.execute-api.{region}.amazonaws.com` */
  endpoint: string;
  stageName?: string;
  includeExtensions: boolean;
}

type Json = Record<string, unknown>;

/** `2020-11-17 21:04:15UTC`: how AWS fills `info.version` of an API without a version. */
function exportDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}UTC`;
}

function integrationExtension(i: IntegrationDef): Json {
  return {
    payloadFormatVersion: i.payloadFormatVersion,
    type: i.integrationType.toLowerCase(),
    httpMethod: i.integrationMethod ?? (i.integrationType === 'AWS_PROXY' ? 'POST' : 'ANY'),
    uri: i.integrationUri,
    connectionType: i.connectionType ?? 'INTERNET',
    timeoutInMillis: i.timeoutInMillis,
    ...(i.credentialsArn === undefined ? {} : { credentials: i.credentialsArn }),
    ...(i.description === undefined ? {} : { description: i.description }),
    ...(i.requestParameters === undefined ? {} : { requestParameters: i.requestParameters }),
    ...(i.responseParameters === undefined ? {} : { responseParameters: i.responseParameters }),
    ...(i.tlsConfig?.serverNameToVerify === undefined
      ? {}
      : { tlsConfig: { serverNameToVerify: i.tlsConfig.serverNameToVerify } }),
  };
}

function securityScheme(a: AuthorizerDef, includeExtensions: boolean): Json {
  const source = a.identitySource[0] ?? '';
  const header = /^\$request\.header\.(.+)$/.exec(source);
  const query = /^\$request\.querystring\.(.+)$/.exec(source);
  if (a.authorizerType === 'JWT') {
    return {
      type: 'oauth2',
      flows: {},
      ...(includeExtensions
        ? {
            'x-amazon-apigateway-authorizer': {
              identitySource: a.identitySource.join(', '),
              jwtConfiguration: {
                audience: a.jwtConfiguration?.audience ?? [],
                issuer: a.jwtConfiguration?.issuer,
              },
              type: 'jwt',
            },
          }
        : {}),
    };
  }
  return {
    type: 'apiKey',
    name: header?.[1] ?? query?.[1] ?? 'Unused',
    in: query ? 'query' : 'header',
    ...(includeExtensions
      ? {
          'x-amazon-apigateway-authorizer': {
            identitySource: a.identitySource.join(', '),
            authorizerUri: a.authorizerUri,
            authorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
            authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds ?? 0,
            type: 'request',
            ...(a.enableSimpleResponses === undefined
              ? {}
              : { enableSimpleResponses: a.enableSimpleResponses }),
            ...(a.authorizerCredentialsArn === undefined
              ? {}
              : { authorizerCredentials: a.authorizerCredentialsArn }),
          },
        }
      : {}),
  };
}

function operationOf(route: RouteDef, snapshot: ApiSnapshot, includeExtensions: boolean): Json {
  const op: Json = {};
  if (route.operationName !== undefined) op.operationId = route.operationName;
  if (route.routeKey === '$default') op.isDefaultRoute = true;
  op.responses = { default: { description: `Default response for ${route.routeKey}` } };
  const authorizer = snapshot.authorizers.find((a) => a.authorizerId === route.authorizerId);
  if (authorizer) op.security = [{ [authorizer.name]: route.authorizationScopes ?? [] }];
  else if (route.authorizationType === 'AWS_IAM') op.security = [{ sigv4: [] }];
  const integration = snapshot.integrations.find((i) => i.integrationId === route.target);
  if (integration && includeExtensions)
    op['x-amazon-apigateway-integration'] = integrationExtension(integration);
  return op;
}

/**
 * Builds the OpenAPI 3.0.1 document AWS exports for an HTTP API (ExportApi, exportVersion 1.0):
 * one operation per route with its `x-amazon-apigateway-integration`, `ANY` as
 * `x-amazon-apigateway-any-method`, the `$default` route under `/$default` with `isDefaultRoute`,
 * authorizers as security schemes, CORS as `x-amazon-apigateway-cors`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html).
 */
export function exportOpenApi(input: ExportInput): Json {
  const { api, snapshot, includeExtensions } = input;
  const paths: Record<string, Json> = {};
  for (const route of snapshot.routes) {
    const space = route.routeKey.indexOf(' ');
    const method = route.routeKey === '$default' ? 'ANY' : route.routeKey.slice(0, space);
    const path = route.routeKey === '$default' ? '/$default' : route.routeKey.slice(space + 1);
    const item = (paths[path] ??= {});
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
    item[key] = operationOf(route, snapshot, includeExtensions);
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
    if (names.length > 0 && item.parameters === undefined) {
      item.parameters = names.map((name) => ({
        name,
        in: 'path',
        description: `Generated path parameter for ${name.replace(/\+$/, '')}`,
        required: true,
        schema: { type: 'string' },
      }));
    }
  }
  const doc: Json = {
    openapi: '3.0.1',
    info: {
      title: api.name,
      ...(api.description === undefined ? {} : { description: api.description }),
      version: api.version ?? exportDate(api.createdDate),
    },
  };
  if (includeExtensions && Object.keys(api.tags).length > 0) {
    doc.tags = Object.entries(api.tags).map(([name, value]) => ({
      name,
      'x-amazon-apigateway-tag-value': value,
    }));
  }
  const stage = input.stageName !== undefined && input.stageName !== '$default' ? input.stageName : '';
  doc.servers = [{ url: `${input.endpoint}/{basePath}`, variables: { basePath: { default: stage } } }];
  doc.paths = paths;
  const schemes: Record<string, Json> = {};
  for (const a of snapshot.authorizers) schemes[a.name] = securityScheme(a, includeExtensions);
  if (snapshot.routes.some((r) => r.authorizationType === 'AWS_IAM')) {
    schemes.sigv4 = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      ...(includeExtensions ? { 'x-amazon-apigateway-authtype': 'awsSigv4' } : {}),
    };
  }
  if (Object.keys(schemes).length > 0) doc.components = { securitySchemes: schemes };
  if (includeExtensions) {
    if (snapshot.corsConfiguration) doc['x-amazon-apigateway-cors'] = snapshot.corsConfiguration;
    if (api.disableExecuteApiEndpoint) {
      doc['x-amazon-apigateway-endpoint-configuration'] = { disableExecuteApiEndpoint: true };
    }
    doc['x-amazon-apigateway-importexport-version'] = '1.0';
  }
  return doc;
}
