import { compileMapping } from '../gateway/parameter-mapping.js';
import type { ConfigFile, FunctionConfig, IntegrationConfig } from './schema.js';

/** A semantic problem the schema cannot express (a dangling reference, a bad URL). */
export interface ReferenceProblem {
  path: string[];
  message: string;
}

/** Checks cross-references inside a schema-valid config. Returns the first problem, if any. */
export function checkReferences(config: ConfigFile): ReferenceProblem | undefined {
  const functions = config.functions ?? {};
  for (const [apiId, api] of Object.entries(config.apis ?? {})) {
    const integrations = api.integrations ?? {};
    for (const [id, integ] of Object.entries(integrations)) {
      const at = ['apis', apiId, 'integrations', id];
      const mappingProblem = checkMappings(integ, at);
      if (mappingProblem) return mappingProblem;
      if (integ.type === 'HTTP_PROXY') {
        if (!integ.uri) return { path: at, message: 'HTTP_PROXY integration needs "uri"' };
        if (!isHttpUrlTemplate(integ.uri))
          return { path: [...at, 'uri'], message: `not an http(s) URL: ${integ.uri}` };
        if (integ.payloadFormatVersion === '2.0')
          return { path: [...at, 'payloadFormatVersion'], message: 'HTTP_PROXY integrations use 1.0' };
      } else {
        if (!integ.function && !integ.uri)
          return { path: at, message: 'AWS_PROXY integration needs "function" (or "uri": a Lambda ARN)' };
        const name = integ.function ?? functionNameFromArn(integ.uri ?? '');
        const base = name?.split(':')[0];
        if (!base || (!base.includes('${') && !(base in functions) && integ.function !== undefined))
          return { path: [...at, 'function'], message: `no function named "${integ.function}"` };
      }
    }
    for (const [routeKey, route] of Object.entries(api.routes ?? {})) {
      const target = typeof route === 'string' ? route : route.integration;
      if (target !== undefined && !(target in integrations))
        return {
          path: ['apis', apiId, 'routes', routeKey],
          message: `no integration "${target}" in this API`,
        };
      const greedy = routeKey.indexOf('+}');
      if (greedy !== -1 && greedy !== routeKey.length - 2)
        return { path: ['apis', apiId, 'routes', routeKey], message: 'a greedy {name+} must be last' };
    }
  }
  for (const [domain, d] of Object.entries(config.domainNames ?? {})) {
    const seen = new Set<string>();
    for (const [i, m] of (d.apiMappings ?? []).entries()) {
      const at = ['domainNames', domain, 'apiMappings', String(i)];
      const api = config.apis?.[m.apiId];
      if (!api) return { path: [...at, 'apiId'], message: `no API "${m.apiId}"` };
      if (!api.stages || !(m.stage in api.stages))
        return { path: [...at, 'stage'], message: `API "${m.apiId}" has no stage "${m.stage}"` };
      const key = m.apiMappingKey ?? '';
      if (seen.has(key)) return { path: [...at, 'apiMappingKey'], message: `duplicate base path "${key}"` };
      seen.add(key);
    }
  }
  for (const [name, f] of Object.entries(functions)) {
    const at = ['functions', name, 'eventInvokeConfig'];
    const problem = checkDestinations(f.eventInvokeConfig ?? {}, functions, at);
    if (problem) return problem;
    const logging = checkLogLevels(f.loggingConfig ?? {}, ['functions', name, 'loggingConfig']);
    if (logging) return logging;
  }
  return undefined;
}

/**
 * Log levels apply to the JSON format only: Lambda refuses them with `Text` ("LogLevel is not
 * supported when LogFormat is set to "Text""), the default format.
 */
function checkLogLevels(
  c: NonNullable<FunctionConfig['loggingConfig']>,
  at: string[],
): ReferenceProblem | undefined {
  if (c.logFormat === 'JSON') return undefined;
  for (const key of ['applicationLogLevel', 'systemLogLevel'] as const) {
    if (c[key] !== undefined) {
      return {
        path: [...at, key],
        message: `log levels need logFormat: JSON (the format is ${c.logFormat === undefined ? 'Text by default' : 'Text'})`,
      };
    }
  }
  return undefined;
}

