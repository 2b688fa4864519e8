import { isGatewayError } from '../../errors/index.js';
import type { AuthorizerDef, CorsConfiguration, IntegrationDef, RouteDef } from '../../model/types.js';
import { parseCors } from '../apigatewayv2/cors-input.js';
import { parseIntegration } from '../apigatewayv2/integration-input.js';
import { checkRouteRefs, parseRoute } from '../apigatewayv2/route-input.js';
import { asObject, parseDocument, routePrefix, type BasePathMode, type Doc } from './document.js';
import { importSecuritySchemes, type SchemeUse } from './import-authorizers.js';

/** What an OpenAPI definition becomes: the API-level members and its routes, integrations and authorizers. */
export interface ImportedApi {
  name: string;
  description?: string;
  version?: string;
  corsConfiguration?: CorsConfiguration;
  disableExecuteApiEndpoint?: boolean;
  tags: Record<string, string>;
  routes: RouteDef[];
  integrations: IntegrationDef[];
  authorizers: AuthorizerDef[];
  /** What could not be honoured (ImportApi `warnings`; `failOnWarnings` turns them into a 400). */
  warnings: string[];
  /** Valid OpenAPI that HTTP APIs ignore (ImportApi `importInfo`). */
  importInfo: string[];
}

/** Options of an import. */
export interface ImportOptions {
  basepath: BasePathMode;
  /** Allocates ids for routes, integrations and authorizers. */
  newId(): string;
}

const OPERATIONS: Record<string, string> = {
  get: 'GET',
  put: 'PUT',
  post: 'POST',
  delete: 'DELETE',
  options: 'OPTIONS',
  head: 'HEAD',
  patch: 'PATCH',
  'x-amazon-apigateway-any-method': 'ANY',
};
/** Integration members HTTP APIs use; anything else in the extension is reported. */
const INTEGRATION_MEMBERS = new Set([
  'type',
  'uri',
  'httpMethod',
  'payloadFormatVersion',
  'connectionType',
  'timeoutInMillis',
  'credentials',
  'requestParameters',
  'responseParameters',
  'tlsConfig',
  'description',
]);
/** Root extensions that HTTP APIs honour (others are REST-only and reported). */
const ROOT_EXTENSIONS = new Set([
  'x-amazon-apigateway-cors',
  'x-amazon-apigateway-importexport-version',
  'x-amazon-apigateway-endpoint-configuration',
]);

/**
 * Turns an AWS-style OpenAPI definition of an HTTP API into routes, integrations and authorizers
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html). Every
 * piece is validated by the same rules as the matching Create* operation; what fails or is not
 * supported becomes a warning, never a silent drop.
 */
export function importOpenApi(text: string, options: ImportOptions): ImportedApi {
  const doc = parseDocument(text);
  const info = asObject(doc.info) ?? {};
  const warnings: string[] = [];
  const importInfo: string[] = [];
  const title = typeof info.title === 'string' && info.title !== '' ? info.title : undefined;
  const result: ImportedApi = {
    name: title ?? 'imported-api',
    tags: {},
    routes: [],
    integrations: [],
    authorizers: [],
    warnings,
    importInfo,
  };
  if (title === undefined) warnings.push('info.title is missing; the API is named imported-api');
  if (typeof info.description === 'string') result.description = info.description;
  if (typeof info.version === 'string') result.version = info.version;
  importRoot(doc, result);

  const schemes = importSecuritySchemes(doc, options.newId, warnings);
  for (const use of schemes.values()) if (use.kind === 'authorizer') result.authorizers.push(use.authorizer);
  if (result.authorizers.length > 10) {
    warnings.push(`Only 10 authorizers are allowed per API; ${result.authorizers.length - 10} were dropped`);
    result.authorizers.length = 10;
  }

  const prefix = routePrefix(doc, options.basepath);
  const shared = new Map<string, IntegrationDef | undefined>();
  for (const [path, rawItem] of Object.entries(asObject(doc.paths) ?? {})) {
    const item = asObject(rawItem) ?? {};
    for (const [key, rawOp] of Object.entries(item)) {
      const method = OPERATIONS[key];
      if (method === undefined) {
        if (key === 'parameters' || key === 'summary' || key === 'description') continue;
        warnings.push(`${key} of path ${path} is not supported for HTTP APIs and is ignored`);
        continue;
      }
      const op = asObject(rawOp) ?? {};
      const routeKey =
        path === '/$default' ? '$default' : `${method} ${prefix}${path === '/' && prefix ? '' : path}`;
      if (path === '/$default' && method !== 'ANY') {
        warnings.push(
          `The $default route must use x-amazon-apigateway-any-method; ${key} /$default is ignored`,
        );
        continue;
      }
      importOperation(doc, op, routeKey, schemes, shared, options, result);
    }
  }
  return result;
}

