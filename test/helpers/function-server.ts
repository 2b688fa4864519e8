import type { LambdaClient } from '@aws-sdk/client-lambda';
import { createFunctionLogRoutes } from '../../dist/control-plane/lambda/function-logs.js';
import { createInvokeRoutes } from '../../dist/control-plane/lambda/invoke.js';
import {
  createFunctionRuntime,
  type FunctionRuntimeOptions,
  type PorticoFunctionRuntime,
} from '../../dist/functions/index.js';
import type { FunctionDef } from '../../src/model/types.js';
import { startAdminServer, type TestAdminServer } from './admin-server.js';
import { createFunctionSandbox, lambdaClient, type FunctionSandbox } from './functions.js';

/** A function runtime behind the Invoke API on a real admin port, with the real SDK client. */
export interface FunctionServer {
  box: FunctionSandbox;
  runtime: PorticoFunctionRuntime;
  admin: TestAdminServer;
  client: LambdaClient;
  /** Closes client, server and runtime, and removes the sandbox. */
  close(): Promise<void>;
}

/**
 * Starts a runtime on a new function sandbox with the functions `define` returns (it gets the
 * sandbox, for code paths), the Invoke API (and `GET .../logs` with `logRoutes`) on port 0, and an
 * SDK client for it.
 */
export async function startFunctionServer(
  define: (box: FunctionSandbox) => FunctionDef[],
  options: Omit<FunctionRuntimeOptions, 'dataDir'> & { logRoutes?: boolean } = {},
): Promise<FunctionServer> {
  const { logRoutes, ...runtimeOptions } = options;
  const box = createFunctionSandbox();
  const runtime = createFunctionRuntime({ dataDir: box.dataDir, ...runtimeOptions });
  runtime.setFunctions(define(box));
  const admin = await startAdminServer([
    ...createInvokeRoutes(runtime),
    ...(logRoutes === true ? createFunctionLogRoutes(runtime) : []),
  ]);
  const client = lambdaClient(admin.url);
  return {
    box,
    runtime,
    admin,
    client,
    async close() {
      client.destroy();
      await admin.close();
      await runtime.close();
      box.cleanup();
    },
  };
}