// `arn:<partition>:<service>:<region>:<account>:<resource>`, the shape of Lambda's DestinationConfig
// ARNs, for the services Lambda delivers asynchronous invocation records to (S3 for failures only):
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
const DESTINATION_ARN = /^arn:aws[a-zA-Z0-9-]*:([a-z0-9-]+):([a-z]+(?:-[a-z]+)+-\d)?:(\d{12})?:(.+)$/;
const LAMBDA_FUNCTION = /^function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9$_-]{1,128})?$/;
const DESTINATION_SERVICES = ['lambda', 'sqs', 'sns', 'events', 's3'];
const SERVICE_NAMES = {
  onSuccess: 'a Lambda function, SQS queue, SNS topic or EventBridge event bus',
  onFailure: 'a Lambda function, SQS queue, SNS topic, EventBridge event bus or S3 bucket',
} as const;

/** Asynchronous invocation destinations: a function of this file by name, or an ARN Lambda accepts. */
function checkDestinations(
  settings: { onSuccess?: string; onFailure?: string },
  functions: Record<string, unknown>,
  at: string[],
): ReferenceProblem | undefined {
  for (const key of ['onSuccess', 'onFailure'] as const) {
    const target = settings[key];
    if (target === undefined) continue;
    const path = [...at, key];
    if (!target.startsWith('arn:')) {
      if (Object.hasOwn(functions, target)) continue;
      return {
        path,
        message: `no function named "${target}" (a destination is a function of this file or an ARN)`,
      };
    }
    const [, service = '', region, account, resource = ''] = DESTINATION_ARN.exec(target) ?? [];
    if (service === 's3' && key === 'onSuccess')
      return { path, message: `an S3 bucket can only be an onFailure destination: ${target}` };
    const accepted = DESTINATION_SERVICES.includes(service);
    const lambdaOk =
      service !== 'lambda' ||
      (region !== undefined && account !== undefined && LAMBDA_FUNCTION.test(resource));
    if (!accepted || !lambdaOk) return { path, message: `not the ARN of ${SERVICE_NAMES[key]}: ${target}` };
  }
  return undefined;
}

/** Parameter mapping keys and values, compiled as the gateway will (stage variables do not change validity). */
function checkMappings(integ: IntegrationConfig, at: string[]): ReferenceProblem | undefined {
  const check = (
    params: Record<string, string>,
    side: 'request' | 'response',
    path: string[],
  ): ReferenceProblem | undefined => {
    for (const [key, value] of Object.entries(params)) {
      try {
        compileMapping({ [key]: value }, {}, side);
      } catch (err) {
        return { path: [...path, key], message: (err as Error).message };
      }
    }
    return undefined;
  };
  if (integ.requestParameters) {
    const p = check(integ.requestParameters, 'request', [...at, 'requestParameters']);
    if (p) return p;
  }
  for (const [status, params] of Object.entries(integ.responseParameters ?? {})) {
    const p = check(params, 'response', [...at, 'responseParameters', status]);
    if (p) return p;
  }
  return undefined;
}

function isHttpUrlTemplate(uri: string): boolean {
  // Stage variables and path variables may stand anywhere; check the shape with them filled in.
  const filled = uri.replace(/\$\{stageVariables\.[A-Za-z0-9_]+\}/g, 'x').replace(/\{[A-Za-z0-9_+]+\}/g, 'x');
  try {
    const u = new URL(filled);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Extracts `name[:qualifier]` from a plain Lambda ARN or the apigateway invocations form. */
export function functionNameFromArn(uri: string): string | undefined {
  const m = /function:([A-Za-z0-9_${}.-]+(?::[A-Za-z0-9_${}.$-]+)?)(?:\/invocations)?$/.exec(uri);
  return m?.[1];
}
