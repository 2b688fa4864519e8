import type { AccessLogSettings, RouteSettings, StageDef } from '../../model/types.js';
import { badRequest } from './errors.js';
import {
  optBool,
  optEnum,
  optInt,
  optNumber,
  optObject,
  optString,
  optStringMap,
  reqString,
} from './fields.js';
import type { JsonObject } from './wire.js';

/** Stage names: `$default`, or 1..128 alphanumerics, `-` and `_` (reference §1.3). */
export function stageNameProblem(name: string): string | undefined {
  if (name === '$default' || /^[A-Za-z0-9_-]{1,128}$/.test(name)) return undefined;
  return `Invalid stage name ${name}: use $default or 1-128 characters of A-Z, a-z, 0-9, - and _`;
}

/** Stage variables: names alphanumeric/underscore, values `[A-Za-z0-9-._~:/?#&=,]+`, at most 100. */
export function checkStageVariables(vars: Record<string, string>): void {
  const names = Object.keys(vars);
  if (names.length > 100) throw badRequest('A stage can have at most 100 stage variables');
  for (const name of names) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw badRequest(`Invalid stage variable name ${name}`);
    const value = vars[name] as string;
    if (!/^[A-Za-z0-9\-._~:/?#&=,]{1,2048}$/.test(value)) {
      throw badRequest(
        `Invalid stage variable value for ${name}: allowed characters are A-Za-z0-9-._~:/?#&=,`,
      );
    }
  }
}

/** Validates one RouteSettings object. */
export function parseRouteSettings(body: JsonObject): RouteSettings {
  const settings: RouteSettings = {};
  const burst = optInt(body, 'throttlingBurstLimit', 0, 1_000_000_000);
  if (burst !== undefined) settings.throttlingBurstLimit = burst;
  const rate = optNumber(body, 'throttlingRateLimit', 0);
  if (rate !== undefined) settings.throttlingRateLimit = rate;
  const metrics = optBool(body, 'detailedMetricsEnabled');
  if (metrics !== undefined) settings.detailedMetricsEnabled = metrics;
  const trace = optBool(body, 'dataTraceEnabled');
  if (trace !== undefined) settings.dataTraceEnabled = trace;
  const level = optEnum(body, 'loggingLevel', ['ERROR', 'INFO', 'OFF'] as const);
  if (level !== undefined) settings.loggingLevel = level;
  return settings;
}

/** Validates accessLogSettings: AWS requires `$context.requestId` (or extendedRequestId) in the format. */
export function parseAccessLogSettings(body: JsonObject): AccessLogSettings {
  const settings: AccessLogSettings = {};
  const destinationArn = optString(body, 'destinationArn');
  const format = optString(body, 'format');
  if (destinationArn !== undefined) settings.destinationArn = destinationArn;
  if (format !== undefined) {
    if (!format.includes('$context.requestId') && !format.includes('$context.extendedRequestId')) {
      throw badRequest('Access log format must include $context.requestId or $context.extendedRequestId');
    }
    settings.format = format;
  }
  return settings;
}

/**
 * Validates a CreateStage body (or UpdateStage merged over the current stage) and returns the
 * stage without dates or deployment bookkeeping, which the handler owns.
 */
export function parseStage(
  body: JsonObject,
): Omit<StageDef, 'createdDate' | 'lastUpdatedDate' | 'lastDeploymentStatusMessage'> {
  const stageName = reqString(body, 'stageName');
  const problem = stageNameProblem(stageName);
  if (problem) throw badRequest(problem);
  const stageVariables = optStringMap(body, 'stageVariables') ?? {};
  checkStageVariables(stageVariables);
  const stage: ReturnType<typeof parseStage> = {
    stageName,
    stageVariables,
    autoDeploy: optBool(body, 'autoDeploy') ?? false,
  };
  const description = optString(body, 'description');
  if (description !== undefined) stage.description = description;
  const deploymentId = optString(body, 'deploymentId');
  if (deploymentId !== undefined && deploymentId !== '') stage.deploymentId = deploymentId;
  const defaults = optObject(body, 'defaultRouteSettings');
  if (defaults !== undefined) stage.defaultRouteSettings = parseRouteSettings(defaults);
  const perRoute = optObject(body, 'routeSettings');
  if (perRoute !== undefined) {
    const out: Record<string, RouteSettings> = {};
    for (const key of Object.keys(perRoute)) out[key] = parseRouteSettings(optObject(perRoute, key) ?? {});
    stage.routeSettings = out;
  }
  const accessLog = optObject(body, 'accessLogSettings');
  if (accessLog !== undefined) stage.accessLogSettings = parseAccessLogSettings(accessLog);
  const clientCertificateId = optString(body, 'clientCertificateId');
  if (clientCertificateId !== undefined) stage.clientCertificateId = clientCertificateId;
  const tags = optStringMap(body, 'tags');
  if (tags !== undefined) stage.tags = tags;
  return stage;
}
