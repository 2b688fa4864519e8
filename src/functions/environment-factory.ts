import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionDef } from '../model/types.js';
import { CustomRuntimeEnvironment } from './custom-runtime-environment.js';
import type { ExecutionEnvironment } from './environment.js';
import { findHandlerFile, isTypeScript, moduleFormat, parseHandler } from './handler-path.js';
import { buildLambdaEnv, logGroupOf } from './lambda-env-vars.js';
import { logStreamName } from './log-format.js';
import type { InitFrame } from './node-env-protocol.js';
import { NODE_ENV_ENTRY, NodeEnvironment } from './node-environment.js';
import type { SpareProcesses } from './spare-processes.js';
import { compileTypeScriptHandler } from './typescript-handler.js';

/** What loading the code produced once per function version: an init frame or an init error. */
export type PreparedCode =
  | {
      kind: 'node';
      file: string | null;
      format: 'esm' | 'cjs';
      moduleName: string;
      exportPath: string[];
      typescript: boolean;
    }
  | { kind: 'custom' }
  | { kind: 'error'; payload: Buffer; errorType: string };

/**
 * Resolves the handler file and compiles TypeScript handlers (esbuild), once per function version;
 * environments then only spawn.
 */
export async function prepareFunctionCode(def: FunctionDef, buildDir: string): Promise<PreparedCode> {
  if (def.runtime.startsWith('provided')) return { kind: 'custom' };
  const parsed = parseHandler(def.codeDir, def.handler);
  if (!parsed) {
    return initError('Runtime.MalformedHandlerName', `Bad handler ${def.handler}`);
  }
  const file = findHandlerFile(parsed.moduleBase) ?? null;
  const base = { kind: 'node' as const, moduleName: parsed.moduleName, exportPath: parsed.exportPath };
  if (file === null) return { ...base, file: null, format: 'cjs', typescript: false };
  const format = moduleFormat(file);
  if (!isTypeScript(file)) return { ...base, file, format, typescript: false };
  try {
    const out = await compileTypeScriptHandler(file, def.codeDir, join(buildDir, def.functionName), format);
    return { ...base, file: out, format, typescript: true };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return initError('Runtime.UserCodeSyntaxError', `SyntaxError: ${message}`);
  }
}

function initError(errorType: string, message: string): PreparedCode {
  return {
    kind: 'error',
    errorType,
    payload: Buffer.from(
      JSON.stringify({ errorType, errorMessage: message, trace: [`${errorType}: ${message}`] }),
    ),
  };
}

/** Everything an environment needs besides the prepared code. */
export interface EnvironmentContext {
  def: FunctionDef;
  version: string;
  region: string;
  code: Exclude<PreparedCode, { kind: 'error' }>;
  /** Log text outside invocations. */
  log(text: string): void;
  /** Extra node flags for Node environments. */
  nodeExecArgv: readonly string[];
  /** Booted processes for process-isolated Node environments to start in. */
  spares?: SpareProcesses | undefined;
}

/** Starts a new execution environment (the cold start begins here). */
export function createEnvironment(ctx: EnvironmentContext): ExecutionEnvironment {
  const { def, version } = ctx;
  const stream = logStreamName(new Date(), version, randomBytes(16).toString('hex'));
  const env = buildLambdaEnv(def, {
    region: ctx.region,
    version,
    logStreamName: stream,
    hostPath: process.env.PATH ?? '/usr/bin:/bin',
  });
  if (ctx.code.kind === 'custom') {
    return new CustomRuntimeEnvironment({
      codeDir: def.codeDir,
      env,
      timeoutSeconds: def.timeout,
      memorySizeMB: def.memorySize,
      log: ctx.log,
    });
  }
  const code = ctx.code;
  const init: InitFrame = {
    t: 'init',
    file: code.file,
    format: code.format,
    moduleName: code.moduleName,
    exportPath: code.exportPath,
    handler: def.handler,
    functionName: def.functionName,
    functionVersion: version,
    memoryLimitInMB: String(def.memorySize),
    logGroupName: logGroupOf(def),
    logStreamName: stream,
    sourceMaps: code.typescript,
  };
  // The memory size bounds the V8 heap (the channel sets it); exceeding it ends the environment
  // (Runtime.OutOfMemory).
  const execArgv = [...ctx.nodeExecArgv];
  if (code.typescript) execArgv.push('--enable-source-maps');
  return new NodeEnvironment({
    entryPath: fileURLToPath(NODE_ENV_ENTRY),
    cwd: def.codeDir,
    env,
    execArgv,
    isolation: def.isolation ?? 'process',
    spares: ctx.spares,
    init,
    timeoutSeconds: def.timeout,
    memorySizeMB: def.memorySize,
    log: ctx.log,
  });
}
