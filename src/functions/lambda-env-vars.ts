import type { BootEnv } from './spare-processes.js';
import type { FunctionDef } from '../model/types.js';

/** What the environment variables depend on besides the function. */
export interface LambdaEnvContext {
  region: string;
  version: string;
  logStreamName: string;
  /** host:port of the Runtime API (custom runtimes only). */
  runtimeApi?: string;
  /** The host PATH, so bootstrap scripts find curl, python3, node. */
  hostPath: string;
}

/**
 * Keys Lambda sets itself: a function's configuration cannot set them (the control plane refuses them)
 * nor override them at run time (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

/** The variables of every environment that a Node process reads while it starts. */
export function lambdaBootEnv(hostPath: string): BootEnv {
  return { LANG: 'en_US.UTF-8', PATH: hostPath, TZ: ':UTC', NODE_PATH: '/opt/nodejs/node_modules' };
}

/**
 * The process environment of an execution environment: Lambda's defaults, then the function's own
 * variables, then the reserved ones (which always win, as on Lambda). Nothing leaks from the gateway's
 * environment except PATH.
 */
export function buildLambdaEnv(def: FunctionDef, ctx: LambdaEnvContext): Record<string, string> {
  const env: Record<string, string> = {
    ...lambdaBootEnv(ctx.hostPath),
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
  };
  for (const [k, v] of Object.entries(def.environment)) {
    if (!RESERVED_ENV_KEYS.has(k)) env[k] = v;
  }
  const reserved: Record<string, string> = {
    _HANDLER: def.handler,
    AWS_REGION: ctx.region,
    AWS_DEFAULT_REGION: ctx.region,
    AWS_LAMBDA_FUNCTION_NAME: def.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: ctx.version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupOf(def),
    AWS_LAMBDA_LOG_STREAM_NAME: ctx.logStreamName,
    // Fake but well-formed credentials so SDK clients inside the function construct without errors.
    AWS_ACCESS_KEY_ID: 'ASIAPORTICOLOCAL0000',
    AWS_ACCESS_KEY: 'ASIAPORTICOLOCAL0000',
    AWS_SECRET_ACCESS_KEY: 'portico/local/secret/access/key/0000000000',
    AWS_SESSION_TOKEN: 'portico-local-session-token',
    LAMBDA_TASK_ROOT: def.codeDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
  };
  if (def.runtime.startsWith('nodejs')) reserved.AWS_EXECUTION_ENV = `AWS_Lambda_${def.runtime}`;
  // JSON logs: what the runtime reads to format and filter application logs, as on Lambda.
  if (def.loggingConfig?.logFormat === 'JSON') {
    reserved.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    reserved.AWS_LAMBDA_LOG_LEVEL = def.loggingConfig.applicationLogLevel ?? 'INFO';
  }
  if (ctx.runtimeApi !== undefined) reserved.AWS_LAMBDA_RUNTIME_API = ctx.runtimeApi;
  return Object.assign(env, reserved);
}

/** The function's log group: its LoggingConfig's, else `/aws/lambda/<name>`. */
export function logGroupOf(def: FunctionDef): string {
  return def.loggingConfig?.logGroup ?? `/aws/lambda/${def.functionName}`;
}