function importRoot(doc: Doc, result: ImportedApi): void {
  const { warnings } = result;
  const cors = asObject(doc['x-amazon-apigateway-cors']);
  if (cors) {
    try {
      result.corsConfiguration = parseCors(cors);
    } catch (err) {
      if (!isGatewayError(err)) throw err;
      warnings.push(`x-amazon-apigateway-cors is invalid and is ignored: ${err.message}`);
    }
  }
  const version = doc['x-amazon-apigateway-importexport-version'];
  if (version !== undefined && version !== '1.0') {
    warnings.push(`x-amazon-apigateway-importexport-version ${String(version)} is not supported (only 1.0)`);
  }
  const endpoint = asObject(doc['x-amazon-apigateway-endpoint-configuration']);
  if (endpoint && typeof endpoint.disableExecuteApiEndpoint === 'boolean') {
    result.disableExecuteApiEndpoint = endpoint.disableExecuteApiEndpoint;
  }
  for (const key of Object.keys(doc)) {
    if (key.startsWith('x-amazon-apigateway-') && !ROOT_EXTENSIONS.has(key)) {
      warnings.push(`${key} is not supported for HTTP APIs and is ignored`);
    }
  }
  if (doc.security !== undefined) {
    // AWS applies security per operation only (reference §6.4).
    warnings.push('Root-level security is ignored; apply security to each operation');
  }
  for (const tag of Array.isArray(doc.tags) ? doc.tags : []) {
    const t = asObject(tag);
    const value = t?.['x-amazon-apigateway-tag-value'];
    if (t && typeof t.name === 'string' && typeof value === 'string') result.tags[t.name] = value;
  }
}

function importOperation(
  doc: Doc,
  op: Doc,
  routeKey: string,
  schemes: Map<string, SchemeUse>,
  shared: Map<string, IntegrationDef | undefined>,
  options: ImportOptions,
  result: ImportedApi,
): void {
  const { warnings } = result;
  const body: Doc = { routeKey };
  if (typeof op.operationId === 'string') body.operationName = op.operationId;
  applySecurity(op, routeKey, schemes, body, result);
  const integration = importIntegration(
    doc,
    op['x-amazon-apigateway-integration'],
    routeKey,
    shared,
    options,
    warnings,
  );
  if (integration) {
    if (!result.integrations.includes(integration)) result.integrations.push(integration);
    body.target = `integrations/${integration.integrationId}`;
  }
  if (op.requestBody !== undefined || Array.isArray(op.parameters)) {
    result.importInfo.push(`Request parameters and bodies of ${routeKey} are not validated by HTTP APIs`);
  }
  for (const key of Object.keys(op)) {
    if (key.startsWith('x-amazon-apigateway-') && key !== 'x-amazon-apigateway-integration') {
      warnings.push(`${key} of ${routeKey} is not supported for HTTP APIs and is ignored`);
    }
  }
  try {
    const route = parseRoute(body, options.newId());
    checkRouteRefs(result, route);
    result.routes.push(route);
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    warnings.push(`Unable to create route ${routeKey}: ${err.message}`);
  }
}

