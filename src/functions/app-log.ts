import { format } from 'node:util';
import { appLine } from './log-format.js';

/**
 * Application log lines as the Lambda Node runtime writes them
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html): TAB-separated text, or with
 * `AWS_LAMBDA_LOG_FORMAT=JSON` one JSON object per line, and only levels at or above
 * `AWS_LAMBDA_LOG_LEVEL` (all when unset).
 */

/** Levels, lowest first. */
export const APP_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type AppLevel = (typeof APP_LEVELS)[number];

/** How an environment writes application logs (read from its variables when it initialises). */
export interface AppLogSettings {
  json: boolean;
  /** Index in APP_LEVELS of the lowest level written. */
  min: number;
}

export function appLogSettings(env: NodeJS.ProcessEnv): AppLogSettings {
  const level = env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase();
  const min = APP_LEVELS.indexOf(level as AppLevel);
  return { json: env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON', min: min === -1 ? 0 : min };
}

/** An Error as the JSON format shows it: type, message and stack lines, then its own members. */
function errorFields(err: Error): Record<string, unknown> {
  return {
    errorType: err.constructor?.name ?? 'UnknownError',
    errorMessage: err.message,
    stackTrace: typeof err.stack === 'string' ? err.stack.split('\n') : err.stack,
    ...err,
  };
}

const replaceErrors = (_key: string, value: unknown): unknown =>
  value instanceof Error ? errorFields(value) : value;

/**
 * One line (with its newline). JSON: a single argument is the `message` as a JSON value (an Error
 * becomes its fields); several are formatted into a string, and the first Error among the rest adds
 * `errorType`, `errorMessage` and `stackTrace`.
 */
export function formatAppLine(
  settings: AppLogSettings,
  time: Date,
  requestId: string | undefined,
  level: AppLevel,
  args: readonly unknown[],
): string {
  if (!settings.json) return appLine(time, requestId, level, format(...args));
  const record: Record<string, unknown> = { timestamp: time.toISOString(), level, requestId };
  const [message, ...rest] = args;
  if (rest.length === 0) {
    record.message = message;
    try {
      return `${JSON.stringify(record, replaceErrors)}\n`;
    } catch {
      // Not JSON (a cycle, a BigInt): the formatted text instead.
      record.message = format(message);
      return `${JSON.stringify(record)}\n`;
    }
  }
  record.message = format(message, ...rest);
  const err = rest.find((r): r is Error => r instanceof Error);
  if (err !== undefined) {
    record.errorType = err.constructor?.name ?? 'UnknownError';
    record.errorMessage = err.message;
    record.stackTrace = typeof err.stack === 'string' ? err.stack.split('\n') : [];
  }
  return `${JSON.stringify(record)}\n`;
}
