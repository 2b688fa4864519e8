import { LambdaServiceError, RESERVED_ENV_KEYS } from '../../functions/index.js';
import type { FunctionRuntimeName } from '../../model/types.js';
import { readLoggingConfig, type LoggingConfigPatch } from './logging-config.js';
import { invalid, optInt, optObject, optString, optStringList, optStringMap, type JsonBody } from './wire.js';

/** The runtimes Portico runs (nodejs on the local Node.js, `provided*` through the Runtime API). */
export const SUPPORTED_RUNTIMES: readonly FunctionRuntimeName[] = [
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'provided.al2023',
  'provided.al2',
];

/** Lambda's `Runtime` enum (from the service model), so unknown values are told apart from unsupported ones. */
const AWS_RUNTIMES = new Set(
  (
    'dotnet10 dotnet6 dotnet8 dotnetcore1.0 dotnetcore2.0 dotnetcore2.1 dotnetcore3.1 go1.x java11 ' +
    'java11.al2023 java17 java17.al2023 java21 java25 java8 java8.al2 java8.al2023 nodejs nodejs10.x ' +
    'nodejs12.x nodejs14.x nodejs16.x nodejs18.x nodejs20.x nodejs22.x nodejs24.x nodejs26.x nodejs4.3 ' +
    'nodejs6.10 nodejs8.10 provided provided.al2 provided.al2023 python2.7 python3.10 python3.11 ' +
    'python3.12 python3.13 python3.14 python3.15 python3.6 python3.7 python3.8 python3.9 ruby2.5 ' +
    'ruby2.7 ruby3.2 ruby3.3 ruby3.4 ruby4.0'
  ).split(' '),
);

const ROLE = /^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/;
const HANDLER = /^[^\s]+$/;
const ENV_KEY = /^[a-zA-Z]([a-zA-Z0-9_])+$/;

/** Configuration members of CreateFunction / UpdateFunctionConfiguration, validated. */
export interface FunctionSettings {
  runtime?: FunctionRuntimeName;
  handler?: string;
  role?: string;
  description?: string;
  timeout?: number;
  memorySize?: number;
  environment?: Record<string, string>;
  /** The `LoggingConfig` members given (merged into the current settings by the caller). */
  loggingConfig?: LoggingConfigPatch;
}

/**
 * Reads and validates the configuration members shared by CreateFunction and
 * UpdateFunctionConfiguration (limits: https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
 * Members Portico cannot honour are refused rather than silently dropped.
 */
export function readFunctionSettings(body: JsonBody): FunctionSettings {
  const out: FunctionSettings = {};
  const runtime = optString(body, 'Runtime');
  if (runtime !== undefined) out.runtime = checkRuntime(runtime);
  const handler = optString(body, 'Handler');
  if (handler !== undefined) {
    if (handler.length > 128 || !HANDLER.test(handler)) {
      throw invalid('Handler', handler, 'Member must satisfy regular expression pattern: [^\\s]+');
    }
    out.handler = handler;
  }
  const role = optString(body, 'Role');
  if (role !== undefined) {
    if (!ROLE.test(role)) {
      throw invalid(
        'Role',
        role,
        'Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+',
      );
    }
    out.role = role;
  }
  const description = optString(body, 'Description');
  if (description !== undefined) {
    if (description.length > 256)
      throw invalid('Description', description, 'Member must have length less than or equal to 256');
    out.description = description;
  }
  const timeout = optInt(body, 'Timeout');
  if (timeout !== undefined) {
    if (timeout < 1) throw invalid('Timeout', timeout, 'Member must have value greater than or equal to 1');
    if (timeout > 900) throw invalid('Timeout', timeout, 'Member must have value less than or equal to 900');
    out.timeout = timeout;
  }
  const memory = optInt(body, 'MemorySize');
  if (memory !== undefined) {
    if (memory < 128)
      throw invalid('MemorySize', memory, 'Member must have value greater than or equal to 128');
    if (memory > 10240)
      throw invalid('MemorySize', memory, 'Member must have value less than or equal to 10240');
    out.memorySize = memory;
  }
  const environment = optObject(body, 'Environment');
  if (environment !== undefined)
    out.environment = checkEnvironment(optStringMap(environment, 'Variables') ?? {});
  const logging = readLoggingConfig(body);
  if (logging !== undefined) out.loggingConfig = logging;
  checkUnsupported(body);
  return out;
}

function checkRuntime(runtime: string): FunctionRuntimeName {
  if ((SUPPORTED_RUNTIMES as readonly string[]).includes(runtime)) return runtime as FunctionRuntimeName;
  if (AWS_RUNTIMES.has(runtime)) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `The runtime parameter of ${runtime} is not supported by Portico. Supported runtimes: ${SUPPORTED_RUNTIMES.join(', ')}`,
    );
  }
  throw invalid('Runtime', runtime, `Member must satisfy enum value set: [${[...AWS_RUNTIMES].join(', ')}]`);
}

/** 4 KB total, measured as Lambda does on the JSON of the map; reserved keys refused. */
function checkEnvironment(vars: Record<string, string>): Record<string, string> {
  const reserved = Object.keys(vars).filter((k) => RESERVED_ENV_KEYS.has(k));
  if (reserved.length > 0) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(',')}`,
    );
  }
  for (const key of Object.keys(vars)) {
    if (!ENV_KEY.test(key)) {
      throw invalid(
        'Environment.Variables',
        key,
        'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+',
      );
    }
  }
  const measured = JSON.stringify(vars);
  if (Buffer.byteLength(measured) > 4096) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
  return { ...vars };
}

/** Features a local runtime cannot provide: accepted only in their default/empty form. */
function checkUnsupported(body: JsonBody): void {
  const layers = optStringList(body, 'Layers');
  if (layers !== undefined && layers.length > 0) refuse('Layers');
  const fs = body.FileSystemConfigs;
  if (Array.isArray(fs) && fs.length > 0) refuse('FileSystemConfigs');
  const archs = optStringList(body, 'Architectures');
  if (archs !== undefined) {
    if (archs.length !== 1 || (archs[0] !== 'x86_64' && archs[0] !== 'arm64')) {
      throw invalid(
        'Architectures',
        archs,
        'Member must have length 1 and satisfy enum value set: [x86_64, arm64]',
      );
    }
  }
  const eph = optObject(body, 'EphemeralStorage');
  if (eph !== undefined) {
    const size = optInt(eph, 'Size');
    if (size === undefined || size < 512 || size > 10240) {
      throw invalid('EphemeralStorage.Size', size ?? null, 'Member must have value between 512 and 10240');
    }
  }
}

function refuse(member: string): never {
  throw new LambdaServiceError('InvalidParameterValueException', `${member} are not supported by Portico.`);
}
