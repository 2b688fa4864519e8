import { LambdaServiceError, logGroupOf } from '../../functions/index.js';
import type {
  ApplicationLogLevel,
  FunctionDef,
  LoggingConfigDef,
  SystemLogLevel,
} from '../../model/types.js';
import { invalid, optObject, optString, type JsonBody } from './wire.js';

// Enum values in the order of Lambda's service model (its validation messages list them so):
// https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html
const LOG_FORMATS = ['JSON', 'Text'] as const;
const APPLICATION_LOG_LEVELS: readonly ApplicationLogLevel[] = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'FATAL',
];
const SYSTEM_LOG_LEVELS: readonly SystemLogLevel[] = ['DEBUG', 'INFO', 'WARN'];
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]+$/;

/** The `LoggingConfig` members of one request, validated; a member left out is undefined. */
export type LoggingConfigPatch = Partial<LoggingConfigDef>;

/**
 * Reads `LoggingConfig` of CreateFunction / UpdateFunctionConfiguration: enum values and the
 * LogGroup's length and pattern, with Lambda's "1 validation error detected" wording.
 */
export function readLoggingConfig(body: JsonBody): LoggingConfigPatch | undefined {
  const raw = optObject(body, 'LoggingConfig');
  if (raw === undefined) return undefined;
  const out: LoggingConfigPatch = {};
  const format = optString(raw, 'LogFormat');
  if (format !== undefined) out.logFormat = oneOf('loggingConfig.logFormat', format, LOG_FORMATS);
  const app = optString(raw, 'ApplicationLogLevel');
  if (app !== undefined) {
    out.applicationLogLevel = oneOf('loggingConfig.applicationLogLevel', app, APPLICATION_LOG_LEVELS);
  }
  const system = optString(raw, 'SystemLogLevel');
  if (system !== undefined)
    out.systemLogLevel = oneOf('loggingConfig.systemLogLevel', system, SYSTEM_LOG_LEVELS);
  const group = optString(raw, 'LogGroup');
  if (group !== undefined) out.logGroup = checkLogGroup(group);
  return out;
}

/**
 * The function's logging settings after a request: the members given replace the current ones
 * (UpdateFunctionConfiguration changes only what it names). Log levels belong to the JSON format:
 * giving one while the format is (or stays) Text is refused as Lambda does, and levels kept from an
 * earlier JSON setting are dropped when the format turns to Text, so a later switch back to JSON
 * starts again from Lambda's defaults (INFO).
 */
export function applyLoggingConfig(
  current: LoggingConfigDef | undefined,
  patch: LoggingConfigPatch,
): LoggingConfigDef {
  const merged: LoggingConfigDef = {
    ...current,
    ...patch,
    logFormat: patch.logFormat ?? current?.logFormat ?? 'Text',
  };
  if (merged.logFormat === 'Text') {
    if (patch.applicationLogLevel !== undefined || patch.systemLogLevel !== undefined) {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.',
      );
    }
    delete merged.applicationLogLevel;
    delete merged.systemLogLevel;
  }
  return merged;
}

/**
 * The `LoggingConfig` of a FunctionConfiguration: the JSON format always reports both levels (INFO
 * when unset), the log group defaults to `/aws/lambda/<name>`.
 */
export function loggingConfiguration(def: FunctionDef): Record<string, string> {
  const c = def.loggingConfig;
  const logGroup = logGroupOf(def);
  if (c?.logFormat !== 'JSON') return { LogFormat: 'Text', LogGroup: logGroup };
  return {
    LogFormat: 'JSON',
    ApplicationLogLevel: c.applicationLogLevel ?? 'INFO',
    SystemLogLevel: c.systemLogLevel ?? 'INFO',
    LogGroup: logGroup,
  };
}

function oneOf<T extends string>(member: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(member, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

function checkLogGroup(group: string): string {
  if (group.length < 1) {
    throw invalid('loggingConfig.logGroup', group, 'Member must have length greater than or equal to 1');
  }
  if (group.length > 512) {
    throw invalid('loggingConfig.logGroup', group, 'Member must have length less than or equal to 512');
  }
  if (!LOG_GROUP.test(group)) {
    throw invalid(
      'loggingConfig.logGroup',
      group,
      'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    );
  }
  return group;
}