function applySecurity(
  op: Doc,
  routeKey: string,
  schemes: Map<string, SchemeUse>,
  body: Doc,
  result: ImportedApi,
): void {
  if (!Array.isArray(op.security) || op.security.length === 0) return;
  const requirement = asObject(op.security[0]) ?? {};
  const names = Object.keys(requirement);
  if (op.security.length > 1 || names.length > 1) {
    result.warnings.push(
      `Only one security requirement per operation is supported; ${routeKey} uses the first`,
    );
  }
  const name = names[0];
  if (name === undefined) return;
  const use = schemes.get(name);
  if (!use) {
    result.warnings.push(
      `Security scheme ${name} used by ${routeKey} was not imported; the route has no authorization`,
    );
    return;
  }
  if (use.kind === 'iam') {
    body.authorizationType = 'AWS_IAM';
    return;
  }
  if (!result.authorizers.includes(use.authorizer)) {
    result.warnings.push(
      `Authorizer ${name} used by ${routeKey} was dropped; the route has no authorization`,
    );
    return;
  }
  body.authorizationType = use.authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM';
  body.authorizerId = use.authorizer.authorizerId;
  const scopes = requirement[name];
  if (Array.isArray(scopes) && scopes.length > 0) body.authorizationScopes = scopes;
}

/** Resolves `$ref: '#/components/x-amazon-apigateway-integrations/{name}'` (shared integrations). */
function resolveIntegration(doc: Doc, ext: Doc): { ext: Doc | undefined; ref?: string } {
  if (typeof ext.$ref !== 'string') return { ext };
  const m = /^#\/components\/x-amazon-apigateway-integrations\/(.+)$/.exec(ext.$ref);
  const target = m
    ? asObject(asObject(asObject(doc.components)?.['x-amazon-apigateway-integrations'])?.[m[1] as string])
    : undefined;
  return { ext: target, ref: ext.$ref };
}

function importIntegration(
  doc: Doc,
  raw: unknown,
  routeKey: string,
  shared: Map<string, IntegrationDef | undefined>,
  options: ImportOptions,
  warnings: string[],
): IntegrationDef | undefined {
  const direct = asObject(raw);
  if (!direct) return undefined;
  const { ext, ref } = resolveIntegration(doc, direct);
  if (ref !== undefined && shared.has(ref)) return shared.get(ref);
  if (!ext) {
    warnings.push(`Integration reference ${ref ?? ''} of ${routeKey} does not resolve`);
    return undefined;
  }
  const integration = convertIntegration(ext, routeKey, options, warnings);
  if (ref !== undefined) shared.set(ref, integration);
  return integration;
}

function convertIntegration(
  ext: Doc,
  routeKey: string,
  options: ImportOptions,
  warnings: string[],
): IntegrationDef | undefined {
  const type = typeof ext.type === 'string' ? ext.type.toUpperCase() : '';
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    warnings.push(
      `Unsupported integration type '${String(ext.type)}' for ${routeKey}; HTTP APIs support only Lambda proxy (aws_proxy) and HTTP proxy (http_proxy) integrations`,
    );
    return undefined;
  }
  for (const key of Object.keys(ext)) {
    if (!INTEGRATION_MEMBERS.has(key)) {
      warnings.push(
        `x-amazon-apigateway-integration.${key} of ${routeKey} is not supported for HTTP APIs and is ignored`,
      );
    }
  }
  const tls = asObject(ext.tlsConfig);
  if (tls && tls.insecureSkipVerification !== undefined) {
    warnings.push(
      `tlsConfig.insecureSkipVerification of ${routeKey} is not supported for HTTP APIs and is ignored`,
    );
  }
  let payloadFormatVersion = ext.payloadFormatVersion;
  if (payloadFormatVersion === undefined && type === 'AWS_PROXY') {
    warnings.push(`payloadFormatVersion is missing for ${routeKey}; 2.0 is used`);
    payloadFormatVersion = '2.0';
  }
  const body: Doc = {
    integrationType: type,
    integrationUri: ext.uri,
    integrationMethod: ext.httpMethod,
    payloadFormatVersion,
    connectionType: ext.connectionType,
    timeoutInMillis: ext.timeoutInMillis,
    credentialsArn: ext.credentials,
    requestParameters: ext.requestParameters,
    responseParameters: ext.responseParameters,
    description: ext.description,
    ...(tls && typeof tls.serverNameToVerify === 'string'
      ? { tlsConfig: { serverNameToVerify: tls.serverNameToVerify } }
      : {}),
  };
  try {
    return parseIntegration(body, options.newId());
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    warnings.push(`Unable to create the integration of ${routeKey}: ${err.message}`);
    return undefined;
  }
}
